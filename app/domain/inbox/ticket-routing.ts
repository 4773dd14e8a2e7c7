// Which ticket a shopper's new message belongs to, what a status change writes, and how a
// merchant's split of a ticket is checked. Pure: the caller loads the shop's candidate tickets
// (already scoped to the shop) and writes the outcome.
//
// The rule. A message joins an existing ticket of the same shop when
//   (a) it comes from the ticket's contact (email or phone, resolved to one contact by the caller), or
//   (b) it names the ticket's order number — even from another address (the shopper writes from a
//       work email, or her partner writes about her order),
// and that ticket is open or pending, or was closed at most TICKET_MERGE_WINDOW_DAYS ago. A joined
// closed ticket is reopened. Anything else opens a new ticket.
//
// Preference. An order-number match beats a contact-only match: "about #1001" from a shopper with
// an open ticket on #1002 belongs with #1001 even if the #1002 ticket moved later. Within a rule the
// most recently active ticket (lastMessageAt) wins. When the message names an order that no live
// ticket has, it still joins the contact's live ticket: merchants can split a ticket but cannot
// merge two, so a wrong join is the mistake they can undo.
import { orderNameKey } from "./order-number";

export const TICKET_MERGE_WINDOW_DAYS = 7;
const MERGE_WINDOW_MS = TICKET_MERGE_WINDOW_DAYS * 24 * 60 * 60 * 1000;

