import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook fulfillments/create (subscribed in shopify.app.toml).
export const action = webhookAction("fulfillments/create");
