import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveInbound } from "~/server/services/receive-inbound.server";
import { readTwilioRequest } from "~/server/services/record-delivery.server";

// POST /callbacks/twilio/inbound — "A message comes in" for the store's Twilio number or
// WhatsApp sender (or its Messaging Service). Signature checked as for status callbacks (403 if
// wrong). The answer is TwiML: an empty <Response/>, or the keyword confirmation to send back.
export const action = async ({ request }: ActionFunctionArgs) => {
  const result = await receiveInbound(await readTwilioRequest(request));
  if (!result.ok) {
    return new Response(result.error, { status: result.reason === "forbidden" ? 403 : 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const twiml = result.reply
    ? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(result.reply)}</Message></Response>`
    : `<?xml version="1.0" encoding="UTF-8"?><Response/>`;
  return new Response(twiml, { status: 200, headers: { "Content-Type": "text/xml; charset=utf-8" } });
};

/** Text inside an element: only &, < and > need escaping. */
function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
