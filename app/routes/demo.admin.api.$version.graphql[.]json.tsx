import type { ActionFunctionArgs } from "@remix-run/node";
import { DEMO_SHOP_DOMAIN } from "~/server/config.server";
import { services } from "~/server/container.server";
import { db } from "~/server/db.server";
import { executeDemoAdminGraphql } from "~/server/demo/admin-graphql.server";
import { requireDemoMode } from "~/server/demo/demo-only.server";
import { DemoStore } from "~/server/demo/demo-store.server";

// The demo store's Admin GraphQL endpoint, at the same path shape as Shopify's
// (/admin/api/{version}/graphql.json). Demo mode only.
export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemoMode();
  const body = (await request.json().catch(() => null)) as { query?: unknown; variables?: unknown } | null;
  if (!body || typeof body.query !== "string") {
    return Response.json({ errors: [{ message: "Parameter Missing or Invalid: query" }] }, { status: 400 });
  }
  const variables = typeof body.variables === "object" && body.variables !== null ? (body.variables as Record<string, unknown>) : undefined;
  const result = await executeDemoAdminGraphql(new DemoStore(db(), DEMO_SHOP_DOMAIN), services().clock, body.query, variables);
  return Response.json(result);
};
