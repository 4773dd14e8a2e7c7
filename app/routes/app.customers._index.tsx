import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Box, Button, Card, IndexTable, InlineStack, Link, Page, Pagination, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { LANGUAGE_NAMES } from "~/components/language-names";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { customerListQuery, listCustomers } from "~/server/services/customer-timeline.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const query = customerListQuery(new URL(request.url).searchParams);
  return json({ timeZone: shop.timeZone, ...(await listCustomers(db(), shop.id, query)) });
};

function pageUrl(q: string, page = 1) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `/app/customers?${search}` : "/app/customers";
}

/** A search form on this page was sent and its results are loading (a GET form submission to `path`). */
function useSearching(path: string): boolean {
  const navigation = useNavigation();
  return navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "GET" && navigation.location?.pathname === path;
}

export default function Customers() {
  const { customers, query, pageCount, total, anyCustomers, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  const [search, setSearch] = useState(query.q);
  useEffect(() => setSearch(query.q), [query.q]);
  const searching = useSearching("/app/customers");

  if (!anyCustomers) {
    return (
      <Page title={t("customers.title")} subtitle={t("customers.subtitle")}>
        <Card>
          <Box padding="400">
            <BlockStack gap="300" inlineAlign="center">
              <Text as="h2" variant="headingMd">{t("customers.empty.title")}</Text>
              <div style={{ maxWidth: 560 }}>
                <Text as="p" alignment="center">{t("customers.empty.body")}</Text>
              </div>
            </BlockStack>
          </Box>
        </Card>
      </Page>
    );
  }

  return (
    <Page title={t("customers.title")} subtitle={t("customers.subtitle")}>
      <Card padding="0">
        <Box padding="300">
          <Form method="get" action="/app/customers">
            <InlineStack gap="200" blockAlign="end" wrap={false}>
              <div style={{ flex: 1 }}>
                <TextField label={t("customers.search")} labelHidden name="q" value={search} onChange={setSearch} placeholder={t("customers.searchPlaceholder")} autoComplete="off" />
              </div>
              <Button submit loading={searching}>{t("common.search")}</Button>
              {query.q && <Button url={pageUrl("")} variant="plain">{t("common.clearSearch")}</Button>}
            </InlineStack>
          </Form>
        </Box>
        {customers.length === 0 ? (
          <Box padding="600">
            <BlockStack gap="200" inlineAlign="center">
              <Text as="p" variant="headingSm">{t("customers.noMatch", { q: query.q })}</Text>
            </BlockStack>
          </Box>
        ) : (
          <IndexTable
            resourceName={{ singular: t("customers.resource.one"), plural: t("customers.resource.other") }}
            itemCount={customers.length}
            selectable={false}
            headings={[
              { title: t("customers.col.name") },
              { title: t("customers.col.email") },
              { title: t("customers.col.phone") },
              { title: t("customers.col.language") },
              { title: t("customers.col.lastActivity") },
            ]}
          >
            {customers.map((customer, index) => (
              <IndexTable.Row id={customer.id} key={customer.id} position={index}>
                <IndexTable.Cell>
                  <Link url={`/app/customers/${customer.id}`} removeUnderline dataPrimaryLink>
                    <Text as="span" fontWeight="semibold">{customer.name ?? customer.email ?? customer.phone ?? t("customers.noName")}</Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{customer.email ?? ""}</IndexTable.Cell>
                <IndexTable.Cell>{customer.phone ?? ""}</IndexTable.Cell>
                <IndexTable.Cell>{customer.locale ? (LANGUAGE_NAMES[customer.locale] ?? customer.locale) : ""}</IndexTable.Cell>
                <IndexTable.Cell>{format(customer.lastActivityAt, timeZone)}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        <Box padding="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="span" tone="subdued">{total === 1 ? t("customers.count.one") : t("customers.count.other", { count: total })}</Text>
            {pageCount > 1 && (
              <Pagination
                hasPrevious={query.page > 1}
                previousURL={pageUrl(query.q, query.page - 1)}
                hasNext={query.page < pageCount}
                nextURL={pageUrl(query.q, query.page + 1)}
                label={t("common.pageOf", { page: query.page, pages: pageCount })}
              />
            )}
          </InlineStack>
        </Box>
      </Card>
    </Page>
  );
}
