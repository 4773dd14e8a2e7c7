import { Badge, IndexTable, Text } from "@shopify/polaris";
import { EmptyNote } from "./empty-note";
import { useFormatDateTime, useI18n } from "./i18n-context";

type ActivityItem = { id: string; topic: string; summary: string; source: string; status: string; receivedAt: string };

export function ActivityList({ events, timeZone }: { events: ActivityItem[]; timeZone: string }) {
  const { t } = useI18n();
  const format = useFormatDateTime();
  if (events.length === 0) {
    return <EmptyNote heading={t("common.none")}>{t("activity.empty")}</EmptyNote>;
  }
  return (
    <IndexTable
      resourceName={{ singular: "event", plural: "events" }}
      itemCount={events.length}
      selectable={false}
      headings={[{ title: t("activity.topic") }, { title: t("activity.summary") }, { title: t("activity.receivedAt") }, { title: t("activity.status") }]}
    >
      {events.map((event, index) => (
        <IndexTable.Row id={event.id} key={event.id} position={index}>
          <IndexTable.Cell>
            <Text as="span" fontWeight="semibold"><span data-testid="activity-topic">{event.topic}</span></Text>
          </IndexTable.Cell>
          <IndexTable.Cell><span data-testid="activity-summary">{event.summary}</span></IndexTable.Cell>
          <IndexTable.Cell>{format(event.receivedAt, timeZone)}</IndexTable.Cell>
          <IndexTable.Cell>
            <Badge tone={event.status === "invalid" ? "critical" : event.status === "processed" ? "success" : "info"}>{t(`eventStatus.${event.status}` as "eventStatus.received")}</Badge>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
