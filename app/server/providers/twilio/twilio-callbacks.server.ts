// What Twilio posts to Avisa: message status callbacks and inbound messages (SMS replies,
// WhatsApp messages). Both are signed with X-Twilio-Signature, which covers the full URL
// Twilio called plus every posted parameter (Twilio adds parameters without notice, so all of
// them are kept for the check). Vendor statuses are mapped to Avisa's here.
import twilio from "twilio";
import { err, ok, type Result } from "../../../domain/errors";
import type { MessageStatus } from "../../../domain/messages/message-status";

export const TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature";

export type TwilioParams = Record<string, string>;

export type VerifyTwilioOptions = {
  authToken: string;
  /**
   * The public URL Twilio called, when it differs from request.url (behind a proxy or tunnel
   * the app sees its own host, while Twilio signed the public one).
   */
  publicUrl?: string;
};

/** Checks X-Twilio-Signature with the SDK's validator. */
export function isValidTwilioSignature(authToken: string, signature: string | null | undefined, url: string, params: TwilioParams): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

/** Reads a Twilio form post and returns its parameters only if the signature is right. */
export async function readSignedTwilioRequest(request: Request, options: VerifyTwilioOptions): Promise<Result<TwilioParams>> {
  const signature = request.headers.get(TWILIO_SIGNATURE_HEADER);
  if (!signature) return err("missing X-Twilio-Signature header");
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(await request.text())) params[key] = value;
  const url = options.publicUrl ?? request.url;
  if (!isValidTwilioSignature(options.authToken, signature, url, params)) return err("X-Twilio-Signature does not match");
  return ok(params);
}

// ---------------------------------------------------------------------------------------------
// Status callbacks

export type TwilioMessageStatus =
  | "accepted"
  | "scheduled"
  | "queued"
  | "sending"
  | "sent"
  | "delivered"
  | "undelivered"
  | "failed"
  | "read"
  | "canceled"
  | "receiving"
  | "received"
  | "partially_delivered";

export type TwilioStatusUpdate = {
  externalId: string;
  vendorStatus: string;
  /** The Avisa status this callback moves the message to; null when it changes nothing. */
  status: MessageStatus | null;
  errorCode?: string;
  errorMessage?: string;
  channel: "sms" | "whatsapp";
};

// Twilio statuses in flight (queued, sending...) change nothing: Avisa already says `sent`.
const STATUS_MAP: Partial<Record<TwilioMessageStatus, MessageStatus>> = {
  sent: "sent",
  delivered: "delivered",
  read: "opened",
  undelivered: "failed",
  failed: "failed",
  canceled: "failed",
};

// Messages for the error codes a status callback brings most often (it sends only the code).
export const CALLBACK_ERRORS: Record<string, string> = {
  "21610": "The shopper replied STOP to this sender; Twilio blocks messages until they reply START.",
  "30003": "The phone is unreachable (switched off or out of coverage).",
  "30004": "The recipient blocked messages from this sender.",
  "30005": "The number is unknown or no longer in service.",
  "30006": "The number is a landline or cannot receive text messages.",
  "30007": "The carrier filtered the message as spam.",
  "30008": "The carrier could not deliver the message (unknown error).",
  "63016": "Outside the 24-hour WhatsApp window, only approved templates can be sent. Use a WhatsApp template for this message.",
};

export function parseStatusCallback(params: TwilioParams): Result<TwilioStatusUpdate> {
  const externalId = params.MessageSid ?? params.SmsSid;
  const vendorStatus = params.MessageStatus ?? params.SmsStatus;
  if (!externalId) return err("the status callback has no MessageSid");
  if (!vendorStatus) return err("the status callback has no MessageStatus");
  const errorCode = params.ErrorCode && params.ErrorCode !== "0" ? params.ErrorCode : undefined;
  const errorMessage = params.ErrorMessage || (errorCode ? (CALLBACK_ERRORS[errorCode] ?? `Twilio error ${errorCode}`) : undefined);
  return ok({
    externalId,
    vendorStatus,
    status: STATUS_MAP[vendorStatus as TwilioMessageStatus] ?? null,
    ...(errorCode ? { errorCode } : {}),
    ...(errorMessage ? { errorMessage } : {}),
    channel: isWhatsApp(params.To) || isWhatsApp(params.From) ? "whatsapp" : "sms",
  });
}

// ---------------------------------------------------------------------------------------------
// Inbound messages

export type InboundMessage = {
  externalId: string;
  channel: "sms" | "whatsapp";
  /** The shopper's number in E.164 (without the whatsapp: prefix). */
  from: string;
  /** The shop's number that received it (without the whatsapp: prefix). */
  to: string;
  body: string;
  mediaUrls: string[];
  /** The WhatsApp profile name, when Twilio sends one. */
  profileName?: string;
  receivedAt: Date;
};

/** Twilio sends no timestamp with an inbound message: `receivedAt` is when Avisa got it. */
export function parseInboundMessage(params: TwilioParams, receivedAt: Date): Result<InboundMessage> {
  const externalId = params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid;
  if (!externalId) return err("the inbound message has no MessageSid");
  if (!params.From || !params.To) return err("the inbound message has no From or To");
  const mediaCount = Number(params.NumMedia ?? "0");
  const mediaUrls = Array.from({ length: Number.isFinite(mediaCount) ? mediaCount : 0 }, (_, index) => params[`MediaUrl${index}`]).filter(
    (url): url is string => !!url,
  );
  return ok({
    externalId,
    channel: isWhatsApp(params.From) ? "whatsapp" : "sms",
    from: withoutChannel(params.From),
    to: withoutChannel(params.To),
    body: params.Body ?? "",
    mediaUrls,
    ...(params.ProfileName ? { profileName: params.ProfileName } : {}),
    receivedAt,
  });
}

function isWhatsApp(address: string | undefined): boolean {
  return !!address && address.toLowerCase().startsWith("whatsapp:");
}

function withoutChannel(address: string): string {
  return address.replace(/^whatsapp:/i, "");
}
