// Admin GraphQL for background work (no merchant request): the shop's offline session on a
// real store, the demo store's local API in demo mode.
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
  const { admin } = await shopify().unauthenticated.admin(shopDomain);
  return async (query, variables) => (await admin.graphql(query, { variables })).json();
}
