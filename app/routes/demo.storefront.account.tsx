import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/server/demo/demo-only.server";
import { demoCustomerCookie } from "~/server/demo/demo-storefront.server";
import { safeReturnPath } from "~/server/storefront/proxy-request.server";

// The demo storefront's "signed in as" switch: Shopify's app proxy then passes that customer's
// id as logged_in_customer_id, which is how a logged-in buyer's review becomes verified.
export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemoMode();
  const form = await request.formData();
  const customerId = String(form.get("customer_id") ?? "").replace(/\D/g, "") || null;
  return new Response(null, {
    status: 303,
    headers: { Location: safeReturnPath(String(form.get("return_to") ?? "/demo/storefront")), "Set-Cookie": demoCustomerCookie(customerId) },
  });
};
