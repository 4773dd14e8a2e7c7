// The inbox: every message a shopper sends the store (contact form, SMS, WhatsApp, email) lands
// in a ticket, and related messages land in the same one — the same shopper while a ticket is
// open or closed less than 7 days ago, or the same order number (app/domain/inbox/ticket-routing.ts).
// The merchant answers from the admin on the shopper's channel; the answer is a Message row like
// any other (written before it is sent, dispatched by the worker, with its timeline).
import { isWhatsappWindowOpen } from "../../domain/automations/evaluate";
import { canSend, currentConsent, type Suppression } from "../../domain/consent/consent-policy";
import { chooseTicket, planSplit, SPLIT_REFUSAL_CODES, ticketStatusTransition, TICKET_MERGE_WINDOW_DAYS, type TicketSummary } from "../../domain/inbox/ticket-routing";
import type { Channel, Logger } from "../../domain/ports";
import type { Database } from "../db.server";
import type { MessageVariables } from "./message-context.server";
import { planAndSchedule } from "./plan-automations.server";
import { scheduleMessage } from "./schedule-message.server";
import { dialectOf } from "../queue/job-queue.server";
import { config } from "../config.server";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
type ContactRow = Awaited<ReturnType<Database["contact"]["findUniqueOrThrow"]>>;

const DAY_MS = 24 * 60 * 60 * 1000;

