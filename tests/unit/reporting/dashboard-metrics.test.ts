import { describe, expect, it } from "vitest";
import {
  clickedIn,
  dayIndex,
  decimalOfParts,
  deliveredIn,
  messagingReport,
  openedIn,
  onboardingChecklist,
  rate,
  reportWindow,
  reviewReport,
  sumDecimals,
  ticketReport,
  type MessagingFacts,
  type OnboardingFacts,
  type SendGroup,
} from "../../../app/domain/reporting/dashboard-metrics";

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

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
  const today = window.days.length - 1;
  const none: MessagingFacts = { sends: [], reach: [], recovered: [] };
  const group = (over: Partial<SendGroup> = {}): SendGroup => ({
    day: today, channel: "email", status: "sent", count: 1, deliveryTimes: 0, openTimes: 0, clickTimes: 0, ...over,
  });

  it("counts sent, delivered, opened and clicked by the definitions", () => {
    const report = messagingReport(
      {
        ...none,
        sends: [
          group({ status: "sent", count: 2, deliveryTimes: 1 }), // one delivered, status not moved yet
          group({ status: "delivered", count: 2, clickTimes: 1, openTimes: 1, deliveryTimes: 2 }), // a click is an open too
          group({ status: "opened", count: 1, deliveryTimes: 0 }), // the status implies delivery
          group({ status: "clicked", count: 1 }),
          group({ status: "bounced", count: 1 }), // sent, never delivered
          group({ status: "failed", count: 5, deliveryTimes: 5 }), // not sent: ignored whatever it says
          group({ status: "unknown", count: 1 }),
          group({ status: "delivered", channel: "sms", count: 1, deliveryTimes: 1 }),
          group({ status: "sent", channel: "sms", count: 1 }),
          group({ status: "opened", channel: "whatsapp", count: 1, openTimes: 1 }), // a WhatsApp read: delivered, opens not reported
          group({ status: "sent", channel: "push", count: 4 }), // not a reported channel
          group({ status: "sent", day: -1, count: 4 }), // outside the window
          group({ status: "sent", day: window.days.length, count: 4 }),
        ],
      },
      window,
    );
    expect(report.channels.email).toMatchObject({ sent: 7, delivered: 5, opened: 3, clicked: 2, openRate: 3 / 5, clickRate: 2 / 5 });
    expect(report.channels.sms).toMatchObject({ sent: 2, delivered: 1, opened: null, clicked: null, openRate: null, clickRate: null });
    expect(report.channels.whatsapp).toMatchObject({ sent: 1, delivered: 1, opened: null, openRate: null });
    // Opens and clicks over the channels that report them (email's delivered only).
    expect(report.total).toMatchObject({ sent: 10, delivered: 7, opened: 3, clicked: 2, openRate: 3 / 5, clickRate: 2 / 5 });
  });

  it("reads delivery, opens and clicks from the status first, then from the times", () => {
    expect(deliveredIn({ status: "sent", count: 5, deliveryTimes: 2 })).toBe(2);
    expect(deliveredIn({ status: "opened", count: 5, deliveryTimes: 2 })).toBe(5);
    expect(openedIn({ status: "delivered", count: 5, openTimes: 1 })).toBe(1);
    expect(openedIn({ status: "clicked", count: 5, openTimes: 1 })).toBe(5);
    expect(clickedIn({ status: "opened", count: 5, clickTimes: 3 })).toBe(3);
    expect(clickedIn({ status: "clicked", count: 5, clickTimes: 3 })).toBe(5);
  });

  it("has no rates where nothing was delivered", () => {
    const report = messagingReport({ ...none, sends: [group({ status: "bounced" })] }, window);
    expect(report.channels.email).toMatchObject({ sent: 1, delivered: 0, openRate: null, clickRate: null, replyRate: null });
    expect(report.channels.sms).toMatchObject({ sent: 0, delivered: 0, replyRate: null, recoveredCheckouts: 0, recoveredRevenue: "0" });
  });

  it("takes shoppers reached and who replied per channel, and each shopper once for all channels", () => {
    const report = messagingReport(
      {
        ...none,
        reach: [
          { channel: "email", contacted: 4, replied: 2 },
          { channel: "sms", contacted: 2, replied: 1 },
          { channel: null, contacted: 5, replied: 2 },
        ],
      },
      window,
    );
    expect(report.channels.email).toMatchObject({ contacted: 4, replied: 2, replyRate: 0.5 });
    expect(report.channels.sms).toMatchObject({ contacted: 2, replied: 1, replyRate: 0.5 });
    expect(report.channels.whatsapp).toMatchObject({ contacted: 0, replied: 0, replyRate: null });
    expect(report.total).toMatchObject({ contacted: 5, replied: 2, replyRate: 2 / 5 });
  });

  it("counts each recovered order once and adds the revenue exactly from the database's integer parts", () => {
    const report = messagingReport(
      {
        ...none,
        recovered: [
          // o1 "129.90" and o2 "0.10": 129 + 0 whole, 90 + 10 hundredths.
          { channel: "email", orders: 2, revenue: { scale: 2, whole: 129n, fraction: 100n } },
          { channel: "sms", orders: 1, revenue: { scale: 2, whole: 0n, fraction: 20n } },
          { channel: "sms", orders: 1, revenue: null }, // a total that is not a number: counted, adds nothing
          { channel: null, orders: 3, revenue: { scale: 2, whole: 129n, fraction: 120n } },
          { channel: null, orders: 1, revenue: null },
        ],
      },
      window,
    );
    expect(report.channels.email).toMatchObject({ recoveredCheckouts: 2, recoveredRevenue: "130.00" });
    expect(report.channels.sms).toMatchObject({ recoveredCheckouts: 2, recoveredRevenue: "0.20" });
    expect(report.channels.whatsapp).toMatchObject({ recoveredCheckouts: 0, recoveredRevenue: "0" });
    expect(report.total).toMatchObject({ recoveredCheckouts: 4, recoveredRevenue: "130.20" });
  });

  it("adds groups of different decimals at the largest scale, signs included", () => {
    expect(decimalOfParts({ scale: 2, whole: -5n, fraction: -50n })).toBe("-5.50");
    expect(decimalOfParts({ scale: 2, whole: -3n, fraction: -25n })).toBe("-3.25"); // "-5.50" + "2.25"
    expect(decimalOfParts({ scale: 2, whole: 0n, fraction: 5n })).toBe("0.05");
    expect(decimalOfParts({ scale: 0, whole: 2000n, fraction: 0n })).toBe("2000");
    expect(decimalOfParts({ scale: 3, whole: 0n, fraction: 0n })).toBe("0.000");
    expect(decimalOfParts({ scale: 2, whole: 9007199254740993n, fraction: 1n })).toBe("9007199254740993.01");
    const report = messagingReport(
      {
        ...none,
        recovered: [
          { channel: "email", orders: 1, revenue: { scale: 0, whole: 15n, fraction: 0n } },
          { channel: "email", orders: 2, revenue: { scale: 2, whole: 129n, fraction: 90n } },
          { channel: "email", orders: 1, revenue: { scale: 3, whole: 0n, fraction: 5n } },
        ],
      },
      window,
    );
    expect(report.channels.email).toMatchObject({ recoveredCheckouts: 4, recoveredRevenue: "144.905" });
  });

  it("buckets sends per local day and channel", () => {
    const mexico = reportWindow(at("2025-03-21T02:00:00Z"), "America/Mexico_City");
    const report = messagingReport(
      {
        ...none,
        sends: [
          group({ day: 29, count: 1 }),
          group({ day: 29, channel: "sms", status: "delivered", count: 1 }),
          group({ day: 28, channel: "whatsapp", count: 1 }),
          group({ day: 28, channel: "whatsapp", status: "bounced", count: 2 }),
          group({ day: 28, channel: "whatsapp", status: "failed", count: 7 }), // not sent
        ],
      },
      mexico,
    );
    expect(report.daily).toHaveLength(30);
    expect(report.daily.at(-1)).toEqual({ day: "2025-03-20", email: 1, sms: 1, whatsapp: 0 });
    expect(report.daily.at(-2)).toEqual({ day: "2025-03-19", email: 0, sms: 0, whatsapp: 3 });
    expect(report.daily.reduce((sum, day) => sum + day.email + day.sms + day.whatsapp, 0)).toBe(5);
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
