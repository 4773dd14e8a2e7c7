import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook customers_email_marketing_consent/update (subscribed in shopify.app.toml).
export const action = webhookAction("customers_email_marketing_consent/update");
