// Writes one store event to the ledger together with the job that will process it, in one
// transaction: either both exist or neither does. The ledger's unique keys make a retried
// webhook delivery (same webhook id) or a second delivery of one merchant action (same event
// id and topic) a no-op. Concurrent deliveries share a write (group commit, see LedgerWriter).
import { services } from "../container.server";
import { db } from "../db.server";
import { ledgerWriterFor } from "./ledger-writer.server";

export { PROCESS_EVENT_JOB } from "./ledger-writer.server";

export type IncomingEvent = {
  shopId: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  /** The event's JSON text: a webhook's body as delivered, or a reconciled order or checkout. */
  payloadJson: string;
  source: "webhook" | "reconciliation";
};

export function recordEvent(event: IncomingEvent): Promise<"recorded" | "duplicate"> {
  return ledgerWriterFor(db()).write({
    shopId: event.shopId,
    topic: event.topic,
    webhookId: event.webhookId,
    eventId: event.eventId,
    apiVersion: event.apiVersion,
    triggeredAt: event.triggeredAt,
    payload: event.payloadJson,
    source: event.source,
    receivedAt: services().clock.now(),
  });
}
