import type { LoaderFunctionArgs } from "@remix-run/node";
import { services } from "~/server/container.server";
import { storefrontCaller } from "~/server/storefront/proxy-request.server";
import { publishedReviewPhoto } from "~/server/services/reviews.server";

// GET https://{shop}/apps/avisa/photos/:id — a shopper's review photo, once the review is published.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await storefrontCaller(request);
  const photo = await publishedReviewPhoto(services().database, shop.id, params.id ?? "");
  if (!photo) return new Response("This photo does not exist or is not published.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (photo.url) return Response.redirect(photo.url, 302);
  return new Response(photo.bytes, {
    headers: {
      "Content-Type": photo.contentType ?? "application/octet-stream",
      // Photos never change once stored; nosniff keeps a browser from treating one as a page.
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
};
