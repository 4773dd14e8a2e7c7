// A shopper wrote to a store's Twilio number (SMS or WhatsApp). After the signature check:
//   • STOP-like keywords (any language in app/domain/consent/keywords.ts, or Twilio's own
//     OptOutType) revoke consent on that channel; START grants it again; HELP answers.
//     The confirmation goes back as TwiML in the shopper's language — unless Twilio already
//     answered it (OptOutType present: Advanced Opt-Out replied with the merchant's text).
//   • Anything else is a conversation for the inbox (inbox.server.ts): it joins the shopper's
//     related ticket or opens a new one, which schedules the merchant alert.
//   • Any WhatsApp message opens the 24-hour free-form window (Contact.lastWhatsappInboundAt).
//
// Which shop: the one whose own sender (Settings > smsFrom / whatsappFrom, a number or a
// Messaging Service SID) received it; else, if it reached the app-level TWILIO_SMS_FROM /
// TWILIO_WHATSAPP_FROM, the installed shop using that number — when several shops share it,
// only the shops that already know this phone number: a keyword applies to each of them (Twilio
// blocks a STOPped number per sender, so every store on that number loses it), a conversation
// only when exactly one shop knows the shopper. Anything else is logged and answered empty.
import { consentRecordForKeyword } from "../../domain/consent/consent-policy";
import { classifyInbound, keywordOf, keywordReply, type InboundKind } from "../../domain/consent/keywords";
import { normalisePhone } from "../../domain/contacts/phone";
import { findOrderNumbers } from "../../domain/inbox/order-number";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import { services } from "../container.server";
import type { Database } from "../db.server";
import { parseInboundMessage, type InboundMessage } from "../providers/twilio/twilio-callbacks.server";
import { addToInbox, type InboxOutcome } from "./inbox.server";
import {
  appendConsentRecord,
  authenticateTwilio,
  shopsForTwilioNumber,
  withoutChannelPrefix,
  type DeliveryDependencies,
  type TwilioRequest,
  type TwilioShop,
} from "./record-delivery.server";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
type ContactRow = Awaited<ReturnType<Database["contact"]["findUniqueOrThrow"]>>;

/** Opt-out words that may also mean "cancel my order": recorded as opt-outs and shown in the inbox. */
const ALSO_A_REQUEST = new Set(["CANCEL", "CANCELAR"]);

const TWILIO_OPT_OUT_TYPES: Partial<Record<string, Exclude<InboundKind, "message">>> = { STOP: "opt_out", START: "opt_in", HELP: "help" };

export type InboundOutcome =
  | { ok: false; reason: "forbidden" | "bad_request"; error: string }
  | {
      ok: true;
      kind: InboundKind;
      /** The text to answer with in TwiML; null for an empty <Response/>. */
      reply: string | null;
      /** Shops the message was recorded for (none: no shop uses the number, or it was ambiguous). */
      shopIds: string[];
      ticketId?: string;
      newTicket?: boolean;
      duplicate?: boolean;
    };

export async function receiveInbound(request: TwilioRequest, deps: DeliveryDependencies = defaults()): Promise<InboundOutcome> {
  const { database, clock, logger } = deps;
  const { params } = request;
  const channel = /^whatsapp:/i.test(params.From ?? "") ? "whatsapp" : "sms";
  const candidates = await shopsForTwilioNumber(database, { number: withoutChannelPrefix(params.To), messagingServiceSid: params.MessagingServiceSid, channel });
  const auth = authenticateTwilio(request, candidates);
  if (!auth.ok) return { ok: false, reason: "forbidden", error: auth.error };
  const now = clock.now();
  const parsed = parseInboundMessage(params, now);
  if (!parsed.ok) return { ok: false, reason: "bad_request", error: parsed.error };
  const inbound = parsed.value;

  const kind: InboundKind = TWILIO_OPT_OUT_TYPES[(params.OptOutType ?? "").toUpperCase()] ?? classifyInbound(inbound.body);
  const twilioAnswered = !!params.OptOutType;
  const phone = normalisePhone(inbound.from);
  const from = { e164: phone.ok ? phone.value : inbound.from, country: phone.ok ? phone.country : null };

  let shops = auth.shops;
  if (shops.length > 1) shops = await shopsKnowing(database, shops, from.e164);
  const routable = kind === "message" ? shops.length === 1 : shops.length > 0;
  if (!routable) {
    logger.warn("inbound message for no single shop", { channel, kind, candidates: auth.shops.length, known: shops.length });
    return { ok: true, kind, reply: kind !== "message" && !twilioAnswered ? keywordReply(kind, null, "") : null, shopIds: [] };
  }

  let outcome: Extract<InboundOutcome, { ok: true }> = { ok: true, kind, reply: null, shopIds: [] };
  for (const shop of shops) {
    const result = await database.$transaction((tx) => receiveForShop(tx, shop, inbound, kind, from, now, deps));
    outcome = {
      ...outcome,
      shopIds: [...outcome.shopIds, shop.id],
      ...(result.ticketId ? { ticketId: result.ticketId, newTicket: result.newTicket } : {}),
      ...(result.duplicate ? { duplicate: true } : {}),
    };
    if (kind !== "message" && !twilioAnswered && outcome.reply === null) {
      // One answer: in the shopper's language, signed by the store (generic when several share the number).
      outcome.reply = keywordReply(kind, result.locale, shops.length === 1 ? shop.name : "", { helpContact: result.helpContact });
    }
  }
  return outcome;
}

