import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { ActivityList } from "~/components/activity-list";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { requireAdmin } from "~/server/admin-context.server";
import { loadDashboard } from "~/server/services/admin-queries.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json({ shop, ...(await loadDashboard(shop.id)) });
};

export default function Dashboard() {
  const { shop, counts, recentEvents } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  const stats = [
    { label: t("dashboard.counts.events"), value: counts.events },
    { label: t("dashboard.counts.contacts"), value: counts.contacts },
    { label: t("dashboard.counts.orders"), value: counts.orders },
    { label: t("dashboard.counts.outbox"), value: counts.outbox },
  ];
  return (
    <Page title={shop.name} subtitle={t("dashboard.installed", { date: format(shop.installedAt, shop.timeZone) })}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            {stats.map((stat) => (
              <Card key={stat.label}>
                <BlockStack gap="200">
                  <Text as="h3" variant="bodySm" tone="subdued">{stat.label}</Text>
                  <Text as="p" variant="heading2xl">{stat.value}</Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="200">
              <div style={{ padding: "16px 16px 0", display: "flex", justifyContent: "space-between" }}>
                <Text as="h2" variant="headingMd">{t("dashboard.recentActivity")}</Text>
                <RemixLink to="/app/activity">{t("dashboard.viewAll")}</RemixLink>
              </div>
              <ActivityList events={recentEvents} timeZone={shop.timeZone} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">{t("dashboard.shop")}</Text>
              <Text as="p">{shop.domain}</Text>
              <Text as="p">{t("dashboard.currency")}: {shop.currency}</Text>
              <Text as="p">{t("dashboard.timeZone")}: {shop.timeZone}</Text>
              <Text as="p">{t("dashboard.primaryLocale")}: {shop.primaryLocale}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
