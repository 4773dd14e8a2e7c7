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

export async function loadDashboard(shopId: string) {
  const [events, contacts, orders, outbox, recentEvents] = await Promise.all([
    db().eventLedger.count({ where: { shopId } }),
    db().contact.count({ where: { shopId } }),
    db().order.count({ where: { shopId } }),
    db().outboxMessage.count({ where: { shopId } }),
    listActivity(shopId, 8),
  ]);
  return { counts: { events, contacts, orders, outbox }, recentEvents };
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

export async function listMessages(shopId: string, take: number) {
  const [rows, unknown] = await Promise.all([
    db().message.findMany({
      where: { shopId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, automation: true, channel: true, status: true, statusReason: true, error: true, recipient: true, runAt: true, sentAt: true, contact: { select: { email: true, phone: true, firstName: true, lastName: true } } },
    }),
    db().message.count({ where: { shopId, status: "unknown" } }),
  ]);
  return {
    unknown,
    messages: rows.map(({ contact, ...row }) => ({
      ...row,
      recipient: row.recipient ?? (row.channel === "email" ? contact?.email : contact?.phone) ?? null,
      shopper: [contact?.firstName, contact?.lastName].filter(Boolean).join(" ") || null,
      runAt: row.runAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null,
    })),
  };
}
