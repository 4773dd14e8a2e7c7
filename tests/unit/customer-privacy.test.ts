import { describe, expect, it } from "vitest";
import { buildCustomerExport, eventMentionsCustomer, parseCustomerPrivacyRequest } from "../../app/domain/compliance/customer-privacy";

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

describe("eventMentionsCustomer", () => {
  const ana = { customerId: "9007199254740993", addresses: ["ana@example.com", "+5511987654321"] };

  it("finds the customer's id as any object's id or customer_id", () => {
    const order = { id: "6400000000000010049", customer: { id: "9007199254740993" }, line_items: [{ id: "1", product_id: "9007199254740993" }] };
    expect(eventMentionsCustomer(order, ana)).toBe(true);
    expect(eventMentionsCustomer({ checkouts: [{ customer: { id: "9007199254740993" } }] }, ana)).toBe(true);
    expect(eventMentionsCustomer({ customer_id: "9007199254740993", email_address: null }, ana)).toBe(true);
  });

  it("finds an address as a whole, in any case and inside longer text", () => {
    expect(eventMentionsCustomer({ email: "Ana@Example.COM" }, ana)).toBe(true);
    expect(eventMentionsCustomer({ note: "write to ana@example.com, please" }, ana)).toBe(true);
    expect(eventMentionsCustomer({ shipping_address: { phone: "+5511987654321" } }, ana)).toBe(true);
  });

  it("does not take someone else's address, another field's digits or text for the customer", () => {
    expect(eventMentionsCustomer({ email: "joana@example.com" }, ana)).toBe(false);
    expect(eventMentionsCustomer({ email: "ana@example.com.br" }, ana)).toBe(false);
    expect(eventMentionsCustomer({ phone: "+55119876543210" }, ana)).toBe(false);
    expect(eventMentionsCustomer({ id: "1", note: "9007199254740993", line_items: [{ product_id: "9007199254740993" }] }, ana)).toBe(false);
    expect(eventMentionsCustomer(null, ana)).toBe(false);
    expect(eventMentionsCustomer({ customer: { id: "1" } }, { customerId: null, addresses: [] })).toBe(false);
  });
});
