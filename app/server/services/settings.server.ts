// Settings as the admin edits them: the shop's messaging settings (validated with
// shopSettingsSchema), its own provider credentials (encrypted with sealShopCredentials, never
// returned: the page only gets "saved ••••1234"), and a check of those credentials through each
// provider's checkCredentials(). Every read and write is scoped by the admin's shop; a refused
// save stores nothing — neither the settings nor the credentials typed with them.
import { z } from "zod";
import { normalisePhone } from "../../domain/contacts/phone";
import type { Channel, ChannelProvider, Clock } from "../../domain/ports";
import { parseShopSettings, shopSettingsSchema, type ShopSettings } from "../../domain/settings/shop-settings";
import { CHANNELS, MESSAGE_TYPES, supportsChannel, type MessageType } from "../../domain/templating/message-types";
import { config } from "../config.server";
import type { Database } from "../db.server";
import { isCodedRefusal, type CredentialCheckCode, type CredentialCheckParams } from "../providers/credential-check.server";
import { outboxProviders } from "../providers/outbox/outbox-provider.server";
import { readShopCredentials, sealShopCredentials, vendorProviders, type ShopCredentials } from "../providers/shop-providers.server";

/** Last four characters of a saved secret; the rest never leaves the server. */
export type SecretHint = { last4: string } | null;

export type SettingsView = {
  settings: ShopSettings;
  credentials: {
    sendgrid: { apiKey: SecretHint };
    twilio: { accountSid: SecretHint; authToken: SecretHint };
    /** The stored value cannot be decrypted (the encryption key changed): replace or remove it. */
    unreadable: boolean;
  };
  /** outbox: messages stay in the local outbox (demo, development); vendors: SendGrid and Twilio. */
  delivery: "vendors" | "outbox";
  /** Message types that can go by WhatsApp, for the Content template SIDs. */
  whatsappMessageTypes: MessageType[];
};

const hint = (secret: string | undefined): SecretHint => (secret ? { last4: secret.slice(-4) } : null);

export async function loadSettings(database: Database, shopId: string): Promise<SettingsView> {
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, settings: true, credentials: true } });
  let credentials: ShopCredentials = {};
  let unreadable = false;
  try {
    credentials = readShopCredentials(shop);
  } catch {
    unreadable = true;
  }
  return {
    settings: parseShopSettings(shop.settings),
    credentials: {
      sendgrid: { apiKey: hint(credentials.sendgrid?.apiKey) },
      twilio: { accountSid: hint(credentials.twilio?.accountSid), authToken: hint(credentials.twilio?.authToken) },
      unreadable,
    },
    delivery: config().messageDelivery,
    whatsappMessageTypes: MESSAGE_TYPES.filter((type) => supportsChannel(type, "whatsapp")),
  };
}

// ---------------------------------------------------------------- the form

const text = z.preprocess((value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined), z.string().optional());
/** "" → not given; "12" → 12; anything else stays text so the schema says it is not a number. */
const number = z.preprocess((value) => {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : value;
}, z.unknown());

const capFields = (prefix: string) => ({ [`${prefix}.count`]: number, [`${prefix}.periodHours`]: number });

/** The settings form's fields (dotted names), each a string; `locales.enabled` repeats. */
export const settingsFormSchema = z.object({
  "sender.fromName": text,
  "sender.fromEmail": text,
  "sender.replyTo": text,
  "sender.smsFrom": text,
  "sender.whatsappFrom": text,
  "brand.logoUrl": text,
  "brand.color": text,
  "quietHours.start": text,
  "quietHours.end": text,
  ...capFields("frequencyCaps.sms"),
  ...capFields("frequencyCaps.email"),
  ...capFields("frequencyCaps.whatsapp"),
  "frequencyCaps.whatsapp.enabled": z.enum(["on"]).optional(),
  "consentPolicy.reviewRequests": text,
  "locales.primary": text,
  "locales.enabled": z.array(z.string()).default([]),
  "merchantAlerts.email": text,
  "merchantAlerts.phone": text,
  ...Object.fromEntries(MESSAGE_TYPES.map((type) => [`whatsappTemplates.${type}`, text])),
  /** New secrets; empty keeps the saved ones. */
  "credentials.sendgrid.apiKey": text,
  "credentials.twilio.accountSid": text,
  "credentials.twilio.authToken": text,
});
export type SettingsForm = z.infer<typeof settingsFormSchema>;

