import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, IndexTable, InlineStack, Link, Page, Pagination, Tabs, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { TICKET_STATUSES } from "~/domain/inbox/ticket-routing";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { listTickets, ticketListQuery } from "~/server/services/admin-inbox-queries.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const query = ticketListQuery(new URL(request.url).searchParams);
  return json({ timeZone: shop.timeZone, ...(await listTickets(db(), shop.id, query)) });
};

const CHANNEL_TONES: Record<string, "info" | "success" | "attention" | undefined> = { email: "info", sms: "success", whatsapp: "success", contact_form: "attention" };

function pageUrl(query: { status: string; q: string }, page = 1) {
  const params = new URLSearchParams({ status: query.status });
  if (query.q) params.set("q", query.q);
  if (page > 1) params.set("page", String(page));
  return `/app/inbox?${params.toString()}`;
}

/** A search form on this page was sent and its results are loading (a GET form submission to `path`). */
function useSearching(path: string): boolean {
  const navigation = useNavigation();
  return navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "GET" && navigation.location?.pathname === path;
}

export default function Inbox() {
  const { tickets, counts, query, pageCount, anyTickets, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  const [search, setSearch] = useState(query.q);
  useEffect(() => setSearch(query.q), [query.q]);
  const searching = useSearching("/app/inbox");
  const statusName = (status: string) => t(`inbox.status.${status}` as MessageKey);
  const tabs = TICKET_STATUSES.map((status) => ({
    id: `inbox-${status}`,
    content: statusName(status),
    badge: String(counts[status]),
    accessibilityLabel: t("inbox.tabLabel", { tab: statusName(status), count: counts[status] }),
    url: pageUrl({ status, q: query.q }),
    panelID: "inbox-panel",
  }));

  if (!anyTickets) {
    return (
      <Page title={t("inbox.title")} subtitle={t("inbox.subtitle")}>
        <Card>
          <Box padding="400">
            <BlockStack gap="300" inlineAlign="center">
              <Text as="h2" variant="headingMd">{t("inbox.empty.title")}</Text>
              <div style={{ maxWidth: 560 }}>
                <Text as="p" alignment="center">{t("inbox.empty.body")}</Text>
              </div>
            </BlockStack>
          </Box>
        </Card>
      </Page>
    );
  }

  return (
    <Page title={t("inbox.title")} subtitle={t("inbox.subtitle")}>
      <Card padding="0">
        <Tabs tabs={tabs} selected={TICKET_STATUSES.indexOf(query.status)} />
        <Box padding="300" id="inbox-panel">
          <Form method="get" action="/app/inbox">
            <input type="hidden" name="status" value={query.status} />
            <InlineStack gap="200" blockAlign="end" wrap={false}>
              <div style={{ flex: 1 }}>
                <TextField label={t("inbox.search")} labelHidden name="q" value={search} onChange={setSearch} placeholder={t("inbox.searchPlaceholder")} autoComplete="off" />
              </div>
              <Button submit loading={searching}>{t("common.search")}</Button>
              {query.q && <Button url={pageUrl({ status: query.status, q: "" })} variant="plain">{t("common.clearSearch")}</Button>}
            </InlineStack>
          </Form>
        </Box>
        {tickets.length === 0 ? (
          <Box padding="600">
            <BlockStack gap="200" inlineAlign="center">
              <Text as="p" variant="headingSm">{query.q ? t("inbox.noMatch", { q: query.q }) : t(`inbox.emptyTab.${query.status}` as MessageKey)}</Text>
            </BlockStack>
          </Box>
        ) : (
          <IndexTable
            resourceName={{ singular: t("inbox.resource.one"), plural: t("inbox.resource.other") }}
            itemCount={tickets.length}
            selectable={false}
            headings={[
              { title: t("inbox.col.shopper") },
              { title: t("inbox.col.channel") },
              { title: t("inbox.col.subject") },
              { title: t("inbox.col.order") },
              { title: t("inbox.col.lastMessage") },
              { title: t("inbox.col.messages"), alignment: "end" },
            ]}
          >
            {tickets.map((ticket, index) => (
              <IndexTable.Row id={ticket.id} key={ticket.id} position={index}>
                <IndexTable.Cell>
                  <BlockStack gap="050">
                    <Link url={`/app/inbox/${ticket.id}`} removeUnderline dataPrimaryLink>
                      <Text as="span" fontWeight="semibold">{ticket.shopper ?? ticket.address ?? t("inbox.unknownShopper")}</Text>
                    </Link>
                    {ticket.shopper && ticket.address && <Text as="span" tone="subdued" variant="bodySm">{ticket.address}</Text>}
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={CHANNEL_TONES[ticket.channel]}>{t(`inbox.channel.${ticket.channel}` as MessageKey)}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ whiteSpace: "normal", minWidth: 200, maxWidth: 420 }}>
                    <BlockStack gap="050">
                      <Text as="span" breakWord>{ticket.subject || t("inbox.noSubject")}</Text>
                      {ticket.preview && ticket.preview !== ticket.subject && <Text as="span" tone="subdued" variant="bodySm" breakWord>{ticket.preview}</Text>}
                    </BlockStack>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>{ticket.orderName ?? ""}</IndexTable.Cell>
                <IndexTable.Cell>{format(ticket.lastMessageAt, timeZone)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>{ticket.messageCount}</Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        {pageCount > 1 && (
          <Box padding="300">
            <InlineStack align="center">
              <Pagination
                hasPrevious={query.page > 1}
                previousURL={pageUrl(query, query.page - 1)}
                hasNext={query.page < pageCount}
                nextURL={pageUrl(query, query.page + 1)}
                label={t("common.pageOf", { page: query.page, pages: pageCount })}
              />
            </InlineStack>
          </Box>
        )}
      </Card>
    </Page>
  );
}
