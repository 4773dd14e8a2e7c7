// Shopify payload → domain event. Every webhook topic (and every reconciled record) is
// normalised once, here; the rest of Avisa never reads Shopify field names.
import { z } from "zod";
import { err, ok, type Result } from "../errors";

const id = z.union([z.string(), z.number()]).transform(String);
const optionalText = z.string().nullish().transform((v) => (v ? v : null));
const money = z.union([z.string(), z.number()]).transform(String);
const instant = z.string().datetime({ offset: true }).transform((v) => new Date(v));

const customerSchema = z
  .object({
    id: id.nullish(),
    email: optionalText,
    phone: optionalText,
    first_name: optionalText,
    last_name: optionalText,
    locale: optionalText,
    tags: optionalText,
    default_address: z.object({ country_code: optionalText, province_code: optionalText }).nullish(),
  })
  .nullish();

/** Shopify sends tags as one comma-separated string. */
const tagsOf = (tags: string | null | undefined): string[] => (tags ?? "").split(",").map((tag) => tag.trim()).filter(Boolean);

const addressSchema = z.object({ country_code: optionalText, province_code: optionalText, phone: optionalText }).nullish();

const lineItemSchema = z.object({
  product_id: id.nullish(),
  variant_id: id.nullish(),
  title: z.string(),
  variant_title: optionalText,
  quantity: z.number().int(),
  price: money,
});

export type Customer = {
  shopifyCustomerId: string | null;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  countryCode: string | null;
  provinceCode: string | null;
  tags: string[];
};

export type LineItem = { productId: string | null; title: string; variantTitle: string | null; quantity: number; price: string };

export type Fulfillment = {
  shopifyFulfillmentId: string;
  shopifyOrderId: string;
  status: string;
  shipmentStatus: string | null;
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  updatedAt: Date;
};

export type Order = {
  shopifyOrderId: string;
  name: string;
  customer: Customer;
  checkoutToken: string | null;
  totalPrice: string;
  currency: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: Date | null;
  lineItems: LineItem[];
  placedAt: Date;
  updatedAt: Date;
  buyerAcceptsMarketing: boolean;
  tags: string[];
  statusUrl: string | null;
  fulfillments: Fulfillment[];
};

export type Checkout = {
  token: string;
  customer: Customer;
  totalPrice: string;
  currency: string;
  lineItems: LineItem[];
  recoveryUrl: string | null;
  buyerAcceptsMarketing: boolean;
  buyerAcceptsSms: boolean;
  startedAt: Date;
  completedAt: Date | null;
  updatedAt: Date;
};

export type ConsentChange = {
  channel: "email" | "sms";
  shopifyCustomerId: string;
  address: string | null;
  state: string;
  optInLevel: string | null;
  changedAt: Date | null;
  collectedFrom: string | null;
};

export type DomainEvent =
  | { type: "order.placed" | "order.updated" | "order.cancelled" | "order.fulfilled"; order: Order }
  | { type: "checkout.started" | "checkout.updated"; checkout: Checkout }
  | { type: "fulfillment.created" | "fulfillment.updated"; fulfillment: Fulfillment }
  | { type: "consent.changed"; consent: ConsentChange };

function customerOf(
  raw: z.infer<typeof customerSchema>,
  fallback: { email?: string | null; phone?: string | null; locale?: string | null; address?: z.infer<typeof addressSchema> },
): Customer {
  const address = raw?.default_address ?? fallback.address;
  return {
    shopifyCustomerId: raw?.id ?? null,
    email: (raw?.email ?? fallback.email ?? null)?.toLowerCase() ?? null,
    phone: raw?.phone ?? fallback.phone ?? fallback.address?.phone ?? null,
    firstName: raw?.first_name ?? null,
    lastName: raw?.last_name ?? null,
    // The order's or checkout's locale is the shopper's language for this purchase.
    locale: fallback.locale ?? raw?.locale ?? null,
    countryCode: address?.country_code ?? null,
    provinceCode: address?.province_code ?? null,
    tags: tagsOf(raw?.tags),
  };
}

