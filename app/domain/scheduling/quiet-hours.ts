// Quiet hours: SMS and WhatsApp go out only inside the allowed hours of the RECIPIENT's local
// time. A message that falls outside is deferred to the next allowed minute (never dropped).
// Email is never restricted: it waits in the inbox and does not wake anyone.
//
// The hours, and where they come from (this is a safe default, not legal advice):
//   • Everywhere: 08:00–21:00, the US federal rule for telephone solicitations (TCPA,
//     47 CFR § 64.1200(c)(1)), which is also a sensible default outside the US.
//   • Stricter US state telephone-solicitation laws that cover text messages:
//       Florida      08:00–20:00  Fla. Stat. § 501.059(8)(a) (Florida Telephone Solicitation Act)
//       Oklahoma     08:00–20:00  Okla. Stat. tit. 15 § 775C (Telephone Solicitation Act of 2022)
//       Maryland     08:00–20:00  Md. Code, Com. Law § 14-4501 ff. (Stop the Spam Calls Act of 2023)
//       Mississippi  08:00–20:00  Miss. Code Ann. § 77-3-701 ff. (Telephone Solicitation Act)
//       Connecticut  09:00–20:00  Conn. Gen. Stat. § 42-288a (as amended by Public Act 23-98)
//       Washington   08:00–20:00  RCW 80.36.390
//       Texas        09:00–21:00 Monday–Saturday, 12:00–21:00 Sunday  Tex. Bus. & Com. Code § 301.051
//   • Not encoded (we are not sure enough of their current text or whether they reach texts):
//     Sunday/holiday bans and other hours in e.g. Alabama, Louisiana, Rhode Island and Utah.
//     A merchant selling there can narrow the window in the settings.
// These laws govern solicitations; Avisa applies them to every SMS/WhatsApp (a shipping update
// at 22:00 wakes people just the same), which is never less compliant.
//
// The state of a US recipient comes from the address and, as Florida's and Oklahoma's laws
// presume, from the phone's area code; when both name a state, both rules apply.
import type { Channel } from "../ports";
import { normalisePhone } from "../contacts/phone";
import { timeZoneOf } from "./time-zones";

/** A merchant's sending hours, "HH:MM" 24-hour local time of the recipient; end is exclusive. */
export type SendingWindow = { start: string; end: string };

export type QuietHoursRecipient = {
  /** IANA zone stored on the contact, when known. */
  timeZone?: string | null;
  countryCode?: string | null;
  provinceCode?: string | null;
  phone?: string | null;
};

export type QuietHoursInput = {
  now: Date;
  channel: Channel;
  recipient: QuietHoursRecipient;
  /** The store's IANA zone: the last resort when nothing tells the recipient's zone. */
  shopTimeZone: string;
  /** The merchant's own sending hours; they can narrow the legal window, never widen it. */
  window?: SendingWindow | null;
};

export type QuietHoursVerdict =
  | { allowed: true; zone: string }
  | { allowed: false; until: Date; zone: string; reason: string };

/** Minutes since local midnight; `end` is the first minute no longer allowed. */
type Hours = { start: number; end: number };

/** One source of allowed hours (the default, a state law, the merchant), per day of the week. */
type HoursRule = {
  kind: "default" | "state" | "merchant";
  /** "Florida", for the reason shown to the merchant. */
  place?: string;
  /** weekday: 0 = Sunday … 6 = Saturday, in the recipient's zone. */
  hoursOn(weekday: number): Hours;
  /** Set when the hours differ by day, e.g. "Sundays" for Texas. */
  dayLabel?(weekday: number): string | null;
};

const at = (hour: number, minute = 0) => hour * 60 + minute;
const every = (hours: Hours) => () => hours;

export const DEFAULT_SENDING_HOURS: Hours = { start: at(8), end: at(21) };

const DEFAULT_RULE: HoursRule = { kind: "default", hoursOn: every(DEFAULT_SENDING_HOURS) };

const EIGHT_TO_EIGHT: Hours = { start: at(8), end: at(20) };

const STATE_RULES: Record<string, HoursRule> = {
  FL: { kind: "state", place: "Florida", hoursOn: every(EIGHT_TO_EIGHT) },
  OK: { kind: "state", place: "Oklahoma", hoursOn: every(EIGHT_TO_EIGHT) },
  MD: { kind: "state", place: "Maryland", hoursOn: every(EIGHT_TO_EIGHT) },
  MS: { kind: "state", place: "Mississippi", hoursOn: every(EIGHT_TO_EIGHT) },
  WA: { kind: "state", place: "Washington", hoursOn: every(EIGHT_TO_EIGHT) },
  CT: { kind: "state", place: "Connecticut", hoursOn: every({ start: at(9), end: at(20) }) },
  TX: {
    kind: "state",
    place: "Texas",
    hoursOn: (weekday) => (weekday === 0 ? { start: at(12), end: at(21) } : { start: at(9), end: at(21) }),
    dayLabel: (weekday) => (weekday === 0 ? "Sundays" : "Monday–Saturday"),
  },
};

