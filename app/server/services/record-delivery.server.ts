// What the vendors tell Avisa about messages after they left: SendGrid's Event Webhook and
// Twilio's status callbacks. Each vendor event is appended to the message's timeline and moves
// the message's status forward along the state machine only (a late "delivered" after "opened"
// never downgrades it); bounces and spam complaints suppress the address, unsubscribes and
// carrier opt-outs go to the consent ledger. Every vendor event is recorded once: the message
// row is locked first, then the timeline is checked for that event (SendGrid's sg_event_id,
// Twilio's status + error code), so a retried or duplicated delivery changes nothing.
//
// Each timeline entry and failure reason is stored as a reason code with the vendor's words as
// params (app/domain/messages/message-reason.ts) beside the English it always had, so the admin
// shows it in the merchant's language.
//
// Twilio requests are also authenticated here: the signature is checked with the auth token of
// the shop that owns the number (its own Twilio account, if it saved one), else the app's.
import { CONSENT_SOURCES } from "../../domain/consent/consent-policy";
import { normalisePhone } from "../../domain/contacts/phone";
import { englishReason, errorData, reason, statusReasonData, type MessageReason } from "../../domain/messages/message-reason";
import { canTransition, isMessageStatus, type MessageStatus } from "../../domain/messages/message-status";
import type { Channel, Clock, Logger } from "../../domain/ports";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import { config } from "../config.server";
import { services } from "../container.server";
import type { Database } from "../db.server";
import type { SendGridEvent } from "../providers/sendgrid/event-webhook.server";
import { readShopCredentials } from "../providers/shop-providers.server";
import { isValidTwilioSignature, parseStatusCallback, type TwilioParams, type TwilioStatusUpdate } from "../providers/twilio/twilio-callbacks.server";
import { recordMessageEvent } from "./schedule-message.server";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
type Writer = Tx | Database;
type MessageRow = Awaited<ReturnType<Database["message"]["findUniqueOrThrow"]>>;

export type DeliveryDependencies = { database: Database; clock: Clock; logger: Logger };

const defaults = (): DeliveryDependencies => {
  const { database, clock, logger } = services();
  return { database, clock, logger };
};

// ---------------------------------------------------------------------------------------------
// Shared: message status, consent ledger, suppressions

/**
 * Locks the message row for the rest of the transaction (PostgreSQL: a row lock; SQLite: the
 * write lock), then reads it: two deliveries of one vendor event are handled one after the other.
 */
async function lockMessage(tx: Tx, id: string, now: Date): Promise<MessageRow> {
  return tx.message.update({ where: { id }, data: { updatedAt: now } });
}

type Timestamps = Partial<Record<"sentAt" | "deliveredAt" | "openedAt" | "clickedAt", Date>>;

/**
 * Moves the status to `target` if the state machine allows it from the current one, and fills
 * the milestone times still empty (an open proves delivery, a click proves the open). A failure
 * or bounce stores `failure` as both the status reason and the error. Returns whether the status moved.
 */
async function advanceMessage(
  tx: Tx, message: MessageRow, target: MessageStatus | null, times: Timestamps, failure: MessageReason | null,
): Promise<boolean> {
  const data: Record<string, unknown> = {};
  const moves = !!target && isMessageStatus(message.status) && canTransition(message.status, target) && message.status !== target;
  if (moves) {
    data.status = target;
    if (target === "failed" || target === "bounced") {
      Object.assign(data, statusReasonData(failure), errorData(failure));
    }
  }
  for (const [field, value] of Object.entries(times) as Array<[keyof Timestamps, Date]>) {
    if (value && !message[field]) data[field] = value;
  }
  if (Object.keys(data).length === 0) return false;
  // The row is locked, so the status read is current; the condition only guards against bugs.
  await tx.message.updateMany({ where: { id: message.id, status: message.status }, data });
  return moves;
}

export type ConsentEntry = {
  shopId: string;
  contactId: string;
  channel: Channel;
  state: string;
  source: string;
  evidence: Record<string, unknown>;
  recordedAt: Date;
};

/**
 * Appends to the consent ledger unless it would say nothing new: the latest record for the
 * channel already has this state from this source, or is newer than this one (a late event).
 */
