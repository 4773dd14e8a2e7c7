// The Outbox and Store simulator pages' actions on real databases: a test send with a bad channel
// or address is refused with a code (400) and stores nothing; a send that throws answers with a
// code too (500 / 502) instead of an error page; the simulator's refusals (empty demo store,
// unreadable form, nothing to fulfil) carry a code and its values, and what it did comes back as
// an outcome code the page translates. The simulator sends its webhooks to a local stand-in for
// the app, so the whole route runs.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ProviderError } from "../../app/domain/errors";
import { action as outboxAction, loader as outboxLoader } from "../../app/routes/app.outbox";
import { action as simulatorAction, loader as simulatorLoader } from "../../app/routes/app.simulator";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN, resetConfigForTests } from "../../app/server/config.server";
import { services } from "../../app/server/container.server";
import { DemoStore } from "../../app/server/demo/demo-store.server";
import { seedDemoStore } from "../../app/server/demo/seed.server";
import { SimulatorError, StoreSimulator } from "../../app/server/demo/store-simulator.server";
import { translator } from "../../app/i18n";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

const BASE = "https://avisa.example.com";

async function call(handler: (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<Response>, path: string, form?: Record<string, string>): Promise<Response> {
  const request = form
    ? new Request(`${BASE}${path}`, { method: "POST", body: new URLSearchParams(form) })
    : new Request(`${BASE}${path}`);
  try {
    return await handler({ request, params: {}, context: {} } as ActionFunctionArgs & LoaderFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe.each(databaseKinds())("outbox and simulator admin actions on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string;
  let otherShopId: string;
  let app: Server;
  const received: string[] = [];
  const savedAppUrl = process.env.SHOPIFY_APP_URL;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    // A stand-in for the app's webhook routes: records the topic, answers as Avisa does.
    app = createServer((request, response) => {
      received.push(String(request.headers["x-shopify-topic"]));
      request.resume();
      request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end('{"outcome":"recorded"}'));
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    process.env.SHOPIFY_APP_URL = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    resetConfigForTests();
    // The demo shop exists, but its demo store (customers, products) is not seeded yet.
    shopId = (await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Casa Aurora", email: "hola@casa-aurora.example", currency: "MXN" } })).id;
    otherShopId = (await test.db.shop.create({ data: { domain: "other-store.myshopify.com", name: "Other Store" } })).id;
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    if (savedAppUrl === undefined) delete process.env.SHOPIFY_APP_URL;
    else process.env.SHOPIFY_APP_URL = savedAppUrl;
    resetConfigForTests();
    await new Promise((resolve) => app?.close(resolve));
    await test?.drop();
  });

  // ------------------------------------------------------------------------------ outbox

  const kept = () => test.db.outboxMessage.count();

  it.each([
    [{ channel: "fax" }, "invalid_channel"],
    [{}, "invalid_channel"],
    [{ channel: "email", to: "not an email" }, "invalid_email"],
    [{ channel: "email", to: `${"a".repeat(320)}@example.com` }, "invalid_email"],
    [{ channel: "sms", to: "12" }, "invalid_phone"],
    [{ channel: "whatsapp", to: "+1 555 555 0100" }, "invalid_phone"],
  ])("refuses a test send %j with 400 and code %s, and keeps nothing", async (form, code) => {
    const response = await call(outboxAction, "/app/outbox", form as Record<string, string>);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, error: code });
    expect(await kept()).toBe(0);
  });

  it("keeps a test SMS for a phone number written with spaces, in E.164, in the admin's shop only", async () => {
    const response = await call(outboxAction, "/app/outbox", { channel: "sms", to: "+1 415 555 2671" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, externalId: expect.stringMatching(/^outbox_/) });
    const rows = await test.db.outboxMessage.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ shopId, channel: "sms", toAddress: "+14155552671" });
    await test.db.outboxMessage.create({ data: { shopId: otherShopId, channel: "email", toAddress: "owner@other.example", subject: "Other", text: "Other shop" } });
    const listed = (await (await call(outboxLoader, "/app/outbox")).json()) as { messages: Array<{ shopId: string }> };
    expect(listed.messages.map((m) => m.shopId)).toEqual([shopId]);
    await test.db.outboxMessage.deleteMany();
  });

  it("answers a send that throws with a code, not an error page: 502 when the provider refused, 500 otherwise", async () => {
    vi.spyOn(services().logger, "error").mockImplementation(() => {});
    vi.spyOn(services().outbox.email, "send").mockRejectedValueOnce(new ProviderError("401 Unauthorized", false));
    const refused = await call(outboxAction, "/app/outbox", { channel: "email" });
    expect(refused.status).toBe(502);
    expect(await refused.json()).toEqual({ ok: false, error: "provider_refused" });

    vi.spyOn(services().outbox.sms, "send").mockRejectedValueOnce(new Error("database is locked"));
    const failed = await call(outboxAction, "/app/outbox", { channel: "sms" });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ ok: false, error: "send_failed" });
    expect(services().logger.error).toHaveBeenCalledTimes(2);
    expect(await kept()).toBe(0);
  });

  // ------------------------------------------------------------------------------ simulator

  it("with an empty demo store: the page gets no choices and the shop's currency; commands are refused with codes", async () => {
    const page = await call(simulatorLoader, "/app/simulator");
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ currency: "MXN", customers: [], products: [], openCheckouts: 0, latestOrder: null });

    const order = await call(simulatorAction, "/app/simulator", { action: "place-order", customerId: "", productId: "" });
    expect(order.status).toBe(409);
    expect(await order.json()).toEqual({ ok: false, error: { code: "no_customers", params: {} } });

    for (const [command, code] of [["fulfil", "no_orders"], ["deliver", "no_orders"], ["complete-checkout", "no_open_checkout"]] as const) {
      const refused = await call(simulatorAction, "/app/simulator", { action: command });
      expect(refused.status, command).toBe(409);
      expect(await refused.json(), command).toEqual({ ok: false, error: { code, params: {} } });
    }
    expect(received).toEqual([]);
  });

  it.each([
    [{ action: "launch-rocket" }, ["action"]],
    [{ action: "place-order", customerId: "lucia", productId: "1; DROP TABLE" }, ["customerId", "productIds"]],
    [{ action: "advance-clock", seconds: "-5" }, ["seconds"]],
    [{ action: "complete-checkout", token: "NOT-A-TOKEN" }, ["token"]],
  ])("refuses an unreadable command %j with 400, code invalid_input and the fields", async (form, fields) => {
    const response = await call(simulatorAction, "/app/simulator", form);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, error: { code: "invalid_input", params: {}, fields } });
  });

  it("seeded: unknown ids and out-of-order steps are refused with codes and values; what it did comes back as an outcome", async () => {
    await test.db.shop.delete({ where: { id: shopId } });
    await seedDemoStore(test.db, { now: () => new Date() }, process.env.SHOPIFY_APP_URL!);
    const store = new DemoStore(test.db, DEMO_SHOP_DOMAIN);
    const [customer] = await store.list("customer");
    const [product] = await store.list("product");

    const page = (await (await call(simulatorLoader, "/app/simulator")).json()) as { currency: string; customers: unknown[]; products: unknown[] };
    expect(page.currency).toBe("USD");
    expect(page.customers.length).toBeGreaterThan(0);
    expect(page.products.length).toBeGreaterThan(0);

    const unknownCustomer = await call(simulatorAction, "/app/simulator", { action: "place-order", customerId: "999", productId: product.id });
    expect(unknownCustomer.status).toBe(409);
    expect(await unknownCustomer.json()).toEqual({ ok: false, error: { code: "unknown_customer", params: { id: "999" } } });
    const unknownProduct = await call(simulatorAction, "/app/simulator", { action: "abandon-checkout", customerId: customer.id, productId: "999" });
    expect(await unknownProduct.json()).toEqual({ ok: false, error: { code: "unknown_product", params: { id: "999" } } });

    const placed = await call(simulatorAction, "/app/simulator", { action: "place-order", customerId: customer.id, productId: product.id });
    expect(placed.status).toBe(200);
    const result = await placed.json();
    const name = `${customer.first_name} ${customer.last_name}`;
    expect(result.outcome).toEqual({ code: "order_placed", params: { order: expect.stringMatching(/^#\d+$/), customer: name } });
    expect(result.summary).toBe(`Order ${result.outcome.params.order} placed by ${name}`);
    expect(result.deliveries).toEqual([{ topic: "orders/create", status: 200, answer: '{"outcome":"recorded"}' }]);
    // The page says it in the merchant's language from the code.
    expect(translator("es")("simulator.outcome.orderPlaced", result.outcome.params)).toBe(`Pedido ${result.outcome.params.order} hecho por ${name}`);

    const notYet = await call(simulatorAction, "/app/simulator", { action: "deliver" });
    expect(await notYet.json()).toEqual({ ok: false, error: { code: "not_fulfilled", params: { order: result.outcome.params.order } } });

    const fulfilled = await (await call(simulatorAction, "/app/simulator", { action: "fulfil" })).json();
    expect(fulfilled.outcome).toEqual({ code: "order_fulfilled", params: { order: result.outcome.params.order, carrier: expect.any(String), tracking: expect.any(String) } });
    const again = await call(simulatorAction, "/app/simulator", { action: "fulfil" });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ ok: false, error: { code: "already_fulfilled", params: { order: result.outcome.params.order } } });

    const problem = await (await call(simulatorAction, "/app/simulator", { action: "delivery-problem" })).json();
    expect(problem.outcome).toEqual({ code: "delivery_attempted", params: { order: result.outcome.params.order } });
    const delivered = await (await call(simulatorAction, "/app/simulator", { action: "deliver" })).json();
    expect(delivered.outcome).toEqual({ code: "order_delivered", params: { order: result.outcome.params.order } });

    const abandoned = await (await call(simulatorAction, "/app/simulator", { action: "abandon-checkout", customerId: customer.id, productId: product.id })).json();
    expect(abandoned.outcome).toEqual({ code: "checkout_abandoned", params: { customer: name } });
    const completed = await (await call(simulatorAction, "/app/simulator", { action: "complete-checkout" })).json();
    expect(completed.outcome).toEqual({ code: "checkout_completed", params: { order: expect.stringMatching(/^#\d+$/) } });

    const clock = await (await call(simulatorAction, "/app/simulator", { action: "advance-clock", seconds: "3600" })).json();
    expect(clock.outcome).toEqual({ code: "clock_moved", params: { time: clock.clock } });
    expect(clock.deliveries).toEqual([]);

    expect(received).toEqual([
      "orders/create", "fulfillments/create", "orders/fulfilled", "orders/updated", "fulfillments/update", "fulfillments/update",
      "checkouts/create", "checkouts/update", "orders/create",
    ]);
  });

  it("the simulator's own refusals carry their code and values (CLI and page share them)", async () => {
    const simulator = new StoreSimulator({
      store: new DemoStore(test.db, DEMO_SHOP_DOMAIN), clock: { now: () => new Date() }, appUrl: process.env.SHOPIFY_APP_URL!, apiSecret: DEMO_API_SECRET, apiVersion: "2026-04",
    });
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof SimulatorError ? { code: error.code, params: error.params, message: error.message } : error));
    expect(await refusal(simulator.completeCheckout("abcdef0123456789"))).toEqual({ code: "unknown_checkout", params: { token: "abcdef0123456789" }, message: "no open checkout has token abcdef0123456789" });
    expect(await refusal(simulator.deliver("bogus/topic" as never, {}))).toMatchObject({ code: "topic_not_simulated", params: { topic: "bogus/topic" } });
  });
});
