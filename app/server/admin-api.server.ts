// Admin GraphQL for background work (no merchant request): the shop's offline session on a
// real store, the demo store's local API in demo mode.
import { ProviderError } from "../domain/errors";
import type { AdminGraphql } from "../domain/ports";
import { config, DEMO_SHOP_DOMAIN } from "./config.server";
import { services } from "./container.server";
import { db } from "./db.server";
import { createDemoAdminGraphql } from "./demo/admin-graphql.server";
import { DemoStore } from "./demo/demo-store.server";
import { shopify } from "./shopify.server";

export async function adminGraphqlFor(shopDomain: string): Promise<AdminGraphql> {
  if (config().demoMode && shopDomain === DEMO_SHOP_DOMAIN) {
    return createDemoAdminGraphql(new DemoStore(db(), DEMO_SHOP_DOMAIN), services().clock);
  }
  const session = await shopify().sessionStorage?.loadSession(`offline_${shopDomain}`);
  if (!session?.accessToken) {
    // Nothing to retry until the merchant opens the app again (which reinstates the session).
    throw new ProviderError(`no offline session for ${shopDomain}: the merchant must open Avisa in the Shopify admin to reconnect it`, false);
  }
  const { admin } = await shopify().unauthenticated.admin(shopDomain);
  return async (query, variables) => (await admin.graphql(query, { variables })).json();
}
