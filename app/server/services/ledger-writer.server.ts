// Writes ledger rows and their processing jobs with group commit: while one write is under
// way, the deliveries that arrive meanwhile wait and go together in the next one. A lone
// delivery is written at once (no timer, no added latency); under load, one statement or one
// short transaction carries many deliveries, which is what lets intake keep up with Shopify's
// bursts. Each delivery still gets its own answer: recorded, or duplicate when a unique key of
// the ledger (webhook id; topic + event id) already holds it.
import { randomUUID } from "node:crypto";
import type { Database } from "../db.server";
import { DEFAULT_MAX_ATTEMPTS, dialectOf } from "../queue/job-queue.server";

export type LedgerEntry = {
  shopId: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: string;
  source: string;
  receivedAt: Date;
};

export type LedgerOutcome = "recorded" | "duplicate";

export const PROCESS_EVENT_JOB = "process-event";

/** Rows per statement: 11 parameters each stays far below SQLite's and PostgreSQL's limits. */
const MAX_BATCH = 250;

type Pending = { entry: LedgerEntry; id: string; resolve: (outcome: LedgerOutcome) => void; reject: (error: unknown) => void };

export class LedgerWriter {
  private waiting: Pending[] = [];
  private writing = false;
  private readonly postgres: boolean;
  private readonly ledgerTable: string;
  private readonly jobTable: string;

  constructor(private readonly database: Database) {
    const dialect = dialectOf(database);
    this.postgres = dialect.kind === "postgresql";
    const qualify = (table: string) => (this.postgres && dialect.schema ? `"${dialect.schema.replaceAll('"', '""')}"."${table}"` : `"${table}"`);
    this.ledgerTable = qualify("EventLedger");
    this.jobTable = qualify("Job");
  }

  write(entry: LedgerEntry): Promise<LedgerOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, id: randomUUID(), resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          await this.settle(batch);
        } catch (error) {
          // One bad delivery must not fail the others that happened to share its batch.
          if (batch.length === 1) batch[0].reject(error);
          else for (const pending of batch) await this.settle([pending]).catch(pending.reject);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async settle(batch: Pending[]): Promise<void> {
    const inserted = await this.insert(batch);
    for (const pending of batch) pending.resolve(inserted.has(pending.id) ? "recorded" : "duplicate");
  }

  /** Inserts the batch's ledger rows (skipping duplicates) and one job per new row, atomically. */
  private async insert(batch: Pending[]): Promise<Set<string>> {
    const now = new Date();
    const ledgerValues: unknown[] = [];
    for (const { id, entry } of batch) {
      ledgerValues.push(id, entry.shopId, entry.topic, entry.webhookId, entry.eventId, entry.apiVersion, entry.triggeredAt, entry.payload, entry.source, entry.receivedAt);
    }
    const p = (n: number) => (this.postgres ? `$${n}` : `?${n}`);
    const rows = batch.map((_, row) => `(${Array.from({ length: 10 }, (_, column) => p(row * 10 + column + 1)).join(", ")}, 'received')`).join(", ");
    const insertLedger = `
      INSERT INTO ${this.ledgerTable} (id, "shopId", topic, "webhookId", "eventId", "apiVersion", "triggeredAt", payload, source, "receivedAt", status)
      VALUES ${rows}
      ON CONFLICT DO NOTHING
      RETURNING id, "shopId", "receivedAt"`;

    if (this.postgres) {
      // One statement is one transaction: the ledger rows and their jobs commit together.
      const at = ledgerValues.length + 1;
      const created = await this.database.$queryRawUnsafe<Array<{ id: string }>>(
        `WITH ledger AS (${insertLedger}),
         jobs AS (
           INSERT INTO ${this.jobTable} (id, "shopId", kind, payload, status, "runAt", attempts, "maxAttempts", "createdAt", "updatedAt")
           SELECT gen_random_uuid()::text, "shopId", '${PROCESS_EVENT_JOB}', json_build_object('ledgerId', id)::text, 'queued', "receivedAt", 0, ${DEFAULT_MAX_ATTEMPTS}, $${at}::timestamp(3), $${at}::timestamp(3)
           FROM ledger
         )
         SELECT id FROM ledger`,
        ...ledgerValues,
        now,
      );
      return new Set(created.map((row) => row.id));
    }

    return this.database.$transaction(async (tx) => {
      const created = await tx.$queryRawUnsafe<Array<{ id: string; shopId: string; receivedAt: Date | string }>>(insertLedger, ...ledgerValues);
      if (created.length > 0) {
        const jobValues: unknown[] = [];
        for (const row of created) {
          const entry = batch.find((pending) => pending.id === row.id)!.entry;
          jobValues.push(randomUUID(), row.shopId, JSON.stringify({ ledgerId: row.id }), entry.receivedAt, now);
        }
        const jobRows = created.map((_, i) => `(?${i * 5 + 1}, ?${i * 5 + 2}, '${PROCESS_EVENT_JOB}', ?${i * 5 + 3}, 'queued', ?${i * 5 + 4}, 0, ${DEFAULT_MAX_ATTEMPTS}, ?${i * 5 + 5}, ?${i * 5 + 5})`);
        await tx.$executeRawUnsafe(
          `INSERT INTO ${this.jobTable} (id, "shopId", kind, payload, status, "runAt", attempts, "maxAttempts", "createdAt", "updatedAt") VALUES ${jobRows.join(", ")}`,
          ...jobValues,
        );
      }
      return new Set(created.map((row) => row.id));
    });
  }
}

const writers = new WeakMap<Database, LedgerWriter>();

/** One writer per database client, so every request of the process shares its batches. */
export function ledgerWriterFor(database: Database): LedgerWriter {
  let writer = writers.get(database);
  if (!writer) writers.set(database, (writer = new LedgerWriter(database)));
  return writer;
}
