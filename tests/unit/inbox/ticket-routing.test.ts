import { describe, expect, it } from "vitest";
import {
  TICKET_MERGE_WINDOW_DAYS,
  chooseTicket,
  planSplit,
  ticketStatusTransition,
  type TicketSummary,
} from "../../../app/domain/inbox/ticket-routing";

const now = new Date("2025-06-10T12:00:00Z");
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(now.getTime() - ms);

function ticket(overrides: Partial<TicketSummary> & { id: string }): TicketSummary {
  return { contactId: "lucia", status: "open", lastMessageAt: ago(DAY), closedAt: null, orderName: null, ...overrides };
}

const fromLucia = (orderNames: string[] = []) => ({ contactId: "lucia", orderNames });

describe("chooseTicket", () => {
  it("uses a 7-day window", () => {
    expect(TICKET_MERGE_WINDOW_DAYS).toBe(7);
  });

  it("joins the contact's ticket closed exactly 7 days ago, and reopens it", () => {
    const closed = ticket({ id: "t1", status: "closed", lastMessageAt: ago(8 * DAY), closedAt: ago(7 * DAY) });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [closed] })).toEqual({
      action: "join", ticketId: "t1", reopen: true, reason: "same_contact", otherContact: false,
    });
  });

  it("opens a new ticket when the contact's ticket was closed 7 days and 1 minute ago", () => {
    const closed = ticket({ id: "t1", status: "closed", lastMessageAt: ago(8 * DAY), closedAt: ago(7 * DAY + MINUTE) });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [closed] })).toEqual({ action: "new" });
  });

  it("opens a new ticket when the only match was closed long ago", () => {
    const old = ticket({ id: "t1", status: "closed", lastMessageAt: ago(40 * DAY), closedAt: ago(30 * DAY), orderName: "#1001" });
    expect(chooseTicket({ now, incoming: fromLucia(["#1001"]), candidates: [old] })).toEqual({ action: "new" });
  });

  it("joins an open or pending ticket however old, without reopening", () => {
    const open = ticket({ id: "t1", status: "pending", lastMessageAt: ago(60 * DAY) });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [open] })).toMatchObject({ action: "join", ticketId: "t1", reopen: false });
  });

  it("joins by order number from another address (the shopper's work email), and says so", () => {
    const hers = ticket({ id: "t1", contactId: "lucia", status: "closed", closedAt: ago(2 * DAY), orderName: "#1001" });
    const choice = chooseTicket({ now, incoming: { contactId: "lucia-at-work", orderNames: ["#1001"] }, candidates: [hers] });
    expect(choice).toEqual({ action: "join", ticketId: "t1", reopen: true, reason: "same_order", otherContact: true });
  });

  it("joins by order number when the sender is unknown", () => {
    const hers = ticket({ id: "t1", orderName: "#1001" });
    expect(chooseTicket({ now, incoming: { contactId: null, orderNames: ["#1001"] }, candidates: [hers] })).toMatchObject({
      action: "join", ticketId: "t1", reason: "same_order", otherContact: true,
    });
  });

  it("matches order names written with the shop's prefix, and order numbers written without '#'", () => {
    const prefixed = ticket({ id: "t1", contactId: "someone-else", orderName: "CB1001" });
    expect(chooseTicket({ now, incoming: { contactId: null, orderNames: ["1001"] }, candidates: [prefixed] })).toMatchObject({ ticketId: "t1" });
  });

  it("never matches by contact when the sender is unknown, nor by a different order", () => {
    const anonymous = ticket({ id: "t1", contactId: null, orderName: "#1002" });
    expect(chooseTicket({ now, incoming: { contactId: null, orderNames: ["#1001"] }, candidates: [anonymous] })).toEqual({ action: "new" });
  });

  it("picks the most recently active of two matches", () => {
    const older = ticket({ id: "older", lastMessageAt: ago(3 * DAY) });
    const recent = ticket({ id: "recent", status: "closed", lastMessageAt: ago(2 * DAY), closedAt: ago(1 * DAY) });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [older, recent] })).toMatchObject({ ticketId: "recent", reopen: true });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [recent, older] })).toMatchObject({ ticketId: "recent" });
  });

  it("prefers the ticket about the named order over a more recent one of the same contact", () => {
    const about1002 = ticket({ id: "t-1002", orderName: "#1002", lastMessageAt: ago(1 * DAY) });
    const about1001 = ticket({ id: "t-1001", orderName: "#1001", lastMessageAt: ago(5 * DAY) });
    expect(chooseTicket({ now, incoming: fromLucia(["#1001"]), candidates: [about1002, about1001] })).toMatchObject({
      ticketId: "t-1001", reason: "same_order", otherContact: false,
    });
  });

  it("prefers the contact's own ticket on that order over another person's", () => {
    const partners = ticket({ id: "partner", contactId: "diego", orderName: "#1001", lastMessageAt: ago(1 * DAY) });
    const hers = ticket({ id: "hers", orderName: "#1001", lastMessageAt: ago(4 * DAY) });
    expect(chooseTicket({ now, incoming: fromLucia(["#1001"]), candidates: [partners, hers] })).toMatchObject({ ticketId: "hers", otherContact: false });
  });

  it("still joins the contact's live ticket when the named order has none (a split can undo it)", () => {
    const about1002 = ticket({ id: "t-1002", orderName: "#1002" });
    expect(chooseTicket({ now, incoming: fromLucia(["#1001"]), candidates: [about1002] })).toMatchObject({ ticketId: "t-1002", reason: "same_contact" });
  });

  it("ignores merged tickets and tickets outside the window that the caller did not filter out", () => {
    const merged = ticket({ id: "merged", mergedInto: "other", lastMessageAt: ago(MINUTE) });
    const old = ticket({ id: "old", status: "closed", closedAt: ago(10 * DAY), lastMessageAt: ago(MINUTE) });
    const live = ticket({ id: "live", lastMessageAt: ago(2 * DAY) });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [merged, old, live] })).toMatchObject({ ticketId: "live" });
  });

  it("treats a closed ticket without closedAt as closed at its last message", () => {
    const recent = ticket({ id: "t1", status: "closed", closedAt: null, lastMessageAt: ago(2 * DAY) });
    const old = ticket({ id: "t2", status: "closed", closedAt: null, lastMessageAt: ago(9 * DAY) });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [recent] })).toMatchObject({ ticketId: "t1", reopen: true });
    expect(chooseTicket({ now, incoming: fromLucia(), candidates: [old] })).toEqual({ action: "new" });
  });

  it("opens a new ticket when there are no candidates", () => {
    expect(chooseTicket({ now, incoming: fromLucia(["#1001"]), candidates: [] })).toEqual({ action: "new" });
  });
});

