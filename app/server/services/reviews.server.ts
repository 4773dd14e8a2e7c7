// Reviews: a shopper's review from the storefront (through the signed app proxy), the merchant's
// moderation, and the product metafields the storefront blocks read. The rules are the domain's
// (app/domain/reviews/): what a valid submission is, who counts as a verified buyer, what the
// merchant's auto-publish rule does — never the rating (FTC 2024: no sentiment gating).
import { parseReviewSubmission, type UploadedPhoto } from "../../domain/reviews/review-submission";
import { verifiedBuyerVerdict, type ReviewTokenData } from "../../domain/reviews/verified-buyer";
import { initialReviewStatus, MODERATION_REFUSALS, moderationTransition, type ModerationAction, type ReviewStatus } from "../../domain/reviews/publish-rule";
import { reviewPage, reviewMetafieldValues, type PublishedReview, type ReviewSort } from "../../domain/reviews/review-summary";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import type { AdminGraphql, Clock } from "../../domain/ports";
import { verifyToken } from "../crypto/signed-token.server";
import type { Database } from "../db.server";
import { enqueueWith } from "../queue/job-queue.server";
import { linkTokenKey } from "./message-context.server";
import { productFacts } from "./product-catalogue.server";

export const SYNC_REVIEW_METAFIELDS_JOB = "sync-review-metafields";
/** Reviews (and contact requests) one shopper's address may send a shop per hour. */
export const SUBMISSIONS_PER_HOUR = 5;
const HOUR_MS = 60 * 60 * 1000;
/** Metafield updates for one product within this window are written once. */
const METAFIELD_SYNC_DELAY_MS = 5_000;

type ShopRow = Awaited<ReturnType<Database["shop"]["findUniqueOrThrow"]>>;

export type StorefrontCaller = { shop: ShopRow; loggedInCustomerId: string | null; clientKey: string | null; now: Date };

export type ReviewSubmissionOutcome =
  | { kind: "accepted"; reviewId: string; status: "pending" | "published"; verified: boolean; tokenProblem: "expired" | "not_confirmed" | null }
  | { kind: "invalid"; errors: Record<string, string> }
  | { kind: "ignored" }
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "duplicate" }
  | { kind: "unknown_product" };

export type ReviewDependencies = { database: Database; adminGraphql: () => Promise<AdminGraphql> };

