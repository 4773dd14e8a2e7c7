// What the admin Home reports about the last 30 days, and the onboarding checklist. Pure: the
// service passes in rows it read (only the columns named here) and gets numbers back.
//
// Definitions, in the words the merchant sees them:
//
// - The window is the last REPORT_DAYS calendar days in the shop's time zone, today included:
//   from midnight (shop time) 29 days ago until now. Each day's bucket runs from one local
//   midnight to the next, so a day is 23 or 25 hours long across a DST change.
// - Messages reported are the ones Avisa sends to shoppers: every automation except the
//   merchant's own alerts (sent to the merchant) and inbox replies (the merchant's own answers,
//   which would also inflate the reply rate). A message belongs to the day of its sentAt.
// - Sent: the provider took it. Status sent, delivered, opened, clicked or bounced (a bounce was
//   still sent); not failed (the provider refused it, or the carrier reported it undelivered),
//   unknown, cancelled, skipped or still waiting.
// - Delivered: a sent message with a delivery time or a delivered/opened/clicked status. An open
//   or a click implies delivery, so those count too: rates never exceed 100 %.
// - Opened and clicked: a sent message with an open (or click) time or status. Only email
//   tracks them (SendGrid's open pixel and link tracking); for SMS and WhatsApp they are null,
//   shown as "—". Open rate = opened / delivered; click rate = clicked / delivered.
// - Reply rate = replied / contacted. Contacted: distinct shoppers (contacts) sent at least one
//   message on the channel in the window; messages with no contact cannot be tied to a reply
//   and are left out of both sides. Replied: those of them who wrote to the store (an inbound
//   inbox message, on any channel, including the contact form) after one of those messages and
//   at most REPLY_WINDOW_DAYS after it, up to now. Messages sent in the last week have had less
//   than a week to be answered. The "all channels" row counts each shopper once.
// - Recovered checkouts: distinct orders credited to a sent message of the window (the order
//   attribution sets recoveredOrderId on the cart recovery message sent in the 7 days before
//   the order). Recovered revenue: the sum of those orders' totals, once per order, in the
//   shop's currency, added exactly as decimals.
// - Reviews collected: reviews shoppers wrote in the window (storefront form or review request;
//   imported reviews were not collected by Avisa). Average rating: of those now published.
import type { Channel } from "../ports";
import { isValidTimeZone, localTime, wallClockToInstant } from "../scheduling/quiet-hours";

export const REPORT_DAYS = 30;
export const REPLY_WINDOW_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export const REPORT_CHANNELS = ["email", "sms", "whatsapp"] as const satisfies readonly Channel[];

/** Statuses of a message the provider took (a bounce was still sent). */
export const SENT_STATUSES = ["sent", "delivered", "opened", "clicked", "bounced"] as const;
/** Messages that are not to shoppers on Avisa's behalf: the merchant's alerts and inbox answers. */
export const NOT_REPORTED_AUTOMATIONS = ["merchant_alert", "inbox_reply"] as const;
const DELIVERED_STATUSES = ["delivered", "opened", "clicked"];
const OPENED_STATUSES = ["opened", "clicked"];

/** What each channel can tell: only email reports opens and clicks. */
export const CHANNEL_TRACKING: Record<Channel, { opens: boolean; clicks: boolean }> = {
  email: { opens: true, clicks: true },
  sms: { opens: false, clicks: false },
  whatsapp: { opens: false, clicks: false },
};

/** Reviews a shopper wrote through Avisa (not imported). */
export const COLLECTED_REVIEW_SOURCES = ["storefront", "review_request"] as const;
/** Reviews and contact requests only reach the app through the storefront blocks (the app proxy). */
export const STOREFRONT_TICKET_CHANNEL = "contact_form";
export const OPEN_TICKET_STATUSES = ["open", "pending"] as const;

// ---------------------------------------------------------------- the window

