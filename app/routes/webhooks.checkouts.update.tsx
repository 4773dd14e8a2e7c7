import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook checkouts/update (subscribed in shopify.app.toml).
export const action = webhookAction("checkouts/update");
