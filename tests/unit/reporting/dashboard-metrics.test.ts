import { describe, expect, it } from "vitest";
import {
  dayIndex,
  messagingReport,
  onboardingChecklist,
  rate,
  reportWindow,
  reviewReport,
  sumDecimals,
  ticketReport,
  type MessageFact,
  type OnboardingFacts,
} from "../../../app/domain/reporting/dashboard-metrics";

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const message = (over: Partial<MessageFact> = {}): MessageFact => ({
  channel: "email",
  automation: "order_confirmation",
  status: "sent",
  sentAt: at("2025-03-20T15:00:00Z"),
  deliveredAt: null,
  openedAt: null,
  clickedAt: null,
  contactId: null,
  recoveredOrderId: null,
  recoveredRevenue: null,
  ...over,
});

describe("the report window", () => {
  it("is the last 30 calendar days in the shop's zone, today included, from local midnight", () => {
    // 02:00 UTC on 21 March is still 20 March in Mexico City (UTC-6 all year since 2022).
    const window = reportWindow(at("2025-03-21T02:00:00Z"), "America/Mexico_City");
    expect(window.timeZone).toBe("America/Mexico_City");
    expect(window.days).toHaveLength(30);
    expect(window.days[29].day).toBe("2025-03-20");
    expect(window.days[0].day).toBe("2025-02-19");
    expect(window.start.toISOString()).toBe("2025-02-19T06:00:00.000Z");
    expect(window.days[29].end.toISOString()).toBe("2025-03-21T06:00:00.000Z");
  });

  it("has 23- and 25-hour days across daylight saving changes", () => {
    const spring = reportWindow(at("2025-03-20T12:00:00Z"), "America/New_York");
    const changeDay = spring.days.find((day) => day.day === "2025-03-09")!;
    expect(changeDay.start.toISOString()).toBe("2025-03-09T05:00:00.000Z");
    expect(changeDay.end.getTime() - changeDay.start.getTime()).toBe(23 * HOUR);
    const autumn = reportWindow(at("2025-11-10T12:00:00Z"), "America/New_York");
    const fallBack = autumn.days.find((day) => day.day === "2025-11-02")!;
    expect(fallBack.end.getTime() - fallBack.start.getTime()).toBe(25 * HOUR);
    // Consecutive days touch: nothing falls between two buckets.
    for (let i = 1; i < autumn.days.length; i += 1) expect(autumn.days[i].start).toEqual(autumn.days[i - 1].end);
  });

  it("starts the day after a midnight that does not exist (Santiago skips 00:00–01:00 in September)", () => {
    const window = reportWindow(at("2024-09-20T12:00:00Z"), "America/Santiago");
    const skipped = window.days.find((day) => day.day === "2024-09-08")!;
    // Clocks went from 23:59:59 (UTC-4) on the 7th to 01:00 (UTC-3) on the 8th.
    expect(skipped.start.toISOString()).toBe("2024-09-08T04:00:00.000Z");
  });

  it("falls back to UTC for a zone it does not know", () => {
    const window = reportWindow(at("2025-03-20T12:00:00Z"), "Mars/Olympus_Mons");
    expect(window.timeZone).toBe("UTC");
    expect(window.start.toISOString()).toBe("2025-02-19T00:00:00.000Z");
  });

  it("puts an instant in its local day, and nothing outside the window or after now", () => {
    const window = reportWindow(at("2025-03-21T02:00:00Z"), "America/Mexico_City");
    expect(dayIndex(window, at("2025-03-21T01:59:00Z"))).toBe(29); // 19:59 on the 20th, local
    expect(dayIndex(window, at("2025-03-20T05:59:59Z"))).toBe(28); // 23:59:59 on the 19th
    expect(dayIndex(window, at("2025-02-19T06:00:00Z"))).toBe(0);
    expect(dayIndex(window, at("2025-02-19T05:59:59Z"))).toBe(-1);
    expect(dayIndex(window, at("2025-03-21T02:00:01Z"))).toBe(-1);
  });
});