export type TicketChannel = Channel | "contact_form";
export const TICKET_STATUSES = ["open", "pending", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** The automation name merchant replies are written under (their Message rows and timeline). */
export const INBOX_REPLY = "inbox_reply";

export type InboundForInbox = {
  shopId: string;
  contact: ContactRow | null;
  channel: TicketChannel;
  body: string;
  subject?: string | null;
  fromAddress: string;
  fromName?: string | null;
  /** The vendor's id for the message (MessageSid, Message-ID): a retried delivery is recorded once. */
  externalId?: string | null;
  /** Order numbers the shopper named ("#1001"): a message about the same order joins its ticket. */
  orderNames: string[];
  /** Where to answer when the ticket is not tied to a contact's phone (contact form, email). */
  email?: string | null;
  phone?: string | null;
  clientKey?: string | null;
  /** Likely spam or an automatic reply: kept in the inbox, but no alert to the merchant. */
  silent?: boolean;
  now: Date;
};

/**
 * Serialises the work on one shopper's conversation for the rest of the transaction, so two
 * copies of a message arriving at once (a vendor's retry racing the original) make one ticket
 * and one contact. PostgreSQL needs the lock; SQLite already runs one writer at a time.
 */
export async function lockConversation(tx: Tx, shopId: string, address: string): Promise<void> {
  if (dialectOf(tx).kind !== "postgresql") return;
  await tx.$queryRawUnsafe("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS acquired", `inbox:${shopId}:${address.toLowerCase()}`);
}

export type InboxOutcome = { ticketId: string; newTicket: boolean; duplicate?: boolean; joinedBecause?: "same_contact" | "same_order" };

export async function addToInbox(tx: Tx, inbound: InboundForInbox, deps: { logger: Logger }): Promise<InboxOutcome> {
  const { shopId, contact, now } = inbound;
  if (inbound.externalId) {
    const seen = await tx.ticketMessage.findFirst({ where: { externalId: inbound.externalId, ticket: { shopId } }, select: { ticketId: true } });
    if (seen) return { ticketId: seen.ticketId, newTicket: false, duplicate: true };
  }

  const since = new Date(now.getTime() - TICKET_MERGE_WINDOW_DAYS * DAY_MS);
  const related = [
    ...(contact ? [{ contactId: contact.id }] : []),
    // "#1001" and a store's own "CB1001" name the same order: fetch by the digits, chooseTicket compares.
    ...orderDigits(inbound.orderNames).map((digits) => ({ orderName: { contains: digits } })),
  ];
  const candidates: TicketSummary[] = related.length
    ? await tx.ticket.findMany({
        where: { shopId, OR: related, AND: [{ OR: [{ status: { in: ["open", "pending"] } }, { closedAt: { gte: since } }] }] },
        select: { id: true, contactId: true, status: true, lastMessageAt: true, closedAt: true, orderName: true },
        orderBy: { lastMessageAt: "desc" },
        take: 20,
      }) as TicketSummary[]
    : [];
  const choice = chooseTicket({ now, incoming: { contactId: contact?.id ?? null, orderNames: inbound.orderNames }, candidates });

  const body = inbound.body.trim() || "(empty message)";
  const orderName = inbound.orderNames[0] ?? null;
  let ticketId: string;
  if (choice.action === "join") {
    const joined = candidates.find((ticket) => ticket.id === choice.ticketId)!;
    await tx.ticket.update({
      where: { id: choice.ticketId },
      data: {
        lastMessageAt: now,
        ...(inbound.silent ? {} : ticketStatusTransition(joined.status, "open", now).data),
        ...(!joined.orderName && orderName ? { orderName } : {}),
      },
    });
    ticketId = choice.ticketId;
  } else {
    const created = await tx.ticket.create({
      data: {
        shopId, contactId: contact?.id ?? null, channel: inbound.channel, status: "open",
        subject: inbound.subject?.trim() || subjectOf(body), orderName,
        email: inbound.email ?? contact?.email ?? null, phone: inbound.phone ?? contact?.phone ?? null,
        lastMessageAt: now,
      },
    });
    ticketId = created.id;
  }
  await tx.ticketMessage.create({
    data: {
      ticketId, direction: "inbound", channel: inbound.channel, fromAddress: inbound.fromAddress, fromName: inbound.fromName ?? null,
      subject: inbound.subject ?? null, body, externalId: inbound.externalId ?? null, clientKey: inbound.clientKey ?? null, createdAt: now,
    },
  });
  if (choice.action === "join") return { ticketId, newTicket: false, joinedBecause: choice.reason };
  if (inbound.silent) return { ticketId, newTicket: true };

  await alertMerchant(tx, { shopId, ticketId, contact, body, fromName: inbound.fromName ?? null, email: inbound.email ?? null, phone: inbound.phone ?? null, now }, deps);
  return { ticketId, newTicket: true };
}

/** A new conversation: the merchant alert automation decides whether and how to tell the store. */
async function alertMerchant(
  tx: Tx,
  ticket: { shopId: string; ticketId: string; contact: ContactRow | null; body: string; fromName: string | null; email: string | null; phone: string | null; now: Date },
  deps: { logger: Logger },
): Promise<void> {
  const { shopId, ticketId, contact, now } = ticket;
  await planAndSchedule(tx, { kind: "contact_request", request: { id: ticketId, receivedAt: now } }, {
    shopId, now, logger: deps.logger, contactId: contact?.id ?? null, localeHints: [], // the alert is in the store's language
  });
  const email = ticket.email ?? contact?.email ?? null;
  const phone = ticket.phone ?? contact?.phone ?? null;
  const name = ticket.fromName || [contact?.firstName, contact?.lastName].filter(Boolean).join(" ") || email || phone || "A shopper";
  const contactRequest: NonNullable<MessageVariables["contactRequest"]> = {
    name, ...(phone ? { phone } : {}), ...(email ? { email } : {}), message: ticket.body, ticketId,
  };
  const alerts = await tx.message.findMany({
    where: { shopId, automation: "merchant_alert", idempotencyKey: { endsWith: `|contact_request:${ticketId}` } },
    select: { id: true, variables: true },
  });
  for (const alert of alerts) {
    const variables = { ...(JSON.parse(alert.variables) as MessageVariables), contactRequest };
    await tx.message.update({ where: { id: alert.id }, data: { variables: JSON.stringify(variables) } });
  }
}

function orderDigits(names: string[]): string[] {
  return [...new Set(names.map((name) => name.replace(/\D/g, "")).filter((digits) => digits.length >= 3))];
}

function subjectOf(body: string): string {
  const line = body.split("\n")[0].trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

// ------------------------------------------------------------------ the merchant's side

/**
 * Why the inbox refused a merchant's action, for the admin to word in the merchant's language
 * (with `params`); `error` keeps an English sentence for logs and tests.
 * - not_found: the ticket is not in this shop.
 * - reply_empty, reply_too_long: the reply's text.
 * - no_address: no email address or phone number at all; no_email / no_phone: none for the
 *   chosen channel (params.channel).
 * - suppressed_*: the address is suppressed (bounce, spam complaint, invalid, blocked by the
 *   provider); stopped: the shopper replied STOP; consent_refused: any other consent refusal.
 *   All with params.channel.
 * - whatsapp_window_closed: more than 24 hours since the shopper's last WhatsApp message.
 * - unknown_status (params.status); none_selected, unknown_messages (params.count), all_selected:
 *   a split's selection (app/domain/inbox/ticket-routing.ts).
 */
export const SUPPRESSION_REFUSAL_CODES = ["suppressed_hard_bounce", "suppressed_spam_complaint", "suppressed_invalid_address", "suppressed_blocked"] as const;
export const INBOX_REFUSAL_CODES = [
  "not_found", "reply_empty", "reply_too_long", "no_address", "no_email", "no_phone",
  ...SUPPRESSION_REFUSAL_CODES, "stopped", "consent_refused", "whatsapp_window_closed",
  "unknown_status", ...SPLIT_REFUSAL_CODES,
] as const;
export type InboxRefusalCode = (typeof INBOX_REFUSAL_CODES)[number];
export type InboxRefusal = { ok: false; status: 400 | 404 | 409; code: InboxRefusalCode; params?: Record<string, string | number>; error: string };

export type InboxActionResult<T = object> = ({ ok: true } & T) | InboxRefusal;

const refusal = (status: InboxRefusal["status"], code: InboxRefusalCode, error: string, params?: InboxRefusal["params"]): InboxRefusal =>
  ({ ok: false, status, code, ...(params ? { params } : {}), error });

/** Which channel a reply can use, and to which address: the shopper's own channel first. */
export function replyChannels(ticket: { channel: string; email: string | null; phone: string | null }, contact: { email: string | null; phone: string | null } | null): Channel[] {
  const email = ticket.email ?? contact?.email;
  const phone = ticket.phone ?? contact?.phone;
  const first: Channel = ticket.channel === "sms" || ticket.channel === "whatsapp" ? ticket.channel : "email";
  const all: Channel[] = [first, "email", "sms", "whatsapp"];
  return [...new Set(all)].filter((channel) => (channel === "email" ? !!email : !!phone));
}

/**
 * Writes the merchant's answer as an outbound ticket message and a Message row the worker sends
 * (the shopper's channel unless the merchant picks another). Refused, with what to do instead,
 * when the channel cannot reach the shopper now.
 */
export async function replyToTicket(
  database: Database,
  input: { shopId: string; ticketId: string; body: string; channel?: Channel | null; authorName: string; now: Date },
): Promise<InboxActionResult<{ messageId: string; channel: Channel }>> {
  const { shopId, now } = input;
  const body = input.body.trim();
  if (!body) return refusal(400, "reply_empty", "Write a reply before sending it.");
  if (body.length > 5000) return refusal(400, "reply_too_long", "A reply can be at most 5,000 characters.");
  const ticket = await database.ticket.findFirst({ where: { id: input.ticketId, shopId }, include: { contact: true, shop: { select: { domain: true } } } });
  if (!ticket) return refusal(404, "not_found", "This conversation does not exist in your store (it may have been erased).");
  const shopDomain = ticket.shop.domain;

  const possible = replyChannels(ticket, ticket.contact);
  const channel = input.channel ?? possible[0];
  if (!channel) return refusal(400, "no_address", "We have no email address or phone number for this shopper, so a reply cannot reach them.");
  if (!possible.includes(channel)) {
    return channel === "email"
      ? refusal(400, "no_email", "We have no email address for this shopper: choose another channel.", { channel })
      : refusal(400, "no_phone", "We have no phone number for this shopper: choose another channel.", { channel });
  }
  const recipient = channel === "email" ? (ticket.email ?? ticket.contact?.email) : (ticket.phone ?? ticket.contact?.phone);
  const suppression = await database.suppression.findFirst({ where: { shopId, channel: channel === "email" ? "email" : "sms", address: recipient ?? "" } });
  if (ticket.contact || suppression) {
    const records = ticket.contact
      ? await database.consentRecord.findMany({
          where: { shopId, contactId: ticket.contact.id }, orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
          select: { channel: true, state: true, source: true, recordedAt: true },
        })
      : [];
    const consent = currentConsent(records, channel);
    const verdict = canSend({
      channel, purpose: "transactional", consent,
      suppressed: suppression ? { reason: suppression.reason as Suppression["reason"], since: suppression.createdAt } : null,
    });
    if (!verdict.allowed) {
      // The code comes from the facts canSend was given, never from its English sentence.
      const suppressed = suppression ? `suppressed_${suppression.reason}` : null;
      const code: InboxRefusalCode = suppressed && (SUPPRESSION_REFUSAL_CODES as readonly string[]).includes(suppressed)
        ? (suppressed as InboxRefusalCode)
        : !suppression && consent.stopped ? "stopped" : "consent_refused";
      return refusal(409, code, `This shopper cannot be reached by ${channel}: ${verdict.reason.replace(/\.$/, "")}. Answer on another channel.`, { channel });
    }
    if (channel === "whatsapp" && !isWhatsappWindowOpen(ticket.contact?.lastWhatsappInboundAt ?? null, now)) {
      return refusal(409, "whatsapp_window_closed", "WhatsApp allows free replies only within 24 hours of the shopper's last message. Answer by SMS or email instead.", { channel });
    }
  }
  const lastInbound = await database.ticketMessage.findFirst({ where: { ticketId: ticket.id, direction: "inbound" }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });

  return database.$transaction(async (tx) => {
    const note = await tx.ticketMessage.create({
      data: { ticketId: ticket.id, direction: "outbound", channel, fromName: input.authorName, body, createdAt: now },
    });
    const subject = channel === "email" ? `Re: ${ticket.subject ?? "your message"}` : undefined;
    const scheduled = await scheduleMessage(tx, {
      shopId, contactId: ticket.contactId, automation: INBOX_REPLY, step: 1, subject: `ticket-message:${note.id}`,
      purpose: "transactional", channel, channels: [channel], messageType: null, recipient: recipient ?? null, runAt: now,
      variables: {
        subject, text: body, html: channel === "email" ? replyHtml(body) : undefined, to: recipient ?? undefined,
        replyTo: channel === "email" ? (inboxAddressOf(shopDomain) ?? undefined) : undefined,
        ticketId: ticket.id, shopperWroteAt: lastInbound?.createdAt.toISOString() ?? null,
      },
    }, now);
    await tx.ticketMessage.update({ where: { id: note.id }, data: { messageId: scheduled.id } });
    // Answering puts the ball in the shopper's court.
    await tx.ticket.update({ where: { id: ticket.id }, data: { lastMessageAt: now, ...ticketStatusTransition(ticket.status as TicketStatus, "pending", now).data } });
    return { ok: true as const, messageId: scheduled.id, channel };
  });
}

/** The store's Avisa address for email answers (SendGrid Inbound Parse), when one is set up. */
function inboxAddressOf(shopDomain: string): string | null {
  const domain = config().sendgrid.inboundDomain;
  return domain ? `reply+${shopDomain.replace(/\.myshopify\.com$/, "")}@${domain}` : null;
}

function replyHtml(body: string): string {
  const escaped = body.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  return `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Roboto,sans-serif;font-size:15px;line-height:1.5;color:#202223">${escaped.replace(/\n/g, "<br>")}</body></html>`;
}

export async function setTicketStatus(database: Database, input: { shopId: string; ticketId: string; status: string; now: Date }): Promise<InboxActionResult> {
  if (!(TICKET_STATUSES as readonly string[]).includes(input.status)) return refusal(400, "unknown_status", `Unknown status "${input.status}": use open, pending or closed.`, { status: input.status });
  const ticket = await database.ticket.findFirst({ where: { id: input.ticketId, shopId: input.shopId }, select: { id: true, status: true } });
  if (!ticket) return refusal(404, "not_found", "This conversation does not exist in your store.");
  const change = ticketStatusTransition(ticket.status as TicketStatus, input.status as TicketStatus, input.now);
  await database.ticket.update({ where: { id: ticket.id }, data: change.data });
  return { ok: true };
}

/** Moves the chosen messages to a new ticket (two questions in one thread, or a wrong merge). */
export async function splitTicket(database: Database, input: { shopId: string; ticketId: string; messageIds: string[]; now: Date }): Promise<InboxActionResult<{ newTicketId: string }>> {
  const ticket = await database.ticket.findFirst({ where: { id: input.ticketId, shopId: input.shopId }, include: { messages: { select: { id: true, createdAt: true, direction: true, body: true, subject: true } } } });
  if (!ticket) return refusal(404, "not_found", "This conversation does not exist in your store.");
  const plan = planSplit(ticket.messages, input.messageIds);
  if (!plan.ok) return refusal(400, plan.code, plan.error, plan.params);
  const moving = ticket.messages.filter((message) => plan.moveIds.includes(message.id));
  const firstInbound = moving.find((message) => message.direction === "inbound") ?? moving[0];
  return database.$transaction(async (tx) => {
    const created = await tx.ticket.create({
      data: {
        shopId: ticket.shopId, contactId: ticket.contactId, channel: ticket.channel, status: "open",
        subject: firstInbound.subject ?? subjectOf(firstInbound.body), orderName: null, email: ticket.email, phone: ticket.phone,
        splitFromId: ticket.id, lastMessageAt: plan.newTicketLastMessageAt,
      },
    });
    await tx.ticketMessage.updateMany({ where: { ticketId: ticket.id, id: { in: plan.moveIds } }, data: { ticketId: created.id } });
    await tx.ticket.update({ where: { id: ticket.id }, data: { lastMessageAt: plan.remainingLastMessageAt } });
    return { ok: true as const, newTicketId: created.id };
  });
}
