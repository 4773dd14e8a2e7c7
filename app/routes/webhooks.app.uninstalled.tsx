import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook app/uninstalled (subscribed in shopify.app.toml).
export const action = webhookAction("app/uninstalled");
