// Why a message stands where it is (deferred, skipped, cancelled, failed, unknown) and what its
// timeline entries say, as data: a stable `code` with `params`. Avisa stores the code and params
// beside the English sentence (Message.statusReasonCode/Params, errorCode/Params,
// MessageEvent.reasonCode/Params); logs, exports and the old text columns keep the English
// (`englishReason`), and the admin shows the code in the merchant's language (`reasonText` →
// locale keys "messageReasons.*", resolved by app/components/message-reason.tsx).
//
// Words a vendor wrote (a provider's refusal, a bounce detail) stay verbatim inside params and
// are shown as the vendor's words. Rows written before codes existed have only the English.
//
// Where a domain rule already words its own refusal (consent, channel choice, frequency cap),
// ./reason-builders.ts re-states the same decision as data and `englishReason` reproduces the
// rule's sentence exactly (tests/unit/message-reason.test.ts holds the two together). This file
// imports no rules, so the admin's browser bundle gets only the words.
import { CHANNEL_NOUNS, CONSENT_SOURCE_NAMES } from "../consent/consent-policy";
import type { Channel } from "../ports";

/** An instant, ISO 8601 in UTC. */
export type Instant = string;
/** A UTC calendar day, YYYY-MM-DD. */
export type Day = string;
type NoParams = Record<string, never>;
export type Address = "email" | "phone";
export type ConsentParams = {
  /** The channel whose consent decided it (SMS when WhatsApp follows the SMS consent). */
  channel: Channel;
  /** A review request, counted as marketing by the merchant's policy. */
  review: boolean;
  /** WhatsApp has no consent of its own and follows SMS. */
  followsSms: boolean;
};

export type ReasonParams = {
  // ——— re-checked at send time: the message is no longer wanted
  order_cancelled: { order: string };
  order_refunded: { order: string };
  order_voided: { order: string };
  already_reviewed: NoParams;
  open_conversation: NoParams;
  first_request_not_sent: NoParams;
  already_bought: NoParams;
  already_bought_order: { order: string };
  shop_uninstalled: NoParams;
  // ——— cancelled by what happened in the store or by the shopper, before the send
  /** The checkout's order arrived (Avisa's own wording since the start: "the shopper bought"). */
  bought_order: { order: string };
  checkout_completed: NoParams;
  unsubscribed_by_link: NoParams;
  // ——— no address or channel may be used
  shop_data_gone: NoParams;
  no_alert_address: NoParams;
  contact_erased: NoParams;
  no_channel_in_step: NoParams;
  /** Every channel of the step, in order, and why it could not be used. */
  no_usable_channel: { refusals: ChannelRefusal[] };
  // ——— one channel's refusal (inside no_usable_channel)
  no_email_address: NoParams;
  no_phone_number: NoParams;
  /** `problem`: what the phone check said (English). */
  invalid_phone: { phone: string; problem: string };
  /** `detail`: what the provider said, verbatim. */
  address_bounced: { address: Address; since: Day | null; detail: string | null };
  spam_complaint: { channel: Channel; since: Day | null };
  address_invalid: { address: Address; detail: string | null };
  address_blocked: { address: Address; since: Day | null; detail: string | null };
  sms_stopped: { since: Day | null };
  whatsapp_stopped: { since: Day | null };
  /** `source`: where the unsubscription came from (CONSENT_SOURCES), when known. */
  consent_revoked: ConsentParams & { on: Day; source: string | null };
  consent_pending: ConsentParams;
  consent_missing: ConsentParams;
  whatsapp_window_closed: NoParams;
  // ——— later, not never
  /** `until`: the first allowed minute, shown in the recipient's `zone`. */
  quiet_hours: { zone: string; until: Instant };
  /** `pooled`: the channels that share the cap; `sentAt`: the sends it counted; `now`: when it was checked. */
  frequency_cap: { count: number; periodHours: number; pooled: Channel[]; sentAt: Instant[]; until: Instant; now: Instant };
  // ——— the send itself
  interrupted: NoParams;
  /** `error`: why composing failed (Avisa's or the template engine's words). */
  compose_failed: { error: string };
  /** `error`: the provider's words, verbatim; `provider`: which provider (null: not known). */
  provider_error: { provider: string | null; error: string };
  // ——— timeline only
  channel_switched: { from: Channel; to: Channel };
  // ——— what the vendors reported after the send (SendGrid's Event Webhook, Twilio's status
  // callbacks). `detail`, `email`, `url`, `status` and a vendor's `error` are their words, verbatim.
  sendgrid_processed: NoParams;
  sendgrid_deferred: { detail: string | null };
  sendgrid_delivered: { email: string; detail: string | null };
  sendgrid_opened: NoParams;
  sendgrid_clicked: { url: string | null };
  sendgrid_bounced: { email: string; detail: string | null };
  sendgrid_blocked: { detail: string | null };
  sendgrid_dropped: { detail: string | null };
  sendgrid_spam_report: { email: string };
  sendgrid_unsubscribe: NoParams;
  sendgrid_group_unsubscribe: NoParams;
  sendgrid_group_resubscribe: NoParams;
  /**
   * A Twilio status callback, as its timeline entry. `status`: Twilio's status name; `error`: what
   * the error code means — Twilio's ErrorMessage when `vendorWords`, else Avisa's English.
   */
  twilio_status: { status: string } & TwilioErrorParams<string | null>;
  /** Why Twilio failed the message, by its error code (same `error` and `vendorWords` as above). */
  twilio_error: TwilioErrorParams<string>;
  /** Twilio failed the message without an error code. */
  twilio_failed_status: { status: string };
  /** Twilio error 21610 on a status callback: the shopper's STOP was recorded in their consent. */
  carrier_opt_out: NoParams;
  /** Twilio error 63016: a free-form WhatsApp message outside the 24-hour window. */
  whatsapp_window_refused: NoParams;
};