export async function submitReview(
  caller: StorefrontCaller,
  form: { fields: Record<string, string | undefined>; photos: UploadedPhoto[] },
  deps: ReviewDependencies,
): Promise<ReviewSubmissionOutcome> {
  const { shop, now } = caller;
  const { database } = deps;
  const parsed = parseReviewSubmission(form.fields, form.photos, form.fields.locale ?? shop.primaryLocale);
  if (!parsed.ok) return { kind: "invalid", errors: parsed.errors as Record<string, string> };
  const submission = parsed.value;
  // A bot filled the hidden field: it is told "thanks" and nothing is stored.
  if (submission.honeypotFilled) return { kind: "ignored" };

  if (caller.clientKey) {
    const recent = await database.review.count({ where: { shopId: shop.id, clientKey: caller.clientKey, createdAt: { gte: new Date(now.getTime() - HOUR_MS) } } });
    if (recent >= SUBMISSIONS_PER_HOUR) return { kind: "rate_limited", retryAfterSeconds: HOUR_MS / 1000 };
  }

  const product = await lookUpProduct(shop.domain, submission.productId, deps);
  if (product === "missing") return { kind: "unknown_product" };

  let token: ReviewTokenData | null = null;
  // A link that does not prove the purchase still lets the shopper review, without the badge.
  let tokenProblem: "expired" | "not_confirmed" | null = null;
  if (submission.token) {
    const checked = verifyToken<ReviewTokenData>(linkTokenKey(), "review", submission.token, now);
    if (checked.ok) token = checked.data;
    else tokenProblem = checked.reason === "expired" ? "expired" : "not_confirmed";
  }
  // The same review link used twice (a double click, a second try): one review per order and product.
  const reviewedOrderIds = (await database.review.findMany({
    where: { shopId: shop.id, shopifyProductId: submission.productId, shopifyOrderId: { not: null } }, select: { shopifyOrderId: true },
  })).map((review) => review.shopifyOrderId!);
  if (token && token.s === shop.id && token.p === submission.productId && reviewedOrderIds.includes(token.o)) return { kind: "duplicate" };
  const tokenOrder = token ? await database.order.findFirst({ where: { shopId: shop.id, shopifyOrderId: token.o }, select: { cancelledAt: true, financialStatus: true } }) : null;
  const customer = caller.loggedInCustomerId
    ? await database.contact.findFirst({ where: { shopId: shop.id, shopifyCustomerId: caller.loggedInCustomerId } })
    : null;
  const customerOrders = customer ? await ordersForVerification(database, shop.id, customer.id) : [];
  const verdict = verifiedBuyerVerdict({
    shopId: shop.id, productId: submission.productId, token, loggedInCustomerId: caller.loggedInCustomerId, customerOrders, reviewedOrderIds,
    tokenOrder: tokenOrder ? { cancelled: !!tokenOrder.cancelledAt, refunded: tokenOrder.financialStatus === "refunded" } : null,
  });
  if (token && !verdict.verified) tokenProblem = "not_confirmed";

  // Only a proven identity ties the review to a shopper's record; a typed email proves nothing.
  const contactId = (verdict.verified && verdict.via === "token" ? token?.c : null) ?? customer?.id ?? null;
  const settings = parseShopSettings(shop.settings);
  const status = initialReviewStatus(settings.reviews.autoPublish, { verified: verdict.verified });

  try {
    const review = await database.$transaction(async (tx) => {
      const created = await tx.review.create({
        data: {
          shopId: shop.id, contactId, shopifyProductId: submission.productId,
          productTitle: product?.title ?? null, productHandle: product?.handle ?? null,
          shopifyOrderId: verdict.verified ? verdict.orderId : null,
          rating: submission.rating, title: submission.title, body: submission.body,
          authorName: submission.authorName, authorEmail: submission.authorEmail,
          locale: form.fields.locale ?? null, verifiedBuyer: verdict.verified, status,
          source: verdict.verified && verdict.via === "token" ? "review_request" : "storefront",
          publishedAt: status === "published" ? now : null, clientKey: caller.clientKey, createdAt: now,
        },
      });
      for (const [position, photo] of submission.photos.entries()) {
        await tx.reviewPhoto.create({ data: { shopId: shop.id, reviewId: created.id, position, contentType: photo.type, bytes: Buffer.from(photo.bytes), createdAt: now } });
      }
      if (status === "published") await scheduleMetafieldSync(tx, shop.id, [submission.productId], now);
      return created;
    });
    if (status === "published") forgetCachedPages(shop.id);
    return { kind: "accepted", reviewId: review.id, status, verified: verdict.verified, tokenProblem: verdict.verified ? null : tokenProblem };
  } catch (error) {
    if (isUniqueViolation(error)) return { kind: "duplicate" };
    throw error;
  }
}

async function lookUpProduct(shopDomain: string, productId: string, deps: ReviewDependencies) {
  try {
    return (await productFacts(shopDomain, [productId], deps.adminGraphql)).get(productId) ?? "missing";
  } catch {
    return null; // Shopify unreachable: keep the review; the title is filled in later
  }
}

type LineItemJson = { productId?: string | null };

