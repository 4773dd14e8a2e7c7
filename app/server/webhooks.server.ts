// Authenticates a Shopify webhook delivery. Size is checked before anything else, the HMAC
// and Shopify's headers by the Shopify library, the JSON last. Every refusal is a Response
// with a status and a message someone debugging the subscription can act on.
import { parseShopifyJson } from "../domain/events/shopify-json";
import type { WebhookTopic } from "../domain/events/webhook-topics";
import { config } from "./config.server";
import { shopify } from "./shopify.server";

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

  // The library reads the body itself, so it gets a fresh request carrying the same bytes.
  const replay = new Request(request.url, { method: "POST", headers: request.headers, body });
  let context;
  try {
    context = await shopify().authenticate.webhook(replay);
  } catch (thrown) {
    if (thrown instanceof Response) {
      if (thrown.status === 401) throw refuse(401, "webhook HMAC does not match this app's API secret");
      throw refuse(thrown.status, "webhook headers were refused by Shopify's validation");
    }
    if (thrown instanceof SyntaxError) throw refuse(400, "webhook body is not valid JSON");
    throw thrown;
  }
  // The library reports topics as ORDERS_CREATE; the header said orders/create.
  if (context.topic !== expectedTopic.toUpperCase().replace(/\/|\./g, "_")) {
    throw refuse(400, `this endpoint receives ${expectedTopic}, not ${context.topic}`);
  }
  // The library parsed the body with JSON.parse, which rounds IDs beyond 2^53; parse it again exactly.
  const payload = parseShopifyJson(new TextDecoder().decode(body));
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw refuse(400, "webhook body must be a JSON object");
  }
  const triggeredAt = context.triggeredAt ? new Date(context.triggeredAt) : null;
  return {
    topic: expectedTopic,
    shopDomain: context.shop,
    webhookId: context.webhookId,
    eventId: "eventId" in context && context.eventId ? String(context.eventId) : null,
    apiVersion: context.apiVersion,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: payload as Record<string, unknown>,
  };
}
