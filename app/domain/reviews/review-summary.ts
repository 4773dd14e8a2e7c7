// What the storefront shows of a product's published reviews: the snapshot written to a JSON
// metafield (page 1, default sort, read by the theme block with no request to the app), the
// same shape for page N through the app proxy, and Shopify's standard `reviews.rating` /
// `reviews.rating_count` metafields that themes and Search & Discovery already understand.
// Only published reviews may be passed in; nothing here filters by rating or text.
import { isWebUrl, reviewPhotoPath } from "./review-photo";
import { formLocale, sliceCodePoints, type ReviewLocale } from "./review-submission";

export type PublishedReview = {
  id: string;
  rating: number;
  title: string | null;
  body: string;
  authorName: string;
  verifiedBuyer: boolean;
  featured: boolean;
  createdAt: Date;
  replyBody: string | null;
  repliedAt: Date | null;
  /** url set = an imported external photo; null = stored by Avisa, served by the app proxy. */
  photos: { id: string; url: string | null }[];
};

export const REVIEW_SORTS = ["newest", "oldest", "highest", "lowest", "with_photos"] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];
export const DEFAULT_REVIEW_SORT: ReviewSort = "newest";
export const DEFAULT_PAGE_SIZE = 5;
export const MAX_PAGE_SIZE = 20;
/** Reviews listed in the JSON-LD (Google needs some, not all; the aggregate covers the rest). */
export const JSONLD_MAX_REVIEWS = 10;
/** Shopify caps JSON metafield writes at 128 KB from API 2026-04; the snapshot stays under it. */
export const SNAPSHOT_MAX_BYTES = 128 * 1024;
/** A review body in the JSON-LD is cut here: search results show a line or two, and the metafield has a size cap. */
export const JSONLD_BODY_MAX = 1000;
export const SNAPSHOT_VERSION = 1;

export type RatingDistribution = { stars: 5 | 4 | 3 | 2 | 1; count: number; percent: number }[];

export type ReviewSummary = {
  /** Mean rating rounded to one decimal; 0 when there are no reviews (check `count`). */
  average: number;
  count: number;
  /** Always five rows, 5 stars first. Percents are whole numbers that add up to 100 (0 when empty). */
  distribution: RatingDistribution;
};

export type SnapshotReview = {
  id: string;
  rating: number;
  title: string | null;
  body: string;
  /** "Lucía R."; "" when the name cannot be shown (the theme prints its own "Anonymous"). */
  author: string;
  /** YYYY-MM-DD in the shop's time zone. */
  date: string;
  verified: boolean;
  featured: boolean;
  photos: { url: string; alt: string }[];
  reply: { body: string; date: string | null } | null;
};

export type ReviewSnapshot = {
  version: typeof SNAPSHOT_VERSION;
  product_id: string;
  average: number;
  count: number;
  distribution: RatingDistribution;
  page: number;
  page_size: number;
  pages: number;
  sort: ReviewSort;
  reviews: SnapshotReview[];
  /** schema.org Product JSON-LD, safe to print raw inside <script type="application/ld+json">; "" with no reviews. */
  jsonld: string;
};

export type ReviewPageOptions = {
  productId: string;
  /** 1-based; anything else (0, -3, "abc", past the end) is clamped to a real page. */
  page?: number | string | null;
  sort?: string | null;
  pageSize?: number | string | null;
  /** The shop's IANA time zone (dates are the shop's calendar days); UTC when unknown or invalid. */
  zone?: string | null;
  /** Product name for the JSON-LD; without it no JSON-LD is produced (Google requires the name). */
  productTitle?: string | null;
  /** Absolute product URL for the JSON-LD. */
  productUrl?: string | null;
  /** Language of the photos' alt text (en, es, pt-BR); English by default. */
  locale?: string | null;
};

// ----------------------------------------------------------------------- summary

export function summarizeReviews(reviews: readonly Pick<PublishedReview, "rating">[]): ReviewSummary {
  const counts = new Map<number, number>([5, 4, 3, 2, 1].map((stars) => [stars, 0]));
  let sum = 0;
  for (const review of reviews) {
    counts.set(review.rating, (counts.get(review.rating) ?? 0) + 1);
    sum += review.rating;
  }
  const count = reviews.length;
  // sum×10/count then one rounding: 4.45 → 4.5 with no binary-fraction surprise from avg×10.
  const average = count === 0 ? 0 : Math.round((sum * 10) / count) / 10;
  const stars = [5, 4, 3, 2, 1] as const;
  const percents = wholePercents(stars.map((star) => counts.get(star) ?? 0), count);
  return { average, count, distribution: stars.map((star, index) => ({ stars: star, count: counts.get(star) ?? 0, percent: percents[index] })) };
}

