// The admin Home's numbers on real SQLite and PostgreSQL: rows seeded directly, then every
// figure checked exactly — sends by channel, delivery, opens, clicks, replies within 7 days,
// recovered checkouts and revenue, reviews, open conversations, the per-day buckets in the
// shop's time zone — and the onboarding checklist's rules. A second shop's rows sit beside the
// first's everywhere and must never show up.
import { randomUUID } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTOMATION_TYPES, DEFAULT_AUTOMATIONS } from "../../app/domain/automations/definitions";
import { loader as homeLoader } from "../../app/routes/app._index";
import { DEMO_SHOP_DOMAIN, resetConfigForTests } from "../../app/server/config.server";
import { sealShopCredentials } from "../../app/server/providers/shop-providers.server";
import { loadHomeReport } from "../../app/server/services/dashboard.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

// 20:00 on 20 March 2025 in Mexico City (UTC-6 all year): the window is 19 Feb 00:00 to now, local.
const NOW = new Date("2025-03-21T02:00:00Z");
const at = (iso: string) => new Date(iso);
const ENV_KEYS = ["MESSAGE_DELIVERY", "SENDGRID_API_KEY", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"] as const;

describe.each(databaseKinds())("the admin Home's numbers on %s", (kind) => {
  let test: TestDatabase;
  let shopA: { id: string; domain: string; timeZone: string };
  let shopB: string;
  const contacts: Record<string, string> = {};
  const savedEnv: Record<string, string | undefined> = {};

  async function send(data: {
    shopId?: string; channel?: string; status: string; sentAt: Date | null; contact?: string | null; automation?: string;
    deliveredAt?: Date; openedAt?: Date; clickedAt?: Date; recoveredOrderId?: string; recoveredRevenue?: string;
  }) {
    const { contact, shopId, ...rest } = data;
    await test.db.message.create({
      data: {
        shopId: shopId ?? shopA.id,
        contactId: contact ? contacts[contact] : null,
        idempotencyKey: `test|${randomUUID()}`,
        automation: "order_confirmation",
        purpose: "transactional",
        channel: "email",
        runAt: data.sentAt ?? NOW,
        ...rest,
      },
    });
  }

  async function ticket(data: { shopId?: string; contact: string | null; channel: string; status: string; messages: { direction: string; at: Date }[] }) {
    const created = await test.db.ticket.create({
      data: {
        shopId: data.shopId ?? shopA.id, contactId: data.contact ? contacts[data.contact] : null, channel: data.channel, status: data.status,
        lastMessageAt: data.messages.at(-1)!.at,
      },
    });
    for (const message of data.messages) {
      await test.db.ticketMessage.create({ data: { ticketId: created.id, direction: message.direction, channel: data.channel, body: "¿Dónde está mi pedido?", createdAt: message.at } });
    }
  }

  async function review(data: { shopId?: string; status: string; source: string; rating: number; createdAt: Date }) {
    await test.db.review.create({
      data: { shopId: data.shopId ?? shopA.id, shopifyProductId: "8100000000000017", body: "Muy buena.", authorName: "Lucía", ...data },
    });
  }

  beforeAll(async () => {
    for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
    for (const key of ENV_KEYS) delete process.env[key];
    resetConfigForTests(); // demo environment (vitest's integration project): messages stay in the outbox
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    const a = await test.db.shop.create({ data: { domain: "tienda-a.myshopify.com", name: "Tienda A", currency: "MXN", timeZone: "America/Mexico_City" } });
    shopA = { id: a.id, domain: a.domain, timeZone: a.timeZone };
    shopB = (await test.db.shop.create({ data: { domain: "loja-b.myshopify.com", name: "Loja B", currency: "BRL", timeZone: "America/Sao_Paulo" } })).id;
    for (const name of ["ana", "bea", "caro", "dani", "eva"]) {
      contacts[name] = (await test.db.contact.create({ data: { shopId: a.id, firstName: name, email: `${name}@example.com` } })).id;
    }
    contacts.bruna = (await test.db.contact.create({ data: { shopId: shopB, firstName: "Bruna", email: "bruna@example.com" } })).id;

    // ---- Shop A's messages. Email:
    // 23:30 on 19 March, local (05:30 UTC on the 20th): delivered.
    await send({ contact: "ana", status: "delivered", sentAt: at("2025-03-20T05:30:00Z"), deliveredAt: at("2025-03-20T05:31:00Z") });
    await send({ contact: "bea", status: "opened", sentAt: at("2025-03-19T12:00:00Z"), deliveredAt: at("2025-03-19T12:01:00Z"), openedAt: at("2025-03-19T14:00:00Z") });
    await send({
      contact: "ana", automation: "cart_recovery", status: "clicked", sentAt: at("2025-03-10T12:00:00Z"),
      deliveredAt: at("2025-03-10T12:01:00Z"), openedAt: at("2025-03-10T13:00:00Z"), clickedAt: at("2025-03-10T13:00:00Z"),
      recoveredOrderId: "order-1", recoveredRevenue: "1299.90",
    });
    await send({ contact: "caro", status: "bounced", sentAt: at("2025-03-05T12:00:00Z") });
    // 19:30 on 20 March, local: sent, not confirmed yet, to no known shopper.
    await send({ contact: null, status: "sent", sentAt: at("2025-03-21T01:30:00Z") });
    // The first instant of the window: 00:00 on 19 February, local.
    await send({ contact: "dani", status: "sent", sentAt: at("2025-02-19T06:00:00Z") });
    // Not counted: before the window, after now, refused, never sent, or not to a shopper on Avisa's behalf.
    await send({ contact: "dani", status: "delivered", sentAt: at("2025-02-19T05:59:59Z"), deliveredAt: at("2025-02-19T06:00:30Z") });
    await send({ contact: "dani", status: "sent", sentAt: at("2025-03-21T02:00:01Z") });
    await send({ contact: "caro", status: "failed", sentAt: at("2025-03-12T12:00:00Z"), recoveredOrderId: "order-9", recoveredRevenue: "10.00" });
    await send({ contact: "caro", status: "unknown", sentAt: at("2025-03-12T12:00:00Z") });
    await send({ contact: "caro", status: "scheduled", sentAt: null });
    await send({ contact: "caro", status: "cancelled", sentAt: null });
    await send({ contact: null, automation: "merchant_alert", status: "delivered", sentAt: at("2025-03-12T12:00:00Z"), deliveredAt: at("2025-03-12T12:00:01Z") });
    await send({ contact: "eva", automation: "inbox_reply", status: "sent", sentAt: at("2025-03-19T11:00:00Z") });
    // SMS: a recovery text credited with order-2, and one still only "sent".
    await send({
      contact: "ana", channel: "sms", automation: "cart_recovery", status: "delivered", sentAt: at("2025-03-18T18:00:00Z"),
      deliveredAt: at("2025-03-18T18:00:05Z"), recoveredOrderId: "order-2", recoveredRevenue: "450.05",
    });
    await send({ contact: "eva", channel: "sms", status: "sent", sentAt: at("2025-03-18T19:00:00Z") });
    // WhatsApp: read (Avisa stores a read as opened; WhatsApp opens are not reported on the Home).
    await send({ contact: "bea", channel: "whatsapp", status: "opened", sentAt: at("2025-03-01T12:00:00Z"), deliveredAt: at("2025-03-01T12:00:02Z"), openedAt: at("2025-03-01T12:05:00Z") });

    // ---- Shop B: a bit of everything, in the same window.
    await send({ shopId: shopB, contact: "bruna", status: "clicked", sentAt: at("2025-03-19T12:00:00Z"), deliveredAt: at("2025-03-19T12:00:01Z"), clickedAt: at("2025-03-19T12:10:00Z"), recoveredOrderId: "order-b", recoveredRevenue: "99.00" });
    await send({ shopId: shopB, contact: "bruna", channel: "sms", status: "delivered", sentAt: at("2025-03-19T12:00:00Z"), deliveredAt: at("2025-03-19T12:00:01Z") });

    // ---- Conversations.
    // Ana answers her recovery email two days later (before her text was sent).
    await ticket({ contact: "ana", channel: "email", status: "open", messages: [{ direction: "inbound", at: at("2025-03-12T12:00:00Z") }] });
    // Bea writes 8 days after her WhatsApp message and before her email: no reply.
    await ticket({ contact: "bea", channel: "whatsapp", status: "closed", messages: [{ direction: "inbound", at: at("2025-03-09T12:00:01Z") }] });
    // Eva answers the text the next morning; the merchant answers her.
    await ticket({
      contact: "eva", channel: "sms", status: "pending",
      messages: [{ direction: "inbound", at: at("2025-03-19T10:00:00Z") }, { direction: "outbound", at: at("2025-03-19T11:00:00Z") }],
    });
    // Only the merchant wrote in Caro's conversation.
    await ticket({ contact: "caro", channel: "email", status: "closed", messages: [{ direction: "outbound", at: at("2025-03-06T12:00:00Z") }] });
    // Dani uses the storefront contact form the day after the first message of the window.
    await ticket({ contact: "dani", channel: "contact_form", status: "open", messages: [{ direction: "inbound", at: at("2025-02-20T10:00:00Z") }] });
    // A guest (no contact) is waiting for an answer.
    await ticket({ contact: null, channel: "contact_form", status: "pending", messages: [{ direction: "inbound", at: at("2025-03-15T10:00:00Z") }] });
    // Shop B's conversation, tied (wrongly, on purpose) to Bea and right after her email: must not count for shop A.
    await ticket({ shopId: shopB, contact: "bea", channel: "email", status: "open", messages: [{ direction: "inbound", at: at("2025-03-19T13:00:00Z") }] });

    // ---- Reviews.
    await review({ status: "published", source: "storefront", rating: 5, createdAt: at("2025-03-15T12:00:00Z") });
    await review({ status: "published", source: "review_request", rating: 4, createdAt: at("2025-03-16T12:00:00Z") });
    await review({ status: "pending", source: "storefront", rating: 1, createdAt: at("2025-03-17T12:00:00Z") });
    await review({ status: "rejected", source: "review_request", rating: 2, createdAt: at("2025-03-17T13:00:00Z") });
    await review({ status: "published", source: "import", rating: 3, createdAt: at("2025-03-18T12:00:00Z") }); // not collected by Avisa
    await review({ status: "published", source: "storefront", rating: 5, createdAt: at("2025-02-10T12:00:00Z") }); // before the window
    await review({ shopId: shopB, status: "published", source: "storefront", rating: 1, createdAt: at("2025-03-18T12:00:00Z") });

    // ---- A saved template.
    await test.db.template.create({ data: { shopId: a.id, messageType: "order_confirmation", channel: "sms", locale: "es", source: "Hola", text: "Hola" } });
  });

  afterAll(async () => {
    await test?.drop();
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    resetConfigForTests();
  });

  it("counts sends, deliveries, opens and clicks by channel in the last 30 days", async () => {
    const report = await loadHomeReport(test.db, shopA, { now: NOW, demoMode: false });
    expect(report.window).toEqual({ timeZone: "America/Mexico_City", firstDay: "2025-02-19", lastDay: "2025-03-20" });
    const { channels, total } = report.messaging;
    expect(channels.email).toMatchObject({ sent: 6, delivered: 3, opened: 2, clicked: 1, openRate: 2 / 3, clickRate: 1 / 3 });
    expect(channels.sms).toMatchObject({ sent: 2, delivered: 1, opened: null, clicked: null, openRate: null, clickRate: null });
    expect(channels.whatsapp).toMatchObject({ sent: 1, delivered: 1, opened: null, clicked: null, openRate: null, clickRate: null });
    expect(total).toMatchObject({ sent: 9, delivered: 5, opened: 2, clicked: 1, openRate: 2 / 3, clickRate: 1 / 3 });
    expect(report.anySent).toBe(true);
  });

  it("counts shoppers who wrote within 7 days after a message", async () => {
    const { channels, total } = (await loadHomeReport(test.db, shopA, { now: NOW, demoMode: false })).messaging;
    // Email went to Ana, Bea, Caro and Dani (and one message to no known shopper); Ana and Dani wrote back.
    expect(channels.email).toMatchObject({ contacted: 4, replied: 2, replyRate: 0.5 });
    // Texts went to Ana (who had written before it) and Eva (who answered).
    expect(channels.sms).toMatchObject({ contacted: 2, replied: 1, replyRate: 0.5 });
    expect(channels.whatsapp).toMatchObject({ contacted: 1, replied: 0, replyRate: 0 });
    expect(total).toMatchObject({ contacted: 5, replied: 3, replyRate: 0.6 });
  });

  it("counts recovered checkouts once each and adds their revenue exactly", async () => {
    const { channels, total } = (await loadHomeReport(test.db, shopA, { now: NOW, demoMode: false })).messaging;
    expect(channels.email).toMatchObject({ recoveredCheckouts: 1, recoveredRevenue: "1299.90" });
    expect(channels.sms).toMatchObject({ recoveredCheckouts: 1, recoveredRevenue: "450.05" });
    expect(channels.whatsapp).toMatchObject({ recoveredCheckouts: 0, recoveredRevenue: "0" });
    expect(total).toMatchObject({ recoveredCheckouts: 2, recoveredRevenue: "1749.95" });
  });

  it("puts each send in its day in the shop's time zone", async () => {
    const { daily } = (await loadHomeReport(test.db, shopA, { now: NOW, demoMode: false })).messaging;
    expect(daily).toHaveLength(30);
    expect(daily[0].day).toBe("2025-02-19");
    const busy = daily.filter((point) => point.email + point.sms + point.whatsapp > 0);
    expect(busy).toEqual([
      { day: "2025-02-19", email: 1, sms: 0, whatsapp: 0 },
      { day: "2025-03-01", email: 0, sms: 0, whatsapp: 1 },
      { day: "2025-03-05", email: 1, sms: 0, whatsapp: 0 },
      { day: "2025-03-10", email: 1, sms: 0, whatsapp: 0 },
      { day: "2025-03-18", email: 0, sms: 2, whatsapp: 0 },
      { day: "2025-03-19", email: 2, sms: 0, whatsapp: 0 }, // 06:00 and 23:30 local
      { day: "2025-03-20", email: 1, sms: 0, whatsapp: 0 }, // 19:30 local, 01:30 UTC on the 21st
    ]);
  });

  it("counts the reviews collected, their published average, and the conversations still open", async () => {
    const report = await loadHomeReport(test.db, shopA, { now: NOW, demoMode: false });
    expect(report.reviews).toEqual({ collected: 4, published: 2, averageRating: 4.5 });
    expect(report.tickets).toEqual({ open: 2, pending: 2, total: 4 });
  });

  it("ticks every step of a shop that is set up, with links to where each is done", async () => {
    const { onboarding } = await loadHomeReport(test.db, shopA, { now: NOW, demoMode: false });
    expect(onboarding).toEqual({
      done: 4,
      total: 4,
      steps: [
        { id: "providers", done: true, url: "/app/settings", external: false }, // the outbox
        { id: "templates", done: true, url: "/app/templates", external: false },
        { id: "automations", done: true, url: "/app/automations", external: false }, // the shipped defaults
        { id: "theme", done: true, url: "https://tienda-a.myshopify.com/admin/themes/current/editor?context=apps", external: true }, // a contact form
      ],
    });
    const demo = await loadHomeReport(test.db, shopA, { now: NOW, demoMode: true });
    expect(demo.onboarding.steps.at(-1)).toEqual({ id: "theme", done: true, url: "/demo/storefront", external: true });
  });

  it("walks a new shop through the checklist", async () => {
    process.env.MESSAGE_DELIVERY = "vendors";
    resetConfigForTests();
    try {
      const shop = await test.db.shop.create({ data: { domain: "nueva.myshopify.com", name: "Nueva", timeZone: "Europe/Madrid" } });
      const ref = { id: shop.id, domain: shop.domain, timeZone: shop.timeZone };
      const steps = async () => Object.fromEntries((await loadHomeReport(test.db, ref, { now: NOW, demoMode: false })).onboarding.steps.map((step) => [step.id, step.done]));

      const fresh = await loadHomeReport(test.db, ref, { now: NOW, demoMode: false });
      expect(fresh.anySent).toBe(false);
      expect(fresh.messaging.total).toMatchObject({ sent: 0, delivered: 0, openRate: null, replyRate: null, recoveredRevenue: "0" });
      expect(fresh.reviews).toEqual({ collected: 0, published: 0, averageRating: null });
      expect(fresh.tickets).toEqual({ open: 0, pending: 0, total: 0 });
      // Automations start on (the shipped defaults); nothing else is done.
      expect(fresh.onboarding.done).toBe(1);
      expect(await steps()).toEqual({ providers: false, templates: false, automations: true, theme: false });

      // Every shopper automation switched off; only the merchant alert left on.
      for (const type of AUTOMATION_TYPES) {
        const enabled = type === "merchant_alert";
        await test.db.automation.create({ data: { shopId: shop.id, type, enabled, definition: JSON.stringify({ ...DEFAULT_AUTOMATIONS[type], enabled }) } });
      }
      expect((await steps()).automations).toBe(false);
      await test.db.automation.update({ where: { shopId_type: { shopId: shop.id, type: "review_request" } }, data: { enabled: true } });
      expect((await steps()).automations).toBe(true);

      // The app's own Twilio account counts for every shop; so do the shop's saved credentials.
      process.env.TWILIO_ACCOUNT_SID = `AC${"0".repeat(32)}`;
      process.env.TWILIO_AUTH_TOKEN = "f".repeat(32);
      resetConfigForTests();
      expect((await steps()).providers).toBe(true);
      delete process.env.TWILIO_ACCOUNT_SID;
      delete process.env.TWILIO_AUTH_TOKEN;
      resetConfigForTests();
      expect((await steps()).providers).toBe(false);
      await test.db.shop.update({ where: { id: shop.id }, data: { credentials: sealShopCredentials(shop.id, { sendgrid: { apiKey: "SG.abc.def" } }) } });
      expect((await steps()).providers).toBe(true);

      // An imported review did not come through the storefront; a review request's review did.
      await review({ shopId: shop.id, status: "published", source: "import", rating: 5, createdAt: at("2025-03-01T12:00:00Z") });
      expect((await steps()).theme).toBe(false);
      await review({ shopId: shop.id, status: "pending", source: "review_request", rating: 5, createdAt: at("2024-12-01T12:00:00Z") });
      expect((await steps()).theme).toBe(true);

      await test.db.template.create({ data: { shopId: shop.id, messageType: "cart_recovery", channel: "email", locale: "es", source: "<mjml></mjml>", text: "Hola" } });
      expect(await steps()).toEqual({ providers: true, templates: true, automations: true, theme: true });

      // A message sent long ago: not a first run any more, though the window is empty.
      await send({ shopId: shop.id, status: "delivered", sentAt: at("2024-11-01T12:00:00Z"), deliveredAt: at("2024-11-01T12:00:01Z") });
      const quiet = await loadHomeReport(test.db, ref, { now: NOW, demoMode: false });
      expect(quiet.anySent).toBe(true);
      expect(quiet.messaging.total.sent).toBe(0);
      expect(quiet.window).toEqual({ timeZone: "Europe/Madrid", firstDay: "2025-02-20", lastDay: "2025-03-21" });
    } finally {
      delete process.env.MESSAGE_DELIVERY;
      resetConfigForTests();
    }
  });

  it("serves the Home through its route loader (demo store)", async () => {
    const shop = await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Casa Aurora", currency: "USD", timeZone: "America/Mexico_City" } });
    const args = { request: new Request("http://127.0.0.1/app?locale=es"), params: {}, context: {} } as LoaderFunctionArgs;
    const response = await homeLoader(args);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.shop).toEqual({ name: "Casa Aurora", currency: "USD" });
    expect(body.anySent).toBe(false);
    expect(body.messaging.daily).toHaveLength(30);
    expect(body.onboarding.steps.map((step: { id: string; done: boolean; url: string }) => [step.id, step.done, step.url])).toEqual([
      ["providers", true, "/app/settings"],
      ["templates", false, "/app/templates"],
      ["automations", true, "/app/automations"],
      ["theme", false, "/demo/storefront"],
    ]);
    await test.db.shop.delete({ where: { id: shop.id } });
  });
});
