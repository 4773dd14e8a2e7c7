import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, InlineStack, Layout, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { notFoundBoundary } from "~/components/not-found-boundary";
import { useToast } from "~/components/admin-shell";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { TICKET_STATUSES } from "~/domain/inbox/ticket-routing";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { services } from "~/server/container.server";
import { MessageReasonText } from "~/components/message-reason";
import { db } from "~/server/db.server";
import { ticketView } from "~/server/services/admin-inbox-queries.server";
import { replyToTicket, setTicketStatus, splitTicket, type InboxRefusal, type InboxRefusalCode } from "~/server/services/inbox.server";

const NOT_FOUND = "This conversation does not exist in your store.";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const view = await ticketView(db(), shop.id, params.id ?? "");
  if (!view) throw new Response(NOT_FOUND, { status: 404 });
  return json({ timeZone: shop.timeZone, ...view });
};

// ---------------------------------------------------------------- actions

const MAX_REPLY = 5000;
const replySchema = z.object({
  body: z.string().trim().min(1, "inbox.error.replyEmpty").max(MAX_REPLY, "inbox.error.replyTooLong"),
  channel: z.enum(["email", "sms", "whatsapp"], { message: "inbox.error.channel" }).optional(),
});
const statusSchema = z.object({ status: z.enum(TICKET_STATUSES) });
const splitSchema = z.object({ messageIds: z.array(z.string().min(1).max(64)).min(1).max(500) });

/** A value for a placeholder: as is, or itself a catalogue key (a channel's name) said in the merchant's language. */
type SaidValue = string | number | { key: MessageKey };
/** Words for the merchant: a catalogue key and its placeholders, translated on the page. */
export type Said = { key: MessageKey; values?: Record<string, SaidValue> };

type Failure = { ok: false; error: string; errorKey?: MessageKey; errorValues?: Said["values"]; errors?: Record<string, { key?: MessageKey; values?: Said["values"]; text?: string }> };

function fail<I extends string>(intent: I, status: number, failure: Omit<Failure, "ok">) {
  return json({ intent, ok: false as const, ...failure } as { intent: I } & Failure, { status });
}

/** The words for each refusal of the inbox service (inbox.server.ts), in every admin language. */
export const INBOX_REFUSAL_KEYS: Record<InboxRefusalCode, MessageKey> = {
  not_found: "inbox.error.notFound",
  reply_empty: "inbox.error.replyEmpty",
  reply_too_long: "inbox.error.replyTooLong",
  no_address: "inbox.reply.noChannel",
  no_email: "inbox.errors.noEmail",
  no_phone: "inbox.errors.noPhone",
  suppressed_hard_bounce: "inbox.errors.suppressedBounce",
  suppressed_spam_complaint: "inbox.errors.suppressedSpam",
  suppressed_invalid_address: "inbox.errors.suppressedInvalid",
  suppressed_blocked: "inbox.errors.suppressedBlocked",
  stopped: "inbox.errors.stopped",
  consent_refused: "inbox.errors.consentRefused",
  whatsapp_window_closed: "inbox.errors.whatsappWindow",
  unknown_status: "inbox.error.status",
  none_selected: "inbox.error.chooseMessages",
  unknown_messages: "inbox.errors.splitUnknown",
  all_selected: "inbox.split.leaveOne",
};

/** Which reply field a refusal belongs under: what is wrong with the text, or with the channel chosen. */
const REPLY_FIELDS: Partial<Record<InboxRefusalCode, "body" | "channel">> = {
  reply_empty: "body", reply_too_long: "body",
  no_address: "channel", no_email: "channel", no_phone: "channel",
  suppressed_hard_bounce: "channel", suppressed_spam_complaint: "channel", suppressed_invalid_address: "channel", suppressed_blocked: "channel",
  stopped: "channel", consent_refused: "channel", whatsapp_window_closed: "channel",
};