describe("the messaging report", () => {
  const window = reportWindow(at("2025-03-21T12:00:00Z"), "UTC");

  it("counts sent, delivered, opened and clicked by the definitions", () => {
    const report = messagingReport(
      [
        message({ status: "sent" }),
        message({ status: "delivered" }),
        message({ status: "sent", deliveredAt: at("2025-03-20T15:01:00Z") }), // delivered, status not moved yet
        message({ status: "opened" }),
        message({ status: "clicked" }),
        message({ status: "delivered", clickedAt: at("2025-03-20T16:00:00Z") }), // a click is an open too
        message({ status: "bounced" }), // sent, never delivered
        message({ status: "failed" }),
        message({ status: "unknown" }),
        message({ status: "scheduled", sentAt: null }),
        message({ status: "cancelled" }),
        message({ status: "skipped" }),
        message({ status: "sent", automation: "merchant_alert" }),
        message({ status: "sent", automation: "inbox_reply" }),
        message({ status: "sent", sentAt: at("2025-02-18T23:59:59Z") }), // before the window
        message({ status: "delivered", channel: "sms", deliveredAt: at("2025-03-20T15:00:05Z") }),
        message({ status: "sent", channel: "sms" }),
        message({ status: "opened", channel: "whatsapp" }), // a WhatsApp read: delivered, opens not reported
      ],
      [],
      window,
    );
    expect(report.channels.email).toMatchObject({ sent: 7, delivered: 5, opened: 3, clicked: 2, openRate: 3 / 5, clickRate: 2 / 5 });
    expect(report.channels.sms).toMatchObject({ sent: 2, delivered: 1, opened: null, clicked: null, openRate: null, clickRate: null });
    expect(report.channels.whatsapp).toMatchObject({ sent: 1, delivered: 1, opened: null, openRate: null });
    // Opens and clicks over the channels that report them (email's delivered only).
    expect(report.total).toMatchObject({ sent: 10, delivered: 7, opened: 3, clicked: 2, openRate: 3 / 5, clickRate: 2 / 5 });
  });

  it("has no rates where nothing was delivered", () => {
    const report = messagingReport([message({ status: "bounced" })], [], window);
    expect(report.channels.email).toMatchObject({ sent: 1, delivered: 0, openRate: null, clickRate: null, replyRate: null });
    expect(report.channels.sms).toMatchObject({ sent: 0, delivered: 0, replyRate: null, recoveredCheckouts: 0, recoveredRevenue: "0" });
  });

  it("counts a reply when the shopper wrote within 7 days after a message, once per shopper", () => {
    const sent = at("2025-03-10T12:00:00Z");
    const report = messagingReport(
      [
        message({ contactId: "ana", sentAt: sent }),
        message({ contactId: "ana", sentAt: at("2025-03-11T12:00:00Z") }),
        message({ contactId: "bea", sentAt: sent }),
        message({ contactId: "caro", sentAt: sent }),
        message({ contactId: "dani", sentAt: sent }),
        message({ contactId: null, sentAt: sent }), // no shopper: in neither side of the rate
        message({ contactId: "ana", sentAt: sent, channel: "sms" }),
        message({ contactId: "eva", sentAt: sent, channel: "sms" }),
      ],
      [
        { contactId: "ana", at: at("2025-03-10T13:00:00Z") },
        { contactId: "ana", at: at("2025-03-12T13:00:00Z") },
        { contactId: "bea", at: new Date(sent.getTime() + 7 * DAY) }, // exactly 7 days after: counts
        { contactId: "caro", at: new Date(sent.getTime() + 7 * DAY + 1000) }, // too late
        { contactId: "dani", at: sent }, // not after the message
        { contactId: "zoe", at: at("2025-03-10T13:00:00Z") }, // never messaged
      ],
      window,
    );
    expect(report.channels.email).toMatchObject({ contacted: 4, replied: 2, replyRate: 0.5 });
    // Ana's answer counts for SMS too: a reply on any channel answers every message before it.
    expect(report.channels.sms).toMatchObject({ contacted: 2, replied: 1, replyRate: 0.5 });
    expect(report.total).toMatchObject({ contacted: 5, replied: 2, replyRate: 2 / 5 });
  });

  it("counts each recovered order once and adds the revenue exactly", () => {
    const report = messagingReport(
      [
        message({ automation: "cart_recovery", recoveredOrderId: "o1", recoveredRevenue: "129.90" }),
        message({ automation: "cart_recovery", recoveredOrderId: "o1", recoveredRevenue: "129.90" }),
        message({ automation: "cart_recovery", recoveredOrderId: "o2", recoveredRevenue: "0.10" }),
        message({ automation: "cart_recovery", recoveredOrderId: "o3", recoveredRevenue: "0.20", channel: "sms" }),
        message({ automation: "cart_recovery", recoveredOrderId: "o4", recoveredRevenue: "50", status: "failed" }), // never reached the shopper
      ],
      [],
      window,
    );
    expect(report.channels.email).toMatchObject({ recoveredCheckouts: 2, recoveredRevenue: "130.00" });
    expect(report.channels.sms).toMatchObject({ recoveredCheckouts: 1, recoveredRevenue: "0.20" });
    expect(report.total).toMatchObject({ recoveredCheckouts: 3, recoveredRevenue: "130.20" });
  });

  it("buckets sends per local day and channel", () => {
    const mexico = reportWindow(at("2025-03-21T02:00:00Z"), "America/Mexico_City");
    const report = messagingReport(
      [
        message({ sentAt: at("2025-03-21T01:00:00Z") }), // 19:00 on the 20th
        message({ sentAt: at("2025-03-20T06:00:00Z"), channel: "sms" }), // 00:00 on the 20th
        message({ sentAt: at("2025-03-20T05:59:00Z"), channel: "whatsapp" }), // 23:59 on the 19th
      ],
      [],
      mexico,
    );
    expect(report.daily).toHaveLength(30);
    expect(report.daily.at(-1)).toEqual({ day: "2025-03-20", email: 1, sms: 1, whatsapp: 0 });
    expect(report.daily.at(-2)).toEqual({ day: "2025-03-19", email: 0, sms: 0, whatsapp: 1 });
    expect(report.daily.reduce((sum, day) => sum + day.email + day.sms + day.whatsapp, 0)).toBe(3);
  });
});

