import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { AdminLocale, MessageKey, Translate } from "~/i18n";

type I18nValue = { locale: AdminLocale; t: Translate };

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider(props: { locale: AdminLocale; messages: Record<string, string>; children: ReactNode }) {
  const value = useMemo<I18nValue>(() => {
    const t: Translate = (key: MessageKey, values) =>
      (props.messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`));
    return { locale: props.locale, t };
  }, [props.locale, props.messages]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}

/** Formats a UTC instant for the merchant, in their language. */
export function useFormatDateTime() {
  const { locale } = useI18n();
  return (iso: string | Date, timeZone?: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}
