// The demo store as `npm run demo` serves it: seeded shop, store simulator over HTTP (the CLI's
// endpoint), signed webhooks from the simulator to the app itself, the demo clock, and the
// local Admin GraphQL API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_USER_AGENT, startDemoApp, type RunningApp } from "../helpers/app-server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

describe("the demo store", () => {
  let database: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    app = await startDemoApp(database);
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  const simulate = (command: unknown) =>
    fetch(`${app.url}/demo/simulate`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(command) });
  const page = (path: string) => fetch(`${app.url}${path}`, { headers: { "user-agent": BROWSER_USER_AGENT } }).then((r) => r.text());

  it("serves the seeded shop's admin without any Shopify account", async () => {
    const html = await page("/app");
    expect(html).toContain("Casa Aurora");
    expect(html).not.toContain("cdn.shopify.com/shopifycloud/app-bridge.js");
  });

  it("places an order through a signed webhook and shows it in the activity list", async () => {
    const response = await simulate({ action: "place-order" });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.summary).toMatch(/^Order #1004 placed by /);
    expect(result.deliveries).toEqual([{ topic: "orders/create", status: 200, answer: '{"outcome":"recorded"}' }]);
    expect(await page("/app/activity")).toContain("orders/create");
  });

  it("abandons, fulfils and delivers with the webhooks Shopify sends", async () => {
    const abandoned = await (await simulate({ action: "abandon-checkout" })).json();
    expect(abandoned.deliveries.map((d: { topic: string }) => d.topic)).toEqual(["checkouts/create", "checkouts/update"]);
    const fulfilled = await (await simulate({ action: "fulfil" })).json();
    expect(fulfilled.deliveries.map((d: { topic: string; status: number }) => `${d.topic} ${d.status}`)).toEqual([
      "fulfillments/create 200", "orders/fulfilled 200", "orders/updated 200",
    ]);
    const delivered = await (await simulate({ action: "deliver" })).json();
    expect(delivered.deliveries).toEqual([{ topic: "fulfillments/update", status: 200, answer: '{"outcome":"recorded"}' }]);
    const completed = await (await simulate({ action: "complete-checkout" })).json();
    expect(completed.summary).toMatch(/^Checkout completed as order #1005/);
    const order = await database.db.demoStoreRecord.findFirstOrThrow({ where: { kind: "order", shopifyId: { endsWith: "010059" } } });
    expect(JSON.parse(order.data).checkout_token).toMatch(/^[a-f0-9]{32}$/);
  });

  it("moves the demo clock forward", async () => {
    const before = Date.now();
    const moved = await (await simulate({ action: "advance-clock", seconds: 86_400 })).json();
    expect(new Date(moved.clock).getTime() - before).toBeGreaterThanOrEqual(86_400_000 - 1000);
    // Events received now carry demo time.
    await simulate({ action: "place-order" });
    const latest = await database.db.eventLedger.findFirstOrThrow({ orderBy: { receivedAt: "desc" } });
    expect(latest.receivedAt.getTime() - before).toBeGreaterThanOrEqual(86_400_000 - 1000);
  });

  it("runs the automations end to end: the outbox shows each message in the shopper's language", async () => {
    const outboxFor = (to: string) => database.db.outboxMessage.findMany({ where: { toAddress: to }, orderBy: { createdAt: "asc" } });
    const waitFor = async (what: string, found: () => Promise<boolean>) => {
      const deadline = Date.now() + 20_000;
      while (!(await found())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    // Lucía (es, Mexico City) buys: the order confirmation is texted at once, in Spanish.
    await simulate({ action: "place-order", customerId: "72000000000000033" });
    await waitFor("Lucía's order confirmation", async () => (await outboxFor("+525512345678")).length > 0);
    const [confirmation] = await outboxFor("+525512345678");
    expect(confirmation).toMatchObject({ channel: "sms" });
    expect(confirmation.text).toMatch(/pedido/i);

    // Ana (pt-BR) abandons a cart; an hour later (demo clock) the first recovery email arrives in Portuguese.
    await simulate({ action: "abandon-checkout", customerId: "72000000000000053" });
    expect(await outboxFor("ana.souza@example.com")).toHaveLength(0);
    await simulate({ action: "advance-clock", seconds: 3_700 });
    await waitFor("Ana's recovery email", async () => (await outboxFor("ana.souza@example.com")).length > 0);
    const [recovery] = await outboxFor("ana.souza@example.com");
    expect(recovery.subject).toMatch(/Ana|carrinho|esqueceu/i);
    expect(recovery.html).toContain("<html");
    const message = await database.db.message.findFirstOrThrow({ where: { automation: "cart_recovery", step: 1, recipient: "ana.souza@example.com" } });
    expect(message).toMatchObject({ status: "sent", locale: "pt-BR", provider: "outbox-email" });
  });

  it("explains refused simulator commands", async () => {
    const unknown = await simulate({ action: "teleport" });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe("unknown simulator command");
    const badCustomer = await simulate({ action: "place-order", customerId: "999" });
    expect(badCustomer.status).toBe(409);
    expect((await badCustomer.json()).error).toBe("no demo customer has id 999");
    const notJson = await fetch(`${app.url}/demo/simulate`, { method: "POST", body: "place-order" });
    expect(notJson.status).toBe(400);
  });

  it("answers Admin GraphQL locally in Shopify's response shape", async () => {
    const response = await fetch(`${app.url}/demo/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ shop { name currencyCode ianaTimezone } orders(first: 2, reverse: true) { nodes { name } } }" }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data.shop).toEqual({ name: "Casa Aurora", currencyCode: "USD", ianaTimezone: "America/New_York" });
    expect(body.data.orders.nodes).toHaveLength(2);
  });
});
