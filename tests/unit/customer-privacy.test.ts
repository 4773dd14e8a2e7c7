import { describe, expect, it } from "vitest";
import { buildCustomerExport, eventNamesCustomer, parseCustomerPrivacyRequest } from "../../app/domain/compliance/customer-privacy";

describe("customer privacy requests", () => {
  it("reads Shopify's customers/data_request payload, keeping big IDs as strings", () => {
    const parsed = parseCustomerPrivacyRequest({
      shop_id: 954889,
      shop_domain: "avisa-demo.myshopify.com",
      orders_requested: [6400000000000010019, "6400000000000010029"],
      customer: { id: "7200000000000000013", email: "Ana.Souza@example.com", phone: "+5511987654321" },
      data_request: { id: 9999 },
    });
    expect(parsed.ok && parsed.value).toMatchObject({
      customerId: "7200000000000000013",
      email: "ana.souza@example.com",
      requestId: "9999",
    });
    expect(parsed.ok && parsed.value.orderIds[1]).toBe("6400000000000010029");
  });

  it("refuses a payload that names no customer", () => {
    const parsed = parseCustomerPrivacyRequest({ shop_domain: "x.myshopify.com", customer: {} });
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining("names no customer") });
    expect(parseCustomerPrivacyRequest({ nope: true }).ok).toBe(false);
  });

  it("builds an export document that says what it is and when it was made", () => {
    const parsed = parseCustomerPrivacyRequest({ shop_domain: "s.myshopify.com", customer: { email: "a@b.c" }, orders_to_redact: [] });
    if (!parsed.ok) throw new Error(parsed.error);
    const doc = buildCustomerExport(parsed.value, { contacts: [{ id: 1 }], consentRecords: [], orders: [], checkouts: [], messages: [], outboxMessages: [], events: [], reviews: [], tickets: [], surveyAnswers: [], ticketMessagesElsewhere: [] }, new Date("2026-11-23T10:00:00Z"));
    expect(doc).toMatchObject({ format: "avisa.customer-export.v1", generatedAt: "2026-11-23T10:00:00.000Z", shop: "s.myshopify.com", contacts: [{ id: 1 }] });
  });
});

describe("eventNamesCustomer", () => {
  it("finds the customer's id on any object of the event, and nowhere else", () => {
    const order = { id: "6400000000000010049", customer: { id: "9007199254740993", email: "ana@example.com" }, line_items: [{ id: "1", product_id: "9007199254740993" }] };
    expect(eventNamesCustomer(order, "9007199254740993")).toBe(true);
    expect(eventNamesCustomer({ checkouts: [{ customer: { id: "42" } }] }, "42")).toBe(true);
    // The same digits as another field's value, or as text, do not name the customer.
    expect(eventNamesCustomer({ id: "1", customer_id_note: "42", note: "42", line_items: [{ product_id: "42" }] }, "42")).toBe(false);
    expect(eventNamesCustomer(null, "42")).toBe(false);
  });
});
