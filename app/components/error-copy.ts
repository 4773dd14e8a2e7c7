// What the admin's error pages say, chosen from what was thrown: the status of a thrown
// Response (404, 400/422, other 4xx, 5xx) or a `code` in its JSON body, or "something went
// wrong" for anything else. Pure and without Polaris: the root's plain error page uses it too.
import { isRouteErrorResponse } from "@remix-run/react";
import type { MessageKey } from "~/i18n";

export type ErrorCopy = {
  title: MessageKey;
  body: MessageKey;
  /** The HTTP status, shown small under the text; null for an error that is not a response. */
  status: number | null;
  /** Whether loading the page again may help (not for a page that does not exist). */
  tryAgain: boolean;
};

/** Codes a thrown JSON response can carry (`{ code, message }`) for a page of its own. */
const CODED: Record<string, Pick<ErrorCopy, "title" | "body">> = {
  demo_not_seeded: { title: "errors.demoNotSeeded.title", body: "errors.demoNotSeeded.body" },
};

export function errorCopy(error: unknown): ErrorCopy {
  if (!isRouteErrorResponse(error)) return { title: "errors.server.title", body: "errors.server.body", status: null, tryAgain: true };
  const { status } = error;
  const code = (error.data as { code?: unknown } | null)?.code;
  if (typeof code === "string" && CODED[code]) return { ...CODED[code], status, tryAgain: true };
  if (status === 404) return { title: "errors.notFound.title", body: "errors.notFound.body", status, tryAgain: false };
  if (status === 400 || status === 422) return { title: "errors.badRequest.title", body: "errors.badRequest.body", status, tryAgain: true };
  if (status < 500) return { title: "errors.request.title", body: "errors.request.body", status, tryAgain: true };
  return { title: "errors.server.title", body: "errors.server.body", status, tryAgain: true };
}

/**
 * A response Shopify's auth flow threw for the browser to act on: the App Bridge page that
 * bounces or re-opens the app (2xx with HTML), or a 401 whose headers ask App Bridge to
 * re-authorize. It is rendered as Shopify intends, not as an error.
 */
export function isShopifyAuthResponse(error: unknown): error is { status: number; data: unknown } {
  return isRouteErrorResponse(error) && (error.status < 400 || error.status === 401);
}

/** The HTML body of a Shopify auth response, when it has one. */
export function authResponseHtml(error: { data: unknown }): string | null {
  return typeof error.data === "string" && error.data.trim() ? error.data : null;
}