export async function appendConsentRecord(tx: Writer, entry: ConsentEntry): Promise<boolean> {
  const latest = await tx.consentRecord.findFirst({
    where: { shopId: entry.shopId, contactId: entry.contactId, channel: entry.channel },
    orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
  });
  if (latest && latest.state === entry.state && latest.source === entry.source) return false;
  if (latest && latest.recordedAt > entry.recordedAt) return false;
  await tx.consentRecord.create({
    data: {
      shopId: entry.shopId,
      contactId: entry.contactId,
      channel: entry.channel,
      state: entry.state,
      source: entry.source,
      evidence: JSON.stringify(entry.evidence),
      recordedAt: entry.recordedAt,
    },
  });
  return true;
}

async function suppress(tx: Tx, shopId: string, channel: "email" | "sms", address: string, reason: "hard_bounce" | "spam_complaint"): Promise<void> {
  await tx.suppression.upsert({
    where: { shopId_channel_address: { shopId, channel, address } },
    create: { shopId, channel, address, reason },
    update: {},
  });
}

// ---------------------------------------------------------------------------------------------
// SendGrid Event Webhook

export type SendGridSummary = { received: number; recorded: number; duplicates: number; unmatched: number };

/** Applies verified, parsed Event Webhook events. */
export async function recordSendGridEvents(events: SendGridEvent[], deps: DeliveryDependencies = defaults()): Promise<SendGridSummary> {
  const summary: SendGridSummary = { received: events.length, recorded: 0, duplicates: 0, unmatched: 0 };
  for (const event of events) {
    const outcome = await recordSendGridEvent(event, deps);
    summary[outcome]++;
  }
  return summary;
}

const eventMarker = (eventId: string) => `(SendGrid event ${eventId})`;

const REVOKES_EMAIL = new Set<SendGridEvent["event"]>(["unsubscribe", "group_unsubscribe", "spam_report"]);

async function recordSendGridEvent(event: SendGridEvent, deps: DeliveryDependencies): Promise<"recorded" | "duplicates" | "unmatched"> {
  const { database, clock, logger } = deps;
  const now = clock.now();
  const at = Number.isFinite(event.timestamp.getTime()) && event.timestamp.getTime() > 0 ? event.timestamp : now;
  const found = await findEmailMessage(database, event);
  const affectsRecipient = (event.event === "bounced" && event.bounceType === "hard") || REVOKES_EMAIL.has(event.event);
  // An event about a message Avisa no longer has still protects the address (bounce, spam, unsubscribe).
  const shopId = found?.shopId ?? (event.shopId && affectsRecipient ? (await database.shop.findUnique({ where: { id: event.shopId }, select: { id: true } }))?.id : undefined);
  if (!shopId) {
    logger.info("sendgrid event for no known message", { event: event.event, externalId: event.externalId });
    return "unmatched";
  }

  return database.$transaction(async (tx) => {
    let contactId: string | null = null;
    if (found) {
      const message = await lockMessage(tx, found.id, now);
      if (event.eventId) {
        const seen = await tx.messageEvent.findFirst({ where: { shopId, messageId: message.id, detail: { contains: eventMarker(event.eventId) } }, select: { id: true } });
        if (seen) return "duplicates" as const;
      }
      const why = sendGridReason(event);
      const text = englishReason(why);
      const detail = event.eventId ? `${text} ${eventMarker(event.eventId)}` : text;
      await recordMessageEvent(tx, { shopId, messageId: message.id, type: sendGridEventType(event), detail, reason: why, at });
      await advanceMessage(tx, message, event.status, sendGridTimes(event, at), why);
      contactId = message.contactId;
    }

    const email = event.email.trim().toLowerCase();
    if (event.event === "bounced" && event.bounceType === "hard") await suppress(tx, shopId, "email", email, "hard_bounce");
    if (event.event === "spam_report") await suppress(tx, shopId, "email", email, "spam_complaint");
    if (REVOKES_EMAIL.has(event.event)) {
      contactId ??= (await tx.contact.findFirst({ where: { shopId, email }, orderBy: { createdAt: "asc" }, select: { id: true } }))?.id ?? null;
      if (contactId) {
        await appendConsentRecord(tx, {
          shopId, contactId, channel: "email", state: "unsubscribed", source: "sendgrid", recordedAt: at,
          evidence: { sendgridEventId: event.eventId ?? null, event: event.event, email, messageId: found?.id ?? null },
        });
      }
    }
    return "recorded" as const;
  });
}

