// The whole body of every webhook route: authenticate, record, answer 200 quickly.
// `answerWebhook` is that work without Remix around it; server.mjs's fast path
// (webhook-fast-path.server.ts) calls it too, so both answer every delivery identically.
import type { ActionFunctionArgs } from "@remix-run/node";
import type { WebhookTopic } from "../domain/events/webhook-topics";
import { receiveWebhook } from "./services/receive-webhook.server";
import { fetchWebhookRequest, verifyWebhook, type WebhookRequest } from "./webhooks.server";

/** A JSON answer: `{"outcome": ...}` with 200, or `{"error": ...}` with the refusal's status. */
export type WebhookAnswer = { status: number; body: string };

export async function answerWebhook(topic: WebhookTopic, request: WebhookRequest): Promise<WebhookAnswer> {
  const verified = await verifyWebhook(request, topic);
  if (!verified.ok) return { status: verified.status, body: JSON.stringify({ error: verified.error }) };
  const outcome = await receiveWebhook(verified.delivery);
  return { status: 200, body: JSON.stringify({ outcome }) };
}

export function webhookAction(topic: WebhookTopic) {
  return async ({ request }: ActionFunctionArgs) => {
    const answer = await answerWebhook(topic, fetchWebhookRequest(request));
    const response = new Response(answer.body, { status: answer.status, headers: { "Content-Type": "application/json" } });
    // A refusal is thrown, as Remix actions do for responses that are not the happy path.
    if (answer.status !== 200) throw response;
    return response;
  };
}
