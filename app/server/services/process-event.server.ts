// Processes one ledger row (a job): normalise the payload once, then bring the shop's
// Contact / Checkout / Order / Fulfilment / consent state up to date in one transaction.
// Deliveries can be duplicated, reordered or a day late: older data never overwrites newer,
// and an order carrying a checkout's token completes it and cancels its pending recovery.
import type { Checkout, ConsentChange, Customer, DomainEvent, Fulfillment, Order } from "../../domain/events/normalise";
import { normaliseShopifyEvent } from "../../domain/events/normalise";
import { parseShopifyJson } from "../../domain/events/shopify-json";
import { reason, statusReasonData, type MessageReason } from "../../domain/messages/message-reason";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import { timeZoneOf } from "../../domain/scheduling/time-zones";
import type { Trigger } from "../../domain/automations/evaluate";
import { adminGraphqlFor } from "../admin-api.server";
import { services } from "../container.server";
import { db, type Database } from "../db.server";
import { shopAutomations } from "./automations.server";
import { checkoutFacts, needsProductTags, orderFacts, planAndSchedule, type PlanContext, type ProductTags } from "./plan-automations.server";
import { productFacts } from "./product-catalogue.server";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** What processing found worth telling the automations, planned once the state is written. */
type Happening = { trigger: (tx: Tx, productTags: ProductTags) => Promise<Trigger>; context: Omit<PlanContext, "now" | "logger" | "shopId"> };

/** An order placed within this long of a recovery message counts as that message's recovered revenue. */
const ATTRIBUTION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Thrown when an event refers to something not known yet (e.g. a fulfilment before its order). */
export class NotReadyYet extends Error {}

export type ProcessOutcome = "processed" | "already_processed" | "invalid" | "not_found";

export async function processLedgerEvent(ledgerId: string): Promise<ProcessOutcome> {
  const row = await db().eventLedger.findUnique({ where: { id: ledgerId } });
  if (!row) return "not_found"; // redacted or the shop was deleted meanwhile
  if (row.status === "processed") return "already_processed";

  const normalised = normaliseShopifyEvent(row.topic, parseShopifyJson(row.payload));
  const now = services().clock.now();
  if (!normalised.ok) {
    // A payload that does not parse will not parse on retry either: record why, do not retry.
    await db().eventLedger.update({ where: { id: row.id }, data: { status: "invalid", error: normalised.error, processedAt: now } });
    services().logger.warn("event payload not understood", { shopId: row.shopId, topic: row.topic, ledgerId: row.id, reason: normalised.error });
    return "invalid";
  }
  const productTags = normalised.value ? await productTagsFor(row.shopId, normalised.value) : new Map<string, string[]>();
  const { logger } = services();
  await db().$transaction(async (tx) => {
    const happenings: Happening[] = [];
    if (normalised.value) await applyEvent(tx, row.shopId, normalised.value, now, happenings);
    for (const happening of happenings) {
      await planAndSchedule(tx, await happening.trigger(tx, productTags), { ...happening.context, shopId: row.shopId, now, logger });
    }
    await tx.eventLedger.update({ where: { id: row.id }, data: { status: "processed", error: null, processedAt: now } });
  });
  return "processed";
}

/**
 * Product tags, only when an enabled automation has a product-tag condition, fetched before the
 * transaction (an Admin API call must not hold database locks). Without them the condition
 * simply does not match; nothing else is held up.
 */
async function productTagsFor(shopId: string, event: DomainEvent): Promise<ProductTags> {
  let items = "order" in event ? event.order.lineItems : "checkout" in event ? event.checkout.lineItems : [];
  if ("fulfillment" in event) {
    // A carrier update names only the order: its products are the ones processing stored.
    const order = await db().order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: event.fulfillment.shopifyOrderId } }, select: { lineItems: true } });
    items = order ? (JSON.parse(order.lineItems) as typeof items) : [];
  }
  const productIds = items.map((item) => item.productId).filter((id): id is string => !!id);
  if (productIds.length === 0) return new Map();
  if (!needsProductTags(await shopAutomations(db(), shopId))) return new Map();
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  try {
    const facts = await productFacts(shop.domain, productIds, () => adminGraphqlFor(shop.domain));
    return new Map([...facts].map(([id, product]) => [id, product.tags]));
  } catch (error) {
    services().logger.warn("product tags unavailable", { shopId, reason: (error as Error).message });
    return new Map();
  }
}

