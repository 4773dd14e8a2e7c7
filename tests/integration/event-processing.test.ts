// Store events in, state and messages out — on real SQLite and PostgreSQL. The demo store's
// simulator sends signed webhooks to the app's route actions; the real job queue and worker
// process them; messages go through the dispatcher to the outbox provider.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../app/domain/errors";
import { displayedReason } from "../../app/domain/messages/message-reason";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS, type WebhookTopic } from "../../app/domain/events/webhook-topics";
import type { ChannelProvider, Clock } from "../../app/domain/ports";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "../../app/server/config.server";
import { createDemoAdminGraphql } from "../../app/server/demo/admin-graphql.server";
import { DemoStore } from "../../app/server/demo/demo-store.server";
import { seedDemoStore } from "../../app/server/demo/seed.server";
import { buildCheckout, buildOrder } from "../../app/server/demo/shopify-payloads";
import { StoreSimulator } from "../../app/server/demo/store-simulator.server";
import { jobHandlers } from "../../app/server/jobs.server";
import { DatabaseJobQueue } from "../../app/server/queue/job-queue.server";
import { startWorker } from "../../app/server/queue/worker.server";
import { capturedContentComposer } from "../../app/server/services/compose-message.server";
import { alreadyBoughtCheck, dispatchMessage } from "../../app/server/services/dispatch-message.server";
import { processLedgerEvent } from "../../app/server/services/process-event.server";
import { reconcileShop } from "../../app/server/services/reconcile-shop.server";
import { scheduleMessage } from "../../app/server/services/schedule-message.server";
import { OutboxProvider } from "../../app/server/providers/outbox/outbox-provider.server";
import { webhookAction } from "../../app/server/webhook-action.server";
import { createLogger } from "../../app/server/logger.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { signedWebhook } from "../helpers/shopify-signing";
import { useDatabase } from "../helpers/use-database";

const APP_URL = "http://127.0.0.1:3457";
const ROUTES = Object.fromEntries(Object.entries({ ...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS }).map(([topic, path]) => [path, topic as WebhookTopic]));

