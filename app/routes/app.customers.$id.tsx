import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, Divider, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { Fragment } from "react";
import { notFoundBoundary } from "~/components/not-found-boundary";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { LANGUAGE_NAMES } from "~/components/language-names";
import { useMessageReason } from "~/components/message-reason";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { customerTimeline, TIMELINE_LIMIT_PER_KIND } from "~/server/services/customer-timeline.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const timeline = await customerTimeline(db(), shop.id, params.id ?? "");
  if (!timeline) throw new Response("This customer does not exist in your store.", { status: 404 });
  return json({ timeZone: shop.timeZone, limit: TIMELINE_LIMIT_PER_KIND, ...timeline });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Entry = Data["entries"][number];
type Tone = "success" | "info" | "attention" | "critical" | "warning" | undefined;

const MESSAGE_TONES: Record<string, Tone> = {
  sent: "success", delivered: "success", opened: "success", clicked: "success",
  scheduled: "info", deferred: "attention", sending: "info",
  failed: "critical", bounced: "critical", unknown: "warning", cancelled: undefined, skipped: undefined,
};
const STANDING_TONES: Record<string, Tone> = { granted: "success", revoked: "critical", pending: "attention", none: undefined };
const REVIEW_TONES: Record<string, Tone> = { published: "success", pending: "attention", rejected: "critical" };
const TICKET_TONES: Record<string, Tone> = { open: "attention", pending: "info", closed: undefined };

/** A catalogue string when there is one for this value, else the value itself (a state or source added later). */
function useLabel() {
  const { t } = useI18n();
  return (key: string, fallback: string) => {
    const text = t(key as MessageKey);
    return text === key ? fallback : text;
  };
}

