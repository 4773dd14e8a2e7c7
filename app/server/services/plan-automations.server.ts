// Turns what just happened in a store into scheduled messages: builds the facts the pure planner
// needs (app/domain/automations/evaluate.ts) from the state processing just wrote, and writes one
// Message row per planned message — inside the processing transaction, so an event is either
// processed with its messages or not at all. A retried event plans the same idempotency keys.
import type { AutomationDefinition } from "../../domain/automations/definitions";
import { planMessagesExplained, type CheckoutFacts, type LineItemFacts, type OrderFacts, type PlannedMessage, type Trigger } from "../../domain/automations/evaluate";
import type { LineItem } from "../../domain/events/normalise";
import { parseShopSettings, resolveLocale } from "../../domain/settings/shop-settings";
import type { Logger } from "../../domain/ports";
import type { Database } from "../db.server";
import { shopAutomations } from "./automations.server";
import { scheduleMessage } from "./schedule-message.server";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** Product tags by product id, looked up before the transaction when a condition needs them. */
export type ProductTags = Map<string, string[]>;

type OrderRow = Awaited<ReturnType<Tx["order"]["findUniqueOrThrow"]>>;
type CheckoutRow = Awaited<ReturnType<Tx["checkout"]["findUniqueOrThrow"]>>;

const parseTags = (json: string | null | undefined): string[] => {
  try {
    const value = JSON.parse(json ?? "[]");
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

function lineItemFacts(lineItemsJson: string, productTags: ProductTags): LineItemFacts[] {
  return (JSON.parse(lineItemsJson) as LineItem[]).map((item) => ({
    productId: item.productId,
    productTags: item.productId ? (productTags.get(item.productId) ?? []) : [],
  }));
}

export async function orderFacts(tx: Tx, order: OrderRow, productTags: ProductTags): Promise<OrderFacts> {
  const contact = order.contactId ? await tx.contact.findUnique({ where: { id: order.contactId }, select: { tags: true } }) : null;
  return {
    id: order.id,
    name: order.name,
    totalPrice: order.totalPrice,
    tags: parseTags(order.tags),
    customerTags: parseTags(contact?.tags),
    lineItems: lineItemFacts(order.lineItems, productTags),
    placedAt: order.placedAt,
    cancelledAt: order.cancelledAt,
  };
}

export async function checkoutFacts(tx: Tx, checkout: CheckoutRow, productTags: ProductTags): Promise<CheckoutFacts> {
  const contact = checkout.contactId ? await tx.contact.findUnique({ where: { id: checkout.contactId }, select: { tags: true } }) : null;
  return {
    token: checkout.token,
    totalPrice: checkout.totalPrice,
    customerTags: parseTags(contact?.tags),
    lineItems: lineItemFacts(checkout.lineItems, productTags),
    lastActivityAt: checkout.shopifyUpdatedAt ?? checkout.startedAt,
    completedAt: checkout.completedAt,
  };
}

/** Whether any enabled automation looks at product tags (then processing fetches them first). */
export function needsProductTags(automations: AutomationDefinition[]): boolean {
  return automations.some((automation) => automation.enabled && automation.conditions.requiredProductTag);
}

export type PlanContext = {
  shopId: string;
  now: Date;
  logger: Logger;
  /** Who the messages are for, and what they are about. */
  contactId: string | null;
  localeHints: Array<string | null | undefined>;
  orderId?: string | null;
  checkoutToken?: string | null;
};

export async function planAndSchedule(tx: Tx, trigger: Trigger, context: PlanContext): Promise<number> {
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: context.shopId }, select: { settings: true, uninstalledAt: true, primaryLocale: true } });
  if (shop.uninstalledAt) return 0;
  const settings = parseShopSettings(shop.settings);
  const automations = await shopAutomations(tx, context.shopId);
  const plan = planMessagesExplained(trigger, automations, { now: context.now, consentPolicy: settings.consentPolicy });
  for (const skipped of plan.skipped) {
    context.logger.info("automation skipped", { shopId: context.shopId, automation: skipped.automation, step: skipped.step, reason: skipped.reason });
  }
  const locale = resolveLocale([...context.localeHints, shop.primaryLocale], settings);
  let scheduled = 0;
  for (const planned of plan.planned) {
    if (planned.audience === "shopper" && !context.contactId) continue; // nobody to write to
    const outcome = await scheduleMessage(tx, toNewMessage(planned, context, locale), context.now);
    if (outcome.created) scheduled++;
  }
  return scheduled;
}

function toNewMessage(planned: PlannedMessage, context: PlanContext, locale: string) {
  const merchant = planned.audience === "merchant";
  return {
    shopId: context.shopId,
    contactId: merchant ? null : context.contactId,
    automation: planned.automation,
    step: planned.step,
    subject: planned.subject,
    purpose: planned.purpose === "marketing" ? ("marketing" as const) : ("transactional" as const),
    channel: planned.channels[0],
    channels: planned.channels,
    messageType: planned.messageType,
    locale,
    recipient: null,
    runAt: planned.runAt,
    variables: {
      ...(planned.discount ? { discount: planned.discount } : {}),
      ...(planned.productIds ? { productIds: planned.productIds } : {}),
      ...(planned.cancelWhen.length ? { cancelWhen: planned.cancelWhen } : {}),
      ...(planned.to ? { to: planned.to } : {}),
    },
    checkoutToken: planned.checkoutToken ?? context.checkoutToken ?? null,
    orderId: planned.orderId ?? context.orderId ?? null,
    fulfillmentId: planned.fulfillmentId ?? null,
    whenAlreadyScheduled: planned.whenAlreadyScheduled,
  };
}
