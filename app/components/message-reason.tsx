// Why a message stands where it is, in the merchant's language: a stored reason code
// (app/domain/messages/message-reason.ts) becomes the locale keys "messageReasons.*" with its
// params; rows written before codes existed (or by code that sets none) show their English text.
// A provider's own words are kept verbatim and labelled as theirs ("SendGrid said: …").
import { useI18n } from "~/components/i18n-context";
import { reasonText, type Localisable, type MessageReason } from "~/domain/messages/message-reason";
import type { MessageKey, Translate } from "~/i18n";

export type ReasonFormat = { locale: string; /** The store's zone, for instants shown without a zone of their own. */ timeZone?: string };

class MissingKey extends Error {}

/** Resolves a reason's words with `t`; throws MissingKey when a key has no text. */
export function resolveLocalisable(value: Localisable, t: Translate, format: ReasonFormat): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return new Intl.NumberFormat(format.locale).format(value);
  if ("key" in value) {
    const values: Record<string, string> = {};
    for (const [name, inner] of Object.entries(value.values ?? {})) values[name] = resolveLocalisable(inner, t, format);
    let text = t(value.key as MessageKey, values);
    if (text === value.key) throw new MissingKey(value.key);
    if (value.capitalise) text = text.charAt(0).toLocaleUpperCase(format.locale) + text.slice(1);
    if (value.sentence && !/[.!?…]$/.test(text)) text = `${text}.`;
    return text;
  }
  if ("instant" in value) {
    const options: Intl.DateTimeFormatOptions =
      value.style === "time" ? { hour: "numeric", minute: "2-digit" } : { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" };
    return new Intl.DateTimeFormat(format.locale, { ...options, timeZone: value.zone ?? format.timeZone }).format(new Date(value.instant));
  }
  if ("day" in value) return new Intl.DateTimeFormat(format.locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${value.day}T00:00:00Z`));
  if ("list" in value) return new Intl.ListFormat(format.locale, { type: "conjunction" }).format(value.list.map((item) => resolveLocalisable(item, t, format)));
  return value.join.map((item) => resolveLocalisable(item, t, format)).join(" ");
}

/** A reason in the merchant's language; the stored English when there is no code or it cannot be shown. */
export function translateReason(coded: MessageReason | null | undefined, fallback: string | null | undefined, t: Translate, format: ReasonFormat): string | null {
  if (coded) {
    try {
      return resolveLocalisable(reasonText(coded), t, format);
    } catch {
      // An unknown shape (written by a later version) or a missing key: the English still says it.
    }
  }
  return fallback ?? null;
}

/** `(coded, english) => text` in the signed-in merchant's language. */
export function useMessageReason(timeZone?: string) {
  const { t, locale } = useI18n();
  return (coded: MessageReason | null | undefined, fallback: string | null | undefined) => translateReason(coded, fallback, t, { locale, timeZone });
}

/** Renders a reason as text (inside whatever Text/Banner the page puts it in). */
export function MessageReasonText({ coded, fallback, timeZone }: { coded: MessageReason | null | undefined; fallback: string | null | undefined; timeZone?: string }) {
  const text = useMessageReason(timeZone)(coded, fallback);
  return text ? <>{text}</> : null;
}
