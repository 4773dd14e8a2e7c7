import type { ActionFunctionArgs } from "@remix-run/node";
import { services } from "~/server/container.server";
import { readStorefrontForm, storefrontCaller, storefrontReply } from "~/server/storefront/proxy-request.server";
import { storefrontLocaleOf, storefrontMessage } from "~/server/storefront/storefront-messages";
import { receiveContactRequest } from "~/server/services/storefront-inbox.server";

// POST https://{shop}/apps/avisa/contact — the storefront contact block. Signed by Shopify's app
// proxy; the body is not, so every field is validated. Creates or joins a ticket in the inbox.
export const action = async ({ request }: ActionFunctionArgs) => {
  const caller = await storefrontCaller(request);
  const form = await readStorefrontForm(request);
  const fallbackLocale = storefrontLocaleOf(caller.shop.primaryLocale);
  if (form === "too_large") return storefrontReply(request, { status: 413, ok: false, message: storefrontMessage("tooLarge", fallbackLocale), locale: fallbackLocale });
  if (form === "unreadable") return storefrontReply(request, { status: 400, ok: false, message: "The form could not be read: send it as multipart/form-data or urlencoded.", locale: fallbackLocale });
  const locale = storefrontLocaleOf(form.fields.locale ?? caller.shop.primaryLocale);
  const returnTo = form.fields.return_to;
  const { database, logger } = services();
  const outcome = await receiveContactRequest(caller, form.fields, { database, logger });
  switch (outcome.kind) {
    case "invalid":
      return storefrontReply(request, { status: 400, ok: false, message: storefrontMessage("fixFields", locale), errors: outcome.errors, locale, returnTo });
    case "rate_limited":
      return storefrontReply(request, { status: 429, ok: false, message: storefrontMessage("tooMany", locale), locale, returnTo, headers: { "Retry-After": String(outcome.retryAfterSeconds) } });
    case "ignored":
    case "accepted":
      return storefrontReply(request, { status: 200, ok: true, message: storefrontMessage("contactReceived", locale), locale, returnTo });
  }
};