/** A service refusal in the merchant's words: its key, and its params (a channel by its name). */
export function inboxRefusalSaid(refusal: Pick<InboxRefusal, "code" | "params">): Said {
  const values: Record<string, SaidValue> = {};
  for (const [name, value] of Object.entries(refusal.params ?? {})) {
    values[name] = name === "channel" ? { key: `inbox.channel.${value}` as MessageKey } : value;
  }
  return { key: INBOX_REFUSAL_KEYS[refusal.code], values };
}

function refused<I extends string>(intent: I, result: InboxRefusal) {
  const said = inboxRefusalSaid(result);
  const field = intent === "reply" ? REPLY_FIELDS[result.code] : undefined;
  return fail(intent, result.status, {
    error: result.error, errorKey: said.key, errorValues: said.values,
    ...(field ? { errors: { [field]: { key: said.key, values: said.values } } } : {}),
  });
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const ticketId = params.id ?? "";
  const form = await request.formData();
  const now = services().clock.now();
  switch (form.get("intent")) {
    case "reply": {
      const parsed = replySchema.safeParse({ body: form.get("body") ?? "", channel: form.get("channel") || undefined });
      if (!parsed.success) {
        const errors: NonNullable<Failure["errors"]> = {};
        for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= { key: issue.message as MessageKey };
        return fail("reply", 400, { error: "Fix the reply and send it again.", errorKey: "inbox.error.fixReply", errors });
      }
      const result = await replyToTicket(db(), { shopId: shop.id, ticketId, body: parsed.data.body, channel: parsed.data.channel ?? null, authorName: shop.name, now });
      // Refusals about the channel (no address, no consent, WhatsApp's 24-hour window) go under the channel, about the text under the text.
      if (!result.ok) return refused("reply", result);
      return json({ intent: "reply" as const, ok: true as const, channel: result.channel });
    }
    case "status": {
      const parsed = statusSchema.safeParse({ status: form.get("status") });
      if (!parsed.success) return fail("status", 400, { error: "Choose open, pending or closed.", errorKey: "inbox.error.status" });
      const result = await setTicketStatus(db(), { shopId: shop.id, ticketId, status: parsed.data.status, now });
      if (!result.ok) return refused("status", result);
      return json({ intent: "status" as const, ok: true as const, status: parsed.data.status });
    }
    case "split": {
      const parsed = splitSchema.safeParse({ messageIds: form.getAll("messageIds").map(String) });
      if (!parsed.success) return fail("split", 400, { error: "Choose the messages to move.", errorKey: "inbox.error.chooseMessages" });
      const result = await splitTicket(db(), { shopId: shop.id, ticketId, messageIds: parsed.data.messageIds, now });
      if (!result.ok) return refused("split", result);
      return redirect(`/app/inbox/${encodeURIComponent(result.newTicketId)}?split=1`);
    }
    default:
      return fail("unknown", 400, { error: "Unknown action.", errorKey: "inbox.error.unreadable" });
  }
};

// ---------------------------------------------------------------- the page

type View = ReturnType<typeof useLoaderData<typeof loader>>;

const DELIVERY_TONES: Record<string, "success" | "info" | "attention" | "critical" | "warning" | undefined> = {
  sent: "success", delivered: "success", opened: "success", clicked: "success",
  scheduled: "info", deferred: "attention", sending: "info",
  failed: "critical", bounced: "critical", unknown: "warning", cancelled: undefined, skipped: "warning",
};
const STATUS_TONES: Record<string, "attention" | "info" | undefined> = { open: "attention", pending: "info", closed: undefined };

/** Says a failure's words in the merchant's language (its English sentence when it has no key). */
function useSay() {
  const { t } = useI18n();
  const say = (said: { key?: MessageKey; values?: Said["values"]; text?: string } | undefined): string | undefined => {
    if (!said) return undefined;
    if (!said.key) return said.text;
    const values = Object.fromEntries(Object.entries(said.values ?? {}).map(([name, value]) => [name, typeof value === "object" ? t(value.key) : value]));
    return t(said.key, values);
  };
  return {
    say,
    failure: (result: { error: string; errorKey?: MessageKey; errorValues?: Said["values"] }) => say({ key: result.errorKey, values: result.errorValues, text: result.error }) ?? result.error,
  };
}

