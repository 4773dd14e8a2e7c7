import { describe, expect, it } from "vitest";
import {
  canSend,
  consentRecordForKeyword,
  currentConsent,
  reviewRequestPurpose,
  standingOf,
  type ConsentRecord,
} from "../../../app/domain/consent/consent-policy";

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 2, day, hour));
const record = (channel: string, state: string, source: string, recordedAt: Date): ConsentRecord => ({ channel, state, source, recordedAt });

describe("standingOf: Shopify's and Avisa's states", () => {
  it.each([
    ["subscribed", "granted"],
    ["granted", "granted"],
    ["unsubscribed", "revoked"],
    ["revoked", "revoked"],
    ["redacted", "revoked"],
    ["pending", "pending"],
    ["not_subscribed", "none"],
    ["invalid", "none"],
    ["something_new", "none"],
  ])("%s → %s", (state, standing) => expect(standingOf(state)).toBe(standing));
});

describe("currentConsent", () => {
  it("is 'none' for an empty ledger", () => {
    expect(currentConsent([], "email")).toEqual({ channel: "email", standing: "none", record: null, stopped: false, stoppedAt: null, followsSms: false });
  });

  it("takes the latest record, whatever order the rows come in", () => {
    const records = [
      record("email", "unsubscribed", "unsubscribe_link", at(5)),
      record("email", "subscribed", "checkout", at(1)),
      record("sms", "subscribed", "checkout", at(9)),
    ];
    expect(currentConsent(records, "email")).toMatchObject({ standing: "revoked", record: records[0] });
  });

  it("breaks ties in ledger order: the later row wins", () => {
    const granted = record("email", "subscribed", "shopify", at(3));
    const revoked = record("email", "unsubscribed", "shopify", at(3));
    expect(currentConsent([granted, revoked], "email").standing).toBe("revoked");
    expect(currentConsent([revoked, granted], "email").standing).toBe("granted");
  });

  it("WhatsApp follows SMS until the ledger has a WhatsApp record", () => {
    const sms = record("sms", "subscribed", "checkout", at(1));
    expect(currentConsent([sms], "whatsapp")).toMatchObject({ channel: "whatsapp", standing: "granted", followsSms: true, record: sms });
    const own = record("whatsapp", "revoked", "keyword", at(2));
    expect(currentConsent([sms, own], "whatsapp")).toMatchObject({ standing: "revoked", followsSms: false, stopped: true });
  });

  it("a STOP stays in force until the shopper's own START, even if Shopify says subscribed later", () => {
    const stop = record("sms", "revoked", "keyword", at(2));
    const shopify = record("sms", "subscribed", "shopify", at(3));
    expect(currentConsent([stop, shopify], "sms")).toMatchObject({ standing: "granted", stopped: true, stoppedAt: at(2) });
    const start = record("sms", "granted", "keyword", at(4));
    expect(currentConsent([stop, shopify, start], "sms")).toMatchObject({ standing: "granted", stopped: false, stoppedAt: null });
  });

  it("a carrier opt-out (Twilio 21610) counts as a STOP", () => {
    expect(currentConsent([record("sms", "revoked", "carrier", at(2))], "sms").stopped).toBe(true);
  });

  it("builds ledger records for inbound keywords", () => {
    expect(consentRecordForKeyword("opt_out", "sms", at(2))).toEqual({ channel: "sms", state: "revoked", source: "keyword", recordedAt: at(2) });
    expect(consentRecordForKeyword("opt_in", "whatsapp", at(2))).toEqual({ channel: "whatsapp", state: "granted", source: "keyword", recordedAt: at(2) });
  });
});

