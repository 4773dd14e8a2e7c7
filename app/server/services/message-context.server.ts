// Builds the Liquid context for one message at send time from the current state: the shop's
// branding, the shopper, the order / checkout / fulfilment it is about, signed links (review,
// survey, unsubscribe) and the discount code already created for it. Values are formatted for
// the message's locale here, so templates only place them.
import { createHmac } from "node:crypto";
import type { LineItem } from "../../domain/events/normalise";
import { formatDateIn, formatMoneyIn, shipmentStatusLabel } from "../../domain/templating/format";
import type { LineItemVariables, TemplateContext, TemplateLocale } from "../../domain/templating/message-types";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import type { AdminGraphql } from "../../domain/ports";
import { config } from "../config.server";
import { signToken, type TokenPurpose } from "../crypto/signed-token.server";
import type { Database } from "../db.server";
import type { MessageRow } from "./dispatch-message.server";
import { productFacts, type ProductFacts } from "./product-catalogue.server";

/** What scheduling stored in Message.variables for a templated message. */
export type MessageVariables = {
  discount?: { percentage: number; expiresInHours: number; code?: string; expiresAt?: string };
  productIds?: string[];
  cancelWhen?: string[];
  to?: { email: string | null; phone: string | null };
  contactRequest?: { name: string; email?: string; phone?: string; message: string; ticketId?: string };
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Link tokens use their own key, derived from the encryption key (one secret to manage). */
export function linkTokenKey(): Buffer {
  return createHmac("sha256", config().encryptionKey).update("avisa link tokens v1").digest();
}

export function signedLink(purpose: TokenPurpose, data: unknown, now: Date, days: number): string {
  return signToken(linkTokenKey(), purpose, data, new Date(now.getTime() + days * DAY_MS));
}

export type ContextDependencies = { database: Database; now: Date; adminGraphql: () => Promise<AdminGraphql> };

export async function buildMessageContext(message: MessageRow, locale: TemplateLocale, deps: ContextDependencies): Promise<TemplateContext> {
  const { database, now } = deps;
  const app = config();
  const shop = await database.shop.findUniqueOrThrow({ where: { id: message.shopId } });
  const settings = parseShopSettings(shop.settings);
  const variables = JSON.parse(message.variables) as MessageVariables;
  const storefront = `https://${shop.domain}`;
  const contact = message.contactId ? await database.contact.findFirst({ where: { id: message.contactId, shopId: message.shopId } }) : null;
  const order = message.orderId ? await database.order.findFirst({ where: { id: message.orderId, shopId: message.shopId } }) : null;
  const checkout = message.checkoutToken ? await database.checkout.findUnique({ where: { shopId_token: { shopId: message.shopId, token: message.checkoutToken } } }) : null;
  const fulfillment = message.fulfillmentId ? await database.fulfillment.findFirst({ where: { id: message.fulfillmentId, shopId: message.shopId } }) : null;

  const lineItems: LineItem[] = JSON.parse(order?.lineItems ?? checkout?.lineItems ?? "[]");
  const currency = order?.currency ?? checkout?.currency ?? shop.currency;
  const productIds = [...lineItems.map((item) => item.productId).filter((id): id is string => !!id), ...(variables.productIds ?? [])];
  let products = new Map<string, ProductFacts>();
  if (productIds.length > 0) {
    // Images and links make the message nicer; without them it still goes out.
    products = await productFacts(shop.domain, productIds, deps.adminGraphql).catch(() => new Map());
  }
  const productUrl = (facts: ProductFacts | undefined) => facts?.url ?? (facts ? `${storefront}/products/${facts.handle}` : storefront);
  const items: LineItemVariables[] = lineItems.map((item) => {
    const facts = item.productId ? products.get(item.productId) : undefined;
    return {
      title: item.title,
      ...(item.variantTitle ? { variant_title: item.variantTitle } : {}),
      quantity: item.quantity,
      price: formatMoneyIn(item.price, currency, locale),
      ...(facts?.imageUrl ? { image_url: facts.imageUrl } : {}),
      url: productUrl(facts),
    };
  });

  const firstName = contact?.firstName ?? undefined;
  const lastName = contact?.lastName ?? undefined;
  const context: TemplateContext = {
    shop: {
      name: shop.name,
      url: storefront,
      email: settings.sender.replyTo ?? shop.email ?? "",
      ...(settings.brand.logoUrl ? { logo_url: settings.brand.logoUrl } : {}),
      brand_color: settings.brand.color,
    },
    customer: { first_name: firstName, last_name: lastName, name: [firstName, lastName].filter(Boolean).join(" ") || undefined },
  };

  if (message.purpose === "marketing" && message.contactId) {
    const token = signedLink("unsubscribe", { s: message.shopId, c: message.contactId, ch: message.channel }, now, 365);
    context.unsubscribe_url = `${app.shopify.appUrl}/unsubscribe?token=${token}`;
  }
  if (order) {
    context.order = {
      name: order.name,
      total: formatMoneyIn(order.totalPrice, currency, locale),
      status_url: order.statusUrl ?? `${storefront}/account`,
      items,
    };
  }
  if (fulfillment) {
    context.fulfillment = {
      ...(fulfillment.trackingCompany ? { tracking_company: fulfillment.trackingCompany } : {}),
      ...(fulfillment.trackingNumber ? { tracking_number: fulfillment.trackingNumber } : {}),
      ...(fulfillment.trackingUrl ? { tracking_url: fulfillment.trackingUrl } : {}),
      ...(fulfillment.shipmentStatus ? { status: shipmentStatusLabel(fulfillment.shipmentStatus, locale) } : {}),
    };
  }
  if (checkout) {
    context.checkout = { total: formatMoneyIn(checkout.totalPrice, currency, locale), recovery_url: checkout.recoveryUrl ?? `${storefront}/cart`, items };
  }
  if (variables.discount?.code) {
    context.discount = {
      code: variables.discount.code,
      value: `${variables.discount.percentage}%`,
      expires_at: variables.discount.expiresAt ? formatDateIn(new Date(variables.discount.expiresAt), locale, shop.timeZone) : "",
    };
  }
  // The product a review, reminder or care message is about: the tagged one, else the first bought.
  const productId = variables.productIds?.[0] ?? lineItems.find((item) => item.productId)?.productId ?? null;
  if (productId) {
    const facts = products.get(productId);
    const title = facts?.title ?? lineItems.find((item) => item.productId === productId)?.title ?? "";
    context.product = { title, url: productUrl(facts), ...(facts?.imageUrl ? { image_url: facts.imageUrl } : {}) };
    context.care = { instructions: facts?.description ?? "" };
    if (order) {
      // The signed token makes the review a verified purchase (the storefront form checks it).
      const token = signedLink("review", { s: message.shopId, o: order.shopifyOrderId, p: productId, c: message.contactId }, now, 120);
      context.review = { url: `${storefront}/apps/avisa/review?product=${productId}&token=${token}` };
    }
  }
  const surveyToken = signedLink("survey", { s: message.shopId, m: message.id }, now, 60);
  context.survey = {
    url_1: `${app.shopify.appUrl}/survey?token=${surveyToken}&rating=1`,
    url_2: `${app.shopify.appUrl}/survey?token=${surveyToken}&rating=2`,
    url_3: `${app.shopify.appUrl}/survey?token=${surveyToken}&rating=3`,
    url_4: `${app.shopify.appUrl}/survey?token=${surveyToken}&rating=4`,
    url_5: `${app.shopify.appUrl}/survey?token=${surveyToken}&rating=5`,
  };
  if (variables.contactRequest) {
    const request = variables.contactRequest;
    context.contact_request = {
      name: request.name,
      ...(request.email ? { email: request.email } : {}),
      ...(request.phone ? { phone: request.phone } : {}),
      message: request.message,
      url: `${app.shopify.appUrl}/app/inbox${request.ticketId ? `/${request.ticketId}` : ""}`,
    };
  }
  return context;
}
