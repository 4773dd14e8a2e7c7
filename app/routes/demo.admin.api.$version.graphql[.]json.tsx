import type { ActionFunctionArgs } from "@remix-run/node";
import { adminGraphqlFor } from "~/server/admin-api.server";
import { DEMO_SHOP_DOMAIN } from "~/server/config.server";
import { requireDemoMode } from "~/server/demo/demo-only.server";

// The demo store's Admin GraphQL endpoint, at the same path shape as Shopify's
// (/admin/api/{version}/graphql.json). Demo mode only.
export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemoMode();
  const body = (await request.json().catch(() => null)) as { query?: unknown; variables?: unknown } | null;
  if (!body || typeof body.query !== "string") {
    return Response.json({ errors: [{ message: "Parameter Missing or Invalid: query" }] }, { status: 400 });
  }
  const variables = typeof body.variables === "object" && body.variables !== null ? (body.variables as Record<string, unknown>) : undefined;
  const graphql = await adminGraphqlFor(DEMO_SHOP_DOMAIN);
  return Response.json(await graphql(body.query, variables));
};
