// Builds requests the way Shopify signs them, independently of the app's own code, so tests
// check the app against Shopify's rules rather than against itself.
//  - Webhooks: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, raw body)).
//  - App proxy: signature = hex(HMAC-SHA256(secret, sorted "key=value" pairs joined with "")),
//    array values joined with ",", with a timestamp Shopify's library accepts within 90 s.
import { createHmac, randomUUID } from "node:crypto";

export type SignedWebhookOptions = {
  appUrl: string;
  path: string;
  secret: string;
  topic: string;
  shop: string;
  body: unknown;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  apiVersion?: string;
  /** Overrides for negative tests: a raw body string, headers to drop or replace. */
  rawBody?: string;
  omitHeaders?: string[];
  hmac?: string;
};

export function webhookHmac(secret: string, rawBody: string | Buffer): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function signedWebhook(options: SignedWebhookOptions): Request {
  const rawBody = options.rawBody ?? JSON.stringify(options.body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": options.topic,
    "x-shopify-hmac-sha256": options.hmac ?? webhookHmac(options.secret, rawBody),
    "x-shopify-shop-domain": options.shop,
    "x-shopify-api-version": options.apiVersion ?? "2026-04",
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-event-id": options.eventId ?? randomUUID(),
    "x-shopify-triggered-at": options.triggeredAt ?? new Date().toISOString(),
    "user-agent": "Shopify-Captain-Hook",
  };
  for (const name of options.omitHeaders ?? []) delete headers[name];
  return new Request(new URL(options.path, options.appUrl), { method: "POST", headers, body: rawBody });
}

export function appProxySignature(secret: string, params: Record<string, string | string[]>): string {
  const message = Object.entries(params)
    .filter(([key]) => key !== "signature")
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(",") : value}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export type AppProxyOptions = {
  appUrl: string;
  path: string;
  secret: string;
  shop: string;
  loggedInCustomerId?: string;
  timestamp?: number;
  extraParams?: Record<string, string>;
  method?: string;
  body?: string;
  tamper?: (params: URLSearchParams) => void;
};

/** A request as Shopify forwards it from https://{shop}/apps/avisa/… to the app. */
export function signedAppProxyRequest(options: AppProxyOptions): Request {
  const params: Record<string, string> = {
    shop: options.shop,
    logged_in_customer_id: options.loggedInCustomerId ?? "",
    path_prefix: "/apps/avisa",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...options.extraParams,
  };
  const search = new URLSearchParams(params);
  search.set("signature", appProxySignature(options.secret, params));
  options.tamper?.(search);
  const url = new URL(options.path, options.appUrl);
  url.search = search.toString();
  return new Request(url, {
    method: options.method ?? "GET",
    headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36" },
    body: options.body,
  });
}
