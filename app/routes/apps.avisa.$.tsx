import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/server/demo/demo-only.server";
import { forwardThroughAppProxy } from "~/server/demo/storefront-proxy.server";

// Demo mode only: https://{shop}/apps/avisa/* as Shopify's app proxy forwards it (signed) to /proxy/*.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  requireDemoMode();
  return forwardThroughAppProxy(request, params["*"] ?? "");
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  requireDemoMode();
  return forwardThroughAppProxy(request, params["*"] ?? "");
};
