import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook orders/create (subscribed in shopify.app.toml).
export const action = webhookAction("orders/create");
