// Verifies an app-proxy request (Shopify's signature over the query, timestamp within 90 s)
// through the Shopify library and names the shop it came from.
import { shopify } from "./shopify.server";

export async function authenticateAppProxy(request: Request): Promise<{ shopDomain: string; loggedInCustomerId: string | null }> {
  try {
    await shopify().authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 400) {
      throw Response.json(
        { error: "This request did not come through the store's app proxy: its signature is missing, wrong, or more than 90 seconds old." },
        { status: 401 },
      );
    }
    throw thrown;
  }
  const params = new URL(request.url).searchParams;
  return { shopDomain: params.get("shop") ?? "", loggedInCustomerId: params.get("logged_in_customer_id") || null };
}
