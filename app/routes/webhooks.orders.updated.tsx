import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook orders/updated (subscribed in shopify.app.toml).
export const action = webhookAction("orders/updated");
