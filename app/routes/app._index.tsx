import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, DataTable, InlineGrid, InlineStack, Link, List, Page, ProgressBar, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { ShopifyErrorBoundary } from "~/components/app-provider";
import { DailyChart, useDayFormat } from "~/components/daily-chart";
import { useI18n } from "~/components/i18n-context";
import type { Channel } from "~/domain/ports";
import { CHANNEL_TRACKING, REPLY_WINDOW_DAYS, REPORT_CHANNELS, REPORT_DAYS, type ChannelReport } from "~/domain/reporting/dashboard-metrics";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { services } from "~/server/container.server";
import { db } from "~/server/db.server";
import { loadHomeReport } from "~/server/services/dashboard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demoMode } = await requireAdmin(request);
  // The demo clock when the demo store has moved it forward; the wall clock otherwise.
  const report = await loadHomeReport(db(), shop, { now: services().clock.now(), demoMode });
  return json({ shop: { name: shop.name, currency: shop.currency }, ...report });
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** Colours told apart with the common colour-vision deficiencies (Okabe–Ito), each ≥ 3:1 on white. */
const CHANNEL_COLORS: Record<Channel, string> = { email: "#0072B2", sms: "#D55E00", whatsapp: "#007A5E" };

function useFormats(currency: string) {
  const { locale } = useI18n();
  const count = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const rating = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  let money: (amount: string) => string;
  try {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency });
    money = (amount) => format.format(Number(amount));
  } catch {
    // Not an ISO 4217 code Intl knows: the amount and the code as stored.
    money = (amount) => `${count.format(Number(amount))} ${currency}`;
  }
  return { count: (value: number) => count.format(value), percent: (value: number) => percent.format(value), rating: (value: number) => rating.format(value), money };
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const day = useDayFormat({ month: "short", day: "numeric" });
  const subtitle = t("home.subtitle", {
    days: REPORT_DAYS,
    first: day(data.window.firstDay),
    last: day(data.window.lastDay),
    timeZone: data.window.timeZone.replace(/_/g, " "),
  });
  return (
    <Page title={data.shop.name} subtitle={subtitle}>
      {/* The checklist comes first while something is left to do, last once it is done. */}
      <BlockStack gap="400">
        {!data.anySent ? (
          <>
            <FirstRun onboarding={data.onboarding} />
            <Checklist onboarding={data.onboarding} />
          </>
        ) : data.onboarding.done < data.onboarding.total ? (
          <>
            <Checklist onboarding={data.onboarding} />
            <Results data={data} />
          </>
        ) : (
          <>
            <Results data={data} />
            <Checklist onboarding={data.onboarding} />
          </>
        )}
      </BlockStack>
    </Page>
  );
}

// ---------------------------------------------------------------- results

function Results({ data }: { data: LoaderData }) {
  const { t } = useI18n();
  const format = useFormats(data.shop.currency);
  const { total } = data.messaging;
  const { reviews, tickets } = data;
  return (
    <>
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <Figure label={t("home.card.sent")} value={format.count(total.sent)}>
          {t("home.card.delivered", { count: format.count(total.delivered) })}
        </Figure>
        <Figure label={t("home.card.revenue")} value={format.money(total.recoveredRevenue)}>
          {total.recoveredCheckouts === 1 ? t("home.card.recovered.one") : t("home.card.recovered.other", { count: format.count(total.recoveredCheckouts) })}
        </Figure>
        <Figure label={t("home.card.reviews")} value={format.count(reviews.collected)}>
          {reviews.averageRating === null ? (
            t("home.card.reviewsNonePublished")
          ) : (
            <>
              <span aria-hidden="true" style={{ color: "#B98900" }}>★ </span>
              {t("home.card.reviewsAverage", { rating: format.rating(reviews.averageRating) })}
            </>
          )}
        </Figure>
        <Figure label={t("home.card.tickets")} value={format.count(tickets.total)} href="/app/inbox" linkLabel={t("home.card.ticketsLink")}>
          {t("home.card.ticketsDetail", { open: format.count(tickets.open), pending: format.count(tickets.pending) })}
        </Figure>
      </InlineGrid>
      <SentChart data={data} />
      <ChannelTable data={data} />
    </>
  );
}