/** Reads a submitted settings form into the settings shape and the credential changes; null when it is not the settings form. */
export function settingsInputFromForm(formData: FormData): SaveSettingsInput | null {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) raw[key] = key === "locales.enabled" ? formData.getAll(key).map(String) : String(formData.get(key));
  const result = settingsFormSchema.safeParse(raw);
  if (!result.success) return null;
  const form = result.data as Record<string, unknown>;
  const get = (key: string) => form[key];
  const cap = (channel: string) => ({ count: get(`frequencyCaps.${channel}.count`), periodHours: get(`frequencyCaps.${channel}.periodHours`) });
  const whatsappTemplates: Record<string, unknown> = {};
  for (const type of MESSAGE_TYPES) if (get(`whatsappTemplates.${type}`) !== undefined) whatsappTemplates[type] = get(`whatsappTemplates.${type}`);
  return {
    settings: {
      sender: { fromName: get("sender.fromName"), fromEmail: get("sender.fromEmail"), replyTo: get("sender.replyTo"), smsFrom: get("sender.smsFrom"), whatsappFrom: get("sender.whatsappFrom") },
      brand: { logoUrl: get("brand.logoUrl"), color: get("brand.color") },
      quietHours: { start: get("quietHours.start"), end: get("quietHours.end") },
      frequencyCaps: { sms: cap("sms"), email: cap("email"), whatsapp: get("frequencyCaps.whatsapp.enabled") ? cap("whatsapp") : undefined },
      consentPolicy: { reviewRequests: get("consentPolicy.reviewRequests") },
      locales: { primary: get("locales.primary"), enabled: get("locales.enabled") },
      whatsappTemplates,
      merchantAlerts: { email: get("merchantAlerts.email"), phone: get("merchantAlerts.phone") },
    },
    credentials: {
      sendgridApiKey: get("credentials.sendgrid.apiKey") as string | undefined,
      twilioAccountSid: get("credentials.twilio.accountSid") as string | undefined,
      twilioAuthToken: get("credentials.twilio.authToken") as string | undefined,
    },
  };
}

// ---------------------------------------------------------------- saving

export type SaveSettingsInput = {
  settings: unknown;
  /** New secrets to store; absent ones keep what is saved. */
  credentials?: { sendgridApiKey?: string; twilioAccountSid?: string; twilioAuthToken?: string };
};

/** Field errors by dotted path ("quietHours.start", "credentials.twilio.authToken"), in English. */
export type FieldErrors = Record<string, string>;

export type SaveSettingsResult = { ok: true } | { ok: false; fieldErrors: FieldErrors };

const SENDGRID_KEY = /^SG\.[\w-]+\.[\w-]+$/;
const TWILIO_ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const TWILIO_AUTH_TOKEN = /^[0-9a-fA-F]{32}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

export async function saveSettings(database: Database, shopId: string, input: SaveSettingsInput): Promise<SaveSettingsResult> {
  const errors: FieldErrors = {};
  const add = (path: string, message: string) => {
    errors[path] ??= message;
  };

  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, credentials: true, settings: true } });
  // A section the form does not carry (the review rule, saved on the Reviews page) is kept.
  const parsed = shopSettingsSchema.safeParse({ ...parseShopSettings(shop.settings), ...(input.settings as object) });
  if (!parsed.success) for (const issue of parsed.error.issues) add(issue.path.join(".") || "settings", issue.message);
  if (parsed.success) for (const [path, message] of settingsProblems(parsed.data)) add(path, message);

  const change = input.credentials ?? {};
  let credentials: string | null | undefined; // undefined: leave the stored value as it is
  if (change.sendgridApiKey || change.twilioAccountSid || change.twilioAuthToken) {
    let current: ShopCredentials = {};
    try {
      current = readShopCredentials(shop);
    } catch {
      current = {}; // unreadable: what is typed now replaces it
    }
    const next: ShopCredentials = { ...current };
    if (change.sendgridApiKey) {
      if (!SENDGRID_KEY.test(change.sendgridApiKey)) add("credentials.sendgrid.apiKey", "A SendGrid API key starts with SG. — copy the whole key from SendGrid > Settings > API Keys");
      next.sendgrid = { apiKey: change.sendgridApiKey };
    }
    if (change.twilioAccountSid || change.twilioAuthToken) {
      const accountSid = change.twilioAccountSid ?? current.twilio?.accountSid;
      const authToken = change.twilioAuthToken ?? current.twilio?.authToken;
      if (!accountSid || !TWILIO_ACCOUNT_SID.test(accountSid)) add("credentials.twilio.accountSid", "Enter the Account SID from Twilio Console: AC followed by 32 characters");
      if (!authToken || !TWILIO_AUTH_TOKEN.test(authToken)) add("credentials.twilio.authToken", "Enter the Auth Token from Twilio Console: 32 characters");
      if (accountSid && authToken) next.twilio = { accountSid, authToken };
    }
    credentials = sealShopCredentials(shop.id, next);
  }

  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, fieldErrors: errors };
  await database.shop.update({
    where: { id: shop.id },
    data: { settings: JSON.stringify(parsed.data), ...(credentials !== undefined ? { credentials } : {}) },
  });
  return { ok: true };
}

