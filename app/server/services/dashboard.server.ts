// The admin Home: the last 30 days of messages, recovered checkouts, reviews and open tickets,
// and the onboarding checklist. A fixed handful of queries whatever the shop's size, each
// returning a bounded number of rows: three aggregate statements over the window's sent messages
// (see messagingFacts: at most days × channels × statuses groups, plus a few reach and recovery
// rows), grouped counts for reviews and tickets, and small lookups for the checklist. Every query
// is scoped by the shop; the arithmetic and every definition live in
// app/domain/reporting/dashboard-metrics.ts.
import {
  COLLECTED_REVIEW_SOURCES,
  NOT_REPORTED_AUTOMATIONS,
  OPEN_TICKET_STATUSES,
  REPLY_WINDOW_DAYS,
  REPORT_CHANNELS,
  SENT_STATUSES,
  STOREFRONT_TICKET_CHANNEL,
  messagingReport,
  onboardingChecklist,
  reportWindow,
  reviewReport,
  ticketReport,
  type MessagingFacts,
  type MessagingReport,
  type OnboardingStep,
  type ReachGroup,
  type RecoveryGroup,
  type ReportWindow,
  type ReviewReport,
  type SendGroup,
  type TicketReport,
} from "../../domain/reporting/dashboard-metrics";
import { config } from "../config.server";
import type { Database } from "../db.server";
import { dialectOf } from "../queue/job-queue.server";
import { shopAutomations } from "./automations.server";
import { loadSettings } from "./settings.server";

export type HomeReport = {
  /** The zone the days are in, and the window's first and last day (YYYY-MM-DD). */
  window: { timeZone: string; firstDay: string; lastDay: string };
  messaging: MessagingReport;
  reviews: ReviewReport;
  tickets: TicketReport;
  /** Whether Avisa ever sent a shopper a message (false: the page shows its first-run state). */
  anySent: boolean;
  onboarding: { steps: { id: OnboardingStep; done: boolean; url: string; external: boolean }[]; done: number; total: number };
};

type ShopRef = { id: string; domain: string; timeZone: string };

const sentToShoppers = (shopId: string) => ({
  shopId,
  channel: { in: [...REPORT_CHANNELS] },
  status: { in: [...SENT_STATUSES] },
  automation: { notIn: [...NOT_REPORTED_AUTOMATIONS] },
});

export async function loadHomeReport(database: Database, shop: ShopRef, options: { now: Date; demoMode: boolean }): Promise<HomeReport> {
  const window = reportWindow(options.now, shop.timeZone);
  const shopId = shop.id;
  const [facts, reviewGroups, ticketGroups, onboarding] = await Promise.all([
    messagingFacts(database, shopId, window),
    database.review.groupBy({
      by: ["status"],
      where: { shopId, source: { in: [...COLLECTED_REVIEW_SOURCES] }, createdAt: { gte: window.start, lte: window.now } },
      _count: { _all: true },
      _sum: { rating: true },
    }),
    database.ticket.groupBy({ by: ["status"], where: { shopId, status: { in: [...OPEN_TICKET_STATUSES] } }, _count: { _all: true } }),
    onboardingFor(database, shop, options.demoMode),
  ]);

  const messaging = messagingReport(facts, window);
  // Only a shop with nothing in the window needs to know whether anything was ever sent.
  const anySent =
    messaging.total.sent > 0 ||
    (await database.message.findFirst({ where: { ...sentToShoppers(shopId), sentAt: { not: null } }, select: { id: true } })) !== null;

  return {
    window: { timeZone: window.timeZone, firstDay: window.days[0].day, lastDay: window.days[window.days.length - 1].day },
    messaging,
    reviews: reviewReport(reviewGroups.map((group) => ({ status: group.status, count: group._count._all, ratingSum: group._sum.rating ?? 0 }))),
    tickets: ticketReport(ticketGroups.map((group) => ({ status: group.status, count: group._count._all }))),
    anySent,
    onboarding,
  };
}

// ---------------------------------------------------------------- the messaging numbers, counted in SQL
//
// Three statements over the window's reported sends, each a GROUP BY whose rows are bounded by
// the report's shape, not by the shop's volume: sends by local day × channel × status (at most
// 30 × 3 × 5 rows), shoppers reached and who replied by channel (4 rows), recovered orders by
// channel and decimals of their total (4 × a few rows). Raw SQL, one text for both databases
// with the few dialect differences spelled out below; Prisma's groupBy cannot group by a computed
// day nor count "any of three times set".
//
// Local days: the window's day boundaries are computed once in JS by reportWindow (the IANA zone
// rules the rest of the app uses, DST and skipped midnights included) and the statement buckets
// sentAt with a CASE over those 29 instants. SQLite has no time zone database, and PostgreSQL's
// AT TIME ZONE would be a second implementation of the zone rules that could disagree with the
// domain's; grouping by UTC hour instead would read 24× more rows and still split days for
// zones with half-hour offsets. Comparing instants is exact to the millisecond on both.