const lineItemsOf = (items: Array<z.infer<typeof lineItemSchema>>): LineItem[] =>
  items.map((item) => ({ productId: item.product_id ?? null, title: item.title, variantTitle: item.variant_title ?? null, quantity: item.quantity, price: item.price }));

const fulfillmentSchema = z.object({
  id,
  order_id: id,
  status: z.string(),
  shipment_status: optionalText,
  tracking_company: optionalText,
  tracking_number: optionalText,
  tracking_url: optionalText,
  created_at: instant,
  updated_at: instant.nullish(),
});

function fulfillmentOf(raw: z.infer<typeof fulfillmentSchema>): Fulfillment {
  return {
    shopifyFulfillmentId: raw.id,
    shopifyOrderId: raw.order_id,
    status: raw.status,
    shipmentStatus: raw.shipment_status,
    trackingCompany: raw.tracking_company,
    trackingNumber: raw.tracking_number,
    trackingUrl: raw.tracking_url,
    updatedAt: raw.updated_at ?? raw.created_at,
  };
}

const orderSchema = z.object({
  id,
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  customer_locale: optionalText,
  checkout_token: optionalText,
  total_price: money,
  currency: z.string(),
  financial_status: optionalText,
  fulfillment_status: optionalText,
  cancelled_at: instant.nullish(),
  created_at: instant,
  updated_at: instant.nullish(),
  buyer_accepts_marketing: z.boolean().nullish(),
  tags: optionalText,
  order_status_url: optionalText,
  customer: customerSchema,
  shipping_address: addressSchema,
  billing_address: addressSchema,
  line_items: z.array(lineItemSchema).default([]),
  fulfillments: z.array(fulfillmentSchema).default([]),
});

const checkoutSchema = z.object({
  token: z.string().min(1),
  email: optionalText,
  phone: optionalText,
  customer_locale: optionalText,
  total_price: money,
  currency: z.string(),
  abandoned_checkout_url: optionalText,
  buyer_accepts_marketing: z.boolean().nullish(),
  buyer_accepts_sms_marketing: z.boolean().nullish(),
  sms_marketing_phone: optionalText,
  completed_at: instant.nullish(),
  created_at: instant,
  updated_at: instant.nullish(),
  customer: customerSchema,
  shipping_address: addressSchema,
  billing_address: addressSchema,
  line_items: z.array(lineItemSchema).default([]),
});

const marketingConsentSchema = z.object({
  state: z.string(),
  opt_in_level: optionalText,
  consent_updated_at: instant.nullish(),
  consent_collected_from: optionalText,
});

const emailConsentSchema = z.object({
  customer_id: id,
  email_address: optionalText,
  email_marketing_consent: marketingConsentSchema,
});

const smsConsentSchema = z.object({
  id,
  phone: optionalText,
  sms_marketing_consent: marketingConsentSchema.nullish(),
});

