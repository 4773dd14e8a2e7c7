import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge, Banner, BlockStack, Box, Button, ButtonGroup, Card, ChoiceList, DropZone, IndexTable, InlineError, InlineGrid, InlineStack, Link, List, Modal,
  Page, Pagination, Tabs, Text, TextField, Thumbnail, useIndexResourceState,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { useToast } from "~/components/admin-shell";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { moderationActions, PUBLISH_RULES, type ModerationAction } from "~/domain/reviews/publish-rule";
import type { CsvProblemCode } from "~/domain/reviews/judgeme-csv";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { services } from "~/server/container.server";
import { db } from "~/server/db.server";
import { listReviews, reviewListQuery, saveAutoPublishRule, type ReviewTab } from "~/server/services/admin-review-queries.server";
import { importReviewsCsv, MAX_IMPORT_BYTES, type ImportProblem as ServiceImportProblem, type ImportProblemCode, type ImportRefusalCode } from "~/server/services/review-import.server";
import { featureReview, moderateReviews, replyToReview, type ReviewRefusalCode } from "~/server/services/reviews.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const query = reviewListQuery(new URL(request.url).searchParams);
  // Signed thumbnail and export links expire by the wall clock, not the demo clock.
  return json({ timeZone: shop.timeZone, ...(await listReviews(db(), shop.id, query, new Date())) });
};

// ---------------------------------------------------------------- actions

const MAX_REPLY = 2000;
const idSchema = z.string().min(1).max(64);
const moderateSchema = z.object({ action: z.enum(["publish", "reject", "restore"]), ids: z.array(idSchema).min(1).max(250) });
const featureSchema = z.object({ id: idSchema, featured: z.enum(["true", "false"]).transform((value) => value === "true") });
const replySchema = z.object({ id: idSchema, body: z.string().max(MAX_REPLY, "reviews.error.replyTooLong") });
const ruleSchema = z.object({ rule: z.enum(PUBLISH_RULES) });

/** A line of an imported file that was not imported (or was, with a note): in the merchant's words when it has a key. */
type ImportProblem = { line: number; message: string; key?: MessageKey; values?: Record<string, string | number> };
type Failure = { ok: false; error: string; errorKey?: MessageKey; errorValues?: Record<string, string>; errors?: Record<string, MessageKey>; problems?: ImportProblem[] };

function fail<I extends string>(intent: I, status: number, failure: Omit<Failure, "ok">) {
  return json({ intent, ok: false as const, ...failure } as { intent: I } & Failure, { status });
}

/** The words for each refusal of the reviews service; `not_allowed` says where the review is already. */
export const REVIEW_REFUSAL_KEYS: Record<Exclude<ReviewRefusalCode, "not_allowed">, MessageKey> & { not_allowed: Record<"pending" | "published" | "rejected", MessageKey> } = {
  not_found: "reviews.error.notFound",
  reply_too_long: "reviews.error.replyTooLong",
  unknown_action: "reviews.errors.unknownAction",
  unknown_status: "reviews.errors.unknownStatus",
  not_allowed: { pending: "reviews.errors.alreadyPending", published: "reviews.errors.alreadyPublished", rejected: "reviews.errors.alreadyRejected" },
};
/** Nothing imported: too large, or no line could be read (`importNothing` when the lines' problems are listed). */
export const IMPORT_REFUSAL_KEYS: Record<Exclude<ImportRefusalCode, "no_reviews">, MessageKey> & { no_reviews: { empty: MessageKey; problems: MessageKey } } = {
  too_large: "reviews.import.tooLarge",
  no_reviews: { empty: "reviews.errors.importEmpty", problems: "reviews.errors.importNothing" },
};
export const IMPORT_PROBLEM_KEYS: Record<ImportProblemCode, MessageKey> = { unknown_handle: "reviews.errors.unknownHandle" };
/** The CSV parser's problems (app/domain/reviews/judgeme-csv.ts), worded with their values. */
export const CSV_PROBLEM_KEYS: Record<CsvProblemCode, MessageKey> = {
  empty_file: "reviews.errors.csv.emptyFile",
  missing_columns: "reviews.errors.csv.missingColumns",
  unclosed_quote: "reviews.errors.csv.unclosedQuote",
  too_many_values: "reviews.errors.csv.tooManyValues",
  rating_invalid: "reviews.errors.csv.ratingInvalid",
  text_missing: "reviews.errors.csv.textMissing",
  title_too_long: "reviews.errors.csv.titleTooLong",
  body_too_long: "reviews.errors.csv.bodyTooLong",
  name_too_long: "reviews.errors.csv.nameTooLong",
  date_missing: "reviews.errors.csv.dateMissing",
  date_invalid: "reviews.errors.csv.dateInvalid",
  date_future: "reviews.errors.csv.dateFuture",
  curated_unknown: "reviews.errors.csv.curatedUnknown",
  product_missing: "reviews.errors.csv.productMissing",
  product_id_invalid: "reviews.errors.csv.productIdInvalid",
  duplicate_row: "reviews.errors.csv.duplicateRow",
  picture_url_invalid: "reviews.errors.csv.pictureUrlInvalid",
  too_many_pictures: "reviews.errors.csv.tooManyPictures",
  email_invalid: "reviews.errors.csv.emailInvalid",
};

