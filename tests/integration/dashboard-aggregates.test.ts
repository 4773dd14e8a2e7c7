// The Home's messaging numbers are counted in SQL (loadHomeReport → messagingFacts). This file
// proves, on real SQLite and PostgreSQL, that they equal the row-by-row reading the Home used to
// do (kept here, verbatim in substance, as the reference): a varied, seeded set of messages across
// channels, statuses, automations, local-day boundaries and DST changes in several zones, replies
// on the 7-day edge, and order totals that are and are not numbers. It also proves the loader
// reads a bounded number of rows: 3,000 messages, a few hundred rows at most.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "../../app/domain/ports";
import {
  CHANNEL_TRACKING,
  DELIVERED_STATUSES,
  NOT_REPORTED_AUTOMATIONS,
  OPENED_STATUSES,
  REPLY_WINDOW_DAYS,
  REPORT_CHANNELS,
  SENT_STATUSES,
  dayIndex,
  rate,
  reportWindow,
  sumDecimals,
  type ChannelReport,
  type DailyPoint,
  type MessagingReport,
  type ReportWindow,
} from "../../app/domain/reporting/dashboard-metrics";
import { resetConfigForTests } from "../../app/server/config.server";
import type { Database } from "../../app/server/db.server";
import { loadHomeReport, messagingFacts } from "../../app/server/services/dashboard.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";

// ---------------------------------------------------------------- the reference: every row, in JS

type MessageRow = {
  channel: string;
  automation: string;
  status: string;
  sentAt: Date | null;
  deliveredAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
  contactId: string | null;
  recoveredOrderId: string | null;
  recoveredRevenue: string | null;
};
type InboundRow = { contactId: string; at: Date };

const DAY_MS = 24 * 60 * 60 * 1000;
const isChannel = (value: string): value is Channel => (REPORT_CHANNELS as readonly string[]).includes(value);
const isReportedSend = (message: MessageRow, window: ReportWindow): message is MessageRow & { sentAt: Date; channel: Channel } =>
  message.sentAt !== null &&
  isChannel(message.channel) &&
  (SENT_STATUSES as readonly string[]).includes(message.status) &&
  !(NOT_REPORTED_AUTOMATIONS as readonly string[]).includes(message.automation) &&
  dayIndex(window, message.sentAt) >= 0;
const wasDelivered = (message: MessageRow) =>
  message.deliveredAt !== null || message.openedAt !== null || message.clickedAt !== null || DELIVERED_STATUSES.includes(message.status);
const wasOpened = (message: MessageRow) => message.openedAt !== null || message.clickedAt !== null || OPENED_STATUSES.includes(message.status);
const wasClicked = (message: MessageRow) => message.clickedAt !== null || message.status === "clicked";

function hasTimeIn(sorted: readonly number[], after: number, until: number): boolean {
  return sorted.some((time) => time > after && time <= until);
}

/** The Home's messaging numbers as computed before they moved to SQL: from every row. */
function rowByRowReport(messages: readonly MessageRow[], inbound: readonly InboundRow[], window: ReportWindow): MessagingReport {
  const sends = messages.filter((message) => isReportedSend(message, window));
  const repliesByContact = new Map<string, number[]>();
  for (const reply of inbound) repliesByContact.set(reply.contactId, [...(repliesByContact.get(reply.contactId) ?? []), reply.at.getTime()]);
  const now = window.now.getTime();
  const summarize = (rows: typeof sends, tracked: boolean): ChannelReport => {
    let delivered = 0;
    let trackedDelivered = 0;
    let opened = 0;
    let clicked = 0;
    const sendTimes = new Map<string, number[]>();
    const recovered = new Map<string, string | null>();
    for (const row of rows) {
      const tracks = CHANNEL_TRACKING[row.channel];
      const reached = wasDelivered(row);
      if (reached) delivered += 1;
      if (reached && tracks.opens) trackedDelivered += 1;
      if (tracks.opens && wasOpened(row)) opened += 1;
      if (tracks.clicks && wasClicked(row)) clicked += 1;
      if (row.contactId) sendTimes.set(row.contactId, [...(sendTimes.get(row.contactId) ?? []), row.sentAt.getTime()]);
      if (row.recoveredOrderId && !recovered.has(row.recoveredOrderId)) recovered.set(row.recoveredOrderId, row.recoveredRevenue);
    }
    let replied = 0;
    for (const [contactId, times] of sendTimes) {
      const replies = repliesByContact.get(contactId);
      if (replies && times.some((sentAt) => hasTimeIn(replies, sentAt, Math.min(sentAt + REPLY_WINDOW_DAYS * DAY_MS, now)))) replied += 1;
    }
    return {
      sent: rows.length,
      delivered,
      opened: tracked ? opened : null,
      clicked: tracked ? clicked : null,
      openRate: tracked ? rate(opened, trackedDelivered) : null,
      clickRate: tracked ? rate(clicked, trackedDelivered) : null,
      contacted: sendTimes.size,
      replied,
      replyRate: rate(replied, sendTimes.size),
      recoveredCheckouts: recovered.size,
      recoveredRevenue: sumDecimals([...recovered.values()]),
    };
  };
  const channels = Object.fromEntries(
    REPORT_CHANNELS.map((channel) => [channel, summarize(sends.filter((row) => row.channel === channel), CHANNEL_TRACKING[channel].opens)]),
  ) as Record<Channel, ChannelReport>;
  const total = summarize(sends, REPORT_CHANNELS.some((channel) => CHANNEL_TRACKING[channel].opens));
  const daily: DailyPoint[] = window.days.map((bucket) => ({ day: bucket.day, email: 0, sms: 0, whatsapp: 0 }));
  for (const row of sends) daily[dayIndex(window, row.sentAt)][row.channel] += 1;
  return { channels, total, daily };
}

