import { Badge, IndexTable, Text, Tooltip } from "@shopify/polaris";
import type { EventSummaryPart } from "~/domain/events/event-summary";
import type { MessageKey, Translate } from "~/i18n";
import { EmptyNote } from "./empty-note";
import { useFormatDateTime, useI18n } from "./i18n-context";

type ActivityItem = { id: string; topic: string; parts: EventSummaryPart[]; source: string; status: string; receivedAt: string };

const SHIPMENT_STATUSES = new Set(["label_printed", "label_purchased", "attempted_delivery", "ready_for_pickup", "confirmed", "in_transit", "out_for_delivery", "delivered", "failure"]);
const CONSENT_STATES = new Set(["subscribed", "unsubscribed", "not_subscribed", "pending", "redacted", "invalid"]);

/** An event's summary in the merchant's language: store data as it came, Avisa's words translated. */
export function wordEventSummary(parts: EventSummaryPart[], t: Translate): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case "text":
          return part.value;
        case "amount":
          return part.currency ? `${part.value} ${part.currency}` : part.value;
        case "fromCheckout":
          return t("activity.part.fromCheckout");
        case "items":
          return part.count === 1 ? t("activity.part.items.one") : t("activity.part.items.other", { count: part.count });
        case "completed":
          return t("activity.part.completed");
        case "shipmentStatus":
          // A status Shopify adds later shows as it came rather than as a missing key.
          return SHIPMENT_STATUSES.has(part.value) ? t(`activity.shipment.${part.value}` as MessageKey) : part.value;
        case "consentState":
          return CONSENT_STATES.has(part.value) ? t(`customers.consentState.${part.value}` as MessageKey) : part.value;
        case "unreadable":
          return t("activity.part.unreadable");
      }
    })
    .join(" · ");
}

/**
 * Where the event came from: Shopify's webhook, or Avisa's catch-up check of recent orders and
 * checkouts (reconcile-shop), which records what a webhook missed. A merchant reading the feed
 * should see which events arrived late that way.
 */
function EventSource({ source }: { source: string }) {
  const { t } = useI18n();
  if (source === "reconciliation") {
    // Polaris makes the activator focusable and describes it by the hint, for keyboards too.
    return (
      <Tooltip content={t("activity.sourceKind.reconciliationHint")}>
        <span data-testid="activity-source">
          <Badge>{t("activity.sourceKind.reconciliation")}</Badge>
        </span>
      </Tooltip>
    );
  }
  return <span data-testid="activity-source">{source === "webhook" ? t("activity.sourceKind.webhook") : source}</span>;
}

export function ActivityList({ events, timeZone }: { events: ActivityItem[]; timeZone: string }) {
  const { t } = useI18n();
  const format = useFormatDateTime();
  if (events.length === 0) {
    return <EmptyNote heading={t("common.none")}>{t("activity.empty")}</EmptyNote>;
  }
  return (
    <IndexTable
      resourceName={{ singular: t("activity.resource.one"), plural: t("activity.resource.other") }}
      itemCount={events.length}
      selectable={false}
      headings={[{ title: t("activity.topic") }, { title: t("activity.summary") }, { title: t("activity.receivedAt") }, { title: t("activity.source") }, { title: t("activity.status") }]}
    >
      {events.map((event, index) => (
        <IndexTable.Row id={event.id} key={event.id} position={index}>
          <IndexTable.Cell>
            <Text as="span" fontWeight="semibold"><span data-testid="activity-topic">{event.topic}</span></Text>
          </IndexTable.Cell>
          <IndexTable.Cell><span data-testid="activity-summary">{wordEventSummary(event.parts, t)}</span></IndexTable.Cell>
          <IndexTable.Cell>{format(event.receivedAt, timeZone)}</IndexTable.Cell>
          <IndexTable.Cell><EventSource source={event.source} /></IndexTable.Cell>
          <IndexTable.Cell>
            <Badge tone={event.status === "invalid" ? "critical" : event.status === "processed" ? "success" : "info"}>{t(`eventStatus.${event.status}` as "eventStatus.received")}</Badge>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