export default function Customer() {
  const data = useLoaderData<typeof loader>();
  const { contact } = data;
  const { t } = useI18n();
  const label = useLabel();
  const format = useFormatDateTime();
  const title = contact.name ?? contact.email ?? contact.phone ?? t("customers.noName");
  return (
    <Page title={title} backAction={{ content: t("customers.title"), url: "/app/customers" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">{t("customers.timeline")}</Text>
              {data.truncated && <Banner tone="info">{t("customers.truncated", { count: data.limit })}</Banner>}
              {data.entries.length === 0 ? (
                <Text as="p" tone="subdued">{t("customers.timelineEmpty")}</Text>
              ) : (
                <ol style={{ listStyle: "none", margin: 0, padding: 0 }}>
                  {data.entries.map((entry, index) => (
                    <Fragment key={`${entry.kind}:${entry.id}`}>
                      {index > 0 && <Divider />}
                      <li>
                        <Box paddingBlock="300">
                          <InlineStack align="space-between" blockAlign="start" gap="300" wrap={false}>
                            <TimelineLine entry={entry} timeZone={data.timeZone} />
                            <Text as="span" tone="subdued" variant="bodySm">
                              <time dateTime={entry.at} style={{ whiteSpace: "nowrap" }}>{format(entry.at, data.timeZone)}</time>
                            </Text>
                          </InlineStack>
                        </Box>
                      </li>
                    </Fragment>
                  ))}
                </ol>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">{t("customers.contact")}</Text>
                {contact.name && <Text as="p" fontWeight="semibold">{contact.name}</Text>}
                {contact.email && <Text as="p" breakWord>{contact.email}</Text>}
                {contact.phone && <Text as="p">{contact.phone}</Text>}
                {contact.locale && <Text as="p" tone="subdued">{t("customers.language", { language: LANGUAGE_NAMES[contact.locale] ?? contact.locale })}</Text>}
                {contact.timeZone && <Text as="p" tone="subdued">{t("customers.timeZone", { zone: contact.timeZone })}</Text>}
                <Text as="p" tone="subdued">{t("customers.since", { date: format(contact.createdAt, data.timeZone) })}</Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">{t("customers.consent")}</Text>
                {data.consent.length === 0 ? (
                  <Text as="p" tone="subdued">{t("customers.consentNone")}</Text>
                ) : (
                  data.consent.map((row) => (
                    <InlineStack key={row.channel} align="space-between" blockAlign="center" gap="200">
                      <Text as="span">{label(`channel.${row.channel}`, row.channel)}</Text>
                      <Badge tone={STANDING_TONES[row.standing]}>{label(`customers.consentState.${row.state}`, row.state)}</Badge>
                    </InlineStack>
                  ))
                )}
                <Text as="p" tone="subdued" variant="bodySm">{t("customers.consentHelp")}</Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function TimelineLine({ entry, timeZone }: { entry: Entry; timeZone?: string }) {
  const { t } = useI18n();
  const label = useLabel();
  const reasonOf = useMessageReason(timeZone);
  const channel = (value: string) => label(`channel.${value}`, label(`inbox.channel.${value}`, value));
  switch (entry.kind) {
    case "message": {
      const reason = reasonOf(entry.reasonCoded, entry.reason);
      const what = entry.messageType
        ? label(`messageType.${entry.messageType}`, entry.messageType)
        : entry.automation === "inbox_reply"
          ? t("customers.kind.inboxReply")
          : label(`automation.${entry.automation}`, entry.automation);
      return (
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Badge>{t("customers.kind.message")}</Badge>
            <Text as="span" fontWeight="semibold">{what}</Text>
            <Text as="span" tone="subdued">{channel(entry.channel)}</Text>
            <Badge tone={MESSAGE_TONES[entry.status]}>{label(`messageStatus.${entry.status}`, entry.status)}</Badge>
          </InlineStack>
          {reason && <Text as="span" tone="subdued" variant="bodySm" breakWord>{reason}</Text>}
        </BlockStack>
      );
    }
    case "consent":
      return (
        <InlineStack gap="200" blockAlign="center">
          <Badge>{t("customers.kind.consent")}</Badge>
          <Text as="span" fontWeight="semibold">{channel(entry.channel)}</Text>
          <Text as="span">{label(`customers.consentState.${entry.state}`, entry.state)}</Text>
          <Text as="span" tone="subdued">{t("customers.consentSource", { source: label(`customers.consentSource.${entry.source}`, entry.source) })}</Text>
        </InlineStack>
      );
    case "review":
      return (
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Badge>{t("customers.kind.review")}</Badge>
            <span aria-hidden="true" style={{ color: "#B98900" }}>{"★".repeat(Math.max(0, Math.min(5, entry.rating)))}{"☆".repeat(Math.max(0, 5 - entry.rating))}</span>
            <Text as="span" visuallyHidden>{t("reviews.ratingLabel", { rating: entry.rating })}</Text>
            <Badge tone={REVIEW_TONES[entry.status]}>{label(`reviews.status.${entry.status}`, entry.status)}</Badge>
          </InlineStack>
          {(entry.title || entry.productTitle) && (
            <Text as="span" tone="subdued" breakWord>{[entry.title, entry.productTitle].filter(Boolean).join(" · ")}</Text>
          )}
        </BlockStack>
      );
    case "ticket":
      return (
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Badge>{t("customers.kind.ticket")}</Badge>
            <Link url={`/app/inbox/${entry.id}`}>{entry.subject || t("inbox.noSubject")}</Link>
            <Badge tone={TICKET_TONES[entry.status]}>{label(`inbox.ticketStatus.${entry.status}`, entry.status)}</Badge>
          </InlineStack>
          <Text as="span" tone="subdued" variant="bodySm">{channel(entry.channel)}</Text>
        </BlockStack>
      );
    case "survey":
      return (
        <InlineStack gap="200" blockAlign="center">
          <Badge>{t("customers.kind.survey")}</Badge>
          <Text as="span">{t("customers.surveyAnswer", { rating: entry.rating })}</Text>
        </InlineStack>
      );
  }
}

export const ErrorBoundary = notFoundBoundary({ notFound: "customers.notFound", list: { title: "customers.title", url: "/app/customers" } });