/**
 * Whole percents that add up to exactly 100 (largest remainder): 1/3 each shows 34, 33, 33,
 * not 33, 33, 33. Ties go to the higher star row, which comes first.
 */
function wholePercents(counts: number[], total: number): number[] {
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((count) => (count * 100) / total);
  const result = exact.map(Math.floor);
  let left = 100 - result.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index, remainder } of byRemainder) {
    if (left <= 0) break;
    if (remainder === 0) continue;
    result[index] += 1;
    left -= 1;
  }
  return result;
}

// ------------------------------------------------------------------ sort and page

export function parseReviewSort(value: string | null | undefined): ReviewSort {
  return (REVIEW_SORTS as readonly string[]).includes(value ?? "") ? (value as ReviewSort) : DEFAULT_REVIEW_SORT;
}

const newestFirst = (a: PublishedReview, b: PublishedReview) => b.createdAt.getTime() - a.createdAt.getTime() || compareIds(a.id, b.id);
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The whole list in display order. For the default sort, up to one page of featured reviews
 * (newest first) leads, then everything else by date; other featured reviews keep their place.
 * Pinning is part of the order itself, so page 2 never repeats what page 1 showed.
 */
export function sortReviews(reviews: readonly PublishedReview[], sort: ReviewSort, pageSize = DEFAULT_PAGE_SIZE): PublishedReview[] {
  const list = [...reviews];
  switch (sort) {
    case "newest": {
      list.sort(newestFirst);
      const pinned = list.filter((review) => review.featured).slice(0, pageSize);
      const pinnedIds = new Set(pinned.map((review) => review.id));
      return [...pinned, ...list.filter((review) => !pinnedIds.has(review.id))];
    }
    case "oldest":
      return list.sort((a, b) => -newestFirst(a, b));
    case "highest":
      return list.sort((a, b) => b.rating - a.rating || newestFirst(a, b));
    case "lowest":
      return list.sort((a, b) => a.rating - b.rating || newestFirst(a, b));
    case "with_photos":
      // Reviews with photos first (newest first), then the rest by date: a sort, not a filter.
      return list.sort((a, b) => Number(b.photos.length > 0) - Number(a.photos.length > 0) || newestFirst(a, b));
  }
}

function wholeNumber(value: number | string | null | undefined): number | null {
  const number = typeof value === "number" ? value : /^\s*-?\d+\s*$/.test(value ?? "") ? Number.parseInt(value as string, 10) : Number.NaN;
  return Number.isFinite(number) ? Math.trunc(number) : null;
}

// ------------------------------------------------------------------- presentation

/**
 * "Lucía Ramírez" → "Lucía R.", "lucía ramírez" → "lucía R.", "Cher" → "Cher". Anything that
 * looks like an email address is dropped (never shown), so "lucia@example.com" → "".
 */
export function displayAuthorName(authorName: string): string {
  const words = authorName
    .normalize("NFC")
    .split(/\s+/)
    .filter((word) => word && !word.includes("@"));
  if (words.length === 0) return "";
  const first = sliceCodePoints(words[0], 40);
  if (words.length === 1) return first;
  const initial = words[words.length - 1].match(/\p{L}/u)?.[0];
  return initial ? `${first} ${initial.toLocaleUpperCase()}.` : first;
}