/** The key for an import problem's code; undefined for a code this page does not know (its message is shown). */
export function importProblemKey(code: string): MessageKey | undefined {
  if (Object.hasOwn(IMPORT_PROBLEM_KEYS, code)) return IMPORT_PROBLEM_KEYS[code as ImportProblemCode];
  if (Object.hasOwn(CSV_PROBLEM_KEYS, code)) return CSV_PROBLEM_KEYS[code as CsvProblemCode];
  return undefined;
}

export function reviewRefusalKey(code: ReviewRefusalCode, params?: Record<string, string>): MessageKey {
  if (code !== "not_allowed") return REVIEW_REFUSAL_KEYS[code];
  const to = params?.to as keyof (typeof REVIEW_REFUSAL_KEYS)["not_allowed"] | undefined;
  return (to && REVIEW_REFUSAL_KEYS.not_allowed[to]) || "reviews.error.chooseReviews";
}

/** A service refusal in the merchant's language; the English sentence stays for logs. */
function refused<I extends string>(intent: I, result: { status: number; code: ReviewRefusalCode; params?: Record<string, string>; error: string }) {
  return fail(intent, result.status, { error: result.error, errorKey: reviewRefusalKey(result.code, result.params), errorValues: result.params });
}

function importProblems(problems: ServiceImportProblem[]): ImportProblem[] {
  return problems.map(({ line, message, code, params }) => {
    const key = importProblemKey(code);
    return { line, message, ...(key ? { key, values: params } : {}) };
  });
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, graphql } = await requireAdmin(request);
  const { clock } = services();
  const declared = Number(request.headers.get("content-length") ?? "0");
  // The CSV limit plus room for the form around it.
  if (declared > MAX_IMPORT_BYTES + 64 * 1024) return fail("import", 413, { error: "This file is larger than 10 MB.", errorKey: "reviews.import.tooLarge", errors: { file: "reviews.import.tooLarge" } });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return fail("unknown", 400, { error: "The form could not be read.", errorKey: "reviews.error.unreadable" });
  }
  const fields = Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === "string"));
  switch (form.get("intent")) {
    case "moderate": {
      const parsed = moderateSchema.safeParse({ action: fields.action, ids: form.getAll("ids").map(String) });
      if (!parsed.success) return fail("moderate", 400, { error: "Choose at least one review and what to do with it.", errorKey: "reviews.error.chooseReviews" });
      const result = await moderateReviews(db(), { shopId: shop.id, ids: parsed.data.ids, action: parsed.data.action, clock });
      if (!result.ok) return refused("moderate", result);
      return json({ intent: "moderate" as const, ok: true as const, action: parsed.data.action, changed: result.changed, requested: parsed.data.ids.length });
    }
    case "feature": {
      const parsed = featureSchema.safeParse(fields);
      if (!parsed.success) return fail("feature", 400, { error: "Choose a review to feature.", errorKey: "reviews.error.chooseReviews" });
      const result = await featureReview(db(), { shopId: shop.id, id: parsed.data.id, featured: parsed.data.featured, clock });
      if (!result.ok) return refused("feature", result);
      return json({ intent: "feature" as const, ok: true as const, featured: parsed.data.featured });
    }
    case "reply": {
      const parsed = replySchema.safeParse(fields);
      if (!parsed.success) {
        const tooLong = parsed.error.issues.some((issue) => issue.path[0] === "body");
        return tooLong
          ? fail("reply", 400, { error: "A reply can be at most 2,000 characters.", errorKey: "reviews.error.replyTooLong", errors: { body: "reviews.error.replyTooLong" } })
          : fail("reply", 400, { error: "Choose a review to answer.", errorKey: "reviews.error.chooseReviews" });
      }
      const result = await replyToReview(db(), { shopId: shop.id, id: parsed.data.id, body: parsed.data.body, clock });
      if (!result.ok) return refused("reply", result);
      return json({ intent: "reply" as const, ok: true as const, removed: parsed.data.body.trim() === "" });
    }
    case "autoPublish": {
      const parsed = ruleSchema.safeParse(fields);
      if (!parsed.success) return fail("autoPublish", 400, { error: "Choose when new reviews are published.", errorKey: "reviews.rule.choose", errors: { rule: "reviews.rule.choose" } });
      const result = await saveAutoPublishRule(db(), shop.id, parsed.data.rule);
      if (!result.ok) {
        // Another setting stored earlier no longer validates: it has to be fixed on the Settings page first.
        return fail("autoPublish", 422, { error: Object.values(result.fieldErrors).join(" "), errorKey: "reviews.rule.settingsInvalid" });
      }
      return json({ intent: "autoPublish" as const, ok: true as const, rule: parsed.data.rule });
    }
    case "import": {
      const file = form.get("file");
      if (!file || typeof file === "string" || file.size === 0) {
        return fail("import", 400, { error: "Choose a CSV file to import.", errorKey: "reviews.import.chooseFile", errors: { file: "reviews.import.chooseFile" } });
      }
      if (file.size > MAX_IMPORT_BYTES) return fail("import", 413, { error: "This file is larger than 10 MB.", errorKey: "reviews.import.tooLarge", errors: { file: "reviews.import.tooLarge" } });
      const result = await importReviewsCsv(db(), { shopId: shop.id, csv: await file.text(), clock, adminGraphql: async () => graphql });
      if (!result.ok) {
        const problems = importProblems(result.problems ?? []);
        const errorKey = result.code === "too_large" ? IMPORT_REFUSAL_KEYS.too_large : IMPORT_REFUSAL_KEYS.no_reviews[problems.length ? "problems" : "empty"];
        return fail("import", result.status, { error: result.error, errorKey, problems, ...(result.code === "too_large" ? { errors: { file: errorKey } } : {}) });
      }
      return json({ intent: "import" as const, ok: true as const, imported: result.imported, skipped: result.skipped, problems: importProblems(result.problems), warnings: importProblems(result.warnings) });
    }
    default:
      return fail("unknown", 400, { error: "Unknown action.", errorKey: "reviews.error.unreadable" });
  }
};