async function ordersForVerification(database: Database, shopId: string, contactId: string) {
  const orders = await database.order.findMany({
    where: { shopId, contactId }, select: { shopifyOrderId: true, lineItems: true, cancelledAt: true, financialStatus: true }, orderBy: { placedAt: "desc" }, take: 100,
  });
  return orders.map((order) => ({
    shopifyOrderId: order.shopifyOrderId,
    productIds: (JSON.parse(order.lineItems) as LineItemJson[]).map((item) => item.productId).filter((id): id is string => !!id),
    cancelled: !!order.cancelledAt,
    refunded: order.financialStatus === "refunded",
  }));
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

// ------------------------------------------------------------------ reading, for the storefront

const PAGE_CACHE_MS = 60_000;
const pageCache = new Map<string, { expiresAt: number; page: ReturnType<typeof reviewPage> }>();

function forgetCachedPages(shopId: string): void {
  for (const key of pageCache.keys()) if (key.startsWith(`${shopId}|`)) pageCache.delete(key);
}

const publishedReviewSelect = {
  id: true, rating: true, title: true, body: true, authorName: true, verifiedBuyer: true, featured: true, createdAt: true,
  replyBody: true, repliedAt: true, productTitle: true, productHandle: true,
  photos: { select: { id: true, url: true }, orderBy: { position: "asc" as const } },
};

async function publishedReviews(database: Database, shopId: string, productId: string) {
  return database.review.findMany({ where: { shopId, shopifyProductId: productId, status: "published" }, select: publishedReviewSelect, orderBy: { createdAt: "desc" } });
}

function toPublished(rows: Awaited<ReturnType<typeof publishedReviews>>): PublishedReview[] {
  return rows.map((row) => ({
    id: row.id, rating: row.rating, title: row.title, body: row.body, authorName: row.authorName, verifiedBuyer: row.verifiedBuyer,
    featured: row.featured, createdAt: row.createdAt, replyBody: row.replyBody, repliedAt: row.repliedAt, photos: row.photos,
  }));
}

/** One page of a product's published reviews, as the storefront shows it (cached for a minute). */
export async function storefrontReviewPage(
  database: Database, shop: ShopRow, query: { productId: string; page: number; sort: ReviewSort },
): Promise<ReturnType<typeof reviewPage>> {
  const key = `${shop.id}|${query.productId}|${query.page}|${query.sort}`;
  const hit = pageCache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.page;
  const rows = await publishedReviews(database, shop.id, query.productId);
  const page = reviewPage(toPublished(rows), {
    productId: query.productId, page: query.page, sort: query.sort, zone: shop.timeZone ?? "UTC",
    productTitle: rows[0]?.productTitle ?? null, productUrl: rows[0]?.productHandle ? `https://${shop.domain}/products/${rows[0].productHandle}` : null,
  });
  pageCache.set(key, { expiresAt: Date.now() + PAGE_CACHE_MS, page });
  return page;
}

/** A review photo for the storefront: only once its review is published. */
export async function publishedReviewPhoto(database: Database, shopId: string, photoId: string) {
  return database.reviewPhoto.findFirst({ where: { id: photoId, shopId, review: { status: "published" } }, select: { bytes: true, contentType: true, url: true } });
}

// ------------------------------------------------------------------ metafields

export async function scheduleMetafieldSync(tx: Parameters<typeof enqueueWith>[0], shopId: string, productIds: string[], now: Date): Promise<void> {
  const bucket = Math.floor(now.getTime() / METAFIELD_SYNC_DELAY_MS);
  for (const productId of new Set(productIds)) {
    await enqueueWith(tx, { kind: SYNC_REVIEW_METAFIELDS_JOB, shopId, payload: { productId } }, {
      runAt: new Date((bucket + 1) * METAFIELD_SYNC_DELAY_MS),
      idempotencyKey: `review-metafields:${shopId}:${productId}:${bucket}`,
    });
  }
}

const METAFIELDS_SET = `mutation AvisaReviewMetafields($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { namespace key } userErrors { field message code } }
}`;
const METAFIELDS_DELETE = `mutation AvisaReviewMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $metafields) { deletedMetafields { key } userErrors { field message } }
}`;

/**
 * Writes a product's review metafields from its published reviews: Shopify's standard
 * `reviews.rating` and `reviews.rating_count` (themes and Google Shopping read them) and
 * `avisa.reviews`, the first page the storefront block renders without JavaScript.
 */
export async function syncReviewMetafields(database: Database, shopId: string, productId: string, graphql: AdminGraphql): Promise<{ count: number }> {
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId } });
  const rows = await publishedReviews(database, shopId, productId);
  const page = reviewPage(toPublished(rows), {
    productId, page: 1, sort: "newest", zone: shop.timeZone ?? "UTC",
    productTitle: rows[0]?.productTitle ?? null, productUrl: rows[0]?.productHandle ? `https://${shop.domain}/products/${rows[0].productHandle}` : null,
  });
  const values = reviewMetafieldValues(page);
  const ownerId = `gid://shopify/Product/${productId}`;
  const set = values.set.map((field) => ({ ownerId, ...field }));
  const response = await graphql<{ metafieldsSet: { userErrors: { message: string; field?: string[] }[] } }>(METAFIELDS_SET, { metafields: set });
  const problems = [...(response.errors ?? []).map((e) => e.message), ...(response.data?.metafieldsSet?.userErrors ?? []).map((e) => `${(e.field ?? []).join(".")}: ${e.message}`)];
  if (problems.length) throw new Error(`Shopify refused the review metafields for product ${productId}: ${problems.join("; ")}`);
  if (values.delete.length) {
    await graphql(METAFIELDS_DELETE, { metafields: values.delete.map((field) => ({ ownerId, ...field })) });
  }
  forgetCachedPages(shopId);
  return { count: page.count };
}

// ------------------------------------------------------------------ moderation (admin)

/**
 * Why the merchant's moderation was refused, for the admin to word in the merchant's language:
 * not_found (none of the reviews is in this shop), reply_too_long, and the moderation rule's own
 * refusals (app/domain/reviews/publish-rule.ts) with their params. `error` stays English, for logs.
 */
