// Read models for admin pages. Every query is scoped by the shop the merchant is signed in to.
import { describeEvent, englishSummary, type EventSummaryPart } from "../../domain/events/event-summary";
import { parseShopifyJson } from "../../domain/events/shopify-json";
import { db } from "../db.server";

export type ActivityItem = {
  id: string;
  topic: string;
  /** What the event says, as parts the page words in the merchant's language. */
  parts: EventSummaryPart[];
  /** The same in English, for logs. */
  summary: string;
  source: string;
  status: string;
  receivedAt: string;
};

export async function listActivity(shopId: string, take: number): Promise<ActivityItem[]> {
  const rows = await db().eventLedger.findMany({
    where: { shopId },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take,
  });
  return rows.map((row) => {
    let parts: EventSummaryPart[];
    try {
      parts = describeEvent(row.topic, parseShopifyJson(row.payload) as Record<string, unknown>);
    } catch {
      parts = [{ kind: "unreadable" }];
    }
    return { id: row.id, topic: row.topic, parts, summary: englishSummary(parts), source: row.source, status: row.status, receivedAt: row.receivedAt.toISOString() };
  });
}

export async function listOutbox(shopId: string, take: number) {
  const rows = await db().outboxMessage.findMany({ where: { shopId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

export async function listDataRequests(shopId: string) {
  const rows = await db().dataRequest.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    select: { id: true, shopifyCustomerId: true, email: true, phone: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

export async function findDataRequestExport(shopId: string, id: string) {
  return db().dataRequest.findFirst({ where: { shopId, id } });
}
