import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/server/demo/demo-only.server";
import { demoStorefrontProductPage } from "~/server/demo/demo-storefront.server";

// A demo product page with the product reviews and contact blocks and the JSON-LD embed.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  requireDemoMode();
  const html = await demoStorefrontProductPage(request, params.handle ?? "");
  if (!html) return new Response("No such product in the demo store.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
};