describe("canSend", () => {
  const none = (channel: "email" | "sms" | "whatsapp") => currentConsent([], channel);

  it("allows transactional messages without marketing consent", () => {
    expect(canSend({ channel: "sms", purpose: "transactional", consent: none("sms") })).toEqual({ allowed: true });
    const unsubscribed = currentConsent([record("email", "unsubscribed", "unsubscribe_link", at(2))], "email");
    expect(canSend({ channel: "email", purpose: "transactional", consent: unsubscribed })).toEqual({ allowed: true });
  });

  it("blocks every message to a suppressed address, transactional too", () => {
    const granted = currentConsent([record("email", "subscribed", "shopify", at(1))], "email");
    expect(canSend({ channel: "email", purpose: "transactional", consent: granted, suppressed: { reason: "hard_bounce", since: at(4), detail: "550 5.1.1 mailbox does not exist" } })).toEqual({
      allowed: false,
      reason: "The email address bounced permanently on 2026-03-04 (550 5.1.1 mailbox does not exist). Correct it on the customer to send again.",
    });
    expect(canSend({ channel: "sms", purpose: "transactional", consent: none("sms"), suppressed: { reason: "invalid_address" } })).toEqual({
      allowed: false,
      reason: "The phone number is not valid. Correct it on the customer to send again.",
    });
    expect(canSend({ channel: "email", purpose: "marketing", consent: granted, suppressed: { reason: "spam_complaint", since: at(4) } })).toEqual({
      allowed: false,
      reason: "The shopper marked a message as spam on 2026-03-04, so no more emails are sent to them.",
    });
    expect(canSend({ channel: "sms", purpose: "marketing", consent: none("sms"), suppressed: { reason: "blocked" } })).toMatchObject({ allowed: false });
    expect(canSend({ channel: "email", purpose: "marketing", consent: granted, suppressed: false })).toEqual({ allowed: true });
  });

  it("after an SMS STOP, no SMS at all, not even transactional", () => {
    const stopped = currentConsent([record("sms", "subscribed", "checkout", at(1)), record("sms", "revoked", "keyword", at(3))], "sms");
    expect(canSend({ channel: "sms", purpose: "transactional", consent: stopped })).toEqual({
      allowed: false,
      reason: "The shopper replied STOP to your texts on 2026-03-03. Carriers refuse every SMS to them until they text START.",
    });
  });

  it("a STOP on WhatsApp blocks WhatsApp; an SMS STOP only removes WhatsApp marketing consent", () => {
    const waStop = currentConsent([record("whatsapp", "revoked", "keyword", at(3))], "whatsapp");
    expect(canSend({ channel: "whatsapp", purpose: "transactional", consent: waStop })).toEqual({
      allowed: false,
      reason: "The shopper asked to stop WhatsApp messages (replied STOP) on 2026-03-03. Nothing is sent on WhatsApp until they reply START.",
    });
    const smsStop = currentConsent([record("sms", "revoked", "keyword", at(3))], "whatsapp");
    expect(canSend({ channel: "whatsapp", purpose: "transactional", consent: smsStop })).toEqual({ allowed: true });
    expect(canSend({ channel: "whatsapp", purpose: "marketing", consent: smsStop })).toEqual({
      allowed: false,
      reason: "The shopper unsubscribed from marketing text messages on 2026-03-03 (replied STOP); WhatsApp follows their SMS consent.",
    });
  });

  it("marketing needs explicit, current consent on that channel", () => {
    const granted = currentConsent([record("sms", "subscribed", "checkout", at(1))], "sms");
    expect(canSend({ channel: "sms", purpose: "marketing", consent: granted })).toEqual({ allowed: true });
    expect(canSend({ channel: "email", purpose: "marketing", consent: none("email") })).toEqual({
      allowed: false,
      reason: "The shopper has not agreed to receive marketing emails.",
    });
    const notSubscribed = currentConsent([record("email", "not_subscribed", "checkout", at(1))], "email");
    expect(canSend({ channel: "email", purpose: "marketing", consent: notSubscribed })).toMatchObject({ allowed: false, reason: "The shopper has not agreed to receive marketing emails." });
    const pending = currentConsent([record("email", "pending", "shopify", at(1))], "email");
    expect(canSend({ channel: "email", purpose: "marketing", consent: pending })).toEqual({
      allowed: false,
      reason: "The shopper has not yet confirmed their subscription to marketing emails (double opt-in pending).",
    });
    const unsubscribed = currentConsent([record("email", "subscribed", "checkout", at(1)), record("email", "unsubscribed", "unsubscribe_link", at(2))], "email");
    expect(canSend({ channel: "email", purpose: "marketing", consent: unsubscribed })).toEqual({
      allowed: false,
      reason: "The shopper unsubscribed from marketing emails on 2026-03-02 (unsubscribe link).",
    });
    const redacted = currentConsent([record("sms", "redacted", "shopify", at(2))], "sms");
    expect(canSend({ channel: "sms", purpose: "marketing", consent: redacted })).toMatchObject({ allowed: false, reason: expect.stringContaining("unsubscribed from marketing text messages") });
  });

  it("review requests are marketing by default, transactional if the merchant says so", () => {
    expect(reviewRequestPurpose()).toBe("marketing");
    expect(reviewRequestPurpose({ reviewRequests: "transactional" })).toBe("transactional");
    expect(canSend({ channel: "email", purpose: "review_request", consent: none("email") })).toEqual({
      allowed: false,
      reason: "Review requests count as marketing in your settings, and the shopper has not agreed to receive marketing emails.",
    });
    expect(canSend({ channel: "email", purpose: "review_request", consent: none("email"), policy: { reviewRequests: "transactional" } })).toEqual({ allowed: true });
  });
});
