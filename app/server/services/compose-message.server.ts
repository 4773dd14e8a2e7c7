// Composes a message at send time. Templated messages (every automation) render the shop's
// template for their type, channel and locale over the current state; a recovery step that
// carries a discount gets its unique code first (created once through Admin GraphQL and kept on
// the message, so a retry reuses it). Messages written with their content captured (test sends)
// render that content. The recipient was chosen by the send-time checks (routeCheck).
import { ProviderError } from "../../domain/errors";
import type { AdminGraphql, Channel, Clock, OutgoingMessage } from "../../domain/ports";
import { renderMessage } from "../../domain/templating/liquid";
import { isMessageType, resolveTemplateLocale } from "../../domain/templating/message-types";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import type { Database } from "../db.server";
import { messageSending } from "../repositories/message-sending.server";
import type { MessageComposer, MessageRow } from "./dispatch-message.server";
import { buildMessageContext, type MessageVariables } from "./message-context.server";
import { renderableTemplate } from "./templates.server";

/** What a message with no template carries: the text as written, and for answers where they go. */
type CapturedContent = { subject?: string; text?: string; html?: string; to?: string; replyTo?: string };

export type ComposerDependencies = { database: Database; clock: Clock; adminGraphql: (shopId: string) => Promise<AdminGraphql> };

export function messageComposer(deps: ComposerDependencies): MessageComposer {
  const captured = capturedContentComposer(deps.database);
  return async (message, route) => {
    if (!message.messageType) return captured(message, route);
    if (!isMessageType(message.messageType)) throw new Error(`unknown message type ${message.messageType}`);
    const type = message.messageType;
    const channel = message.channel as Channel;
    const locale = resolveTemplateLocale(message.locale);
    const now = deps.clock.now();
    if (type === "cart_recovery_discount") message = await withDiscountCode(message, deps, now);

    const context = await buildMessageContext(message, locale, { database: deps.database, now, adminGraphql: () => deps.adminGraphql(message.shopId) });
    const template = await renderableTemplate(deps.database, message.shopId, type, channel, locale);
    const rendered = renderMessage(template, context);
    if (!message.recipient) throw new Error("no recipient was chosen for this message");

    const outgoing: OutgoingMessage = {
      shopId: message.shopId,
      channel,
      to: message.recipient,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      metadata: { messageId: message.id, ...(channel === "email" && context.unsubscribe_url ? { unsubscribeUrl: context.unsubscribe_url } : {}) },
    };
    if (channel === "whatsapp" && route.whatsappMode === "template") {
      // Outside the 24-hour window only an approved template may go out; its variables are fixed.
      const shop = await deps.database.shop.findUniqueOrThrow({ where: { id: message.shopId }, select: { settings: true } });
      outgoing.contentSid = parseShopSettings(shop.settings).whatsappTemplates[type];
      outgoing.contentVariables = {
        "1": context.customer.first_name ?? "",
        "2": context.order?.name ?? context.shop.name,
        "3": context.fulfillment?.tracking_url ?? context.checkout?.recovery_url ?? context.review?.url ?? context.order?.status_url ?? context.shop.url,
      };
    }
    return outgoing;
  };
}

const DISCOUNT_MUTATION = `mutation AvisaRecoveryDiscount($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;

/** A unique, expiring, single-use code for this shopper, created once per message. */
async function withDiscountCode(message: MessageRow, deps: ComposerDependencies, now: Date): Promise<MessageRow> {
  const variables = JSON.parse(message.variables) as MessageVariables;
  const discount = variables.discount;
  if (!discount || discount.code) return message;
  const contact = message.contactId ? await deps.database.contact.findFirst({ where: { id: message.contactId, shopId: message.shopId } }) : null;
  // Derived from the message id: a retry after a lost answer asks for the same code (TAKEN → reuse).
  const code = `AVISA-${message.id.slice(-8).toUpperCase()}`;
  const expiresAt = new Date(now.getTime() + discount.expiresInHours * 60 * 60 * 1000);
  const graphql = await deps.adminGraphql(message.shopId);
  const response = await graphql<{ discountCodeBasicCreate: { userErrors: Array<{ code: string | null; message: string }> } }>(DISCOUNT_MUTATION, {
    input: {
      title: `Avisa cart recovery ${code}`,
      code,
      startsAt: now.toISOString(),
      endsAt: expiresAt.toISOString(),
      context: contact?.shopifyCustomerId ? { customers: { add: [`gid://shopify/Customer/${contact.shopifyCustomerId}`] } } : { all: "ALL" },
      customerGets: { value: { percentage: discount.percentage / 100 }, items: { all: true } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
    },
  });
  if (response.errors?.length) throw new ProviderError(`Shopify refused the discount: ${response.errors.map((e) => e.message).join("; ")}`, true);
  const userErrors = (response.data?.discountCodeBasicCreate.userErrors ?? []).filter((error) => error.code !== "TAKEN");
  if (userErrors.length) throw new ProviderError(`Shopify refused the discount code: ${userErrors.map((e) => e.message).join("; ")}`, false);

  const saved = JSON.stringify({ ...variables, discount: { ...discount, code, expiresAt: expiresAt.toISOString() } });
  await deps.database.message.update({ where: { id: message.id }, data: { variables: saved } });
  return { ...message, variables: saved }; // keeps the channel and recipient chosen at send time
}

/** Content captured when the message was written (test sends, older messages). */
export function capturedContentComposer(database: Database): MessageComposer {
  return async (message: MessageRow): Promise<OutgoingMessage> => {
    const content = JSON.parse(message.variables) as CapturedContent;
    if (!content.text) throw new Error("the message has no text");
    const contact = message.contactId ? await messageSending(database).contactAddresses(message.shopId, message.contactId) : null;
    const channel = message.channel as Channel;
    // An answer goes where the shopper wrote from; otherwise a changed address is honoured.
    const to = content.to ?? (channel === "email" ? contact?.email : contact?.phone) ?? message.recipient;
    if (!to) throw new Error(`no ${channel === "email" ? "email address" : "phone number"} for this shopper`);
    return {
      shopId: message.shopId, channel, to, subject: content.subject, html: content.html, text: content.text, metadata: { messageId: message.id },
      ...(content.replyTo ? { replyTo: content.replyTo } : {}),
    };
  };
}
