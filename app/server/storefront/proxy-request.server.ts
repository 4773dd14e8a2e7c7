// What every app-proxy route does first and last: check Shopify's signature and find the
// installed shop; read the (unsigned, so untrusted) form body within size limits; answer a
// script with JSON and a browser without JavaScript with a page Shopify renders in the theme
// (`application/liquid`), in which nothing the shopper typed can act as Liquid or HTML.
import { createHmac } from "node:crypto";
import type { UploadedPhoto } from "../../domain/reviews/review-submission";
import { authenticateAppProxy } from "../app-proxy.server";
import { readBodyCapped } from "../http/read-body.server";
import { services } from "../container.server";
import { db } from "../db.server";
import { linkTokenKey } from "../services/message-context.server";
import type { StorefrontCaller } from "../services/reviews.server";
import { storefrontLocaleOf, storefrontMessage, type StorefrontLocale } from "./storefront-messages";

/** Three photos of 2 MB plus the text fields, with room for multipart framing. */
export const MAX_FORM_BYTES = 7 * 1024 * 1024;

export async function storefrontCaller(request: Request): Promise<StorefrontCaller> {
  const { shopDomain, loggedInCustomerId } = await authenticateAppProxy(request);
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop || shop.uninstalledAt) {
    const locale = storefrontLocaleOf(new URL(request.url).searchParams.get("locale"));
    throw storefrontReply(request, { status: 404, ok: false, message: storefrontMessage("notInstalled", locale), locale });
  }
  return { shop, loggedInCustomerId, clientKey: clientKeyOf(request), now: services().clock.now() };
}

/**
 * Rate limits need to recognise a sender without keeping their IP address: a keyed hash of it.
 * Shopify's proxy passes the shopper's address in X-Forwarded-For (first entry).
 */
function clientKeyOf(request: Request): string | null {
  const address = (request.headers.get("x-forwarded-for") ?? "").split(",")[0].trim();
  if (!address) return null;
  return createHmac("sha256", linkTokenKey()).update(`client:${address}`).digest("base64url").slice(0, 22);
}

export type StorefrontForm = { fields: Record<string, string | undefined>; photos: UploadedPhoto[] };

/** The posted form (urlencoded or multipart); a body over the limit is refused before it is read. */
export async function readStorefrontForm(request: Request): Promise<StorefrontForm | "too_large" | "unreadable"> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) return "too_large";
  const read = await readBodyCapped(request, MAX_FORM_BYTES);
  if (!read.ok) return "too_large";
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(read.body), { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    return "unreadable";
  }
  const fields: Record<string, string | undefined> = {};
  const photos: UploadedPhoto[] = [];
  for (const [name, value] of form) {
    if (typeof value === "string") fields[name] = value;
    else if (name === "photos" && value.size > 0) photos.push({ name: value.name, type: value.type, size: value.size, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return { fields, photos };
}

export function wantsJson(request: Request): boolean {
  return (request.headers.get("accept") ?? "").includes("application/json") || new URL(request.url).searchParams.get("format") === "json";
}

/** Text that is safe in HTML and inert as Liquid (Shopify renders `application/liquid` answers). */
export function escapeForLiquidPage(text: string): string {
  return text.replace(/[&<>"'{}]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;" })[c]!);
}

/** Only a path on the store itself: never another site (open redirects). */
export function safeReturnPath(value: string | null | undefined): string {
  return value && /^\/(?![/\\])[^\s]*$/.test(value) ? value : "/";
}

export type StorefrontReplyInput = {
  status: number;
  ok: boolean;
  message: string;
  locale: StorefrontLocale;
  errors?: Record<string, string>;
  returnTo?: string | null;
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
};

export function storefrontReply(request: Request, reply: StorefrontReplyInput): Response {
  const headers = { "Cache-Control": "no-store", ...reply.headers };
  if (wantsJson(request)) {
    return Response.json({ ok: reply.ok, message: reply.message, ...(reply.errors ? { errors: reply.errors } : {}), ...reply.extra }, { status: reply.status, headers });
  }
  const errors = Object.values(reply.errors ?? {});
  const body = [
    `<div class="avisa-notice avisa-notice--${reply.ok ? "success" : "error"}" role="${reply.ok ? "status" : "alert"}" style="max-width:40rem;margin:3rem auto;padding:1.5rem">`,
    `<p style="font-size:1.15rem">${escapeForLiquidPage(reply.message)}</p>`,
    errors.length ? `<ul>${errors.map((error) => `<li>${escapeForLiquidPage(error)}</li>`).join("")}</ul>` : "",
    `<p><a href="${escapeForLiquidPage(safeReturnPath(reply.returnTo))}">${escapeForLiquidPage(storefrontMessage("backToStore", reply.locale))}</a></p>`,
    `</div>`,
  ].join("");
  return new Response(body, { status: reply.status, headers: { ...headers, "Content-Type": "application/liquid; charset=utf-8", "Content-Language": reply.locale } });
}