type SqlText = { text: string; values: unknown[] };

/** One statement's text and its parameters, numbered in the dialect's style. */
class Statement {
  readonly values: unknown[] = [];
  constructor(private readonly postgres: boolean) {}
  param(value: unknown): string {
    this.values.push(value);
    return this.postgres ? `$${this.values.length}` : `?${this.values.length}`;
  }
  list(values: readonly unknown[]): string {
    return values.map((value) => this.param(value)).join(", ");
  }
  done(text: string): SqlText {
    return { text, values: this.values };
  }
}

/** Every character String.prototype.trim removes, so SQL trims an order total as sumDecimals does. */
let jsWhiteSpace: string | undefined;
function whiteSpace(): string {
  if (jsWhiteSpace === undefined) {
    let characters = "";
    for (let code = 0; code <= 0xffff; code += 1) {
      const character = String.fromCharCode(code);
      if (character.trim() === "" && code !== 0) characters += character;
    }
    jsWhiteSpace = characters;
  }
  return jsWhiteSpace;
}

/**
 * Whole and decimal parts are summed as 64-bit integers, so each may have at most this many
 * digits (an order total below 10^18 with at most 18 decimals); a longer one is skipped like
 * text that is not a number. SQLite has no exact decimal type, hence the integer parts.
 */
const MAX_PART_DIGITS = 18;
const REPLY_WINDOW_MS = REPLY_WINDOW_DAYS * 24 * 60 * 60 * 1000;