async function applyEvent(tx: Tx, shopId: string, event: DomainEvent, now: Date, happenings: Happening[]): Promise<void> {
  switch (event.type) {
    case "order.placed":
    case "order.updated":
    case "order.cancelled":
    case "order.fulfilled":
      return applyOrder(tx, shopId, event.order, now, happenings, event.type === "order.placed");
    case "checkout.started":
    case "checkout.updated":
      return applyCheckout(tx, shopId, event.checkout, now, happenings);
    case "fulfillment.created":
    case "fulfillment.updated":
      return applyFulfillment(tx, shopId, event.fulfillment, happenings);
    case "consent.changed":
      return applyConsent(tx, shopId, event.consent, now);
  }
}

/** Finds the shopper by Shopify customer id, then email, then phone; creates or refreshes them. */
async function upsertContact(tx: Tx, shopId: string, customer: Customer): Promise<string | null> {
  if (!customer.shopifyCustomerId && !customer.email && !customer.phone) return null;
  const candidates = [
    customer.shopifyCustomerId ? { shopifyCustomerId: customer.shopifyCustomerId } : null,
    customer.email ? { email: customer.email } : null,
    customer.phone ? { phone: customer.phone } : null,
  ].filter((c) => c !== null);
  const existing = await tx.contact.findFirst({ where: { shopId, OR: candidates }, orderBy: { createdAt: "asc" } });
  const known = (value: string | null) => value ?? undefined; // never erase what we knew with a blank
  const fields = {
    email: known(customer.email),
    phone: known(customer.phone),
    firstName: known(customer.firstName),
    lastName: known(customer.lastName),
    locale: known(customer.locale),
    countryCode: known(customer.countryCode),
    provinceCode: known(customer.provinceCode),
    timeZone: known(timeZoneOf(customer.countryCode, customer.provinceCode)),
    tags: customer.tags.length ? JSON.stringify(customer.tags) : undefined,
  };
  if (existing) {
    await tx.contact.update({
      where: { id: existing.id },
      data: { ...fields, shopifyCustomerId: existing.shopifyCustomerId ?? known(customer.shopifyCustomerId) },
    });
    return existing.id;
  }
  if (customer.shopifyCustomerId) {
    // Two orders of one new customer can be processed at once: a native upsert (INSERT … ON
    // CONFLICT) lets both land on the same row instead of one failing on the unique key.
    const key = { shopId, shopifyCustomerId: customer.shopifyCustomerId };
    const saved = await tx.contact.upsert({ where: { shopId_shopifyCustomerId: key }, create: { ...key, ...fields }, update: fields });
    return saved.id;
  }
  const created = await tx.contact.create({ data: { shopId, ...fields } });
  return created.id;
}

/** Cancels recovery messages still waiting for a checkout the shopper has now completed. */
async function cancelPendingRecovery(tx: Tx, shopId: string, checkoutToken: string, why: MessageReason): Promise<number> {
  const { count } = await tx.message.updateMany({
    where: { shopId, checkoutToken, status: { in: [...PENDING_STATUSES] } },
    data: { status: "cancelled", ...statusReasonData(why) },
  });
  return count;
}

async function applyOrder(tx: Tx, shopId: string, order: Order, now: Date, happenings: Happening[], placed: boolean): Promise<void> {
  const contactId = await upsertContact(tx, shopId, order.customer);
  const existing = await tx.order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: order.shopifyOrderId } } });
  const stale = existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > order.updatedAt;
  let orderId = existing?.id;
  if (!stale) {
    const fields = {
      name: order.name,
      contactId,
      checkoutToken: order.checkoutToken,
      totalPrice: order.totalPrice,
      currency: order.currency,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus,
      lineItems: JSON.stringify(order.lineItems),
      tags: JSON.stringify(order.tags),
      statusUrl: order.statusUrl,
      placedAt: order.placedAt,
      cancelledAt: order.cancelledAt,
      shopifyUpdatedAt: order.updatedAt,
    };
    const saved = existing
      ? await tx.order.update({ where: { id: existing.id }, data: fields })
      : await tx.order.create({ data: { shopId, shopifyOrderId: order.shopifyOrderId, ...fields } });
    orderId = saved.id;
  }
  for (const fulfillment of order.fulfillments) await applyFulfillment(tx, shopId, fulfillment, happenings);
  if (placed && !existing && orderId) {
    const savedId = orderId;
    await attributeRecovery(tx, shopId, { orderId: savedId, contactId, checkoutToken: order.checkoutToken, totalPrice: order.totalPrice, placedAt: order.placedAt });
    happenings.push({
      trigger: async (inner, productTags) => ({ kind: "order_created", order: await orderFacts(inner, await inner.order.findUniqueOrThrow({ where: { id: savedId } }), productTags) }),
      context: { contactId, localeHints: [order.customer.locale], orderId: savedId },
    });
  }

  // The purchase ends the checkout's recovery at once, whatever order the webhooks arrive in.
  if (order.checkoutToken) {
    const checkout = await tx.checkout.findUnique({ where: { shopId_token: { shopId, token: order.checkoutToken } } });
    if (checkout && !checkout.completedAt) {
      await tx.checkout.update({ where: { id: checkout.id }, data: { completedAt: order.placedAt, completedOrderId: orderId } });
    } else if (!checkout) {
      // The order came first: remember the completed checkout so a late checkouts/update cannot reopen it.
      await tx.checkout.create({
        data: {
          shopId, token: order.checkoutToken, contactId, email: order.customer.email, phone: order.customer.phone,
          locale: order.customer.locale, totalPrice: order.totalPrice, currency: order.currency,
          lineItems: JSON.stringify(order.lineItems), startedAt: order.placedAt, completedAt: order.placedAt,
          completedOrderId: orderId, shopifyUpdatedAt: order.updatedAt,
        },
      });
    }
    await cancelPendingRecovery(tx, shopId, order.checkoutToken, reason("bought_order", { order: order.name }));
  }
  if (order.buyerAcceptsMarketing && contactId && order.customer.email) {
    await appendConsent(tx, shopId, contactId, "email", "subscribed", "order", `buyer_accepts_marketing on order ${order.name}`, now);
  }
}

