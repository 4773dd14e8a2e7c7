// Shopify's mandatory privacy webhooks, as pure rules: which customer a request is about and
// what an export of everything Avisa holds on that customer contains.
import { z } from "zod";
import { err, ok, type Result } from "../errors";

const shopifyId = z.union([z.string(), z.number()]).transform(String);

export const customerPrivacyRequestSchema = z.object({
  shop_domain: z.string(),
  customer: z.object({
    id: shopifyId.nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
  orders_requested: z.array(shopifyId).optional(),
  orders_to_redact: z.array(shopifyId).optional(),
  data_request: z.object({ id: shopifyId }).optional(),
});

export type CustomerPrivacyRequest = {
  shopDomain: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  orderIds: string[];
  requestId: string | null;
};

export function parseCustomerPrivacyRequest(payload: unknown): Result<CustomerPrivacyRequest> {
  const parsed = customerPrivacyRequestSchema.safeParse(payload);
  if (!parsed.success) {
    return err(`customer privacy payload is not in Shopify's shape: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const { customer, orders_requested, orders_to_redact, data_request, shop_domain } = parsed.data;
  if (!customer.id && !customer.email && !customer.phone) {
    return err("customer privacy payload names no customer (no id, email or phone)");
  }
  return ok({
    shopDomain: shop_domain,
    customerId: customer.id ?? null,
    email: customer.email?.toLowerCase() ?? null,
    phone: customer.phone ?? null,
    orderIds: orders_requested ?? orders_to_redact ?? [],
    requestId: data_request?.id ?? null,
  });
}

export type CustomerMentions = { customerId: string | null; addresses: string[] };

/**
 * Whether a stored event is about the customer: some object in it has `id` or `customer_id`
 * equal to their Shopify id (the customer in an order or checkout; a consent update), or some
 * text in it holds one of their addresses as a whole (any case; ana@example.com is not in
 * joana@example.com). Expects the exact parse (parseShopifyJson), where ids are strings.
 */
export function eventMentionsCustomer(payload: unknown, customer: CustomerMentions): boolean {
  const addresses = customer.addresses.map(
    (address) => new RegExp(`(?<![\\w.%+-])${address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w.-])`, "i"),
  );
  const mentions = (value: unknown, key: string): boolean => {
    if (typeof value === "string" && addresses.some((address) => address.test(value))) return true;
    if ((key === "id" || key === "customer_id") && customer.customerId !== null && String(value) === customer.customerId) return true;
    if (Array.isArray(value)) return value.some((item) => mentions(item, ""));
    return typeof value === "object" && value !== null && Object.entries(value).some(([name, inner]) => mentions(inner, name));
  };
  return mentions(payload, "");
}

export type HeldCustomerData = {
  contacts: unknown[];
  consentRecords: unknown[];
  orders: unknown[];
  checkouts: unknown[];
  messages: unknown[];
  outboxMessages: unknown[];
  events: unknown[];
  reviews: unknown[];
  tickets: unknown[];
  surveyAnswers: unknown[];
  ticketMessagesElsewhere: unknown[];
};

/** The document the merchant hands to the shopper for a customers/data_request. */
export function buildCustomerExport(request: CustomerPrivacyRequest, held: HeldCustomerData, generatedAt: Date) {
  return {
    format: "avisa.customer-export.v1",
    generatedAt: generatedAt.toISOString(),
    shop: request.shopDomain,
    shopifyDataRequestId: request.requestId,
    customer: { shopifyCustomerId: request.customerId, email: request.email, phone: request.phone },
    ordersRequested: request.orderIds,
    ...held,
  };
}