async function findEmailMessage(database: Database, event: SendGridEvent): Promise<MessageRow | null> {
  // Without Avisa's shopId (custom_args) the event cannot be tied to a shop safely: skipped.
  if (!event.shopId) return null;
  if (event.messageId) {
    const byId = await database.message.findFirst({ where: { id: event.messageId, shopId: event.shopId } });
    if (byId) return byId;
  }
  return database.message.findFirst({ where: { shopId: event.shopId, externalId: event.externalId } });
}

function sendGridEventType(event: SendGridEvent): string {
  switch (event.event) {
    case "deferred":
      return "provider_deferred";
    case "group_unsubscribe":
      return "unsubscribe";
    default:
      return event.event;
  }
}

function sendGridTimes(event: SendGridEvent, at: Date): Timestamps {
  switch (event.event) {
    case "processed":
      return { sentAt: at };
    case "delivered":
      return { deliveredAt: at };
    case "opened":
      return { deliveredAt: at, openedAt: at };
    case "clicked":
      return { deliveredAt: at, openedAt: at, clickedAt: at };
    default:
      return {};
  }
}

/** What happened, for the merchant (also the failure reason of a bounce or drop); SendGrid's words verbatim. */
function sendGridReason(event: Pick<SendGridEvent, "event" | "email" | "reason" | "url" | "bounceType">): MessageReason {
  const detail = event.reason || null;
  switch (event.event) {
    case "processed":
      return reason("sendgrid_processed");
    case "deferred":
      return reason("sendgrid_deferred", { detail });
    case "delivered":
      return reason("sendgrid_delivered", { email: event.email, detail });
    case "opened":
      return reason("sendgrid_opened");
    case "clicked":
      return reason("sendgrid_clicked", { url: event.url || null });
    case "bounced":
      return event.bounceType === "hard" ? reason("sendgrid_bounced", { email: event.email, detail }) : reason("sendgrid_blocked", { detail });
    case "dropped":
      return reason("sendgrid_dropped", { detail });
    case "spam_report":
      return reason("sendgrid_spam_report", { email: event.email });
    case "unsubscribe":
      return reason("sendgrid_unsubscribe");
    case "group_unsubscribe":
      return reason("sendgrid_group_unsubscribe");
    case "group_resubscribe":
      return reason("sendgrid_group_resubscribe");
  }
}

// ---------------------------------------------------------------------------------------------
// Twilio: which shop a number belongs to, and whose auth token signs its callbacks

export type TwilioShop = { id: string; name: string; email: string | null; primaryLocale: string; settings: string; credentials: string | null };

const TWILIO_SHOP_FIELDS = { id: true, name: true, email: true, primaryLocale: true, settings: true, credentials: true } as const;

export const withoutChannelPrefix = (address: string | undefined | null): string => (address ?? "").replace(/^whatsapp:/i, "").trim();

function sameSender(configured: string | undefined, number: string, messagingServiceSid: string | undefined): boolean {
  if (!configured) return false;
  if (configured.startsWith("MG")) return !!messagingServiceSid && configured === messagingServiceSid;
  const a = normalisePhone(configured);
  const b = normalisePhone(number);
  return a.ok && b.ok ? a.value === b.value : withoutChannelPrefix(configured) === number;
}

/**
 * The installed shops a Twilio number (or Messaging Service) of ours belongs to:
 * 1. the shops that set it as their own sender for the channel in Settings (normally one);
 * 2. otherwise, if it is the app-level sender (TWILIO_SMS_FROM / TWILIO_WHATSAPP_FROM), every
 *    installed shop without a sender of its own for that channel — one when a single shop is
 *    installed; callers narrow a shared number further (see receive-inbound);
 * 3. otherwise none.
 */
