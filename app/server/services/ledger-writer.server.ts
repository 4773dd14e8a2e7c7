// Writes ledger rows and their processing jobs with group commit: deliveries that arrive
// together, or while earlier writes are under way, go together in one statement (PostgreSQL)
// or one short transaction (SQLite). Under load one commit — and one fsync — carries many
// deliveries, which is what lets intake keep up with Shopify's bursts. Each delivery still
// gets its own answer: recorded, or duplicate when a unique key of the ledger (webhook id;
// topic + event id) already holds it.
//
// A write starts at the end of the current event-loop turn (setImmediate), not at once, so
// every request node has already read in this turn joins it. (SQLite's driver is synchronous:
// a write started at once committed a batch of one before node looked at the other requests.)
//
// PostgreSQL: the statement goes straight to a small pg pool of the writer's own, not through
// Prisma — it is fixed SQL, and Prisma's per-query work (argument mapping, its query compiler)
// cost more CPU than the write. A few batches may be in flight at a time: a commit mostly
// waits for the WAL to reach the disk, and PostgreSQL flushes concurrent commits together.
//
// SQLite: on Prisma's one connection, one batch at a time, ahead of the statements and job
// transactions waiting there (sqlite-adapter.server.ts's gate). (A connection of its own, in a
// worker thread, was tried: intake got faster, but a second writer breaks what the rest of the
// app relies on — its deferred transactions then fail with SQLITE_BUSY_SNAPSHOT, and its waits
// for the write lock block the main thread.)
import pg from "pg";
import { coalescedByTurn } from "../coalesce.server";
import { timeOrderedId } from "../crypto/time-ordered-id.server";
import { perDatabase, sqliteConnectionOf, type Database } from "../db.server";
import type { SingleConnectionLibSQL } from "../sqlite-adapter.server";
import { postgresConnectionString } from "../fast-sql.server";
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

/** Rows per statement: at 10 parameters a row this stays far below SQLite's and PostgreSQL's limits. */
const MAX_BATCH = 250;
/** Batches in flight at once on PostgreSQL, and so the size of the writer's own pool. */
const POSTGRES_IN_FLIGHT = 4;

type Pending = { entry: LedgerEntry; id: string };

/** Inserts a batch's ledger rows (skipping duplicates) and one job per new row, atomically; returns the new rows' ids. */
type LedgerStore = { readonly maxInFlight: number; readonly gatherTurns: number; insert(batch: Pending[]): Promise<Set<string>> };

export class LedgerWriter {
  private readonly writeTogether: (pending: Pending) => Promise<LedgerOutcome>;

  constructor(database: Database) {
    const dialect = dialectOf(database);
    const store: LedgerStore = dialect.kind === "postgresql" ? new PostgresLedgerStore(database, dialect.schema) : new SqliteLedgerStore(database);
    // Group commit: deliveries of one turn, or that arrive while `maxInFlight` batches are
    // being written, share the next batch. One bad delivery fails only itself (it is retried alone).
    this.writeTogether = coalescedByTurn(
      async (batch: Pending[]) => {
        const inserted = await store.insert(batch);
        return batch.map((pending): LedgerOutcome => (inserted.has(pending.id) ? "recorded" : "duplicate"));
      },
      { maxBatch: MAX_BATCH, maxInFlight: store.maxInFlight, gatherTurns: store.gatherTurns },
    );
  }

  write(entry: LedgerEntry): Promise<LedgerOutcome> {
    return this.writeTogether({ entry, id: timeOrderedId() });
  }
}

const LEDGER_COLUMNS = `id, "shopId", topic, "webhookId", "eventId", "apiVersion", "triggeredAt", payload, source, "receivedAt", status`;
const JOB_COLUMNS = `id, "shopId", kind, payload, status, "runAt", attempts, "maxAttempts", "createdAt", "updatedAt"`;

/** The ten bound columns of a ledger row (status is always 'received'). */
function ledgerValues(batch: Pending[], date: (value: Date) => string): unknown[] {
  const values: unknown[] = [];
  for (const { id, entry } of batch) {
    values.push(id, entry.shopId, entry.topic, entry.webhookId, entry.eventId, entry.apiVersion, entry.triggeredAt && date(entry.triggeredAt), entry.payload, entry.source, date(entry.receivedAt));
  }
  return values;
}

/** "(p1, ..., p10, 'received'), ..." for `rows` rows, numbering parameters from 1. */
function ledgerRows(rows: number, parameter: (n: number) => string): string {
  return Array.from({ length: rows }, (_, row) => `(${Array.from({ length: 10 }, (_, column) => parameter(row * 10 + column + 1)).join(", ")}, 'received')`).join(", ");
}

// ---------------------------------------------------------------- PostgreSQL

class PostgresLedgerStore implements LedgerStore {
  readonly maxInFlight = POSTGRES_IN_FLIGHT;
  // (A second turn, as on SQLite, measured slower here: with batches in flight side by side,
  // waiting longer to cut one only delays it.)
  readonly gatherTurns = 1;
  private readonly pool: pg.Pool;
  private readonly ledgerTable: string;
  private readonly jobTable: string;

