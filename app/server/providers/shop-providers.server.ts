// Which provider delivers a shop's messages on each channel. In outbox mode (the demo, tests,
// development) every channel goes to the local outbox. Otherwise SendGrid and Twilio, with the
// shop's own credentials when it set them in Settings (decrypted here, never logged), else the
// app-level ones from the environment. A channel with no credentials gets a provider that fails
// each send with what the merchant must do, so nothing silently disappears.
import { ProviderError } from "../../domain/errors";
import type { Channel, ChannelProvider, Clock, OutgoingMessage } from "../../domain/ports";
import { parseShopSettings, type ShopSettings } from "../../domain/settings/shop-settings";
import { config } from "../config.server";
import { checkRefused, type CredentialCheckCode, type CredentialCheckParams, type CredentialCheckResult } from "./credential-check.server";
import { openSecret, sealSecret } from "../crypto/secret-box.server";
import type { Database } from "../db.server";
import { outboxProviders } from "./outbox/outbox-provider.server";
import { SendGridProvider } from "./sendgrid/sendgrid-provider.server";
import { TwilioSmsProvider } from "./twilio-sms/twilio-sms-provider.server";
import { TwilioWhatsAppProvider } from "./twilio-whatsapp/twilio-whatsapp-provider.server";

/** What a shop may store in Settings > Providers (encrypted as one JSON value). */
export type ShopCredentials = {
  sendgrid?: { apiKey: string };
  twilio?: { accountSid: string; authToken: string };
};

type ShopRow = { id: string; settings: string; credentials: string | null; updatedAt: Date };

export function readShopCredentials(shop: Pick<ShopRow, "id" | "credentials">): ShopCredentials {
  if (!shop.credentials) return {};
  return JSON.parse(openSecret(shop.credentials, config().encryptionKey, shop.id)) as ShopCredentials;
}

export function sealShopCredentials(shopId: string, credentials: ShopCredentials): string {
  return sealSecret(JSON.stringify(credentials), config().encryptionKey, shopId);
}

class MissingCredentials implements ChannelProvider {
  constructor(
    readonly id: string,
    readonly channel: Channel,
    private readonly what: string,
    /** What the credential check says, for the admin to word in the merchant's language. */
    private readonly code: CredentialCheckCode,
    private readonly params?: CredentialCheckParams,
  ) {}

  async send(_message: OutgoingMessage): Promise<{ externalId: string }> {
    throw new ProviderError(`${this.what} Add it in Avisa > Settings > Providers, then resend.`, false);
  }

  async checkCredentials(): Promise<CredentialCheckResult> {
    return checkRefused(this.code, `${this.what} Add it in Settings > Providers.`, this.params);
  }
}

/** The vendor providers for a shop from its settings and credentials (app-level ones as fallback). */
export function vendorProviders(shop: ShopRow, clock: Clock): Record<Channel, ChannelProvider> {
  const app = config();
  const settings: ShopSettings = parseShopSettings(shop.settings);
  let own: ShopCredentials = {};
  try {
    own = readShopCredentials(shop);
  } catch (error) {
    const reason = `Your saved provider credentials cannot be read (${(error as Error).message}).`;
    return {
      email: new MissingCredentials("sendgrid", "email", reason, "credentials_unreadable"),
      sms: new MissingCredentials("twilio-sms", "sms", reason, "credentials_unreadable"),
      whatsapp: new MissingCredentials("twilio-whatsapp", "whatsapp", reason, "credentials_unreadable"),
    };
  }

  const sendgridKey = own.sendgrid?.apiKey ?? app.sendgrid.apiKey;
  const fromEmail = settings.sender.fromEmail ?? app.sendgrid.fromEmail;
  const email: ChannelProvider = !sendgridKey
    ? new MissingCredentials("sendgrid", "email", "No SendGrid API key is set for email.", "sendgrid_key_missing")
    : !fromEmail
      ? new MissingCredentials("sendgrid", "email", "No sender email address is set for email.", "sender_email_missing")
      : new SendGridProvider({
          apiKey: sendgridKey,
          fromEmail,
          fromName: settings.sender.fromName ?? app.sendgrid.fromName,
          replyTo: settings.sender.replyTo,
          baseUrl: app.sendgrid.baseUrl,
          clock,
        });

  const twilio = own.twilio ?? (app.twilio.accountSid && app.twilio.authToken ? { accountSid: app.twilio.accountSid, authToken: app.twilio.authToken } : null);
  const statusCallbackUrl = `${app.shopify.appUrl}/callbacks/twilio/status`;
  const smsFrom = settings.sender.smsFrom ?? app.twilio.smsFrom;
  const whatsappFrom = settings.sender.whatsappFrom ?? app.twilio.whatsappFrom;
  const sender = (from: string) => (from.startsWith("MG") ? { messagingServiceSid: from } : { from });
  const sms: ChannelProvider = !twilio
    ? new MissingCredentials("twilio-sms", "sms", "No Twilio account is set for SMS.", "twilio_account_missing", { channel: "sms" })
    : !smsFrom
      ? new MissingCredentials("twilio-sms", "sms", "No Twilio number or Messaging Service is set for SMS.", "sms_sender_missing")
      : new TwilioSmsProvider({ ...twilio, baseUrl: app.twilio.baseUrl, statusCallbackUrl, ...sender(smsFrom) });
  const whatsapp: ChannelProvider = !twilio
    ? new MissingCredentials("twilio-whatsapp", "whatsapp", "No Twilio account is set for WhatsApp.", "twilio_account_missing", { channel: "whatsapp" })
    : !whatsappFrom
      ? new MissingCredentials("twilio-whatsapp", "whatsapp", "No WhatsApp sender is set.", "whatsapp_sender_missing")
      : new TwilioWhatsAppProvider({ ...twilio, baseUrl: app.twilio.baseUrl, statusCallbackUrl, ...sender(whatsappFrom) });
  return { email, sms, whatsapp };
}

const cache = new Map<string, { key: string; providers: Record<Channel, ChannelProvider> }>();

/** The providers for one shop, rebuilt when the shop's settings or credentials change. */
export async function providersForShop(database: Database, shopId: string, clock: Clock): Promise<Record<Channel, ChannelProvider>> {
  if (config().messageDelivery === "outbox") return outboxProviders(database, clock);
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { id: true, settings: true, credentials: true, updatedAt: true } });
  const key = shop.updatedAt.toISOString();
  const cached = cache.get(shopId);
  if (cached?.key === key) return cached.providers;
  const providers = vendorProviders(shop, clock);
  cache.set(shopId, { key, providers });
  return providers;
}
