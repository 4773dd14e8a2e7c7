import { describe, expect, it } from "vitest";
import { demoCustomers, demoProducts } from "../../app/server/demo/seed.server";
import { buildCheckout, buildFulfillment, buildOrder } from "../../app/server/demo/shopify-payloads";
import { summarizeEvent } from "../../app/domain/events/event-summary";

const at = new Date("2026-11-20T15:00:00Z");
const products = demoProducts(at.toISOString(), "http://127.0.0.1:3457");
const customers = demoCustomers(at.toISOString());
const ana = customers.find((c) => c.locale === "pt-BR")!;

describe("demo store webhook payloads", () => {
  it("builds orders in Shopify's REST shape with string IDs beyond 2^53", () => {
    const order = buildOrder({ orderNumber: 1004, customer: ana, products: [{ product: products[0], quantity: 2 }], placedAt: at, checkoutToken: "abc123", shopDomain: "s.myshopify.com" });
    expect(BigInt(order.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(order.admin_graphql_api_id).toBe(`gid://shopify/Order/${order.id}`);
    expect(order).toMatchObject({ name: "#1004", checkout_token: "abc123", customer_locale: "pt-BR", subtotal_price: "48.00", currency: "USD" });
    expect(Number(order.total_price)).toBeCloseTo(48 + 8 + 3.36, 2);
    // Since API 2025-01 the embedded customer carries no marketing consent.
    expect(order.customer).not.toHaveProperty("email_marketing_consent");
    expect(order.customer).not.toHaveProperty("sms_marketing_consent");
  });

  it("builds checkouts keyed by token, with the buyer's marketing choices", () => {
    const checkout = buildCheckout({ customer: ana, products: [{ product: products[1], quantity: 1 }], startedAt: at, shopDomain: "s.myshopify.com" });
    expect(checkout.token).toMatch(/^[a-f0-9]{32}$/);
    expect(checkout).not.toHaveProperty("id");
    expect(checkout).toMatchObject({ buyer_accepts_marketing: true, buyer_accepts_sms_marketing: true, completed_at: null });
    expect(checkout.abandoned_checkout_url).toContain(checkout.token);
  });

  it("ships Brazilian orders with Correios tracking", () => {
    const order = buildOrder({ orderNumber: 1005, customer: ana, products: [{ product: products[2], quantity: 1 }], placedAt: at, checkoutToken: null, shopDomain: "s.myshopify.com" });
    const fulfillment = buildFulfillment(order, at);
    expect(fulfillment).toMatchObject({ order_id: order.id, tracking_company: "Correios", shipment_status: "confirmed" });
    expect(fulfillment.tracking_url).toContain(fulfillment.tracking_number);
    expect(summarizeEvent("fulfillments/create", fulfillment)).toBe(`Correios · ${fulfillment.tracking_number} · confirmed`);
    expect(summarizeEvent("orders/create", order)).toBe(`#1005 · Ana Souza · ${order.total_price} USD`);
  });
});