type TwilioErrorParams<Code extends string | null> = { errorCode: Code; error: Code; vendorWords: boolean };

export type ReasonCode = keyof ReasonParams;
export type MessageReason = { [C in ReasonCode]: { code: C; params: ReasonParams[C] } }[ReasonCode];
export type ChannelRefusal = { channel: Channel; reason: MessageReason };

const CODES: { [C in ReasonCode]: true } = {
  order_cancelled: true, order_refunded: true, order_voided: true, already_reviewed: true, open_conversation: true,
  first_request_not_sent: true, already_bought: true, already_bought_order: true, shop_uninstalled: true,
  shop_data_gone: true, no_alert_address: true, contact_erased: true, no_channel_in_step: true, no_usable_channel: true,
  no_email_address: true, no_phone_number: true, invalid_phone: true, address_bounced: true, spam_complaint: true,
  address_invalid: true, address_blocked: true, sms_stopped: true, whatsapp_stopped: true, consent_revoked: true,
  consent_pending: true, consent_missing: true, whatsapp_window_closed: true, quiet_hours: true, frequency_cap: true,
  interrupted: true, compose_failed: true, provider_error: true, channel_switched: true,
  bought_order: true, checkout_completed: true, unsubscribed_by_link: true,
  sendgrid_processed: true, sendgrid_deferred: true, sendgrid_delivered: true, sendgrid_opened: true, sendgrid_clicked: true,
  sendgrid_bounced: true, sendgrid_blocked: true, sendgrid_dropped: true, sendgrid_spam_report: true, sendgrid_unsubscribe: true,
  sendgrid_group_unsubscribe: true, sendgrid_group_resubscribe: true, twilio_status: true, twilio_error: true,
  twilio_failed_status: true, carrier_opt_out: true, whatsapp_window_refused: true,
};
/** Every code Avisa writes. */
export const REASON_CODES = Object.keys(CODES) as ReasonCode[];

export const isReasonCode = (value: unknown): value is ReasonCode => typeof value === "string" && Object.hasOwn(CODES, value);

/** Builds a reason with its params checked against the code. */
export function reason<C extends ReasonCode>(code: C, ...params: ReasonParams[C] extends NoParams ? [] : [ReasonParams[C]]): MessageReason {
  return { code, params: params[0] ?? {} } as MessageReason;
}

// ———————————————————————————————————————————————————————— English

const INTERRUPTED =
  "The app stopped while the provider call was under way, so it is not known whether the shopper got this message. It will not be re-sent automatically.";
const CHANNEL_NAMES: Record<Channel, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp" };
const ADDRESS_NOUNS: Record<Address, string> = { email: "email address", phone: "phone number" };

const on = (day: Day | null) => (day ? ` on ${day}` : "");
/** A vendor's reason after a colon, as the delivery callbacks have always written it. */
const said = (text: string | null) => (text ? `: ${text}` : "");
const CARRIER_OPT_OUT = "The shopper has replied STOP to this number: recorded in their consent, nothing more is texted to them until they reply START.";
const WHATSAPP_WINDOW =
  "WhatsApp refused a free-form message: the shopper has not written to the store in the last 24 hours. Outside that window only approved WhatsApp templates can be sent: add one for this message type in Settings > WhatsApp templates.";
