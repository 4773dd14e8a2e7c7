import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Button, ButtonGroup, Card, IndexTable, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { LANGUAGE_NAMES } from "~/components/language-names";
import { CHANNELS, TEMPLATE_LOCALES } from "~/domain/templating/message-types";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { templateOverview } from "~/server/services/template-editor.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await requireAdmin(request);
  // ?language= picks the templates' language (?locale= is the admin's own).
  const language = z.enum(TEMPLATE_LOCALES).catch(locale).parse(new URL(request.url).searchParams.get("language"));
  const overview = await templateOverview(db(), shop.id);
  return json({
    language,
    timeZone: shop.timeZone,
    locales: overview.locales,
    types: overview.types,
    edited: overview.edited,
  });
};

export default function Templates() {
  const { language, locales, types, edited, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  const navigate = useNavigate();
  const editedAt = new Map(edited.filter((row) => row.locale === language).map((row) => [`${row.messageType}:${row.channel}`, row.updatedAt]));
  const countIn = (locale: string) => edited.filter((row) => row.locale === locale).length;

  return (
    <Page title={t("templates.title")} subtitle={t("templates.subtitle")}>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <ButtonGroup variant="segmented">
            {locales.map((locale) => (
              <Button key={locale} pressed={locale === language} onClick={() => navigate(`/app/templates?language=${locale}`)}>
                {countIn(locale) > 0 ? t("templates.languageEdited", { language: LANGUAGE_NAMES[locale], count: countIn(locale) }) : LANGUAGE_NAMES[locale]}
              </Button>
            ))}
          </ButtonGroup>
          <Text as="p" tone="subdued">{t("templates.editedCount", { count: editedAt.size })}</Text>
        </InlineStack>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: t("templates.resource.one"), plural: t("templates.resource.other") }}
            itemCount={types.length}
            selectable={false}
            headings={[{ title: t("templates.message") }, ...CHANNELS.map((channel) => ({ title: t(`channel.${channel}` as "channel.email") }))]}
          >
            {types.map((entry, index) => (
              <IndexTable.Row id={entry.messageType} key={entry.messageType} position={index}>
                <IndexTable.Cell>
                  <BlockStack gap="100">
                    <Text as="span" fontWeight="semibold">{t(`messageType.${entry.messageType}` as "messageType.order_confirmation")}</Text>
                    <Text as="span" tone="subdued" variant="bodySm">{t(`templates.purpose.${entry.purpose}` as "templates.purpose.marketing")}</Text>
                  </BlockStack>
                </IndexTable.Cell>
                {CHANNELS.map((channel) => {
                  if (!entry.channels.includes(channel)) {
                    return <IndexTable.Cell key={channel}><Text as="span" tone="subdued">—</Text></IndexTable.Cell>;
                  }
                  const when = editedAt.get(`${entry.messageType}:${channel}`);
                  const label = `${t(`messageType.${entry.messageType}` as "messageType.order_confirmation")} · ${t(`channel.${channel}` as "channel.email")}`;
                  return (
                    <IndexTable.Cell key={channel}>
                      <InlineStack gap="200" blockAlign="center" wrap={false}>
                        <Link url={`/app/templates/${entry.messageType}/${channel}/${language}`} accessibilityLabel={t("templates.editLabel", { template: label })}>
                          {t("templates.edit")}
                        </Link>
                        {when ? (
                          <span title={format(when, timeZone)}><Badge tone="success">{t("templates.edited")}</Badge></span>
                        ) : (
                          <Text as="span" tone="subdued" variant="bodySm">{t("templates.default")}</Text>
                        )}
                      </InlineStack>
                    </IndexTable.Cell>
                  );
                })}
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
