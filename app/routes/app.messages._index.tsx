import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, ChoiceList, Filters, IndexTable, InlineStack, Link, Page, Pagination, Tabs, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "~/components/i18n-context";
import { LANGUAGE_NAMES } from "~/components/language-names";
import { useMessageReason } from "~/components/message-reason";
import { AUTOMATION_TYPES } from "~/domain/automations/definitions";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { services } from "~/server/container.server";
import { db } from "~/server/db.server";
import { listMessages, messageListQuery, type MessageListQuery, type MessageTab } from "~/server/services/message-log.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const query = messageListQuery(new URL(request.url).searchParams);
  // "Last 24 hours" follows the app's clock (the demo store's can be moved forward).
  return json({ timeZone: shop.timeZone, ...(await listMessages(db(), shop.id, query, { now: services().clock.now(), timeZone: shop.timeZone })) });
};

// The browser cannot import the server module's lists: the same values, in the order shown.
const MESSAGE_TABS: readonly MessageTab[] = ["all", "pending", "sent", "delivered", "problems", "not_sent"];
const CHANNELS = ["email", "sms", "whatsapp"] as const;
const AUTOMATIONS = [...AUTOMATION_TYPES, "inbox_reply"] as const;
const DATE_CHOICES = ["24h", "7d", "30d", "custom"] as const;

const STATUS_TONES: Record<string, "success" | "info" | "attention" | "critical" | "warning" | undefined> = {
  sent: "success", delivered: "success", opened: "success", clicked: "success",
  scheduled: "info", deferred: "attention", sending: "info",
  failed: "critical", bounced: "critical", unknown: "warning", cancelled: undefined, skipped: undefined,
};

type Query = MessageListQuery;

function listUrl(query: Query, page = 1) {
  const params = new URLSearchParams();
  if (query.status !== "all") params.set("status", query.status);
  for (const channel of query.channels) params.append("channel", channel);
  for (const automation of query.automations) params.append("automation", automation);
  if (query.date !== "all") params.set("date", query.date);
  if (query.date === "custom" && query.from) params.set("from", query.from);
  if (query.date === "custom" && query.to) params.set("to", query.to);
  if (query.q) params.set("q", query.q);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `/app/messages?${search}` : "/app/messages";
}

const NO_FILTERS: Pick<Query, "channels" | "automations" | "date" | "from" | "to" | "q"> = { channels: [], automations: [], date: "all", from: null, to: null, q: "" };

/** A label for a key that may not exist (a status or event type added later): the raw value then. */
function useLabel() {
  const { t } = useI18n();
  return (key: string, fallback: string) => {
    const text = t(key as MessageKey);
    return text === key ? fallback : text;
  };
}

/** What a message is: its message type ("Review reminder"), else its automation. */
function useMessageKind() {
  const label = useLabel();
  const { t } = useI18n();
  return (message: { automation: string; messageType: string | null }) =>
    message.messageType
      ? label(`messageType.${message.messageType}`, message.messageType)
      : message.automation === "inbox_reply"
        ? t("messageLog.kind.inboxReply")
        : label(`automation.${message.automation}`, message.automation);
}

function automationName(t: ReturnType<typeof useI18n>["t"], automation: string) {
  return automation === "inbox_reply" ? t("messageLog.automation.inbox_reply") : t(`automation.${automation}` as MessageKey);
}

export default function Messages() {
  const data = useLoaderData<typeof loader>();
  const { query, counts, unknown } = data;
  const { t } = useI18n();
  const tabName = (tab: MessageTab) => t(`messageLog.tab.${tab}` as MessageKey);
  const tabs = MESSAGE_TABS.map((tab) => ({
    id: `messages-${tab}`,
    content: tabName(tab),
    badge: String(counts[tab]),
    accessibilityLabel: t("messageLog.tabLabel", { tab: tabName(tab), count: counts[tab] }),
    url: listUrl({ ...query, status: tab }),
    panelID: "messages-panel",
  }));

  return (
    <Page title={t("messages.title")} subtitle={t("messages.subtitle")}>
      <BlockStack gap="400">
        {unknown > 0 && (
          <Banner tone="warning" action={query.status === "problems" ? undefined : { content: t("messageLog.showProblems"), url: listUrl({ ...query, ...NO_FILTERS, status: "problems" }) }}>
            <Text as="p">{t("messages.unknownBanner", { count: unknown })}</Text>
          </Banner>
        )}
        {data.anyMessages ? (
          <Card padding="0">
            <Tabs tabs={tabs} selected={MESSAGE_TABS.indexOf(query.status)} />
            <div id="messages-panel">
              <MessageFilters query={query} timeZone={data.timeZone} />
              <MessageTable data={data} />
              {data.pageCount > 1 && (
                <Box padding="300">
                  <InlineStack align="center">
                    <Pagination
                      hasPrevious={query.page > 1}
                      previousURL={listUrl(query, query.page - 1)}
                      hasNext={query.page < data.pageCount}
                      nextURL={listUrl(query, query.page + 1)}
                      label={t("common.pageOf", { page: query.page, pages: data.pageCount })}
                    />
                  </InlineStack>
                </Box>
              )}
            </div>
          </Card>
        ) : (
          <NoMessagesYet />
        )}
      </BlockStack>
    </Page>
  );
}

