import { describe, expect, it } from "vitest";
import { checkoutPayloadFromGraphql, checkoutTokenFromRecoveryUrl, legacyIdOf, orderPayloadFromGraphql } from "../../app/domain/events/graphql-records";
import { normaliseShopifyEvent } from "../../app/domain/events/normalise";
import { parseShopifyJson } from "../../app/domain/events/shopify-json";
import { messageIdempotencyKey } from "../../app/domain/scheduling/idempotency";
import { timeZoneOf } from "../../app/domain/scheduling/time-zones";
import { demoCustomers, demoProducts } from "../../app/server/demo/seed.server";
import { buildCheckout, buildFulfillment, buildOrder } from "../../app/server/demo/shopify-payloads";

const at = new Date("2026-11-20T15:00:00Z");
const [emily, , lucia] = demoCustomers(at.toISOString());
const products = demoProducts(at.toISOString(), "http://127.0.0.1");

describe("normalising Shopify payloads", () => {
  it("keeps big IDs exact and every *_id a string", () => {
    const parsed = parseShopifyJson('{"id":9007199254740993,"order_id":12,"quantity":2,"total":"1.00","nested":[{"product_id":7}],"big":12345678901234567890}') as Record<string, unknown>;
    expect(parsed).toEqual({ id: "9007199254740993", order_id: "12", quantity: 2, total: "1.00", nested: [{ product_id: "7" }], big: "12345678901234567890" });
  });

  it("turns an order into the shopper, the checkout link and the lines", () => {
    const order = buildOrder({ orderNumber: 1004, customer: lucia, products: [{ product: products[0], quantity: 2 }], placedAt: at, checkoutToken: "tok123", shopDomain: "s.myshopify.com" });
    const result = normaliseShopifyEvent("orders/create", JSON.parse(JSON.stringify(order)));
    if (!result.ok || !result.value || result.value.type !== "order.placed") throw new Error("expected an order event");
    expect(result.value.order).toMatchObject({
      shopifyOrderId: order.id, name: "#1004", checkoutToken: "tok123", currency: "USD",
      customer: { email: "lucia.hernandez@example.com", locale: "es", countryCode: "MX", provinceCode: "CMX" },
      lineItems: [{ productId: products[0].id, title: "Ceramic Mug", quantity: 2, price: "24.00" }],
    });
    expect(result.value.order.placedAt.toISOString()).toBe(at.toISOString());
  });

  it("reads a checkout's consent choices and recovery link", () => {
    const checkout = buildCheckout({ customer: emily, products: [{ product: products[1], quantity: 1 }], startedAt: at, shopDomain: "s.myshopify.com" });
    const result = normaliseShopifyEvent("checkouts/update", checkout);
    if (!result.ok || result.value?.type !== "checkout.updated") throw new Error("expected a checkout event");
    expect(result.value.checkout).toMatchObject({ token: checkout.token, buyerAcceptsMarketing: true, buyerAcceptsSms: true, recoveryUrl: checkout.abandoned_checkout_url });
  });

  it("reads fulfilments and consent topics", () => {
    const order = buildOrder({ orderNumber: 1005, customer: emily, products: [{ product: products[2], quantity: 1 }], placedAt: at, checkoutToken: null, shopDomain: "s" });
    const fulfillment = normaliseShopifyEvent("fulfillments/update", { ...buildFulfillment(order, at), shipment_status: "attempted_delivery" });
    expect(fulfillment.ok && fulfillment.value).toMatchObject({ type: "fulfillment.updated", fulfillment: { shipmentStatus: "attempted_delivery", trackingCompany: "USPS" } });
    const sms = normaliseShopifyEvent("customers_marketing_consent/update", { id: "5", phone: "+13055550142", sms_marketing_consent: { state: "unsubscribed", opt_in_level: null, consent_updated_at: "2026-11-20T15:00:00Z", consent_collected_from: "OTHER" } });
    expect(sms.ok && sms.value).toMatchObject({ type: "consent.changed", consent: { channel: "sms", shopifyCustomerId: "5", state: "unsubscribed" } });
  });

  it("explains a payload it cannot read, and ignores topics that are not domain events", () => {
    expect(normaliseShopifyEvent("orders/create", { id: 1 })).toEqual({ ok: false, error: expect.stringContaining("orders/create payload is not an order: name:") });
    expect(normaliseShopifyEvent("app/uninstalled", {})).toEqual({ ok: true, value: null });
  });
});

