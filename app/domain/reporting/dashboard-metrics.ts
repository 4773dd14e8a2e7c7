// What the admin Home reports about the last 30 days, and the onboarding checklist. Pure: the
// service passes in what the database counted (groups, never one row per message; see the
// messages section) and gets numbers back. The parts of the definitions below that choose rows
// (which messages are reported, a send's local day, who replied in time, each order once) run as
// the service's SQL (app/server/services/dashboard.server.ts); tests/integration/dashboard.test.ts
// proves them equal to reading every row, on SQLite and PostgreSQL.
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
//   shop's currency, added exactly as decimals (an order credited to two messages carries the
//   same total on both; were they to differ, the smallest readable one counts).
// - Reviews collected: reviews shoppers wrote in the window (storefront form or review request;
//   imported reviews were not collected by Avisa). Average rating: of those now published.
import type { Channel } from "../ports";
import { isValidTimeZone, localTime, wallClockToInstant } from "../scheduling/quiet-hours";

export const REPORT_DAYS = 30;
export const REPLY_WINDOW_DAYS = 7;

export const REPORT_CHANNELS = ["email", "sms", "whatsapp"] as const satisfies readonly Channel[];

/** Statuses of a message the provider took (a bounce was still sent). */
export const SENT_STATUSES = ["sent", "delivered", "opened", "clicked", "bounced"] as const;
/** Messages that are not to shoppers on Avisa's behalf: the merchant's alerts and inbox answers. */
export const NOT_REPORTED_AUTOMATIONS = ["merchant_alert", "inbox_reply"] as const;
/** A message in one of these statuses was delivered (an open or a click implies delivery). */
export const DELIVERED_STATUSES: readonly string[] = ["delivered", "opened", "clicked"];
export const OPENED_STATUSES: readonly string[] = ["opened", "clicked"];

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
//
// The database counts; this module decides what the counts mean. The service groups the
// window's reported sends (to shoppers, sent, not merchant alerts or inbox replies, sentAt from
// the window's start to now) in SQL, so a Home page view reads a few hundred rows however many
// messages the shop sends, and passes the groups below. Each group keeps the columns a definition
// needs (status, and whether a delivery, open or click time is set), so every definition above
// is still applied here, exactly.

/** Reported sends of one local day (an index into window.days), channel and status. */
export type SendGroup = {
  day: number;
  channel: string;
  status: string;
  /** Messages in the group. */
  count: number;
  /** Of them, with a delivery, an open or a click time set. */
  deliveryTimes: number;
  /** Of them, with an open or a click time set. */
  openTimes: number;
  /** Of them, with a click time set. */
  clickTimes: number;
};

/**
 * Known shoppers sent a reported message on a channel (null: on any channel, each shopper once),
 * and how many of them wrote to the store after one of those messages, at most
 * REPLY_WINDOW_DAYS after it and up to now.
 */
export type ReachGroup = { channel: string | null; contacted: number; replied: number };

/**
 * Distinct orders credited to reported sends on a channel (null: on any channel, each order
 * once), grouped by the number of decimals of the order's total. The database adds the totals
 * exactly as integers: `whole` is the sum of the signed whole parts, `fraction` the sum of the
 * signed decimal digits read as integers (so the group's total is whole + fraction / 10^scale).
 * `revenue` null: orders whose total is not a decimal number (they count, adding nothing).
 */
export type RecoveryGroup = {
  channel: string | null;
  orders: number;
  revenue: { scale: number; whole: bigint; fraction: bigint } | null;
};

export type MessagingFacts = {
  sends: readonly SendGroup[];
  reach: readonly ReachGroup[];
  recovered: readonly RecoveryGroup[];
};

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

const isChannel = (value: string | null): value is Channel => value !== null && (REPORT_CHANNELS as readonly string[]).includes(value);

/** Delivered messages of a group: all of them for a delivered/opened/clicked status, else those with a delivery, open or click time. */
export function deliveredIn(group: Pick<SendGroup, "status" | "count" | "deliveryTimes">): number {
  return DELIVERED_STATUSES.includes(group.status) ? group.count : group.deliveryTimes;
}

