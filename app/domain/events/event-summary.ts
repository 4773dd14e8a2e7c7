// A one-line description of a received store event for the activity list, as structured parts:
// the store's own data (order name, names, amounts, tracking numbers) kept as it came, and the
// words Avisa adds ("from a checkout", "3 items", "completed", a shipment or consent state) as
// kinds the admin words in the merchant's language. summarizeEvent gives the English line (logs).
type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type EventSummaryPart =
  /** Store data shown as it came: an order name, a person, an email, a tracking number. */
  | { kind: "text"; value: string }
  | { kind: "amount"; value: string; currency: string | null }
  | { kind: "fromCheckout" }
  | { kind: "items"; count: number }
  | { kind: "completed" }
  /** A fulfillment's shipment_status (confirmed, in_transit, delivered, …). */
  | { kind: "shipmentStatus"; value: string }
  /** A marketing consent state (subscribed, unsubscribed, not_subscribed, pending, …). */
  | { kind: "consentState"; value: string }
  /** The stored payload is not JSON: nothing can be said about the event. */
  | { kind: "unreadable" };

const text = (value: unknown): EventSummaryPart | null =>
  typeof value === "string" && value.trim() ? { kind: "text", value } : typeof value === "number" ? { kind: "text", value: String(value) } : null;

const fullName = (person: Payload | null | undefined): string | null =>
  [person?.first_name, person?.last_name].filter(Boolean).join(" ") || null;

const amount = (value: unknown, currency: unknown): EventSummaryPart | null =>
  value ? { kind: "amount", value: String(value), currency: typeof currency === "string" && currency ? currency : null } : null;

const state = (kind: "shipmentStatus" | "consentState", value: unknown): EventSummaryPart | null =>
  typeof value === "string" && value ? { kind, value: value.toLowerCase() } : null;

export function describeEvent(topic: string, payload: Payload | null | undefined): EventSummaryPart[] {
  const data: Payload = payload && typeof payload === "object" ? payload : {};
  const parts: Array<EventSummaryPart | null> = (() => {
    if (topic.startsWith("orders/")) {
      return [text(data.name), text(fullName(data.customer) ?? data.email), amount(data.total_price, data.currency),
        data.checkout_token ? { kind: "fromCheckout" as const } : null];
    }
    if (topic.startsWith("checkouts/")) {
      const count = Array.isArray(data.line_items) ? data.line_items.length : 0;
      return [text(fullName(data.customer) ?? data.email), amount(data.total_price, data.currency),
        { kind: "items" as const, count }, data.completed_at ? { kind: "completed" as const } : null];
    }
    if (topic.startsWith("fulfillments/")) {
      return [text(data.tracking_company), text(data.tracking_number), state("shipmentStatus", data.shipment_status)];
    }
    if (topic.startsWith("customers")) {
      return [text(data.email_address ?? data.phone ?? data.customer?.email),
        state("consentState", data.email_marketing_consent?.state ?? data.sms_marketing_consent?.state)];
    }
    if (topic === "app/uninstalled") return [text(data.name ?? data.domain ?? data.myshopify_domain)];
    if (topic === "shop/redact") return [text(data.shop_domain)];
    return [];
  })();
  return parts.filter((part): part is EventSummaryPart => part !== null);
}

/** The parts in English, for logs and tests. The admin words them with its own strings. */
export function englishSummary(parts: EventSummaryPart[]): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case "text":
          return part.value;
        case "amount":
          return `${part.value} ${part.currency ?? ""}`.trim();
        case "fromCheckout":
          return "from a checkout";
        case "items":
          return part.count === 1 ? "1 item" : `${part.count} items`;
        case "completed":
          return "completed";
        case "shipmentStatus":
        case "consentState":
          return part.value;
        case "unreadable":
          return "(payload unreadable)";
      }
    })
    .join(" · ");
}

export function summarizeEvent(topic: string, payload: Payload): string {
  return englishSummary(describeEvent(topic, payload));
}
