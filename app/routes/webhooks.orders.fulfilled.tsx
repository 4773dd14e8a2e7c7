import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook orders/fulfilled (subscribed in shopify.app.toml).
export const action = webhookAction("orders/fulfilled");