/** YYYY-MM-DD of `date` on the calendar of `zone` (UTC when the zone is missing or unknown). */
export function dateInZone(date: Date, zone: string | null | undefined): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone || "UTC", year: "numeric", month: "2-digit", day: "2-digit" });
  } catch {
    format = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" });
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const PHOTO_ALT: Record<ReviewLocale, { by: (n: number, author: string) => string; anonymous: (n: number) => string }> = {
  en: { by: (n, author) => `Photo ${n} from ${author}`, anonymous: (n) => `Customer photo ${n}` },
  es: { by: (n, author) => `Foto ${n} de ${author}`, anonymous: (n) => `Foto ${n} de un cliente` },
  "pt-BR": { by: (n, author) => `Foto ${n} de ${author}`, anonymous: (n) => `Foto ${n} de um cliente` },
};

function photoUrl(photo: { id: string; url: string | null }): string | null {
  if (photo.url === null) return reviewPhotoPath(photo.id);
  // An imported address that is not plain http(s) (javascript:, data:) is never put on a page.
  return isWebUrl(photo.url) ? photo.url : null;
}

function presentReview(review: PublishedReview, zone: string | null | undefined, locale: ReviewLocale): SnapshotReview {
  const author = displayAuthorName(review.authorName);
  const photos = review.photos.flatMap((photo) => {
    const url = photoUrl(photo);
    return url ? [url] : [];
  });
  const alt = PHOTO_ALT[locale];
  return {
    id: review.id,
    rating: review.rating,
    title: review.title?.trim() ? review.title : null,
    body: review.body,
    author,
    date: dateInZone(review.createdAt, zone),
    verified: review.verifiedBuyer,
    featured: review.featured,
    photos: photos.map((url, index) => ({ url, alt: author ? alt.by(index + 1, author) : alt.anonymous(index + 1) })),
    reply: review.replyBody?.trim() ? { body: review.replyBody, date: review.repliedAt ? dateInZone(review.repliedAt, zone) : null } : null,
  };
}

// ------------------------------------------------------------------------- JSON-LD

/**
 * JSON for a <script type="application/ld+json"> block, printed raw: "<", ">" and "&" become
 * \u003c \u003e \u0026 so no text can close the script element ("</script>") or open a comment,
 * and U+2028/U+2029 are escaped for older JavaScript parsers. JSON.parse gives the same value back.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * schema.org Product with aggregateRating and up to `maxReviews` reviews, as Google's review
 * snippet guidelines ask: aggregateRating has ratingValue and reviewCount (bestRating 5 /
 * worstRating 1 stated), each Review has an author Person with a real name (Google ignores
 * names of 100 characters or more; ours are "Lucía R."), reviewRating and datePublished.
 * Reviews whose name cannot be shown are left out of the list but still count in the aggregate.
 */
export function productJsonLd(
  ordered: readonly PublishedReview[],
  summary: ReviewSummary,
  options: { productTitle?: string | null; productUrl?: string | null; zone?: string | null; maxReviews?: number; bodyMax?: number },
): string {
  const name = options.productTitle?.trim();
  if (!name || summary.count === 0) return "";
  const bodyMax = options.bodyMax ?? JSONLD_BODY_MAX;
  const reviews = ordered
    .map((review) => ({ review, author: displayAuthorName(review.authorName) }))
    .filter(({ author }) => author.length > 0)
    .slice(0, options.maxReviews ?? JSONLD_MAX_REVIEWS)
    .map(({ review, author }) => {
      const body = sliceCodePoints(review.body, bodyMax);
      return {
        "@type": "Review",
        author: { "@type": "Person", name: author },
        datePublished: dateInZone(review.createdAt, options.zone),
        reviewBody: body.length < review.body.length ? `${body}…` : body,
        ...(review.title?.trim() ? { name: review.title } : {}),
        reviewRating: { "@type": "Rating", ratingValue: review.rating, bestRating: 5, worstRating: 1 },
      };
    });
  const url = options.productUrl && isWebUrl(options.productUrl) ? options.productUrl : undefined;
  return scriptSafeJson({
    "@context": "https://schema.org",
    "@type": "Product",
    name,
    ...(url ? { url } : {}),
    aggregateRating: { "@type": "AggregateRating", ratingValue: summary.average, reviewCount: summary.count, bestRating: 5, worstRating: 1 },
    ...(reviews.length > 0 ? { review: reviews } : {}),
  });
}

// --------------------------------------------------------------------- the page

/** One page of a product's published reviews: the app proxy's answer, and (page 1, default sort) the snapshot. */
export function reviewPage(reviews: readonly PublishedReview[], options: ReviewPageOptions): ReviewSnapshot {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, wholeNumber(options.pageSize) ?? DEFAULT_PAGE_SIZE));
  const sort = parseReviewSort(options.sort);
  const summary = summarizeReviews(reviews);
  const pages = Math.max(1, Math.ceil(summary.count / pageSize));
  const page = Math.min(pages, Math.max(1, wholeNumber(options.page) ?? 1));
  const ordered = sortReviews(reviews, sort, pageSize);
  const locale = formLocale(options.locale);
  // The JSON-LD follows what a visitor sees first (default order), whichever page is asked for.
  const defaultOrder = sort === DEFAULT_REVIEW_SORT ? ordered : sortReviews(reviews, DEFAULT_REVIEW_SORT, pageSize);
  return {
    version: SNAPSHOT_VERSION,
    product_id: options.productId,
    average: summary.average,
    count: summary.count,
    distribution: summary.distribution,
    page,
    page_size: pageSize,
    pages,
    sort,
    reviews: ordered.slice((page - 1) * pageSize, page * pageSize).map((review) => presentReview(review, options.zone, locale)),
    jsonld: productJsonLd(defaultOrder, summary, options),
  };
}

