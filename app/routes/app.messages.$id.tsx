import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Collapsible, Divider, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { notFoundBoundary } from "~/components/not-found-boundary";
import { useI18n } from "~/components/i18n-context";
import { LANGUAGE_NAMES } from "~/components/language-names";
import { useMessageReason } from "~/components/message-reason";
import { TextPreview } from "~/components/text-preview";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { messageView } from "~/server/services/message-log.server";

const NOT_FOUND = "This message does not exist in your store.";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const view = await messageView(db(), shop.id, params.id ?? "");
  if (!view) throw new Response(NOT_FOUND, { status: 404 });
  return json({ timeZone: shop.timeZone, ...view });
};

// ---------------------------------------------------------------- the page

type View = ReturnType<typeof useLoaderData<typeof loader>>;
type TimelineEvent = View["events"][number];

const STATUS_TONES: Record<string, "success" | "info" | "attention" | "critical" | "warning" | undefined> = {
  sent: "success", delivered: "success", opened: "success", clicked: "success",
  scheduled: "info", deferred: "attention", sending: "info",
  failed: "critical", bounced: "critical", unknown: "warning", cancelled: undefined, skipped: undefined,
};

/** Timeline dots: green when the message moved forward, red when it failed, amber when it waited. */
const EVENT_TONES: Record<string, "success" | "critical" | "caution" | undefined> = {
  sent: "success", delivered: "success", opened: "success", clicked: "success", read: "success",
  failed: "critical", bounced: "critical", dropped: "critical", unknown: "critical", spam_report: "critical", opted_out: "critical", whatsapp_window: "critical",
  deferred: "caution", retry: "caution", provider_deferred: "caution", cancelled: "caution", skipped: "caution", unsubscribe: "caution",
};
const DOT_COLOURS = { success: "var(--p-color-icon-success)", critical: "var(--p-color-icon-critical)", caution: "var(--p-color-icon-caution)" } as const;

/** A label for a key that may not exist (a status or event type added later): the raw value then. */
function useLabel() {
  const { t } = useI18n();
  return (key: string, fallback: string) => {
    const text = t(key as MessageKey);
    return text === key ? fallback : text;
  };
}