// ---------------------------------------------------------------- the page

/** The tabs, in order (the browser cannot import the server module's list). */
const REVIEW_TABS: readonly ReviewTab[] = ["pending", "published", "rejected", "all"];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ReviewRow = LoaderData["reviews"][number];

/** The message a failed action shows: in the merchant's language when there is a key for it. */
function useFailureText() {
  const { t } = useI18n();
  return (data: { error: string; errorKey?: MessageKey; errorValues?: Record<string, string> }) => (data.errorKey ? t(data.errorKey, data.errorValues) : data.error);
}

/** A search form on this page was sent and its results are loading (a GET form submission to `path`). */
function useSearching(path: string): boolean {
  const navigation = useNavigation();
  return navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "GET" && navigation.location?.pathname === path;
}

function useFetcherResult<T>(fetcher: { state: string; data?: T }, onResult: (data: T) => void) {
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) onResult(fetcher.data);
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps
}

function pageUrl(query: { status: string; q: string }, page = 1) {
  const params = new URLSearchParams({ status: query.status });
  if (query.q) params.set("q", query.q);
  if (page > 1) params.set("page", String(page));
  return `/app/reviews?${params.toString()}`;
}

export default function Reviews() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const [replying, setReplying] = useState<ReviewRow | null>(null);
  const { query, counts } = data;
  const [search, setSearch] = useState(query.q);
  useEffect(() => setSearch(query.q), [query.q]);
  const searching = useSearching("/app/reviews");
  const tabs = REVIEW_TABS.map((tab) => ({
    id: `reviews-${tab}`,
    content: t(`reviews.tab.${tab}` as MessageKey),
    badge: String(counts[tab]),
    accessibilityLabel: t("reviews.tabLabel", { tab: t(`reviews.tab.${tab}` as MessageKey), count: counts[tab] }),
    url: pageUrl({ status: tab, q: query.q }),
    panelID: "reviews-panel",
  }));

  return (
    <Page title={t("reviews.title")} subtitle={t("reviews.subtitle")}>
      <BlockStack gap="400">
        {data.anyReviews ? (
          <Card padding="0">
            <Tabs tabs={tabs} selected={REVIEW_TABS.indexOf(query.status)} />
            <Box padding="300" id="reviews-panel">
              <Form method="get" action="/app/reviews">
                <input type="hidden" name="status" value={query.status} />
                <InlineStack gap="200" blockAlign="end" wrap={false}>
                  <div style={{ flex: 1 }}>
                    <TextField
                      label={t("reviews.search")}
                      labelHidden
                      name="q"
                      value={search}
                      onChange={setSearch}
                      placeholder={t("reviews.searchPlaceholder")}
                      autoComplete="off"
                    />
                  </div>
                  <Button submit loading={searching}>{t("common.search")}</Button>
                  {query.q && <Button url={pageUrl({ status: query.status, q: "" })} variant="plain">{t("common.clearSearch")}</Button>}
                </InlineStack>
              </Form>
            </Box>
            <ReviewTable data={data} onReply={setReplying} />
            {data.pageCount > 1 && (
              <Box padding="300">
                <InlineStack align="center">
                  <Pagination
                    hasPrevious={query.page > 1}
                    previousURL={pageUrl(query, query.page - 1)}
                    hasNext={query.page < data.pageCount}
                    nextURL={pageUrl(query, query.page + 1)}
                    label={t("common.pageOf", { page: query.page, pages: data.pageCount })}
                  />
                </InlineStack>
              </Box>
            )}
          </Card>
        ) : (
          <NoReviewsYet />
        )}
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <AutoPublishCard rule={data.autoPublish} />
          <ImportCard exportUrl={data.exportUrl} anyReviews={data.anyReviews} />
        </InlineGrid>
      </BlockStack>
      {replying && <ReplyModal review={replying} onClose={() => setReplying(null)} />}
    </Page>
  );
}

