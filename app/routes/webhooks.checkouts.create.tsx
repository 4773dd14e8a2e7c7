import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook checkouts/create (subscribed in shopify.app.toml).
export const action = webhookAction("checkouts/create");
