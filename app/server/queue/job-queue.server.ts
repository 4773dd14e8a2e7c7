// The durable job queue in the application database (the Solid Queue / graphile-worker
// pattern, no extra infrastructure). A job is a row of "Job":
//
//   queued  ── claim ──────────▶ running
//   running ── complete ───────▶ completed
//   running ── fail ───────────▶ failed
//   running ── retry(runAt) ───▶ queued
//   running ── lease expired ──▶ queued (failed once its attempts are used up)
//
// A claim leases jobs to one worker until `lockedUntil`; a worker that dies simply lets the
// lease run out and the next claim puts the job back in the queue. Every statement is raw
// SQL on purpose: the claim needs FOR UPDATE SKIP LOCKED, an enqueue with a known idempotency
// key must not abort the caller's transaction (ON CONFLICT DO NOTHING), and on the hot path one
// raw statement costs a fraction of an ORM write (which Prisma wraps in its own transaction).
//
// Times: runAt and lockedUntil follow the clock the caller passes (the demo clock can run
// ahead); createdAt, updatedAt and finishedAt record the wall clock, like Prisma's own defaults.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ClaimedJob, JobQueue, NewJob } from "../../domain/ports";
import type { Database } from "../db.server";
import { coalescedByTurn } from "../coalesce.server";
import { fastSql, keyIn, type FastSql, type FixedStatement } from "../fast-sql.server";

export type QueueDatabaseKind = "sqlite" | "postgresql";

/** Anything that runs raw SQL: the Prisma client, or the `tx` client inside `$transaction`. */
export type SqlClient = Pick<Database, "$queryRawUnsafe" | "$executeRawUnsafe">;

export type JobQueueOptions = {
  /** How long a claim holds a job. A handler must finish within it, or another worker runs it again. */
  leaseMs?: number;
  /** Recorded in `lockedBy`. Unique per queue instance by default (host, pid, random). */
  workerId?: string;
  /** PostgreSQL schema holding "Job". Default: the one the client's adapter was given (see dialectOf). */
  schema?: string;
};

export type EnqueueOptions = { runAt: Date; idempotencyKey?: string };

export const DEFAULT_LEASE_MS = 5 * 60 * 1000;
/** An expired lease is settled at most this long (or a tenth of the lease, if shorter) after it ran out. */
const SETTLE_EVERY_MS = 1000;
/** Matches the column default in prisma/schema.prisma. */
export const DEFAULT_MAX_ATTEMPTS = 8;
const MAX_ERROR_LENGTH = 2000;

/** complete/retry/fail found the job no longer leased to this worker (its lease expired and it moved on). */
export class LeaseLostError extends Error {
  constructor(
    readonly jobId: string,
    readonly workerId: string,
  ) {
    super(`job ${jobId} is no longer leased to worker ${workerId}: its lease expired before the outcome was recorded`);
    this.name = "LeaseLostError";
  }
}

type ClaimedRow = {
  id: string;
  shopId: string | null;
  kind: string;
  payload: string;
  attempts: number | bigint;
  maxAttempts: number | bigint;
  runAt: Date | string;
};

type Dialect = { kind: QueueDatabaseKind; schema?: string };

/**
 * Which database a Prisma client (or the `tx` client of a transaction) talks to, and the
 * PostgreSQL schema its adapter was given. Raw SQL needs the schema spelled out: Prisma's pg
 * adapter qualifies Prisma's own queries with the URL's `?schema=`, but raw statements go by
 * the connection's search_path (public). Prisma 6 keeps both facts on the client only as
 * internals; the queue's PostgreSQL tests fail loudly if a Prisma upgrade moves them.
 */
export function dialectOf(client: SqlClient): Dialect {
  const internals = client as unknown as {
    _activeProvider?: string;
    _engineConfig?: { adapter?: { options?: { schema?: unknown } } };
  };
  const provider = internals._activeProvider;
  if (provider === "sqlite") return { kind: "sqlite" };
  if (provider === "postgresql") {
    const schema = internals._engineConfig?.adapter?.options?.schema;
    return { kind: "postgresql", schema: typeof schema === "string" ? schema : undefined };
  }
  throw new Error(`the job queue cannot tell which database this Prisma client uses (provider: ${String(provider)})`);
}