const defaults = (): DeliveryDependencies => {
  const { database, clock, logger } = services();
  return { database, clock, logger };
};

/** Of the shops sharing the app-level number, those that already have a contact with this phone. */
async function shopsKnowing(database: Database, shops: TwilioShop[], phone: string): Promise<TwilioShop[]> {
  const known = await database.contact.findMany({ where: { shopId: { in: shops.map((shop) => shop.id) }, phone }, select: { shopId: true }, distinct: ["shopId"] });
  const ids = new Set(known.map((row) => row.shopId));
  return shops.filter((shop) => ids.has(shop.id));
}

type ShopResult = { locale: string | null; helpContact: string | null; ticketId?: string; newTicket?: boolean; duplicate?: boolean };

async function receiveForShop(
  tx: Tx, shop: TwilioShop, inbound: InboundMessage, kind: InboundKind, from: { e164: string; country: string | null }, now: Date, deps: DeliveryDependencies,
): Promise<ShopResult> {
  const settings = parseShopSettings(shop.settings);
  const found = await findOrCreateContact(tx, shop.id, from);
  // Locks the contact for this transaction: a retried delivery or a second message sent right
  // after waits here, then sees what the first wrote (one ticket, one TicketMessage per MessageSid).
  const contact = await tx.contact.update({ where: { id: found.id }, data: { updatedAt: now } });
  const result: ShopResult = { locale: contact.locale ?? shop.primaryLocale, helpContact: settings.sender.replyTo ?? shop.email ?? null };

  if (inbound.channel === "whatsapp" && (!contact.lastWhatsappInboundAt || contact.lastWhatsappInboundAt < inbound.receivedAt)) {
    await tx.contact.update({ where: { id: contact.id }, data: { lastWhatsappInboundAt: inbound.receivedAt } });
  }

  if (kind === "opt_out" || kind === "opt_in") {
    const seen = await tx.consentRecord.findFirst({ where: { shopId: shop.id, contactId: contact.id, evidence: { contains: inbound.externalId } }, select: { id: true } });
    if (seen) result.duplicate = true;
    else {
      const record = consentRecordForKeyword(kind, inbound.channel, inbound.receivedAt);
      await appendConsentRecord(tx, {
        shopId: shop.id, contactId: contact.id, channel: inbound.channel, state: record.state, source: record.source, recordedAt: record.recordedAt,
        evidence: { messageSid: inbound.externalId, body: inbound.body.slice(0, 160), to: inbound.to },
      });
    }
  }

  if (kind === "message" || (kind === "opt_out" && ALSO_A_REQUEST.has(keywordOf(inbound.body)))) {
    Object.assign(result, await addInboundToInbox(tx, shop, contact, inbound, now, deps));
  }
  return result;
}

/** The shop's contact with this phone (E.164, or written another way), else a new one. */
async function findOrCreateContact(tx: Tx, shopId: string, from: { e164: string; country: string | null }): Promise<ContactRow> {
  const exact = await tx.contact.findFirst({ where: { shopId, phone: from.e164 }, orderBy: { createdAt: "asc" } });
  if (exact) return exact;
  const digits = from.e164.replace(/\D/g, "");
  if (digits.length >= 7) {
    // Phones Shopify gave us in a local format ("(305) 555-0142"): compare their E.164 forms.
    const similar = await tx.contact.findMany({ where: { shopId, phone: { endsWith: digits.slice(-4) } }, orderBy: { createdAt: "asc" }, take: 50 });
    const match = similar.find((contact) => {
      const normalised = normalisePhone(contact.phone, contact.countryCode);
      return normalised.ok && normalised.value === from.e164;
    });
    if (match) return match;
  }
  return tx.contact.create({ data: { shopId, phone: from.e164, countryCode: from.country } });
}

function addInboundToInbox(
  tx: Tx, shop: TwilioShop, contact: ContactRow, inbound: InboundMessage, now: Date, deps: DeliveryDependencies,
): Promise<InboxOutcome> {
  const body = [inbound.body.trim(), ...inbound.mediaUrls.map((url) => `[attachment] ${url}`)].filter(Boolean).join("\n");
  return addToInbox(tx, {
    shopId: shop.id, contact, channel: inbound.channel, body, fromAddress: contact.phone ?? inbound.from,
    fromName: inbound.profileName ?? null, externalId: inbound.externalId, orderNames: findOrderNumbers(inbound.body), phone: contact.phone ?? inbound.from, now,
  }, deps);
}
