// Read models for the admin's Reviews page, and the signed links its thumbnails and CSV export use.
// Every query is scoped by the shop the merchant is signed in to; a list is a constant number of
// queries whatever its length (photos come with their reviews, counts in one grouped query).
import { createHmac } from "node:crypto";
import { signToken, verifyToken } from "../crypto/signed-token.server";
import { z } from "zod";
import { isWebUrl, sniffImageType } from "../../domain/reviews/review-photo";
import { parsePublishRule, type PublishRule } from "../../domain/reviews/publish-rule";
import { config } from "../config.server";
import type { Database } from "../db.server";
import { saveSettings, type SaveSettingsResult } from "./settings.server";

export const REVIEWS_PER_PAGE = 25;
export const REVIEW_TABS = ["pending", "published", "rejected", "all"] as const;
export type ReviewTab = (typeof REVIEW_TABS)[number];

export type ReviewListQuery = { status: ReviewTab; q: string; page: number };

const listQuerySchema = z.object({
  status: z.enum(REVIEW_TABS).catch("pending"),
  q: z.string().trim().max(200).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** ?status=&q=&page= from the page's URL; anything unreadable falls back to the first page of pending reviews. */
export function reviewListQuery(params: URLSearchParams): ReviewListQuery {
  return listQuerySchema.parse({ status: params.get("status") ?? undefined, q: params.get("q") ?? "", page: params.get("page") ?? undefined });
}

/**
 * `contains` that ignores case on both databases: SQLite's LIKE already does (for ASCII), while
 * PostgreSQL needs Prisma's `mode: "insensitive"` (which the SQLite client's types do not know).
 */
export function textContains(text: string): { contains: string } {
  return (config().databaseKind === "postgresql" ? { contains: text, mode: "insensitive" } : { contains: text }) as { contains: string };
}

function reviewSearch(q: string) {
  if (!q) return {};
  const match = textContains(q);
  return { OR: [{ title: match }, { body: match }, { authorName: match }, { authorEmail: match }, { productTitle: match }] };
}

export type AdminReviewRow = {
  id: string;
  status: "pending" | "published" | "rejected";
  rating: number;
  title: string | null;
  body: string;
  authorName: string;
  authorEmail: string | null;
  productTitle: string | null;
  productHandle: string | null;
  shopifyProductId: string;
  verifiedBuyer: boolean;
  featured: boolean;
  source: string;
  replyBody: string | null;
  repliedAt: string | null;
  createdAt: string;
  photos: { id: string; src: string }[];
};

export type ReviewList = {
  reviews: AdminReviewRow[];
  counts: Record<ReviewTab, number>;
  query: ReviewListQuery;
  pageCount: number;
  /** The shop has at least one review (whatever the tab and search): the empty state explains how to get one otherwise. */
  anyReviews: boolean;
  autoPublish: PublishRule;
  exportUrl: string;
};

export async function listReviews(database: Database, shopId: string, requested: ReviewListQuery, now: Date): Promise<ReviewList> {
  const search = reviewSearch(requested.q);
  const [grouped, shopTotal, shop] = await Promise.all([
    database.review.groupBy({ by: ["status"], where: { shopId, ...search }, _count: { _all: true } }),
    requested.q ? database.review.count({ where: { shopId } }) : Promise.resolve(null),
    database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } }),
  ]);
  const counts: Record<ReviewTab, number> = { pending: 0, published: 0, rejected: 0, all: 0 };
  for (const group of grouped) {
    if (group.status === "pending" || group.status === "published" || group.status === "rejected") counts[group.status] = group._count._all;
    counts.all += group._count._all;
  }
  const total = counts[requested.status];
  const pageCount = Math.max(1, Math.ceil(total / REVIEWS_PER_PAGE));
  const page = Math.min(requested.page, pageCount);
  const rows = total === 0 ? [] : await database.review.findMany({
    where: { shopId, ...search, ...(requested.status === "all" ? {} : { status: requested.status }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * REVIEWS_PER_PAGE,
    take: REVIEWS_PER_PAGE,
    select: {
      id: true, status: true, rating: true, title: true, body: true, authorName: true, authorEmail: true, productTitle: true, productHandle: true,
      shopifyProductId: true, verifiedBuyer: true, featured: true, source: true, replyBody: true, repliedAt: true, createdAt: true,
      photos: { select: { id: true, url: true }, orderBy: { position: "asc" } },
    },
  });
  let settings: unknown = {};
  try {
    settings = shop.settings ? JSON.parse(shop.settings) : {};
  } catch {
    settings = {};
  }
  return {
    reviews: rows.map((row) => ({
      ...row,
      status: row.status as AdminReviewRow["status"],
      repliedAt: row.repliedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      photos: row.photos.map((photo) => ({ id: photo.id, src: adminPhotoSrc(shopId, photo, now) })),
    })),
    counts,
    query: { ...requested, page },
    pageCount,
    anyReviews: (shopTotal ?? counts.all) > 0,
    autoPublish: parsePublishRule((settings as { reviews?: { autoPublish?: unknown } } | null)?.reviews?.autoPublish),
    exportUrl: `/app/reviews/export?t=${encodeURIComponent(signAdminLink("reviews-export", "export", shopId, linkExpiry(now)))}`,
  };
}

// ------------------------------------------------------------------ photos

function adminPhotoSrc(shopId: string, photo: { id: string; url: string | null }, now: Date): string {
  // Imported photos live elsewhere (the old review app's CDN): the browser loads them from there.
  if (photo.url && isWebUrl(photo.url)) return photo.url;
  return `/app/reviews/photos/${encodeURIComponent(photo.id)}?t=${encodeURIComponent(signAdminLink("review-photo", photo.id, shopId, linkExpiry(now)))}`;
}

export type AdminPhoto = { kind: "bytes"; bytes: Uint8Array<ArrayBuffer>; contentType: string } | { kind: "redirect"; url: string };

/** A review photo of this shop, whatever its review's status (the merchant moderates with it). */
export async function adminReviewPhoto(database: Database, shopId: string, photoId: string): Promise<AdminPhoto | null> {
  const photo = await database.reviewPhoto.findFirst({ where: { id: photoId, shopId }, select: { bytes: true, url: true } });
  if (!photo) return null;
  if (photo.bytes && photo.bytes.length > 0) {
    const bytes = new Uint8Array(photo.bytes);
    // The type comes from the bytes, never from what the shopper's browser declared.
    return { kind: "bytes", bytes, contentType: sniffImageType(bytes) ?? "application/octet-stream" };
  }
  if (photo.url && isWebUrl(photo.url)) return { kind: "redirect", url: photo.url };
  return null;
}

// ------------------------------------------------------------------ auto-publish rule

/**
 * Stores the shop's auto-publish rule, keeping every other setting as stored. Settings are
 * validated as a whole (saveSettings): stored settings that no longer validate are reported,
 * never silently replaced by the defaults.
 */
export async function saveAutoPublishRule(database: Database, shopId: string, rule: PublishRule): Promise<SaveSettingsResult> {
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = shop.settings ? JSON.parse(shop.settings) : {};
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
  } catch {
    stored = {};
  }
  const reviews = stored.reviews && typeof stored.reviews === "object" ? (stored.reviews as Record<string, unknown>) : {};
  return saveSettings(database, shopId, { settings: { ...stored, reviews: { ...reviews, autoPublish: rule } } });
}

