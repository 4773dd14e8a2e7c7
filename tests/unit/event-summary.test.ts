// The activity list's event summaries: structured parts from Shopify payloads (store data kept as
// it came, Avisa's own words as kinds), the English line for logs, and the admin's wording of the
// parts in each language with plural-aware item counts.
import { describe, expect, it } from "vitest";
import { wordEventSummary } from "../../app/components/activity-list";
import { describeEvent, englishSummary, summarizeEvent } from "../../app/domain/events/event-summary";
import { translator } from "../../app/i18n";

const order = { name: "#1004", customer: { first_name: "Lucía", last_name: "Hernández" }, email: "lucia@example.com", total_price: "60.36", currency: "USD", checkout_token: "abc" };
const checkout = (items: number, completed: boolean) => ({
  email: "ana@example.com", total_price: "48.00", currency: "BRL", line_items: Array.from({ length: items }, () => ({})), completed_at: completed ? "2026-05-01T10:00:00Z" : null,
});

describe("describeEvent", () => {
  it("keeps an order's own data and marks the checkout it came from", () => {
    expect(describeEvent("orders/create", order)).toEqual([
      { kind: "text", value: "#1004" },
      { kind: "text", value: "Lucía Hernández" },
      { kind: "amount", value: "60.36", currency: "USD" },
      { kind: "fromCheckout" },
    ]);
    expect(describeEvent("orders/create", { ...order, checkout_token: null, customer: null })).toEqual([
      { kind: "text", value: "#1004" },
      { kind: "text", value: "lucia@example.com" },
      { kind: "amount", value: "60.36", currency: "USD" },
    ]);
  });

  it("counts a checkout's items and says when it was completed", () => {
    expect(describeEvent("checkouts/update", checkout(3, true))).toEqual([
      { kind: "text", value: "ana@example.com" },
      { kind: "amount", value: "48.00", currency: "BRL" },
      { kind: "items", count: 3 },
      { kind: "completed" },
    ]);
    expect(describeEvent("checkouts/create", { line_items: "not a list" })).toEqual([{ kind: "items", count: 0 }]);
  });

  it("gives shipment and consent states as states, and nothing for an unknown topic or payload", () => {
    expect(describeEvent("fulfillments/update", { tracking_company: "Correios", tracking_number: "BR123", shipment_status: "in_transit" })).toEqual([
      { kind: "text", value: "Correios" },
      { kind: "text", value: "BR123" },
      { kind: "shipmentStatus", value: "in_transit" },
    ]);
    expect(describeEvent("customers_email_marketing_consent/update", { email_address: "a@b.co", email_marketing_consent: { state: "SUBSCRIBED" } })).toEqual([
      { kind: "text", value: "a@b.co" },
      { kind: "consentState", value: "subscribed" },
    ]);
    expect(describeEvent("products/update", { title: "Mug" })).toEqual([]);
    expect(describeEvent("orders/create", null)).toEqual([]);
  });
});

describe("the English line (logs)", () => {
  it("reads as before, with a real plural", () => {
    expect(summarizeEvent("orders/create", order)).toBe("#1004 · Lucía Hernández · 60.36 USD · from a checkout");
    expect(summarizeEvent("checkouts/update", checkout(1, false))).toBe("ana@example.com · 48.00 BRL · 1 item");
    expect(summarizeEvent("checkouts/update", checkout(2, true))).toBe("ana@example.com · 48.00 BRL · 2 items · completed");
    expect(englishSummary([{ kind: "unreadable" }])).toBe("(payload unreadable)");
  });
});

describe("the admin's wording", () => {
  it("translates Avisa's words and keeps the store's data as it came", () => {
    const es = translator("es");
    expect(wordEventSummary(describeEvent("orders/create", order), es)).toBe("#1004 · Lucía Hernández · 60.36 USD · desde un checkout");
    expect(wordEventSummary(describeEvent("checkouts/update", checkout(1, false)), es)).toBe("ana@example.com · 48.00 BRL · 1 artículo");
    expect(wordEventSummary(describeEvent("checkouts/update", checkout(4, true)), translator("pt-BR"))).toBe("ana@example.com · 48.00 BRL · 4 itens · concluído");
    expect(wordEventSummary([{ kind: "unreadable" }], translator("pt-BR"))).toBe("não foi possível ler os detalhes");
  });

  it("words shipment and consent states it knows, and shows one it does not as it came", () => {
    const es = translator("es");
    expect(wordEventSummary([{ kind: "shipmentStatus", value: "out_for_delivery" }, { kind: "consentState", value: "not_subscribed" }], es)).toBe("en reparto · no suscrito");
    expect(wordEventSummary([{ kind: "shipmentStatus", value: "carrier_picked_up" }], es)).toBe("carrier_picked_up");
  });

  it("keeps the English page as the e2e test reads it", () => {
    expect(wordEventSummary(describeEvent("orders/create", { ...order, checkout_token: null }), translator("en"))).toMatch(/^#1004 · Lucía Hernández · \d+\.\d\d USD$/);
  });
});
