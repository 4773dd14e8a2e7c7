import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, Page } from "@shopify/polaris";
import { ActivityList } from "~/components/activity-list";
import { useI18n } from "~/components/i18n-context";
import { requireAdmin } from "~/server/admin-context.server";
import { listActivity } from "~/server/services/admin-queries.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  // The page words each event from its parts; the English summary stays on the server.
  const events = (await listActivity(shop.id, 100)).map(({ summary: _english, ...event }) => event);
  return json({ timeZone: shop.timeZone, events });
};

export default function Activity() {
  const { events, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <Page title={t("activity.title")} subtitle={t("activity.subtitle")}>
      <Card padding="0">
        <ActivityList events={events} timeZone={timeZone} />
      </Card>
    </Page>
  );
}
