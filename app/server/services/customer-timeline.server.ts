// Read models for the admin's Customers pages: the searchable list of contacts and one shopper's
// timeline (messages, consent changes, reviews, conversations, survey answers), newest first.
// Every query is scoped by the signed-in shop; one query per kind, merged in memory.
import { z } from "zod";
import { standingOf, type ConsentStanding } from "../../domain/consent/consent-policy";
import { displayedReason, type MessageReason } from "../../domain/messages/message-reason";
import type { Database } from "../db.server";
import { textContains } from "./admin-review-queries.server";

export const CUSTOMERS_PER_PAGE = 25;
/** At most this many entries of each kind on one timeline (the newest). */
export const TIMELINE_LIMIT_PER_KIND = 200;

export type CustomerListQuery = { q: string; page: number };

const listQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export function customerListQuery(params: URLSearchParams): CustomerListQuery {
  return listQuerySchema.parse({ q: params.get("q") ?? "", page: params.get("page") ?? undefined });
}

const fullName = (contact: { firstName: string | null; lastName: string | null }) => [contact.firstName, contact.lastName].filter(Boolean).join(" ") || null;

function customerSearch(q: string) {
  if (!q) return {};
  const match = textContains(q);
  const words = q.split(/\s+/).filter(Boolean);
  return {
    OR: [
      { firstName: match }, { lastName: match }, { email: match }, { phone: match },
      // "Ana Souza": every word in the first or the last name.
      ...(words.length > 1 ? [{ AND: words.map((word) => ({ OR: [{ firstName: textContains(word) }, { lastName: textContains(word) }] })) }] : []),
    ],
  };
}

export type CustomerListRow = {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  /** The latest of: a message scheduled or sent, a conversation message, a review, a consent change, a change to the contact. */
  lastActivityAt: string;
};

export type CustomerList = { customers: CustomerListRow[]; query: CustomerListQuery; pageCount: number; total: number; anyCustomers: boolean };

export async function listCustomers(database: Database, shopId: string, requested: CustomerListQuery): Promise<CustomerList> {
  const where = { shopId, ...customerSearch(requested.q) };
  const [total, shopTotal] = await Promise.all([
    database.contact.count({ where }),
    requested.q ? database.contact.count({ where: { shopId } }) : Promise.resolve(null),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / CUSTOMERS_PER_PAGE));
  const page = Math.min(requested.page, pageCount);
  const contacts = total === 0 ? [] : await database.contact.findMany({
    where,
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * CUSTOMERS_PER_PAGE,
    take: CUSTOMERS_PER_PAGE,
    select: { id: true, firstName: true, lastName: true, email: true, phone: true, locale: true, updatedAt: true },
  });
  const ids = contacts.map((contact) => contact.id);
  const latest = new Map<string, number>(contacts.map((contact) => [contact.id, contact.updatedAt.getTime()]));
  const seen = (contactId: string | null, at: Date | null | undefined) => {
    if (!contactId || !at) return;
    latest.set(contactId, Math.max(latest.get(contactId) ?? 0, at.getTime()));
  };
  if (ids.length) {
    const [messages, tickets, reviews, consent] = await Promise.all([
      database.message.groupBy({ by: ["contactId"], where: { shopId, contactId: { in: ids } }, _max: { createdAt: true, sentAt: true } }),
      database.ticket.groupBy({ by: ["contactId"], where: { shopId, contactId: { in: ids } }, _max: { lastMessageAt: true } }),
      database.review.groupBy({ by: ["contactId"], where: { shopId, contactId: { in: ids } }, _max: { createdAt: true } }),
      database.consentRecord.groupBy({ by: ["contactId"], where: { shopId, contactId: { in: ids } }, _max: { recordedAt: true } }),
    ]);
    for (const row of messages) {
      seen(row.contactId, row._max.createdAt);
      seen(row.contactId, row._max.sentAt);
    }
    for (const row of tickets) seen(row.contactId, row._max.lastMessageAt);
    for (const row of reviews) seen(row.contactId, row._max.createdAt);
    for (const row of consent) seen(row.contactId, row._max.recordedAt);
  }
  return {
    // Pages follow the contact's own last change (a column the database can sort by); within a
    // page the newest activity comes first.
    customers: contacts.map((contact) => ({
      id: contact.id,
      name: fullName(contact),
      email: contact.email,
      phone: contact.phone,
      locale: contact.locale,
      lastActivityAt: new Date(latest.get(contact.id) ?? contact.updatedAt.getTime()).toISOString(),
    })).sort((a, b) => (a.lastActivityAt === b.lastActivityAt ? 0 : a.lastActivityAt < b.lastActivityAt ? 1 : -1)),
    query: { ...requested, page },
    pageCount,
    total,
    anyCustomers: (shopTotal ?? total) > 0,
  };
}

// ------------------------------------------------------------------ one shopper's timeline