function messagingStatements(database: Database, shopId: string, window: ReportWindow) {
  const { kind, schema } = dialectOf(database);
  const postgres = kind === "postgresql";
  const table = (name: string) => (postgres && schema ? `"${schema.replaceAll('"', '""')}"."${name}"` : `"${name}"`);
  const integer = postgres ? "BIGINT" : "INTEGER";
  const position = (text: string) => (postgres ? `strpos(${text}, '.')` : `instr(${text}, '.')`);
  const trim = (text: string, characters: string) => (postgres ? `btrim(${text}, ${characters})` : `trim(${text}, ${characters})`);
  /** Instants compared as instants. SQLite stores Prisma's DateTime as ISO text: compare epoch milliseconds. */
  const ms = (column: string) => `CAST(round(unixepoch(${column}, 'subsec') * 1000) AS INTEGER)`;
  const repliedAfter = (reply: string, sent: string) => (postgres ? `${reply} > ${sent}` : `${ms(reply)} > ${ms(sent)}`);
  const repliedWithin = (reply: string, sent: string) =>
    postgres ? `${reply} <= ${sent} + ${REPLY_WINDOW_DAYS} * INTERVAL '1 day'` : `${ms(reply)} <= ${ms(sent)} + ${REPLY_WINDOW_MS}`;
  /** A trimmed text that DECIMAL (the domain's rule) accepts: -?digits(.digits)? */
  const isDecimal = (text: string, unsigned: string) =>
    postgres
      ? `${text} ~ '^-?[0-9]+([.][0-9]+)?$'`
      : `(${unsigned} <> '' AND ${unsigned} NOT GLOB '*[^0-9.]*' AND ${unsigned} NOT GLOB '*.*.*' AND ${unsigned} NOT GLOB '.*' AND ${unsigned} NOT GLOB '*.')`;
  const unsignedOf = (text: string) => `CASE WHEN substr(${text}, 1, 1) = '-' THEN substr(${text}, 2) ELSE ${text} END`;
  const wholeOf = (unsigned: string) => `CASE WHEN ${position(unsigned)} > 0 THEN substr(${unsigned}, 1, ${position(unsigned)} - 1) ELSE ${unsigned} END`;
  const fractionOf = (unsigned: string) => `CASE WHEN ${position(unsigned)} > 0 THEN substr(${unsigned}, ${position(unsigned)} + 1) ELSE '' END`;

  /** The reported sends of the window, as the domain defines them; `m` is the Message alias. */
  const reported = (statement: Statement) => `
    m."shopId" = ${statement.param(shopId)}
    AND m.channel IN (${statement.list(REPORT_CHANNELS)})
    AND m.status IN (${statement.list(SENT_STATUSES)})
    AND m.automation NOT IN (${statement.list(NOT_REPORTED_AUTOMATIONS)})
    AND m."sentAt" >= ${statement.param(window.start)}
    AND m."sentAt" <= ${statement.param(window.now)}`;

  const sends = (() => {
    const statement = new Statement(postgres);
    const where = reported(statement);
    const boundaries = window.days.slice(1).map((day, index) => `WHEN m."sentAt" < ${statement.param(day.start)} THEN ${index}`);
    return statement.done(`
      SELECT CASE ${boundaries.join(" ")} ELSE ${window.days.length - 1} END AS day,
        m.channel AS channel,
        m.status AS status,
        COUNT(*) AS count,
        SUM(CASE WHEN m."deliveredAt" IS NOT NULL OR m."openedAt" IS NOT NULL OR m."clickedAt" IS NOT NULL THEN 1 ELSE 0 END) AS delivery_times,
        SUM(CASE WHEN m."openedAt" IS NOT NULL OR m."clickedAt" IS NOT NULL THEN 1 ELSE 0 END) AS open_times,
        SUM(CASE WHEN m."clickedAt" IS NOT NULL THEN 1 ELSE 0 END) AS click_times
      FROM ${table("Message")} m
      WHERE ${where}
      GROUP BY 1, 2, 3`);
  })();

  // A shopper replied when an inbound inbox message of theirs (on any of the shop's tickets) came
  // after one of their sends on the channel, at most REPLY_WINDOW_DAYS after it, and by now.
  const reach = (() => {
    const statement = new Statement(postgres);
    const where = reported(statement);
    const shop = statement.param(shopId);
    const now = statement.param(window.now);
    return statement.done(`
      WITH reached AS (
        SELECT m.channel AS channel, m."contactId" AS contact_id,
          MAX(CASE WHEN EXISTS (
            SELECT 1 FROM ${table("TicketMessage")} tm JOIN ${table("Ticket")} tk ON tk.id = tm."ticketId"
            WHERE tk."shopId" = ${shop} AND tk."contactId" = m."contactId" AND tm.direction = 'inbound'
              AND tm."createdAt" <= ${now}
              AND ${repliedAfter(`tm."createdAt"`, `m."sentAt"`)}
              AND ${repliedWithin(`tm."createdAt"`, `m."sentAt"`)}
          ) THEN 1 ELSE 0 END) AS replied
        FROM ${table("Message")} m
        WHERE ${where} AND m."contactId" IS NOT NULL
        GROUP BY m.channel, m."contactId"
      )
      SELECT channel, COUNT(*) AS contacted, SUM(replied) AS replied FROM reached GROUP BY channel
      UNION ALL
      SELECT NULL, COUNT(*), SUM(replied) FROM (SELECT contact_id, MAX(replied) AS replied FROM reached GROUP BY contact_id) shoppers`);
  })();

  // Each credited order once per channel and once overall (its smallest readable total), then
  // added per number of decimals: signed whole parts and signed decimal digits as integers.
  const recovered = (() => {
    const statement = new Statement(postgres);
    const where = reported(statement);
    const spaces = statement.param(whiteSpace());
    return statement.done(`
      WITH credited AS (
        SELECT m.channel AS channel, m."recoveredOrderId" AS order_id, ${trim(`m."recoveredRevenue"`, spaces)} AS revenue
        FROM ${table("Message")} m
        WHERE ${where} AND m."recoveredOrderId" IS NOT NULL AND m."recoveredOrderId" <> ''
      ),
      split AS (
        SELECT channel, order_id, revenue, ${unsignedOf("revenue")} AS unsigned FROM credited
      ),
      readable AS (
        SELECT channel, order_id,
          CASE WHEN ${isDecimal("revenue", "unsigned")}
            AND length(${wholeOf("unsigned")}) <= ${MAX_PART_DIGITS} AND length(${fractionOf("unsigned")}) <= ${MAX_PART_DIGITS}
          THEN revenue END AS revenue
        FROM split
      ),
      orders AS (
        SELECT channel, order_id, MIN(revenue) AS revenue FROM readable GROUP BY channel, order_id
        UNION ALL
        SELECT NULL, order_id, MIN(revenue) FROM readable GROUP BY order_id
      ),
      parts AS (
        SELECT channel, revenue,
          CASE WHEN substr(revenue, 1, 1) = '-' THEN -1 ELSE 1 END AS sign,
          ${wholeOf(unsignedOf("revenue"))} AS whole,
          ${fractionOf(unsignedOf("revenue"))} AS fraction
        FROM orders
      )
      SELECT channel,
        CASE WHEN revenue IS NULL THEN NULL ELSE length(fraction) END AS scale,
        COUNT(*) AS orders,
        CAST(SUM(CASE WHEN revenue IS NULL THEN 0 ELSE sign * CAST(whole AS ${integer}) END) AS TEXT) AS whole,
        CAST(SUM(CASE WHEN revenue IS NULL OR fraction = '' THEN 0 ELSE sign * CAST(fraction AS ${integer}) END) AS TEXT) AS fraction
      FROM parts
      GROUP BY 1, 2`);
  })();

  return { sends, reach, recovered };
}

