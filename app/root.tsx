import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { authResponseHtml, errorCopy, isShopifyAuthResponse } from "~/components/error-copy";
import { catalogueFor, type MessageKey } from "~/i18n";
import { adminLocaleOf } from "~/server/admin-context.server";

// Only what an error page needs, in the visitor's language (?locale=, the admin's cookie, the
// browser): the error strings, so a page that fails before its own loader ran still says in the
// right language what happened. Small on purpose: it rides along with every document.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const locale = adminLocaleOf(request);
  const messages = Object.fromEntries(Object.entries(catalogueFor(locale)).filter(([key]) => key.startsWith("errors.")));
  return json({ locale, messages });
};

// Nothing here changes after an action or a fetcher; only a new ?locale= does.
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl }) =>
  currentUrl.searchParams.get("locale") !== nextUrl.searchParams.get("locale");

export default function App() {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

// Used only if the root loader itself failed: no strings came from the server.
const LAST_RESORT: Partial<Record<MessageKey, string>> = {
  "errors.server.title": "Something went wrong",
  "errors.server.body": "Avisa could not load this page. Nothing was changed. Try again in a moment; if it keeps happening, contact Avisa support.",
  "errors.tryAgain": "Try again",
  "errors.home": "Go to the dashboard",
};

/**
 * The last boundary, for pages outside the admin layout and for errors of the layout itself when
 * it cannot render: a plain translated page (no Polaris, no loader data of other routes).
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const location = useLocation();
  const messages: Record<string, string> = data?.messages ?? LAST_RESORT;
  const copy = data ? errorCopy(error) : errorCopy(null);
  const t = (key: MessageKey, values?: Record<string, string | number>) =>
    (messages[key] ?? LAST_RESORT[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`));
  const authHtml = isShopifyAuthResponse(error) ? authResponseHtml(error) : null;

  return (
    <html lang={data?.locale ?? "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" />
        <title>{isShopifyAuthResponse(error) ? "Avisa" : `${t(copy.title)} · Avisa`}</title>
        <Meta />
        <Links />
      </head>
      <body style={{ margin: 0, fontFamily: "-apple-system, BlinkMacSystemFont, 'San Francisco', 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif", background: "#f1f1f1", color: "#303030" }}>
        {isShopifyAuthResponse(error) ? (
          authHtml ? <div dangerouslySetInnerHTML={{ __html: authHtml }} /> : <p style={{ padding: 24 }}>{t("errors.handlingResponse")}</p>
        ) : (
          <main style={{ maxWidth: 560, margin: "64px auto", padding: 24, background: "#fff", borderRadius: 12, boxShadow: "0 1px 2px rgba(0,0,0,.15)" }}>
            <h1 style={{ fontSize: 20, margin: "0 0 12px" }}>{t(copy.title)}</h1>
            <p data-testid="error-body" style={{ lineHeight: 1.5, margin: "0 0 8px" }}>{t(copy.body)}</p>
            {copy.status !== null && <p style={{ color: "#616161", fontSize: 13, margin: "0 0 16px" }}>{t("errors.status", { status: copy.status })}</p>}
            <p style={{ display: "flex", gap: 16, margin: 0 }}>
              {copy.tryAgain && <a href={`${location.pathname}${location.search}`}>{t("errors.tryAgain")}</a>}
              {location.pathname.startsWith("/app") && <a href="/app">{t("errors.home")}</a>}
            </p>
          </main>
        )}
        <Scripts />
      </body>
    </html>
  );
}