// ------------------------------------------------------------------ signed admin links

/*
 * Inside Shopify's admin every request to the app carries a session token that App Bridge adds
 * to fetch calls, but an <img> or a download link cannot carry one. So the page's loader (which
 * did authenticate) hands out links signed for one photo, or for the export, of one shop, valid
 * for an hour or two. The token names the shop, so a link cannot be used for another store.
 */
export type AdminLinkPurpose = "review-photo" | "reviews-export" | "data-export";

const HOUR_MS = 60 * 60 * 1000;

/** The end of the next whole hour: links stay the same for an hour, so the browser's cache works. */
function linkExpiry(now: Date): Date {
  return new Date((Math.floor(now.getTime() / HOUR_MS) + 2) * HOUR_MS);
}

function adminLinkKey(): Buffer {
  return createHmac("sha256", config().encryptionKey).update("avisa admin links v1").digest();
}

export function signAdminLink(purpose: AdminLinkPurpose, subject: string, shopId: string, expiresAt: Date): string {
  return signToken(adminLinkKey(), purpose, { s: shopId, x: subject }, expiresAt);
}

export type AdminLinkCheck = { ok: true; shopId: string } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export function verifyAdminLink(purpose: AdminLinkPurpose, subject: string, token: string, now: Date): AdminLinkCheck {
  const checked = verifyToken<{ s?: unknown; x?: unknown }>(adminLinkKey(), purpose, token, now);
  if (!checked.ok) return checked;
  // A link signed for one photo (or the export) opens nothing else.
  if (typeof checked.data.s !== "string" || checked.data.x !== subject) return { ok: false, reason: "bad_signature" };
  return { ok: true, shopId: checked.data.s };
}
