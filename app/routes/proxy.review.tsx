import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminGraphqlFor } from "~/server/admin-api.server";
import { renderReviewFormPage } from "~/server/storefront/review-pages.server";
import { storefrontCaller } from "~/server/storefront/proxy-request.server";
import { productFacts } from "~/server/services/product-catalogue.server";

// GET https://{shop}/apps/avisa/review?product=…&token=… — where a review-request email links:
// the review form for that product, carrying the signed token that makes the review a verified
// purchase. The token is checked when the review is posted, not here (the form is harmless).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await storefrontCaller(request);
  const params = new URL(request.url).searchParams;
  const productId = (params.get("product") ?? "").replace(/\D/g, "");
  if (!productId) return new Response("This review link is incomplete: it names no product.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const facts = await productFacts(shop.domain, [productId], () => adminGraphqlFor(shop.domain)).catch(() => new Map());
  const product = facts.get(productId);
  return renderReviewFormPage({
    productId, productTitle: product?.title ?? null, token: params.get("token") ?? "",
    locale: params.get("locale") ?? shop.primaryLocale, returnTo: product?.handle ? `/products/${product.handle}` : "/",
  });
};
