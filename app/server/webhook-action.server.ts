// The whole body of every webhook route: authenticate, record, answer 200 quickly.
import type { ActionFunctionArgs } from "@remix-run/node";
import type { WebhookTopic } from "../domain/events/webhook-topics";
import { receiveWebhook } from "./services/receive-webhook.server";
import { authenticateWebhook } from "./webhooks.server";

export function webhookAction(topic: WebhookTopic) {
  return async ({ request }: ActionFunctionArgs) => {
    const delivery = await authenticateWebhook(request, topic);
    const outcome = await receiveWebhook(delivery);
    return Response.json({ outcome });
  };
}