async function applyCheckout(tx: Tx, shopId: string, checkout: Checkout, now: Date, happenings: Happening[]): Promise<void> {
  const contactId = await upsertContact(tx, shopId, checkout.customer);
  const existing = await tx.checkout.findUnique({ where: { shopId_token: { shopId, token: checkout.token } } });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > checkout.updatedAt) return; // stale delivery
  const fields = {
    contactId,
    email: checkout.customer.email,
    phone: checkout.customer.phone,
    locale: checkout.customer.locale,
    totalPrice: checkout.totalPrice,
    currency: checkout.currency,
    lineItems: JSON.stringify(checkout.lineItems),
    recoveryUrl: checkout.recoveryUrl,
    buyerAcceptsMarketing: checkout.buyerAcceptsMarketing,
    buyerAcceptsSms: checkout.buyerAcceptsSms,
    startedAt: checkout.startedAt,
    shopifyUpdatedAt: checkout.updatedAt,
    // Completion is one-way: a checkout we know was completed stays completed.
    completedAt: existing?.completedAt ?? checkout.completedAt,
  };
  const saved = existing
    ? await tx.checkout.update({ where: { id: existing.id }, data: fields })
    : await tx.checkout.create({ data: { shopId, token: checkout.token, ...fields } });
  if (fields.completedAt) await cancelPendingRecovery(tx, shopId, checkout.token, reason("checkout_completed"));
  else if (contactId && (checkout.customer.email || checkout.customer.phone)) {
    // Every open checkout with a way to reach the shopper starts (or restarts) its recovery clock.
    happenings.push({
      trigger: async (inner, productTags) => ({ kind: "checkout_abandoned", checkout: await checkoutFacts(inner, saved, productTags) }),
      context: { contactId, localeHints: [checkout.customer.locale], checkoutToken: checkout.token },
    });
  }

  // Since API 2025-01 the checkout is where marketing consent arrives with the purchase path.
  if (contactId) {
    const evidence = `checkout ${checkout.token}`;
    if (checkout.customer.email) {
      await appendConsent(tx, shopId, contactId, "email", checkout.buyerAcceptsMarketing ? "subscribed" : "not_subscribed", "checkout", `buyer_accepts_marketing=${checkout.buyerAcceptsMarketing} on ${evidence}`, now, { onlyUpgrade: !checkout.buyerAcceptsMarketing });
    }
    if (checkout.customer.phone && checkout.buyerAcceptsSms) {
      await appendConsent(tx, shopId, contactId, "sms", "subscribed", "checkout", `buyer_accepts_sms_marketing=true on ${evidence}`, now);
    }
  }
}

