// The demo storefront's stand-in for Shopify's app proxy: https://{shop}/apps/avisa/… is
// forwarded to the app's /proxy/… with the parameters Shopify adds (shop, logged_in_customer_id,
// path_prefix, timestamp) and Shopify's signature over them, so the demo exercises exactly the
// routes and checks a real store does. Like Shopify, it renders an `application/liquid` answer
// inside the store's page layout; the body of a POST is passed through unsigned.
import { createHmac } from "node:crypto";
import { config, DEMO_SHOP_DOMAIN } from "../config.server";
import { renderDemoStorefrontShell } from "../storefront/demo-storefront-page.server";
import { db } from "../db.server";
import { demoCustomerIdFrom } from "./demo-storefront.server";
import { DemoStore } from "./demo-store.server";

const SHOPIFY_PARAMS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"];

/** Shopify's app-proxy signature: hex HMAC-SHA256 of the sorted "key=value" pairs, joined with nothing. */
export function appProxySignature(secret: string, params: URLSearchParams): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of params) if (key !== "signature") byKey.set(key, [...(byKey.get(key) ?? []), value]);
  const message = [...byKey].map(([key, values]) => `${key}=${values.join(",")}`).sort().join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export async function forwardThroughAppProxy(request: Request, subpath: string): Promise<Response> {
  const incoming = new URL(request.url);
  const params = new URLSearchParams();
  for (const [key, value] of incoming.searchParams) if (!SHOPIFY_PARAMS.includes(key)) params.append(key, value);
  params.set("shop", DEMO_SHOP_DOMAIN);
  params.set("logged_in_customer_id", demoCustomerIdFrom(request) ?? "");
  params.set("path_prefix", "/apps/avisa");
  params.set("timestamp", String(Math.floor(Date.now() / 1000)));
  params.set("signature", appProxySignature(config().shopify.apiSecret, params));

  const target = new URL(`/proxy/${subpath}`, incoming.origin);
  target.search = params.toString();
  const headers = new Headers({ "user-agent": request.headers.get("user-agent") ?? "Mozilla/5.0", accept: request.headers.get("accept") ?? "*/*" });
  const contentType = request.headers.get("content-type");
  if (contentType) headers.set("content-type", contentType);
  // Shopify tells the app who the shopper is only through the forwarded address.
  headers.set("x-forwarded-for", request.headers.get("x-forwarded-for") ?? "127.0.0.1");
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const answer = await fetch(target, { method: request.method, headers, body: hasBody ? await request.arrayBuffer() : undefined, redirect: "manual" });

  if ((answer.headers.get("content-type") ?? "").startsWith("application/liquid")) {
    const locale = answer.headers.get("content-language") ?? incoming.searchParams.get("locale") ?? "en";
    const shop = await new DemoStore(db(), DEMO_SHOP_DOMAIN).get("shop", "shop");
    const html = await renderDemoStorefrontShell({
      title: "Avisa", locale, bodyHtml: await answer.text(), shop: { name: shop?.name ?? "Demo store", url: "/demo/storefront" },
    });
    return new Response(html, { status: answer.status, headers: { "content-type": "text/html; charset=utf-8" } });
  }
  const passed = new Headers();
  for (const name of ["content-type", "cache-control", "location", "retry-after", "etag", "last-modified"]) {
    const value = answer.headers.get(name);
    if (value) passed.set(name, value);
  }
  return new Response(answer.body, { status: answer.status, headers: passed });
}
