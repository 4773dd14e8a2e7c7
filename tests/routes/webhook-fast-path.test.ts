// The production server answers Shopify webhooks before Express and Remix (server.mjs offers
// every request to handleWebhook, app/server/webhook-fast-path.server.ts). Here every kind of
// delivery goes to one running build twice: to the subscribed path, which the fast path takes,
// and to the same path with a trailing slash, which the fast path leaves to Remix (its route
// for that URL is the same webhooks.*.tsx file). Status, body and stored rows must be the same.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseShopifyJson } from "../../app/domain/events/shopify-json";
import { startApp, type RunningApp } from "../helpers/app-server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { signedWebhook, type SignedWebhookOptions } from "../helpers/shopify-signing";

const SECRET = "fast-path-secret";
const SHOP = "rapida.myshopify.com";
const BODY_LIMIT = 4096;
// Shopify IDs exceed 2^53: the raw body carries digits a double cannot hold.
const ORDER_BODY = '{"id":6400000000000010049,"name":"#1004","customer":{"id":9007199254740993},"line_items":[{"id":1,"quantity":2}]}';

type Answer = { status: number; contentType: string | null; body: string; vary: string | null };
type Overrides = Partial<Omit<SignedWebhookOptions, "appUrl" | "path" | "secret">>;

