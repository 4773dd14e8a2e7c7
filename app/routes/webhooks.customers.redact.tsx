import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook customers/redact (subscribed in shopify.app.toml).
export const action = webhookAction("customers/redact");
