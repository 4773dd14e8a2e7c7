import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook shop/redact (subscribed in shopify.app.toml).
export const action = webhookAction("shop/redact");
