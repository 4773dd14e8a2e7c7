// The admin Home: the last 30 days of messages, recovered checkouts, reviews and open tickets,
// and the onboarding checklist. A fixed handful of queries whatever the shop's size: one read of
// the window's sent messages (only the columns the numbers need), one of the inbound inbox
// messages that could answer them, grouped counts for reviews and tickets, and small lookups
// for the checklist. Every query is scoped by the shop; the arithmetic and every definition
// live in app/domain/reporting/dashboard-metrics.ts.
import {
  COLLECTED_REVIEW_SOURCES,
  NOT_REPORTED_AUTOMATIONS,
  OPEN_TICKET_STATUSES,
  REPORT_CHANNELS,
  SENT_STATUSES,
  STOREFRONT_TICKET_CHANNEL,
  messagingReport,
  onboardingChecklist,
  reportWindow,
  reviewReport,
  ticketReport,
  type MessagingReport,
  type OnboardingStep,
  type ReviewReport,
  type TicketReport,
} from "../../domain/reporting/dashboard-metrics";
import { config } from "../config.server";
import type { Database } from "../db.server";
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
  const [messages, inbound, reviewGroups, ticketGroups, onboarding] = await Promise.all([
    database.message.findMany({
      where: { ...sentToShoppers(shopId), sentAt: { gte: window.start, lte: window.now } },
      select: {
        channel: true, automation: true, status: true, sentAt: true, deliveredAt: true, openedAt: true, clickedAt: true,
        contactId: true, recoveredOrderId: true, recoveredRevenue: true,
      },
    }),
    // Answers can only follow a message of the window, so none before it; none after now.
    database.ticketMessage.findMany({
      where: { direction: "inbound", createdAt: { gt: window.start, lte: window.now }, ticket: { shopId, contactId: { not: null } } },
      select: { createdAt: true, ticket: { select: { contactId: true } } },
    }),
    database.review.groupBy({
      by: ["status"],
      where: { shopId, source: { in: [...COLLECTED_REVIEW_SOURCES] }, createdAt: { gte: window.start, lte: window.now } },
      _count: { _all: true },
      _sum: { rating: true },
    }),
    database.ticket.groupBy({ by: ["status"], where: { shopId, status: { in: [...OPEN_TICKET_STATUSES] } }, _count: { _all: true } }),
    onboardingFor(database, shop, options.demoMode),
  ]);

  const messaging = messagingReport(
    messages,
    inbound.flatMap((row) => (row.ticket.contactId ? [{ contactId: row.ticket.contactId, at: row.createdAt }] : [])),
    window,
  );
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