export async function shopsForTwilioNumber(
  database: Database,
  target: { number: string; messagingServiceSid?: string; channel: "sms" | "whatsapp" },
): Promise<TwilioShop[]> {
  const key = target.channel === "whatsapp" ? "whatsappFrom" : "smsFrom";
  const ownSender = (shop: TwilioShop) => parseShopSettings(shop.settings).sender[key];
  // Only shops that saved a sender can match it; the JSON key narrows the scan to them.
  const configured = await database.shop.findMany({ where: { uninstalledAt: null, settings: { contains: `"${key}"` } }, select: TWILIO_SHOP_FIELDS });
  const own = configured.filter((shop) => sameSender(ownSender(shop), target.number, target.messagingServiceSid));
  if (own.length > 0) return own;
  const app = config().twilio[key];
  if (!sameSender(app, target.number, target.messagingServiceSid)) return [];
  const installed = await database.shop.findMany({ where: { uninstalledAt: null }, select: TWILIO_SHOP_FIELDS, orderBy: { installedAt: "asc" } });
  return installed.filter((shop) => !ownSender(shop));
}

/** The auth token that signs a shop's Twilio callbacks: its own account's, else the app's. */
export function twilioAuthTokenFor(shop: Pick<TwilioShop, "id" | "credentials">): string | undefined {
  try {
    return readShopCredentials(shop).twilio?.authToken ?? config().twilio.authToken;
  } catch {
    return config().twilio.authToken;
  }
}

export type TwilioRequest = {
  params: TwilioParams;
  signature: string | null;
  /** The URLs Twilio may have signed: the public one (SHOPIFY_APP_URL + path), then the one received. */
  urls: string[];
};

/**
 * A Twilio form post as the checks need it. Twilio signs the public URL it was given
 * (SHOPIFY_APP_URL + path + query); behind a proxy or tunnel the app sees another host, so both
 * are tried. `publicUrl` overrides the first when Twilio was given some other address.
 */
export async function readTwilioRequest(request: Request, options: { publicUrl?: string } = {}): Promise<TwilioRequest> {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(await request.text())) params[key] = value;
  const url = new URL(request.url);
  const publicUrl = options.publicUrl ?? `${config().shopify.appUrl.replace(/\/+$/, "")}${url.pathname}${url.search}`;
  return { params, signature: request.headers.get("x-twilio-signature"), urls: [...new Set([publicUrl, request.url])] };
}

export type TwilioAuthentication = { ok: true; shops: TwilioShop[] } | { ok: false; error: string };

/**
 * Checks X-Twilio-Signature against the candidate shops' tokens (the app's token when there is
 * no candidate). The shops whose token matches are the ones the request is authentic for.
 */
export function authenticateTwilio(request: TwilioRequest, candidates: TwilioShop[]): TwilioAuthentication {
  if (!request.signature) return { ok: false, error: "The X-Twilio-Signature header is missing: only Twilio may call this address." };
  const valid = (token: string | undefined) => !!token && request.urls.some((url) => isValidTwilioSignature(token, request.signature, url, request.params));
  if (candidates.length === 0) {
    const appToken = config().twilio.authToken;
    if (!appToken) return { ok: false, error: "No Twilio auth token is configured for this number (set TWILIO_AUTH_TOKEN or the shop's own Twilio account), so the request cannot be verified." };
    return valid(appToken) ? { ok: true, shops: [] } : { ok: false, error: "X-Twilio-Signature does not match. Check that Twilio calls the URL in SHOPIFY_APP_URL and that the auth token is current." };
  }
  const checked = new Map<string, boolean>();
  const shops = candidates.filter((shop) => {
    const token = twilioAuthTokenFor(shop);
    if (!token) return false;
    if (!checked.has(token)) checked.set(token, valid(token));
    return checked.get(token)!;
  });
  return shops.length > 0
    ? { ok: true, shops }
    : { ok: false, error: "X-Twilio-Signature does not match. Check that Twilio calls the URL in SHOPIFY_APP_URL and that the auth token is current." };
}

// ---------------------------------------------------------------------------------------------
// Twilio status callbacks

export type TwilioStatusOutcome =
  | { ok: false; reason: "forbidden" | "bad_request"; error: string }
  | { ok: true; outcome: "recorded" | "duplicate" | "unmatched" | "ignored" };

/**
 * A status callback as its timeline entry, and why it failed the message. `vendorWords`: the
 * error's meaning is Twilio's own ErrorMessage, not Avisa's explanation of the code.
 */
