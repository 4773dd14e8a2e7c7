import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { adminReviewPhoto, verifyAdminLink } from "~/server/services/admin-review-queries.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

// GET /app/reviews/photos/:id?t=… — a review photo for the admin's moderation list, whatever the
// review's status. An <img> inside Shopify's admin cannot send a session token, so the Reviews
// page's loader signs each thumbnail link for its shop (?t=); without one the admin session is asked for.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const photoId = params.id ?? "";
  const token = new URL(request.url).searchParams.get("t");
  let shopId: string;
  if (token) {
    // Links expire by the wall clock, not the demo clock.
    const checked = verifyAdminLink("review-photo", photoId, token, new Date());
    if (!checked.ok) return text(checked.reason === "expired" ? "This photo link has expired: reload the Reviews page." : "This photo link is not valid.", 403);
    shopId = checked.shopId;
  } else {
    shopId = (await requireAdmin(request)).shop.id;
  }
  const photo = await adminReviewPhoto(db(), shopId, photoId);
  if (!photo) return text("This photo does not exist in your store.", 404);
  if (photo.kind === "redirect") return Response.redirect(photo.url, 302);
  return new Response(photo.bytes, {
    headers: {
      "Content-Type": photo.contentType,
      // A shopper's photo of a review that may not be public: this browser only.
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
};
