import type { LoaderFunctionArgs } from "@remix-run/node";
import { shopify } from "~/server/shopify.server";

// OAuth install and token exchange callbacks, handled by the Shopify library.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await shopify().authenticate.admin(request);
  return null;
};
