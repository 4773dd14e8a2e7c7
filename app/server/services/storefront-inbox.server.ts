// Messages that reach the inbox by web and email: the storefront contact block (through the
// signed app proxy; its body is not signed, so every field is validated here) and replies or
// new mail to the store's Avisa address (SendGrid Inbound Parse). Both become ticket messages
// through the same merging rule as SMS and WhatsApp (inbox.server.ts).
import { findOrderNumbers, normaliseOrderNumber } from "../../domain/inbox/order-number";
import { parseContactSubmission } from "../../domain/reviews/review-submission";
import type { Logger } from "../../domain/ports";
import type { Database } from "../db.server";
import type { InboundEmail } from "../providers/sendgrid/inbound-parse.server";
import { addToInbox, lockConversation, type InboxOutcome } from "./inbox.server";
import { SUBMISSIONS_PER_HOUR, type StorefrontCaller } from "./reviews.server";

const HOUR_MS = 60 * 60 * 1000;

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

export type ContactOutcome =
  | { kind: "accepted"; ticketId: string; newTicket: boolean }
  | { kind: "invalid"; errors: Record<string, string> }
  | { kind: "ignored" }
  | { kind: "rate_limited"; retryAfterSeconds: number };

export async function receiveContactRequest(
  caller: StorefrontCaller, fields: Record<string, string | undefined>, deps: { database: Database; logger: Logger },
): Promise<ContactOutcome> {
  const { shop, now } = caller;
  const parsed = parseContactSubmission(fields, fields.locale ?? shop.primaryLocale);
  if (!parsed.ok) return { kind: "invalid", errors: parsed.errors as Record<string, string> };
  const request = parsed.value;
  if (request.honeypotFilled) return { kind: "ignored" };

  if (caller.clientKey) {
    const recent = await deps.database.ticketMessage.count({
      where: { clientKey: caller.clientKey, createdAt: { gte: new Date(now.getTime() - HOUR_MS) }, ticket: { shopId: shop.id } },
    });
    if (recent >= SUBMISSIONS_PER_HOUR) return { kind: "rate_limited", retryAfterSeconds: HOUR_MS / 1000 };
  }

  // "1001" → "#1001"; a store's own order name ("CB1001") is kept as typed.
  const typed = normaliseOrderNumber(request.orderNumber) ?? request.orderNumber;
  const orderNames = [...new Set([...(typed ? [typed] : []), ...findOrderNumbers(request.message)])];
  const outcome = await deps.database.$transaction(async (tx) => {
    await lockConversation(tx, shop.id, request.email);
    const contact = await contactForEmail(tx, shop.id, request.email, {
      name: request.name, phone: request.phone, locale: fields.locale ?? null, shopifyCustomerId: caller.loggedInCustomerId,
    });
    return addToInbox(tx, {
      shopId: shop.id, contact, channel: "contact_form", body: request.message, subject: null,
      fromAddress: request.email, fromName: request.name, orderNames, email: request.email, phone: request.phone,
      clientKey: caller.clientKey, now,
    }, deps);
  });
  return { kind: "accepted", ticketId: outcome.ticketId, newTicket: outcome.newTicket };
}

/** The shop's contact with this email (the logged-in customer's first), else a new one. */
async function contactForEmail(
  tx: Tx, shopId: string, email: string,
  details: { name: string | null; phone: string | null; locale: string | null; shopifyCustomerId: string | null },
) {
  const known =
    (details.shopifyCustomerId ? await tx.contact.findFirst({ where: { shopId, shopifyCustomerId: details.shopifyCustomerId } }) : null) ??
    (await tx.contact.findFirst({ where: { shopId, email }, orderBy: { createdAt: "asc" } }));
  if (known) return known;
  const [firstName, ...rest] = (details.name ?? "").trim().split(/\s+/);
  return tx.contact.create({
    data: { shopId, email, phone: details.phone, firstName: firstName || null, lastName: rest.join(" ") || null, locale: details.locale },
  });
}

export type InboundEmailOutcome = { ok: true; shopId: string; ticket: InboxOutcome } | { ok: false; status: 404; error: string };

/** An email to the store's Avisa address: the shop is the one named in the address. */
export async function receiveInboundEmail(
  email: InboundEmail, shopHandle: string, deps: { database: Database; logger: Logger; now: Date },
): Promise<InboundEmailOutcome> {
  const shop = await deps.database.shop.findUnique({ where: { domain: `${shopHandle}.myshopify.com` } });
  if (!shop || shop.uninstalledAt) return { ok: false, status: 404, error: `No installed store uses the inbound address ${shopHandle}@…` };
  const text = email.strippedText.trim() || email.text.trim();
  const orderNames = findOrderNumbers(`${email.subject ?? ""}\n${text}`);
  const ticket = await deps.database.$transaction(async (tx) => {
    await lockConversation(tx, shop.id, email.from.email);
    const contact = await contactForEmail(tx, shop.id, email.from.email, { name: email.from.name, phone: null, locale: null, shopifyCustomerId: null });
    return addToInbox(tx, {
      shopId: shop.id, contact, channel: "email", body: text, subject: email.subject, fromAddress: email.from.email, fromName: email.from.name,
      externalId: email.messageId, orderNames, email: email.from.email, silent: email.spamFlag || email.autoReply, now: deps.now,
    }, deps);
  });
  return { ok: true, shopId: shop.id, ticket };
}
