// The storefront pages the app proxy serves around reviews, rendered from the theme app
// extension's own snippets (one markup source): a page of reviews (JSON, the list fragment the
// block swaps in, or a themed page that paginates without JavaScript) and the review form a
// review-request link opens. Answers Shopify renders as Liquid carry nothing a shopper typed
// that Liquid could run: the engine's escape also escapes braces, and the CSS sits in {% raw %}.
import { parseReviewSort, type ReviewSort } from "../../domain/reviews/review-summary";
import { extensionAsset, renderExtensionSnippet, translate } from "./extension-liquid.server";
import { escapeForLiquidPage, safeReturnPath } from "./proxy-request.server";
import { storefrontLocaleOf, type StorefrontLocale } from "./storefront-messages";

/** The proxy page's assets live in the extension; Shopify serves them from its CDN for blocks. */
const ASSET_BASE = "/apps/avisa/assets/";

export type ReviewListQuery = { productId: string; page: number; sort: ReviewSort; format: "page" | "json" | "fragment"; locale: StorefrontLocale };

export function reviewListQuery(params: URLSearchParams): { ok: true; value: ReviewListQuery } | { ok: false; error: string } {
  const productId = (params.get("product_id") ?? "").trim();
  if (!/^\d{1,20}$/.test(productId)) return { ok: false, error: "Say which product: product_id must be the product's numeric id." };
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  const format = params.get("format");
  return {
    ok: true,
    value: {
      productId,
      page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1,
      sort: parseReviewSort(params.get("sort")),
      format: format === "json" || format === "fragment" ? format : "page",
      locale: storefrontLocaleOf(params.get("locale")),
    },
  };
}

type ReviewPageData = Awaited<ReturnType<typeof import("../services/reviews.server").storefrontReviewPage>>;

/** Shopify may cache proxy answers briefly; a minute matches the app's own page cache. */
const PUBLIC_CACHE = "public, max-age=60";

export async function renderReviewListPage(request: Request, page: ReviewPageData, query: ReviewListQuery): Promise<Response> {
  if (query.format === "json") return Response.json(page, { headers: { "Cache-Control": PUBLIC_CACHE } });
  const options = { locale: query.locale, assetBaseUrl: ASSET_BASE };
  const list = await renderExtensionSnippet("avisa-review-list", { data: page, request: { locale: { iso_code: query.locale } } }, options);
  if (query.format === "fragment") return new Response(list, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": PUBLIC_CACHE } });
  const summary = await renderExtensionSnippet("avisa-review-summary", { data: page, form_anchor: "" }, options);
  const heading = escapeForLiquidPage(translate(query.locale, "avisa.reviews.heading"));
  return liquidPage(`<section class="avisa-reviews"><h1>${heading}</h1>${summary}${list}</section>`, { cacheControl: PUBLIC_CACHE, locale: query.locale });
}

/** The page a review-request link opens: the form, carrying the signed token. */
export async function renderReviewFormPage(input: { productId: string; productTitle: string | null; token: string; locale: string; returnTo: string }): Promise<Response> {
  const locale = storefrontLocaleOf(input.locale);
  const form = await renderExtensionSnippet(
    "avisa-review-form",
    { product_id: input.productId, token: input.token, return_to: safeReturnPath(input.returnTo), form_id: "request", request: { locale: { iso_code: locale } } },
    { locale, assetBaseUrl: ASSET_BASE },
  );
  const title = input.productTitle ? `<h1>${escapeForLiquidPage(input.productTitle)}</h1>` : "";
  return liquidPage(`<section class="avisa-reviews">${title}${form}</section>`, { cacheControl: "no-store", locale, withFormScript: true });
}

function liquidPage(body: string, options: { cacheControl: string; locale: StorefrontLocale; withFormScript?: boolean }): Response {
  const { cacheControl, locale, withFormScript = false } = options;
  const css = extensionAsset("avisa.css")?.body.toString("utf8") ?? "";
  const script = withFormScript ? `<script src="${ASSET_BASE}avisa-forms.js" defer></script>` : "";
  const html = `{% raw %}<style>${css}</style>{% endraw %}<div class="avisa-proxy-page" style="max-width:48rem;margin:2rem auto;padding:0 1rem">${body}</div>${script}`;
  return new Response(html, { headers: { "Content-Type": "application/liquid; charset=utf-8", "Cache-Control": cacheControl, "Content-Language": locale } });
}
