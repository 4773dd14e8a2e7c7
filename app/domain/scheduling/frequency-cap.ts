// Frequency caps: how many MARKETING messages one shopper may get per channel in a rolling
// window (defaults: 1 SMS per 24 h, 3 emails per 7 days). A message over the cap is deferred
// until the oldest counted send leaves the window, never dropped. Transactional messages
// (order and shipping updates) are never capped: the shopper is waiting for them.
//
// WhatsApp shares the SMS cap unless the merchant sets its own: both are messages on the
// shopper's phone, and one text per day is the promise most stores make.
import { z } from "zod";
import type { Purpose } from "../consent/consent-policy";
import type { Channel } from "../ports";

export type Cap = { count: number; periodHours: number };

export type FrequencyCaps = { sms: Cap; email: Cap; whatsapp?: Cap | null };

export const DEFAULT_FREQUENCY_CAPS: FrequencyCaps = {
  sms: { count: 1, periodHours: 24 },
  email: { count: 3, periodHours: 7 * 24 },
};

const capSchema = z.object({
  count: z
    .number({ invalid_type_error: "Enter how many messages are allowed" })
    .int("The number of messages must be a whole number")
    .min(1, "Allow at least 1 message (turn the automation off to send none)")
    .max(100, "Allow at most 100 messages per period"),
  periodHours: z
    .number({ invalid_type_error: "Enter the period in hours" })
    .int("The period must be a whole number of hours")
    .min(1, "The period must be at least 1 hour")
    .max(90 * 24, "The period can be at most 90 days"),
});

export const frequencyCapsSchema = z.object({ sms: capSchema, email: capSchema, whatsapp: capSchema.nullish() });

const CHANNEL_NAMES: Record<Channel, string> = { sms: "SMS", email: "Email", whatsapp: "WhatsApp" };

/** Validates merchant settings; the messages name the channel ("SMS: allow at least 1 message …"). */
export function validateFrequencyCaps(input: unknown): { ok: true; value: FrequencyCaps } | { ok: false; errors: string[] } {
  const parsed = frequencyCapsSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues.map((issue) => {
    const channel = issue.path[0] as Channel | undefined;
    return channel && channel in CHANNEL_NAMES ? `${CHANNEL_NAMES[channel]}: ${issue.message}` : issue.message;
  });
  return { ok: false, errors: [...new Set(errors)] };
}

export type RecentSend = { channel: Channel; purpose: Purpose | string; sentAt: Date };

export type FrequencyCapInput = {
  now: Date;
  channel: Channel;
  purpose: Purpose;
  /** The merchant's caps; missing channels use the defaults. */
  caps?: Partial<FrequencyCaps> | null;
  /** Messages already sent to this contact (any age; older ones are ignored). */
  recentSends: RecentSend[];
};

export type FrequencyCapVerdict = { allowed: true } | { allowed: false; until: Date; reason: string };

/** The channels whose sends count against `channel`'s cap, and that cap. */
export function capFor(channel: Channel, caps?: Partial<FrequencyCaps> | null): { cap: Cap; pooled: Channel[] } {
  const sms = caps?.sms ?? DEFAULT_FREQUENCY_CAPS.sms;
  const email = caps?.email ?? DEFAULT_FREQUENCY_CAPS.email;
  const whatsapp = caps?.whatsapp ?? null;
  if (channel === "email") return { cap: email, pooled: ["email"] };
  if (whatsapp) return channel === "whatsapp" ? { cap: whatsapp, pooled: ["whatsapp"] } : { cap: sms, pooled: ["sms"] };
  return { cap: sms, pooled: ["sms", "whatsapp"] };
}

export function frequencyCapVerdict(input: FrequencyCapInput): FrequencyCapVerdict {
  if (input.purpose !== "marketing") return { allowed: true };
  const { cap, pooled } = capFor(input.channel, input.caps);
  const periodMs = cap.periodHours * 3_600_000;
  const now = input.now.getTime();

  // A send counts while less than one period has passed since it (it leaves at sentAt + period).
  const counted = input.recentSends
    .filter((send) => send.purpose === "marketing" && pooled.includes(send.channel))
    .filter((send) => now - send.sentAt.getTime() < periodMs)
    .sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
  if (counted.length < cap.count) return { allowed: true };

  // One more may go once only count − 1 remain: when the send at that position leaves the window.
  const leaving = counted[counted.length - cap.count];
  const until = new Date(leaving.sentAt.getTime() + periodMs);
  const times = counted.map((send) => utcTime(send.sentAt, input.now));
  return {
    allowed: false,
    until,
    reason:
      `Frequency cap: ${cap.count} marketing ${noun(pooled, cap.count)} per ${period(cap.periodHours)} already sent ` +
      `(at ${list(times)} UTC); deferred until ${utcTime(until, input.now)} UTC`,
  };
}

function noun(pooled: Channel[], count: number): string {
  if (pooled.length > 1) return count === 1 ? "SMS or WhatsApp message" : "SMS or WhatsApp messages";
  if (pooled[0] === "email") return count === 1 ? "email" : "emails";
  if (pooled[0] === "whatsapp") return count === 1 ? "WhatsApp message" : "WhatsApp messages";
  return "SMS";
}

function period(hours: number): string {
  if (hours > 24 && hours % 24 === 0) return `${hours / 24} days`;
  return `${hours} h`;
}

/** "14:05" on the same UTC day as `now`, "3 Mar 14:05" otherwise. */
function utcTime(instant: Date, now: Date): string {
  const time = instant.toISOString().slice(11, 16);
  if (instant.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return time;
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][instant.getUTCMonth()];
  return `${instant.getUTCDate()} ${month} ${time}`;
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
