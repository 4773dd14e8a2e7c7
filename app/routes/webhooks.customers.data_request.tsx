import { webhookAction } from "~/server/webhook-action.server";

// Shopify webhook customers/data_request (subscribed in shopify.app.toml).
export const action = webhookAction("customers/data_request");
