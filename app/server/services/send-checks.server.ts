// The rules applied to a templated message just before it is sent, in order. Each reads the
// current state (the shopper may have bought, unsubscribed or written back since scheduling) and
// asks the pure domain rules for a verdict: cancel, skip (with a reason the merchant sees),
// route (which channel and address), or defer (quiet hours, frequency cap) — never drop.
import { chooseChannel, isWhatsappWindowOpen } from "../../domain/automations/evaluate";
import { canSend, currentConsent, type CanSend, type CanSendInput, type ConsentRecord, type Suppression } from "../../domain/consent/consent-policy";
import { normalisePhone } from "../../domain/contacts/phone";
import { englishReason, reason, type MessageReason } from "../../domain/messages/message-reason";
import { consentRefusal, frequencyCapReason, noChannelReason, quietHoursReason } from "../../domain/messages/reason-builders";
import type { Channel } from "../../domain/ports";
import { frequencyCapVerdict, type FrequencyCapInput } from "../../domain/scheduling/frequency-cap";
import { quietHoursVerdict } from "../../domain/scheduling/quiet-hours";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import type { Database } from "../db.server";
import type { MessageRow, SendTimeCheck } from "./dispatch-message.server";
import { INBOX_REPLY } from "./inbox.server";
import type { MessageVariables } from "./message-context.server";

const SENT_STATUSES = ["sent", "delivered", "opened", "clicked"];
const variablesOf = (message: MessageRow) => JSON.parse(message.variables) as MessageVariables;
const channelsOf = (message: MessageRow): Channel[] => {
  const channels = JSON.parse(message.channels) as Channel[];
  return channels.length ? channels : [message.channel as Channel];
};

/** What the automation said would make the message pointless: a purchase, a cancellation, a review. */
export function stillWantedCheck(database: Database): SendTimeCheck {
  return async (message) => {
    if (!message.messageType) return { verdict: "send" };
    const conditions = variablesOf(message).cancelWhen ?? [];
    const order = message.orderId ? await database.order.findFirst({ where: { id: message.orderId, shopId: message.shopId } }) : null;
    if (conditions.includes("order_cancelled") && order) {
      if (order.cancelledAt) return { verdict: "skip", reason: reason("order_cancelled", { order: order.name }) };
      if (order.financialStatus === "refunded") return { verdict: "skip", reason: reason("order_refunded", { order: order.name }) };
      if (order.financialStatus === "voided") return { verdict: "skip", reason: reason("order_voided", { order: order.name }) };
    }
    if (message.automation === "review_request" && order) {
      if (conditions.includes("review_submitted")) {
        const review = await database.review.findFirst({ where: { shopId: message.shopId, shopifyOrderId: order.shopifyOrderId } });
        if (review) return { verdict: "skip", reason: reason("already_reviewed") };
      }
      if (message.contactId) {
        const ticket = await database.ticket.findFirst({ where: { shopId: message.shopId, contactId: message.contactId, status: { in: ["open", "pending"] } } });
        if (ticket) return { verdict: "skip", reason: reason("open_conversation") };
      }
      if (message.step > 1) {
        // A reminder only follows a request that actually went out.
        const first = await database.message.findFirst({ where: { shopId: message.shopId, automation: message.automation, orderId: message.orderId, step: 1 } });
        if (!first || !SENT_STATUSES.includes(first.status)) return { verdict: "skip", reason: reason("first_request_not_sent") };
      }
    }
    return { verdict: "send" };
  };
}

/**
 * Picks the channel along the automation's order: an address, consent for the purpose, no
 * suppression, a valid phone number, and for WhatsApp the 24-hour window or an approved template.
 * Merchant alerts go to the store's own address and need no shopper consent.
 */
