// Webhook intake and the privacy topics, on a real SQLite file and (with TEST_POSTGRES_URL)
// a real PostgreSQL schema: the demo store's simulator signs and sends Shopify webhooks,
// the app's own route actions receive them, and the database is queried afterwards.
import { randomUUID } from "node:crypto";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_TOPICS, COMPLIANCE_TOPICS, type WebhookTopic } from "../../app/domain/events/webhook-topics";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "../../app/server/config.server";
import { DemoStore } from "../../app/server/demo/demo-store.server";
import { seedDemoStore } from "../../app/server/demo/seed.server";
import { StoreSimulator } from "../../app/server/demo/store-simulator.server";
import { listActivity } from "../../app/server/services/admin-queries.server";
import { webhookAction } from "../../app/server/webhook-action.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { signedWebhook } from "../helpers/shopify-signing";
import { useDatabase } from "../helpers/use-database";

const APP_URL = "http://127.0.0.1:3457";
const ROUTES = Object.fromEntries(
  Object.entries({ ...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS }).map(([topic, path]) => [path, topic as WebhookTopic]),
);

/** Hands a request to the route action for its path, as Remix would. */
async function appHandle(request: Request): Promise<Response> {
  const topic = ROUTES[new URL(request.url).pathname];
  if (!topic) return new Response("no route", { status: 404 });
  try {
    return await webhookAction(topic)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const clock = { now: () => new Date() };

describe.each(databaseKinds())("webhook intake on %s", (kind) => {
  let test: TestDatabase;
  let simulator: StoreSimulator;
  let shopId: string;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    await seedDemoStore(test.db, clock, APP_URL);
    shopId = (await test.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).id;
    simulator = new StoreSimulator({
      store: new DemoStore(test.db, DEMO_SHOP_DOMAIN),
      clock,
      appUrl: APP_URL,
      apiSecret: DEMO_API_SECRET,
      apiVersion: "2026-04",
      send: appHandle,
    });
  });
  afterAll(async () => test?.drop());

  it("records a simulated order once and shows it in the activity list", async () => {
    const result = await simulator.placeOrder();
    expect(result.deliveries).toEqual([{ topic: "orders/create", status: 200, answer: '{"outcome":"recorded"}' }]);
    const activity = await listActivity(shopId, 10);
    expect(activity[0]).toMatchObject({ topic: "orders/create", status: "received" });
    expect(activity[0].summary).toMatch(/^#1004 · /);
  });

  it("ignores a retried delivery (same X-Shopify-Webhook-Id)", async () => {
    const webhookId = randomUUID();
    const send = () =>
      appHandle(signedWebhook({ appUrl: APP_URL, path: "/webhooks/checkouts/update", secret: DEMO_API_SECRET, topic: "checkouts/update", shop: DEMO_SHOP_DOMAIN, body: { token: "t1" }, webhookId }));
    expect(await (await send()).json()).toEqual({ outcome: "recorded" });
    expect(await (await send()).json()).toEqual({ outcome: "duplicate" });
    expect(await test.db.eventLedger.count({ where: { shopId, webhookId } })).toBe(1);
  });

  it("answers 200 and stores nothing for a shop that is not installed", async () => {
    const before = await test.db.eventLedger.count();
    const response = await appHandle(
      signedWebhook({ appUrl: APP_URL, path: "/webhooks/orders/create", secret: DEMO_API_SECRET, topic: "orders/create", shop: "stranger.myshopify.com", body: { id: 1 } }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "ignored" });
    expect(await test.db.eventLedger.count()).toBe(before);
  });

  it("refuses a wrong HMAC with 401 and stores nothing", async () => {
    const before = await test.db.eventLedger.count();
    const response = await appHandle(
      signedWebhook({ appUrl: APP_URL, path: "/webhooks/orders/create", secret: "not-the-secret", topic: "orders/create", shop: DEMO_SHOP_DOMAIN, body: { id: 1 } }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: expect.stringContaining("HMAC") });
    expect(await test.db.eventLedger.count()).toBe(before);
  });

  it("exports everything held on a customer for customers/data_request", async () => {
    const ana = await test.db.contact.findFirstOrThrow({ where: { shopId, email: "ana.souza@example.com" } });
    await simulator.placeOrder({ customerId: ana.shopifyCustomerId! });
    // The ledger keeps bodies as delivered: one that names Ana only by id, spaced out, is hers;
    // one where her id's digits are just text is not.
    const deliverRaw = (topic: "orders/updated" | "checkouts/update", rawBody: string) =>
      appHandle(signedWebhook({ appUrl: APP_URL, path: `/webhooks/${topic}`, secret: DEMO_API_SECRET, topic, shop: DEMO_SHOP_DOMAIN, body: {}, rawBody }));
    const spacedOut = `{\n  "id": 91000000000000001,\n  "customer": {\n    "id": ${ana.shopifyCustomerId}\n  }\n}`;
    expect((await deliverRaw("orders/updated", spacedOut)).status).toBe(200);
    expect((await deliverRaw("checkouts/update", `{"token":"t-note","note":"ref ${ana.shopifyCustomerId}"}`)).status).toBe(200);
    const response = await appHandle(
      signedWebhook({
        appUrl: APP_URL, path: "/webhooks/customers/data_request", secret: DEMO_API_SECRET, topic: "customers/data_request", shop: DEMO_SHOP_DOMAIN,
        body: { shop_id: 1, shop_domain: DEMO_SHOP_DOMAIN, customer: { id: Number(ana.shopifyCustomerId), email: ana.email, phone: ana.phone }, orders_requested: [], data_request: { id: 77 } },
        // Shopify IDs exceed 2^53; the raw body keeps the exact digits.
        rawBody: `{"shop_id":1,"shop_domain":"${DEMO_SHOP_DOMAIN}","customer":{"id":${ana.shopifyCustomerId},"email":"${ana.email}","phone":"${ana.phone}"},"orders_requested":[],"data_request":{"id":77}}`,
      }),
    );
    expect(response.status).toBe(200);
    const request = await test.db.dataRequest.findFirstOrThrow({ where: { shopId } });
    const exported = JSON.parse(request.export);
    expect(exported).toMatchObject({ format: "avisa.customer-export.v1", shopifyDataRequestId: "77", customer: { email: "ana.souza@example.com" } });
    expect(exported.contacts).toHaveLength(1);
    expect(exported.consentRecords.length).toBeGreaterThan(0);
    expect(exported.orders.map((o: { name: string }) => o.name)).toContain("#1003");
    expect(exported.events.some((e: { topic: string }) => e.topic === "orders/create")).toBe(true);
    const exportedPayloads = exported.events.map((e: { payload: unknown }) => e.payload);
    expect(exportedPayloads).toContainEqual({ id: "91000000000000001", customer: { id: ana.shopifyCustomerId } });
    expect(exportedPayloads).not.toContainEqual(expect.objectContaining({ token: "t-note" }));
  });

  it("erases a customer for customers/redact and leaves everyone else alone", async () => {
    const ana = await test.db.contact.findFirstOrThrow({ where: { shopId, email: "ana.souza@example.com" } });
    const othersBefore = await test.db.contact.count({ where: { shopId, NOT: { id: ana.id } } });
    const response = await appHandle(
      signedWebhook({
        appUrl: APP_URL, path: "/webhooks/customers/redact", secret: DEMO_API_SECRET, topic: "customers/redact", shop: DEMO_SHOP_DOMAIN,
        body: {}, rawBody: `{"shop_id":1,"shop_domain":"${DEMO_SHOP_DOMAIN}","customer":{"id":${ana.shopifyCustomerId},"email":"${ana.email}","phone":"${ana.phone}"},"orders_to_redact":[]}`,
      }),
    );
    expect(response.status).toBe(200);
    expect(await test.db.contact.findUnique({ where: { id: ana.id } })).toBeNull();
    expect(await test.db.consentRecord.count({ where: { contactId: ana.id } })).toBe(0);
    expect(await test.db.dataRequest.count({ where: { shopId, email: "ana.souza@example.com" } })).toBe(0);
    const events = await test.db.eventLedger.findMany({ where: { shopId } });
    expect(events.filter((e) => e.payload.includes("ana.souza@example.com"))).toEqual([]);
    // Her events that name her only by id are erased too (the spaced-out one from the export
    // test); the checkout whose note merely holds her id's digits is someone else's and stays.
    expect(events.filter((e) => e.payload.includes("91000000000000001"))).toEqual([]);
    expect(events.filter((e) => e.payload.includes("t-note"))).toHaveLength(1);
    const order = await test.db.order.findFirstOrThrow({ where: { shopId, name: "#1003" } });
    expect(order).toMatchObject({ contactId: null, lineItems: "[]" });
    expect(await test.db.contact.count({ where: { shopId } })).toBe(othersBefore);
  });

  it("keeps sessions in the database through PrismaSessionStorage and drops them on app/uninstalled", async () => {
    const storage = new PrismaSessionStorage(test.db as never);
    const session = new Session({ id: `offline_${DEMO_SHOP_DOMAIN}`, shop: DEMO_SHOP_DOMAIN, state: "s", isOnline: false, accessToken: "shpat_test", scope: "read_orders" });
    expect(await storage.storeSession(session)).toBe(true);
    expect((await storage.loadSession(session.id))?.accessToken).toBe("shpat_test");

    const response = await appHandle(
      signedWebhook({ appUrl: APP_URL, path: "/webhooks/app/uninstalled", secret: DEMO_API_SECRET, topic: "app/uninstalled", shop: DEMO_SHOP_DOMAIN, body: { domain: DEMO_SHOP_DOMAIN } }),
    );
    expect(response.status).toBe(200);
    expect(await test.db.session.count({ where: { shop: DEMO_SHOP_DOMAIN } })).toBe(0);
    expect((await test.db.shop.findUniqueOrThrow({ where: { id: shopId } })).uninstalledAt).not.toBeNull();

    // Work stops: store events after uninstall are ignored.
    const late = await simulator.placeOrder();
    expect(late.deliveries[0].answer).toBe('{"outcome":"ignored"}');
  });

  it("deletes the shop's data for shop/redact and nothing of another shop", async () => {
    const other = await test.db.shop.create({ data: { domain: "other.myshopify.com", name: "Other" } });
    await test.db.contact.create({ data: { shopId: other.id, email: "someone@example.com" } });
    const response = await appHandle(
      signedWebhook({ appUrl: APP_URL, path: "/webhooks/shop/redact", secret: DEMO_API_SECRET, topic: "shop/redact", shop: DEMO_SHOP_DOMAIN, body: { shop_id: 1, shop_domain: DEMO_SHOP_DOMAIN } }),
    );
    expect(response.status).toBe(200);
    expect(await test.db.shop.findUnique({ where: { domain: DEMO_SHOP_DOMAIN } })).toBeNull();
    for (const count of [
      test.db.eventLedger.count({ where: { shopId } }),
      test.db.contact.count({ where: { shopId } }),
      test.db.consentRecord.count({ where: { shopId } }),
      test.db.order.count({ where: { shopId } }),
      test.db.dataRequest.count({ where: { shopId } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await test.db.contact.count({ where: { shopId: other.id } })).toBe(1);
  });
});