async function appHandle(request: Request): Promise<Response> {
  const topic = ROUTES[new URL(request.url).pathname];
  try {
    return await webhookAction(topic)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const clock: Clock = { now: () => new Date() };
const quietLogger = createLogger("error");

describe.each(databaseKinds())("event processing on %s", (kind) => {
  let test: TestDatabase;
  let simulator: StoreSimulator;
  let shopId: string;
  let drain: () => Promise<number>;

  const send = (topic: WebhookTopic, body: unknown, extra: { eventId?: string; rawBody?: string } = {}) =>
    appHandle(signedWebhook({ appUrl: APP_URL, path: WEBHOOK_TOPICS[topic as keyof typeof WEBHOOK_TOPICS], secret: DEMO_API_SECRET, topic, shop: DEMO_SHOP_DOMAIN, body, ...extra }));

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    await seedDemoStore(test.db, clock, APP_URL);
    shopId = (await test.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).id;
    simulator = new StoreSimulator({ store: new DemoStore(test.db, DEMO_SHOP_DOMAIN), clock, appUrl: APP_URL, apiSecret: DEMO_API_SECRET, apiVersion: "2026-04", send: appHandle });
    const worker = startWorker({ queue: new DatabaseJobQueue(test.db, kind), handlers: jobHandlers(), clock, logger: quietLogger, pollIntervalMs: 60_000 });
    drain = () => worker.drain();
    return () => worker.stop();
  });
  afterAll(async () => test?.drop());
  beforeEach(async () => {
    await drain();
  });

  it("writes the ledger row and its processing job in one go, then processes it once", async () => {
    const result = await simulator.abandonCheckout({ customerId: "72000000000000053" }); // Ana, pt-BR
    expect(result.deliveries.map((d) => d.answer)).toEqual(['{"outcome":"recorded"}', '{"outcome":"recorded"}']);
    expect(await test.db.job.count({ where: { shopId, kind: "process-event", status: "queued" } })).toBe(2);
    expect(await drain()).toBe(2);
    const ledger = await test.db.eventLedger.findMany({ where: { shopId, topic: { startsWith: "checkouts/" } } });
    expect(ledger.map((row) => row.status)).toEqual(["processed", "processed"]);
    const checkout = await test.db.checkout.findFirstOrThrow({ where: { shopId } });
    expect(checkout).toMatchObject({ email: "ana.souza@example.com", locale: "pt-BR", buyerAcceptsSms: true, completedAt: null });
    const contact = await test.db.contact.findUniqueOrThrow({ where: { id: checkout.contactId! } });
    expect(contact).toMatchObject({ shopifyCustomerId: "72000000000000053", timeZone: "America/Sao_Paulo" });
  });

  it("cancels pending recovery messages the moment the checkout's order arrives", async () => {
    const checkout = await test.db.checkout.findFirstOrThrow({ where: { shopId, completedAt: null } });
    const scheduled = await test.db.$transaction((tx) =>
      scheduleMessage(tx, {
        shopId, contactId: checkout.contactId, automation: "cart-recovery", step: 1, subject: checkout.token, purpose: "marketing",
        channel: "email", recipient: checkout.email, runAt: new Date(Date.now() + 3_600_000), variables: { subject: "You left something", text: "Come back" },
        checkoutToken: checkout.token,
      }),
    );
    // Scheduling twice (a replayed job) is a no-op.
    const again = await test.db.$transaction((tx) =>
      scheduleMessage(tx, {
        shopId, contactId: checkout.contactId, automation: "cart-recovery", step: 1, subject: checkout.token, purpose: "marketing",
        channel: "email", recipient: checkout.email, runAt: new Date(), variables: { text: "x" }, checkoutToken: checkout.token,
      }),
    );
    expect(again).toEqual({ id: scheduled.id, created: false });

    const bought = await simulator.completeCheckout(checkout.token);
    expect(bought.summary).toMatch(/^Checkout completed as order #1004/);
    await drain();
    const cancelled = await test.db.message.findUniqueOrThrow({ where: { id: scheduled.id } });
    expect(cancelled).toMatchObject({
      status: "cancelled",
      statusReason: "the shopper bought (order #1004)",
      statusReasonCode: "bought_order",
    });
    // The same reason as a code for the admin, read back against the English it was stored with.
    expect(displayedReason(cancelled)).toEqual({ text: "the shopper bought (order #1004)", coded: { code: "bought_order", params: { order: "#1004" } } });
    const completed = await test.db.checkout.findUniqueOrThrow({ where: { id: checkout.id } });
    expect(completed.completedAt).not.toBeNull();
    expect(completed.completedOrderId).not.toBeNull();
  });

  it("cancels pending recovery messages when Shopify reports the checkout completed", async () => {
    const store = new DemoStore(test.db, DEMO_SHOP_DOMAIN);
    const startedAt = new Date(Date.now() - 3_600_000);
    const open = buildCheckout({ customer: (await store.list("customer"))[2], products: [{ product: (await store.list("product"))[1], quantity: 1 }], startedAt, shopDomain: DEMO_SHOP_DOMAIN });
    await send("checkouts/update", open);
    await drain();
    const checkout = await test.db.checkout.findUniqueOrThrow({ where: { shopId_token: { shopId, token: open.token } } });
    const { id } = await test.db.$transaction((tx) =>
      scheduleMessage(tx, {
        shopId, contactId: checkout.contactId, automation: "cart-recovery", step: 2, subject: checkout.token, purpose: "marketing",
        channel: "email", recipient: checkout.email, runAt: new Date(Date.now() + 3_600_000), variables: { text: "Come back" }, checkoutToken: checkout.token,
      }),
    );
    const now = new Date().toISOString();
    await send("checkouts/update", { ...open, completed_at: now, updated_at: now });
    await drain();
    const cancelled = await test.db.message.findUniqueOrThrow({ where: { id } });
    expect(cancelled).toMatchObject({ status: "cancelled", statusReason: "the checkout was completed", statusReasonCode: "checkout_completed" });
    expect(displayedReason(cancelled).coded).toEqual({ code: "checkout_completed", params: {} });
  });

  it("keeps Shopify IDs beyond 2^53 exact from the raw body", async () => {
    const order = buildOrder({
      orderNumber: 4242, customer: (await new DemoStore(test.db, DEMO_SHOP_DOMAIN).list("customer"))[0],
      products: [{ product: (await new DemoStore(test.db, DEMO_SHOP_DOMAIN).list("product"))[0], quantity: 1 }],
      placedAt: new Date(), checkoutToken: null, shopDomain: DEMO_SHOP_DOMAIN,
    });
    // Shopify sends IDs as JSON numbers; JSON.parse would round 9007199254740993 to ...992.
    const rawBody = JSON.stringify({ ...order, id: "__ID__" }).replace('"__ID__"', "9007199254740993");
    expect((await send("orders/create", null, { rawBody })).status).toBe(200);
    await drain();
    expect(await test.db.order.count({ where: { shopId, shopifyOrderId: "9007199254740993" } })).toBe(1);
  });

  it("never rolls state back for a stale or duplicated delivery", async () => {
    const order = await test.db.order.findFirstOrThrow({ where: { shopId, name: "#1004" } });
    const demoOrder = (await new DemoStore(test.db, DEMO_SHOP_DOMAIN).get("order", order.shopifyOrderId))!;
    const newer = { ...demoOrder, financial_status: "refunded", updated_at: new Date(Date.now() + 60_000).toISOString() };
    const older = { ...demoOrder, financial_status: "pending", updated_at: new Date(Date.now() - 86_400_000).toISOString() };
    await send("orders/updated", newer);
    await drain();
    await send("orders/updated", older); // a day-late delivery
    await drain();
    expect((await test.db.order.findUniqueOrThrow({ where: { id: order.id } })).financialStatus).toBe("refunded");

    // One merchant action delivered twice (same event id, new webhook ids): recorded once.
    const eventId = randomUUID();
    expect(await (await send("orders/updated", newer, { eventId })).json()).toEqual({ outcome: "recorded" });
    expect(await (await send("orders/updated", newer, { eventId })).json()).toEqual({ outcome: "duplicate" });
  });

  it("gives two orders of a new customer, processed at the same time, one contact", async () => {
    const store = new DemoStore(test.db, DEMO_SHOP_DOMAIN);
    const template = (await store.list("customer"))[0];
    const newcomer = { ...template, id: "7299999999999999991", email: "new.shopper@example.com", phone: "+13055550999", default_address: { ...template.default_address, phone: "+13055550999" } };
    const product = (await store.list("product"))[0];
    const orders = [6101, 6102].map((orderNumber) =>
      buildOrder({ orderNumber, customer: newcomer, products: [{ product, quantity: 1 }], placedAt: new Date(), checkoutToken: null, shopDomain: DEMO_SHOP_DOMAIN }),
    );
    for (const order of orders) await send("orders/create", order);
    const rows = await test.db.eventLedger.findMany({ where: { shopId, status: "received", topic: "orders/create" } });
    expect(rows).toHaveLength(2);
    await Promise.all(rows.map((row) => processLedgerEvent(row.id)));
    expect(await test.db.contact.count({ where: { shopId, shopifyCustomerId: "7299999999999999991" } })).toBe(1);
    await drain();
  });

  it("retries a fulfilment that arrives before its order, then applies it", async () => {
    const order = buildOrder({
      orderNumber: 5000, customer: (await new DemoStore(test.db, DEMO_SHOP_DOMAIN).list("customer"))[1],
      products: [{ product: (await new DemoStore(test.db, DEMO_SHOP_DOMAIN).list("product"))[2], quantity: 1 }],
      placedAt: new Date(), checkoutToken: null, shopDomain: DEMO_SHOP_DOMAIN,
    });
    const fulfillment = { id: "5500000000000050001", order_id: order.id, status: "success", shipment_status: "delivered", tracking_company: "USPS", tracking_number: "9400", tracking_url: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400", created_at: new Date().toISOString(), updated_at: new Date().toISOString() };
    await send("fulfillments/update", fulfillment);
    await drain();
    const waiting = await test.db.job.findFirstOrThrow({ where: { shopId, kind: "process-event", status: "queued" } });
    expect(waiting.lastError).toMatch(/arrived before order/);
    await send("orders/create", order);
    await drain();
    // Run the retried job now rather than waiting for its backoff.
    await test.db.job.update({ where: { id: waiting.id }, data: { runAt: new Date(0) } });
    await drain();
    const stored = await test.db.fulfillment.findFirstOrThrow({ where: { shopId, shopifyFulfillmentId: "5500000000000050001" } });
    expect(stored).toMatchObject({ shipmentStatus: "delivered", trackingCompany: "USPS" });
    expect(stored.deliveredAt).not.toBeNull();
  });

  it("appends Shopify consent changes to the consent ledger", async () => {
    const lucia = await test.db.contact.findFirstOrThrow({ where: { shopId, email: "lucia.hernandez@example.com" } });
    await send("customers_email_marketing_consent/update", {
      customer_id: lucia.shopifyCustomerId,
      email_address: "lucia.hernandez@example.com",
      email_marketing_consent: { state: "unsubscribed", opt_in_level: "single_opt_in", consent_updated_at: new Date().toISOString() },
    });
    await drain();
    const latest = await test.db.consentRecord.findFirstOrThrow({ where: { shopId, contactId: lucia.id, channel: "email" }, orderBy: { recordedAt: "desc" } });
    expect(latest).toMatchObject({ state: "unsubscribed", source: "shopify" });
  });

  describe("dispatch", () => {
    let outbox: OutboxProvider;
    const newMessage = async (overrides: { checkoutToken?: string; channel?: "email" | "sms" } = {}) => {
      const contact = await test.db.contact.findFirstOrThrow({ where: { shopId, email: "emily.carter@example.com" } });
      return test.db.$transaction((tx) =>
        scheduleMessage(tx, {
          shopId, contactId: contact.id, automation: "order-update", step: 0, subject: randomUUID(), purpose: "transactional",
          channel: overrides.channel ?? "email", recipient: null, runAt: new Date(Date.now() - 1000),
          variables: { subject: "Your order shipped", text: "It is on its way." }, checkoutToken: overrides.checkoutToken ?? null,
        }),
      );
    };
    const deps = (provider: ChannelProvider) => ({
      database: test.db, clock, providerFor: () => provider, compose: capturedContentComposer(test.db), checks: [alreadyBoughtCheck(test.db)],
    });
    beforeAll(() => {
      outbox = new OutboxProvider(test.db, clock, "email");
    });

    it("sends a due message once, through the worker, to the outbox", async () => {
      const { id } = await newMessage();
      await drain();
      const sent = await test.db.message.findUniqueOrThrow({ where: { id } });
      expect(sent).toMatchObject({ status: "sent", provider: "outbox-email", recipient: "emily.carter@example.com", attempts: 1 });
      expect(await test.db.outboxMessage.count({ where: { shopId, id: sent.externalId!.replace("outbox_", "") } })).toBe(1);
      expect(await dispatchMessage(id, deps(outbox))).toEqual({ outcome: "not_pending" });
    });

    it("marks a send interrupted by a crash as unknown and never repeats it", async () => {
      const { id } = await newMessage();
      await test.db.message.update({ where: { id }, data: { status: "sending", sendingAt: new Date() } });
      const before = await test.db.outboxMessage.count();
      expect((await dispatchMessage(id, deps(outbox))).outcome).toBe("unknown");
      expect(await test.db.outboxMessage.count()).toBe(before);
      expect((await test.db.message.findUniqueOrThrow({ where: { id } })).status).toBe("unknown");
      await test.db.job.updateMany({ where: { status: "queued" }, data: { status: "completed" } });
    });

    it("retries a retriable provider error after its Retry-After, and fails a permanent one", async () => {
      const throttled: ChannelProvider = { id: "fake", channel: "email", send: async () => { throw new ProviderError("429 Too Many Requests", true, 120_000); } };
      const { id } = await newMessage();
      const outcome = await dispatchMessage(id, deps(throttled));
      expect(outcome.outcome).toBe("retry");
      const retried = await test.db.message.findUniqueOrThrow({ where: { id } });
      expect(retried.status).toBe("scheduled");
      expect(retried.runAt.getTime() - Date.now()).toBeGreaterThanOrEqual(119_000);

      const refused: ChannelProvider = { id: "fake", channel: "email", send: async () => { throw new ProviderError("21610 recipient unsubscribed", false); } };
      const second = await newMessage();
      expect(await dispatchMessage(second.id, deps(refused))).toEqual({ outcome: "failed", reason: "21610 recipient unsubscribed" });
      await test.db.job.updateMany({ where: { status: "queued" }, data: { status: "completed" } });
    });

    it("cancels a recovery message at send time when the shopper already bought, even if the webhook was missed", async () => {
      const token = randomUUID().replaceAll("-", "");
      await test.db.order.create({ data: { shopId, shopifyOrderId: "1", name: "#9001", checkoutToken: token, totalPrice: "10.00", currency: "USD", placedAt: new Date() } });
      const { id } = await newMessage({ checkoutToken: token });
      expect(await dispatchMessage(id, deps(outbox))).toEqual({ outcome: "cancelled", reason: "the shopper already bought (order #9001)" });
      await test.db.job.updateMany({ where: { status: "queued" }, data: { status: "completed" } });
    });
  });

  it("reconciles an order whose webhook was lost, once, and leaves one changed minutes ago to its webhook", async () => {
    const store = new DemoStore(test.db, DEMO_SHOP_DOMAIN);
    const placedMinutesAgo = async (orderNumber: number, minutes: number) => {
      const order = buildOrder({
        orderNumber, customer: (await store.list("customer"))[3], products: [{ product: (await store.list("product"))[4], quantity: 1 }],
        placedAt: new Date(Date.now() - minutes * 60_000), checkoutToken: null, shopDomain: DEMO_SHOP_DOMAIN,
      });
      await store.put("order", order.id, order); // Shopify has it; no webhook reached Avisa
      return order;
    };
    const lost = await placedMinutesAgo(7000, 10);
    const onItsWay = await placedMinutesAgo(7001, 1); // its webhook is most likely still coming
    const graphql = createDemoAdminGraphql(store, clock);
    const first = await reconcileShop(shopId, graphql);
    expect(first.ordersRecorded).toBeGreaterThanOrEqual(1);
    expect(await test.db.eventLedger.count({ where: { shopId, webhookId: { contains: onItsWay.id } } })).toBe(0);
    await drain();
    const order = await test.db.order.findUniqueOrThrow({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: lost.id } } });
    expect(order).toMatchObject({ name: "#7000", totalPrice: lost.total_price });
    expect(await test.db.eventLedger.count({ where: { shopId, source: "reconciliation", webhookId: { contains: lost.id } } })).toBe(1);
    const second = await reconcileShop(shopId, graphql);
    expect(second.ordersRecorded).toBe(0);
  });

  it("erases a shopper's checkouts and message details for customers/redact", async () => {
    const ana = await test.db.contact.findFirstOrThrow({ where: { shopId, email: "ana.souza@example.com" } });
    expect(await test.db.checkout.count({ where: { shopId, contactId: ana.id } })).toBeGreaterThan(0);
    const rawBody = `{"shop_id":1,"shop_domain":"${DEMO_SHOP_DOMAIN}","customer":{"id":${ana.shopifyCustomerId},"email":"${ana.email}","phone":"${ana.phone}"},"orders_to_redact":[]}`;
    expect((await appHandle(signedWebhook({ appUrl: APP_URL, path: "/webhooks/customers/redact", secret: DEMO_API_SECRET, topic: "customers/redact", shop: DEMO_SHOP_DOMAIN, body: null, rawBody }))).status).toBe(200);
    expect(await test.db.checkout.count({ where: { shopId, email: "ana.souza@example.com" } })).toBe(0);
    expect(await test.db.message.count({ where: { shopId, OR: [{ contactId: ana.id }, { recipient: "ana.souza@example.com" }] } })).toBe(0);
    expect(await test.db.contact.count({ where: { id: ana.id } })).toBe(0);
  });

  it("stops all pending work when the store uninstalls", async () => {
    const contact = await test.db.contact.findFirstOrThrow({ where: { shopId } });
    const { id } = await test.db.$transaction((tx) =>
      scheduleMessage(tx, {
        shopId, contactId: contact.id, automation: "review-request", step: 0, subject: "order-x", purpose: "marketing", channel: "email",
        recipient: null, runAt: new Date(Date.now() + 86_400_000), variables: { text: "How was it?" },
      }),
    );
    await send("app/uninstalled", { domain: DEMO_SHOP_DOMAIN });
    const cancelled = await test.db.message.findUniqueOrThrow({ where: { id } });
    expect(cancelled).toMatchObject({ status: "cancelled", statusReason: "the store uninstalled Avisa", statusReasonCode: "shop_uninstalled" });
    expect(displayedReason(cancelled).coded).toEqual({ code: "shop_uninstalled", params: {} });
    expect(await test.db.job.count({ where: { shopId, status: "queued" } })).toBe(0);
  });
});
