// WhatsApp through Twilio's Messages API. Addresses carry the `whatsapp:` prefix. Inside the
// 24-hour window after the shopper last wrote, free-form text is allowed; otherwise only an
// approved template (ContentSid + ContentVariables), or Twilio reports error 63016.
import type { ChannelProvider, OutgoingMessage } from "../../../domain/ports";
import { ProviderError } from "../../../domain/errors";
import { checkTwilioAccount, createTwilioClient, type TwilioClient, type TwilioCredentials } from "../twilio/twilio-client.server";

export type TwilioWhatsAppOptions = TwilioCredentials & {
  /** The WhatsApp sender number, E.164 (the whatsapp: prefix is added). Either this or messagingServiceSid. */
  from?: string;
  messagingServiceSid?: string;
  statusCallbackUrl?: string;
};

/** `+5511…` or `whatsapp:+5511…` → `whatsapp:+5511…` */
export function whatsappAddress(number: string): string {
  const bare = number.trim().replace(/^whatsapp:/i, "");
  return `whatsapp:${bare}`;
}

export class TwilioWhatsAppProvider implements ChannelProvider {
  readonly id = "twilio-whatsapp";
  readonly channel = "whatsapp" as const;
  private client?: TwilioClient;

  // Settings are checked on use, so a shop's bad settings fail its messages with a reason
  // instead of breaking the code that builds providers.
  constructor(private readonly options: TwilioWhatsAppOptions) {}

  private twilio(): TwilioClient {
    if (!this.options.from && !this.options.messagingServiceSid) {
      throw new ProviderError("Twilio WhatsApp needs a WhatsApp sender number or a Messaging Service SID. Add one in Avisa's settings.", false);
    }
    return (this.client ??= createTwilioClient(this.options));
  }

  async send(message: OutgoingMessage): Promise<{ externalId: string }> {
    if (message.channel !== "whatsapp") throw new ProviderError(`${this.id} cannot send a ${message.channel} message`, false);
    const content = message.contentSid
      ? {
          contentSid: message.contentSid,
          ...(message.contentVariables ? { contentVariables: JSON.stringify(message.contentVariables) } : {}),
        }
      : { body: message.text, ...(message.mediaUrls?.length ? { mediaUrl: message.mediaUrls } : {}) };
    const created = await this.twilio().messages.create({
      to: whatsappAddress(message.to),
      ...(this.options.messagingServiceSid ? { messagingServiceSid: this.options.messagingServiceSid } : {}),
      ...(this.options.from ? { from: whatsappAddress(this.options.from) } : {}),
      ...content,
      ...(this.options.statusCallbackUrl ? { statusCallback: this.options.statusCallbackUrl } : {}),
    });
    return { externalId: created.sid };
  }

  checkCredentials() {
    return checkTwilioAccount(() => this.twilio(), this.options.accountSid);
  }
}
