// Who is asking, for which shop, in which language: the first line of every admin loader.
// A real store authenticates through Shopify (session token / OAuth); the demo store is the
// seeded demo shop with its local Admin API, and only exists when demo mode is on.
import { json } from "@remix-run/node";
import { localeFromAcceptLanguage, resolveAdminLocale, type AdminLocale } from "../i18n";
import type { AdminGraphql } from "../domain/ports";
import { config, DEMO_SHOP_DOMAIN } from "./config.server";
import { services } from "./container.server";
import { db } from "./db.server";
import { createDemoAdminGraphql } from "./demo/admin-graphql.server";
import { DemoStore } from "./demo/demo-store.server";
import { recordInstallation } from "./services/install-shop.server";
import { shopify } from "./shopify.server";

export type AdminContext = {
  shop: { id: string; domain: string; name: string; email: string | null; currency: string; timeZone: string; primaryLocale: string; installedAt: Date };
  locale: AdminLocale;
  graphql: AdminGraphql;
  demoMode: boolean;
};

const LOCALE_COOKIE = "avisa_admin_locale";

/** The admin language: ?locale= (Shopify passes the merchant's), then the cookie, then the browser. */
export function adminLocaleOf(request: Request): AdminLocale {
  const url = new URL(request.url);
  const cookie = /(?:^|;\s*)avisa_admin_locale=([^;]+)/.exec(request.headers.get("cookie") ?? "")?.[1];
  return (
    resolveAdminLocale(url.searchParams.get("locale")) ??
    resolveAdminLocale(cookie ? decodeURIComponent(cookie) : null) ??
    localeFromAcceptLanguage(request.headers.get("accept-language")) ??
    "en"
  );
}

export function localeCookie(locale: AdminLocale): string {
  // Inside Shopify's admin the app is a third-party iframe: the cookie must be SameSite=None; Secure.
  const attributes = config().demoMode ? "SameSite=Lax" : "SameSite=None; Secure";
  return `${LOCALE_COOKIE}=${encodeURIComponent(locale)}; Path=/; Max-Age=31536000; ${attributes}`;
}

export async function requireAdmin(request: Request): Promise<AdminContext> {
  const locale = adminLocaleOf(request);
  if (config().demoMode) {
    const shop = await db().shop.findUnique({ where: { domain: DEMO_SHOP_DOMAIN } });
    if (!shop) {
      // The code picks the admin's translated page (components/error-copy.ts); the message is for logs.
      throw json({ code: "demo_not_seeded", message: "The demo shop is not seeded yet. Run `npm run demo` to create it." }, { status: 503 });
    }
    const graphql = createDemoAdminGraphql(new DemoStore(db(), DEMO_SHOP_DOMAIN), services().clock);
    return { shop, locale, graphql, demoMode: true };
  }

  const { session, admin } = await shopify().authenticate.admin(request);
  const graphql: AdminGraphql = async (query, variables) => {
    const response = await admin.graphql(query, { variables });
    return response.json();
  };
  const shop =
    (await db().shop.findUnique({ where: { domain: session.shop } })) ??
    (await recordInstallation(session.shop, (query) => graphql(query)));
  return { shop, locale, graphql, demoMode: false };
}