/**
 * Enqueues through `client` — the Prisma client, or the `tx` of the caller's `$transaction`, so
 * its own rows and the job are written together or not at all. A repeated idempotency key
 * returns the existing job with `created: false`; it never throws, so it never aborts the
 * caller's PostgreSQL transaction (ON CONFLICT DO NOTHING instead of a failed INSERT).
 */
export function enqueueWith(client: SqlClient, job: NewJob, options: EnqueueOptions): Promise<{ id: string; created: boolean }> {
  return insertJob(client, statementsFor(dialectOf(client)), job, options);
}

export class DatabaseJobQueue implements JobQueue {
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly sql: Statements;
  /** Claims and outcomes are fixed statements: they skip Prisma's per-query work (see fast-sql.server.ts). */
  private readonly fast: FastSql;
  /** When claimDue last settled expired leases, by the caller's clock; how often it does. */
  private settledAt = -Infinity;
  private readonly settleEveryMs: number;
  /** Completions in the same event-loop turn (a batch of quick jobs): one UPDATE, one commit. */
  private readonly completeTogether: (id: string) => Promise<boolean>;

  constructor(
    private readonly database: Database,
    readonly kind: QueueDatabaseKind,
    options: JobQueueOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!(this.leaseMs > 0)) throw new RangeError("leaseMs must be a positive number of milliseconds");
    this.settleEveryMs = Math.min(SETTLE_EVERY_MS, this.leaseMs / 10);
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const detected = dialectOf(database);
    if (detected.kind !== kind) throw new Error(`the job queue was built for ${kind} but the Prisma client uses ${detected.kind}`);
    this.sql = statementsFor({ kind, schema: options.schema ?? detected.schema });
    this.fast = fastSql(database);
    this.completeTogether = coalescedByTurn(async (ids: string[]) => {
      const completed = await this.fast.query<{ id: string }>(this.statement("complete", this.sql.complete), [this.workerId, new Date(), this.fast.keys(ids)]);
      const done = new Set(completed.map((row) => row.id));
      return ids.map((id) => done.has(id));
    });
  }

  private statement(name: string, text: string): FixedStatement {
    return { name: `avisa_queue_${name}`, text };
  }

  enqueue(job: NewJob, options: EnqueueOptions): Promise<{ id: string; created: boolean }> {
    return insertJob(this.database, this.sql, job, options);
  }

  /**
   * Leases up to `limit` jobs due at `now`, oldest `runAt` first. Expired leases are settled
   * first (back to queued, or failed when out of attempts), so this same call picks them up.
   */
  async claimDue(now: Date, limit: number): Promise<ClaimedJob[]> {
    if (limit < 1) return [];
    // Expired leases come from workers that died, which is rare: looking for them once a second
    // (by the caller's clock) instead of before every claim saves a statement per batch.
    if (Math.abs(now.getTime() - this.settledAt) >= this.settleEveryMs) {
      await this.fast.execute(this.statement("settle", this.sql.settleExpiredLeases), [now, new Date()]);
      this.settledAt = now.getTime();
    }
    const rows = await this.fast.query<ClaimedRow>(this.statement("claim", this.sql.claim), [
      now,
      Math.floor(limit),
      this.workerId,
      new Date(now.getTime() + this.leaseMs),
      new Date(),
    ]);

    const jobs: ClaimedJob[] = [];
    for (const row of rows) {
      const payload = parseJson(row.payload);
      if (!payload.ok) {
        // Handing it out would only fail in every handler; say why once, here.
        await this.fail(row.id, `the job's payload is not valid JSON (${payload.error})`);
        continue;
      }
      jobs.push({
        id: row.id,
        shopId: row.shopId,
        kind: row.kind,
        payload: payload.value,
        attempts: Number(row.attempts),
        maxAttempts: Number(row.maxAttempts),
        runAt: row.runAt instanceof Date ? row.runAt : new Date(row.runAt),
      });
    }
    // RETURNING has no order of its own.
    return jobs.sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  }

  async complete(id: string): Promise<void> {
    if (!(await this.completeTogether(id))) throw new LeaseLostError(id, this.workerId);
  }

  async retry(id: string, error: string, runAt: Date): Promise<void> {
    await this.recordOutcome("retry", this.sql.retry, id, runAt, truncate(error));
  }

  async fail(id: string, error: string): Promise<void> {
    await this.recordOutcome("fail", this.sql.fail, id, truncate(error));
  }

  /** PostgreSQL's plan for the claim statement (EXPLAIN, not executed): proves it walks the (status, runAt) index. */
  async explainClaim(now: Date, limit: number): Promise<string> {
    if (this.kind !== "postgresql") throw new Error("explainClaim reads PostgreSQL plans only");
    const rows = await this.database.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
      `EXPLAIN ${this.sql.claim}`,
      now,
      limit,
      this.workerId,
      new Date(now.getTime() + this.leaseMs),
      new Date(),
    );
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  }

  // Only the worker holding the lease may record an outcome: after its lease expired the job
  // may already be running elsewhere, and a late "completed" or "retry" would overwrite that.
  private async recordOutcome(name: "retry" | "fail", statement: string, id: string, ...values: unknown[]): Promise<void> {
    const changed = await this.fast.execute(this.statement(name, statement), [id, this.workerId, new Date(), ...values]);
    if (changed === 0) throw new LeaseLostError(id, this.workerId);
  }

}