function twilioReasons(update: TwilioStatusUpdate, vendorWords: boolean): { entry: MessageReason; failure: MessageReason } {
  const { vendorStatus: status, errorCode, errorMessage } = update;
  if (!errorCode) return { entry: reason("twilio_status", { status, errorCode: null, error: null, vendorWords: false }), failure: reason("twilio_failed_status", { status }) };
  const error = { errorCode, error: errorMessage ?? `Twilio error ${errorCode}`, vendorWords };
  return { entry: reason("twilio_status", { status, ...error }), failure: reason("twilio_error", error) };
}

/** A status callback: authenticate, then update the message Twilio reports on. */
export async function recordTwilioStatus(request: TwilioRequest, deps: DeliveryDependencies = defaults()): Promise<TwilioStatusOutcome> {
  const { database, clock, logger } = deps;
  const { params } = request;
  const channel = /^whatsapp:/i.test(params.From ?? "") || /^whatsapp:/i.test(params.To ?? "") ? "whatsapp" : "sms";
  const candidates = await shopsForTwilioNumber(database, { number: withoutChannelPrefix(params.From), messagingServiceSid: params.MessagingServiceSid, channel });
  const auth = authenticateTwilio(request, candidates);
  if (!auth.ok) return { ok: false, reason: "forbidden", error: auth.error };
  const parsed = parseStatusCallback(params);
  if (!parsed.ok) return { ok: false, reason: "bad_request", error: parsed.error };
  const update = parsed.value;
  // In-flight statuses (queued, sending...) change nothing: Avisa already says "sent".
  if (!update.status && !update.errorCode) return { ok: true, outcome: "ignored" };

  const found = auth.shops.length
    ? await database.message.findFirst({ where: { shopId: { in: auth.shops.map((shop) => shop.id) }, externalId: update.externalId } })
    : // Signed with the app's token, from a number no shop uses now (its sender changed since).
      await database.message.findFirst({ where: { externalId: update.externalId, channel: { in: ["sms", "whatsapp"] } } });
  if (!found) {
    logger.info("twilio status for no known message", { status: update.vendorStatus });
    return { ok: true, outcome: "unmatched" };
  }
  const now = clock.now();
  return database.$transaction(async (tx) => {
    const message = await lockMessage(tx, found.id, now);
    const type = update.status ?? update.vendorStatus;
    const { entry, failure } = twilioReasons(update, !!params.ErrorMessage);
    const detail = englishReason(entry);
    const seen = await tx.messageEvent.findFirst({ where: { shopId: message.shopId, messageId: message.id, type, detail }, select: { id: true } });
    if (seen) return { ok: true as const, outcome: "duplicate" as const };

    const times: Timestamps = update.status === "sent" ? { sentAt: now } : update.status === "delivered" ? { deliveredAt: now } : update.status === "opened" ? { deliveredAt: now, openedAt: now } : {};
    const moved = await advanceMessage(tx, message, update.status, times, failure);
    // The dispatcher already wrote "sent" when Twilio took the message: repeat it only if it changed something.
    if (update.status !== "sent" || moved || update.errorCode) {
      await recordMessageEvent(tx, { shopId: message.shopId, messageId: message.id, type, detail, reason: entry, at: now });
    }
    await carrierEffects(tx, message, update, now);
    return { ok: true as const, outcome: "recorded" as const };
  });
}

async function carrierEffects(tx: Tx, message: MessageRow, update: TwilioStatusUpdate, now: Date): Promise<void> {
  if (update.errorCode === "21610" && message.contactId) {
    await appendConsentRecord(tx, {
      shopId: message.shopId, contactId: message.contactId, channel: update.channel, state: "unsubscribed", source: CONSENT_SOURCES.carrier, recordedAt: now,
      evidence: { twilioError: "21610", messageSid: update.externalId, messageId: message.id },
    });
    await recordMessageEvent(tx, { shopId: message.shopId, messageId: message.id, type: "opted_out", reason: reason("carrier_opt_out"), at: now });
  }
  if (update.errorCode === "63016") {
    await recordMessageEvent(tx, { shopId: message.shopId, messageId: message.id, type: "whatsapp_window", reason: reason("whatsapp_window_refused"), at: now });
  }
}