function NoReviewsYet() {
  const { t } = useI18n();
  return (
    <Card>
      <Box padding="400">
        <BlockStack gap="300" inlineAlign="center">
          <Text as="h2" variant="headingMd">{t("reviews.empty.title")}</Text>
          <div style={{ maxWidth: 560 }}>
            <BlockStack gap="200">
              <Text as="p" alignment="center">{t("reviews.empty.block")}</Text>
              <Text as="p" alignment="center">{t("reviews.empty.requests")}</Text>
              <Text as="p" alignment="center" tone="subdued">{t("reviews.empty.import")}</Text>
            </BlockStack>
          </div>
          <Button url="/app/automations/review_request">{t("reviews.empty.openAutomation")}</Button>
        </BlockStack>
      </Box>
    </Card>
  );
}

const STATUS_TONES: Record<string, "success" | "attention" | "critical" | undefined> = { published: "success", pending: "attention", rejected: "critical" };

function Stars({ rating }: { rating: number }) {
  const { t } = useI18n();
  const filled = Math.max(0, Math.min(5, Math.round(rating)));
  return (
    <span style={{ whiteSpace: "nowrap" }}>
      <span aria-hidden="true" style={{ color: "#B98900", letterSpacing: 1 }}>{"★".repeat(filled)}{"☆".repeat(5 - filled)}</span>{" "}
      <span aria-hidden="true">{rating}</span>
      <Text as="span" visuallyHidden>{t("reviews.ratingLabel", { rating })}</Text>
    </span>
  );
}