/** What the schema's shapes cannot say. */
function settingsProblems(settings: ShopSettings): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (!settings.locales.enabled.includes(settings.locales.primary)) {
    problems.push(["locales.primary", "The primary language must be one of the enabled languages"]);
  }
  const phone = settings.merchantAlerts.phone;
  if (phone) {
    const normalised = normalisePhone(phone);
    if (!normalised.ok) problems.push(["merchantAlerts.phone", `Alert phone: ${normalised.error.replace(/\.$/, "")}`]);
  }
  for (const [field, value] of [["sender.smsFrom", settings.sender.smsFrom], ["sender.whatsappFrom", settings.sender.whatsappFrom?.replace(/^whatsapp:/, "")]] as const) {
    if (value && !MESSAGING_SERVICE_SID.test(value) && !normalisePhone(value).ok) {
      problems.push([field, "Enter a Twilio phone number in international format (+15551234567) or a Messaging Service SID (MG…)"]);
    }
  }
  for (const type of Object.keys(settings.whatsappTemplates)) {
    if (!(MESSAGE_TYPES as readonly string[]).includes(type) || !supportsChannel(type as MessageType, "whatsapp")) {
      problems.push([`whatsappTemplates.${type}`, "This message is not sent by WhatsApp"]);
    }
  }
  return problems;
}

/** Forgets a provider's saved credentials (the app-level ones, if any, apply again). */
export async function removeCredentials(database: Database, shopId: string, provider: "sendgrid" | "twilio"): Promise<void> {
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, credentials: true } });
  let current: ShopCredentials = {};
  try {
    current = readShopCredentials(shop);
  } catch {
    current = {}; // unreadable: removing one provider's credentials removes what cannot be read
  }
  const { [provider]: _removed, ...rest } = current;
  const empty = Object.keys(rest).length === 0;
  await database.shop.update({ where: { id: shop.id }, data: { credentials: empty ? null : sealShopCredentials(shop.id, rest) } });
}

// ---------------------------------------------------------------- checking credentials

/**
 * One channel's answer. A refusal has a code (and params) for the admin to word in the
 * merchant's language (app/server/providers/credential-check.server.ts), and `reason`, in English.
 */
export type CredentialCheck =
  | { channel: Channel; provider: string; ok: true }
  | { channel: Channel; provider: string; ok: false; code: CredentialCheckCode; params?: CredentialCheckParams; reason: string };

export type CredentialsReport = { delivery: "vendors" | "outbox"; checks: CredentialCheck[] };

/**
 * Asks each channel's provider whether it can send: SendGrid and Twilio with the shop's saved
 * credentials (or the app's), or the outbox when messages stay local.
 */
export async function checkCredentials(database: Database, shopId: string, clock: Clock): Promise<CredentialsReport> {
  const delivery = config().messageDelivery;
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, settings: true, credentials: true, updatedAt: true } });
  const providers: Record<Channel, ChannelProvider> = delivery === "outbox" ? outboxProviders(database, clock) : vendorProviders(shop, clock);
  const checks = await Promise.all(
    CHANNELS.map(async (channel): Promise<CredentialCheck> => {
      const provider = providers[channel];
      try {
        const result = provider.checkCredentials ? await provider.checkCredentials() : ({ ok: true } as const);
        if (result.ok) return { channel, provider: provider.id, ok: true };
        // A provider that gives only a reason: the merchant still sees it, under a generic heading.
        const coded = isCodedRefusal(result) ? result : { code: "check_failed" as const, params: { detail: result.reason } };
        return { channel, provider: provider.id, ok: false, code: coded.code, ...(coded.params ? { params: coded.params } : {}), reason: result.reason };
      } catch (error) {
        const detail = (error as Error).message;
        return { channel, provider: provider.id, ok: false, code: "check_failed", params: { detail }, reason: `The check failed: ${detail}` };
      }
    }),
  );
  return { delivery, checks };
}
