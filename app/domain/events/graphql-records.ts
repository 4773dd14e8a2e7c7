// Reconciliation reads orders and abandoned checkouts through Admin GraphQL; these functions
// restate a GraphQL node in the webhook payload's REST field names, so a reconciled record goes
// through exactly the same ledger → normalise → state path as a webhook.

type Money = { shopMoney: { amount: string; currencyCode: string } };
type Address = { countryCodeV2?: string | null; provinceCode?: string | null; phone?: string | null } | null;
type GraphqlCustomer = {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  defaultEmailAddress?: { emailAddress?: string | null } | null;
  defaultPhoneNumber?: { phoneNumber?: string | null } | null;
} | null;
type GraphqlLineItem = { title?: string | null; quantity: number; product?: { id: string } | null; originalUnitPriceSet: Money };

export type GraphqlOrder = {
  id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string | null;
  displayFinancialStatus?: string | null;
  displayFulfillmentStatus?: string | null;
  customerLocale?: string | null;
  customerAcceptsMarketing?: boolean | null;
  totalPriceSet: Money;
  customer?: GraphqlCustomer;
  shippingAddress?: Address;
  lineItems: { nodes: GraphqlLineItem[] };
  fulfillments: Array<{
    id: string;
    status: string;
    displayStatus?: string | null;
    createdAt: string;
    updatedAt: string;
    trackingInfo: Array<{ company?: string | null; number?: string | null; url?: string | null }>;
  }>;
};

export type GraphqlAbandonedCheckout = {
  id: string;
  abandonedCheckoutUrl: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string | null;
  totalPriceSet: Money;
  customer?: GraphqlCustomer;
  shippingAddress?: Address;
  lineItems: { nodes: GraphqlLineItem[] };
};

/** gid://shopify/Order/123 → "123" (kept as a string: Shopify IDs exceed 2^53). */
export function legacyIdOf(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

/** Shopify's recovery URL carries the checkout token: …/checkouts/{token}/recover?key=… */
export function checkoutTokenFromRecoveryUrl(url: string): string | null {
  const match = /\/checkouts\/(?:cn\/)?([A-Za-z0-9]+)\/recover/.exec(url);
  return match?.[1] ?? null;
}

const restCustomer = (customer: GraphqlCustomer | undefined, address: Address | undefined) =>
  customer
    ? {
        id: legacyIdOf(customer.id),
        email: customer.defaultEmailAddress?.emailAddress ?? null,
        phone: customer.defaultPhoneNumber?.phoneNumber ?? null,
        first_name: customer.firstName ?? null,
        last_name: customer.lastName ?? null,
        locale: customer.locale ?? null,
        default_address: address ? { country_code: address.countryCodeV2 ?? null, province_code: address.provinceCode ?? null } : null,
      }
    : null;

const restLineItems = (items: GraphqlLineItem[]) =>
  items.map((item) => ({
    product_id: item.product ? legacyIdOf(item.product.id) : null,
    title: item.title ?? "",
    quantity: item.quantity,
    price: item.originalUnitPriceSet.shopMoney.amount,
  }));

export function orderPayloadFromGraphql(order: GraphqlOrder) {
  const orderId = legacyIdOf(order.id);
  return {
    id: orderId,
    name: order.name,
    email: order.email ?? null,
    phone: order.phone ?? null,
    customer_locale: order.customerLocale ?? null,
    // GraphQL orders do not expose the checkout token; a reconciled order never links one.
    checkout_token: null,
    total_price: order.totalPriceSet.shopMoney.amount,
    currency: order.totalPriceSet.shopMoney.currencyCode,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillment_status: order.displayFulfillmentStatus === "FULFILLED" ? "fulfilled" : null,
    cancelled_at: order.cancelledAt ?? null,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    buyer_accepts_marketing: order.customerAcceptsMarketing ?? false,
    customer: restCustomer(order.customer, order.shippingAddress),
    shipping_address: order.shippingAddress
      ? { country_code: order.shippingAddress.countryCodeV2 ?? null, province_code: order.shippingAddress.provinceCode ?? null, phone: order.shippingAddress.phone ?? null }
      : null,
    line_items: restLineItems(order.lineItems.nodes),
    fulfillments: order.fulfillments.map((f) => ({
      id: legacyIdOf(f.id),
      order_id: orderId,
      status: f.status.toLowerCase(),
      shipment_status: f.displayStatus ? f.displayStatus.toLowerCase() : null,
      tracking_company: f.trackingInfo[0]?.company ?? null,
      tracking_number: f.trackingInfo[0]?.number ?? null,
      tracking_url: f.trackingInfo[0]?.url ?? null,
      created_at: f.createdAt,
      updated_at: f.updatedAt,
    })),
  };
}

export function checkoutPayloadFromGraphql(checkout: GraphqlAbandonedCheckout) {
  const token = checkoutTokenFromRecoveryUrl(checkout.abandonedCheckoutUrl);
  if (!token) return null;
  const customer = restCustomer(checkout.customer, checkout.shippingAddress);
  return {
    token,
    email: customer?.email ?? null,
    phone: customer?.phone ?? null,
    customer_locale: customer?.locale ?? null,
    total_price: checkout.totalPriceSet.shopMoney.amount,
    currency: checkout.totalPriceSet.shopMoney.currencyCode,
    abandoned_checkout_url: checkout.abandonedCheckoutUrl,
    completed_at: checkout.completedAt ?? null,
    created_at: checkout.createdAt,
    updated_at: checkout.updatedAt,
    customer,
    shipping_address: checkout.shippingAddress
      ? { country_code: checkout.shippingAddress.countryCodeV2 ?? null, province_code: checkout.shippingAddress.provinceCode ?? null, phone: checkout.shippingAddress.phone ?? null }
      : null,
    line_items: restLineItems(checkout.lineItems.nodes),
  };
}