/** Every message and inbound inbox message of the shop, read whole (no SQL filter to trust). */
async function referenceFor(database: Database, shopId: string, window: ReportWindow): Promise<MessagingReport> {
  const messages = await database.message.findMany({
    where: { shopId },
    select: {
      channel: true, automation: true, status: true, sentAt: true, deliveredAt: true, openedAt: true, clickedAt: true,
      contactId: true, recoveredOrderId: true, recoveredRevenue: true,
    },
  });
  const inbound = await database.ticketMessage.findMany({
    where: { direction: "inbound", ticket: { shopId } },
    select: { createdAt: true, ticket: { select: { contactId: true } } },
  });
  const answers = inbound
    .filter((row) => row.ticket.contactId !== null && row.createdAt > window.start && row.createdAt <= window.now)
    .map((row) => ({ contactId: row.ticket.contactId!, at: row.createdAt }));
  return rowByRowReport(messages, answers, window);
}

// ---------------------------------------------------------------- seeded data

/** A small deterministic generator (mulberry32): the same "random" rows on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    between: (from: number, to: number) => Math.floor(from + next() * (to - from)),
  };
}

const SCENARIOS = [
  // 23:30 on 19 March in New York (EDT): the window holds 9 March, a 23-hour day.
  { name: "New York across spring forward", timeZone: "America/New_York", now: new Date("2025-03-20T03:30:00.000Z") },
  // The last millisecond of 10 April in Madrid (CEST): the window holds 30 March, a 23-hour day.
  { name: "Madrid across spring forward", timeZone: "Europe/Madrid", now: new Date("2025-04-10T21:59:59.999Z") },
  // The window holds 2 November in New York, a 25-hour day.
  { name: "New York across fall back", timeZone: "America/New_York", now: new Date("2025-11-10T12:00:00.000Z") },
  // A zone 5 h 45 min ahead of UTC: local midnight is never on a UTC hour.
  { name: "Kathmandu (+05:45)", timeZone: "Asia/Kathmandu", now: new Date("2025-03-25T18:14:59.999Z") },
] as const;

const STATUSES = ["sent", "delivered", "opened", "clicked", "bounced", "failed", "unknown", "scheduled", "cancelled", "skipped", "sending"];
const AUTOMATIONS = ["order_confirmation", "cart_recovery", "cart_recovery", "review_request", "shipping_update", "merchant_alert", "inbox_reply"];
const CHANNELS = ["email", "email", "email", "sms", "sms", "whatsapp", "voice"];
// Order totals as the order attribution stores them, and some it should never store.
const TOTALS = ["129.90", "15", "0.005", "-5.50", " 12.5 ", "\t7.25\n", "0.10", "1999", "450.05", "abc", "", null, "1.2.3", ".5", "5.", "--1", "9007199254740993.01", "0.00"];

type NewMessage = Omit<MessageRow, "channel" | "automation" | "status"> & {
  shopId: string; idempotencyKey: string; automation: string; purpose: string; channel: string; status: string; runAt: Date;
};

describe.each(databaseKinds())("the Home's messaging numbers counted in SQL on %s", (kind) => {
  let test: TestDatabase;
  let shopA: string;
  let shopB: string;
  const contactsA: string[] = [];
  let keys = 0;

  const message = (shopId: string, row: Partial<NewMessage> & { sentAt: Date | null }): NewMessage => ({
    shopId,
    idempotencyKey: `seed|${(keys += 1)}`,
    automation: "order_confirmation",
    purpose: "transactional",
    channel: "email",
    status: "sent",
    runAt: row.sentAt ?? new Date("2025-03-01T00:00:00Z"),
    deliveredAt: null,
    openedAt: null,
    clickedAt: null,
    contactId: null,
    recoveredOrderId: null,
    recoveredRevenue: null,
    ...row,
  });

  async function insertMessages(rows: NewMessage[]) {
    for (let i = 0; i < rows.length; i += 500) await test.db.message.createMany({ data: rows.slice(i, i + 500) });
  }

  /** A random message of `shopId` sent at `sentAt` (times after it for delivery, open, click). */
  function randomMessage(random: ReturnType<typeof generator>, shopId: string, sentAt: Date, contacts: readonly string[], orderTotals: Map<string, string | null>): NewMessage {
    const status = random.pick(STATUSES);
    const later = () => new Date(sentAt.getTime() + random.between(1, 3 * DAY_MS));
    const order = random.chance(0.15) ? (random.chance(0.05) ? "" : `order-${random.between(1, 60)}`) : null;
    if (order && !orderTotals.has(order)) orderTotals.set(order, random.pick(TOTALS));
    return message(shopId, {
      channel: random.pick(CHANNELS),
      automation: random.pick(AUTOMATIONS),
      status,
      sentAt: ["scheduled", "cancelled"].includes(status) && random.chance(0.7) ? null : sentAt,
      // Times and statuses disagree on purpose now and then (a click without an open time, a "sent" with a delivery time).
      deliveredAt: random.chance(0.4) ? later() : null,
      openedAt: random.chance(0.25) ? later() : null,
      clickedAt: random.chance(0.15) ? later() : null,
      contactId: random.chance(0.2) ? null : random.pick(contacts),
      recoveredOrderId: order,
      recoveredRevenue: order === null ? null : orderTotals.get(order) ?? null,
    });
  }

  beforeAll(async () => {
    resetConfigForTests();
    test = await createTestDatabase(kind);
    shopA = (await test.db.shop.create({ data: { domain: "tienda-a.myshopify.com", name: "Tienda A", currency: "EUR", timeZone: "America/New_York" } })).id;
    shopB = (await test.db.shop.create({ data: { domain: "tienda-b.myshopify.com", name: "Tienda B", currency: "EUR", timeZone: "Europe/Madrid" } })).id;
    for (let i = 0; i < 15; i += 1) {
      contactsA.push((await test.db.contact.create({ data: { shopId: shopA, firstName: `c${i}`, email: `c${i}@example.com` } })).id);
    }

    const random = generator(20250309);
    const totals = new Map<string, string | null>();
    const rows: NewMessage[] = [];
    for (const scenario of SCENARIOS) {
      const window = reportWindow(scenario.now, scenario.timeZone);
      const from = window.start.getTime() - 2 * DAY_MS;
      const to = scenario.now.getTime() + 2 * DAY_MS;
      // Random instants around and inside the window, to the millisecond.
      for (let i = 0; i < 200; i += 1) rows.push(randomMessage(random, shopA, new Date(random.between(from, to)), contactsA, totals));
      // Every local midnight of the window, and the millisecond either side of it.
      for (const day of window.days) {
        for (const offset of [-1, 0, 1]) rows.push(randomMessage(random, shopA, new Date(day.start.getTime() + offset), contactsA, totals));
      }
      // The window's first instant and now, and just outside them.
      for (const edge of [window.start.getTime() - 1, window.start.getTime(), scenario.now.getTime(), scenario.now.getTime() + 1]) {
        rows.push(message(shopA, { sentAt: new Date(edge), status: "delivered", contactId: random.pick(contactsA) }));
      }
      // The other shop: plenty, with shop A's shoppers and orders, in the same windows. Must never count.
      for (let i = 0; i < 60; i += 1) rows.push(randomMessage(random, shopB, new Date(random.between(from, to)), contactsA, totals));
    }
    // One order credited to an email and a text (same total): once in "all channels".
    rows.push(message(shopA, { channel: "email", automation: "cart_recovery", status: "delivered", sentAt: new Date("2025-03-15T12:00:00Z"), recoveredOrderId: "shared", recoveredRevenue: "100.01" }));
    rows.push(message(shopA, { channel: "sms", automation: "cart_recovery", status: "sent", sentAt: new Date("2025-03-16T12:00:00Z"), recoveredOrderId: "shared", recoveredRevenue: "100.01" }));
    await insertMessages(rows);

    // Conversations: one ticket per shopper, inbound messages at random around every window...
    const tickets = new Map<string, string>();
    for (const contactId of contactsA) {
      tickets.set(contactId, (await test.db.ticket.create({ data: { shopId: shopA, contactId, channel: "email", status: "open", lastMessageAt: new Date() } })).id);
    }
    const guest = (await test.db.ticket.create({ data: { shopId: shopA, contactId: null, channel: "contact_form", status: "open", lastMessageAt: new Date() } })).id;
    const foreign = (await test.db.ticket.create({ data: { shopId: shopB, contactId: contactsA[0], channel: "email", status: "open", lastMessageAt: new Date() } })).id;
    const answers: { ticketId: string; direction: string; channel: string; body: string; createdAt: Date }[] = [];
    const answer = (ticketId: string, createdAt: Date, direction = "inbound") => answers.push({ ticketId, direction, channel: "email", body: "¿Y mi pedido?", createdAt });
    for (const scenario of SCENARIOS) {
      const window = reportWindow(scenario.now, scenario.timeZone);
      for (let i = 0; i < 25; i += 1) {
        const at = new Date(random.between(window.start.getTime() - DAY_MS, scenario.now.getTime() + DAY_MS));
        answer(random.chance(0.1) ? guest : tickets.get(random.pick(contactsA))!, at, random.chance(0.2) ? "outbound" : "inbound");
      }
    }
    // ...and on the edges of the 7 days after a send, each for a shopper sent that one message only
    // (so one wrong comparison changes the count): at the send itself, 1 ms after it, exactly
    // 7 days after, 1 ms too late, and on another shop's ticket tied to them.
    const edges: NewMessage[] = [];
    for (const [s, scenario] of SCENARIOS.entries()) {
      const window = reportWindow(scenario.now, scenario.timeZone);
      const offsets: (number | "foreign")[] = [0, 1, REPLY_WINDOW_DAYS * DAY_MS, REPLY_WINDOW_DAYS * DAY_MS + 1, "foreign"];
      for (const [k, offset] of offsets.entries()) {
        const contactId = (await test.db.contact.create({ data: { shopId: shopA, firstName: `edge-${s}-${k}` } })).id;
        const sentAt = new Date(window.start.getTime() + 5 * DAY_MS + k * 3_600_000 + 123);
        edges.push(message(shopA, { contactId, sentAt, channel: random.pick(["email", "sms", "whatsapp"]) }));
        const shopId = offset === "foreign" ? shopB : shopA;
        const ticketId = (await test.db.ticket.create({ data: { shopId, contactId, channel: "sms", status: "open", lastMessageAt: sentAt } })).id;
        answer(ticketId, new Date(sentAt.getTime() + (offset === "foreign" ? 1000 : offset)));
      }
    }
    await insertMessages(edges);
    await test.db.ticketMessage.createMany({ data: answers });
  });

  afterAll(async () => {
    await test?.drop();
  });

  it.each(SCENARIOS)("equal the row-by-row reading: $name", async (scenario) => {
    const shop = { id: shopA, domain: "tienda-a.myshopify.com", timeZone: scenario.timeZone };
    const window = reportWindow(scenario.now, scenario.timeZone);
    const expected = await referenceFor(test.db, shopA, window);
    // The seed exercises every number (the comparison is not of zeros).
    expect(expected.total.sent).toBeGreaterThan(50);
    expect(expected.total.replied).toBeGreaterThan(0);
    expect(expected.total.recoveredCheckouts).toBeGreaterThan(3);
    for (const channel of REPORT_CHANNELS) expect(expected.channels[channel].sent).toBeGreaterThan(0);

    const report = await loadHomeReport(test.db, shop, { now: scenario.now, demoMode: false });
    expect(report.messaging).toEqual(expected);
  });

  it("puts the sends of a 23-hour day and of the milliseconds around its midnights in the right local day", async () => {
    // Hand-checked: New York's 9 March 2025 runs from 05:00Z (EST) to 04:00Z the next day (EDT).
    const shop = await test.db.shop.create({ data: { domain: "dst.myshopify.com", name: "DST", timeZone: "America/New_York" } });
    await insertMessages([
      message(shop.id, { sentAt: new Date("2025-03-09T04:59:59.999Z") }), // 23:59:59.999 on the 8th (EST)
      message(shop.id, { sentAt: new Date("2025-03-09T05:00:00.000Z") }), // 00:00 on the 9th
      message(shop.id, { sentAt: new Date("2025-03-09T07:30:00.000Z"), channel: "sms" }), // 03:30 EDT, after the skipped hour
      message(shop.id, { sentAt: new Date("2025-03-10T03:59:59.999Z"), channel: "whatsapp" }), // 23:59:59.999 on the 9th (EDT)
      message(shop.id, { sentAt: new Date("2025-03-10T04:00:00.000Z") }), // 00:00 on the 10th
    ]);
    const report = await loadHomeReport(test.db, { id: shop.id, domain: shop.domain, timeZone: shop.timeZone }, { now: SCENARIOS[0].now, demoMode: false });
    const busy = report.messaging.daily.filter((point) => point.email + point.sms + point.whatsapp > 0);
    expect(busy).toEqual([
      { day: "2025-03-08", email: 1, sms: 0, whatsapp: 0 },
      { day: "2025-03-09", email: 1, sms: 1, whatsapp: 1 },
      { day: "2025-03-10", email: 1, sms: 0, whatsapp: 0 },
    ]);
  });

  it("reads a few hundred rows for 3,000 messages, never the messages themselves", async () => {
    const now = new Date("2025-03-20T03:30:00.000Z");
    const shop = await test.db.shop.create({ data: { domain: "grande.myshopify.com", name: "Grande", timeZone: "America/New_York" } });
    const contacts: string[] = [];
    for (let i = 0; i < 40; i += 1) contacts.push((await test.db.contact.create({ data: { shopId: shop.id, firstName: `g${i}` } })).id);
    const random = generator(3000);
    const totals = new Map<string, string | null>();
    const window = reportWindow(now, shop.timeZone);
    const rows = Array.from({ length: 3000 }, () =>
      randomMessage(random, shop.id, new Date(random.between(window.start.getTime(), now.getTime() + 1)), contacts, totals),
    );
    await insertMessages(rows);
    const ref = { id: shop.id, domain: shop.domain, timeZone: shop.timeZone };

    const counted = countingRows(test.db);
    const report = await loadHomeReport(counted.database, ref, { now, demoMode: false });
    expect(report.messaging.total.sent).toBeGreaterThan(700);
    expect(report.messaging).toEqual(await referenceFor(test.db, shop.id, window));
    // Nothing reads messages (or inbox messages) one per row; the whole loader reads fewer rows
    // than the report's shape allows: days × channels × statuses for the sends, 4 reach rows,
    // 4 × (decimals seen + 1) recovery rows, and a handful of lookups.
    expect(counted.calls.filter((call) => call.method === "findMany" && ["message", "ticketMessage"].includes(call.model))).toEqual([]);
    const bound = window.days.length * REPORT_CHANNELS.length * SENT_STATUSES.length + 4 + 4 * 20 + 50;
    expect(counted.rows()).toBeLessThanOrEqual(bound);

    const facts = await messagingFacts(test.db, shop.id, window);
    expect(facts.sends.length).toBeLessThanOrEqual(window.days.length * REPORT_CHANNELS.length * SENT_STATUSES.length);
    expect(facts.sends.reduce((sum, group) => sum + group.count, 0)).toBe(report.messaging.total.sent);
    expect(facts.reach.length).toBeLessThanOrEqual(REPORT_CHANNELS.length + 1);
    expect(facts.recovered.length).toBeLessThanOrEqual((REPORT_CHANNELS.length + 1) * 5); // totals of 0, 1, 2 and 3 decimals, and unreadable ones
  });
});