const count = (value: unknown): number => (value === null || value === undefined ? 0 : Number(typeof value === "object" ? String(value) : value));
const channelOf = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** What messagingReport needs, counted by the database: a bounded number of rows (see above). */
export async function messagingFacts(database: Database, shopId: string, window: ReportWindow): Promise<MessagingFacts> {
  const statements = messagingStatements(database, shopId, window);
  const query = (statement: SqlText) => database.$queryRawUnsafe<Record<string, unknown>[]>(statement.text, ...statement.values);
  const [sendRows, reachRows, recoveredRows] = await Promise.all([query(statements.sends), query(statements.reach), query(statements.recovered)]);
  const sends: SendGroup[] = sendRows.map((row) => ({
    day: count(row.day),
    channel: String(row.channel),
    status: String(row.status),
    count: count(row.count),
    deliveryTimes: count(row.delivery_times),
    openTimes: count(row.open_times),
    clickTimes: count(row.click_times),
  }));
  const reach: ReachGroup[] = reachRows.map((row) => ({ channel: channelOf(row.channel), contacted: count(row.contacted), replied: count(row.replied) }));
  const recovered: RecoveryGroup[] = recoveredRows.map((row) => ({
    channel: channelOf(row.channel),
    orders: count(row.orders),
    revenue:
      row.scale === null || row.scale === undefined
        ? null
        : { scale: count(row.scale), whole: BigInt(String(row.whole ?? "0")), fraction: BigInt(String(row.fraction ?? "0")) },
  }));
  return { sends, reach, recovered };
}

/** Where each checklist step is done. */
export function onboardingLinks(shopDomain: string, demoMode: boolean): Record<OnboardingStep, { url: string; external: boolean }> {
  return {
    providers: { url: "/app/settings", external: false },
    templates: { url: "/app/templates", external: false },
    automations: { url: "/app/automations", external: false },
    // The theme editor's app blocks and embeds; the demo store has its own storefront instead.
    theme: demoMode
      ? { url: "/demo/storefront", external: true }
      : { url: `https://${shopDomain}/admin/themes/current/editor?context=apps`, external: true },
  };
}

async function onboardingFor(database: Database, shop: ShopRef, demoMode: boolean): Promise<HomeReport["onboarding"]> {
  const [settings, savedTemplates, automations, storefrontReview, contactRequest] = await Promise.all([
    loadSettings(database, shop.id),
    database.template.count({ where: { shopId: shop.id } }),
    shopAutomations(database, shop.id),
    database.review.findFirst({ where: { shopId: shop.id, source: { in: [...COLLECTED_REVIEW_SOURCES] } }, select: { id: true } }),
    database.ticket.findFirst({ where: { shopId: shop.id, channel: STOREFRONT_TICKET_CHANNEL }, select: { id: true } }),
  ]);
  const app = config();
  const checklist = onboardingChecklist({
    delivery: settings.delivery,
    shopCredentials: {
      sendgrid: settings.credentials.sendgrid.apiKey !== null,
      twilio: settings.credentials.twilio.accountSid !== null && settings.credentials.twilio.authToken !== null,
      unreadable: settings.credentials.unreadable,
    },
    appCredentials: { sendgrid: Boolean(app.sendgrid.apiKey), twilio: Boolean(app.twilio.accountSid && app.twilio.authToken) },
    savedTemplates,
    automations,
    storefrontReached: storefrontReview !== null || contactRequest !== null,
  });
  const links = onboardingLinks(shop.domain, demoMode);
  return { ...checklist, steps: checklist.steps.map((step) => ({ ...step, ...links[step.id] })) };
}