describe("numbers", () => {
  it("adds decimal strings without floating-point error", () => {
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["0.10", "0.20"])).toBe("0.30");
    expect(sumDecimals(["129.90", "15", "0.005"])).toBe("144.905");
    expect(sumDecimals(["1999", "1"])).toBe("2000");
    expect(sumDecimals([null, "", "abc", undefined, "12.5"])).toBe("12.5");
    expect(sumDecimals(["-5.50", "2.25"])).toBe("-3.25");
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["9007199254740993.01", "1"])).toBe("9007199254740994.01");
  });

  it("has no rate without a whole", () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
  });

  it("averages the published reviews only, to one decimal", () => {
    expect(reviewReport([
      { status: "published", count: 3, ratingSum: 14 },
      { status: "pending", count: 2, ratingSum: 2 },
      { status: "rejected", count: 1, ratingSum: 1 },
    ])).toEqual({ collected: 6, published: 3, averageRating: 4.7 });
    expect(reviewReport([{ status: "pending", count: 2, ratingSum: 8 }])).toEqual({ collected: 2, published: 0, averageRating: null });
    expect(reviewReport([])).toEqual({ collected: 0, published: 0, averageRating: null });
  });

  it("counts open and pending tickets", () => {
    expect(ticketReport([{ status: "open", count: 3 }, { status: "pending", count: 2 }, { status: "closed", count: 9 }])).toEqual({ open: 3, pending: 2, total: 5 });
  });
});

describe("the onboarding checklist", () => {
  const nothing: OnboardingFacts = {
    delivery: "vendors",
    shopCredentials: { sendgrid: false, twilio: false, unreadable: false },
    appCredentials: { sendgrid: false, twilio: false },
    savedTemplates: 0,
    automations: [{ type: "order_confirmation", enabled: false }, { type: "merchant_alert", enabled: true }],
    storefrontReached: false,
  };
  const done = (facts: OnboardingFacts) => Object.fromEntries(onboardingChecklist(facts).steps.map((step) => [step.id, step.done]));

  it("starts with nothing done, in order", () => {
    const checklist = onboardingChecklist(nothing);
    expect(checklist.steps.map((step) => step.id)).toEqual(["providers", "templates", "automations", "theme"]);
    expect(checklist).toMatchObject({ done: 0, total: 4 });
  });

  it("counts providers as connected by the shop's credentials, the app's, or the outbox", () => {
    expect(done({ ...nothing, delivery: "outbox" }).providers).toBe(true);
    expect(done({ ...nothing, shopCredentials: { sendgrid: true, twilio: false, unreadable: false } }).providers).toBe(true);
    expect(done({ ...nothing, shopCredentials: { sendgrid: false, twilio: true, unreadable: false } }).providers).toBe(true);
    expect(done({ ...nothing, appCredentials: { sendgrid: false, twilio: true } }).providers).toBe(true);
    // Saved credentials that cannot be decrypted send nothing.
    expect(done({ ...nothing, shopCredentials: { sendgrid: true, twilio: true, unreadable: true } }).providers).toBe(false);
  });

  it("needs a saved template, a shopper automation switched on and a storefront visit", () => {
    const all = onboardingChecklist({
      ...nothing,
      delivery: "outbox",
      savedTemplates: 1,
      automations: [{ type: "order_confirmation", enabled: true }],
      storefrontReached: true,
    });
    expect(all).toMatchObject({ done: 4, total: 4 });
    // The merchant alert writes to the merchant: on its own it is not "automations enabled".
    expect(done(nothing).automations).toBe(false);
  });
});