  constructor(database: Database, schema: string | undefined) {
    // Connections stay open while idle (min = max): the first deliveries after a quiet spell
    // would otherwise wait for new PostgreSQL backends, and prepare their statement again.
    // TCP keep-alive finds a connection that a NAT or firewall dropped while it was idle.
    this.pool = new pg.Pool({
      connectionString: postgresConnectionString(database),
      max: POSTGRES_IN_FLIGHT,
      min: POSTGRES_IN_FLIGHT,
      keepAlive: true,
      allowExitOnIdle: true,
    });
    // A pooled connection that drops while idle is replaced on the next write; nothing to do here.
    this.pool.on("error", () => undefined);
    const qualify = (table: string) => (schema ? `"${schema.replaceAll('"', '""')}"."${table}"` : `"${table}"`);
    this.ledgerTable = qualify("EventLedger");
    this.jobTable = qualify("Job");
  }

  async insert(batch: Pending[]): Promise<Set<string>> {
    // One statement is one transaction: the ledger rows and their jobs commit together.
    // Timestamps go as UTC text; a timestamp column ignores the trailing "Z" (Prisma stores UTC).
    const values = ledgerValues(batch, (date) => date.toISOString());
    const now = values.length + 1;
    values.push(new Date().toISOString());
    const { rows } = await this.pool.query<{ id: string }>({
      // A prepared statement per batch size, on each pooled connection: PostgreSQL parses and
      // plans it once instead of for every batch.
      name: `avisa_ledger_${batch.length}`,
      text: `WITH ledger AS (
         INSERT INTO ${this.ledgerTable} (${LEDGER_COLUMNS})
         VALUES ${ledgerRows(batch.length, (n) => `$${n}`)}
         ON CONFLICT DO NOTHING
         RETURNING id, "shopId", "receivedAt"
       ),
       jobs AS (
         INSERT INTO ${this.jobTable} (${JOB_COLUMNS})
         SELECT gen_random_uuid()::text, "shopId", '${PROCESS_EVENT_JOB}', json_build_object('ledgerId', id)::text, 'queued', "receivedAt", 0, ${DEFAULT_MAX_ATTEMPTS}, $${now}::timestamp(3), $${now}::timestamp(3)
         FROM ledger
       )
       SELECT id FROM ledger`,
      values,
    });
    return new Set(rows.map((row) => row.id));
  }
}

// ---------------------------------------------------------------- SQLite

class SqliteLedgerStore implements LedgerStore {
  readonly maxInFlight = 1;
  // A batch gathers for two turns. Each batch costs about 0.9 ms whatever its size (BEGIN,
  // preparing its statements, COMMIT and its sync), each row about 30 µs more. Under load the
  // deliveries answered by one batch come back as the next is cut, and with one turn the
  // batches settled at about 10 rows from 20 connections; the extra poll for I/O lets more join.
  // bench:intake (SQLite, short runs): 3,235 and 3,589 → 4,126 and 4,395 req/s; p99 at 500 req/s unchanged.
  readonly gatherTurns = 2;
  private readonly connection: SingleConnectionLibSQL;
  private connected: Promise<void> | undefined;

  constructor(private readonly database: Database) {
    this.connection = sqliteConnectionOf(database);
  }

  async insert(batch: Pending[]): Promise<Set<string>> {
    // As Prisma's libSQL adapter writes a DateTime (ISO 8601 with +00:00).
    const date = (value: Date) => value.toISOString().replace("Z", "+00:00");
    // Every ledger id is new, so the rows found under the batch's ids are the ones just
    // inserted: they get their jobs, deliveries that conflicted get none.
    const jobArgs: Array<string | null> = [date(new Date())];
    for (const { id } of batch) jobArgs.push(timeOrderedId(), id);
    await (this.connected ??= this.database.$connect());
    // Straight on the connection, not through Prisma: it goes ahead of the statements and job
    // transactions queued there, and skips Prisma's per-query work for two fixed statements.
    return this.connection.runFirst(async (connection) => {
      await connection.execute("BEGIN IMMEDIATE");
      try {
        const created = await connection.execute({
          sql: `INSERT INTO "EventLedger" (${LEDGER_COLUMNS}) VALUES ${ledgerRows(batch.length, (n) => `?${n}`)} ON CONFLICT DO NOTHING RETURNING id`,
          args: ledgerValues(batch, date) as Array<string | null>,
        });
        await connection.execute({
          sql: `WITH new_job (id, "ledgerId") AS (VALUES ${batch.map((_, i) => `(?${i * 2 + 2}, ?${i * 2 + 3})`).join(", ")})
           INSERT INTO "Job" (${JOB_COLUMNS})
           SELECT new_job.id, ledger."shopId", '${PROCESS_EVENT_JOB}', json_object('ledgerId', ledger.id), 'queued', ledger."receivedAt", 0, ${DEFAULT_MAX_ATTEMPTS}, ?1, ?1
           FROM new_job JOIN "EventLedger" AS ledger ON ledger.id = new_job."ledgerId"`,
          args: jobArgs,
        });
        await connection.execute("COMMIT");
        return new Set(created.rows.map((row) => String(row.id)));
      } catch (error) {
        // SQLite may already have rolled back by itself; either way the batch left nothing behind.
        await connection.execute("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }
}

/** One writer per database client, so every request of the process shares its batches. */
export const ledgerWriterFor: (database: Database) => LedgerWriter = perDatabase((database) => new LedgerWriter(database));