/** Area codes of the states above (NANPA assignments, overlays included). */
const AREA_CODE_STATES: Record<string, string> = Object.fromEntries(
  Object.entries({
    FL: "239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954",
    OK: "405 539 572 580 918",
    MD: "227 240 301 410 443 667",
    MS: "228 601 662 769",
    CT: "203 475 860 959",
    WA: "206 253 360 425 509 564",
    TX: "210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979",
  }).flatMap(([state, codes]) => codes.split(" ").map((code) => [code, state])),
);

/** The state-law hours that apply to a US state, if Avisa knows a stricter rule there. */
export function stateQuietHoursRule(stateCode: string): { place: string } | null {
  const rule = STATE_RULES[stateCode.toUpperCase()];
  return rule?.place ? { place: rule.place } : null;
}

/** Whether `channel` may be sent to `recipient` at `now`, and if not, until when to wait. */
export function quietHoursVerdict(input: QuietHoursInput): QuietHoursVerdict {
  const recipient = locateRecipient(input.recipient, input.shopTimeZone);
  const zone = recipient.zone;
  if (input.channel === "email") return { allowed: true, zone };

  const legal = [DEFAULT_RULE, ...recipient.states.map((state) => STATE_RULES[state])];
  const rules = withMerchantWindow(legal, input.window);
  const local = localTime(input.now, zone);
  const minute = at(local.hour, local.minute);
  const broken = rules.filter((rule) => !within(rule.hoursOn(local.weekday), minute));
  if (broken.length === 0) return { allowed: true, zone };

  const next = nextAllowedStart(input.now, zone, rules);
  const startsAt = localTime(next, zone);
  const startMinute = at(startsAt.hour, startsAt.minute);
  // Name the rule that sets the new start time; a state law first, then the merchant's hours.
  const blamed =
    rankByBlame(broken).find((rule) => rule.hoursOn(startsAt.weekday).start === startMinute) ?? rankByBlame(broken)[0];
  return { allowed: false, until: next, zone, reason: `${describe(blamed, local.weekday, zone)}: deferred to ${clock(startMinute)} local time` };
}

// ————— Where the recipient is —————

type Located = { zone: string; states: string[] };

/**
 * Zone: the contact's stored zone, else the address's country and province, else the phone's
 * country (and, for the US, the area code's state), else the store's zone.
 */
function locateRecipient(recipient: QuietHoursRecipient, shopTimeZone: string): Located {
  const phone = recipient.phone ? normalisePhone(recipient.phone, recipient.countryCode) : null;
  const phoneCountry = phone?.ok ? phone.country : null;
  const areaState = phone?.ok && phoneCountry === "US" ? AREA_CODE_STATES[phone.value.slice(2, 5)] ?? null : null;

  const addressCountry = recipient.countryCode?.toUpperCase() ?? null;
  const addressState = addressCountry === "US" && recipient.provinceCode ? recipient.provinceCode.toUpperCase() : null;
  const states = [...new Set([addressState, areaState])].filter((state): state is string => !!state && state in STATE_RULES);

  const zone =
    validZone(recipient.timeZone) ??
    validZone(timeZoneOf(recipient.countryCode, recipient.provinceCode)) ??
    validZone(areaState ? timeZoneOf("US", areaState) : timeZoneOf(phoneCountry, null)) ??
    validZone(shopTimeZone) ??
    "UTC";
  return { zone, states };
}

export function isValidTimeZone(zone: string | null | undefined): boolean {
  return validZone(zone) !== null;
}

function validZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    formatterFor(zone);
    return zone;
  } catch {
    return null;
  }
}

// ————— The merchant's window —————

/** Parses "HH:MM" (00:00–23:59, or 24:00 as an end) to minutes since midnight. */
function minutesOf(text: string, allowMidnightEnd: boolean): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return null;
  if (hours === 24 && minutes === 0 && allowMidnightEnd) return at(24);
  return hours <= 23 ? at(hours, minutes) : null;
}

/**
 * Checks a merchant's sending hours for the settings form. The window can only narrow the
 * legal hours (08:00–21:00 at most), and cannot wrap past midnight.
 */
export function validateSendingWindow(window: SendingWindow): { ok: true; value: SendingWindow } | { ok: false; error: string } {
  const start = minutesOf(window.start, false);
  const end = minutesOf(window.end, true);
  if (start === null || end === null) return { ok: false, error: "Write sending hours as HH:MM, e.g. 09:00 to 20:00." };
  if (start >= end) return { ok: false, error: "The sending hours must end later in the day than they start." };
  if (start < DEFAULT_SENDING_HOURS.start || end > DEFAULT_SENDING_HOURS.end) {
    return { ok: false, error: "Text messages can only be sent between 8:00 and 21:00 in the shopper's time; choose hours inside that range." };
  }
  return { ok: true, value: window };
}

/**
 * Adds the merchant's hours. A window that is malformed or leaves no time at all once the legal
 * hours apply is ignored (the legal hours still hold), so a settings typo never blocks texts forever.
 */