const utf8Bytes = (text: string) => new TextEncoder().encode(text).byteLength;
const fits = (snapshot: ReviewSnapshot) => utf8Bytes(JSON.stringify(snapshot)) <= SNAPSHOT_MAX_BYTES;

function cut(text: string, max: number): string {
  const kept = sliceCodePoints(text, max);
  return kept.length < text.length ? `${kept}…` : text;
}

/**
 * The snapshot made to fit Shopify's 128 KB cap on JSON metafields. Only very long, emoji-heavy
 * reviews get there; then the JSON-LD lists fewer reviews with shorter bodies, then none (the
 * aggregate stays), then the shown bodies are shortened. The app proxy still serves full text.
 */
export function fitSnapshot(snapshot: ReviewSnapshot): ReviewSnapshot {
  if (fits(snapshot)) return snapshot;
  const fitted = { ...snapshot };
  if (snapshot.jsonld) {
    const product = JSON.parse(snapshot.jsonld) as { review?: { reviewBody: string }[] };
    for (const [maxReviews, bodyMax] of [[5, 500], [3, 300], [0, 0]] as const) {
      const review = (product.review ?? []).slice(0, maxReviews).map((item) => ({ ...item, reviewBody: cut(item.reviewBody, bodyMax) }));
      const { review: _dropped, ...rest } = product;
      fitted.jsonld = scriptSafeJson(review.length > 0 ? { ...rest, review } : rest);
      if (fits(fitted)) return fitted;
    }
  }
  for (const max of [2000, 1000, 500, 200]) {
    fitted.reviews = snapshot.reviews.map((review) => ({ ...review, body: cut(review.body, max), reply: review.reply && { ...review.reply, body: cut(review.reply.body, max) } }));
    if (fits(fitted)) return fitted;
  }
  return fitted;
}

/** Page 1 in the default sort, made to fit: the value of the product's snapshot metafield. */
export function buildReviewSnapshot(reviews: readonly PublishedReview[], options: Omit<ReviewPageOptions, "page" | "sort">): ReviewSnapshot {
  return fitSnapshot(reviewPage(reviews, { ...options, page: 1, sort: DEFAULT_REVIEW_SORT }));
}

// ------------------------------------------------------------------ metafields

export type MetafieldValue = { namespace: string; key: string; type: string; value: string };
export type MetafieldIdentifier = { namespace: string; key: string };

/** Where the snapshot lives on the product (type json); the theme block reads product.metafields.avisa.reviews. */
export const SNAPSHOT_METAFIELD: MetafieldIdentifier = { namespace: "avisa", key: "reviews" };
export const RATING_METAFIELD: MetafieldIdentifier = { namespace: "reviews", key: "rating" };
export const RATING_COUNT_METAFIELD: MetafieldIdentifier = { namespace: "reviews", key: "rating_count" };

export type RatingMetafields = {
  /** reviews.rating (type rating), or null when there are no published reviews: delete the metafield. */
  rating: MetafieldValue | null;
  /** reviews.rating_count (type number_integer): always written, "0" when there are none. */
  ratingCount: MetafieldValue;
};

/** Shopify's standard review metafields; values are the strings metafieldsSet expects. */
export function ratingMetafields(summary: Pick<ReviewSummary, "average" | "count">): RatingMetafields {
  return {
    rating:
      summary.count === 0
        ? null
        : {
            ...RATING_METAFIELD,
            type: "rating",
            value: JSON.stringify({ value: summary.average.toFixed(1), scale_min: "1.0", scale_max: "5.0" }),
          },
    ratingCount: { ...RATING_COUNT_METAFIELD, type: "number_integer", value: String(summary.count) },
  };
}

/**
 * Everything to write for a product, from its page-1, default-sort snapshot: the snapshot
 * itself (fitted to the size cap), reviews.rating_count, and reviews.rating — which is deleted
 * instead when no review is published (a "rating" of 0 would fall outside its 1–5 scale).
 */
export function reviewMetafieldValues(snapshot: ReviewSnapshot): { set: MetafieldValue[]; delete: MetafieldIdentifier[] } {
  const { rating, ratingCount } = ratingMetafields(snapshot);
  const set: MetafieldValue[] = [{ ...SNAPSHOT_METAFIELD, type: "json", value: JSON.stringify(fitSnapshot(snapshot)) }, ratingCount];
  if (rating) set.push(rating);
  return { set, delete: rating ? [] : [RATING_METAFIELD] };
}
