import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { services } from "~/server/container.server";
import { adminGraphqlFor } from "~/server/admin-api.server";
import { readStorefrontForm, storefrontCaller, storefrontReply } from "~/server/storefront/proxy-request.server";
import { renderReviewListPage, reviewListQuery } from "~/server/storefront/review-pages.server";
import { storefrontLocaleOf, storefrontMessage } from "~/server/storefront/storefront-messages";
import { storefrontReviewPage, submitReview } from "~/server/services/reviews.server";

// GET https://{shop}/apps/avisa/reviews?product_id=…&page=…&sort=… — a page of published reviews:
// JSON for scripts (?format=json), the list's HTML for the block's "more reviews" (?format=fragment),
// else a whole page in the store's theme (pagination without JavaScript).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const caller = await storefrontCaller(request);
  const query = reviewListQuery(new URL(request.url).searchParams);
  if (!query.ok) return Response.json({ error: query.error }, { status: 400 });
  const page = await storefrontReviewPage(services().database, caller.shop, query.value);
  return renderReviewListPage(request, page, query.value);
};

// POST https://{shop}/apps/avisa/reviews — the review form (multipart with photos).
export const action = async ({ request }: ActionFunctionArgs) => {
  const caller = await storefrontCaller(request);
  const form = await readStorefrontForm(request);
  const fallbackLocale = storefrontLocaleOf(caller.shop.primaryLocale);
  if (form === "too_large") return storefrontReply(request, { status: 413, ok: false, message: storefrontMessage("tooLarge", fallbackLocale), locale: fallbackLocale });
  if (form === "unreadable") return storefrontReply(request, { status: 400, ok: false, message: "The form could not be read: send it as multipart/form-data or urlencoded.", locale: fallbackLocale });
  const locale = storefrontLocaleOf(form.fields.locale ?? caller.shop.primaryLocale);
  const returnTo = form.fields.return_to;
  const outcome = await submitReview(caller, form, { database: services().database, adminGraphql: () => adminGraphqlFor(caller.shop.domain) });
  switch (outcome.kind) {
    case "invalid":
      return storefrontReply(request, { status: 400, ok: false, message: storefrontMessage("fixFields", locale), errors: outcome.errors, locale, returnTo });
    case "rate_limited":
      return storefrontReply(request, { status: 429, ok: false, message: storefrontMessage("tooMany", locale), locale, returnTo, headers: { "Retry-After": String(outcome.retryAfterSeconds) } });
    case "duplicate":
      return storefrontReply(request, { status: 409, ok: false, message: storefrontMessage("reviewDuplicate", locale), locale, returnTo });
    case "unknown_product":
      return storefrontReply(request, { status: 404, ok: false, message: storefrontMessage("unknownProduct", locale), locale, returnTo });
    case "ignored":
      return storefrontReply(request, { status: 200, ok: true, message: storefrontMessage("reviewPending", locale), locale, returnTo });
    case "accepted": {
      const thanks = storefrontMessage(outcome.status === "published" ? "reviewPublished" : "reviewPending", locale);
      const problem = outcome.tokenProblem === "expired" ? "reviewLinkExpired" : outcome.tokenProblem === "not_confirmed" ? "reviewNotConfirmed" : null;
      const message = problem ? `${thanks} ${storefrontMessage(problem, locale)}` : thanks;
      return storefrontReply(request, { status: 201, ok: true, message, locale, returnTo, extra: { status: outcome.status, verified: outcome.verified } });
    }
  }
};
