// Admin strings in en, es and pt-BR. Pure: used by loaders and by components.
import en from "./locales/en.json";
import es from "./locales/es.json";
import ptBR from "./locales/pt-BR.json";

export const ADMIN_LOCALES = ["en", "es", "pt-BR"] as const;
export type AdminLocale = (typeof ADMIN_LOCALES)[number];
export type MessageKey = keyof typeof en;

const CATALOGUES: Record<AdminLocale, Record<MessageKey, string>> = { en, es, "pt-BR": ptBR };

/** Maps any language tag (es-MX, pt, pt-PT, en-GB) to the closest admin locale. */
export function resolveAdminLocale(tag: string | null | undefined): AdminLocale | null {
  if (!tag) return null;
  const lower = tag.trim().toLowerCase();
  if (lower.startsWith("pt")) return "pt-BR";
  if (lower.startsWith("es")) return "es";
  if (lower.startsWith("en")) return "en";
  return null;
}

export function localeFromAcceptLanguage(header: string | null): AdminLocale | null {
  for (const part of (header ?? "").split(",")) {
    const found = resolveAdminLocale(part.split(";")[0]);
    if (found) return found;
  }
  return null;
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(locale: AdminLocale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, values) =>
    (catalogue[key] ?? en[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`));
}

export function catalogueFor(locale: AdminLocale) {
  return CATALOGUES[locale];
}
