import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { EmptyNote } from "~/components/empty-note";
import { useEffect } from "react";
import { z } from "zod";
import { useToast } from "~/components/admin-shell";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { requireAdmin } from "~/server/admin-context.server";
import { listOutbox } from "~/server/services/admin-queries.server";
import { sendTestMessage } from "~/server/services/send-test-message.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json({ timeZone: shop.timeZone, messages: await listOutbox(shop.id, 50) });
};

const testSendSchema = z.object({ channel: z.enum(["email", "sms", "whatsapp"]), to: z.string().max(320).optional() });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const parsed = testSendSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false, error: "Choose a channel: email, sms or whatsapp." }, { status: 400 });
  const { externalId } = await sendTestMessage(shop, parsed.data.channel, parsed.data.to ?? null);
  return json({ ok: true, externalId });
};

export default function Outbox() {
  const { messages, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) toast(t("outbox.testSent"));
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const send = (channel: string) => fetcher.submit({ channel }, { method: "post" });
  return (
    <Page
      title={t("outbox.title")}
      subtitle={t("outbox.subtitle")}
      primaryAction={{ content: t("outbox.sendTest"), onAction: () => send("email"), loading: fetcher.state !== "idle" }}
      secondaryActions={[{ content: t("outbox.sendTestSms"), onAction: () => send("sms") }]}
    >
      {messages.length === 0 ? (
        <Card><EmptyNote heading={t("outbox.empty")} /></Card>
      ) : (
        <BlockStack gap="400">
          {messages.map((message) => (
            <Card key={message.id}>
              <BlockStack gap="300">
                <InlineStack gap="300" blockAlign="center">
                  <Badge tone={message.channel === "email" ? "info" : "success"}>{t(`channel.${message.channel}` as "channel.email")}</Badge>
                  <Text as="span" fontWeight="semibold">{t("outbox.to")}: {message.toAddress}</Text>
                  <Text as="span" tone="subdued">{t("outbox.sentAt")} {format(message.createdAt, timeZone)}</Text>
                </InlineStack>
                {message.subject && <Text as="h3" variant="headingMd">{message.subject}</Text>}
                {message.html ? (
                  // The email as the shopper sees it, isolated from the admin's styles and scripts.
                  <iframe title={message.subject ?? "email"} sandbox="" srcDoc={message.html} style={{ width: "100%", height: 320, border: "1px solid #e3e3e3", borderRadius: 8, background: "#fff" }} />
                ) : (
                  <Box background="bg-surface-secondary" padding="300" borderRadius="300">
                    <Text as="p"><span style={{ whiteSpace: "pre-wrap" }}>{message.text}</span></Text>
                  </Box>
                )}
              </BlockStack>
            </Card>
          ))}
        </BlockStack>
      )}
    </Page>
  );
}