function NoMessagesYet() {
  const { t } = useI18n();
  return (
    <Card>
      <Box padding="400">
        <BlockStack gap="300" inlineAlign="center">
          <Text as="h2" variant="headingMd">{t("messages.empty")}</Text>
          <div style={{ maxWidth: 560 }}>
            <Text as="p" alignment="center">{t("messageLog.empty.body")}</Text>
          </div>
          <Button url="/app/automations">{t("messageLog.empty.action")}</Button>
        </BlockStack>
      </Box>
    </Card>
  );
}

function formatDay(locale: string, day: string) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

function MessageFilters({ query, timeZone }: { query: Query; timeZone: string }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const navigation = useNavigation();
  // While the next page loads, the choices already show what was clicked.
  const next = navigation.location?.pathname === "/app/messages" ? new URLSearchParams(navigation.location.search) : null;
  const chosen = next
    ? {
        channels: next.getAll("channel"),
        automations: next.getAll("automation"),
        date: next.get("date") ?? (next.get("from") || next.get("to") ? "custom" : "all"),
      }
    : { channels: query.channels as string[], automations: query.automations, date: query.date as string };
  const [search, setSearch] = useState(query.q);
  // The search this field last asked for: when its results arrive, what was typed since stays.
  const asked = useRef(query.q);
  const latest = useRef(query);
  latest.current = query;
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if (query.q !== asked.current) setSearch(query.q); // changed elsewhere (back button, a link)
    asked.current = query.q;
  }, [query.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  /** Every change goes to the URL (the loader filters); what is typed in the search field goes along. */
  const go = (changes: Partial<Query>, options: { replace?: boolean; q?: string } = {}) => {
    clearTimeout(timer.current);
    const next = { ...latest.current, q: options.q ?? search.trim(), ...changes };
    asked.current = next.q;
    navigate(listUrl(next), { replace: options.replace, preventScrollReset: true });
  };
  // Typing searches after a pause; each pause replaces the history entry rather than adding one.
  const type = (value: string) => {
    setSearch(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (value.trim() !== asked.current) go({}, { replace: true, q: value.trim() });
    }, 400);
  };

  const channelName = (channel: string) => t(`channel.${channel}` as MessageKey);
  const dateName = (date: string) => t(`messageLog.date.${date}` as MessageKey);
  const customLabel = () => {
    if (query.from && query.to) return t("messageLog.date.between", { from: formatDay(locale, query.from), to: formatDay(locale, query.to) });
    if (query.from) return t("messageLog.date.since", { from: formatDay(locale, query.from) });
    if (query.to) return t("messageLog.date.until", { to: formatDay(locale, query.to) });
    return dateName("custom");
  };

  const filters = [
    {
      key: "channel",
      label: t("messageLog.filter.channel"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("messageLog.filter.channel")}
          titleHidden
          allowMultiple
          choices={CHANNELS.map((value) => ({ value, label: channelName(value) }))}
          selected={chosen.channels}
          onChange={(channels) => go({ channels: channels as Query["channels"] })}
        />
      ),
    },
    {
      key: "automation",
      label: t("messageLog.filter.automation"),
      pinned: true,
      filter: (
        <ChoiceList
          title={t("messageLog.filter.automation")}
          titleHidden
          allowMultiple
          choices={AUTOMATIONS.map((value) => ({ value, label: automationName(t, value) }))}
          selected={chosen.automations}
          onChange={(automations) => go({ automations })}
        />
      ),
    },
    {
      key: "date",
      label: t("messageLog.filter.date"),
      pinned: true,
      filter: (
        <BlockStack gap="200">
          <ChoiceList
            title={t("messageLog.filter.date")}
            titleHidden
            choices={DATE_CHOICES.map((value) => ({ value, label: dateName(value) }))}
            selected={chosen.date === "all" ? [] : [chosen.date]}
            onChange={([date]) => go({ date: (date ?? "all") as Query["date"] })}
          />
          {chosen.date === "custom" && <DateRangeFields query={query} onChange={(from, to) => go({ date: "custom", from, to })} />}
          {chosen.date === "custom" && <Text as="p" tone="subdued" variant="bodySm">{t("messageLog.date.help", { zone: timeZone })}</Text>}
        </BlockStack>
      ),
    },
  ];

  const applied = [
    ...(query.channels.length
      ? [{ key: "channel", label: t("messageLog.applied.channel", { value: query.channels.map(channelName).join(", ") }), onRemove: () => go({ channels: [] }) }]
      : []),
    ...(query.automations.length
      ? [{ key: "automation", label: t("messageLog.applied.automation", { value: query.automations.map((value) => automationName(t, value)).join(", ") }), onRemove: () => go({ automations: [] }) }]
      : []),
    ...(query.date !== "all"
      ? [{ key: "date", label: query.date === "custom" ? customLabel() : dateName(query.date), onRemove: () => go({ date: "all", from: null, to: null }) }]
      : []),
  ];

  return (
    <Filters
      queryValue={search}
      queryPlaceholder={t("messageLog.searchPlaceholder")}
      filters={filters}
      appliedFilters={applied}
      onQueryChange={type}
      onQueryClear={() => {
        setSearch("");
        go({}, { q: "" });
      }}
      onClearAll={() => {
        setSearch("");
        go({ ...NO_FILTERS }, { q: "" });
      }}
      loading={navigation.state === "loading" && navigation.location?.pathname === "/app/messages"}
    />
  );
}

