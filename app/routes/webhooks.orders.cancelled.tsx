import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook orders/cancelled (subscribed in shopify.app.toml).
export const action = webhookAction("orders/cancelled");
