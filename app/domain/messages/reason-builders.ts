// Builds message reasons (./message-reason.ts) from the domain's own verdicts: the same decision
// the consent policy, the channel choice and the frequency cap make, as a code with params.
// englishReason of what these return is, word for word, the English those rules write
// (tests/unit/message-reason.test.ts compares them over many cases).
import { reviewRequestPurpose, type CanSendInput, type Suppression } from "../consent/consent-policy";
import type { Channel } from "../ports";
import { capFor, type FrequencyCapInput } from "../scheduling/frequency-cap";
import { reason, type Address, type ChannelRefusal, type ConsentParams, type Day, type MessageReason } from "./message-reason";

const day = (instant: Date): Day => instant.toISOString().slice(0, 10);

function suppressionReason(channel: Channel, suppression: Suppression): MessageReason {
  const address: Address = channel === "email" ? "email" : "phone";
  const since = suppression.since ? day(suppression.since) : null;
  const detail = suppression.detail ?? null;
  switch (suppression.reason) {
    case "hard_bounce": return reason("address_bounced", { address, since, detail });
    case "spam_complaint": return reason("spam_complaint", { channel, since });
    case "invalid_address": return reason("address_invalid", { address, detail });
    case "blocked": return reason("address_blocked", { address, since, detail });
  }
}

/** consent-policy's canSend, as a reason: null when it allows the send. */
export function consentRefusal(input: CanSendInput): MessageReason | null {
  const { channel, consent } = input;
  if (input.suppressed) return suppressionReason(channel, input.suppressed);
  if (consent.stopped && channel !== "email") {
    const since = consent.stoppedAt ? day(consent.stoppedAt) : null;
    return channel === "sms" ? reason("sms_stopped", { since }) : reason("whatsapp_stopped", { since });
  }
  const review = input.purpose === "review_request";
  const purpose = review ? reviewRequestPurpose(input.policy) : input.purpose;
  if (purpose === "transactional" || consent.standing === "granted") return null;
  const params: ConsentParams = { channel: consent.followsSms ? "sms" : channel, review, followsSms: consent.followsSms };
  switch (consent.standing) {
    case "revoked": return reason("consent_revoked", { ...params, on: day(consent.record!.recordedAt), source: consent.record?.source ?? null });
    case "pending": return reason("consent_pending", params);
    default: return reason("consent_missing", params);
  }
}

export type ChannelRefusalInput = {
  channels: readonly Channel[];
  contact: { email?: string | null; phone?: string | null };
  /** Why this channel may not be used for this contact (consent, suppression, STOP, a bad number), or null. */
  refusalFor: (channel: Channel) => MessageReason | null;
  whatsappWindowOpen: boolean;
  whatsappTemplateAvailable: boolean;
};

/**
 * Why no channel of the step can be used, channel by channel — the same walk as
 * app/domain/automations/evaluate.ts chooseChannel. Null when one can.
 */
export function noChannelReason(input: ChannelRefusalInput): MessageReason | null {
  if (input.channels.length === 0) return reason("no_channel_in_step");
  const refusals: ChannelRefusal[] = [];
  for (const channel of input.channels) {
    const address = channel === "email" ? input.contact.email : input.contact.phone;
    if (!address?.trim()) {
      refusals.push({ channel, reason: reason(channel === "email" ? "no_email_address" : "no_phone_number") });
      continue;
    }
    const refusal = input.refusalFor(channel);
    if (refusal) {
      refusals.push({ channel, reason: refusal });
      continue;
    }
    if (channel === "whatsapp" && !input.whatsappWindowOpen && !input.whatsappTemplateAvailable) {
      refusals.push({ channel, reason: reason("whatsapp_window_closed") });
      continue;
    }
    return null;
  }
  return reason("no_usable_channel", { refusals });
}

/** The frequency cap's deferral as a reason (the sends it counted, as frequency-cap.ts counts them). */
export function frequencyCapReason(input: FrequencyCapInput, until: Date): MessageReason {
  const { cap, pooled } = capFor(input.channel, input.caps);
  const periodMs = cap.periodHours * 3_600_000;
  const now = input.now.getTime();
  const counted = input.recentSends
    .filter((send) => send.purpose === "marketing" && pooled.includes(send.channel) && now - send.sentAt.getTime() < periodMs)
    .map((send) => send.sentAt)
    .sort((a, b) => a.getTime() - b.getTime());
  return reason("frequency_cap", {
    count: cap.count, periodHours: cap.periodHours, pooled, sentAt: counted.map((at) => at.toISOString()), until: until.toISOString(), now: input.now.toISOString(),
  });
}

/** A quiet-hours deferral as a reason. */
export function quietHoursReason(verdict: { zone: string; until: Date }): MessageReason {
  return reason("quiet_hours", { zone: verdict.zone, until: verdict.until.toISOString() });
}