/** Opened messages of a group: all of them for an opened/clicked status, else those with an open or click time. */
export function openedIn(group: Pick<SendGroup, "status" | "count" | "openTimes">): number {
  return OPENED_STATUSES.includes(group.status) ? group.count : group.openTimes;
}

/** Clicked messages of a group: all of them for a clicked status, else those with a click time. */
export function clickedIn(group: Pick<SendGroup, "status" | "count" | "clickTimes">): number {
  return group.status === "clicked" ? group.count : group.clickTimes;
}

/** part / whole, or null when there is no whole. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function messagingReport(facts: MessagingFacts, window: ReportWindow): MessagingReport {
  // The service's SQL already keeps only reported sends in the window; the groups are checked
  // again so this function means the same whatever it is given.
  const sends = facts.sends.filter(
    (group): group is SendGroup & { channel: Channel } =>
      isChannel(group.channel) &&
      (SENT_STATUSES as readonly string[]).includes(group.status) &&
      Number.isInteger(group.day) &&
      group.day >= 0 &&
      group.day < window.days.length,
  );

  const summarize = (channel: Channel | null): ChannelReport => {
    const tracked = channel ? CHANNEL_TRACKING[channel].opens : REPORT_CHANNELS.some((each) => CHANNEL_TRACKING[each].opens);
    let sent = 0;
    let delivered = 0;
    let trackedDelivered = 0;
    let opened = 0;
    let clicked = 0;
    for (const group of sends) {
      if (channel && group.channel !== channel) continue;
      const tracks = CHANNEL_TRACKING[group.channel];
      const reached = deliveredIn(group);
      sent += group.count;
      delivered += reached;
      if (tracks.opens) {
        trackedDelivered += reached;
        opened += openedIn(group);
      }
      if (tracks.clicks) clicked += clickedIn(group);
    }
    const reach = facts.reach.filter((group) => group.channel === channel);
    const contacted = reach.reduce((sum, group) => sum + group.contacted, 0);
    const replied = reach.reduce((sum, group) => sum + group.replied, 0);
    const recovered = facts.recovered.filter((group) => group.channel === channel);
    return {
      sent,
      delivered,
      opened: tracked ? opened : null,
      clicked: tracked ? clicked : null,
      openRate: tracked ? rate(opened, trackedDelivered) : null,
      clickRate: tracked ? rate(clicked, trackedDelivered) : null,
      contacted,
      replied,
      replyRate: rate(replied, contacted),
      recoveredCheckouts: recovered.reduce((sum, group) => sum + group.orders, 0),
      recoveredRevenue: sumDecimals(recovered.map((group) => (group.revenue ? decimalOfParts(group.revenue) : null))),
    };
  };

  const channels = Object.fromEntries(REPORT_CHANNELS.map((channel) => [channel, summarize(channel)])) as Record<Channel, ChannelReport>;
  const total = summarize(null);
  const daily: DailyPoint[] = window.days.map((bucket) => ({ day: bucket.day, email: 0, sms: 0, whatsapp: 0 }));
  for (const group of sends) daily[group.day][group.channel] += group.count;
  return { channels, total, daily };
}

/** A decimal total given as summed whole parts and summed decimal digits at `scale` decimals. */
export function decimalOfParts(parts: { scale: number; whole: bigint; fraction: bigint }): string {
  if (!Number.isInteger(parts.scale) || parts.scale < 0) throw new RangeError("the scale must be a whole number of decimals");
  return decimalOfUnits(parts.whole * 10n ** BigInt(parts.scale) + parts.fraction, parts.scale);
}

function decimalOfUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * What an order total must look like to be added: optional minus, digits, optionally a point and
 * more digits, after trimming white space. Anything else is skipped (counted, adding nothing).
 */
export const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

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
  return decimalOfUnits(total, scale);
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
