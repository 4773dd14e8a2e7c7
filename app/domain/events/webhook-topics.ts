// Every Shopify webhook topic Avisa subscribes to, with the route that receives it.
// shopify.app.toml must declare exactly these (tests/unit/app-toml.test.ts checks it).

export const WEBHOOK_TOPICS = {
  "app/uninstalled": "/webhooks/app/uninstalled",
  "orders/create": "/webhooks/orders/create",
  "orders/updated": "/webhooks/orders/updated",
  "orders/cancelled": "/webhooks/orders/cancelled",
  "orders/fulfilled": "/webhooks/orders/fulfilled",
  "fulfillments/create": "/webhooks/fulfillments/create",
  "fulfillments/update": "/webhooks/fulfillments/update",
  "checkouts/create": "/webhooks/checkouts/create",
  "checkouts/update": "/webhooks/checkouts/update",
  "customers_email_marketing_consent/update": "/webhooks/customers/email-consent",
  "customers_marketing_consent/update": "/webhooks/customers/sms-consent",
} as const;

/** Compliance topics can only be subscribed in shopify.app.toml (compliance_topics). */
export const COMPLIANCE_TOPICS = {
  "customers/data_request": "/webhooks/customers/data_request",
  "customers/redact": "/webhooks/customers/redact",
  "shop/redact": "/webhooks/shop/redact",
} as const;

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS | keyof typeof COMPLIANCE_TOPICS;

export function isComplianceTopic(topic: string): topic is keyof typeof COMPLIANCE_TOPICS {
  return topic in COMPLIANCE_TOPICS;
}