function withMerchantWindow(legal: HoursRule[], window: SendingWindow | null | undefined): HoursRule[] {
  if (!window) return legal;
  const start = minutesOf(window.start, false);
  const end = minutesOf(window.end, true);
  if (start === null || end === null || start >= end) return legal;
  const merchant: HoursRule = { kind: "merchant", hoursOn: every({ start, end }) };
  const rules = [...legal, merchant];
  const leavesTime = [0, 1, 2, 3, 4, 5, 6].every((weekday) => {
    const hours = intersect(rules, weekday);
    return hours.start < hours.end;
  });
  return leavesTime ? rules : legal;
}

// ————— Windows —————

function within(hours: Hours, minute: number): boolean {
  return minute >= hours.start && minute < hours.end;
}

function intersect(rules: HoursRule[], weekday: number): Hours {
  const all = rules.map((rule) => rule.hoursOn(weekday));
  return { start: Math.max(...all.map((h) => h.start)), end: Math.min(...all.map((h) => h.end)) };
}

/** The first instant after `now` at which every rule allows sending: a day's window start. */
function nextAllowedStart(now: Date, zone: string, rules: HoursRule[]): Date {
  const today = localTime(now, zone);
  const minute = at(today.hour, today.minute);
  for (let offset = 0; offset <= 7; offset++) {
    const day = addDays(today, offset);
    const hours = intersect(rules, weekdayOf(day));
    if (hours.start >= hours.end) continue;
    if (offset === 0 && minute >= hours.start) continue; // today's window has passed (or we are in it)
    const instant = wallClockToInstant(day, hours.start, zone);
    if (instant.getTime() > now.getTime()) return instant;
  }
  // Unreachable with non-empty windows; the next day's default start is still a safe answer.
  return wallClockToInstant(addDays(today, 1), DEFAULT_SENDING_HOURS.start, zone);
}

function rankByBlame(rules: HoursRule[]): HoursRule[] {
  const order = { state: 0, merchant: 1, default: 2 } as const;
  return [...rules].sort((a, b) => order[a.kind] - order[b.kind]);
}

function describe(rule: HoursRule, weekday: number, zone: string): string {
  const hours = rule.hoursOn(weekday);
  const days = rule.dayLabel?.(weekday);
  const span = `${days ? `${days} ` : ""}${clock(hours.start)}–${clock(hours.end)}, ${zone}`;
  if (rule.kind === "state") return `Quiet hours in ${rule.place} (${span})`;
  if (rule.kind === "merchant") return `Outside your sending hours (${span})`;
  return `Quiet hours (${span})`;
}

/** 480 → "8:00", 1260 → "21:00". */
function clock(minute: number): string {
  return `${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, "0")}`;
}

// ————— Zone arithmetic with Intl (no date library) —————

type CalendarDay = { year: number; month: number; day: number };
type LocalTime = CalendarDay & { hour: number; minute: number; second: number; weekday: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock time in `zone` at `instant`. */
export function localTime(instant: Date, zone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const day = { year: parts.year, month: parts.month, day: parts.day };
  return { ...day, hour: parts.hour % 24, minute: parts.minute, second: parts.second, weekday: weekdayOf(day) };
}

/** The local wall clock at `ms`, written as if it were UTC (for offset arithmetic). */
function wallMs(ms: number, zone: string): number {
  const t = localTime(new Date(ms), zone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** The zone's UTC offset at `ms`, in milliseconds (whole seconds). */
function offsetAt(ms: number, zone: string): number {
  return wallMs(ms, zone) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `zone` shows `minuteOfDay` on `day`. DST-safe: when
 * the clock passes that time twice (autumn) the first is taken; when it skips it (spring),
 * the first instant after the gap is.
 */
export function wallClockToInstant(day: CalendarDay, minuteOfDay: number, zone: string): Date {
  const wanted = Date.UTC(day.year, day.month - 1, day.day, 0, minuteOfDay);
  // Offsets never exceed ±14 h, so those on either side of a transition are seen from wanted ± 14 h.
  const HOURS_14 = 14 * 3_600_000;
  const offsets = [...new Set([offsetAt(wanted - HOURS_14, zone), offsetAt(wanted, zone), offsetAt(wanted + HOURS_14, zone)])];
  const matches = offsets
    .map((offset) => wanted - offset)
    .filter((ms) => wallMs(ms, zone) === wanted)
    .sort((a, b) => a - b);
  if (matches.length > 0) return new Date(matches[0]);

  // In a spring-forward gap: find the first minute whose wall clock is past the wanted time.
  const candidates = offsets.map((offset) => wanted - offset);
  let low = Math.min(...candidates); // its wall clock is before the gap
  let high = Math.max(...candidates); // its wall clock is after the gap
  while (high - low > 60_000) {
    const middle = low + Math.max(60_000, Math.floor((high - low) / 120_000) * 60_000);
    if (wallMs(middle, zone) >= wanted) high = middle;
    else low = middle;
  }
  return new Date(high);
}

function weekdayOf(day: CalendarDay): number {
  return new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
}

function addDays(day: CalendarDay, days: number): CalendarDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}
