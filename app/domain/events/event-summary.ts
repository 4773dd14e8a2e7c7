// A one-line, human description of a received store event for the activity list.
type Payload = Record<string, any>;

const fullName = (person: Payload | null | undefined) =>
  [person?.first_name, person?.last_name].filter(Boolean).join(" ") || null;

const amount = (value: unknown, currency: unknown) => (value ? `${value} ${currency ?? ""}`.trim() : null);

export function summarizeEvent(topic: string, payload: Payload): string {
  const parts: Array<string | null> = (() => {
    if (topic.startsWith("orders/")) {
      return [payload.name, fullName(payload.customer) ?? payload.email, amount(payload.total_price, payload.currency),
        payload.checkout_token ? "from a checkout" : null];
    }
    if (topic.startsWith("checkouts/")) {
      return [fullName(payload.customer) ?? payload.email, amount(payload.total_price, payload.currency),
        `${payload.line_items?.length ?? 0} item(s)`, payload.completed_at ? "completed" : null];
    }
    if (topic.startsWith("fulfillments/")) {
      return [payload.tracking_company, payload.tracking_number, payload.shipment_status];
    }
    if (topic.startsWith("customers")) {
      return [payload.email_address ?? payload.phone ?? payload.customer?.email, payload.email_marketing_consent?.state ?? payload.sms_marketing_consent?.state];
    }
    if (topic === "app/uninstalled") return [payload.name ?? payload.domain ?? payload.myshopify_domain];
    if (topic === "shop/redact") return [payload.shop_domain];
    return [];
  })();
  return parts.filter((p): p is string => Boolean(p)).join(" · ");
}
