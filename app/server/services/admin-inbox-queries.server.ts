// Read models for the admin's Inbox: the list of conversations and one conversation with the
// delivery status of each reply. Every query is scoped by the signed-in shop; a page is a constant
// number of queries whatever its length (counts grouped, relations included, statuses batched).
import { z } from "zod";
import { TICKET_STATUSES, type TicketStatus } from "../../domain/inbox/ticket-routing";
import type { Channel } from "../../domain/ports";
import { displayedReason, type MessageReason } from "../../domain/messages/message-reason";
import type { Database } from "../db.server";
import { textContains } from "./admin-review-queries.server";
import { replyChannels } from "./inbox.server";

export const TICKETS_PER_PAGE = 25;

export type TicketListQuery = { status: TicketStatus; q: string; page: number };

const listQuerySchema = z.object({
  status: z.enum(TICKET_STATUSES).catch("open"),
  q: z.string().trim().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** ?status=&q=&page= from the page's URL; anything unreadable falls back to the first page of open conversations. */
export function ticketListQuery(params: URLSearchParams): TicketListQuery {
  return listQuerySchema.parse({ status: params.get("status") ?? undefined, q: params.get("q") ?? "", page: params.get("page") ?? undefined });
}

const fullName = (contact: { firstName: string | null; lastName: string | null } | null | undefined) =>
  [contact?.firstName, contact?.lastName].filter(Boolean).join(" ") || null;

function ticketSearch(q: string) {
  if (!q) return {};
  const match = textContains(q);
  return {
    OR: [
      { subject: match }, { orderName: match }, { email: match }, { phone: match },
      { contact: { is: { OR: [{ firstName: match }, { lastName: match }, { email: match }, { phone: match }] } } },
      { messages: { some: { OR: [{ body: match }, { fromName: match }, { fromAddress: match }] } } },
    ],
  };
}

export type TicketListRow = {
  id: string;
  status: string;
  channel: string;
  subject: string | null;
  orderName: string | null;
  /** The shopper's name (contact, else the name they wrote under), or null. */
  shopper: string | null;
  /** Their email address or phone number. */
  address: string | null;
  contactId: string | null;
  lastMessageAt: string;
  messageCount: number;
  /** The shopper's latest words, to recognise the conversation. */
  preview: string | null;
};

export type TicketList = {
  tickets: TicketListRow[];
  counts: Record<TicketStatus, number>;
  query: TicketListQuery;
  pageCount: number;
  /** The shop has at least one conversation, whatever the tab and the search. */
  anyTickets: boolean;
};

export async function listTickets(database: Database, shopId: string, requested: TicketListQuery): Promise<TicketList> {
  const search = ticketSearch(requested.q);
  const [grouped, shopTotal] = await Promise.all([
    database.ticket.groupBy({ by: ["status"], where: { shopId, ...search }, _count: { _all: true } }),
    requested.q ? database.ticket.count({ where: { shopId } }) : Promise.resolve(null),
  ]);
  const counts: Record<TicketStatus, number> = { open: 0, pending: 0, closed: 0 };
  let all = 0;
  for (const group of grouped) {
    if ((TICKET_STATUSES as readonly string[]).includes(group.status)) counts[group.status as TicketStatus] = group._count._all;
    all += group._count._all;
  }
  const total = counts[requested.status];
  const pageCount = Math.max(1, Math.ceil(total / TICKETS_PER_PAGE));
  const page = Math.min(requested.page, pageCount);
  const rows = total === 0 ? [] : await database.ticket.findMany({
    where: { shopId, status: requested.status, ...search },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * TICKETS_PER_PAGE,
    take: TICKETS_PER_PAGE,
    select: {
      id: true, status: true, channel: true, subject: true, orderName: true, email: true, phone: true, contactId: true, lastMessageAt: true,
      contact: { select: { firstName: true, lastName: true, email: true, phone: true } },
      messages: { where: { direction: "inbound" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1, select: { fromName: true, fromAddress: true, body: true } },
      _count: { select: { messages: true } },
    },
  });
  return {
    tickets: rows.map((row) => {
      const lastInbound = row.messages[0];
      return {
        id: row.id,
        status: row.status,
        channel: row.channel,
        subject: row.subject,
        orderName: row.orderName,
        shopper: fullName(row.contact) ?? lastInbound?.fromName ?? null,
        address: addressOf(row) ?? lastInbound?.fromAddress ?? null,
        contactId: row.contactId,
        lastMessageAt: row.lastMessageAt.toISOString(),
        messageCount: row._count.messages,
        preview: lastInbound ? excerpt(lastInbound.body, 140) : null,
      };
    }),
    counts,
    query: { ...requested, page },
    pageCount,
    anyTickets: (shopTotal ?? all) > 0,
  };
}

/** How the shopper is reached on the ticket's own channel: a phone number for texts, else an email address. */
function addressOf(ticket: { channel: string; email: string | null; phone: string | null; contact: { email: string | null; phone: string | null } | null }): string | null {
  const email = ticket.email ?? ticket.contact?.email ?? null;
  const phone = ticket.phone ?? ticket.contact?.phone ?? null;
  return ticket.channel === "sms" || ticket.channel === "whatsapp" ? (phone ?? email) : (email ?? phone);
}

function excerpt(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

// ------------------------------------------------------------------ one conversation

export type TicketMessageView = {
  id: string;
  direction: "inbound" | "outbound";
  channel: string;
  fromName: string | null;
  fromAddress: string | null;
  subject: string | null;
  body: string;
  createdAt: string;
  /** Outbound replies: where the Message that carries it stands (scheduled, sent, delivered, failed...). */
  delivery: { status: string; reason: string | null; reasonCoded: MessageReason | null } | null;
};

export type TicketView = {
  ticket: {
    id: string;
    status: string;
    channel: string;
    subject: string | null;
    orderName: string | null;
    email: string | null;
    phone: string | null;
    createdAt: string;
    lastMessageAt: string;
    closedAt: string | null;
  };
  contact: { id: string; name: string | null; email: string | null; phone: string | null; locale: string | null } | null;
  /** Who the shopper is, in one line: name, else address. */
  shopper: string | null;
  messages: TicketMessageView[];
  /** The channels a reply can reach the shopper on, the shopper's own first. */
  replyChannels: Channel[];
  splitFrom: { id: string; subject: string | null } | null;
  splitInto: { id: string; subject: string | null }[];
};

export async function ticketView(database: Database, shopId: string, ticketId: string): Promise<TicketView | null> {
  const ticket = await database.ticket.findFirst({
    where: { id: ticketId, shopId },
    include: {
      contact: { select: { id: true, firstName: true, lastName: true, email: true, phone: true, locale: true } },
      messages: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
  if (!ticket) return null;
  const messageIds = ticket.messages.map((message) => message.messageId).filter((id): id is string => !!id);
  const [deliveries, splitFrom, splitInto] = await Promise.all([
    messageIds.length
      ? database.message.findMany({ where: { shopId, id: { in: messageIds } }, select: { id: true, status: true, statusReason: true, statusReasonCode: true, statusReasonParams: true, error: true, errorCode: true, errorParams: true } })
      : Promise.resolve([]),
    ticket.splitFromId ? database.ticket.findFirst({ where: { id: ticket.splitFromId, shopId }, select: { id: true, subject: true } }) : Promise.resolve(null),
    database.ticket.findMany({ where: { shopId, splitFromId: ticket.id }, select: { id: true, subject: true }, orderBy: { createdAt: "asc" } }),
  ]);
  const deliveryById = new Map(
    deliveries.map((row) => {
      const why = displayedReason(row);
      return [row.id, { status: row.status, reason: why.text, reasonCoded: why.coded }];
    }),
  );
  const contact = ticket.contact;
  const firstInbound = ticket.messages.find((message) => message.direction === "inbound");
  return {
    ticket: {
      id: ticket.id, status: ticket.status, channel: ticket.channel, subject: ticket.subject, orderName: ticket.orderName,
      email: ticket.email, phone: ticket.phone, createdAt: ticket.createdAt.toISOString(), lastMessageAt: ticket.lastMessageAt.toISOString(),
      closedAt: ticket.closedAt?.toISOString() ?? null,
    },
    contact: contact ? { id: contact.id, name: fullName(contact), email: contact.email, phone: contact.phone, locale: contact.locale } : null,
    shopper: fullName(contact) ?? firstInbound?.fromName ?? ticket.email ?? ticket.phone ?? contact?.email ?? contact?.phone ?? firstInbound?.fromAddress ?? null,
    messages: ticket.messages.map((message) => ({
      id: message.id,
      direction: message.direction === "outbound" ? "outbound" : "inbound",
      channel: message.channel,
      fromName: message.fromName,
      fromAddress: message.fromAddress,
      subject: message.subject,
      body: message.body,
      createdAt: message.createdAt.toISOString(),
      delivery: message.messageId ? (deliveryById.get(message.messageId) ?? null) : null,
    })),
    replyChannels: replyChannels(ticket, contact),
    splitFrom: splitFrom ?? null,
    splitInto,
  };
}