export const TICKET_STATUSES = ["open", "pending", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export function isTicketStatus(value: unknown): value is TicketStatus {
  return typeof value === "string" && (TICKET_STATUSES as readonly string[]).includes(value);
}

export type TicketSummary = {
  id: string;
  contactId: string | null;
  status: TicketStatus;
  lastMessageAt: Date;
  closedAt: Date | null;
  /** The Shopify order name the ticket is about ("#1001", or with the shop's prefix/suffix). */
  orderName: string | null;
  /** A ticket merged into another one never takes new messages. */
  mergedInto?: string | null;
};

export type ChooseTicketInput = {
  now: Date;
  incoming: {
    /** The contact the sender's address resolved to; null for an unknown sender. */
    contactId: string | null;
    /** Order names found in the message (findOrderNumbers), e.g. ["#1001"]. */
    orderNames: string[];
  };
  /** The shop's tickets that might match: the caller may pre-filter, this checks everything again. */
  candidates: TicketSummary[];
};

export type TicketChoice =
  | {
      action: "join";
      ticketId: string;
      /** The ticket was closed: set it open again (ticketStatusTransition(closed, open)). */
      reopen: boolean;
      reason: "same_contact" | "same_order";
      /**
       * Joined by order number from someone who is not the ticket's contact. Anyone can type an
       * order number: the merchant should see who wrote before sharing order details.
       */
      otherContact: boolean;
    }
  | { action: "new" };

export function chooseTicket(input: ChooseTicketInput): TicketChoice {
  const { now, incoming } = input;
  const wanted = new Set(incoming.orderNames.map(orderNameKey).filter((key): key is string => key !== null));
  const live = input.candidates.filter((ticket) => !ticket.mergedInto && isLive(ticket, now));

  const sameContact = (ticket: TicketSummary) => incoming.contactId !== null && ticket.contactId === incoming.contactId;
  const sameOrder = (ticket: TicketSummary) => {
    const key = orderNameKey(ticket.orderName);
    return key !== null && wanted.has(key);
  };

  // Tiers, best first: same order from the same contact, same order from anyone, same contact.
  const tiers: Array<[(ticket: TicketSummary) => boolean, "same_order" | "same_contact"]> = [
    [(ticket) => sameOrder(ticket) && sameContact(ticket), "same_order"],
    [sameOrder, "same_order"],
    [sameContact, "same_contact"],
  ];
  for (const [matches, reason] of tiers) {
    const best = mostRecent(live.filter(matches));
    if (best) {
      return { action: "join", ticketId: best.id, reopen: best.status === "closed", reason, otherContact: !sameContact(best) };
    }
  }
  return { action: "new" };
}

/** Open or pending; or closed at most TICKET_MERGE_WINDOW_DAYS before `now`. */
export function isLive(ticket: Pick<TicketSummary, "status" | "closedAt" | "lastMessageAt">, now: Date): boolean {
  if (ticket.status !== "closed") return true;
  // Rows closed before closedAt existed: the last message is no later than the closing, so using
  // it can only keep a ticket out of the window, never let an old one in.
  const closedAt = ticket.closedAt ?? ticket.lastMessageAt;
  return closedAt.getTime() >= now.getTime() - MERGE_WINDOW_MS;
}

function mostRecent(tickets: TicketSummary[]): TicketSummary | undefined {
  return [...tickets].sort(
    (a, b) =>
      b.lastMessageAt.getTime() - a.lastMessageAt.getTime() ||
      // Same instant: a ticket still open rather than one to reopen; then a stable order.
      Number(a.status === "closed") - Number(b.status === "closed") ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )[0];
}

// ---------------------------------------------------------------------------------------------
// Status changes

/**
 * What a status change writes. closedAt is set exactly while the status is closed: closing stamps
 * it, reopening (or moving to pending) clears it. Moving to the same status writes nothing —
 * closing a closed ticket again must not move closedAt, which would stretch the merge window.
 */
export type TicketStatusTransition = {
  changed: boolean;
  data: { status?: TicketStatus; closedAt?: Date | null };
};

export function ticketStatusTransition(from: TicketStatus, to: TicketStatus, now: Date): TicketStatusTransition {
  if (from === to) return { changed: false, data: {} };
  return { changed: true, data: { status: to, closedAt: to === "closed" ? now : null } };
}

// ---------------------------------------------------------------------------------------------
// Splitting

export type SplitPlan =
  | {
      ok: true;
      /** The messages that move to the new ticket, oldest first. */
      moveIds: string[];
      newTicketLastMessageAt: Date;
      /** The split ticket's lastMessageAt once those messages have left it. */
      remainingLastMessageAt: Date;
    }
  | { ok: false; code: SplitRefusalCode; params?: { count: number }; /** English, for logs. */ error: string };

/**
 * Why a split is refused, for the admin to word in the merchant's language:
 * none_selected: nothing chosen; unknown_messages: `params.count` chosen messages are not in the
 * ticket (moved already); all_selected: every message chosen, which would only rename the ticket.
 */
export const SPLIT_REFUSAL_CODES = ["none_selected", "unknown_messages", "all_selected"] as const;
export type SplitRefusalCode = (typeof SPLIT_REFUSAL_CODES)[number];

/** Checks a merchant's selection of messages to move out of a ticket into a new one. */
export function planSplit(messages: Array<{ id: string; createdAt: Date }>, selectedIds: string[]): SplitPlan {
  const selected = new Set(selectedIds);
  if (selected.size === 0) return { ok: false, code: "none_selected", error: "Select the messages to move to a new ticket." };
  const known = new Set(messages.map((message) => message.id));
  const unknown = [...selected].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? "One selected message is" : `${unknown.length} selected messages are`;
    return { ok: false, code: "unknown_messages", params: { count: unknown.length }, error: `${what} not in this ticket (moved already?). Reload the ticket and select again.` };
  }
  const chronological = [...messages].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const moving = chronological.filter((message) => selected.has(message.id));
  const staying = chronological.filter((message) => !selected.has(message.id));
  if (staying.length === 0) return { ok: false, code: "all_selected", error: "Leave at least one message in this ticket: moving all of them would only rename it." };
  return {
    ok: true,
    moveIds: moving.map((message) => message.id),
    newTicketLastMessageAt: moving[moving.length - 1].createdAt,
    remainingLastMessageAt: staying[staying.length - 1].createdAt,
  };
}
