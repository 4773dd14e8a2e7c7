// Consent: may this message go to this shopper on this channel? The ledger (ConsentRecord rows)
// is append-only; the newest record per channel is the shopper's current choice.
//
// • Marketing (cart recovery, offers; review requests and surveys by default) needs explicit,
//   current consent on that very channel.
// • Transactional (order and shipping updates) needs no marketing consent, but is still
//   blocked by a suppression (hard bounce, spam complaint, invalid address) and by a STOP reply:
//   after STOP, Twilio and the carriers refuse every SMS to that number (error 21610) until the
//   shopper texts START, so trying would only fail. A STOP on WhatsApp is honoured the same way.
// • WhatsApp consent follows the SMS consent until the ledger has a WhatsApp record of its own
//   (Shopify collects SMS consent only; a phone number the shopper opted in is the same phone).
import type { Channel } from "../ports";

export type Purpose = "transactional" | "marketing";

/**
 * States written to the ledger. Shopify's (from the consent webhooks and checkouts):
 * subscribed, unsubscribed, not_subscribed, pending (double opt-in sent, not confirmed),
 * redacted, invalid. Avisa's own: granted (START, a storefront form), revoked (STOP, an
 * unsubscribe link, a carrier opt-out).
 */
export type ConsentState = "granted" | "revoked" | "subscribed" | "unsubscribed" | "not_subscribed" | "pending" | "redacted" | "invalid";

/** Where a ledger record came from. `keyword` and `carrier` are the shopper's STOP/START. */
export const CONSENT_SOURCES = {
  shopify: "shopify", // customers_*_consent/update webhooks
  checkout: "checkout", // buyer_accepts_marketing / buyer_accepts_sms_marketing
  order: "order",
  keyword: "keyword", // the shopper texted STOP / START (app/domain/consent/keywords.ts)
  carrier: "carrier", // Twilio refused a send with 21610: the number has opted out
  unsubscribeLink: "unsubscribe_link",
  storefront: "storefront",
  merchant: "merchant",
} as const;

export type ConsentRecord = { channel: string; state: ConsentState | string; source: string; recordedAt: Date };

/** What a state means for sending. Unknown states mean "no consent", never "granted". */
export type ConsentStanding = "granted" | "revoked" | "pending" | "none";

export function standingOf(state: string): ConsentStanding {
  switch (state) {
    case "granted":
    case "subscribed":
      return "granted";
    case "revoked":
    case "unsubscribed":
    case "redacted":
      return "revoked";
    case "pending":
      return "pending";
    default: // not_subscribed, invalid, anything new
      return "none";
  }
}

export type CurrentConsent = {
  channel: Channel;
  standing: ConsentStanding;
  /** The record that decided it; null when the ledger has nothing for the channel. */
  record: ConsentRecord | null;
  /** The shopper replied STOP on this channel and has not replied START since. */
  stopped: boolean;
  /** When that STOP was recorded. */
  stoppedAt: Date | null;
  /** Set when WhatsApp had no records of its own and follows SMS. */
  followsSms: boolean;
};

/**
 * The shopper's current consent on `channel`: the latest record wins; records with the same
 * time are taken in the order given (the later one wins), as the ledger appends them.
 */
export function currentConsent(records: readonly ConsentRecord[], channel: Channel): CurrentConsent {
  const own = inLedgerOrder(records.filter((record) => record.channel === channel));
  if (channel === "whatsapp" && own.length === 0) {
    const sms = currentConsent(records, "sms");
    // The SMS consent carries over; an SMS STOP does not block WhatsApp (a different sender).
    return { ...sms, channel: "whatsapp", stopped: false, stoppedAt: null, followsSms: true };
  }
  const latest = own[own.length - 1] ?? null;
  const stop = activeStop(own);
  return {
    channel,
    standing: latest ? standingOf(latest.state) : "none",
    record: latest,
    stopped: stop !== null,
    stoppedAt: stop?.recordedAt ?? null,
    followsSms: false,
  };
}

function inLedgerOrder(records: ConsentRecord[]): ConsentRecord[] {
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.recordedAt.getTime() - b.record.recordedAt.getTime() || a.index - b.index)
    .map(({ record }) => record);
}

/**
 * The STOP still in force, if any. Only the shopper's own START lifts it: a later Shopify
 * "subscribed" does not lift the carrier's block, so it does not lift ours either.
 */
function activeStop(ordered: ConsentRecord[]): ConsentRecord | null {
  let stop: ConsentRecord | null = null;
  for (const record of ordered) {
    const standing = standingOf(record.state);
    const byShopper = record.source === CONSENT_SOURCES.keyword || record.source === CONSENT_SOURCES.carrier;
    if (byShopper && standing === "revoked") stop ??= record;
    if (record.source === CONSENT_SOURCES.keyword && standing === "granted") stop = null;
  }
  return stop;
}

/** The ledger record to append for an inbound STOP or START keyword. */
export function consentRecordForKeyword(kind: "opt_out" | "opt_in", channel: "sms" | "whatsapp", at: Date): ConsentRecord {
  return { channel, state: kind === "opt_out" ? "revoked" : "granted", source: CONSENT_SOURCES.keyword, recordedAt: at };
}