function Figure({ label, value, children, href, linkLabel }: { label: string; value: string; children: ReactNode; href?: string; linkLabel?: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="bodySm" tone="subdued">{label}</Text>
        <Text as="p" variant="heading2xl">{value}</Text>
        <Text as="p" variant="bodySm" tone="subdued">{children}</Text>
        {href && linkLabel && <Link url={href}>{linkLabel}</Link>}
      </BlockStack>
    </Card>
  );
}

function SentChart({ data }: { data: LoaderData }) {
  const { t } = useI18n();
  const format = useFormats(data.shop.currency);
  const longDay = useDayFormat({ weekday: "long", month: "long", day: "numeric" });
  const { daily, channels, total } = data.messaging;
  const channelName = (channel: Channel) => t(`channel.${channel}` as MessageKey);
  const busiest = daily.reduce(
    (best, point) => {
      const sent = point.email + point.sms + point.whatsapp;
      return sent > best.sent ? { day: point.day, sent } : best;
    },
    { day: "", sent: 0 },
  );
  const summary =
    total.sent === 0
      ? t("home.chart.summaryEmpty", { days: REPORT_DAYS })
      : t("home.chart.summary", {
          days: REPORT_DAYS,
          total: format.count(total.sent),
          email: format.count(channels.email.sent),
          sms: format.count(channels.sms.sent),
          whatsapp: format.count(channels.whatsapp.sent),
          day: longDay(busiest.day),
          count: format.count(busiest.sent),
        });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("home.chart.title")}</Text>
        <DailyChart
          title={t("home.chart.title")}
          summary={summary}
          days={daily.map((point) => point.day)}
          series={REPORT_CHANNELS.map((channel) => ({ id: channel, label: channelName(channel), color: CHANNEL_COLORS[channel], values: daily.map((point) => point[channel]) }))}
          dayHeader={t("home.chart.day")}
          totalHeader={t("home.chart.total")}
          emptyText={t("home.chart.empty")}
        />
      </BlockStack>
    </Card>
  );
}

/** "—" with what it means for screen readers. */
function Dash({ label }: { label: string }) {
  return (
    <span title={label}>
      <span aria-hidden="true">—</span>
      <Text as="span" visuallyHidden>{label}</Text>
    </span>
  );
}

function ChannelTable({ data }: { data: LoaderData }) {
  const { t } = useI18n();
  const format = useFormats(data.shop.currency);
  const ratio = (value: number | null, tracked: boolean): ReactNode =>
    !tracked ? <Dash label={t("home.table.notTracked")} /> : value === null ? <Dash label={t("home.table.nothingYet")} /> : format.percent(value);
  const row = (name: string, report: ChannelReport, tracks: { opens: boolean; clicks: boolean }): ReactNode[] => [
    name,
    format.count(report.sent),
    format.count(report.delivered),
    ratio(report.openRate, tracks.opens),
    ratio(report.clickRate, tracks.clicks),
    ratio(report.replyRate, true),
    format.count(report.recoveredCheckouts),
    format.money(report.recoveredRevenue),
  ];
  const anyTracks = (kind: "opens" | "clicks") => REPORT_CHANNELS.some((channel) => CHANNEL_TRACKING[channel][kind]);
  const { channels, total } = data.messaging;
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <Box padding="400" paddingBlockEnd="200">
          <Text as="h2" variant="headingMd">{t("home.table.title")}</Text>
        </Box>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={[
            t("home.table.channel"), t("home.table.sent"), t("home.table.delivered"), t("home.table.openRate"),
            t("home.table.clickRate"), t("home.table.replyRate"), t("home.table.recovered"), t("home.table.revenue"),
          ]}
          rows={[
            ...REPORT_CHANNELS.map((channel) => row(t(`channel.${channel}` as MessageKey), channels[channel], CHANNEL_TRACKING[channel])),
            row(t("home.table.total"), total, { opens: anyTracks("opens"), clicks: anyTracks("clicks") }).map((cell, index) =>
              index === 0 ? <Text as="span" fontWeight="semibold" key="total">{cell}</Text> : cell,
            ),
          ]}
        />
        <Box padding="400" borderBlockStartWidth="025" borderColor="border">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">{t("home.definitions.title")}</Text>
            <List>
              <List.Item>{t("home.definitions.sent")}</List.Item>
              <List.Item>{t("home.definitions.rates")}</List.Item>
              <List.Item>{t("home.definitions.reply", { days: REPLY_WINDOW_DAYS })}</List.Item>
              <List.Item>{t("home.definitions.recovered", { currency: data.shop.currency })}</List.Item>
              <List.Item>{t("home.definitions.reviews", { days: REPORT_DAYS })}</List.Item>
            </List>
          </BlockStack>
        </Box>
      </BlockStack>
    </Card>
  );
}