describe("reconciled GraphQL records", () => {
  it("restates an order and an abandoned checkout in webhook field names", () => {
    const money = { shopMoney: { amount: "58.0", currencyCode: "USD" } };
    const order = orderPayloadFromGraphql({
      id: "gid://shopify/Order/6400000000000010049", name: "#1004", createdAt: "2026-11-20T15:00:00Z", updatedAt: "2026-11-21T10:00:00Z",
      totalPriceSet: money, displayFinancialStatus: "PAID", displayFulfillmentStatus: "FULFILLED",
      customer: { id: "gid://shopify/Customer/72", firstName: "Ana", defaultEmailAddress: { emailAddress: "ana@example.com" } },
      lineItems: { nodes: [{ title: "Mug", quantity: 1, product: { id: "gid://shopify/Product/81" }, originalUnitPriceSet: money }] },
      fulfillments: [{ id: "gid://shopify/Fulfillment/55", status: "SUCCESS", displayStatus: "DELIVERED", createdAt: "2026-11-21T09:00:00Z", updatedAt: "2026-11-21T10:00:00Z", trackingInfo: [{ company: "Correios", number: "BR1", url: "https://x" }] }],
    });
    const normalised = normaliseShopifyEvent("orders/updated", order);
    expect(normalised.ok && normalised.value).toMatchObject({
      order: { shopifyOrderId: "6400000000000010049", financialStatus: "paid", fulfillmentStatus: "fulfilled", customer: { email: "ana@example.com" }, fulfillments: [{ shipmentStatus: "delivered" }] },
    });
    expect(checkoutTokenFromRecoveryUrl("https://s.myshopify.com/12345/checkouts/abc123def/recover?key=k")).toBe("abc123def");
    expect(checkoutTokenFromRecoveryUrl("https://s.myshopify.com/checkouts/cn/ff00/recover?key=k")).toBe("ff00");
    expect(checkoutPayloadFromGraphql({ id: "gid://shopify/AbandonedCheckout/1", abandonedCheckoutUrl: "https://x/nothing", createdAt: "", updatedAt: "", totalPriceSet: money, lineItems: { nodes: [] } })).toBeNull();
    expect(legacyIdOf("gid://shopify/Order/9007199254740993")).toBe("9007199254740993");
  });
});

describe("scheduling helpers", () => {
  it("builds one idempotency key per shop, automation, step and subject", () => {
    const key = messageIdempotencyKey({ shopId: "s1", automation: "cart-recovery", step: 2, subject: "tok" });
    expect(key).toBe("s1|cart-recovery|2|tok");
    expect(() => messageIdempotencyKey({ shopId: "s1", automation: "a", step: 0, subject: "" })).toThrow(/non-empty/);
  });

  it("finds the shopper's time zone from the address", () => {
    expect(timeZoneOf("US", "FL")).toBe("America/New_York");
    expect(timeZoneOf("US", "CA")).toBe("America/Los_Angeles");
    expect(timeZoneOf("BR", "SP")).toBe("America/Sao_Paulo");
    expect(timeZoneOf("BR", "AM")).toBe("America/Manaus");
    expect(timeZoneOf("ES", "TF")).toBe("Atlantic/Canary");
    expect(timeZoneOf("US", null)).toBeNull();
    expect(timeZoneOf(null, null)).toBeNull();
  });
});