function useFormat(timeZone: string) {
  const { locale } = useI18n();
  return (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}

export default function MessageDetail() {
  const view = useLoaderData<typeof loader>();
  const { message } = view;
  const { t } = useI18n();
  const label = useLabel();
  const kind = message.messageType
    ? label(`messageType.${message.messageType}`, message.messageType)
    : message.automation === "inbox_reply"
      ? t("messageLog.kind.inboxReply")
      : label(`automation.${message.automation}`, message.automation);
  const channel = label(`channel.${message.channel}`, message.channel);

  return (
    <Page
      title={kind}
      titleMetadata={<Badge tone={STATUS_TONES[message.status]}>{label(`messageStatus.${message.status}`, message.status)}</Badge>}
      subtitle={t("messageLog.detail.subtitle", { shopper: view.shopper ?? t("messageLog.unknownShopper"), channel })}
      backAction={{ content: t("messages.title"), url: "/app/messages" }}
    >
      <Layout>
        <StatusBanner view={view} />
        <Layout.Section>
          <BlockStack gap="400">
            <ContentCard view={view} />
            <TimelineCard view={view} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <ShopperCard view={view} />
            <DetailsCard view={view} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** Why the message stands where it does, when that needs the merchant's eye. */
function StatusBanner({ view }: { view: View }) {
  const { t } = useI18n();
  const format = useFormat(view.timeZone);
  const reasonOf = useMessageReason(view.timeZone);
  const { message } = view;
  // In the merchant's language when Avisa stored a code; the English as stored otherwise.
  const reason = message.statusReason != null ? reasonOf(message.statusReasonCoded, message.statusReason) : reasonOf(message.errorCoded, message.error);
  const lastError = reasonOf(message.errorCoded, message.error);
  let banner: ReactNode = null;
  switch (message.status) {
    case "unknown":
      banner = (
        <Banner tone="warning" title={t("messageLog.detail.unknownTitle")}>
          <BlockStack gap="200">
            <Text as="p">{t("messageLog.detail.unknownBody", { provider: message.provider ?? t("messageLog.detail.theProvider") })}</Text>
            {reason && <Text as="p" tone="subdued" breakWord>{reason}</Text>}
          </BlockStack>
        </Banner>
      );
      break;
    case "failed":
    case "bounced":
      banner = (
        <Banner tone="critical" title={t(message.status === "bounced" ? "messageLog.detail.bouncedTitle" : "messageLog.detail.failedTitle")}>
          {reason && <Text as="p" breakWord>{reason}</Text>}
        </Banner>
      );
      break;
    case "deferred":
      banner = (
        <Banner tone="info" title={t("messageLog.detail.deferredTitle", { time: format(message.runAt) })}>
          {reason && <Text as="p" breakWord>{reason}</Text>}
        </Banner>
      );
      break;
    case "skipped":
    case "cancelled":
      banner = (
        <Banner tone="info" title={t(message.status === "skipped" ? "messageLog.detail.skippedTitle" : "messageLog.detail.cancelledTitle")}>
          {reason && <Text as="p" breakWord>{reason}</Text>}
        </Banner>
      );
      break;
    case "scheduled":
      // A retry waits as `scheduled` with the last error kept.
      if (lastError) {
        banner = (
          <Banner tone="warning" title={t("messageLog.detail.retryTitle", { time: format(message.runAt), attempts: message.attempts })}>
            <Text as="p" breakWord>{lastError}</Text>
          </Banner>
        );
      }
      break;
  }
  return banner ? <Layout.Section>{banner}</Layout.Section> : null;
}

function ContentCard({ view }: { view: View }) {
  const { t } = useI18n();
  const { message, content, draft } = view;
  const isEmail = message.channel === "email";
  const text = content?.text ?? draft?.text ?? null;
  const subject = content?.subject ?? draft?.subject ?? null;
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">{t(content ? "messageLog.detail.asSent" : "messageLog.detail.content")}</Text>
          {draft && <Text as="p" tone="subdued">{t("messageLog.detail.draftNote")}</Text>}
        </BlockStack>
        {!content && !draft && <Text as="p" tone="subdued">{t(noContentKey(message.status, !!message.messageType))}</Text>}
        {(content || draft) && isEmail && (
          <BlockStack gap="300">
            <Text as="p">
              <Text as="span" tone="subdued">{t("messageLog.detail.subject")}: </Text>
              <Text as="span" fontWeight="semibold">{subject ?? "—"}</Text>
            </Text>
            {content?.html && (
              <Box background="bg-surface-secondary" padding="300" borderRadius="300">
                {/* As the shopper got it, with no scripts, forms or same-origin access. */}
                <iframe
                  title={t("messageLog.detail.frameTitle")}
                  data-testid="message-html"
                  sandbox=""
                  srcDoc={content.html}
                  style={{ display: "block", width: "100%", maxWidth: 640, height: frameHeight(text), margin: "0 auto", border: "1px solid #e3e3e3", borderRadius: 8, background: "#fff" }}
                />
              </Box>
            )}
            {text != null && <PlainText text={text} collapsed={!!content?.html} />}
          </BlockStack>
        )}
        {(content || draft) && !isEmail && text != null && (
          <BlockStack gap="200">
            <TextPreview channel={message.channel === "whatsapp" ? "whatsapp" : "sms"} text={text} length={view.length} />
            {content?.contentSid && <Text as="p" tone="subdued">{t("messageLog.detail.whatsappTemplate", { sid: content.contentSid })}</Text>}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

/**
 * A sandboxed frame cannot be measured from outside (no same-origin access), so its height is
 * guessed from the plain-text part: a short reply gets a short frame, a full template scrolls.
 */
function frameHeight(text: string | null): number {
  const lines = text ? text.split("\n").length : 20;
  return Math.min(640, Math.max(200, 120 + lines * 24));
}

/** The plain-text part of an email: folded away under the HTML, which is what most shoppers see. */
function PlainText({ text, collapsed }: { text: string; collapsed: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(!collapsed);
  const body = (
    <Box background="bg-surface-secondary" padding="300" borderRadius="300">
      <div data-testid="message-text" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", fontSize: 13, lineHeight: 1.5 }}>{text}</div>
    </Box>
  );
  if (!collapsed) {
    return (
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">{t("messageLog.detail.plainText")}</Text>
        {body}
      </BlockStack>
    );
  }
  return (
    <BlockStack gap="200">
      <InlineStack>
        <Button variant="plain" disclosure={open ? "up" : "down"} onClick={() => setOpen(!open)} ariaExpanded={open} ariaControls="message-plain-text">
          {t("messageLog.detail.plainText")}
        </Button>
      </InlineStack>
      <Collapsible id="message-plain-text" open={open}>{body}</Collapsible>
    </BlockStack>
  );
}

function noContentKey(status: string, templated: boolean): MessageKey {
  if (status === "scheduled" || status === "deferred") return templated ? "messageLog.detail.renderedAtSend" : "messageLog.detail.composedAtSend";
  if (status === "sending") return "messageLog.detail.sendingNow";
  if (status === "unknown") return "messageLog.detail.noContentUnknown";
  if (status === "cancelled" || status === "skipped" || status === "failed") return "messageLog.detail.neverSent";
  return "messageLog.detail.noContent";
}

function TimelineCard({ view }: { view: View }) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">{t("messageLog.detail.timeline")}</Text>
        {view.eventsTruncated && <Text as="p" tone="subdued">{t("messageLog.detail.timelineTruncated", { count: view.events.length })}</Text>}
        {view.events.length === 0 ? (
          <Text as="p" tone="subdued">{t("messageLog.detail.noEvents")}</Text>
        ) : (
          <ol data-testid="message-timeline" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {view.events.map((event, index) => (
              <TimelineItem key={event.id} event={event} view={view} last={index === view.events.length - 1} />
            ))}
          </ol>
        )}
      </BlockStack>
    </Card>
  );
}

function TimelineItem({ event, view, last }: { event: TimelineEvent; view: View; last: boolean }) {
  const { t } = useI18n();
  const label = useLabel();
  const format = useFormat(view.timeZone);
  const detail = useMessageReason(view.timeZone)(event.reasonCoded, event.detail);
  // WhatsApp reports a read receipt where email reports an open.
  const type = event.type === "opened" && view.message.channel === "whatsapp" ? "read" : event.type;
  const tone = EVENT_TONES[type];
  const extra = (() => {
    if (!event.at) return null;
    if (type === "scheduled" || type === "rescheduled") return t("messageLog.event.dueAt", { time: format(event.at) });
    if (type === "retry") return t("messageLog.event.retryAt", { time: format(event.at) });
    if (type === "deferred") return t("messageLog.event.deferredUntil", { time: format(event.at) });
    return null;
  })();
  return (
    <li style={{ display: "flex", gap: "var(--p-space-300)" }}>
      <div aria-hidden="true" style={{ display: "flex", flexDirection: "column", alignItems: "center", width: 12, flexShrink: 0 }}>
        <span style={{ width: 10, height: 10, marginTop: 5, borderRadius: "50%", background: tone ? DOT_COLOURS[tone] : "var(--p-color-icon-secondary)" }} />
        {!last && <span style={{ flex: 1, width: 2, marginTop: 4, background: "var(--p-color-border-secondary)" }} />}
      </div>
      <div style={{ flex: 1, minWidth: 0, paddingBottom: last ? 0 : "var(--p-space-400)" }}>
        <BlockStack gap="050">
          <InlineStack gap="200" blockAlign="baseline" wrap>
            <Text as="span" fontWeight="semibold">{label(`messageLog.event.${type}`, type)}</Text>
            {event.deferredBy && <Badge tone="attention">{t(`messageLog.event.deferredBy.${event.deferredBy}` as MessageKey)}</Badge>}
            <Text as="span" tone="subdued" variant="bodySm"><time dateTime={event.occurredAt}>{format(event.occurredAt)}</time></Text>
          </InlineStack>
          {extra && <Text as="span">{extra}</Text>}
          {detail && <Text as="span" tone="subdued" variant="bodySm" breakWord>{detail}</Text>}
        </BlockStack>
      </div>
    </li>
  );
}

function ShopperCard({ view }: { view: View }) {
  const { t } = useI18n();
  const { contact } = view;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("messageLog.detail.shopper")}</Text>
        <BlockStack gap="100">
          <Text as="p" fontWeight="semibold">{contact?.name ?? view.shopper ?? t("messageLog.unknownShopper")}</Text>
          {contact?.email && <Text as="p" breakWord>{contact.email}</Text>}
          {contact?.phone && <Text as="p">{contact.phone}</Text>}
        </BlockStack>
        {(contact || view.ticketId || view.order) && (
          <BlockStack gap="100">
            {contact && <Link url={`/app/customers/${contact.id}`}>{t("messageLog.detail.customerTimeline")}</Link>}
            {view.ticketId && <Link url={`/app/inbox/${view.ticketId}`}>{t("messageLog.detail.conversation")}</Link>}
            {view.order && <Text as="p" tone="subdued">{t("messageLog.detail.order", { order: view.order.name })}</Text>}
          </BlockStack>
        )}
        {!contact && <Text as="p" tone="subdued">{t("messageLog.detail.noContact")}</Text>}
      </BlockStack>
    </Card>
  );
}

function DetailsCard({ view }: { view: View }) {
  const { t } = useI18n();
  const label = useLabel();
  const format = useFormat(view.timeZone);
  const reasonOf = useMessageReason(view.timeZone);
  const { message } = view;
  const automation = message.automation === "inbox_reply" ? t("messageLog.automation.inbox_reply") : label(`automation.${message.automation}`, message.automation);
  const rows: [string, ReactNode][] = [
    [t("messageLog.detail.recipient"), message.recipient ?? "—"],
    [t("messageLog.detail.channel"), label(`channel.${message.channel}`, message.channel)],
    [t("messageLog.detail.automation"), message.automation === "inbox_reply" ? automation : t("messageLog.detail.automationStep", { automation, step: message.step })],
    [t("messageLog.detail.purpose"), label(`messageLog.purpose.${message.purpose}`, message.purpose)],
    [t("messageLog.detail.language"), message.locale ? (LANGUAGE_NAMES[message.locale] ?? message.locale) : "—"],
    [t("messageLog.detail.provider"), message.provider ?? "—"],
    [t("messageLog.detail.externalId"), message.externalId ? <code style={{ overflowWrap: "anywhere" }}>{message.externalId}</code> : "—"],
    [t("messageLog.detail.attempts"), String(message.attempts)],
  ];
  const times: [string, string | null][] = [
    [t("messageLog.detail.created"), message.createdAt],
    [t("messageLog.detail.due"), message.sentAt ? null : message.runAt],
    [t("messageLog.detail.sentAt"), message.sentAt],
    [t("messageLog.detail.deliveredAt"), message.deliveredAt],
    [t("messageLog.detail.openedAt"), message.openedAt],
    [t("messageLog.detail.clickedAt"), message.clickedAt],
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("messageLog.detail.details")}</Text>
        <dl style={{ margin: 0, display: "grid", gridTemplateColumns: "auto 1fr", columnGap: "var(--p-space-300)", rowGap: "var(--p-space-150)" }}>
          {rows.map(([term, value]) => (
            <Row key={term} term={term} value={value} />
          ))}
        </dl>
        {message.error && message.error !== message.statusReason && message.status !== "scheduled" && (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">{t("messageLog.detail.error")}</Text>
            <Text as="p" tone="critical" breakWord>{reasonOf(message.errorCoded, message.error)}</Text>
          </BlockStack>
        )}
        <Divider />
        <dl style={{ margin: 0, display: "grid", gridTemplateColumns: "auto 1fr", columnGap: "var(--p-space-300)", rowGap: "var(--p-space-150)" }}>
          {times.filter(([, value]) => value).map(([term, value]) => (
            <Row key={term} term={term} value={<time dateTime={value!}>{format(value!)}</time>} />
          ))}
        </dl>
      </BlockStack>
    </Card>
  );
}

function Row({ term, value }: { term: string; value: ReactNode }) {
  return (
    <>
      <dt><Text as="span" tone="subdued">{term}</Text></dt>
      <dd style={{ margin: 0, minWidth: 0 }}><Text as="span" breakWord>{value}</Text></dd>
    </>
  );
}

export const ErrorBoundary = notFoundBoundary({ notFound: "messageLog.notFound", list: { title: "messages.title", url: "/app/messages" } });