describe("ticketStatusTransition", () => {
  it("stamps closedAt when closing and clears it when reopening", () => {
    expect(ticketStatusTransition("open", "closed", now)).toEqual({ changed: true, data: { status: "closed", closedAt: now } });
    expect(ticketStatusTransition("pending", "closed", now)).toEqual({ changed: true, data: { status: "closed", closedAt: now } });
    expect(ticketStatusTransition("closed", "open", now)).toEqual({ changed: true, data: { status: "open", closedAt: null } });
    expect(ticketStatusTransition("closed", "pending", now)).toEqual({ changed: true, data: { status: "pending", closedAt: null } });
    expect(ticketStatusTransition("open", "pending", now)).toEqual({ changed: true, data: { status: "pending", closedAt: null } });
  });

  it("writes nothing when the status does not change (closing twice keeps the first closedAt)", () => {
    expect(ticketStatusTransition("closed", "closed", now)).toEqual({ changed: false, data: {} });
    expect(ticketStatusTransition("open", "open", now)).toEqual({ changed: false, data: {} });
  });
});

describe("planSplit", () => {
  const messages = [
    { id: "m3", createdAt: new Date("2025-06-03T10:00:00Z") },
    { id: "m1", createdAt: new Date("2025-06-01T10:00:00Z") },
    { id: "m2", createdAt: new Date("2025-06-02T10:00:00Z") },
    { id: "m4", createdAt: new Date("2025-06-04T10:00:00Z") },
  ];

  it("moves the selected messages, oldest first, and gives both tickets their last message time", () => {
    expect(planSplit(messages, ["m4", "m2", "m2"])).toEqual({
      ok: true,
      moveIds: ["m2", "m4"],
      newTicketLastMessageAt: new Date("2025-06-04T10:00:00Z"),
      remainingLastMessageAt: new Date("2025-06-03T10:00:00Z"),
    });
  });

  it("needs at least one message selected", () => {
    expect(planSplit(messages, [])).toEqual({ ok: false, code: "none_selected", error: expect.stringContaining("Select the messages") });
  });

  it("cannot move every message", () => {
    expect(planSplit(messages, ["m1", "m2", "m3", "m4"])).toEqual({ ok: false, code: "all_selected", error: expect.stringContaining("Leave at least one message") });
  });

  it("refuses messages that are not in the ticket, saying how many", () => {
    expect(planSplit(messages, ["m1", "elsewhere"])).toEqual({ ok: false, code: "unknown_messages", params: { count: 1 }, error: expect.stringContaining("not in this ticket") });
    expect(planSplit(messages, ["x", "y"])).toEqual({ ok: false, code: "unknown_messages", params: { count: 2 }, error: expect.stringContaining("2 selected messages") });
  });
});
