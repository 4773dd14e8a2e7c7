// Read models for the admin's Messages pages: the log (status tabs, channel / automation / date
// filters, search, pages of 50) and one message as it was sent, with its timeline. Every query is
// scoped by the signed-in shop; a page is a constant number of queries whatever its length
// (tab counts grouped, the shopper selected with the messages, the timeline included).
import { z } from "zod";
import { AUTOMATION_TYPES } from "../../domain/automations/definitions";
import { displayedReason, storedReason, type MessageReason } from "../../domain/messages/message-reason";
import type { MessageStatus } from "../../domain/messages/message-status";
import type { Channel } from "../../domain/ports";
import { isValidTimeZone, wallClockToInstant } from "../../domain/scheduling/quiet-hours";
import { countSmsSegments } from "../../domain/templating/sms-segments";
import { MAX_SMS_SEGMENTS, MAX_WHATSAPP_CHARACTERS } from "../../domain/templating/validate-template";
import type { Database } from "../db.server";
import { dialectOf } from "../queue/job-queue.server";
import { INBOX_REPLY } from "./inbox.server";

export const MESSAGES_PER_PAGE = 50;

/** The status tabs: the twelve statuses grouped the way a merchant asks about them. */
export const MESSAGE_TABS = ["all", "pending", "sent", "delivered", "problems", "not_sent"] as const;
export type MessageTab = (typeof MESSAGE_TABS)[number];

export const STATUS_GROUPS: Record<Exclude<MessageTab, "all">, readonly MessageStatus[]> = {
  pending: ["scheduled", "deferred", "sending"],
  sent: ["sent"],
  delivered: ["delivered", "opened", "clicked"],
  problems: ["failed", "bounced", "unknown"],
  not_sent: ["cancelled", "skipped"],
};

export const MESSAGE_CHANNELS = ["email", "sms", "whatsapp"] as const satisfies readonly Channel[];
/** What wrote a message: an automation, or the merchant answering from the inbox. */
export const MESSAGE_AUTOMATIONS = [...AUTOMATION_TYPES, INBOX_REPLY] as const;
export const DATE_RANGES = ["24h", "7d", "30d", "custom"] as const;
export type DateRange = (typeof DATE_RANGES)[number] | "all";

