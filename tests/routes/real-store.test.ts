// The built app, configured for a real Shopify store (production mode), answering signed
// requests over HTTP: webhooks, app proxy, admin authentication and the absence of demo routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_USER_AGENT, startApp, type RunningApp } from "../helpers/app-server";
import { parseShopifyJson } from "../../app/domain/events/shopify-json";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { signedAppProxyRequest, signedWebhook } from "../helpers/shopify-signing";

const SECRET = "route-test-secret";
const SHOP = "casa-real.myshopify.com";
const BODY_LIMIT = 4096;

describe.each(databaseKinds())("a real-store build on %s", (kind) => {
  let database: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.db.shop.create({ data: { domain: SHOP, name: "Casa Real", primaryLocale: "es" } });
    app = await startApp({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      SHOPIFY_API_KEY: "route-test-key",
      SHOPIFY_API_SECRET: SECRET,
      SCOPES: "read_orders,read_customers",
      AVISA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
      WEBHOOK_MAX_BODY_BYTES: String(BODY_LIMIT),
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  const webhook = (overrides: Partial<Parameters<typeof signedWebhook>[0]> = {}) =>
    fetch(signedWebhook({ appUrl: app.url, path: "/webhooks/orders/create", secret: SECRET, topic: "orders/create", shop: SHOP, body: { id: "6400000000000010049", name: "#1004" }, ...overrides }));
  const ledgerCount = () => database.db.eventLedger.count();

  it("records a correctly signed webhook and answers 200", async () => {
    const response = await webhook({ webhookId: "route-ok-1" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "recorded" });
    const row = await database.db.eventLedger.findFirstOrThrow({ where: { webhookId: "route-ok-1" } });
    expect(parseShopifyJson(row.payload)).toMatchObject({ id: "6400000000000010049" });
  });

  it("refuses a wrong HMAC with 401 and stores nothing", async () => {
    const before = await ledgerCount();
    const response = await webhook({ hmac: Buffer.from("forged").toString("base64") });
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatch(/HMAC does not match/);
    // A body changed after signing is refused the same way.
    const signed = signedWebhook({ appUrl: app.url, path: "/webhooks/orders/create", secret: SECRET, topic: "orders/create", shop: SHOP, body: { id: 1 } });
    const tampered = await fetch(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify({ id: 2 }) });
    expect(tampered.status).toBe(401);
    expect(await ledgerCount()).toBe(before);
  });

  it("answers 400 naming the missing Shopify headers", async () => {
    const response = await webhook({ omitHeaders: ["x-shopify-webhook-id", "x-shopify-topic"] });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("missing Shopify webhook header(s): x-shopify-topic, x-shopify-webhook-id");
  });

  it("answers 400 to malformed JSON and to a body that is not an object, even when signed", async () => {
    const before = await ledgerCount();
    const broken = await webhook({ rawBody: '{"id": 1,' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toBe("webhook body is not valid JSON");
    const array = await webhook({ rawBody: "[1,2]" });
    expect(array.status).toBe(400);
    expect(await ledgerCount()).toBe(before);
  });

  it("answers 413 to a body over the limit", async () => {
    const response = await webhook({ rawBody: JSON.stringify({ note: "x".repeat(BODY_LIMIT) }) });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe(`webhook body is larger than ${BODY_LIMIT} bytes`);
  });

  it("answers 400 when a topic arrives at another topic's endpoint", async () => {
    const response = await webhook({ topic: "checkouts/create" });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("this endpoint receives orders/create, not checkouts/create");
  });

  it("answers 200 and stores nothing for a store that has not installed Avisa", async () => {
    const before = await ledgerCount();
    const response = await webhook({ shop: "someone-else.myshopify.com" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "ignored" });
    expect(await ledgerCount()).toBe(before);
  });

  it("accepts a signed app-proxy request and refuses tampered or stale ones", async () => {
    const ok = await fetch(signedAppProxyRequest({ appUrl: app.url, path: "/proxy", secret: SECRET, shop: SHOP }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ connected: true, shop: "Casa Real", locale: "es" });

    const tampered = await fetch(signedAppProxyRequest({ appUrl: app.url, path: "/proxy", secret: SECRET, shop: SHOP, tamper: (p) => p.set("logged_in_customer_id", "1") }));
    expect(tampered.status).toBe(401);
    expect((await tampered.json()).error).toMatch(/signature is missing, wrong, or more than 90 seconds old/);

    const stale = await fetch(signedAppProxyRequest({ appUrl: app.url, path: "/proxy", secret: SECRET, shop: SHOP, timestamp: Math.floor(Date.now() / 1000) - 120 }));
    expect(stale.status).toBe(401);

    const wrongSecret = await fetch(signedAppProxyRequest({ appUrl: app.url, path: "/proxy", secret: "other", shop: SHOP }));
    expect(wrongSecret.status).toBe(401);

    const notInstalled = await fetch(signedAppProxyRequest({ appUrl: app.url, path: "/proxy", secret: SECRET, shop: "nobody.myshopify.com" }));
    expect(notInstalled.status).toBe(404);
  });

  it("sends an unauthenticated browser to Shopify's login, and a bot away with 410", async () => {
    const browser = await fetch(`${app.url}/app`, { headers: { "user-agent": BROWSER_USER_AGENT }, redirect: "manual" });
    expect(browser.status).toBe(302);
    expect(browser.headers.get("location")).toMatch(/\/auth\/login$/);

    const bot = await fetch(`${app.url}/app`, { headers: { "user-agent": "curl/8.0" }, redirect: "manual" });
    expect(bot.status).toBe(410);
  });

  it("has no demo store: the simulator and the local Admin API do not exist", async () => {
    const simulate = await fetch(`${app.url}/demo/simulate`, { method: "POST", body: JSON.stringify({ action: "place-order" }), headers: { "content-type": "application/json" } });
    expect(simulate.status).toBe(404);
    const graphql = await fetch(`${app.url}/demo/admin/api/2026-04/graphql.json`, { method: "POST", body: JSON.stringify({ query: "{ shop { name } }" }), headers: { "content-type": "application/json" } });
    expect(graphql.status).toBe(404);
  });
});
