import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook fulfillments/update (subscribed in shopify.app.toml).
export const action = webhookAction("fulfillments/update");
