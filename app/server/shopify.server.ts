// The only place the Shopify library is configured. OAuth install, the embedded admin's
// session tokens and webhook HMAC checks all go through this object.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { db } from "./db.server";
import { recordInstallation } from "./services/install-shop.server";

export const SHOPIFY_API_VERSION = ApiVersion.April26;

function createShopifyApp() {
  const { shopify: settings } = config();
  return shopifyApp({
    apiKey: settings.apiKey,
    apiSecretKey: settings.apiSecret,
    apiVersion: SHOPIFY_API_VERSION,
    scopes: settings.scopes,
    appUrl: settings.appUrl,
    authPathPrefix: "/auth",
    // PrismaSessionStorage only needs the `session` model, which both generated clients share.
    sessionStorage: new PrismaSessionStorage(db() as never),
    distribution: AppDistribution.AppStore,
    future: { unstable_newEmbeddedAuthStrategy: true },
    hooks: {
      afterAuth: async ({ session, admin }) => {
        await recordInstallation(session.shop, async (query) => {
          const response = await admin.graphql(query);
          return (await response.json()) as { data?: unknown };
        });
      },
    },
    ...(settings.customShopDomains.length ? { customShopDomains: settings.customShopDomains } : {}),
  });
}

let app: { instance: ReturnType<typeof createShopifyApp>; database: unknown } | undefined;

/** The configured Shopify app (created on first use, after the configuration is validated). */
export function shopify() {
  // Rebuilt only if the database changes (integration tests run one process per two databases).
  if (!app || app.database !== db()) app = { instance: createShopifyApp(), database: db() };
  return app.instance;
}
