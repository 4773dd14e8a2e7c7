import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAppProxy } from "~/server/app-proxy.server";
import { findInstalledShop } from "~/server/services/storefront-status.server";

// GET https://{shop}/apps/avisa → the storefront's connection check.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await authenticateAppProxy(request);
  const shop = await findInstalledShop(shopDomain);
  if (!shop) return Response.json({ connected: false, error: "Avisa is not installed on this store." }, { status: 404 });
  return Response.json({ connected: true, shop: shop.name, locale: shop.primaryLocale }, { headers: { "Cache-Control": "no-store" } });
};