function useFetcherResult<T>(fetcher: { state: string; data?: T }, onResult: (data: T) => void) {
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) onResult(fetcher.data);
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps
}

export default function Ticket() {
  const view = useLoaderData<typeof loader>();
  const { ticket } = view;
  const { t } = useI18n();
  const toast = useToast();
  const [params] = useSearchParams();
  const announced = useRef<string | null>(null);
  const [splitting, setSplitting] = useState(false);
  useEffect(() => setSplitting(false), [ticket.id]);
  useEffect(() => {
    if (params.get("split") && announced.current !== ticket.id) {
      announced.current = ticket.id;
      toast(t("inbox.split.done"));
    }
  }, [params, ticket.id]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Page
      title={ticket.subject || t("inbox.noSubject")}
      subtitle={view.shopper ?? undefined}
      titleMetadata={<Badge tone={STATUS_TONES[ticket.status]}>{t(`inbox.ticketStatus.${ticket.status}` as MessageKey)}</Badge>}
      backAction={{ content: t("inbox.title"), url: "/app/inbox" }}
    >
      <Layout>
        {view.splitFrom && (
          <Layout.Section>
            <Banner tone="info">
              <Text as="p">
                {t("inbox.split.from")} <Link url={`/app/inbox/${view.splitFrom.id}`}>{view.splitFrom.subject || t("inbox.noSubject")}</Link>
              </Text>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <Conversation view={view} splitting={splitting} onStopSplitting={() => setSplitting(false)} onStartSplitting={() => setSplitting(true)} />
            <ReplyBox view={view} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <StatusCard ticketId={ticket.id} status={ticket.status} />
            <ShopperCard view={view} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Conversation({ view, splitting, onStartSplitting, onStopSplitting }: { view: View; splitting: boolean; onStartSplitting: () => void; onStopSplitting: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const format = useFormatDateTime();
  const fetcher = useFetcher<typeof action>();
  const { failure } = useSay();
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setChosen([]);
    setError(null);
  }, [splitting, view.ticket.id]);
  useFetcherResult(fetcher, (result) => {
    // Success redirects to the new conversation; only refusals come back here.
    if (result.intent !== "split" || result.ok) return;
    const message = failure(result);
    setError(message);
    toast(message, { isError: true });
  });
  const canSplit = view.messages.length > 1;
  const toggle = (id: string, on: boolean) => setChosen((current) => (on ? [...current, id] : current.filter((other) => other !== id)));
  const split = () => {
    if (chosen.length === 0) return setError(t("inbox.error.chooseMessages"));
    if (chosen.length === view.messages.length) return setError(t("inbox.split.leaveOne"));
    const form = new FormData();
    form.set("intent", "split");
    for (const id of chosen) form.append("messageIds", id);
    fetcher.submit(form, { method: "post" });
  };

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">{t("inbox.conversation")}</Text>
          {canSplit && !splitting && <Button variant="plain" onClick={onStartSplitting}>{t("inbox.split.start")}</Button>}
        </InlineStack>
        {splitting && (
          <Banner tone="info">
            <BlockStack gap="200">
              <Text as="p">{t("inbox.split.help")}</Text>
              <InlineStack gap="200">
                <Button variant="primary" onClick={split} loading={fetcher.state !== "idle"} disabled={chosen.length === 0}>
                  {t("inbox.split.move", { count: chosen.length })}
                </Button>
                <Button onClick={onStopSplitting}>{t("common.cancel")}</Button>
              </InlineStack>
              {error && <Text as="p" tone="critical">{error}</Text>}
            </BlockStack>
          </Banner>
        )}
        {view.messages.length === 0 && <Text as="p" tone="subdued">{t("inbox.noMessages")}</Text>}
        <ol style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: "var(--p-space-300)" }}>
          {view.messages.map((message) => {
            const outbound = message.direction === "outbound";
            const author = outbound
              ? (message.fromName ?? t("inbox.you"))
              : (message.fromName ?? view.contact?.name ?? message.fromAddress ?? view.shopper ?? t("inbox.unknownShopper"));
            const address = !outbound && message.fromAddress && message.fromAddress !== author ? message.fromAddress : null;
            const when = format(message.createdAt, view.timeZone);
            return (
              <li key={message.id} style={{ display: "flex", justifyContent: outbound ? "flex-end" : "flex-start", gap: "var(--p-space-200)", alignItems: "flex-start" }}>
                {splitting && !outbound && (
                  <Checkbox label={t("inbox.split.choose", { author, time: when })} labelHidden checked={chosen.includes(message.id)} onChange={(on) => toggle(message.id, on)} />
                )}
                <div style={{ maxWidth: "80%" }} aria-label={t(outbound ? "inbox.message.outbound" : "inbox.message.inbound", { author })}>
                  <Box padding="300" borderRadius="300" background={outbound ? "bg-surface-info" : "bg-surface-secondary"}>
                    <BlockStack gap="150">
                      <InlineStack gap="200" blockAlign="center" wrap>
                        <Text as="span" fontWeight="semibold">{author}</Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {address ? `${address} · ` : ""}{t(`inbox.channel.${message.channel}` as MessageKey)} · <time dateTime={message.createdAt}>{when}</time>
                        </Text>
                      </InlineStack>
                      {message.subject && message.subject !== view.ticket.subject && <Text as="p" fontWeight="medium" breakWord>{message.subject}</Text>}
                      <div style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                        <Text as="p">{message.body}</Text>
                      </div>
                      {outbound && (
                        <InlineStack gap="200" blockAlign="center">
                          {message.delivery ? (
                            <>
                              <Badge tone={DELIVERY_TONES[message.delivery.status]}>{t(`messageStatus.${message.delivery.status}` as MessageKey)}</Badge>
                              {message.delivery.reason && <Text as="span" tone="subdued" variant="bodySm" breakWord><MessageReasonText coded={message.delivery.reasonCoded} fallback={message.delivery.reason} /></Text>}
                            </>
                          ) : (
                            <Text as="span" tone="subdued" variant="bodySm">{t("inbox.delivery.none")}</Text>
                          )}
                        </InlineStack>
                      )}
                    </BlockStack>
                  </Box>
                </div>
                {splitting && outbound && (
                  <Checkbox label={t("inbox.split.choose", { author, time: when })} labelHidden checked={chosen.includes(message.id)} onChange={(on) => toggle(message.id, on)} />
                )}
              </li>
            );
          })}
        </ol>
      </BlockStack>
    </Card>
  );
}

