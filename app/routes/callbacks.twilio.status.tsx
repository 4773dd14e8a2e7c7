import type { ActionFunctionArgs } from "@remix-run/node";
import { readTwilioRequest, recordTwilioStatus } from "~/server/services/record-delivery.server";

// POST /callbacks/twilio/status — Twilio's message status callbacks (the StatusCallback the SMS
// and WhatsApp providers set on every send). X-Twilio-Signature is checked with the auth token
// of the shop that owns the sending number (its own Twilio account) or the app's; a request that
// fails the check gets 403, as Twilio's security guide says, and changes nothing.
export const action = async ({ request }: ActionFunctionArgs) => {
  const result = await recordTwilioStatus(await readTwilioRequest(request));
  if (!result.ok) {
    return new Response(result.error, { status: result.reason === "forbidden" ? 403 : 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(null, { status: 204 });
};