export type DayBucket = {
  /** The calendar day in the shop's zone, YYYY-MM-DD. */
  day: string;
  /** Local midnight starting the day (inclusive). */
  start: Date;
  /** The next local midnight (exclusive). */
  end: Date;
};

export type ReportWindow = {
  /** The zone the days are in: the shop's, or UTC when the shop's is not a known zone. */
  timeZone: string;
  start: Date;
  now: Date;
  days: DayBucket[];
};

type CalendarDay = { year: number; month: number; day: number };

function shiftDay(day: CalendarDay, days: number): CalendarDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

const dayKey = (day: CalendarDay) => `${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;

/** The last `dayCount` calendar days in `timeZone`, today (the day of `now`) last. */
export function reportWindow(now: Date, timeZone: string | null | undefined, dayCount = REPORT_DAYS): ReportWindow {
  const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : "UTC";
  const today = localTime(now, zone);
  const days: DayBucket[] = [];
  for (let back = dayCount - 1; back >= 0; back -= 1) {
    const day = shiftDay(today, -back);
    days.push({ day: dayKey(day), start: wallClockToInstant(day, 0, zone), end: wallClockToInstant(shiftDay(day, 1), 0, zone) });
  }
  return { timeZone: zone, start: days[0].start, now, days };
}

/** Index of the day `at` falls in, or -1 outside the window (after `now` counts as outside). */
export function dayIndex(window: ReportWindow, at: Date): number {
  const ms = at.getTime();
  if (ms < window.start.getTime() || ms > window.now.getTime()) return -1;
  let low = 0;
  let high = window.days.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (window.days[middle].start.getTime() <= ms) low = middle;
    else high = middle - 1;
  }
  return low;
}

// ---------------------------------------------------------------- messages

/** The columns of a Message the report reads. */
export type MessageFact = {
  channel: string;
  automation: string;
  status: string;
  sentAt: Date | null;
  deliveredAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
  contactId: string | null;
  recoveredOrderId: string | null;
  recoveredRevenue: string | null;
};

/** An inbound inbox message from a known shopper. */
export type InboundFact = { contactId: string; at: Date };

export type ChannelReport = {
  sent: number;
  delivered: number;
  /** null: the channel does not report opens (or clicks). */
  opened: number | null;
  clicked: number | null;
  /** 0–1; null when not tracked or nothing was delivered. */
  openRate: number | null;
  clickRate: number | null;
  contacted: number;
  replied: number;
  /** 0–1; null when no known shopper was messaged. */
  replyRate: number | null;
  recoveredCheckouts: number;
  /** Exact decimal string in the shop's currency, "0" when nothing was recovered. */
  recoveredRevenue: string;
};

export type DailyPoint = { day: string } & Record<Channel, number>;

export type MessagingReport = {
  channels: Record<Channel, ChannelReport>;
  /** Every channel together: shoppers counted once; opens and clicks over the channels that track them. */
  total: ChannelReport;
  daily: DailyPoint[];
};

const isChannel = (value: string): value is Channel => (REPORT_CHANNELS as readonly string[]).includes(value);

/** A message to a shopper that the provider took, sent inside the window. */
export function isReportedSend(message: MessageFact, window: ReportWindow): message is MessageFact & { sentAt: Date; channel: Channel } {
  return (
    message.sentAt !== null &&
    isChannel(message.channel) &&
    (SENT_STATUSES as readonly string[]).includes(message.status) &&
    !(NOT_REPORTED_AUTOMATIONS as readonly string[]).includes(message.automation) &&
    dayIndex(window, message.sentAt) >= 0
  );
}

export function wasDelivered(message: Pick<MessageFact, "status" | "deliveredAt" | "openedAt" | "clickedAt">): boolean {
  return message.deliveredAt !== null || message.openedAt !== null || message.clickedAt !== null || DELIVERED_STATUSES.includes(message.status);
}

export function wasOpened(message: Pick<MessageFact, "status" | "openedAt" | "clickedAt">): boolean {
  return message.openedAt !== null || message.clickedAt !== null || OPENED_STATUSES.includes(message.status);
}

export function wasClicked(message: Pick<MessageFact, "status" | "clickedAt">): boolean {
  return message.clickedAt !== null || message.status === "clicked";
}

/** part / whole, or null when there is no whole. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function messagingReport(messages: readonly MessageFact[], inbound: readonly InboundFact[], window: ReportWindow): MessagingReport {
  const sends = messages.filter((message) => isReportedSend(message, window));
  const repliesByContact = new Map<string, number[]>();
  for (const reply of inbound) {
    const times = repliesByContact.get(reply.contactId) ?? [];
    times.push(reply.at.getTime());
    repliesByContact.set(reply.contactId, times);
  }
  for (const times of repliesByContact.values()) times.sort((a, b) => a - b);
  const now = window.now.getTime();

  const summarize = (rows: typeof sends, tracking: (row: (typeof sends)[number]) => { opens: boolean; clicks: boolean }, tracked: boolean): ChannelReport => {
    let delivered = 0;
    let trackedDelivered = 0;
    let opened = 0;
    let clicked = 0;
    const sendTimes = new Map<string, number[]>();
    const recovered = new Map<string, string | null>();
    for (const row of rows) {
      const reached = wasDelivered(row);
      if (reached) delivered += 1;
      const tracks = tracking(row);
      if (reached && tracks.opens) trackedDelivered += 1;
      if (tracks.opens && wasOpened(row)) opened += 1;
      if (tracks.clicks && wasClicked(row)) clicked += 1;
      if (row.contactId) {
        const times = sendTimes.get(row.contactId) ?? [];
        times.push(row.sentAt.getTime());
        sendTimes.set(row.contactId, times);
      }
      if (row.recoveredOrderId && !recovered.has(row.recoveredOrderId)) recovered.set(row.recoveredOrderId, row.recoveredRevenue);
    }
    let replied = 0;
    for (const [contactId, times] of sendTimes) {
      const replies = repliesByContact.get(contactId);
      if (replies && times.some((sentAt) => hasTimeIn(replies, sentAt, Math.min(sentAt + REPLY_WINDOW_DAYS * DAY_MS, now)))) replied += 1;
    }
    return {
      sent: rows.length,
      delivered,
      opened: tracked ? opened : null,
      clicked: tracked ? clicked : null,
      openRate: tracked ? rate(opened, trackedDelivered) : null,
      clickRate: tracked ? rate(clicked, trackedDelivered) : null,
      contacted: sendTimes.size,
      replied,
      replyRate: rate(replied, sendTimes.size),
      recoveredCheckouts: recovered.size,
      recoveredRevenue: sumDecimals([...recovered.values()]),
    };
  };

  const channels = Object.fromEntries(
    REPORT_CHANNELS.map((channel) => [
      channel,
      summarize(sends.filter((row) => row.channel === channel), () => CHANNEL_TRACKING[channel], CHANNEL_TRACKING[channel].opens),
    ]),
  ) as Record<Channel, ChannelReport>;
  const anyTracked = REPORT_CHANNELS.some((channel) => CHANNEL_TRACKING[channel].opens);
  const total = summarize(sends, (row) => CHANNEL_TRACKING[row.channel], anyTracked);

  const daily: DailyPoint[] = window.days.map((bucket) => ({ day: bucket.day, email: 0, sms: 0, whatsapp: 0 }));
  for (const row of sends) daily[dayIndex(window, row.sentAt)][row.channel] += 1;
  return { channels, total, daily };
}

/** Whether a sorted list of times holds one in (after, until]. */
function hasTimeIn(sorted: readonly number[], after: number, until: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= after) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low] <= until;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Adds decimal strings ("129.90", "15", "0.5") exactly; what is not a decimal number is skipped. */
export function sumDecimals(values: readonly (string | null | undefined)[]): string {
  const parsed = values
    .map((value) => DECIMAL.exec(value?.trim() ?? ""))
    .filter((match): match is RegExpExecArray => match !== null);
  const scale = Math.max(0, ...parsed.map((match) => (match[3] ?? "").length));
  let total = 0n;
  for (const [, sign, whole, fraction = ""] of parsed) {
    const units = BigInt(whole + fraction.padEnd(scale, "0"));
    total += sign === "-" ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

// ---------------------------------------------------------------- reviews and tickets

/** Reviews collected in the window, grouped by status. */
export type ReviewGroup = { status: string; count: number; ratingSum: number };

export type ReviewReport = {
  collected: number;
  published: number;
  /** Mean rating of the published ones, rounded to one decimal; null when none is published. */
  averageRating: number | null;
};

export function reviewReport(groups: readonly ReviewGroup[]): ReviewReport {
  const collected = groups.reduce((sum, group) => sum + group.count, 0);
  const published = groups.filter((group) => group.status === "published");
  const count = published.reduce((sum, group) => sum + group.count, 0);
  const ratingSum = published.reduce((sum, group) => sum + group.ratingSum, 0);
  return { collected, published: count, averageRating: count > 0 ? Math.round((ratingSum / count) * 10) / 10 : null };
}

export type TicketReport = { open: number; pending: number; total: number };

export function ticketReport(groups: readonly { status: string; count: number }[]): TicketReport {
  const count = (status: string) => groups.filter((group) => group.status === status).reduce((sum, group) => sum + group.count, 0);
  const open = count("open");
  const pending = count("pending");
  return { open, pending, total: open + pending };
}

// ---------------------------------------------------------------- onboarding

export const ONBOARDING_STEPS = ["providers", "templates", "automations", "theme"] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export type OnboardingFacts = {
  /** outbox: messages stay local (demo, development) and nothing needs connecting. */
  delivery: "vendors" | "outbox";
  /** The shop's own saved credentials; unreadable ones (the encryption key changed) do not count. */
  shopCredentials: { sendgrid: boolean; twilio: boolean; unreadable: boolean };
  /** The app-level credentials from the environment, which every shop without its own uses. */
  appCredentials: { sendgrid: boolean; twilio: boolean };
  /** Templates the merchant saved (absent rows are the shipped defaults). */
  savedTemplates: number;
  /** Every automation's effective state (stored, or the shipped default). */
  automations: readonly { type: string; enabled: boolean }[];
  /** A review or contact request came in through the storefront blocks. */
  storefrontReached: boolean;
};

export type OnboardingChecklist = { steps: { id: OnboardingStep; done: boolean }[]; done: number; total: number };

/**
 * 1. Providers: at least one channel can send — messages stay in the outbox, or SendGrid or
 *    Twilio credentials are set for the shop or for the app.
 * 2. Templates: the merchant saved at least one template.
 * 3. Automations: at least one automation that messages shoppers is on (the merchant alert
 *    does not count: it writes to the merchant).
 * 4. Theme blocks: the storefront has reached the app proxy for this shop.
 */
export function onboardingChecklist(facts: OnboardingFacts): OnboardingChecklist {
  const own = !facts.shopCredentials.unreadable && (facts.shopCredentials.sendgrid || facts.shopCredentials.twilio);
  const done: Record<OnboardingStep, boolean> = {
    providers: facts.delivery === "outbox" || own || facts.appCredentials.sendgrid || facts.appCredentials.twilio,
    templates: facts.savedTemplates > 0,
    automations: facts.automations.some((automation) => automation.enabled && automation.type !== "merchant_alert"),
    theme: facts.storefrontReached,
  };
  const steps = ONBOARDING_STEPS.map((id) => ({ id, done: done[id] }));
  return { steps, done: steps.filter((step) => step.done).length, total: steps.length };
}
