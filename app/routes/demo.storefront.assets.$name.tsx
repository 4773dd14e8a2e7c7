import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/server/demo/demo-only.server";
import { extensionAsset } from "~/server/storefront/extension-liquid.server";

// The extension's assets, as Shopify's CDN would serve them to the demo storefront.
export const loader = async ({ params }: LoaderFunctionArgs) => {
  requireDemoMode();
  const asset = /^[a-z-]+\.(css|js)$/.test(params.name ?? "") ? extensionAsset(params.name!) : null;
  if (!asset) return new Response("No such asset.", { status: 404 });
  return new Response(new Uint8Array(asset.body), { headers: { "Content-Type": asset.contentType, "Cache-Control": "no-cache" } });
};
