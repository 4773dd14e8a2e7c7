// SendGrid's Event Webhook: a JSON array of events, signed with ECDSA P-256 (SHA-256) over the
// timestamp header followed by the raw body. The public key is the one SendGrid shows under
// Settings → Mail Settings → Event Webhook → Signature Verification (base64 DER). Vendor events
// are mapped to Avisa's message statuses here.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { err, ok, type Result } from "../../../domain/errors";
import type { MessageStatus } from "../../../domain/messages/message-status";

export const SENDGRID_SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
export const SENDGRID_TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

export type SendGridEventKind =
  | "processed"
  | "delivered"
  | "deferred"
  | "opened"
  | "clicked"
  | "bounced"
  | "dropped"
  | "spam_report"
  | "unsubscribe"
  | "group_unsubscribe"
  | "group_resubscribe";

export type SendGridEvent = {
  /** The X-Message-Id returned at send time: sg_message_id up to its first '.'. */
  externalId: string;
  /** Avisa's message id, from the custom_args set at send time. */
  messageId?: string;
  shopId?: string;
  event: SendGridEventKind;
  /** The Avisa status this event moves the message to; null when it changes nothing. */
  status: MessageStatus | null;
  /** Bounces only: `bounce` (the address does not exist) is hard, `blocked` is soft. */
  bounceType?: "hard" | "soft";
  /** Whether the address should get no more email from this shop (hard bounce, spam report, unsubscribe). */
  suppressRecipient: boolean;
  email: string;
  timestamp: Date;
  /** SendGrid's own event id, for de-duplication (the webhook can deliver an event twice). */
  eventId?: string;
  url?: string;
  reason?: string;
};

// ---------------------------------------------------------------------------------------------
// Signature

export type VerifyOptions = {
  /** Base64 DER (SPKI) public key as SendGrid shows it, or PEM. */
  publicKey: string;
  signature: string | null | undefined;
  timestamp: string | null | undefined;
  rawBody: string | Buffer;
  /** With `now`, refuse timestamps further than this from it (replay protection). */
  toleranceSeconds?: number;
  now?: Date;
};

export function isValidEventWebhookSignature(options: VerifyOptions): boolean {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return false;
  if (options.toleranceSeconds !== undefined && options.now) {
    const seconds = Number(timestamp);
    if (!Number.isFinite(seconds) || Math.abs(options.now.getTime() / 1000 - seconds) > options.toleranceSeconds) return false;
  }
  let key: KeyObject;
  try {
    key = publicKeyFrom(options.publicKey);
  } catch {
    return false;
  }
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), Buffer.isBuffer(options.rawBody) ? options.rawBody : Buffer.from(options.rawBody, "utf8")]);
  try {
    // SendGrid's signature is a DER-encoded ECDSA signature, base64.
    return verify("sha256", signed, key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

function publicKeyFrom(publicKey: string): KeyObject {
  const trimmed = publicKey.trim();
  if (trimmed.startsWith("-----BEGIN")) return createPublicKey(trimmed);
  return createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
}

/**
 * Reads a webhook request: checks the signature over the exact bytes received, then parses.
 * Any failure is a result, so the route can answer 401 / 400 without throwing.
 */
export async function readSignedEventWebhook(
  request: Request,
  options: { publicKey: string; toleranceSeconds?: number; now?: Date },
): Promise<Result<SendGridEvent[]>> {
  const rawBody = Buffer.from(await request.arrayBuffer());
  const signature = request.headers.get(SENDGRID_SIGNATURE_HEADER);
  const timestamp = request.headers.get(SENDGRID_TIMESTAMP_HEADER);
  if (!signature || !timestamp) return err("missing Event Webhook signature headers");
  if (!isValidEventWebhookSignature({ ...options, signature, timestamp, rawBody })) return err("Event Webhook signature does not match");
  return parseEventWebhook(rawBody.toString("utf8"));
}

// ---------------------------------------------------------------------------------------------
// Parsing and mapping

type RawEvent = Record<string, unknown> & {
  event?: string;
  email?: string;
  timestamp?: number;
  sg_message_id?: string;
  sg_event_id?: string;
  type?: string;
  url?: string;
  reason?: string;
  response?: string;
};

// SendGrid's event names → Avisa's (unknown future events are skipped, not errors).
const EVENT_KINDS: Record<string, SendGridEventKind> = {
  processed: "processed",
  delivered: "delivered",
  deferred: "deferred",
  open: "opened",
  click: "clicked",
  bounce: "bounced",
  dropped: "dropped",
  spamreport: "spam_report",
  unsubscribe: "unsubscribe",
  group_unsubscribe: "group_unsubscribe",
  group_resubscribe: "group_resubscribe",
};

// processed: SendGrid has the email (also settles a send whose outcome was unknown).
// deferred: the receiving server asked to try later; SendGrid keeps trying, nothing changes yet.
// Spam reports and unsubscribes change consent, not the message's status.
const STATUS_FOR: Record<SendGridEventKind, MessageStatus | null> = {
  processed: "sent",
  delivered: "delivered",
  deferred: null,
  opened: "opened",
  clicked: "clicked",
  bounced: "bounced",
  dropped: "failed",
  spam_report: null,
  unsubscribe: null,
  group_unsubscribe: null,
  group_resubscribe: null,
};

export function parseEventWebhook(rawBody: string): Result<SendGridEvent[]> {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return err("the Event Webhook body is not JSON");
  }
  if (!Array.isArray(payload)) return err("the Event Webhook body is not a JSON array");
  const events: SendGridEvent[] = [];
  for (const raw of payload as RawEvent[]) {
    const event = toEvent(raw);
    if (event) events.push(event);
  }
  return ok(events);
}

function toEvent(raw: RawEvent): SendGridEvent | null {
  const kind = raw && typeof raw.event === "string" ? EVENT_KINDS[raw.event] : undefined;
  if (!kind || typeof raw.sg_message_id !== "string" || typeof raw.email !== "string") return null;
  const bounceType = kind === "bounced" ? (raw.type === "blocked" ? "soft" : "hard") : undefined;
  // Custom args arrive as top-level properties of each event.
  const messageId = typeof raw.messageId === "string" ? raw.messageId : undefined;
  const shopId = typeof raw.shopId === "string" ? raw.shopId : undefined;
  const reason = typeof raw.reason === "string" ? raw.reason : typeof raw.response === "string" ? raw.response : undefined;
  return {
    externalId: raw.sg_message_id.split(".")[0],
    ...(messageId ? { messageId } : {}),
    ...(shopId ? { shopId } : {}),
    event: kind,
    status: STATUS_FOR[kind],
    ...(bounceType ? { bounceType } : {}),
    suppressRecipient: bounceType === "hard" || kind === "spam_report" || kind === "unsubscribe" || kind === "group_unsubscribe",
    email: raw.email,
    timestamp: new Date(Number(raw.timestamp ?? 0) * 1000),
    ...(typeof raw.sg_event_id === "string" ? { eventId: raw.sg_event_id } : {}),
    ...(typeof raw.url === "string" ? { url: raw.url } : {}),
    ...(reason ? { reason } : {}),
  };
}