function DateRangeFields({ query, onChange }: { query: Query; onChange: (from: string | null, to: string | null) => void }) {
  const { t } = useI18n();
  const [from, setFrom] = useState(query.from ?? "");
  const [to, setTo] = useState(query.to ?? "");
  useEffect(() => {
    setFrom(query.from ?? "");
    setTo(query.to ?? "");
  }, [query.from, query.to]);
  const valid = (value: string) => value === "" || /^\d{4}-\d{2}-\d{2}$/.test(value);
  const change = (nextFrom: string, nextTo: string) => {
    if (valid(nextFrom) && valid(nextTo)) onChange(nextFrom || null, nextTo || null);
  };
  return (
    <InlineStack gap="200" wrap={false}>
      <TextField
        label={t("messageLog.date.from")}
        type="date"
        value={from}
        max={to || undefined}
        autoComplete="off"
        onChange={(value) => {
          setFrom(value);
          change(value, to);
        }}
      />
      <TextField
        label={t("messageLog.date.to")}
        type="date"
        value={to}
        min={from || undefined}
        autoComplete="off"
        onChange={(value) => {
          setTo(value);
          change(from, value);
        }}
      />
    </InlineStack>
  );
}

function MessageTable({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { t, locale } = useI18n();
  const label = useLabel();
  const kind = useMessageKind();
  const { messages, query, timeZone } = data;
  const reasonOf = useMessageReason(timeZone);
  // In the merchant's language when the reason has a code; as stored (English) otherwise.
  const reasons = new Map(messages.map((message) => [message.id, reasonOf(message.reasonCoded, message.reason)]));
  const format = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
  const filtered = query.channels.length > 0 || query.automations.length > 0 || query.date !== "all" || query.q !== "";

  if (messages.length === 0) {
    return (
      <Box padding="600">
        <BlockStack gap="300" inlineAlign="center">
          <Text as="p" variant="headingSm">{filtered ? t("messageLog.noMatch") : t(`messageLog.emptyTab.${query.status}` as MessageKey)}</Text>
          {filtered && <Button url={listUrl({ ...query, ...NO_FILTERS })}>{t("messageLog.clearFilters")}</Button>}
        </BlockStack>
      </Box>
    );
  }

  return (
    <IndexTable
      resourceName={{ singular: t("messageLog.resource.one"), plural: t("messageLog.resource.other") }}
      itemCount={messages.length}
      selectable={false}
      headings={[
        { title: t("messageLog.col.when") },
        { title: t("messageLog.col.shopper") },
        { title: t("messageLog.col.channel") },
        { title: t("messageLog.col.message") },
        { title: t("messageLog.col.status") },
        { title: t("messageLog.col.language") },
      ]}
    >
      {messages.map((message, index) => (
        <IndexTable.Row id={message.id} key={message.id} position={index}>
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Text as="span"><time dateTime={message.when}>{format(message.when)}</time></Text>
              <Text as="span" tone="subdued" variant="bodySm">{t(message.sent ? "messageLog.when.sent" : "messageLog.when.due")}</Text>
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Link url={`/app/messages/${message.id}`} removeUnderline dataPrimaryLink>
                <Text as="span" fontWeight="semibold">{message.shopper ?? message.address ?? t("messageLog.unknownShopper")}</Text>
              </Link>
              {message.shopper && message.address && <Text as="span" tone="subdued" variant="bodySm">{message.address}</Text>}
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>{label(`channel.${message.channel}`, message.channel)}</IndexTable.Cell>
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Text as="span">{kind(message)}</Text>
              {message.messageType && (
                <Text as="span" tone="subdued" variant="bodySm">{label(`automation.${message.automation}`, message.automation)}</Text>
              )}
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ whiteSpace: "normal", minWidth: 160, maxWidth: 360 }}>
              <BlockStack gap="100" inlineAlign="start">
                <Badge tone={STATUS_TONES[message.status]}>{label(`messageStatus.${message.status}`, message.status)}</Badge>
                {reasons.get(message.id) && (
                  <div style={{ display: "-webkit-box", WebkitLineClamp: 2, WebkitBoxOrient: "vertical", overflow: "hidden" }} title={reasons.get(message.id)!}>
                    <Text as="span" tone="subdued" variant="bodySm" breakWord>{reasons.get(message.id)}</Text>
                  </div>
                )}
              </BlockStack>
            </div>
          </IndexTable.Cell>
          <IndexTable.Cell>{message.locale ? (LANGUAGE_NAMES[message.locale] ?? message.locale) : "—"}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