/** The database, recording every query the loader makes and how many rows each returned. */
function countingRows(database: Database) {
  const calls: { model: string; method: string; rows: number }[] = [];
  const rowsOf = (result: unknown) => (Array.isArray(result) ? result.length : result === null || result === undefined ? 0 : 1);
  const record = (model: string, method: string, run: () => unknown) =>
    Promise.resolve(run()).then((result) => {
      calls.push({ model, method, rows: rowsOf(result) });
      return result;
    });
  const proxy = new Proxy(database, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof property !== "string") return value;
      if (property.startsWith("$query")) {
        return (...args: unknown[]) => record("$raw", property, () => (value as (...a: unknown[]) => unknown).apply(target, args));
      }
      if (property.startsWith("$") || property.startsWith("_") || value === null || typeof value !== "object") return value;
      // A model delegate: wrap its query methods.
      return new Proxy(value as object, {
        get(delegate, method) {
          const fn = Reflect.get(delegate, method, delegate);
          if (typeof fn !== "function" || typeof method !== "string") return fn;
          return (...args: unknown[]) => record(property, method, () => (fn as (...a: unknown[]) => unknown).apply(delegate, args));
        },
      });
    },
  });
  return { database: proxy, calls, rows: () => calls.reduce((sum, call) => sum + call.rows, 0) };
}