const inParens = (text: string | null) => (text ? ` (${text})` : "");
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** A refusal inside "No channel can be used.": a sentence of its own. */
const sentence = (text: string) => (/[.!]$/.test(text) ? text : `${text}.`);

function consentEnglish(params: ConsentParams, middle: string): string {
  const prefix = params.review ? "Review requests count as marketing in your settings, and " : "";
  const follows = params.followsSms ? "; WhatsApp follows their SMS consent" : "";
  return capitalise(`${prefix}${middle.replace("{what}", `marketing ${CHANNEL_NOUNS[params.channel]}`)}${follows}.`);
}

/** The reason in English, as Avisa has always written it (logs, exports, the statusReason column). */
export function englishReason(reason: MessageReason): string {
  switch (reason.code) {
    case "order_cancelled": return `order ${reason.params.order} was cancelled`;
    case "order_refunded": return `order ${reason.params.order} was refunded`;
    case "order_voided": return `order ${reason.params.order} was voided`;
    case "already_reviewed": return "the shopper already reviewed this order";
    case "open_conversation": return "the shopper has an open conversation with the store; asking for a review now would be tone-deaf";
    case "first_request_not_sent": return "the first review request was not sent, so there is nothing to remind of";
    case "already_bought": return "the shopper already bought";
    case "already_bought_order": return `the shopper already bought (order ${reason.params.order})`;
    case "shop_uninstalled": return "the store uninstalled Avisa";
    case "shop_data_gone": return "the store's data is gone";
    case "no_alert_address": return "the store has no alert address: add one in Settings";
    case "contact_erased": return "the shopper's details were erased";
    case "no_channel_in_step": return "The step has no channel.";
    case "no_usable_channel":
      return `No channel can be used. ${reason.params.refusals.map((refusal) => sentence(`${CHANNEL_NAMES[refusal.channel]}: ${englishReason(refusal.reason)}`)).join(" ")}`;
    case "no_email_address": return "no email address on the contact";
    case "no_phone_number": return "no phone number on the contact";
    case "invalid_phone": return `the phone number ${reason.params.phone} is not valid (${reason.params.problem})`;
    case "address_bounced": {
      const { address, since, detail } = reason.params;
      return `The ${ADDRESS_NOUNS[address]} bounced permanently${on(since)}${inParens(detail)}. Correct it on the customer to send again.`;
    }
    case "spam_complaint": return `The shopper marked a message as spam${on(reason.params.since)}, so no more ${CHANNEL_NOUNS[reason.params.channel]} are sent to them.`;
    case "address_invalid": return `The ${ADDRESS_NOUNS[reason.params.address]} is not valid${inParens(reason.params.detail)}. Correct it on the customer to send again.`;
    case "address_blocked": {
      const { address, since, detail } = reason.params;
      return `The ${ADDRESS_NOUNS[address]} is blocked by the provider${on(since)}${inParens(detail)}.`;
    }
    case "sms_stopped": return `The shopper replied STOP to your texts${on(reason.params.since)}. Carriers refuse every SMS to them until they text START.`;
    case "whatsapp_stopped": return `The shopper asked to stop WhatsApp messages (replied STOP)${on(reason.params.since)}. Nothing is sent on WhatsApp until they reply START.`;
    case "consent_revoked": {
      const { source } = reason.params;
      const from = source ? ` (${CONSENT_SOURCE_NAMES[source] ?? source})` : "";
      return consentEnglish(reason.params, `the shopper unsubscribed from {what} on ${reason.params.on}${from}`);
    }
    case "consent_pending": return consentEnglish(reason.params, "the shopper has not yet confirmed their subscription to {what} (double opt-in pending)");
    case "consent_missing": return consentEnglish(reason.params, "the shopper has not agreed to receive {what}");
    case "whatsapp_window_closed": return "the shopper has not written in the last 24 hours and there is no approved WhatsApp template for this message";
    case "quiet_hours": return `Quiet hours (${reason.params.zone}): deferred to ${wallClock(reason.params.until, reason.params.zone)} local time`;
    case "frequency_cap": {
      const { count, periodHours, pooled, sentAt, until } = reason.params;
      const now = new Date(reason.params.now);
      const times = sentAt.map((instant) => utcTime(new Date(instant), now));
      return (
        `Frequency cap: ${count} marketing ${capNoun(pooled, count)} per ${capPeriod(periodHours)} already sent ` +
        `(at ${englishList(times)} UTC); deferred until ${utcTime(new Date(until), now)} UTC`
      );
    }
    case "interrupted": return INTERRUPTED;
    case "compose_failed": return `could not be composed: ${reason.params.error}`;
    case "provider_error": return reason.params.error;
    case "channel_switched": return `sent by ${reason.params.to} instead of ${reason.params.from}`;
    case "bought_order": return `the shopper bought (order ${reason.params.order})`;
    case "checkout_completed": return "the checkout was completed";
    case "unsubscribed_by_link": return "the shopper unsubscribed with the link in a message";
    case "sendgrid_processed": return "SendGrid accepted the email";
    case "sendgrid_deferred": return `The receiving server asked SendGrid to try again later${said(reason.params.detail)}`;
    case "sendgrid_delivered": return `Delivered to ${reason.params.email}${said(reason.params.detail)}`;
    case "sendgrid_opened": return "Opened";
    case "sendgrid_clicked": return reason.params.url ? `Clicked ${reason.params.url}` : "Clicked a link";
    case "sendgrid_bounced": return `Bounced: the address does not accept email${said(reason.params.detail)}. No more email goes to ${reason.params.email}.`;
    case "sendgrid_blocked": return `Blocked by the receiving server${said(reason.params.detail)}`;
    case "sendgrid_dropped": return `SendGrid did not send it${said(reason.params.detail)}`;
    case "sendgrid_spam_report": return `The shopper marked it as spam. No more email goes to ${reason.params.email}.`;
    case "sendgrid_unsubscribe": return "The shopper unsubscribed through SendGrid";
    case "sendgrid_group_unsubscribe": return "The shopper unsubscribed from this kind of email through SendGrid";
    case "sendgrid_group_resubscribe": return "The shopper subscribed again to this kind of email through SendGrid";
    case "twilio_status": {
      const { status, errorCode, error } = reason.params;
      return `Twilio: ${status}${errorCode ? ` (error ${errorCode}: ${error})` : ""}`;
    }
    case "twilio_error": return `${reason.params.error} (Twilio error ${reason.params.errorCode})`;
    case "twilio_failed_status": return `Twilio reported the message ${reason.params.status}`;
    case "carrier_opt_out": return CARRIER_OPT_OUT;
    case "whatsapp_window_refused": return WHATSAPP_WINDOW;
  }
}