const ORDER_TOPICS = {
  "orders/create": "order.placed",
  "orders/updated": "order.updated",
  "orders/cancelled": "order.cancelled",
  "orders/fulfilled": "order.fulfilled",
} as const;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`).join("; ");
}

/** Turns one Shopify payload into a domain event, or says why it cannot. */
export function normaliseShopifyEvent(topic: string, payload: unknown): Result<DomainEvent | null> {
  if (topic in ORDER_TOPICS) {
    const parsed = orderSchema.safeParse(payload);
    if (!parsed.success) return err(`${topic} payload is not an order: ${describeIssues(parsed.error)}`);
    const raw = parsed.data;
    const order: Order = {
      shopifyOrderId: raw.id,
      name: raw.name,
      customer: customerOf(raw.customer, { email: raw.email, phone: raw.phone, locale: raw.customer_locale, address: raw.shipping_address ?? raw.billing_address }),
      checkoutToken: raw.checkout_token,
      totalPrice: raw.total_price,
      currency: raw.currency,
      financialStatus: raw.financial_status,
      fulfillmentStatus: raw.fulfillment_status,
      cancelledAt: raw.cancelled_at ?? null,
      lineItems: lineItemsOf(raw.line_items),
      placedAt: raw.created_at,
      updatedAt: raw.updated_at ?? raw.created_at,
      buyerAcceptsMarketing: raw.buyer_accepts_marketing ?? false,
      tags: tagsOf(raw.tags),
      statusUrl: raw.order_status_url ?? null,
      fulfillments: raw.fulfillments.map(fulfillmentOf),
    };
    return ok({ type: ORDER_TOPICS[topic as keyof typeof ORDER_TOPICS], order });
  }
  if (topic === "checkouts/create" || topic === "checkouts/update") {
    const parsed = checkoutSchema.safeParse(payload);
    if (!parsed.success) return err(`${topic} payload is not a checkout: ${describeIssues(parsed.error)}`);
    const raw = parsed.data;
    const checkout: Checkout = {
      token: raw.token,
      customer: customerOf(raw.customer, {
        email: raw.email,
        phone: raw.sms_marketing_phone ?? raw.phone,
        locale: raw.customer_locale,
        address: raw.shipping_address ?? raw.billing_address,
      }),
      totalPrice: raw.total_price,
      currency: raw.currency,
      lineItems: lineItemsOf(raw.line_items),
      recoveryUrl: raw.abandoned_checkout_url,
      buyerAcceptsMarketing: raw.buyer_accepts_marketing ?? false,
      buyerAcceptsSms: raw.buyer_accepts_sms_marketing ?? false,
      startedAt: raw.created_at,
      completedAt: raw.completed_at ?? null,
      updatedAt: raw.updated_at ?? raw.created_at,
    };
    return ok({ type: topic === "checkouts/create" ? "checkout.started" : "checkout.updated", checkout });
  }
  if (topic === "fulfillments/create" || topic === "fulfillments/update") {
    const parsed = fulfillmentSchema.safeParse(payload);
    if (!parsed.success) return err(`${topic} payload is not a fulfillment: ${describeIssues(parsed.error)}`);
    return ok({ type: topic === "fulfillments/create" ? "fulfillment.created" : "fulfillment.updated", fulfillment: fulfillmentOf(parsed.data) });
  }
  if (topic === "customers_email_marketing_consent/update") {
    const parsed = emailConsentSchema.safeParse(payload);
    if (!parsed.success) return err(`${topic} payload is not an email consent change: ${describeIssues(parsed.error)}`);
    const raw = parsed.data;
    return ok({
      type: "consent.changed",
      consent: {
        channel: "email",
        shopifyCustomerId: raw.customer_id,
        address: raw.email_address?.toLowerCase() ?? null,
        state: raw.email_marketing_consent.state,
        optInLevel: raw.email_marketing_consent.opt_in_level,
        changedAt: raw.email_marketing_consent.consent_updated_at ?? null,
        collectedFrom: raw.email_marketing_consent.consent_collected_from,
      },
    });
  }
  if (topic === "customers_marketing_consent/update") {
    const parsed = smsConsentSchema.safeParse(payload);
    if (!parsed.success) return err(`${topic} payload is not an SMS consent change: ${describeIssues(parsed.error)}`);
    const raw = parsed.data;
    if (!raw.sms_marketing_consent) return ok(null);
    return ok({
      type: "consent.changed",
      consent: {
        channel: "sms",
        shopifyCustomerId: raw.id,
        address: raw.phone,
        state: raw.sms_marketing_consent.state,
        optInLevel: raw.sms_marketing_consent.opt_in_level,
        changedAt: raw.sms_marketing_consent.consent_updated_at ?? null,
        collectedFrom: raw.sms_marketing_consent.consent_collected_from,
      },
    });
  }
  // app/uninstalled and the privacy topics are handled at intake, not as domain events.
  return ok(null);
}
