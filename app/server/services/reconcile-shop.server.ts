// Reconciliation: Shopify says webhook deliveries can be late or lost, so every installed shop
// is asked periodically for recently updated orders and abandoned checkouts. Anything newer than
// what Avisa holds goes into the same ledger, marked `reconciliation`, and is processed like a
// webhook. Records Avisa already knows at that version are skipped, and so are records changed
// in the last few minutes: their webhooks are most likely on the way or waiting in Avisa's
// queue, and a version rebuilt from the Admin API (fewer fields than the webhook's payload)
// would otherwise be recorded first, and the webhook's own then be stale. A later run, whose
// window still covers them, records any that never arrived.
import {
  checkoutPayloadFromGraphql,
  legacyIdOf,
  orderPayloadFromGraphql,
  type GraphqlAbandonedCheckout,
  type GraphqlOrder,
} from "../../domain/events/graphql-records";
import type { AdminGraphql } from "../../domain/ports";
import { services } from "../container.server";
import { db } from "../db.server";
import { recordEvent } from "./record-event.server";

export const RECONCILE_JOB = "reconcile-shop";
/** How far back each run looks; overlapping runs are harmless (known versions are skipped). */
export const RECONCILE_WINDOW_MS = 2 * 60 * 60 * 1000;
export const RECONCILE_EVERY_MS = 15 * 60 * 1000;
/** Records changed more recently than this are left to their webhooks, until a later run. */
export const RECONCILE_SETTLE_MS = 5 * 60 * 1000;

const MONEY = "shopMoney { amount currencyCode }";
const CUSTOMER = "customer { id firstName lastName locale defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } }";
const LINE_ITEMS = `lineItems(first: 50) { nodes { title quantity product { id } originalUnitPriceSet { ${MONEY} } } }`;
const ADDRESS = "shippingAddress { countryCodeV2 provinceCode phone }";

export const RECENT_ORDERS_QUERY = `#graphql
  query AvisaRecentOrders($query: String!, $after: String) {
    orders(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id name email phone createdAt updatedAt cancelledAt displayFinancialStatus displayFulfillmentStatus
        customerLocale customerAcceptsMarketing totalPriceSet { ${MONEY} } ${CUSTOMER} ${ADDRESS} ${LINE_ITEMS}
        fulfillments(first: 10) { id status displayStatus createdAt updatedAt trackingInfo(first: 1) { company number url } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const RECENT_ABANDONED_CHECKOUTS_QUERY = `#graphql
  query AvisaRecentAbandonedCheckouts($query: String!, $after: String) {
    abandonedCheckouts(first: 50, after: $after, query: $query) {
      nodes { id abandonedCheckoutUrl createdAt updatedAt completedAt totalPriceSet { ${MONEY} } ${CUSTOMER} ${ADDRESS} ${LINE_ITEMS} }
      pageInfo { hasNextPage endCursor }
    }
  }`;

type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function* allNodes<T>(graphql: AdminGraphql, query: string, root: string, search: string): AsyncGenerator<T> {
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const response: { data?: Record<string, Page<T>>; errors?: Array<{ message: string }> } = await graphql<Record<string, Page<T>>>(query, { query: search, after });
    if (response.errors?.length) throw new Error(`Admin API refused ${root}: ${response.errors.map((e) => e.message).join("; ")}`);
    const connection: Page<T> | undefined = response.data?.[root];
    if (!connection) return;
    yield* connection.nodes;
    if (!connection.pageInfo.hasNextPage) return;
    after = connection.pageInfo.endCursor;
  }
}

export type ReconcileResult = { ordersRecorded: number; checkoutsRecorded: number; skipped: number };

export async function reconcileShop(shopId: string, graphql: AdminGraphql): Promise<ReconcileResult> {
  const now = services().clock.now();
  const from = new Date(now.getTime() - RECONCILE_WINDOW_MS).toISOString();
  const settled = new Date(now.getTime() - RECONCILE_SETTLE_MS).toISOString();
  const search = `updated_at:>='${from}' AND updated_at:<='${settled}'`;
  const result: ReconcileResult = { ordersRecorded: 0, checkoutsRecorded: 0, skipped: 0 };

  for await (const node of allNodes<GraphqlOrder>(graphql, RECENT_ORDERS_QUERY, "orders", search)) {
    const shopifyOrderId = legacyIdOf(node.id);
    const held = await db().order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId } }, select: { shopifyUpdatedAt: true } });
    if (held?.shopifyUpdatedAt && held.shopifyUpdatedAt >= new Date(node.updatedAt)) {
      result.skipped++;
      continue;
    }
    const outcome = await recordEvent({
      shopId,
      topic: held ? "orders/updated" : "orders/create",
      webhookId: `reconcile:order:${shopifyOrderId}:${node.updatedAt}`,
      eventId: null,
      apiVersion: null,
      triggeredAt: new Date(node.updatedAt),
      payloadJson: JSON.stringify(orderPayloadFromGraphql(node)),
      source: "reconciliation",
    });
    if (outcome === "recorded") result.ordersRecorded++;
    else result.skipped++;
  }

  for await (const node of allNodes<GraphqlAbandonedCheckout>(graphql, RECENT_ABANDONED_CHECKOUTS_QUERY, "abandonedCheckouts", search)) {
    const payload = checkoutPayloadFromGraphql(node);
    if (!payload) continue;
    const held = await db().checkout.findUnique({ where: { shopId_token: { shopId, token: payload.token } }, select: { shopifyUpdatedAt: true } });
    if (held?.shopifyUpdatedAt && held.shopifyUpdatedAt >= new Date(node.updatedAt)) {
      result.skipped++;
      continue;
    }
    const outcome = await recordEvent({
      shopId,
      topic: held ? "checkouts/update" : "checkouts/create",
      webhookId: `reconcile:checkout:${payload.token}:${node.updatedAt}`,
      eventId: null,
      apiVersion: null,
      triggeredAt: new Date(node.updatedAt),
      payloadJson: JSON.stringify(payload),
      source: "reconciliation",
    });
    if (outcome === "recorded") result.checkoutsRecorded++;
    else result.skipped++;
  }
  return result;
}