function ReviewTable({ data, onReply }: { data: LoaderData; onReply: (review: ReviewRow) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const failureText = useFailureText();
  const format = useFormatDateTime();
  const bulk = useFetcher<typeof action>();
  const { reviews, query, timeZone } = data;
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(reviews);
  const pageKey = reviews.map((review) => review.id).join(",");
  useEffect(() => clearSelection(), [pageKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useFetcherResult(bulk, (result) => {
    if (!result.ok) return toast(failureText(result), { isError: true });
    if (result.intent !== "moderate") return;
    clearSelection();
    toast(moderatedText(t, result.action, result.changed, result.requested));
  });

  const moderate = (action: ModerationAction) => {
    const form = new FormData();
    form.set("intent", "moderate");
    form.set("action", action);
    for (const id of selectedResources) form.append("ids", id);
    bulk.submit(form, { method: "post" });
  };

  if (reviews.length === 0) {
    return (
      <Box padding="600">
        <BlockStack gap="200" inlineAlign="center">
          <Text as="p" variant="headingSm">{query.q ? t("reviews.noMatch", { q: query.q }) : t(`reviews.emptyTab.${query.status}` as MessageKey)}</Text>
          {query.q && <Link url={pageUrl({ status: "all", q: query.q })}>{t("reviews.searchAll")}</Link>}
        </BlockStack>
      </Box>
    );
  }

  return (
    <IndexTable
      resourceName={{ singular: t("reviews.resource.one"), plural: t("reviews.resource.other") }}
      itemCount={reviews.length}
      selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
      onSelectionChange={handleSelectionChange}
      loading={bulk.state !== "idle"}
      promotedBulkActions={[
        { content: t("reviews.action.publish"), onAction: () => moderate("publish") },
        { content: t("reviews.action.reject"), onAction: () => moderate("reject") },
      ]}
      bulkActions={[{ content: t("reviews.action.restore"), onAction: () => moderate("restore") }]}
      headings={[
        { title: t("reviews.col.rating") },
        { title: t("reviews.col.review") },
        { title: t("reviews.col.author") },
        { title: t("reviews.col.product") },
        { title: t("reviews.col.status") },
        { title: t("reviews.col.date") },
      ]}
    >
      {reviews.map((review, index) => (
        <IndexTable.Row id={review.id} key={review.id} position={index} selected={selectedResources.includes(review.id)}>
          <IndexTable.Cell><Stars rating={review.rating} /></IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ whiteSpace: "normal", minWidth: 260, maxWidth: 480 }}>
              <BlockStack gap="100">
                {review.title && <Text as="span" fontWeight="semibold" breakWord>{review.title}</Text>}
                <div style={{ display: "-webkit-box", WebkitLineClamp: 3, WebkitBoxOrient: "vertical", overflow: "hidden" }}>
                  <Text as="span" breakWord>{review.body}</Text>
                </div>
                {review.photos.length > 0 && (
                  <InlineStack gap="100">
                    {review.photos.map((photo, position) => (
                      <a key={photo.id} href={photo.src} target="_blank" rel="noreferrer" onClick={(event) => event.stopPropagation()}>
                        <Thumbnail source={photo.src} size="small" alt={t("reviews.photoAlt", { number: position + 1, author: review.authorName })} />
                      </a>
                    ))}
                  </InlineStack>
                )}
                {review.replyBody && (
                  <Box paddingInlineStart="300" borderInlineStartWidth="025" borderColor="border">
                    <Text as="span" tone="subdued" variant="bodySm" breakWord>{t("reviews.yourReply", { reply: review.replyBody })}</Text>
                  </Box>
                )}
                <RowActions review={review} onReply={() => onReply(review)} />
              </BlockStack>
            </div>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <BlockStack gap="100">
              <Text as="span">{review.authorName}</Text>
              {review.verifiedBuyer && <Badge tone="success">{t("reviews.verified")}</Badge>}
              {review.source === "import" && <Badge>{t("reviews.imported")}</Badge>}
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ whiteSpace: "normal", maxWidth: 200 }}>
              <Text as="span">{review.productTitle ?? review.productHandle ?? t("reviews.productId", { id: review.shopifyProductId })}</Text>
            </div>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <BlockStack gap="100" inlineAlign="start">
              <Badge tone={STATUS_TONES[review.status]}>{t(`reviews.status.${review.status}` as MessageKey)}</Badge>
              {review.featured && <Badge tone="info">{t("reviews.featured")}</Badge>}
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>{format(review.createdAt, timeZone)}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

type Translate = ReturnType<typeof useI18n>["t"];

function moderatedText(t: Translate, action: ModerationAction, changed: number, requested: number): string {
  const done = changed === 1 ? t(`reviews.done.${action}.one` as MessageKey) : t(`reviews.done.${action}.other` as MessageKey, { count: changed });
  return changed < requested ? `${done} ${t("reviews.done.skipped", { count: requested - changed })}` : done;
}

function RowActions({ review, onReply }: { review: ReviewRow; onReply: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const failureText = useFailureText();
  const fetcher = useFetcher<typeof action>();
  useFetcherResult(fetcher, (result) => {
    if (!result.ok) return toast(failureText(result), { isError: true });
    if (result.intent === "moderate") toast(moderatedText(t, result.action, result.changed, result.requested));
    if (result.intent === "feature") toast(t(result.featured ? "reviews.done.featured" : "reviews.done.unfeatured"));
  });
  const busy = fetcher.state !== "idle";
  // The clicked button spins; the others wait.
  const sent = busy ? fetcher.formData : undefined;
  const clicked = sent?.get("intent") === "moderate" ? sent.get("action") : sent?.get("intent") === "feature" ? "feature" : null;
  const submit = (values: Record<string, string>) => fetcher.submit(values, { method: "post" });
  const label = (key: MessageKey) => t("reviews.actionLabel", { action: t(key), author: review.authorName });
  return (
    // Clicks here act on the review, not on the row's selection.
    <div onClick={(event) => event.stopPropagation()} style={{ paddingBlockStart: "var(--p-space-100)" }}>
      <ButtonGroup>
        {moderationActions(review.status).map((action) => (
          <Button
            key={action}
            size="slim"
            variant={action === "publish" ? "primary" : undefined}
            tone={action === "reject" ? "critical" : undefined}
            loading={clicked === action}
            disabled={busy}
            accessibilityLabel={label(`reviews.action.${action}` as MessageKey)}
            onClick={() => submit({ intent: "moderate", action, ids: review.id })}
          >
            {t(`reviews.action.${action}` as MessageKey)}
          </Button>
        ))}
        <Button
          size="slim"
          pressed={review.featured}
          loading={clicked === "feature"}
          disabled={busy}
          accessibilityLabel={label(review.featured ? "reviews.action.unfeature" : "reviews.action.feature")}
          onClick={() => submit({ intent: "feature", id: review.id, featured: String(!review.featured) })}
        >
          {t(review.featured ? "reviews.action.unfeature" : "reviews.action.feature")}
        </Button>
        <Button size="slim" disabled={busy} accessibilityLabel={label("reviews.action.reply")} onClick={onReply}>
          {t(review.replyBody ? "reviews.action.editReply" : "reviews.action.reply")}
        </Button>
      </ButtonGroup>
    </div>
  );
}

function ReplyModal({ review, onClose }: { review: ReviewRow; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const failureText = useFailureText();
  const fetcher = useFetcher<typeof action>();
  const [body, setBody] = useState(review.replyBody ?? "");
  const [error, setError] = useState<string | undefined>();
  useFetcherResult(fetcher, (result) => {
    if (result.intent !== "reply" && result.ok) return;
    if (!result.ok) {
      const message = failureText(result);
      setError(result.errors?.body ? t(result.errors.body) : message);
      return toast(message, { isError: true });
    }
    if (result.intent === "reply") toast(t(result.removed ? "reviews.done.replyRemoved" : "reviews.done.replied"));
    onClose();
  });
  const tooLong = body.length > MAX_REPLY;
  const busy = fetcher.state !== "idle";
  // An empty reply removes the saved one: that button spins, not Save.
  const removing = busy && fetcher.formData?.get("body") === "";
  const save = (text: string) => fetcher.submit({ intent: "reply", id: review.id, body: text }, { method: "post" });
  return (
    <Modal
      open
      onClose={onClose}
      title={t("reviews.reply.title", { author: review.authorName })}
      primaryAction={{ content: t("reviews.reply.save"), onAction: () => save(body), loading: busy && !removing, disabled: tooLong || removing }}
      secondaryActions={[
        ...(review.replyBody ? [{ content: t("reviews.reply.remove"), destructive: true, onAction: () => save(""), loading: removing, disabled: busy && !removing }] : []),
        { content: t("common.cancel"), onAction: onClose },
      ]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Box padding="300" background="bg-surface-secondary" borderRadius="200">
            <BlockStack gap="100">
              <Stars rating={review.rating} />
              {review.title && <Text as="p" fontWeight="semibold" breakWord>{review.title}</Text>}
              <Text as="p" breakWord>{review.body}</Text>
            </BlockStack>
          </Box>
          <TextField
            label={t("reviews.reply.label")}
            helpText={t("reviews.reply.help")}
            value={body}
            onChange={(value) => {
              setBody(value);
              setError(undefined);
            }}
            multiline={4}
            maxLength={MAX_REPLY}
            showCharacterCount
            autoComplete="off"
            error={error ?? (tooLong ? t("reviews.error.replyTooLong") : undefined)}
          />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

function AutoPublishCard({ rule }: { rule: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const failureText = useFailureText();
  const fetcher = useFetcher<typeof action>();
  const [selected, setSelected] = useState(rule);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => setSelected(rule), [rule]);
  useFetcherResult(fetcher, (result) => {
    if (result.intent !== "autoPublish") return;
    if (!result.ok) {
      const message = failureText(result);
      setError(message);
      return toast(message, { isError: true });
    }
    setError(undefined);
    toast(t("reviews.rule.saved"));
  });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("reviews.rule.title")}</Text>
        <ChoiceList
          title={t("reviews.rule.label")}
          titleHidden
          choices={[
            { value: "manual", label: t("reviews.rule.manual"), helpText: t("reviews.rule.manualHelp") },
            { value: "verified", label: t("reviews.rule.verified"), helpText: t("reviews.rule.verifiedHelp") },
            { value: "all", label: t("reviews.rule.all"), helpText: t("reviews.rule.allHelp") },
          ]}
          selected={[selected]}
          onChange={([value]) => {
            setSelected(value);
            setError(undefined);
          }}
          error={error}
        />
        <Banner tone="info">
          <Text as="p">{t("reviews.rule.ftc")}</Text>
        </Banner>
        <InlineStack align="end">
          <Button
            variant="primary"
            disabled={selected === rule}
            loading={fetcher.state !== "idle"}
            onClick={() => fetcher.submit({ intent: "autoPublish", rule: selected }, { method: "post" })}
          >
            {t("reviews.rule.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

const PROBLEMS_SHOWN = 50;

function ProblemList({ problems }: { problems: ImportProblem[] }) {
  const { t } = useI18n();
  return (
    <BlockStack gap="100">
      <List>
        {problems.slice(0, PROBLEMS_SHOWN).map((problem, index) => (
          <List.Item key={`${problem.line}-${index}`}>{t("reviews.import.line", { line: problem.line, message: problem.key ? t(problem.key, problem.values) : problem.message })}</List.Item>
        ))}
      </List>
      {problems.length > PROBLEMS_SHOWN && <Text as="p" tone="subdued">{t("reviews.import.moreProblems", { count: problems.length - PROBLEMS_SHOWN })}</Text>}
    </BlockStack>
  );
}

function ImportCard({ exportUrl, anyReviews }: { exportUrl: string; anyReviews: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const failureText = useFailureText();
  const fetcher = useFetcher<typeof action>();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const result = fetcher.state === "idle" && fetcher.data?.intent === "import" ? fetcher.data : null;
  useFetcherResult(fetcher, (data) => {
    if (data.intent !== "import") return;
    if (data.ok) {
      setFile(null);
      toast(t("reviews.import.done", { imported: data.imported, skipped: data.skipped }));
    } else {
      setFileError(data.errors?.file ? t(data.errors.file) : undefined);
      toast(t("reviews.import.failed"), { isError: true });
    }
  });
  const upload = () => {
    if (!file) return setFileError(t("reviews.import.chooseFile"));
    const form = new FormData();
    form.set("intent", "import");
    form.set("file", file);
    fetcher.submit(form, { method: "post", encType: "multipart/form-data" });
  };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">{t("reviews.import.title")}</Text>
          {/* A new browsing context, so the router leaves the link alone and the browser downloads the file. */}
          {anyReviews && <Button url={exportUrl} download target="_blank">{t("reviews.export")}</Button>}
        </InlineStack>
        <Text as="p" tone="subdued">{t("reviews.import.help")}</Text>
        <DropZone
          id="reviews-import-file"
          label={t("reviews.import.file")}
          accept=".csv,text/csv,application/vnd.ms-excel"
          type="file"
          allowMultiple={false}
          error={!!fileError}
          onDrop={(_files, accepted, rejected) => {
            if (rejected.length > 0 || accepted.length === 0) {
              setFile(null);
              setFileError(t("reviews.import.notCsv"));
              return;
            }
            setFile(accepted[0]);
            setFileError(undefined);
          }}
        >
          {file ? (
            <Box padding="400">
              <BlockStack gap="100" inlineAlign="center">
                <Text as="p" fontWeight="semibold" breakWord>{file.name}</Text>
                <Text as="p" tone="subdued">{t("reviews.import.size", { size: Math.max(1, Math.round(file.size / 1024)) })}</Text>
              </BlockStack>
            </Box>
          ) : (
            <DropZone.FileUpload actionTitle={t("reviews.import.choose")} actionHint={t("reviews.import.hint")} />
          )}
        </DropZone>
        {fileError && <InlineError message={fileError} fieldID="reviews-import-file" />}
        <InlineStack align="end">
          <Button variant="primary" onClick={upload} loading={fetcher.state !== "idle"} disabled={!file}>{t("reviews.import.submit")}</Button>
        </InlineStack>
        {result?.ok && (
          <Banner tone={result.problems.length ? "warning" : "success"} title={t("reviews.import.done", { imported: result.imported, skipped: result.skipped })}>
            <BlockStack gap="200">
              {result.skipped > 0 && <Text as="p">{t("reviews.import.skippedHelp")}</Text>}
              {result.problems.length > 0 && (
                <>
                  <Text as="p">{t("reviews.import.problemsTitle", { count: result.problems.length })}</Text>
                  <ProblemList problems={result.problems} />
                </>
              )}
              {result.warnings.length > 0 && (
                <>
                  <Text as="p">{t("reviews.import.warningsTitle", { count: result.warnings.length })}</Text>
                  <ProblemList problems={result.warnings} />
                </>
              )}
            </BlockStack>
          </Banner>
        )}
        {result && !result.ok && (
          <Banner tone="critical" title={t("reviews.import.failed")}>
            <BlockStack gap="200">
              <Text as="p">{failureText(result)}</Text>
              {result.problems && result.problems.length > 0 && <ProblemList problems={result.problems} />}
            </BlockStack>
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}
