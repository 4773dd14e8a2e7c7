import type { LoaderFunctionArgs } from "@remix-run/node";
import { extensionAsset } from "~/server/storefront/extension-liquid.server";
import { storefrontCaller } from "~/server/storefront/proxy-request.server";

// GET https://{shop}/apps/avisa/assets/avisa.css|avisa-forms.js — the extension's assets for the
// app proxy's own pages (blocks get them from Shopify's CDN).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  await storefrontCaller(request);
  const asset = /^[a-z-]+\.(css|js)$/.test(params.name ?? "") ? extensionAsset(params.name!) : null;
  if (!asset) return new Response("No such asset.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(asset.body), { headers: { "Content-Type": asset.contentType, "Cache-Control": "public, max-age=3600" } });
};