export function routeCheck(database: Database): SendTimeCheck {
  return async (message, now, shop) => {
    if (!message.messageType) return { verdict: "send" };
    if (!shop) return { verdict: "cancel", reason: reason("shop_data_gone") };
    const settings = parseShopSettings(shop.settings);
    const channels = channelsOf(message);

    if (!message.contactId) {
      const to = variablesOf(message).to;
      for (const channel of channels) {
        const address = channel === "email" ? (to?.email ?? settings.merchantAlerts.email ?? shop.email) : (to?.phone ?? settings.merchantAlerts.phone);
        if (address) return { verdict: "route", channel, to: address };
      }
      return { verdict: "skip", reason: reason("no_alert_address") };
    }

    const contact = await database.contact.findFirst({ where: { id: message.contactId, shopId: message.shopId } });
    if (!contact) return { verdict: "skip", reason: reason("contact_erased") };
    const records: ConsentRecord[] = await database.consentRecord.findMany({
      where: { shopId: message.shopId, contactId: contact.id },
      orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
      select: { channel: true, state: true, source: true, recordedAt: true },
    });
    const phone = contact.phone ? normalisePhone(contact.phone, contact.countryCode) : null;
    const suppressions = await database.suppression.findMany({
      where: { shopId: message.shopId, OR: [...(contact.email ? [{ channel: "email", address: contact.email }] : []), ...(phone?.ok ? [{ channel: "sms", address: phone.value }] : [])] },
    });
    const suppressionFor = (channel: Channel): Suppression | null => {
      const found = suppressions.find((row) => row.channel === (channel === "email" ? "email" : "sms"));
      return found ? { reason: found.reason as Suppression["reason"], since: found.createdAt } : null;
    };
    // The same decision twice: as the domain words it (to choose), and as a reason (to show why not).
    const consentInput = (channel: Channel): CanSendInput => ({
      channel,
      purpose: message.automation === "review_request" ? "review_request" : (message.purpose as "transactional" | "marketing"),
      consent: currentConsent(records, channel),
      suppressed: suppressionFor(channel),
      policy: settings.consentPolicy,
    });
    const refusalFor = (channel: Channel): MessageReason | null => {
      if (channel !== "email" && phone && !phone.ok) return reason("invalid_phone", { phone: contact.phone!, problem: phone.error });
      return consentRefusal(consentInput(channel));
    };
    const consentFor = (channel: Channel): CanSend => {
      const refusal = refusalFor(channel);
      if (refusal?.code === "invalid_phone") return { allowed: false, reason: englishReason(refusal) };
      return canSend(consentInput(channel));
    };
    const routing = {
      channels,
      contact: { email: contact.email, phone: contact.phone },
      whatsappWindowOpen: isWhatsappWindowOpen(contact.lastWhatsappInboundAt, now),
      whatsappTemplateAvailable: Boolean(settings.whatsappTemplates[message.messageType]),
    };
    const choice = chooseChannel({ ...routing, consentFor });
    if ("none" in choice) {
      const why = noChannelReason({ ...routing, refusalFor }) ?? reason("no_usable_channel", { refusals: [] });
      return { verdict: "skip", reason: why, text: choice.none };
    }
    const to = choice.channel === "email" ? contact.email! : (phone as { ok: true; value: string }).value;
    return { verdict: "route", channel: choice.channel, to, whatsappMode: choice.whatsapp };
  };
}

/**
 * SMS and WhatsApp wait for the recipient's daytime (state rules where stricter). The order
 * confirmation is exempt: the shopper has just bought and is waiting for it. So is the merchant's
 * answer to a shopper who wrote in the last hour: they are awake and waiting for it.
 */
export function quietHoursCheck(database: Database): SendTimeCheck {
  return async (message, now, shop) => {
    if (message.channel === "email" || message.automation === "order_confirmation" || !shop) return { verdict: "send" };
    if (message.automation === INBOX_REPLY && shopperIsWaiting(message, now)) return { verdict: "send" };
    const contact = message.contactId ? await database.contact.findFirst({ where: { id: message.contactId, shopId: message.shopId } }) : null;
    const verdict = quietHoursVerdict({
      now,
      channel: message.channel as Channel,
      recipient: contact
        ? { timeZone: contact.timeZone, countryCode: contact.countryCode, provinceCode: contact.provinceCode, phone: message.recipient ?? contact.phone }
        : { timeZone: shop.timeZone },
      shopTimeZone: shop.timeZone,
      window: parseShopSettings(shop.settings).quietHours,
    });
    return verdict.allowed ? { verdict: "send" } : { verdict: "defer", until: verdict.until, reason: quietHoursReason(verdict), text: verdict.reason };
  };
}

const CONVERSATION_MS = 60 * 60 * 1000;
function shopperIsWaiting(message: MessageRow, now: Date): boolean {
  const wroteAt = (JSON.parse(message.variables) as { shopperWroteAt?: string | null }).shopperWroteAt;
  return !!wroteAt && now.getTime() - Date.parse(wroteAt) < CONVERSATION_MS;
}

/** Marketing messages respect the per-contact caps across channels; over the cap means later, not never. */
export function frequencyCapCheck(database: Database): SendTimeCheck {
  return async (message, now, shop) => {
    if (message.purpose !== "marketing" || !message.contactId || !shop) return { verdict: "send" };
    const caps = parseShopSettings(shop.settings).frequencyCaps;
    const since = new Date(now.getTime() - 31 * 24 * 60 * 60 * 1000);
    const recent = await database.message.findMany({
      where: { shopId: message.shopId, contactId: message.contactId, purpose: "marketing", sentAt: { gte: since }, id: { not: message.id } },
      select: { channel: true, purpose: true, sentAt: true },
    });
    const input: FrequencyCapInput = {
      now,
      channel: message.channel as Channel,
      purpose: "marketing",
      caps,
      recentSends: recent.map((row) => ({ channel: row.channel as Channel, purpose: row.purpose, sentAt: row.sentAt! })),
    };
    const verdict = frequencyCapVerdict(input);
    return verdict.allowed ? { verdict: "send" } : { verdict: "defer", until: verdict.until, reason: frequencyCapReason(input, verdict.until), text: verdict.reason };
  };
}
