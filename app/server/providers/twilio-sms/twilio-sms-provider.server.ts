// SMS (and MMS) through Twilio's Messages API with the shop's own account. The Message SID is
// the external id; delivery news arrives later on the StatusCallback URL.
import type { ChannelProvider, OutgoingMessage } from "../../../domain/ports";
import { ProviderError } from "../../../domain/errors";
import { checkTwilioAccount, createTwilioClient, type TwilioClient, type TwilioCredentials } from "../twilio/twilio-client.server";

export type TwilioSmsOptions = TwilioCredentials & {
  /** A Twilio number in E.164, or an alphanumeric sender ID. Either this or messagingServiceSid. */
  from?: string;
  /** MG…: Twilio picks the sender from the service's pool. */
  messagingServiceSid?: string;
  /** Where Twilio posts status changes (sent, delivered, failed...). */
  statusCallbackUrl?: string;
};

export class TwilioSmsProvider implements ChannelProvider {
  readonly id = "twilio-sms";
  readonly channel = "sms" as const;
  private client?: TwilioClient;

  // Settings are checked on use, so a shop's bad settings fail its messages with a reason
  // instead of breaking the code that builds providers.
  constructor(private readonly options: TwilioSmsOptions) {}

  private twilio(): TwilioClient {
    if (!this.options.from && !this.options.messagingServiceSid) {
      throw new ProviderError("Twilio SMS needs a From number or a Messaging Service SID. Add one in Avisa's settings.", false);
    }
    return (this.client ??= createTwilioClient(this.options));
  }

  async send(message: OutgoingMessage): Promise<{ externalId: string }> {
    if (message.channel !== "sms") throw new ProviderError(`${this.id} cannot send a ${message.channel} message`, false);
    const created = await this.twilio().messages.create({
      to: message.to,
      ...(this.options.messagingServiceSid ? { messagingServiceSid: this.options.messagingServiceSid } : {}),
      ...(this.options.from ? { from: this.options.from } : {}),
      body: message.text,
      ...(message.mediaUrls?.length ? { mediaUrl: message.mediaUrls } : {}),
      ...(this.options.statusCallbackUrl ? { statusCallback: this.options.statusCallbackUrl } : {}),
    });
    return { externalId: created.sid };
  }

  checkCredentials() {
    return checkTwilioAccount(() => this.twilio(), this.options.accountSid);
  }
}
