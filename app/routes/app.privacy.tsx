import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Button, Card, IndexTable, Page } from "@shopify/polaris";
import { EmptyNote } from "~/components/empty-note";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { requireAdmin } from "~/server/admin-context.server";
import { listDataRequests } from "~/server/services/admin-queries.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json({ timeZone: shop.timeZone, requests: await listDataRequests(shop.id) });
};

export default function PrivacyRequests() {
  const { requests, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  return (
    <Page title={t("privacy.title")} subtitle={t("privacy.subtitle")}>
      <Card padding="0">
        {requests.length === 0 ? (
          <EmptyNote heading={t("privacy.empty")}>{t("privacy.emptyHelp")}</EmptyNote>
        ) : (
          <IndexTable
            resourceName={{ singular: t("privacy.resource.singular"), plural: t("privacy.resource.plural") }}
            itemCount={requests.length}
            selectable={false}
            headings={[{ title: t("privacy.customer") }, { title: t("privacy.requestedAt") }, { title: t("privacy.export"), hidden: true }]}
          >
            {requests.map((request, index) => {
              const customer = request.email ?? request.phone ?? request.shopifyCustomerId ?? "—";
              return (
                <IndexTable.Row id={request.id} key={request.id} position={index}>
                  <IndexTable.Cell>{customer}</IndexTable.Cell>
                  <IndexTable.Cell>{format(request.createdAt, timeZone)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {/* A new browsing context, so the router leaves the link alone and the browser downloads the file. */}
                    <Button url={`/app/privacy/${request.id}`} download target="_blank" accessibilityLabel={t("privacy.downloadLabel", { customer })}>
                      {t("privacy.download")}
                    </Button>
                  </IndexTable.Cell>
                </IndexTable.Row>
              );
            })}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
