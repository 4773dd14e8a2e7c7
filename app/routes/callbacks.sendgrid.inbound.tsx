import type { ActionFunctionArgs } from "@remix-run/node";
import { config } from "~/server/config.server";
import { services } from "~/server/container.server";
import {
  parseInboundEmail,
  readInboundParseRequest,
  shopHandleFromRecipient,
  verifyInboundParseRequest,
} from "~/server/providers/sendgrid/inbound-parse.server";
import { receiveInboundEmail } from "~/server/services/storefront-inbox.server";

// POST /callbacks/sendgrid/inbound?key=… — SendGrid Inbound Parse: mail to
// <shop-handle>@SENDGRID_INBOUND_DOMAIN becomes a ticket message in that shop's inbox.
// SendGrid retries a post that fails with 5xx; anything we cannot use gets a 4xx so it stops.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { inboundDomain, inboundKey } = config().sendgrid;
  if (!inboundDomain || !inboundKey) {
    return Response.json({ error: "Inbound email is not set up: set SENDGRID_INBOUND_DOMAIN and SENDGRID_INBOUND_KEY." }, { status: 404 });
  }
  const trusted = verifyInboundParseRequest(new URL(request.url), inboundKey);
  if (!trusted.ok) return Response.json({ error: trusted.error }, { status: 403 });
  const read = await readInboundParseRequest(request);
  if (!read.ok) return Response.json({ error: read.error }, { status: /MB/.test(read.error) ? 413 : 400 });
  const email = parseInboundEmail(read.value.form);
  if (!email.ok) return Response.json({ error: email.error }, { status: 400 });

  const handle = email.value.to.map((address) => shopHandleFromRecipient(address, inboundDomain)).find((found) => found !== null);
  if (!handle) return Response.json({ error: `None of the recipients is an address at ${inboundDomain}.` }, { status: 400 });
  const { database, logger, clock } = services();
  const outcome = await receiveInboundEmail(email.value, handle, { database, logger, now: clock.now() });
  if (!outcome.ok) return Response.json({ error: outcome.error }, { status: outcome.status });
  return Response.json({ ok: true, ticketId: outcome.ticket.ticketId, newTicket: outcome.ticket.newTicket, duplicate: outcome.ticket.duplicate ?? false });
};