/** The cap's noun, as app/domain/scheduling/frequency-cap.ts words it. */
function capNoun(pooled: Channel[], count: number): string {
  if (pooled.length > 1) return count === 1 ? "SMS or WhatsApp message" : "SMS or WhatsApp messages";
  if (pooled[0] === "email") return count === 1 ? "email" : "emails";
  if (pooled[0] === "whatsapp") return count === 1 ? "WhatsApp message" : "WhatsApp messages";
  return "SMS";
}

function capPeriod(hours: number): string {
  return hours > 24 && hours % 24 === 0 ? `${hours / 24} days` : `${hours} h`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "14:05" on the same UTC day as `now`, "3 Mar 14:05" otherwise. */
function utcTime(instant: Date, now: Date): string {
  const time = instant.toISOString().slice(11, 16);
  if (instant.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return time;
  return `${instant.getUTCDate()} ${MONTHS[instant.getUTCMonth()]} ${time}`;
}

/** "8:00": the wall-clock time in `zone` at `instant`. */
function wallClock(instant: Instant, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", hour: "numeric", minute: "2-digit" }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((one) => one.type === type)?.value ?? 0);
  return `${part("hour") % 24}:${String(part("minute")).padStart(2, "0")}`;
}

function englishList(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

// ———————————————————————————————————————————————————————— storage

/**
 * Params are stored with a fingerprint of the English text they were written beside. Code that
 * writes only the English (an older service, a manual fix) leaves the old code behind; the
 * fingerprint then no longer matches and the row reads as English-only instead of as a stale reason.
 */
const TEXT_FINGERPRINT = "@text";

/** FNV-1a, 32 bits, hex: enough to tell one sentence from another, not a security measure. */
export function textFingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** The columns a reason is stored in beside its English `text`. */
export function reasonColumns(value: MessageReason | null, text: string | null): { code: string | null; params: string | null } {
  if (!value) return { code: null, params: null };
  return { code: value.code, params: JSON.stringify({ ...value.params, ...(text != null ? { [TEXT_FINGERPRINT]: textFingerprint(text) } : {}) }) };
}

/** Message columns for a status reason: the English text beside its code and params. */
export function statusReasonData(value: MessageReason | null, text?: string) {
  const statusReason = value ? (text ?? englishReason(value)) : null;
  const columns = reasonColumns(value, statusReason);
  return { statusReason, statusReasonCode: columns.code, statusReasonParams: columns.params };
}

/** Message columns for the last error: the English text beside its code and params. */
export function errorData(value: MessageReason | null) {
  const error = value ? englishReason(value) : null;
  const columns = reasonColumns(value, error);
  return { error, errorCode: columns.code, errorParams: columns.params };
}

/**
 * A stored code and params back as a reason; null for rows without one, that cannot be read, or
 * whose English (`text`, when given) was rewritten since the code was stored.
 */
export function storedReason(code: string | null | undefined, params: string | null | undefined, text?: string | null): MessageReason | null {
  if (!isReasonCode(code)) return null;
  try {
    const parsed: unknown = params ? JSON.parse(params) : {};
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    const { [TEXT_FINGERPRINT]: fingerprint, ...rest } = parsed as Record<string, unknown>;
    if (text != null && typeof fingerprint === "string" && fingerprint !== textFingerprint(text)) return null;
    return { code, params: rest } as MessageReason;
  } catch {
    return null;
  }
}

export type StoredReasonColumns = {
  statusReason: string | null;
  statusReasonCode: string | null;
  statusReasonParams: string | null;
  error: string | null;
  errorCode: string | null;
  errorParams: string | null;
};

/**
 * What a message's row says about why it stands where it is: the status reason, else the last
 * error — in English (`text`) and as a reason (`coded`, null when that text has no code).
 */
export function displayedReason(row: StoredReasonColumns): { text: string | null; coded: MessageReason | null } {
  if (row.statusReason != null) return { text: row.statusReason, coded: storedReason(row.statusReasonCode, row.statusReasonParams, row.statusReason) };
  if (row.error != null) return { text: row.error, coded: storedReason(row.errorCode, row.errorParams, row.error) };
  return { text: null, coded: null };
}

// ———————————————————————————————————————————————————————— in the merchant's language

/**
 * A sentence to translate: a locale key ("messageReasons.*") with values, which are plain text,
 * numbers, other sentences, instants to format in the merchant's locale, or lists. Built here so
 * the mapping from a reason to its words is pure and tested; the component only resolves it.
 */
export type Localisable =
  | string
  | number
  | { key: string; values?: Record<string, Localisable>; capitalise?: boolean; sentence?: boolean }
  | { instant: Instant; style: "time" | "dateTime"; zone?: string }
  | { day: Day }
  | { list: Localisable[] }
  | { join: Localisable[] };

const key = (name: string, values?: Record<string, Localisable>, extra?: { capitalise?: boolean; sentence?: boolean }): Localisable => ({ key: `messageReasons.${name}`, values, ...extra });
const channelName = (channel: Channel): Localisable => ({ key: `channel.${channel}` });
const optional = (name: string, values: Record<string, Localisable> | null): Localisable => (values ? key(name, values) : "");
const sinceFragment = (since: Day | null) => optional("fragment.on", since ? { date: { day: since } } : null);
const detailFragment = (detail: string | null) => optional("fragment.detail", detail ? { detail } : null);
/** A vendor's reason, quoted as theirs after a colon. */
const saidFragment = (detail: string | null) => optional("fragment.said", detail ? { detail } : null);

/** Twilio statuses that reach a message's timeline, worded in the merchant's language; others stay as Twilio names them. */
const TWILIO_STATUSES = ["sent", "delivered", "undelivered", "failed", "read", "canceled"];
/**
 * Twilio error codes Avisa explains itself when Twilio sends only the code (as
 * app/server/providers/twilio/twilio-callbacks.server.ts words them in English; a unit test keeps the two lists equal).
 */
export const TWILIO_EXPLAINED_ERRORS = ["21610", "30003", "30004", "30005", "30006", "30007", "30008", "63016"];

const twilioStatus = (status: string): Localisable => (TWILIO_STATUSES.includes(status) ? key(`twilioStatus.${status}`) : status);

/** What a Twilio error code means: Twilio's words quoted, Avisa's explanation translated, or nothing to add. */
function twilioErrorMeaning(params: TwilioErrorParams<string>): Localisable | null {
  if (params.vendorWords) return key("fragment.quote", { text: params.error });
  return TWILIO_EXPLAINED_ERRORS.includes(params.errorCode) ? key(`twilioError.${params.errorCode}`) : null;
}

function consentLocalisable(name: string, params: ConsentParams, values: Record<string, Localisable> = {}): Localisable {
  return key(name, {
    ...values,
    review: params.review ? key("fragment.reviewAsMarketing") : "",
    what: key(`what.${params.channel}`),
    follows: params.followsSms ? key("fragment.followsSms") : "",
  }, { capitalise: true });
}

/** The reason as locale keys and values (see Localisable). */
export function reasonText(value: MessageReason): Localisable {
  const code = value.code;
  switch (value.code) {
    case "order_cancelled":
    case "order_refunded":
    case "order_voided":
    case "already_bought_order":
      return key(code, { order: value.params.order });
    case "no_usable_channel":
      return key(code, {
        refusals: { join: value.params.refusals.map((refusal) => key("refusal", { channel: channelName(refusal.channel), reason: reasonText(refusal.reason) }, { sentence: true })) },
      });
    case "invalid_phone":
      return key(code, { phone: value.params.phone, problem: value.params.problem });
    case "address_bounced":
    case "address_blocked":
      return key(`${code}.${value.params.address}`, { since: sinceFragment(value.params.since), detail: detailFragment(value.params.detail) });
    case "address_invalid":
      return key(`${code}.${value.params.address}`, { detail: detailFragment(value.params.detail) });
    case "spam_complaint":
      return key(code, { since: sinceFragment(value.params.since), what: key(`noun.${value.params.channel}`) });
    case "sms_stopped":
    case "whatsapp_stopped":
      return key(code, { since: sinceFragment(value.params.since) });
    case "consent_revoked": {
      const { source } = value.params;
      const known = source && Object.hasOwn(CONSENT_SOURCE_NAMES, source);
      return consentLocalisable(code, value.params, {
        date: { day: value.params.on },
        source: source ? key("fragment.source", { source: known ? key(`source.${source}`) : source }) : "",
      });
    }
    case "consent_pending":
    case "consent_missing":
      return consentLocalisable(code, value.params);
    case "quiet_hours":
      return key(code, { zone: value.params.zone, time: { instant: value.params.until, style: "time", zone: value.params.zone } });
    case "frequency_cap": {
      const { count, periodHours, pooled, sentAt, until } = value.params;
      const group = pooled.length > 1 ? "sms_whatsapp" : pooled[0];
      const period = periodHours > 24 && periodHours % 24 === 0 ? key("period.days", { days: periodHours / 24 }) : key("period.hours", { hours: periodHours });
      return key(code, {
        count,
        what: key(`capNoun.${group}.${count === 1 ? "one" : "other"}`),
        period,
        times: { list: sentAt.map((instant) => ({ instant, style: "dateTime" as const })) },
        until: { instant: until, style: "dateTime" },
      });
    }
    case "compose_failed":
      return key(code, { error: value.params.error });
    case "provider_error":
      return key(value.params.provider ? code : "provider_error.unnamed", { provider: value.params.provider ?? "", error: value.params.error });
    case "channel_switched":
      return key(code, { from: channelName(value.params.from), to: channelName(value.params.to) });
    case "bought_order":
      return key(code, { order: value.params.order });
    case "sendgrid_deferred":
    case "sendgrid_blocked":
    case "sendgrid_dropped":
      return key(code, { detail: saidFragment(value.params.detail) });
    case "sendgrid_delivered":
    case "sendgrid_bounced":
      return key(code, { email: value.params.email, detail: saidFragment(value.params.detail) });
    case "sendgrid_clicked":
      return value.params.url ? key(code, { url: value.params.url }) : key(`${code}.noUrl`);
    case "sendgrid_spam_report":
      return key(code, { email: value.params.email });
    case "twilio_status": {
      const { status, errorCode, error, vendorWords } = value.params;
      const meaning = errorCode ? twilioErrorMeaning({ errorCode, error: error ?? "", vendorWords }) : null;
      const detail = !errorCode ? "" : meaning ? key("fragment.twilioError", { code: errorCode, meaning }) : key("fragment.twilioErrorCode", { code: errorCode });
      return key(code, { status: twilioStatus(status), error: detail });
    }
    case "twilio_error": {
      const meaning = twilioErrorMeaning(value.params);
      return meaning ? key(code, { meaning, code: value.params.errorCode }) : key(`${code}.unexplained`, { code: value.params.errorCode });
    }
    case "twilio_failed_status":
      return key(code, { status: twilioStatus(value.params.status) });
    default:
      return key(code);
  }
}
