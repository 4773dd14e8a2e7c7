// Writes one store event to the ledger together with the job that will process it, in one
// transaction: either both exist or neither does. The ledger's unique keys make a retried
// webhook delivery (same webhook id) or a second delivery of one merchant action (same event
// id and topic) a no-op.
import { services } from "../container.server";
import { db } from "../db.server";
import { enqueueWith } from "../queue/job-queue.server";

export type IncomingEvent = {
  shopId: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: unknown;
  source: "webhook" | "reconciliation";
};

export const PROCESS_EVENT_JOB = "process-event";

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export async function recordEvent(event: IncomingEvent): Promise<"recorded" | "duplicate"> {
  const now = services().clock.now();
  try {
    await db().$transaction(async (tx) => {
      const row = await tx.eventLedger.create({
        data: {
          shopId: event.shopId,
          topic: event.topic,
          webhookId: event.webhookId,
          eventId: event.eventId,
          apiVersion: event.apiVersion,
          triggeredAt: event.triggeredAt,
          payload: JSON.stringify(event.payload),
          source: event.source,
          receivedAt: now,
        },
      });
      await enqueueWith(tx, { kind: PROCESS_EVENT_JOB, shopId: event.shopId, payload: { ledgerId: row.id } }, { runAt: now });
    });
    return "recorded";
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
}