export const REVIEW_REFUSAL_CODES = ["not_found", "reply_too_long", ...MODERATION_REFUSALS] as const;
export type ReviewRefusalCode = (typeof REVIEW_REFUSAL_CODES)[number];

export type ModerationResult =
  | { ok: true; changed: number }
  | { ok: false; status: 400 | 404; code: ReviewRefusalCode; params?: Record<string, string>; error: string };

/**
 * Publishes, rejects or restores the chosen reviews of one shop. One review that cannot move is
 * refused with the reason; in a batch such reviews are left as they are (`changed` says how
 * many moved). The writes are batched: one update per target status (plus one stamping
 * publishedAt on reviews published for the first time), and one metafield resync per product.
 */
export async function moderateReviews(database: Database, input: { shopId: string; ids: string[]; action: ModerationAction; clock: Clock }): Promise<ModerationResult> {
  const now = input.clock.now();
  const reviews = await database.review.findMany({ where: { shopId: input.shopId, id: { in: input.ids } }, select: { id: true, status: true, shopifyProductId: true, publishedAt: true } });
  if (reviews.length === 0) return { ok: false, status: 404, code: "not_found", error: "None of these reviews exist in your store." };
  const changes = reviews.map((review) => ({ review, transition: moderationTransition(review.status, input.action) }));
  const refused = changes.find((change) => !change.transition.ok);
  if (refused && changes.length === 1 && !refused.transition.ok) {
    return { ok: false, status: 400, code: refused.transition.reason, params: refused.transition.params, error: refused.transition.error };
  }
  const byTarget = new Map<ReviewStatus, { ids: string[]; firstPublished: string[] }>();
  const productIds: string[] = [];
  let changed = 0;
  for (const { review, transition } of changes) {
    if (!transition.ok) continue;
    const group = byTarget.get(transition.to) ?? { ids: [], firstPublished: [] };
    group.ids.push(review.id);
    if (transition.to === "published" && !review.publishedAt) group.firstPublished.push(review.id);
    byTarget.set(transition.to, group);
    productIds.push(review.shopifyProductId);
    changed += 1;
  }
  await database.$transaction(async (tx) => {
    for (const [status, group] of byTarget) {
      await tx.review.updateMany({ where: { shopId: input.shopId, id: { in: group.ids } }, data: { status } });
      if (group.firstPublished.length) {
        await tx.review.updateMany({ where: { shopId: input.shopId, id: { in: group.firstPublished }, publishedAt: null }, data: { publishedAt: now } });
      }
    }
    // scheduleMetafieldSync enqueues once per distinct product.
    await scheduleMetafieldSync(tx, input.shopId, productIds, now);
  });
  forgetCachedPages(input.shopId);
  return { ok: true, changed };
}

/** The store's public answer under a review (empty removes it). */
export async function replyToReview(database: Database, input: { shopId: string; id: string; body: string; clock: Clock }): Promise<ModerationResult> {
  const body = input.body.trim();
  if (body.length > 2000) return { ok: false, status: 400, code: "reply_too_long", error: "A reply can be at most 2,000 characters." };
  const review = await database.review.findFirst({ where: { id: input.id, shopId: input.shopId }, select: { id: true, shopifyProductId: true } });
  if (!review) return { ok: false, status: 404, code: "not_found", error: "This review does not exist in your store." };
  const now = input.clock.now();
  await database.$transaction(async (tx) => {
    await tx.review.update({ where: { id: review.id }, data: { replyBody: body || null, repliedAt: body ? now : null } });
    await scheduleMetafieldSync(tx, input.shopId, [review.shopifyProductId], now);
  });
  forgetCachedPages(input.shopId);
  return { ok: true, changed: 1 };
}

/** Featured reviews come first on the product's first page. */
export async function featureReview(database: Database, input: { shopId: string; id: string; featured: boolean; clock: Clock }): Promise<ModerationResult> {
  const review = await database.review.findFirst({ where: { id: input.id, shopId: input.shopId }, select: { id: true, shopifyProductId: true } });
  if (!review) return { ok: false, status: 404, code: "not_found", error: "This review does not exist in your store." };
  const now = input.clock.now();
  await database.$transaction(async (tx) => {
    await tx.review.update({ where: { id: review.id }, data: { featured: input.featured } });
    await scheduleMetafieldSync(tx, input.shopId, [review.shopifyProductId], now);
  });
  forgetCachedPages(input.shopId);
  return { ok: true, changed: 1 };
}
