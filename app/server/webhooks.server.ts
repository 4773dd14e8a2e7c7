// Authenticates a Shopify webhook delivery. Size is checked before anything else, then
// Shopify's headers and the HMAC, the JSON last. Every refusal has a status and a message
// someone debugging the subscription can act on.
//
// The checks do not depend on how the request arrived: `verifyWebhook` takes the method, a
// header lookup and a body reader, so the Remix route (a Fetch Request, `fetchWebhookRequest`)
// and server.mjs's fast path (node's IncomingMessage, see webhook-fast-path.server.ts) give
// the same answer to the same bytes.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { WebhookTopic } from "../domain/events/webhook-topics";
import { config } from "./config.server";

/** A shop's permanent myshopify.com domain, as Shopify sends it in X-Shopify-Shop-Domain. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

const REQUIRED_HEADERS = ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"];

/**
 * Shopify signs the raw body with the app's API secret: base64 HMAC-SHA256 in
 * X-Shopify-Hmac-Sha256. Checked here, in constant time, rather than by the Shopify library,
 * whose webhook authentication also loads the shop's offline session from the database —
 * a query per delivery that intake does not need.
 */
export function hmacMatches(body: Uint8Array, header: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type WebhookDelivery = {
  topic: WebhookTopic;
  shopDomain: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
  /**
   * The body exactly as delivered: a JSON object. Read it with parseShopifyJson, which keeps
   * every digit of Shopify's IDs (JSON.parse rounds those beyond 2^53).
   */
  payloadJson: string;
};

/** A webhook request as any transport sees it. Header names are asked for in lower case. */
export type WebhookRequest = {
  method: string;
  header(name: string): string | null | undefined;
  /** The raw body, or null as soon as it is found to exceed `limit` bytes (then it is not read further). */
  readBody(limit: number): Promise<Uint8Array | null>;
};

export type WebhookVerification = { ok: true; delivery: WebhookDelivery } | { ok: false; status: number; error: string };

const utf8 = new TextDecoder();

const refusal = (status: number, error: string): WebhookVerification => ({ ok: false, status, error });

export async function verifyWebhook(request: WebhookRequest, expectedTopic: WebhookTopic): Promise<WebhookVerification> {
  if (request.method !== "POST") return refusal(405, "webhooks are delivered with POST");
  const settings = config();
  const limit = settings.webhookMaxBodyBytes;
  const body = await request.readBody(limit);
  if (body === null) return refusal(413, `webhook body is larger than ${limit} bytes`);

  const missing = REQUIRED_HEADERS.filter((name) => !request.header(name));
  if (missing.length) return refusal(400, `missing Shopify webhook header(s): ${missing.join(", ")}`);

  if (!hmacMatches(body, request.header("x-shopify-hmac-sha256")!, settings.shopify.apiSecret)) {
    return refusal(401, "webhook HMAC does not match this app's API secret");
  }
  const topic = request.header("x-shopify-topic")!;
  if (topic !== expectedTopic) return refusal(400, `this endpoint receives ${expectedTopic}, not ${topic}`);
  const shopDomain = request.header("x-shopify-shop-domain")!;
  if (!SHOP_DOMAIN.test(shopDomain)) return refusal(400, `x-shopify-shop-domain is not a shop domain: ${shopDomain.slice(0, 100)}`);

  // Only checked here, with the plain parser (a sixth of the exact parser's CPU, and the request
  // needs no value from it): the ledger keeps the body as delivered, and the worker parses it
  // exactly when it processes the event.
  const payloadJson = utf8.decode(body);
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    return refusal(400, "webhook body is not valid JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return refusal(400, "webhook body must be a JSON object");
  }
  const triggeredHeader = request.header("x-shopify-triggered-at");
  const triggeredAt = triggeredHeader ? new Date(triggeredHeader) : null;
  return {
    ok: true,
    delivery: {
      topic: expectedTopic,
      shopDomain,
      webhookId: request.header("x-shopify-webhook-id")!,
      eventId: request.header("x-shopify-event-id") || null,
      apiVersion: request.header("x-shopify-api-version")!,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      payloadJson,
    },
  };
}

/** The Fetch API's view of a webhook request (Remix routes, tests). */
export function fetchWebhookRequest(request: Request): WebhookRequest {
  return { method: request.method, header: (name) => request.headers.get(name), readBody: (limit) => readBodyWithLimit(request, limit) };
}

async function readBodyWithLimit(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
