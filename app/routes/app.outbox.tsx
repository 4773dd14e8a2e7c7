import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { EmptyNote } from "~/components/empty-note";
import { useEffect } from "react";
import { z } from "zod";
import { useToast } from "~/components/admin-shell";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { normalisePhone } from "~/domain/contacts/phone";
import { ProviderError } from "~/domain/errors";
import type { Channel } from "~/domain/ports";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { services } from "~/server/container.server";
import { listOutbox } from "~/server/services/admin-queries.server";
import { sendTestMessage } from "~/server/services/send-test-message.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json({ timeZone: shop.timeZone, messages: await listOutbox(shop.id, 50) });
};

/** Why a test send was refused or failed; the page says it in the merchant's language. */
const OUTBOX_ERROR_KEYS = {
  invalid_channel: "outbox.error.invalidChannel",
  invalid_email: "outbox.error.invalidEmail",
  invalid_phone: "outbox.error.invalidPhone",
  provider_refused: "outbox.error.providerRefused",
  send_failed: "outbox.error.sendFailed",
} as const satisfies Record<string, MessageKey>;
type OutboxErrorCode = keyof typeof OUTBOX_ERROR_KEYS;

const testSendSchema = z.object({ channel: z.enum(["email", "sms", "whatsapp"]), to: z.string().trim().max(320).optional() });

type TestSend = { ok: true; channel: Channel; to: string | null } | { ok: false; code: OutboxErrorCode };

/** The channel, and the address when one is given (an email, or a phone number made E.164). */
function parseTestSend(form: Record<string, unknown>): TestSend {
  const parsed = testSendSchema.safeParse(form);
  const channelOk = testSendSchema.shape.channel.safeParse(form.channel);
  if (!channelOk.success) return { ok: false, code: "invalid_channel" };
  const addressError: OutboxErrorCode = channelOk.data === "email" ? "invalid_email" : "invalid_phone";
  if (!parsed.success) return { ok: false, code: addressError };
  const { channel, to } = parsed.data;
  if (!to) return { ok: true, channel, to: null };
  if (channel === "email") return z.string().email().safeParse(to).success ? { ok: true, channel, to } : { ok: false, code: addressError };
  const phone = normalisePhone(to);
  return phone.ok ? { ok: true, channel, to: phone.value } : { ok: false, code: addressError };
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const input = parseTestSend(Object.fromEntries(await request.formData()));
  if (!input.ok) return json({ ok: false as const, error: input.code }, { status: 400 });
  try {
    const { externalId } = await sendTestMessage(shop, input.channel, input.to);
    return json({ ok: true as const, externalId });
  } catch (error) {
    const refused = error instanceof ProviderError;
    services().logger.error("test message not sent", { shopId: shop.id, channel: input.channel, error: error instanceof Error ? error.message : String(error) });
    const code: OutboxErrorCode = refused ? "provider_refused" : "send_failed";
    return json({ ok: false as const, error: code }, { status: refused ? 502 : 500 });
  }
};

export default function Outbox() {
  const { messages, timeZone } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.ok) toast(t("outbox.testSent"));
    else toast(t(OUTBOX_ERROR_KEYS[fetcher.data.error]), { isError: true });
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const send = (channel: Channel) => fetcher.submit({ channel }, { method: "post" });
  // Which button was pressed: only that one spins, the other waits.
  const sending = fetcher.state === "idle" ? null : (fetcher.formData?.get("channel") ?? null);
  return (
    <Page
      title={t("outbox.title")}
      subtitle={t("outbox.subtitle")}
      primaryAction={{ content: t("outbox.sendTest"), onAction: () => send("email"), loading: sending === "email", disabled: sending !== null && sending !== "email" }}
      secondaryActions={[{ content: t("outbox.sendTestSms"), onAction: () => send("sms"), loading: sending === "sms", disabled: sending !== null && sending !== "sms" }]}
    >
      {messages.length === 0 ? (
        <Card><EmptyNote heading={t("outbox.empty")}>{t("outbox.emptyHelp")}</EmptyNote></Card>
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
                  <iframe title={message.subject ?? t("outbox.emailPreview")} sandbox="" srcDoc={message.html} style={{ width: "100%", height: 320, border: "1px solid #e3e3e3", borderRadius: 8, background: "#fff" }} />
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