describe.each(databaseKinds())("webhooks through the fast path on %s", (kind) => {
  let database: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.db.shop.create({ data: { domain: SHOP, name: "Rápida" } });
    app = await startApp({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      SHOPIFY_API_KEY: "fast-path-key",
      SHOPIFY_API_SECRET: SECRET,
      SCOPES: "read_orders,read_customers",
      AVISA_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
      WEBHOOK_MAX_BODY_BYTES: String(BODY_LIMIT),
      // Rows are compared as intake wrote them, before any processing.
      AVISA_WORKER: "off",
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  const answer = async (response: Response): Promise<Answer> => ({
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.text(),
    vary: response.headers.get("vary"),
  });

  const deliver = async (path: string, overrides: Overrides): Promise<Answer> =>
    answer(await fetch(signedWebhook({ appUrl: app.url, path, secret: SECRET, topic: "orders/create", shop: SHOP, body: {}, rawBody: ORDER_BODY, ...overrides })));

  /** The same delivery (own webhook and event ids unless given) to the fast path and to Remix. */
  async function bothWays(path: string, overrides: Overrides = {}) {
    const fast = await deliver(path, { webhookId: randomUUID(), eventId: randomUUID(), ...overrides });
    const remix = await deliver(`${path}/`, { webhookId: randomUUID(), eventId: randomUUID(), ...overrides });
    // compression() marks every Express response; the fast path answers without Express.
    expect(fast.vary).toBeNull();
    expect(remix.vary).toBe("Accept-Encoding");
    return { fast, remix };
  }

  const same = ({ fast, remix }: { fast: Answer; remix: Answer }) => {
    expect({ status: fast.status, contentType: fast.contentType, body: fast.body }).toEqual({ status: remix.status, contentType: remix.contentType, body: remix.body });
    return fast;
  };

  /** The ledger row and its job as stored, without what differs per delivery (ids, times). */
  async function stored(webhookId: string) {
    const row = await database.db.eventLedger.findFirstOrThrow({ where: { webhookId } });
    const jobs = await database.db.job.findMany({ where: { kind: "process-event" } });
    const job = jobs.find((candidate) => JSON.parse(candidate.payload).ledgerId === row.id);
    expect(job, `a process-event job for ledger row ${row.id}`).toBeDefined();
    expect(JSON.parse(job!.payload)).toEqual({ ledgerId: row.id });
    expect(job!.runAt.getTime()).toBe(row.receivedAt.getTime());
    expect(Math.abs(row.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const { id: _id, webhookId: _webhookId, eventId, receivedAt: _receivedAt, ...ledger } = row;
    const { id: _jobId, payload: _payload, runAt: _runAt, createdAt: _createdAt, updatedAt: _updatedAt, ...queued } = job!;
    return { ledger, eventIdSet: eventId !== null, job: queued };
  }

  it("records a delivery the same way: 200, one ledger row with the exact IDs, one queued job", async () => {
    const fastId = randomUUID();
    const remixId = randomUUID();
    const triggeredAt = "2026-05-01T10:00:00.123Z";
    const fast = await deliver("/webhooks/orders/create", { webhookId: fastId, triggeredAt });
    const remix = await deliver("/webhooks/orders/create/", { webhookId: remixId, triggeredAt });
    expect(fast.vary).toBeNull();
    expect(remix.vary).toBe("Accept-Encoding");
    expect(fast).toMatchObject({ status: 200, contentType: "application/json; charset=utf-8", body: '{"outcome":"recorded"}' });
    expect({ ...fast, vary: null }).toEqual({ ...remix, vary: null });

    const [viaFastPath, viaRemix] = [await stored(fastId), await stored(remixId)];
    expect(viaFastPath).toEqual(viaRemix);
    expect(viaFastPath.ledger).toMatchObject({ topic: "orders/create", apiVersion: "2026-04", source: "webhook", status: "received", triggeredAt: new Date(triggeredAt) });
    // Kept as delivered, and read exactly: every digit of IDs beyond 2^53.
    expect(viaFastPath.ledger.payload).toBe(ORDER_BODY);
    expect(parseShopifyJson(viaFastPath.ledger.payload)).toMatchObject({ id: "6400000000000010049", customer: { id: "9007199254740993" } });
    expect(viaFastPath.job).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("answers a repeated delivery with duplicate and stores it once", async () => {
    for (const path of ["/webhooks/orders/create", "/webhooks/orders/create/"]) {
      const webhookId = randomUUID();
      expect((await deliver(path, { webhookId })).body).toBe('{"outcome":"recorded"}');
      expect(await deliver(path, { webhookId })).toMatchObject({ status: 200, body: '{"outcome":"duplicate"}' });
      expect(await database.db.eventLedger.count({ where: { webhookId } })).toBe(1);
    }
  });

  it("ignores a shop that has not installed Avisa, and stores nothing", async () => {
    const before = await database.db.eventLedger.count();
    expect(same(await bothWays("/webhooks/orders/create", { shop: "nadie.myshopify.com" }))).toMatchObject({ status: 200, body: '{"outcome":"ignored"}' });
    expect(await database.db.eventLedger.count()).toBe(before);
  });

  it("refuses the same way: wrong HMAC, missing headers, bad JSON, wrong topic, bad shop domain", async () => {
    const before = await database.db.eventLedger.count();
    const refusals: Array<[Overrides, number, string]> = [
      [{ hmac: Buffer.from("forged").toString("base64") }, 401, "webhook HMAC does not match this app's API secret"],
      [{ omitHeaders: ["x-shopify-webhook-id", "x-shopify-topic"] }, 400, "missing Shopify webhook header(s): x-shopify-topic, x-shopify-webhook-id"],
      [{ rawBody: '{"id": 1,' }, 400, "webhook body is not valid JSON"],
      [{ rawBody: "[1,2]" }, 400, "webhook body must be a JSON object"],
      [{ topic: "checkouts/create" }, 400, "this endpoint receives orders/create, not checkouts/create"],
      [{ shop: "casa.example.com" }, 400, "x-shopify-shop-domain is not a shop domain: casa.example.com"],
      [{ rawBody: JSON.stringify({ note: "x".repeat(BODY_LIMIT) }) }, 413, `webhook body is larger than ${BODY_LIMIT} bytes`],
    ];
    for (const [overrides, status, error] of refusals) {
      expect(same(await bothWays("/webhooks/orders/create", overrides)), JSON.stringify(overrides)).toMatchObject({ status, body: JSON.stringify({ error }) });
    }
    // A body changed after signing.
    const signed = signedWebhook({ appUrl: app.url, path: "/webhooks/orders/create", secret: SECRET, topic: "orders/create", shop: SHOP, body: { id: 1 } });
    const tampered = await fetch(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify({ id: 2 }) });
    expect(tampered.status).toBe(401);
    expect(await database.db.eventLedger.count()).toBe(before);
  });

  it("refuses other methods with 405, as the route action does; GET still goes to Remix", async () => {
    const put = await answer(await fetch(`${app.url}/webhooks/orders/create`, { method: "PUT", body: "{}" }));
    const remixPut = await answer(await fetch(`${app.url}/webhooks/orders/create/`, { method: "PUT", body: "{}" }));
    expect(put).toMatchObject({ status: 405, body: '{"error":"webhooks are delivered with POST"}', vary: null });
    expect({ ...put, vary: null }).toEqual({ ...remixPut, vary: null });
    const get = await fetch(`${app.url}/webhooks/orders/create`);
    expect(get.headers.get("vary")).toBe("Accept-Encoding");
    await get.text();
  });

  it("maps every subscribed path to its topic, compliance topics included", async () => {
    const consent = await bothWays("/webhooks/customers/email-consent", {
      topic: "customers_email_marketing_consent/update",
      rawBody: '{"customer_id":9007199254740993,"email_address":"ana@example.com","email_marketing_consent":{"state":"subscribed"}}',
    });
    expect(same(consent)).toMatchObject({ status: 200, body: '{"outcome":"recorded"}' });
    const dataRequest = await bothWays("/webhooks/customers/data_request", {
      topic: "customers/data_request",
      rawBody: `{"shop_id":1,"shop_domain":"${SHOP}","customer":{"id":9007199254740993,"email":"nadie@example.com"},"orders_requested":[],"data_request":{"id":78}}`,
    });
    expect(same(dataRequest)).toMatchObject({ status: 200, body: '{"outcome":"recorded"}' });
    expect(await database.db.dataRequest.count({ where: { shopifyRequestId: "78" } })).toBe(2);
  });

  it("takes a query string, and refuses a streamed body over the limit with 413 and a closed connection", async () => {
    const withQuery = await deliver("/webhooks/orders/create?shop=rapida", { webhookId: randomUUID() });
    expect(withQuery).toMatchObject({ status: 200, body: '{"outcome":"recorded"}', vary: null });

    // No Content-Length: the limit is found while reading. (Remix's route hung up on such a
    // request without answering; the fast path answers.)
    const streamed = await new Promise<{ status?: number; connection?: string; body: string }>((resolve, reject) => {
      const request = http.request(`${app.url}/webhooks/orders/create`, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode, connection: response.headers.connection, body }));
      });
      request.on("error", reject);
      request.write("x".repeat(BODY_LIMIT - 100));
      setTimeout(() => request.end("y".repeat(200)), 20);
    });
    expect(streamed).toEqual({ status: 413, connection: "close", body: JSON.stringify({ error: `webhook body is larger than ${BODY_LIMIT} bytes` }) });
  });
});