async function applyFulfillment(tx: Tx, shopId: string, fulfillment: Fulfillment, happenings: Happening[]): Promise<void> {
  const order = await tx.order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: fulfillment.shopifyOrderId } } });
  if (!order) throw new NotReadyYet(`fulfilment ${fulfillment.shopifyFulfillmentId} arrived before order ${fulfillment.shopifyOrderId}`);
  const key = { shopId_shopifyFulfillmentId: { shopId, shopifyFulfillmentId: fulfillment.shopifyFulfillmentId } };
  const existing = await tx.fulfillment.findUnique({ where: key });
  if (existing?.shopifyUpdatedAt && existing.shopifyUpdatedAt > fulfillment.updatedAt) return; // stale delivery
  const fields = {
    orderId: order.id,
    status: fulfillment.status,
    shipmentStatus: fulfillment.shipmentStatus,
    trackingCompany: fulfillment.trackingCompany,
    trackingNumber: fulfillment.trackingNumber,
    trackingUrl: fulfillment.trackingUrl,
    shopifyUpdatedAt: fulfillment.updatedAt,
    deliveredAt: existing?.deliveredAt ?? (fulfillment.shipmentStatus === "delivered" ? fulfillment.updatedAt : null),
  };
  const saved = existing
    ? await tx.fulfillment.update({ where: { id: existing.id }, data: fields })
    : await tx.fulfillment.create({ data: { shopId, shopifyFulfillmentId: fulfillment.shopifyFulfillmentId, ...fields } });
  // A new fulfilment, or news from the carrier: the shipping automations decide what it calls for.
  if (!existing || existing.shipmentStatus !== fulfillment.shipmentStatus) {
    const contact = order.contactId ? await tx.contact.findUnique({ where: { id: order.contactId }, select: { locale: true } }) : null;
    happenings.push({
      trigger: async (inner, productTags) => ({
        kind: "fulfillment_changed",
        order: await orderFacts(inner, await inner.order.findUniqueOrThrow({ where: { id: order.id } }), productTags),
        fulfillment: { id: saved.id, createdAt: saved.createdAt },
        shipmentStatus: fulfillment.shipmentStatus,
        changedAt: fulfillment.updatedAt,
      }),
      context: { contactId: order.contactId, localeHints: [contact?.locale], orderId: order.id },
    });
  }
}

/**
 * Recovered revenue: the most recent recovery message sent to this shopper (for this checkout,
 * or any of theirs) in the 7 days before the order gets the order's total.
 */
async function attributeRecovery(
  tx: Tx, shopId: string, order: { orderId: string; contactId: string | null; checkoutToken: string | null; totalPrice: string; placedAt: Date },
): Promise<void> {
  const who = [order.checkoutToken ? { checkoutToken: order.checkoutToken } : null, order.contactId ? { contactId: order.contactId } : null].filter((c) => c !== null);
  if (who.length === 0) return;
  const message = await tx.message.findFirst({
    where: {
      shopId, automation: "cart_recovery", recoveredOrderId: null, OR: who,
      sentAt: { gte: new Date(order.placedAt.getTime() - ATTRIBUTION_WINDOW_MS), lte: order.placedAt },
    },
    orderBy: { sentAt: "desc" },
  });
  if (message) await tx.message.update({ where: { id: message.id }, data: { recoveredOrderId: order.orderId, recoveredRevenue: order.totalPrice } });
}

async function applyConsent(tx: Tx, shopId: string, consent: ConsentChange, now: Date): Promise<void> {
  const contactId = await upsertContact(tx, shopId, {
    shopifyCustomerId: consent.shopifyCustomerId,
    email: consent.channel === "email" ? consent.address : null,
    phone: consent.channel === "sms" ? consent.address : null,
    firstName: null, lastName: null, locale: null, countryCode: null, provinceCode: null, tags: [],
  });
  if (!contactId) return;
  const evidence = JSON.stringify({ optInLevel: consent.optInLevel, collectedFrom: consent.collectedFrom, changedAt: consent.changedAt?.toISOString() ?? null });
  await appendConsent(tx, shopId, contactId, consent.channel, consent.state, "shopify", evidence, consent.changedAt ?? now);
}

/**
 * Appends to the consent ledger when the state changes. `onlyUpgrade`: a checkout that did not
 * tick the box does not unsubscribe someone who subscribed elsewhere.
 */
async function appendConsent(
  tx: Tx, shopId: string, contactId: string, channel: "email" | "sms", state: string, source: string, evidence: string, at: Date,
  options: { onlyUpgrade?: boolean } = {},
): Promise<void> {
  const latest = await tx.consentRecord.findFirst({ where: { shopId, contactId, channel }, orderBy: [{ recordedAt: "desc" }, { id: "desc" }] });
  if (latest?.state === state) return;
  if (options.onlyUpgrade && latest) return;
  if (latest && latest.recordedAt > at) return; // an older change arriving late
  await tx.consentRecord.create({ data: { shopId, contactId, channel, state, source, evidence, recordedAt: at } });
}
