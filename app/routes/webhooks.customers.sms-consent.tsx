import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook customers_marketing_consent/update (subscribed in shopify.app.toml).
export const action = webhookAction("customers_marketing_consent/update");
