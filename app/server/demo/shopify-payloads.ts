// Builds webhook payloads the way Shopify sends them (API 2026-04 REST field names):
// orders, checkouts and fulfilments for the demo store. Since API 2025-01 the customer
// object carries no marketing consent; checkouts carry buyer_accepts_(sms_)marketing.
import { randomBytes } from "node:crypto";
import type {
  DemoCheckout,
  DemoCustomer,
  DemoFulfillment,
  DemoLineItem,
  DemoOrder,
  DemoProduct,
} from "./demo-store-data";

export type CartLine = { product: DemoProduct; quantity: number };

const money = (cents: number) => (cents / 100).toFixed(2);
const cents = (amount: string) => Math.round(Number(amount) * 100);

/** The customer as order and checkout payloads embed it (no consent fields since 2025-01). */
export function embeddedCustomer(customer: DemoCustomer): DemoOrder["customer"] {
  const { email_marketing_consent: _email, sms_marketing_consent: _sms, ...rest } = customer;
  return rest;
}

function lineItems(lines: CartLine[], idSeed: string): DemoLineItem[] {
  return lines.map(({ product, quantity }, index) => ({
    id: `${idSeed}${index + 1}`,
    product_id: product.id,
    variant_id: product.variants[0].id,
    title: product.title,
    variant_title: product.variants[0].title,
    quantity,
    price: product.variants[0].price,
    sku: product.variants[0].sku,
  }));
}

const subtotalOf = (lines: CartLine[]) =>
  lines.reduce((sum, { product, quantity }) => sum + cents(product.variants[0].price) * quantity, 0);

export function orderIdFor(orderNumber: number): string {
  return `64${String(orderNumber).padStart(15, "0")}9`;
}

export function buildOrder(input: {
  orderNumber: number;
  customer: DemoCustomer;
  products: CartLine[];
  placedAt: Date;
  checkoutToken: string | null;
  shopDomain: string;
  buyerAcceptsMarketing?: boolean;
}): DemoOrder {
  const id = orderIdFor(input.orderNumber);
  const subtotal = subtotalOf(input.products);
  const shipping = subtotal >= 10_000 ? 0 : 800;
  const tax = Math.round(subtotal * 0.07);
  const at = input.placedAt.toISOString();
  const address = input.customer.default_address;
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${input.orderNumber}`,
    order_number: input.orderNumber,
    email: input.customer.email,
    phone: input.customer.phone,
    contact_email: input.customer.email,
    customer_locale: input.customer.locale,
    currency: "USD",
    presentment_currency: "USD",
    subtotal_price: money(subtotal),
    total_tax: money(tax),
    total_price: money(subtotal + shipping + tax),
    financial_status: "paid",
    fulfillment_status: null,
    checkout_token: input.checkoutToken,
    cancelled_at: null,
    cancel_reason: null,
    closed_at: null,
    buyer_accepts_marketing: input.buyerAcceptsMarketing ?? input.customer.email_marketing_consent.state === "subscribed",
    tags: "",
    created_at: at,
    updated_at: at,
    processed_at: at,
    customer: embeddedCustomer(input.customer),
    billing_address: address,
    shipping_address: address,
    line_items: lineItems(input.products, `1${id.slice(0, 14)}`),
    fulfillments: [],
    order_status_url: `https://${input.shopDomain}/orders/${randomToken(16)}/authenticate?key=${randomToken(16)}`,
  };
}

export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString("hex");
}

export function buildCheckout(input: {
  customer: DemoCustomer;
  products: CartLine[];
  startedAt: Date;
  shopDomain: string;
  token?: string;
}): DemoCheckout {
  const token = input.token ?? randomToken(16);
  const subtotal = subtotalOf(input.products);
  const at = input.startedAt.toISOString();
  const sms = input.customer.sms_marketing_consent;
  return {
    token,
    cart_token: randomToken(12),
    email: input.customer.email,
    phone: input.customer.phone,
    customer_locale: input.customer.locale,
    currency: "USD",
    presentment_currency: "USD",
    subtotal_price: money(subtotal),
    total_price: money(subtotal),
    buyer_accepts_marketing: input.customer.email_marketing_consent.state === "subscribed",
    buyer_accepts_sms_marketing: sms?.state === "subscribed",
    sms_marketing_phone: sms?.state === "subscribed" ? input.customer.phone : null,
    abandoned_checkout_url: `https://${input.shopDomain}/checkouts/cn/${token}/recover?key=${randomToken(8)}`,
    completed_at: null,
    created_at: at,
    updated_at: at,
    customer: embeddedCustomer(input.customer),
    billing_address: input.customer.default_address,
    shipping_address: input.customer.default_address,
    line_items: lineItems(input.products, "").map(({ id: _id, ...line }, index) => ({ ...line, key: `${token.slice(0, 8)}-${index}` })),
  };
}

const CARRIERS = [
  { company: "USPS", url: (n: string) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}` },
  { company: "Correios", url: (n: string) => `https://rastreamento.correios.com.br/app/index.php?objeto=${n}` },
  { company: "DHL Express", url: (n: string) => `https://www.dhl.com/track?tracking-id=${n}` },
];

export function buildFulfillment(order: DemoOrder, at: Date): DemoFulfillment {
  const carrier =
    order.shipping_address.country_code === "BR" ? CARRIERS[1] : order.shipping_address.country_code === "US" ? CARRIERS[0] : CARRIERS[2];
  const number = `${order.shipping_address.country_code}${order.order_number}${randomToken(4).toUpperCase()}`;
  const iso = at.toISOString();
  return {
    id: `55${order.id.slice(2, 17)}${order.fulfillments.length + 1}`,
    order_id: order.id,
    status: "success",
    shipment_status: "confirmed",
    tracking_company: carrier.company,
    tracking_number: number,
    tracking_url: carrier.url(number),
    tracking_numbers: [number],
    tracking_urls: [carrier.url(number)],
    created_at: iso,
    updated_at: iso,
    line_items: order.line_items,
  };
}