export type TimelineEntry =
  | {
      kind: "message"; id: string; at: string; automation: string; messageType: string | null; channel: string; status: string;
      /** Why it stands where it is, in English as stored; `reasonCoded` is the same as a code to show in the merchant's language. */
      reason: string | null;
      reasonCoded: MessageReason | null;
    }
  | { kind: "consent"; id: string; at: string; channel: string; state: string; source: string }
  | { kind: "review"; id: string; at: string; rating: number; status: string; title: string | null; productTitle: string | null }
  | { kind: "ticket"; id: string; at: string; subject: string | null; status: string; channel: string; lastMessageAt: string }
  | { kind: "survey"; id: string; at: string; rating: number };

export type CustomerTimeline = {
  contact: {
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    locale: string | null;
    timeZone: string | null;
    countryCode: string | null;
    shopifyCustomerId: string | null;
    createdAt: string;
  };
  /** The newest consent record per channel, as it stands now. */
  consent: { channel: string; state: string; standing: ConsentStanding; at: string }[];
  entries: TimelineEntry[];
  /** A kind had more than TIMELINE_LIMIT_PER_KIND entries: only the newest are shown. */
  truncated: boolean;
};

export async function customerTimeline(database: Database, shopId: string, contactId: string): Promise<CustomerTimeline | null> {
  const contact = await database.contact.findFirst({
    where: { id: contactId, shopId },
    select: { id: true, firstName: true, lastName: true, email: true, phone: true, locale: true, timeZone: true, countryCode: true, shopifyCustomerId: true, createdAt: true },
  });
  if (!contact) return null;
  const take = TIMELINE_LIMIT_PER_KIND + 1;
  const [messages, consent, reviews, tickets, surveys] = await Promise.all([
    database.message.findMany({
      where: { shopId, contactId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: {
        id: true, automation: true, messageType: true, channel: true, status: true, createdAt: true, sentAt: true,
        statusReason: true, statusReasonCode: true, statusReasonParams: true, error: true, errorCode: true, errorParams: true,
      },
    }),
    database.consentRecord.findMany({
      where: { shopId, contactId },
      orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, channel: true, state: true, source: true, recordedAt: true },
    }),
    database.review.findMany({
      where: { shopId, contactId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, rating: true, status: true, title: true, productTitle: true, createdAt: true },
    }),
    database.ticket.findMany({
      where: { shopId, contactId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, subject: true, status: true, channel: true, createdAt: true, lastMessageAt: true },
    }),
    database.surveyAnswer.findMany({
      where: { shopId, contactId },
      orderBy: [{ answeredAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, rating: true, answeredAt: true },
    }),
  ]);
  const truncated = [messages, consent, reviews, tickets, surveys].some((rows) => rows.length > TIMELINE_LIMIT_PER_KIND);
  const keep = <T,>(rows: T[]) => rows.slice(0, TIMELINE_LIMIT_PER_KIND);

  const entries: TimelineEntry[] = [
    ...keep(messages).map((row): TimelineEntry => {
      const why = displayedReason(row);
      return {
        kind: "message", id: row.id, at: (row.sentAt ?? row.createdAt).toISOString(), automation: row.automation, messageType: row.messageType,
        channel: row.channel, status: row.status, reason: why.text, reasonCoded: why.coded,
      };
    }),
    ...keep(consent).map((row): TimelineEntry => ({ kind: "consent", id: row.id, at: row.recordedAt.toISOString(), channel: row.channel, state: row.state, source: row.source })),
    ...keep(reviews).map((row): TimelineEntry => ({
      kind: "review", id: row.id, at: row.createdAt.toISOString(), rating: row.rating, status: row.status, title: row.title, productTitle: row.productTitle,
    })),
    ...keep(tickets).map((row): TimelineEntry => ({
      kind: "ticket", id: row.id, at: row.createdAt.toISOString(), subject: row.subject, status: row.status, channel: row.channel, lastMessageAt: row.lastMessageAt.toISOString(),
    })),
    ...keep(surveys).map((row): TimelineEntry => ({ kind: "survey", id: row.id, at: row.answeredAt.toISOString(), rating: row.rating })),
  ];
  // Newest first; ties keep a stable order (kind, then id).
  entries.sort((a, b) => (a.at === b.at ? `${a.kind}:${a.id}`.localeCompare(`${b.kind}:${b.id}`) : a.at < b.at ? 1 : -1));

  // The consent rows are newest first: the first one per channel is its current state.
  const current = new Map<string, { channel: string; state: string; standing: ConsentStanding; at: string }>();
  for (const row of consent) {
    if (!current.has(row.channel)) current.set(row.channel, { channel: row.channel, state: row.state, standing: standingOf(row.state), at: row.recordedAt.toISOString() });
  }

  return {
    contact: {
      id: contact.id, name: fullName(contact), email: contact.email, phone: contact.phone, locale: contact.locale, timeZone: contact.timeZone,
      countryCode: contact.countryCode, shopifyCustomerId: contact.shopifyCustomerId, createdAt: contact.createdAt.toISOString(),
    },
    consent: [...current.values()],
    entries,
    truncated,
  };
}
