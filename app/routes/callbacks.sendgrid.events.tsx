import type { ActionFunctionArgs } from "@remix-run/node";
import { config } from "~/server/config.server";
import {
  isValidEventWebhookSignature,
  parseEventWebhook,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
} from "~/server/providers/sendgrid/event-webhook.server";
import { recordSendGridEvents } from "~/server/services/record-delivery.server";

// POST /callbacks/sendgrid/events — SendGrid's Event Webhook (Settings > Mail Settings > Event
// Webhook, with Signed Event Webhook on). The ECDSA signature covers the exact bytes received.
// 401: unsigned or wrongly signed, nothing stored. 400: not an event array. 503: no key set.
// A retried batch is harmless: each event (sg_event_id) is recorded once.
export const action = async ({ request }: ActionFunctionArgs) => {
  const settings = config();
  const publicKey = settings.sendgrid.webhookPublicKey;
  if (!publicKey) {
    return answer(503, { error: "SendGrid events cannot be verified: set SENDGRID_WEBHOOK_PUBLIC_KEY to the verification key SendGrid shows under Mail Settings > Event Webhook > Signature Verification." });
  }
  if (Number(request.headers.get("content-length") ?? 0) > settings.webhookMaxBodyBytes) {
    return answer(413, { error: `The request body is larger than ${settings.webhookMaxBodyBytes} bytes (WEBHOOK_MAX_BODY_BYTES).` });
  }
  const rawBody = Buffer.from(await request.arrayBuffer());
  const signature = request.headers.get(SENDGRID_SIGNATURE_HEADER);
  const timestamp = request.headers.get(SENDGRID_TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    return answer(401, { error: `Missing ${SENDGRID_SIGNATURE_HEADER} / ${SENDGRID_TIMESTAMP_HEADER}: turn on Signed Event Webhook in SendGrid. Nothing was stored.` });
  }
  if (!isValidEventWebhookSignature({ publicKey, signature, timestamp, rawBody })) {
    return answer(401, { error: "The Event Webhook signature does not match: check that SENDGRID_WEBHOOK_PUBLIC_KEY is the key SendGrid shows now. Nothing was stored." });
  }
  const events = parseEventWebhook(rawBody.toString("utf8"));
  if (!events.ok) return answer(400, { error: `${events.error}: SendGrid posts a JSON array of events.` });
  return answer(200, await recordSendGridEvents(events.value));
};

function answer(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