function ReplyBox({ view }: { view: View }) {
  const { t } = useI18n();
  const toast = useToast();
  const fetcher = useFetcher<typeof action>();
  const { say, failure } = useSay();
  const channels = view.replyChannels;
  const [channel, setChannel] = useState<string>(channels[0] ?? "");
  const [body, setBody] = useState("");
  const [errors, setErrors] = useState<{ body?: string; channel?: string; general?: string }>({});
  useEffect(() => {
    setChannel(channels[0] ?? "");
    setBody("");
    setErrors({});
  }, [view.ticket.id]); // eslint-disable-line react-hooks/exhaustive-deps
  useFetcherResult(fetcher, (result) => {
    if (result.intent !== "reply") return;
    if (result.ok) {
      setBody("");
      setErrors({});
      return toast(t("inbox.reply.sent", { channel: t(`inbox.channel.${result.channel}` as MessageKey) }));
    }
    const general = failure(result);
    const fieldErrors = { body: say(result.errors?.body), channel: say(result.errors?.channel) };
    setErrors({ ...fieldErrors, general: fieldErrors.body || fieldErrors.channel ? undefined : general });
    toast(general, { isError: true });
  });

  if (channels.length === 0) {
    return (
      <Card>
        <Banner tone="warning" title={t("inbox.reply.noChannelTitle")}>
          <Text as="p">{t("inbox.reply.noChannel")}</Text>
        </Banner>
      </Card>
    );
  }
  const send = () => {
    if (!body.trim()) return setErrors({ body: t("inbox.error.replyEmpty") });
    fetcher.submit({ intent: "reply", body, channel }, { method: "post" });
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("inbox.reply.title")}</Text>
        {errors.general && <Banner tone="critical"><Text as="p">{errors.general}</Text></Banner>}
        <Select
          label={t("inbox.reply.channel")}
          options={channels.map((value) => ({ value, label: t(`inbox.channel.${value}` as MessageKey) }))}
          value={channel}
          onChange={(value) => {
            setChannel(value);
            setErrors((current) => ({ ...current, channel: undefined }));
          }}
          helpText={channels.length > 1 ? t("inbox.reply.channelHelp") : undefined}
          error={errors.channel}
        />
        <TextField
          label={t("inbox.reply.label")}
          value={body}
          onChange={(value) => {
            setBody(value);
            setErrors((current) => ({ ...current, body: undefined }));
          }}
          multiline={5}
          maxLength={MAX_REPLY}
          autoComplete="off"
          error={errors.body}
          helpText={channel === "sms" || channel === "whatsapp" ? t("inbox.reply.textHelp") : t("inbox.reply.emailHelp")}
        />
        <InlineStack align="end">
          <Button variant="primary" onClick={send} loading={fetcher.state !== "idle"}>{t("inbox.reply.send")}</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function StatusCard({ ticketId, status }: { ticketId: string; status: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const fetcher = useFetcher<typeof action>();
  const { failure } = useSay();
  const pending = fetcher.formData?.get("status");
  useFetcherResult(fetcher, (result) => {
    if (result.intent !== "status") return;
    if (result.ok) toast(t("inbox.statusChanged", { status: t(`inbox.ticketStatus.${result.status}` as MessageKey) }));
    else toast(failure(result), { isError: true });
  });
  return (
    <Card key={ticketId}>
      <Select
        label={t("inbox.col.status")}
        options={TICKET_STATUSES.map((value) => ({ value, label: t(`inbox.ticketStatus.${value}` as MessageKey) }))}
        value={typeof pending === "string" ? pending : status}
        disabled={fetcher.state !== "idle"}
        onChange={(value) => fetcher.submit({ intent: "status", status: value }, { method: "post" })}
        helpText={t("inbox.statusHelp")}
      />
    </Card>
  );
}

function ShopperCard({ view }: { view: View }) {
  const { t } = useI18n();
  const format = useFormatDateTime();
  const { ticket, contact } = view;
  const email = ticket.email ?? contact?.email;
  const phone = ticket.phone ?? contact?.phone;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("inbox.shopper")}</Text>
        <BlockStack gap="100">
          <Text as="p" fontWeight="semibold">{contact?.name ?? view.shopper ?? t("inbox.unknownShopper")}</Text>
          {email && <Text as="p" breakWord>{email}</Text>}
          {phone && <Text as="p">{phone}</Text>}
          {contact && <Link url={`/app/customers/${contact.id}`}>{t("inbox.viewTimeline")}</Link>}
        </BlockStack>
        <BlockStack gap="100">
          <Text as="p" tone="subdued">{t("inbox.firstChannel", { channel: t(`inbox.channel.${ticket.channel}` as MessageKey) })}</Text>
          {ticket.orderName && <Text as="p">{t("inbox.order", { order: ticket.orderName })}</Text>}
          <Text as="p" tone="subdued">{t("inbox.openedAt", { time: format(ticket.createdAt, view.timeZone) })}</Text>
        </BlockStack>
        {view.splitInto.length > 0 && (
          <BlockStack gap="100">
            <Text as="p" tone="subdued">{t("inbox.split.into")}</Text>
            {view.splitInto.map((other) => (
              <Link key={other.id} url={`/app/inbox/${other.id}`}>{other.subject || t("inbox.noSubject")}</Link>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

export const ErrorBoundary = notFoundBoundary({ notFound: "inbox.notFound", list: { title: "inbox.title", url: "/app/inbox" } });
