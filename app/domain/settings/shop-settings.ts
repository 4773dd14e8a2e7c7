// A shop's messaging settings, stored as JSON on Shop.settings. Parsing fills in the defaults,
// so a shop that never opened Settings gets sensible behaviour, and a stored value written by
// an older version keeps working. Validation messages are written for the merchant.
import { z } from "zod";
import { reviewPublishRuleSchema } from "../reviews/publish-rule";

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time such as 08:00 or 21:30");

export const SUPPORTED_LOCALES = ["en", "es", "pt-BR"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

const capSchema = z.object({
  count: z.number().int().min(1, "Allow at least 1 message").max(50, "At most 50 messages"),
  periodHours: z.number().int().min(1, "The period must be at least 1 hour").max(24 * 31, "The period can be at most 31 days"),
});

export const shopSettingsSchema = z.object({
  sender: z
    .object({
      fromName: z.string().trim().max(100).optional(),
      fromEmail: z.string().trim().email("Enter an email address your SendGrid account has verified").optional(),
      replyTo: z.string().trim().email("Enter a valid reply-to address").optional(),
      smsFrom: z.string().trim().max(40).optional(),
      whatsappFrom: z.string().trim().max(40).optional(),
    })
    .default({}),
  brand: z
    .object({
      logoUrl: z.string().url("Enter the full address of your logo, starting with https://").optional(),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour such as #1F5C4A").default("#1F5C4A"),
    })
    .default({}),
  quietHours: z
    .object({ start: clockTime.default("08:00"), end: clockTime.default("21:00") })
    .refine((window) => window.start < window.end, "Quiet hours: the start of the sending window must be before its end")
    .default({}),
  frequencyCaps: z
    .object({
      sms: capSchema.default({ count: 1, periodHours: 24 }),
      email: capSchema.default({ count: 3, periodHours: 24 * 7 }),
      whatsapp: capSchema.optional(),
    })
    .default({}),
  consentPolicy: z.object({ reviewRequests: z.enum(["marketing", "transactional"]).default("marketing") }).default({}),
  locales: z
    .object({
      primary: z.enum(SUPPORTED_LOCALES).default("en"),
      enabled: z.array(z.enum(SUPPORTED_LOCALES)).min(1, "Keep at least one language").default([...SUPPORTED_LOCALES]),
    })
    .default({}),
  /** Approved WhatsApp (Twilio Content) templates by message type, for outside the 24-hour window. */
  whatsappTemplates: z.record(z.string(), z.string().regex(/^HX[0-9a-fA-F]{32}$/, "A Content SID starts with HX followed by 32 characters")).default({}),
  merchantAlerts: z
    .object({ email: z.string().email("Enter a valid email address for alerts").optional(), phone: z.string().optional() })
    .default({}),
  /** Which new reviews go live without the merchant: never by rating (FTC 2024 rule on reviews). */
  reviews: z.object({ autoPublish: reviewPublishRuleSchema }).default({}),
});

export type ShopSettings = z.infer<typeof shopSettingsSchema>;

export function parseShopSettings(stored: string | null | undefined): ShopSettings {
  let raw: unknown = {};
  try {
    raw = stored ? JSON.parse(stored) : {};
  } catch {
    raw = {};
  }
  const parsed = shopSettingsSchema.safeParse(raw);
  // Stored settings that no longer validate fall back to defaults rather than stopping sends.
  return parsed.success ? parsed.data : shopSettingsSchema.parse({});
}

/** The shopper's locale among the supported ones: exact, then language, then the shop's primary. */
export function resolveLocale(candidates: Array<string | null | undefined>, settings: ShopSettings): SupportedLocale {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const normalised = candidate.replace("_", "-");
    const exact = SUPPORTED_LOCALES.find((locale) => locale.toLowerCase() === normalised.toLowerCase());
    if (exact && settings.locales.enabled.includes(exact)) return exact;
    const language = normalised.split("-")[0].toLowerCase();
    const byLanguage = SUPPORTED_LOCALES.find((locale) => locale.split("-")[0] === language);
    if (byLanguage && settings.locales.enabled.includes(byLanguage)) return byLanguage;
  }
  return settings.locales.primary;
}
