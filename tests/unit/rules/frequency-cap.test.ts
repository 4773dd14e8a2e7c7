import { describe, expect, it } from "vitest";
import { capFor, frequencyCapVerdict, validateFrequencyCaps, type RecentSend } from "../../../app/domain/scheduling/frequency-cap";

const HOUR = 3_600_000;
const now = new Date("2026-03-11T09:00:00Z");
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const sms = (sentAt: Date, purpose = "marketing"): RecentSend => ({ channel: "sms", purpose, sentAt });
const email = (sentAt: Date, purpose = "marketing"): RecentSend => ({ channel: "email", purpose, sentAt });
const whatsapp = (sentAt: Date): RecentSend => ({ channel: "whatsapp", purpose: "marketing", sentAt });

describe("frequencyCapVerdict", () => {
  it("never caps transactional messages", () => {
    const recentSends = [sms(ago(1)), sms(ago(2)), sms(ago(3))];
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "transactional", recentSends })).toEqual({ allowed: true });
  });

  it("allows the first marketing SMS of the day", () => {
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", recentSends: [] })).toEqual({ allowed: true });
  });

  it("defers a second marketing SMS within 24 h until the first leaves the window", () => {
    const sentAt = new Date("2026-03-10T14:05:00Z");
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", recentSends: [sms(sentAt)] })).toEqual({
      allowed: false,
      until: new Date("2026-03-11T14:05:00Z"),
      reason: "Frequency cap: 1 marketing SMS or WhatsApp message per 24 h already sent (at 10 Mar 14:05 UTC); deferred until 14:05 UTC",
    });
  });

  it("names times on the same day without a date", () => {
    const later = new Date("2026-03-11T20:00:00Z");
    const result = frequencyCapVerdict({ now: later, channel: "sms", purpose: "marketing", recentSends: [sms(new Date("2026-03-11T14:05:00Z"))] });
    expect(result).toMatchObject({ allowed: false, reason: expect.stringContaining("(at 14:05 UTC); deferred until 12 Mar 14:05 UTC") });
  });

  it("is a rolling window: a send exactly one period ago no longer counts", () => {
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", recentSends: [sms(ago(24))] })).toEqual({ allowed: true });
    const justInside = new Date(now.getTime() - 24 * HOUR + 1);
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", recentSends: [sms(justInside)] })).toMatchObject({
      allowed: false,
      until: new Date(now.getTime() + 1),
    });
  });

  it("counts only marketing sends on the capped channels", () => {
    const recentSends = [sms(ago(1), "transactional"), email(ago(1)), email(ago(2))];
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", recentSends })).toEqual({ allowed: true });
  });

  it("WhatsApp shares the SMS cap unless it has its own", () => {
    expect(frequencyCapVerdict({ now, channel: "whatsapp", purpose: "marketing", recentSends: [sms(ago(2))] }).allowed).toBe(false);
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", recentSends: [whatsapp(ago(2))] }).allowed).toBe(false);

    const caps = { whatsapp: { count: 2, periodHours: 24 } };
    expect(frequencyCapVerdict({ now, channel: "whatsapp", purpose: "marketing", caps, recentSends: [sms(ago(2)), whatsapp(ago(3))] })).toEqual({ allowed: true });
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", caps, recentSends: [whatsapp(ago(2))] })).toEqual({ allowed: true });
    expect(frequencyCapVerdict({ now, channel: "whatsapp", purpose: "marketing", caps, recentSends: [whatsapp(ago(2)), whatsapp(ago(3))] })).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/^Frequency cap: 2 marketing WhatsApp messages per 24 h already sent/),
    });
  });

  it("allows 3 marketing emails per 7 days, then waits for the oldest to leave", () => {
    expect(frequencyCapVerdict({ now, channel: "email", purpose: "marketing", recentSends: [email(ago(24)), email(ago(48))] })).toEqual({ allowed: true });
    const three = [email(ago(20)), email(ago(6 * 24)), email(ago(3 * 24))];
    expect(frequencyCapVerdict({ now, channel: "email", purpose: "marketing", recentSends: three })).toEqual({
      allowed: false,
      until: new Date(ago(6 * 24).getTime() + 7 * 24 * HOUR),
      reason:
        "Frequency cap: 3 marketing emails per 7 days already sent (at 5 Mar 09:00, 8 Mar 09:00 and 10 Mar 13:00 UTC); deferred until 12 Mar 09:00 UTC",
    });
  });

  it("with more sends than the cap (the cap was lowered), waits until few enough remain", () => {
    const four = [email(ago(1)), email(ago(2)), email(ago(3)), email(ago(4))];
    const result = frequencyCapVerdict({ now, channel: "email", purpose: "marketing", recentSends: four });
    // Three must leave before one more may go: the third-oldest (3 h ago) leaves last of them.
    expect(result).toMatchObject({ allowed: false, until: new Date(ago(3).getTime() + 7 * 24 * HOUR) });
  });

  it("uses the merchant's caps", () => {
    const caps = { sms: { count: 2, periodHours: 48 }, email: { count: 1, periodHours: 24 } };
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", caps, recentSends: [sms(ago(30))] })).toEqual({ allowed: true });
    expect(frequencyCapVerdict({ now, channel: "sms", purpose: "marketing", caps, recentSends: [sms(ago(30)), sms(ago(40))] })).toMatchObject({
      allowed: false,
      until: new Date(ago(40).getTime() + 48 * HOUR),
      reason: expect.stringContaining("2 marketing SMS or WhatsApp messages per 2 days"),
    });
    expect(frequencyCapVerdict({ now, channel: "email", purpose: "marketing", caps, recentSends: [email(ago(23))] })).toMatchObject({
      reason: expect.stringMatching(/^Frequency cap: 1 marketing email per 24 h/),
    });
  });
});

describe("capFor and validateFrequencyCaps", () => {
  it("says which channels share a cap", () => {
    expect(capFor("sms")).toEqual({ cap: { count: 1, periodHours: 24 }, pooled: ["sms", "whatsapp"] });
    expect(capFor("email")).toEqual({ cap: { count: 3, periodHours: 168 }, pooled: ["email"] });
    expect(capFor("sms", { sms: { count: 1, periodHours: 24 }, email: { count: 3, periodHours: 168 }, whatsapp: { count: 1, periodHours: 12 } }).pooled).toEqual(["sms"]);
  });

  it("validates settings with messages naming the channel", () => {
    expect(validateFrequencyCaps({ sms: { count: 1, periodHours: 24 }, email: { count: 3, periodHours: 168 } }).ok).toBe(true);
    expect(validateFrequencyCaps({ sms: { count: 0, periodHours: 24 }, email: { count: 3, periodHours: 0.5 } })).toEqual({
      ok: false,
      errors: ["SMS: Allow at least 1 message (turn the automation off to send none)", "Email: The period must be a whole number of hours", "Email: The period must be at least 1 hour"],
    });
  });
});
