import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/server/demo/demo-only.server";
import { demoStorefrontIndex } from "~/server/demo/demo-storefront.server";

// The demo store's storefront (demo mode only): its products, each with Avisa's blocks.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireDemoMode();
  return new Response(await demoStorefrontIndex(request), { headers: { "Content-Type": "text/html; charset=utf-8" } });
};