/**
 * Deletes finished jobs: completed ones finished before `completedBefore`, failed ones before
 * `failedBefore` (kept longer: their reasons are what someone debugging reads). Queued and
 * running jobs are never touched. Returns how many rows went.
 */
export async function pruneFinishedJobs(client: SqlClient, cutoffs: { completedBefore: Date; failedBefore: Date }): Promise<number> {
  const dialect = dialectOf(client);
  const job = dialect.kind === "postgresql" && dialect.schema ? `"${dialect.schema.replaceAll('"', '""')}"."Job"` : `"Job"`;
  const p = (n: number) => (dialect.kind === "postgresql" ? `$${n}` : `?${n}`);
  return client.$executeRawUnsafe(
    `DELETE FROM ${job} WHERE (status = 'completed' AND "finishedAt" < ${p(1)}) OR (status = 'failed' AND "finishedAt" < ${p(2)})`,
    cutoffs.completedBefore,
    cutoffs.failedBefore,
  );
}

async function insertJob(client: SqlClient, sql: Statements, job: NewJob, options: EnqueueOptions): Promise<{ id: string; created: boolean }> {
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!job.kind) throw new TypeError("a job needs a kind");
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError("maxAttempts must be a whole number of at least 1");
  if (Number.isNaN(options.runAt.getTime())) throw new RangeError("runAt is not a valid date");

  const id = randomUUID();
  const payload = job.payload === undefined ? "{}" : JSON.stringify(job.payload);
  const inserted = await client.$queryRawUnsafe<Array<{ id: string }>>(
    sql.enqueue,
    id,
    job.shopId ?? null,
    job.kind,
    payload,
    options.runAt,
    maxAttempts,
    options.idempotencyKey ?? null,
    new Date(),
  );
  if (inserted.length === 1) return { id, created: true };

  const existing = await client.$queryRawUnsafe<Array<{ id: string }>>(sql.findByIdempotencyKey, options.idempotencyKey);
  if (existing.length !== 1) throw new Error(`enqueue of "${job.kind}" was neither inserted nor found by its idempotency key`);
  return { id: existing[0].id, created: false };
}

/** complete: $1 worker, $2 wall-clock now, $3 the ids (fast-sql's keys). */
type Statements = Record<"enqueue" | "findByIdempotencyKey" | "settleExpiredLeases" | "claim" | "complete" | "retry" | "fail", string>;

/**
 * The SQL, once per database. Parameters are numbered ($1 on PostgreSQL, ?1 on SQLite) so one
 * value can appear twice. Dates are bound as Date objects on both: the driver adapters write them
 * in the same form as Prisma's own queries, so raw and ORM rows compare correctly.
 */
const statementCache = new Map<string, Statements>();

function statementsFor(dialect: Dialect): Statements {
  const key = `${dialect.kind}:${dialect.schema ?? ""}`;
  let statements = statementCache.get(key);
  if (!statements) statementCache.set(key, (statements = buildStatements(dialect)));
  return statements;
}

