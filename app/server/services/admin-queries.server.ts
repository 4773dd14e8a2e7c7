// Read models for admin pages. Every query is scoped by the shop the merchant is signed in to.
import { summarizeEvent } from "../../domain/events/event-summary";
import { db } from "../db.server";

export type ActivityItem = {
  id: string;
  topic: string;
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
    let summary = "";
    try {
      summary = summarizeEvent(row.topic, JSON.parse(row.payload));
    } catch {
      summary = "(payload unreadable)";
    }
    return { id: row.id, topic: row.topic, summary, source: row.source, status: row.status, receivedAt: row.receivedAt.toISOString() };
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
