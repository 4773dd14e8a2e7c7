import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { verifyAdminLink } from "~/server/services/admin-review-queries.server";
import { exportReviewsCsv } from "~/server/services/review-import.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

// GET /app/reviews/export?t=… — every review of the shop as a Judge.me-compatible CSV file.
// A download link inside Shopify's admin cannot send a session token, so the Reviews page's
// loader signs the link for its shop (?t=); without one the admin session is asked for.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const token = new URL(request.url).searchParams.get("t");
  let shopId: string;
  if (token) {
    // Links expire by the wall clock, not the demo clock.
    const checked = verifyAdminLink("reviews-export", "export", token, new Date());
    if (!checked.ok) return text(checked.reason === "expired" ? "This export link has expired: reload the Reviews page and click Export CSV again." : "This export link is not valid.", 403);
    shopId = checked.shopId;
  } else {
    shopId = (await requireAdmin(request)).shop.id;
  }
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  if (!shop) return text("This store is not installed any more.", 404);
  const csv = await exportReviewsCsv(db(), shopId);
  const date = new Date().toISOString().slice(0, 10);
  const name = `${shop.domain.replace(/\.myshopify\.com$/, "").replace(/[^\w-]/g, "-")}-reviews-${date}.csv`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