// ---------------------------------------------------------------- first run and the checklist

function FirstRun({ onboarding }: { onboarding: LoaderData["onboarding"] }) {
  const { t } = useI18n();
  const left = onboarding.total - onboarding.done;
  return (
    <Card>
      <Box padding="400">
        <BlockStack gap="300" inlineAlign="center">
          <Text as="h2" variant="headingMd">{t("home.empty.title")}</Text>
          <div style={{ maxWidth: 560 }}>
            <BlockStack gap="200">
              <Text as="p" alignment="center">{t("home.empty.body", { days: REPORT_DAYS })}</Text>
              <Text as="p" alignment="center" tone="subdued">
                {left === 0 ? t("home.empty.ready") : left === 1 ? t("home.empty.next.one") : t("home.empty.next.other", { count: left })}
              </Text>
            </BlockStack>
          </div>
        </BlockStack>
      </Box>
    </Card>
  );
}

function Checklist({ onboarding }: { onboarding: LoaderData["onboarding"] }) {
  const { t } = useI18n();
  const complete = onboarding.done === onboarding.total;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd" id="home-setup-title">{t("home.setup.title")}</Text>
          <Text as="span" variant="bodySm" tone="subdued">{t("home.setup.progress", { done: onboarding.done, total: onboarding.total })}</Text>
        </InlineStack>
        <ProgressBar progress={(onboarding.done / onboarding.total) * 100} size="small" tone={complete ? "success" : "highlight"} ariaLabelledBy="home-setup-title" />
        {complete && <Text as="p" tone="subdued">{t("home.setup.complete")}</Text>}
        <ol style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(min(100%, 300px), 1fr))", gap: "var(--p-space-400)" }}>
          {onboarding.steps.map((step) => (
            <ChecklistStep key={step.id} step={step} />
          ))}
        </ol>
      </BlockStack>
    </Card>
  );
}

function ChecklistStep({ step }: { step: LoaderData["onboarding"]["steps"][number] }) {
  const { t } = useI18n();
  const demo = step.id === "theme" && step.url.startsWith("/demo/");
  const body = t(demo ? "home.setup.theme.demoBody" : (`home.setup.${step.id}.body` as MessageKey));
  const title = t(`home.setup.${step.id}.title` as MessageKey);
  return (
    <li>
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Badge tone={step.done ? "success" : undefined} progress={step.done ? "complete" : "incomplete"}>
            {t(step.done ? "home.setup.done" : "home.setup.todo")}
          </Badge>
          {step.external ? (
            // The theme editor is Shopify's admin, outside the app's frame; the demo storefront opens beside the admin.
            <Link url={step.url} target={demo ? "_blank" : "_top"}>{title}</Link>
          ) : (
            <Link url={step.url}>{title}</Link>
          )}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">{body}</Text>
      </BlockStack>
    </li>
  );
}

// ---------------------------------------------------------------- errors

export function ErrorBoundary() {
  const error = useRouteError();
  // Shopify's auth responses (bounce pages, reauthorisation) render as they are.
  if (isRouteErrorResponse(error) || !(error instanceof Error)) return <ShopifyErrorBoundary error={error} />;
  return <HomeUnavailable />;
}

function HomeUnavailable() {
  const { t } = useI18n();
  return (
    <Page title={t("home.error.title")}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">{t("home.error.body")}</Text>
          <InlineStack>
            <Button url="/app">{t("home.error.reload")}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