/**
 * Whether review requests (and their reminders) need marketing consent. Default 'marketing':
 * a request to review a product promotes the store, and in the EU/UK (ePrivacy/PECR) and under
 * the US TCPA for texts such messages are generally treated as marketing. Some jurisdictions
 * (e.g. CAN-SPAM's "transactional or relationship" messages for email) allow them as part of
 * the purchase; the merchant can declare that, at their own responsibility.
 */
export type ConsentPolicySettings = { reviewRequests: "marketing" | "transactional" };

export const DEFAULT_CONSENT_POLICY: ConsentPolicySettings = { reviewRequests: "marketing" };

/** The purpose of a review request under the merchant's policy. */
export function reviewRequestPurpose(policy?: Partial<ConsentPolicySettings> | null): Purpose {
  return (policy?.reviewRequests ?? DEFAULT_CONSENT_POLICY.reviewRequests) === "transactional" ? "transactional" : "marketing";
}

/** A channel address Avisa must not send to at all (set from provider events). */
export type Suppression = {
  reason: "hard_bounce" | "spam_complaint" | "invalid_address" | "blocked";
  since?: Date | null;
  /** What the provider said, e.g. "550 5.1.1 mailbox does not exist". */
  detail?: string | null;
};

export type CanSendInput = {
  channel: Channel;
  /** 'review_request' is resolved with the policy to 'marketing' or 'transactional'. */
  purpose: Purpose | "review_request";
  consent: CurrentConsent;
  suppressed?: Suppression | null | false;
  policy?: Partial<ConsentPolicySettings> | null;
};

export type CanSend = { allowed: true } | { allowed: false; reason: string };

/** ARCHITECTURE's ConsentPolicy.canSend: a result with a merchant-readable reason, never an exception. */
export function canSend(input: CanSendInput): CanSend {
  const { channel, consent } = input;
  if (input.suppressed) return { allowed: false, reason: suppressionReason(channel, input.suppressed) };

  if (consent.stopped && channel !== "email") {
    const when = consent.stoppedAt ? ` on ${day(consent.stoppedAt)}` : "";
    return channel === "sms"
      ? { allowed: false, reason: `The shopper replied STOP to your texts${when}. Carriers refuse every SMS to them until they text START.` }
      : { allowed: false, reason: `The shopper asked to stop WhatsApp messages (replied STOP)${when}. Nothing is sent on WhatsApp until they reply START.` };
  }

  const isReview = input.purpose === "review_request";
  const purpose = isReview ? reviewRequestPurpose(input.policy) : input.purpose;
  if (purpose === "transactional") return { allowed: true };
  if (consent.standing === "granted") return { allowed: true };

  const prefix = isReview ? "Review requests count as marketing in your settings, and " : "";
  // WhatsApp without a choice of its own is decided by the SMS consent: say so.
  const what = `marketing ${CHANNEL_NOUNS[consent.followsSms ? "sms" : channel]}`;
  const follows = consent.followsSms ? "; WhatsApp follows their SMS consent" : "";
  const source = consent.record ? ` (${CONSENT_SOURCE_NAMES[consent.record.source] ?? consent.record.source})` : "";
  switch (consent.standing) {
    case "revoked":
      return { allowed: false, reason: capitalise(`${prefix}the shopper unsubscribed from ${what} on ${day(consent.record!.recordedAt)}${source}${follows}.`) };
    case "pending":
      return { allowed: false, reason: capitalise(`${prefix}the shopper has not yet confirmed their subscription to ${what} (double opt-in pending)${follows}.`) };
    default:
      return { allowed: false, reason: capitalise(`${prefix}the shopper has not agreed to receive ${what}${follows}.`) };
  }
}

/** How a channel's messages are named in English reasons (also app/domain/messages/message-reason.ts). */
export const CHANNEL_NOUNS: Record<Channel, string> = { email: "emails", sms: "text messages", whatsapp: "WhatsApp messages" };

/** Where a consent change came from, in English reasons (also app/domain/messages/message-reason.ts). */
export const CONSENT_SOURCE_NAMES: Record<string, string> = {
  shopify: "recorded in Shopify",
  checkout: "at checkout",
  order: "with an order",
  keyword: "replied STOP",
  carrier: "opted out with their carrier",
  unsubscribe_link: "unsubscribe link",
  storefront: "storefront form",
  merchant: "changed by the store",
};

function suppressionReason(channel: Channel, suppression: Suppression): string {
  const address = channel === "email" ? "email address" : "phone number";
  const since = suppression.since ? ` on ${day(suppression.since)}` : "";
  const detail = suppression.detail ? ` (${suppression.detail})` : "";
  switch (suppression.reason) {
    case "hard_bounce":
      return `The ${address} bounced permanently${since}${detail}. Correct it on the customer to send again.`;
    case "spam_complaint":
      return `The shopper marked a message as spam${since}, so no more ${CHANNEL_NOUNS[channel]} are sent to them.`;
    case "invalid_address":
      return `The ${address} is not valid${detail}. Correct it on the customer to send again.`;
    case "blocked":
      return `The ${address} is blocked by the provider${since}${detail}.`;
  }
}

function day(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
