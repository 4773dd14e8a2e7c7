// Authenticates a Shopify webhook delivery. Size is checked before anything else, then
// Shopify's headers and the HMAC, the JSON last. Every refusal is a Response
// with a status and a message someone debugging the subscription can act on.
import { createHmac, timingSafeEqual } from "node:crypto";
import { parseShopifyJson } from "../domain/events/shopify-json";
import type { WebhookTopic } from "../domain/events/webhook-topics";
import { config } from "./config.server";

/** A shop's permanent myshopify.com domain, as Shopify sends it in X-Shopify-Shop-Domain. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

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
  payload: Record<string, unknown>;
};

const refuse = (status: number, message: string) =>
  new Response(JSON.stringify({ error: message }), { status, headers: { "Content-Type": "application/json" } });

async function readBodyWithLimit(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
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
  const whole = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

export async function authenticateWebhook(request: Request, expectedTopic: WebhookTopic): Promise<WebhookDelivery> {
  if (request.method !== "POST") throw refuse(405, "webhooks are delivered with POST");
  const limit = config().webhookMaxBodyBytes;
  const body = await readBodyWithLimit(request, limit);
  if (body === null) throw refuse(413, `webhook body is larger than ${limit} bytes`);

  const missing = ["x-shopify-hmac-sha256", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"]
    .filter((name) => !request.headers.get(name));
  if (missing.length) throw refuse(400, `missing Shopify webhook header(s): ${missing.join(", ")}`);

  const secret = config().shopify.apiSecret;
  if (!hmacMatches(body, request.headers.get("x-shopify-hmac-sha256")!, secret)) {
    throw refuse(401, "webhook HMAC does not match this app's API secret");
  }
  const topic = request.headers.get("x-shopify-topic")!;
  if (topic !== expectedTopic) throw refuse(400, `this endpoint receives ${expectedTopic}, not ${topic}`);
  const shopDomain = request.headers.get("x-shopify-shop-domain")!;
  if (!SHOP_DOMAIN.test(shopDomain)) throw refuse(400, `x-shopify-shop-domain is not a shop domain: ${shopDomain.slice(0, 100)}`);

  // Parsed once, exactly: IDs beyond 2^53 keep every digit (JSON.parse would round them).
  let payload: unknown;
  try {
    payload = parseShopifyJson(new TextDecoder().decode(body));
  } catch {
    throw refuse(400, "webhook body is not valid JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw refuse(400, "webhook body must be a JSON object");
  }
  const triggeredHeader = request.headers.get("x-shopify-triggered-at");
  const triggeredAt = triggeredHeader ? new Date(triggeredHeader) : null;
  return {
    topic: expectedTopic,
    shopDomain,
    webhookId: request.headers.get("x-shopify-webhook-id")!,
    eventId: request.headers.get("x-shopify-event-id") || null,
    apiVersion: request.headers.get("x-shopify-api-version")!,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: payload as Record<string, unknown>,
  };
}
