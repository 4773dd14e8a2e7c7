import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, IndexTable, Page, Text } from "@shopify/polaris";
import { EmptyNote } from "~/components/empty-note";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { requireAdmin } from "~/server/admin-context.server";
import { listMessages } from "~/server/services/admin-queries.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json({ timeZone: shop.timeZone, ...(await listMessages(shop.id, 100)) });
};

const TONES: Record<string, "success" | "info" | "attention" | "critical" | "warning" | undefined> = {
  sent: "success", delivered: "success", opened: "success", clicked: "success",
  scheduled: "info", deferred: "attention", sending: "info",
  failed: "critical", bounced: "critical", unknown: "warning", cancelled: undefined, skipped: undefined,
};

export default function Messages() {
  const { messages, unknown, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  return (
    <Page title={t("messages.title")} subtitle={t("messages.subtitle")}>
      <BlockStack gap="400">
        {unknown > 0 && <Banner tone="warning">{t("messages.unknownBanner", { count: unknown })}</Banner>}
        <Card padding="0">
          {messages.length === 0 ? (
            <EmptyNote heading={t("messages.empty")} />
          ) : (
            <IndexTable
              resourceName={{ singular: "message", plural: "messages" }}
              itemCount={messages.length}
              selectable={false}
              headings={[{ title: t("messages.recipient") }, { title: t("messages.automation") }, { title: t("messages.status") }, { title: t("messages.when") }, { title: t("messages.reason") }]}
            >
              {messages.map((message, index) => (
                <IndexTable.Row id={message.id} key={message.id} position={index}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">{message.shopper ?? message.recipient}</Text>{" "}
                    <Text as="span" tone="subdued">{t(`channel.${message.channel}` as "channel.email")}</Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{message.automation}</IndexTable.Cell>
                  <IndexTable.Cell><Badge tone={TONES[message.status]}>{t(`messageStatus.${message.status}` as "messageStatus.sent")}</Badge></IndexTable.Cell>
                  <IndexTable.Cell>{format(message.sentAt ?? message.runAt, timeZone)}</IndexTable.Cell>
                  <IndexTable.Cell>{message.statusReason ?? message.error ?? ""}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