function buildStatements({ kind, schema }: Dialect): Statements {
  const postgres = kind === "postgresql";
  const job = postgres && schema ? `"${schema.replaceAll('"', '""')}"."Job"` : `"Job"`;
  const p = (n: number) => (postgres ? `$${n}` : `?${n}`);
  // PostgreSQL cannot infer a parameter's type inside CASE; say it.
  const time = (n: number) => (postgres ? `$${n}::timestamp(3)` : `?${n}`);

  return {
    enqueue: `
      INSERT INTO ${job} (id, "shopId", kind, payload, status, "runAt", attempts, "maxAttempts", "idempotencyKey", "createdAt", "updatedAt")
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, 'queued', ${p(5)}, 0, ${p(6)}, ${p(7)}, ${p(8)}, ${p(8)})
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING id`,

    findByIdempotencyKey: `SELECT id FROM ${job} WHERE "idempotencyKey" = ${p(1)}`,

    // A running job whose lease ran out belongs to a worker that stopped (crash, deploy, kill -9).
    // The attempt it was making counts; out of attempts, the job fails and says why.
    settleExpiredLeases: `
      UPDATE ${job} SET
        status = CASE WHEN attempts >= "maxAttempts" THEN 'failed' ELSE 'queued' END,
        "lastError" = 'lease expired: the worker running attempt ' || attempts || ' stopped before finishing it',
        "finishedAt" = CASE WHEN attempts >= "maxAttempts" THEN ${time(2)} END,
        "lockedUntil" = NULL,
        "updatedAt" = ${time(2)}
      WHERE id IN (
        SELECT id FROM ${job} WHERE status = 'running' AND "lockedUntil" < ${time(1)}
        ${postgres ? "FOR UPDATE SKIP LOCKED" : ""})`,

    // One statement: pick the oldest due jobs and lease them. `status = 'queued' AND runAt <= now
    // ORDER BY runAt` is a range of the (status, runAt) index, so the cost does not grow with the
    // backlog. (Folding expired leases in with an OR would make PostgreSQL sort every due row.)
    // SKIP LOCKED lets any number of workers claim at once without waiting on, or sharing, rows.
    claim: postgres
      ? `
      WITH due AS MATERIALIZED (
        SELECT id FROM ${job}
        WHERE status = 'queued' AND "runAt" <= $1
        ORDER BY "runAt"
        LIMIT $2
        FOR UPDATE SKIP LOCKED
      )
      UPDATE ${job} AS job SET status = 'running', "lockedBy" = $3, "lockedUntil" = $4, attempts = job.attempts + 1, "updatedAt" = $5
      FROM due WHERE job.id = due.id
      RETURNING job.id, job."shopId", job.kind, job.payload, job.attempts, job."maxAttempts", job."runAt"`
      : // SQLite: one writer at a time, so the UPDATE itself is the lock.
        `
      UPDATE ${job} SET status = 'running', "lockedBy" = ?3, "lockedUntil" = ?4, attempts = attempts + 1, "updatedAt" = ?5
      WHERE id IN (
        SELECT id FROM ${job}
        WHERE status = 'queued' AND "runAt" <= ?1
        ORDER BY "runAt"
        LIMIT ?2
      )
      RETURNING id, "shopId", kind, payload, attempts, "maxAttempts", "runAt"`,

    complete: `
      UPDATE ${job} SET status = 'completed', "lockedUntil" = NULL, "finishedAt" = ${p(2)}, "updatedAt" = ${p(2)}
      WHERE status = 'running' AND "lockedBy" = ${p(1)} AND ${keyIn(kind, "id", 3)}
      RETURNING id`,

    // $1 id, $2 worker, $3 wall-clock now, then the statement's own values.
    retry: `
      UPDATE ${job} SET status = 'queued', "runAt" = ${p(4)}, "lastError" = ${p(5)}, "lockedUntil" = NULL, "updatedAt" = ${p(3)}
      WHERE id = ${p(1)} AND status = 'running' AND "lockedBy" = ${p(2)}`,
    fail: `
      UPDATE ${job} SET status = 'failed', "lastError" = ${p(4)}, "lockedUntil" = NULL, "finishedAt" = ${p(3)}, "updatedAt" = ${p(3)}
      WHERE id = ${p(1)} AND status = 'running' AND "lockedBy" = ${p(2)}`,
  };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function truncate(text: string): string {
  return text.length <= MAX_ERROR_LENGTH ? text : `${text.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}
