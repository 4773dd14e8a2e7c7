// Reviews in and out as Judge.me CSV (app/domain/reviews/judgeme-csv.ts), so a merchant can
// move to Avisa — or away from it — with their reviews. Rows naming only a product handle are
// resolved through the Admin API; importing the same file twice adds nothing (importKey).
import { exportJudgeMeCsv, parseJudgeMeCsv, type CsvProblem, type CsvProblemCode, type ImportedReview, type JudgeMeReview } from "../../domain/reviews/judgeme-csv";
import type { ReviewStatus } from "../../domain/reviews/publish-rule";
import type { AdminGraphql, Clock } from "../../domain/ports";
import type { Database } from "../db.server";
import { scheduleMetafieldSync } from "./reviews.server";

/** A CSV larger than this is refused before parsing (about 20,000 reviews). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/**
 * Every problem carries a code and values for the admin to word in the merchant's language (the
 * English `message` is for logs). This service's own: unknown_handle (params.handle: no product
 * with that handle in the store); the CSV parser's: JUDGEME_CSV_PROBLEM_CODES
 * (app/domain/reviews/judgeme-csv.ts), with the values listed there.
 */
export const IMPORT_PROBLEM_CODES = ["unknown_handle"] as const;
export type ImportProblemCode = (typeof IMPORT_PROBLEM_CODES)[number];
export type ImportProblem = { line: number; message: string; code: ImportProblemCode | CsvProblemCode; params: Record<string, string | number> };

const fromParser = ({ line, code, params, message }: CsvProblem): ImportProblem => ({ line, code, params, message });

/** Why nothing was imported: too_large (over MAX_IMPORT_BYTES), no_reviews (no line could be read; see `problems`). */
export const IMPORT_REFUSAL_CODES = ["too_large", "no_reviews"] as const;
export type ImportRefusalCode = (typeof IMPORT_REFUSAL_CODES)[number];

export type ImportResult =
  | { ok: true; imported: number; skipped: number; problems: ImportProblem[]; warnings: ImportProblem[] }
  | { ok: false; status: 400; code: ImportRefusalCode; error: string; problems?: ImportProblem[] };

export async function importReviewsCsv(
  database: Database,
  input: { shopId: string; csv: string; clock: Clock; adminGraphql: () => Promise<AdminGraphql> },
): Promise<ImportResult> {
  const now = input.clock.now();
  if (input.csv.length > MAX_IMPORT_BYTES) return { ok: false, status: 400, code: "too_large", error: "This file is larger than 10 MB. Split it into smaller files and import them one by one." };
  const parsed = parseJudgeMeCsv(input.csv, { now });
  const problems: ImportProblem[] = parsed.errors.map(fromParser);
  if (parsed.rows.length === 0) {
    return { ok: false, status: 400, code: "no_reviews", error: problems[0]?.message ?? "The file has no reviews to import.", problems };
  }

  const handles = [...new Set(parsed.rows.filter((row) => !row.productId && row.productHandle).map((row) => row.productHandle!))];
  const byHandle = handles.length ? await productIdsByHandle(handles, input.adminGraphql) : new Map<string, { id: string; title: string }>();
  const resolved: (ImportedReview & { productId: string })[] = [];
  for (const row of parsed.rows) {
    const productId = row.productId ?? (row.productHandle ? byHandle.get(row.productHandle)?.id : undefined);
    if (!productId) {
      problems.push({
        line: row.line, code: "unknown_handle", params: { handle: row.productHandle ?? "" },
        message: `No product with the handle "${row.productHandle}" in this store: check the product_handle column.`,
      });
    }
    else resolved.push({ ...row, productId });
  }

  const existing = new Set(
    (await database.review.findMany({ where: { shopId: input.shopId, importKey: { in: resolved.map((row) => row.importKey) } }, select: { importKey: true } }))
      .map((row) => row.importKey),
  );
  const fresh = resolved.filter((row) => !existing.has(row.importKey));
  await database.$transaction(async (tx) => {
    for (const row of fresh) {
      const review = await tx.review.create({
        data: {
          shopId: input.shopId, shopifyProductId: row.productId, productHandle: row.productHandle,
          productTitle: row.productHandle ? (byHandle.get(row.productHandle)?.title ?? null) : null,
          rating: row.rating, title: row.title, body: row.body, authorName: row.authorName || "Anonymous", authorEmail: row.authorEmail,
          status: row.status, source: "import", verifiedBuyer: false, importKey: row.importKey,
          replyBody: row.replyBody, repliedAt: row.repliedAt, publishedAt: row.status === "published" ? row.createdAt : null, createdAt: row.createdAt,
        },
      });
      for (const [position, url] of row.pictureUrls.entries()) {
        await tx.reviewPhoto.create({ data: { shopId: input.shopId, reviewId: review.id, position, url, createdAt: now } });
      }
    }
    await scheduleMetafieldSync(tx, input.shopId, fresh.filter((row) => row.status === "published").map((row) => row.productId), now);
  }, { timeout: 60_000 });
  return {
    ok: true, imported: fresh.length, skipped: resolved.length - fresh.length, problems,
    warnings: parsed.warnings.map(fromParser),
  };
}

async function productIdsByHandle(handles: string[], adminGraphql: () => Promise<AdminGraphql>): Promise<Map<string, { id: string; title: string }>> {
  const found = new Map<string, { id: string; title: string }>();
  const graphql = await adminGraphql();
  for (let start = 0; start < handles.length; start += 50) {
    const batch = handles.slice(start, start + 50);
    const query = batch.map((handle) => `handle:${JSON.stringify(handle)}`).join(" OR ");
    const response = await graphql<{ products: { nodes: { legacyResourceId: string; handle: string; title: string }[] } }>(
      `query AvisaProductsByHandle($query: String!) { products(first: 50, query: $query) { nodes { legacyResourceId handle title } } }`,
      { query },
    );
    for (const node of response.data?.products.nodes ?? []) found.set(node.handle, { id: node.legacyResourceId, title: node.title });
  }
  return found;
}

export async function exportReviewsCsv(database: Database, shopId: string): Promise<string> {
  const reviews = await database.review.findMany({
    where: { shopId }, orderBy: { createdAt: "asc" },
    include: { photos: { select: { id: true, url: true }, orderBy: { position: "asc" } } },
  });
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  const rows: JudgeMeReview[] = reviews.map((review) => ({
    productId: review.shopifyProductId, productHandle: review.productHandle, rating: review.rating, title: review.title, body: review.body,
    authorName: review.authorName, authorEmail: review.authorEmail, createdAt: review.createdAt, status: review.status as ReviewStatus,
    source: review.source, replyBody: review.replyBody, repliedAt: review.repliedAt,
    // Uploaded photos are served by the store's app proxy; imported ones keep their address.
    pictureUrls: review.photos.map((photo) => photo.url ?? `https://${shop.domain}/apps/avisa/photos/${photo.id}`),
  }));
  return exportJudgeMeCsv(rows, { bom: true });
}