export type MessageListQuery = {
  status: MessageTab;
  channels: Channel[];
  automations: string[];
  date: DateRange;
  /** Custom range, as days in the shop's time zone (YYYY-MM-DD), both ends included. */
  from: string | null;
  to: string | null;
  q: string;
  page: number;
};

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)));
const listQuerySchema = z.object({
  status: z.enum(MESSAGE_TABS).catch("all"),
  channels: z.array(z.string()).transform((values) => MESSAGE_CHANNELS.filter((channel) => values.includes(channel))),
  automations: z.array(z.string()).transform((values) => MESSAGE_AUTOMATIONS.filter((automation) => values.includes(automation))),
  date: z.enum(DATE_RANGES).optional().catch(undefined),
  from: day.nullable().catch(null),
  to: day.nullable().catch(null),
  q: z.string().trim().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/**
 * ?status=&channel=&automation=&date=&from=&to=&q=&page= from the page's URL (channel and
 * automation may repeat). Anything unreadable is dropped: the first page of every message.
 * A from or to date without `date` means a custom range.
 */
export function messageListQuery(params: URLSearchParams): MessageListQuery {
  const parsed = listQuerySchema.parse({
    status: params.get("status") ?? undefined,
    channels: params.getAll("channel"),
    automations: params.getAll("automation"),
    date: params.get("date") || undefined,
    from: params.get("from") || null,
    to: params.get("to") || null,
    q: params.get("q") ?? "",
    page: params.get("page") ?? undefined,
  });
  let { from, to } = parsed;
  const date: DateRange = parsed.date ?? (from || to ? "custom" : "all");
  if (date !== "custom") from = to = null;
  else if (from && to && from > to) [from, to] = [to, from];
  return { ...parsed, date, from, to };
}

const HOUR = 60 * 60 * 1000;
const PRESET_HOURS: Record<"24h" | "7d" | "30d", number> = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24 };

/** The instants a date filter covers: presets end now; custom days are whole days in the shop's zone. */
export function dateWindow(query: Pick<MessageListQuery, "date" | "from" | "to">, now: Date, timeZone: string): { gte?: Date; lt?: Date } | null {
  if (query.date === "all") return null;
  if (query.date !== "custom") return { gte: new Date(now.getTime() - PRESET_HOURS[query.date] * HOUR), lt: new Date(now.getTime() + 1) };
  const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
  const startOf = (value: string) => {
    const [year, month, date] = value.split("-").map(Number);
    return wallClockToInstant({ year, month, day: date }, 0, zone);
  };
  const nextDay = (value: string) => new Date(Date.parse(`${value}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
  const window: { gte?: Date; lt?: Date } = {};
  if (query.from) window.gte = startOf(query.from);
  if (query.to) window.lt = startOf(nextDay(query.to));
  return window.gte || window.lt ? window : null;
}

/**
 * `contains` that ignores case on both databases: SQLite's LIKE already does (for ASCII), while
 * PostgreSQL needs Prisma's `mode: "insensitive"` (which the SQLite client's types do not know).
 * Asked of the client itself, so it holds whatever DATABASE_URL says.
 */
function containsText(database: Database, text: string): { contains: string } {
  return (dialectOf(database).kind === "postgresql" ? { contains: text, mode: "insensitive" } : { contains: text }) as { contains: string };
}

/**
 * Every word must appear in the recipient, the shopper's name, email or phone, or the message as
 * sent (its subject and text): "lucia hernandez" finds Lucía Hernández's messages.
 */
function messageSearch(database: Database, q: string) {
  const words = q.split(/\s+/).filter(Boolean).slice(0, 6);
  if (words.length === 0) return {};
  return {
    AND: words.map((word) => {
      const match = containsText(database, word);
      return {
        OR: [
          { recipient: match },
          { content: match },
          { contact: { is: { OR: [{ firstName: match }, { lastName: match }, { email: match }, { phone: match }] } } },
        ],
      };
    }),
  };
}

const fullName = (contact: { firstName: string | null; lastName: string | null } | null | undefined) =>
  [contact?.firstName, contact?.lastName].filter(Boolean).join(" ") || null;

/** Where a message goes: the address it was (or will be) sent to, else the shopper's on its channel. */
function addressOf(row: { channel: string; recipient: string | null }, contact: { email: string | null; phone: string | null } | null): string | null {
  return row.recipient ?? (row.channel === "email" ? contact?.email : contact?.phone) ?? null;
}

export type MessageListRow = {
  id: string;
  automation: string;
  messageType: string | null;
  step: number;
  channel: string;
  status: string;
  /** Why it stands where it is (deferred until, skipped because, the provider's error), in English as stored. */
  reason: string | null;
  /** The same as a code and params, to show in the merchant's language; null for rows written before codes. */
  reasonCoded: MessageReason | null;
  locale: string | null;
  /** Sent: when it left; otherwise when it is (or was) due. */
  when: string;
  sent: boolean;
  shopper: string | null;
  address: string | null;
  contactId: string | null;
};

export type MessageList = {
  messages: MessageListRow[];
  /** Messages per tab under the current filters and search. */
  counts: Record<MessageTab, number>;
  query: MessageListQuery;
  pageCount: number;
  /** The shop has at least one message, whatever the filters. */
  anyMessages: boolean;
  /** Messages whose send has an unknown outcome, in the whole shop. */
  unknown: number;
};

export function hasFilters(query: MessageListQuery): boolean {
  return query.channels.length > 0 || query.automations.length > 0 || query.date !== "all" || query.q !== "";
}

export async function listMessages(database: Database, shopId: string, requested: MessageListQuery, context: { now: Date; timeZone: string }): Promise<MessageList> {
  const window = dateWindow(requested, context.now, context.timeZone);
  const filters = {
    shopId,
    ...(requested.channels.length ? { channel: { in: requested.channels } } : {}),
    ...(requested.automations.length ? { automation: { in: requested.automations } } : {}),
    ...(window ? { runAt: window } : {}),
    ...messageSearch(database, requested.q),
  };
  const filtered = hasFilters(requested);
  const [grouped, shopGrouped] = await Promise.all([
    database.message.groupBy({ by: ["status"], where: filters, _count: { _all: true } }),
    filtered ? database.message.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } }) : Promise.resolve(null),
  ]);
  const byStatus = new Map(grouped.map((group) => [group.status, group._count._all]));
  const counts = Object.fromEntries(MESSAGE_TABS.map((tab) => [tab, 0])) as Record<MessageTab, number>;
  for (const count of byStatus.values()) counts.all += count;
  for (const [tab, statuses] of Object.entries(STATUS_GROUPS)) {
    counts[tab as MessageTab] = statuses.reduce((sum, status) => sum + (byStatus.get(status) ?? 0), 0);
  }
  const shopCounts = shopGrouped ? new Map(shopGrouped.map((group) => [group.status, group._count._all])) : byStatus;
  const shopTotal = [...shopCounts.values()].reduce((sum, count) => sum + count, 0);

  const total = counts[requested.status];
  const pageCount = Math.max(1, Math.ceil(total / MESSAGES_PER_PAGE));
  const page = Math.min(requested.page, pageCount);
  const rows = total === 0 ? [] : await database.message.findMany({
    where: { ...filters, ...(requested.status === "all" ? {} : { status: { in: [...STATUS_GROUPS[requested.status]] } }) },
    orderBy: [{ runAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * MESSAGES_PER_PAGE,
    take: MESSAGES_PER_PAGE,
    select: {
      id: true, automation: true, messageType: true, step: true, channel: true, status: true,
      statusReason: true, statusReasonCode: true, statusReasonParams: true, error: true, errorCode: true, errorParams: true, locale: true, recipient: true, runAt: true, sentAt: true, contactId: true,
      contact: { select: { firstName: true, lastName: true, email: true, phone: true } },
    },
  });
  return {
    messages: rows.map((row) => {
      const why = displayedReason(row);
      return {
        id: row.id,
        automation: row.automation,
        messageType: row.messageType,
        step: row.step,
        channel: row.channel,
        status: row.status,
        reason: why.text,
        reasonCoded: why.coded,
        locale: row.locale,
        when: (row.sentAt ?? row.runAt).toISOString(),
        sent: !!row.sentAt,
        shopper: fullName(row.contact),
        address: addressOf(row, row.contact),
        contactId: row.contactId,
      };
    }),
    counts,
    query: { ...requested, page },
    pageCount,
    anyMessages: shopTotal > 0,
    unknown: shopCounts.get("unknown") ?? 0,
  };
}

// ------------------------------------------------------------------ one message

/** The message as it left: what the provider was given. */
export type SentContent = { subject: string | null; text: string | null; html: string | null; contentSid: string | null };

export type TextLength = { characters: number; encoding?: "GSM-7" | "UCS-2"; segments?: number; nonGsmCharacters?: string[]; limit: number };

export type TimelineEvent = {
  id: string;
  type: string;
  occurredAt: string;
  /** What the event says in words (English, as recorded), with the parts shown on their own taken out. */
  detail: string | null;
  /** What Avisa wrote as a code and params (to show in the merchant's language); null for vendor events and older rows. */
  reasonCoded: MessageReason | null;
  /** scheduled / rescheduled: when it is due; retry: when the next attempt is; deferred: until when (if known). */
  at: string | null;
  /** deferred: which rule held it back. */
  deferredBy: "quiet_hours" | "frequency_cap" | null;
};

export type MessageView = {
  message: {
    id: string;
    automation: string;
    messageType: string | null;
    step: number;
    purpose: string;
    channel: string;
    recipient: string | null;
    status: string;
    statusReason: string | null;
    /** statusReason as a code and params; null when it has none (older rows, reasons written elsewhere). */
    statusReasonCoded: MessageReason | null;
    error: string | null;
    /** error as a code and params. */
    errorCoded: MessageReason | null;
    runAt: string;
    attempts: number;
    provider: string | null;
    externalId: string | null;
    locale: string | null;
    createdAt: string;
    sentAt: string | null;
    deliveredAt: string | null;
    openedAt: string | null;
    clickedAt: string | null;
  };
  contact: { id: string; name: string | null; email: string | null; phone: string | null } | null;
  /** Who it is for, in one line: name, else address. */
  shopper: string | null;
  /** Stored when the provider accepted the message; null before (it is rendered at send time) or if it never left. */
  content: SentContent | null;
  /** An inbox reply not sent yet: the words as the merchant wrote them (sent as they are). */
  draft: { subject: string | null; text: string } | null;
  /** SMS: segments and encoding; WhatsApp: characters (of the text as sent). */
  length: TextLength | null;
  /** The conversation an inbox reply (or a contact-request alert) belongs to, if it still exists. */
  ticketId: string | null;
  order: { id: string; name: string } | null;
  events: TimelineEvent[];
  /** More events than shown: the oldest were left out. */
  eventsTruncated: boolean;
};

export const TIMELINE_LIMIT = 200;

function parseJson<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function textLength(channel: string, text: string | null): TextLength | null {
  if (text == null) return null;
  if (channel === "sms") {
    const count = countSmsSegments(text);
    return { characters: count.characters, encoding: count.encoding, segments: count.segments, nonGsmCharacters: count.nonGsmCharacters, limit: MAX_SMS_SEGMENTS };
  }
  if (channel === "whatsapp") return { characters: Array.from(text).length, limit: MAX_WHATSAPP_CHARACTERS };
  return null;
}

const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z`;
const DUE = new RegExp(`^(?:now )?due (${ISO})$`);
const RETRY = new RegExp(`^([\\s\\S]*) — trying again at (${ISO})$`);
const SENDGRID_MARKER = /\s*\(SendGrid event [^)]*\)$/;

/** Splits what the dispatcher and the callbacks wrote into the parts the page shows on their own. */
function timelineEvent(row: { id: string; type: string; detail: string | null; reasonCode: string | null; reasonParams: string | null; occurredAt: Date }): TimelineEvent {
  const reasonCoded = storedReason(row.reasonCode, row.reasonParams, row.detail);
  const event: TimelineEvent = { id: row.id, type: row.type, occurredAt: row.occurredAt.toISOString(), detail: row.detail, reasonCoded, at: null, deferredBy: null };
  const detail = row.detail?.replace(SENDGRID_MARKER, "") ?? null;
  event.detail = detail;
  if (!detail) return event;
  if (row.type === "scheduled" || row.type === "rescheduled") {
    const due = DUE.exec(detail);
    if (due) return { ...event, detail: null, at: new Date(due[1]).toISOString() };
  }
  if (row.type === "retry") {
    const retry = RETRY.exec(detail);
    if (retry) return { ...event, detail: retry[1], at: new Date(retry[2]).toISOString() };
  }
  if (row.type === "deferred") {
    if (reasonCoded) event.deferredBy = reasonCoded.code === "frequency_cap" || reasonCoded.code === "quiet_hours" ? reasonCoded.code : null;
    // Written before reasons had codes: only the English says which rule it was.
    else event.deferredBy = /^frequency cap/i.test(detail) ? "frequency_cap" : /local time$|quiet hours|state law/i.test(detail) ? "quiet_hours" : null;
  }
  return event;
}

export async function messageView(database: Database, shopId: string, messageId: string): Promise<MessageView | null> {
  const row = await database.message.findFirst({
    where: { id: messageId, shopId },
    include: {
      contact: { select: { id: true, firstName: true, lastName: true, email: true, phone: true } },
      // Newest first so the cap keeps the latest; shown oldest first.
      events: { orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }, { id: "desc" }], take: TIMELINE_LIMIT + 1 },
    },
  });
  if (!row) return null;
  const variables = parseJson<{ ticketId?: unknown; subject?: unknown; text?: unknown; contactRequest?: { ticketId?: unknown } }>(row.variables) ?? {};
  const ticketRef = typeof variables.ticketId === "string" ? variables.ticketId : typeof variables.contactRequest?.ticketId === "string" ? variables.contactRequest.ticketId : null;
  const [ticket, order] = await Promise.all([
    ticketRef ? database.ticket.findFirst({ where: { id: ticketRef, shopId }, select: { id: true } }) : Promise.resolve(null),
    row.orderId ? database.order.findFirst({ where: { id: row.orderId, shopId }, select: { id: true, name: true } }) : Promise.resolve(null),
  ]);

  const stored = parseJson<Partial<SentContent>>(row.content);
  const content: SentContent | null = stored
    ? { subject: stored.subject ?? null, text: stored.text ?? null, html: stored.html ?? null, contentSid: stored.contentSid ?? null }
    : null;
  // Inbox replies carry their words from the start; templated messages are rendered when they leave.
  const draft = !content && !row.messageType && typeof variables.text === "string"
    ? { subject: typeof variables.subject === "string" ? variables.subject : null, text: variables.text }
    : null;

  const eventsTruncated = row.events.length > TIMELINE_LIMIT;
  const events = row.events.slice(0, TIMELINE_LIMIT).reverse().map(timelineEvent);
  // While the message waits out a deferral, its due time is when the latest deferral ends.
  if (row.status === "deferred") {
    const last = [...events].reverse().find((event) => event.type === "deferred");
    if (last) last.at = row.runAt.toISOString();
  }
  const contact = row.contact;
  return {
    message: {
      id: row.id, automation: row.automation, messageType: row.messageType, step: row.step, purpose: row.purpose, channel: row.channel,
      recipient: addressOf(row, contact), status: row.status, runAt: row.runAt.toISOString(),
      statusReason: row.statusReason, statusReasonCoded: storedReason(row.statusReasonCode, row.statusReasonParams, row.statusReason),
      error: row.error, errorCoded: storedReason(row.errorCode, row.errorParams, row.error),
      attempts: row.attempts, provider: row.provider, externalId: row.externalId, locale: row.locale, createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null, deliveredAt: row.deliveredAt?.toISOString() ?? null,
      openedAt: row.openedAt?.toISOString() ?? null, clickedAt: row.clickedAt?.toISOString() ?? null,
    },
    contact: contact ? { id: contact.id, name: fullName(contact), email: contact.email, phone: contact.phone } : null,
    shopper: fullName(contact) ?? addressOf(row, contact),
    content,
    draft,
    length: textLength(row.channel, content?.text ?? draft?.text ?? null),
    ticketId: ticket?.id ?? null,
    order,
    events,
    eventsTruncated,
  };
}
