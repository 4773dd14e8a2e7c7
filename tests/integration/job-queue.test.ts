// The job queue and its worker on a real SQLite file and (with TEST_POSTGRES_URL) a real
// PostgreSQL schema: leases, retries, idempotency, transactions, concurrent claimers on separate
// connections, and separate worker processes started with `tsx scripts/worker.ts`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../app/domain/errors";
import type { ClaimedJob, Clock, JobHandlers, Logger } from "../../app/domain/ports";
import { createDatabase, postgresConnection } from "../../app/server/db.server";
import { DatabaseJobQueue, enqueueWith, LeaseLostError, pruneFinishedJobs } from "../../app/server/queue/job-queue.server";
import { startWorker } from "../../app/server/queue/worker.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";

const T0 = new Date("2026-05-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

/** A clock the test moves by hand. */
function manualClock(start = T0): Clock & { set(date: Date): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (date) => (now = date),
    advance: (ms) => (now = new Date(now.getTime() + ms)),
  };
}

/** A logger that keeps every line, so tests can read what was (and was not) logged. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, message, ...fields }));
  return { lines, debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

describe.each(databaseKinds())("job queue on %s", (kind) => {
  let test: TestDatabase;
  let queue: DatabaseJobQueue;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    queue = new DatabaseJobQueue(test.db, kind);
  });
  afterAll(async () => test?.drop());
  beforeEach(async () => {
    await test.db.job.deleteMany();
  });

  const row = (id: string) => test.db.job.findUniqueOrThrow({ where: { id } });

  describe("queue", () => {
    it("enqueues, claims under a lease, and completes a job", async () => {
      const { id, created } = await queue.enqueue({ kind: "test.hello", payload: { greeting: "olá" } }, { runAt: T0 });
      expect(created).toBe(true);

      const [claimed, ...others] = await queue.claimDue(T0, 10);
      expect(others).toEqual([]);
      expect(claimed).toEqual({ id, shopId: null, kind: "test.hello", payload: { greeting: "olá" }, attempts: 1, maxAttempts: 8, runAt: T0 });
      expect(await row(id)).toMatchObject({ status: "running", lockedBy: queue.workerId, lockedUntil: at(5 * 60_000) });
      expect(await queue.claimDue(T0, 10)).toEqual([]); // leased: nobody else gets it

      await queue.complete(id);
      const done = await row(id);
      expect(done).toMatchObject({ status: "completed", lockedUntil: null, attempts: 1 });
      expect(done.finishedAt).toBeInstanceOf(Date);
    });

    it("claims only due jobs, oldest first, at most `limit`", async () => {
      const later = await queue.enqueue({ kind: "test.order" }, { runAt: at(1000) });
      const second = await queue.enqueue({ kind: "test.order" }, { runAt: at(-1000) });
      const first = await queue.enqueue({ kind: "test.order" }, { runAt: at(-2000) });

      expect((await queue.claimDue(T0, 1)).map((job) => job.id)).toEqual([first.id]);
      expect((await queue.claimDue(T0, 10)).map((job) => job.id)).toEqual([second.id]);
      expect(await queue.claimDue(at(999), 10)).toEqual([]);
      expect((await queue.claimDue(at(1000), 10)).map((job) => job.id)).toEqual([later.id]);
    });

    it("returns the existing job for a repeated idempotency key, before and after it ran", async () => {
      const first = await queue.enqueue({ kind: "test.once", payload: { n: 1 } }, { runAt: T0, idempotencyKey: "once:1" });
      const again = await queue.enqueue({ kind: "test.once", payload: { n: 2 } }, { runAt: at(5000), idempotencyKey: "once:1" });
      expect(again).toEqual({ id: first.id, created: false });

      const [claimed] = await queue.claimDue(T0, 10);
      await queue.complete(claimed.id);
      expect(await queue.enqueue({ kind: "test.once" }, { runAt: T0, idempotencyKey: "once:1" })).toEqual({ id: first.id, created: false });
      expect(await test.db.job.count()).toBe(1);
      expect((await row(first.id)).payload).toBe('{"n":1}');
    });

    it("puts a retried job back with its error, due at the new time", async () => {
      const { id } = await queue.enqueue({ kind: "test.retry" }, { runAt: T0 });
      await queue.claimDue(T0, 10);
      await queue.retry(id, "Error: the provider timed out", at(60_000));

      expect(await row(id)).toMatchObject({ status: "queued", lastError: "Error: the provider timed out", runAt: at(60_000), lockedUntil: null, attempts: 1 });
      expect(await queue.claimDue(at(59_999), 10)).toEqual([]);
      expect(await queue.claimDue(at(60_000), 10)).toMatchObject([{ id, attempts: 2 }]);
    });

    it("records a failure for good, with its reason", async () => {
      const { id } = await queue.enqueue({ kind: "test.fail" }, { runAt: T0 });
      await queue.claimDue(T0, 10);
      await queue.fail(id, "ProviderError: the number is not a mobile phone");
      expect(await row(id)).toMatchObject({ status: "failed", lastError: "ProviderError: the number is not a mobile phone", lockedUntil: null });
      expect(await queue.claimDue(at(HOUR), 10)).toEqual([]);
    });

    it("prunes finished jobs after their keeping time, never queued or running ones", async () => {
      const now = new Date();
      const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * HOUR);
      const rows = [
        { kind: "prune.old-completed", status: "completed", finishedAt: daysAgo(8) },
        { kind: "prune.new-completed", status: "completed", finishedAt: daysAgo(1) },
        { kind: "prune.old-failed", status: "failed", finishedAt: daysAgo(31) },
        { kind: "prune.new-failed", status: "failed", finishedAt: daysAgo(8) },
        { kind: "prune.queued", status: "queued", finishedAt: null },
        { kind: "prune.running", status: "running", finishedAt: null },
      ];
      await test.db.job.createMany({ data: rows.map((job) => ({ ...job, runAt: daysAgo(40) })) });
      const removed = await pruneFinishedJobs(test.db, { completedBefore: daysAgo(7), failedBefore: daysAgo(30) });
      expect(removed).toBe(2);
      const left = await test.db.job.findMany({ where: { kind: { startsWith: "prune." } }, select: { kind: true } });
      expect(left.map((job) => job.kind).sort()).toEqual(["prune.new-completed", "prune.new-failed", "prune.queued", "prune.running"]);
    });

    it("hands a job out again once the lease of a worker that stopped runs out", async () => {
      const crashed = new DatabaseJobQueue(test.db, kind, { leaseMs: 1000 });
      const survivor = new DatabaseJobQueue(test.db, kind, { leaseMs: 1000 });
      const { id } = await queue.enqueue({ kind: "test.lease" }, { runAt: T0 });
      await crashed.claimDue(T0, 10);

      expect(await survivor.claimDue(at(999), 10)).toEqual([]);
      // Expired leases are looked for at most every tenth of the lease (100 ms here).
      expect(await survivor.claimDue(at(1001), 10)).toEqual([]);
      expect(await survivor.claimDue(at(1099), 10)).toMatchObject([{ id, attempts: 2 }]);
      expect(await row(id)).toMatchObject({ status: "running", lockedBy: survivor.workerId, lastError: "lease expired: the worker running attempt 1 stopped before finishing it" });

      // The first worker comes back late: it may not overwrite the job the survivor now holds.
      await expect(crashed.complete(id)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(crashed.retry(id, "late", at(HOUR))).rejects.toBeInstanceOf(LeaseLostError);
      expect(await row(id)).toMatchObject({ status: "running", lockedBy: survivor.workerId });
      await survivor.complete(id);
      expect((await row(id)).status).toBe("completed");
    });

    it("fails a job whose last attempt's lease ran out, saying so", async () => {
      const shortLease = new DatabaseJobQueue(test.db, kind, { leaseMs: 1000 });
      const { id } = await queue.enqueue({ kind: "test.lease", maxAttempts: 1 }, { runAt: T0 });
      await shortLease.claimDue(T0, 10);

      expect(await shortLease.claimDue(at(2000), 10)).toEqual([]);
      const failed = await row(id);
      expect(failed).toMatchObject({ status: "failed", attempts: 1, lastError: "lease expired: the worker running attempt 1 stopped before finishing it" });
      expect(failed.finishedAt).toBeInstanceOf(Date);
    });

    it("fails a job whose stored payload is not JSON instead of handing it out", async () => {
      const broken = await test.db.job.create({ data: { kind: "test.broken", payload: "{not json", runAt: T0 } });
      const fine = await queue.enqueue({ kind: "test.fine" }, { runAt: T0 });
      expect((await queue.claimDue(T0, 10)).map((job) => job.id)).toEqual([fine.id]);
      expect(await row(broken.id)).toMatchObject({ status: "failed" });
      expect((await row(broken.id)).lastError).toMatch(/^the job's payload is not valid JSON/);
    });

    it("enqueues inside the caller's transaction: rolled back, no job; committed, both rows", async () => {
      const shop = (domain: string) => ({ domain, name: "Casa Aurora" });
      await expect(
        test.db.$transaction(async (tx) => {
          const created = await tx.shop.create({ data: shop("rolled-back.myshopify.com") });
          await enqueueWith(tx, { kind: "test.tx", shopId: created.id }, { runAt: T0 });
          throw new Error("the caller changed its mind");
        }),
      ).rejects.toThrow("the caller changed its mind");
      expect(await test.db.job.count()).toBe(0);
      expect(await test.db.shop.count({ where: { domain: "rolled-back.myshopify.com" } })).toBe(0);

      const jobId = await test.db.$transaction(async (tx) => {
        const created = await tx.shop.create({ data: shop("committed.myshopify.com") });
        return (await enqueueWith(tx, { kind: "test.tx", shopId: created.id }, { runAt: T0 })).id;
      });
      const committed = await test.db.shop.findUniqueOrThrow({ where: { domain: "committed.myshopify.com" } });
      expect(await row(jobId)).toMatchObject({ shopId: committed.id, status: "queued" });
    });

    it("answers a repeated idempotency key inside a transaction without aborting it", async () => {
      const first = await queue.enqueue({ kind: "test.tx" }, { runAt: T0, idempotencyKey: "tx:1" });
      const result = await test.db.$transaction(async (tx) => {
        const again = await enqueueWith(tx, { kind: "test.tx" }, { runAt: T0, idempotencyKey: "tx:1" });
        // On PostgreSQL a failed INSERT would have aborted the transaction: this write would throw.
        const other = await enqueueWith(tx, { kind: "test.tx" }, { runAt: T0, idempotencyKey: "tx:2" });
        return { again, other };
      });
      expect(result.again).toEqual({ id: first.id, created: false });
      expect(result.other.created).toBe(true);
      expect(await test.db.job.count()).toBe(2);
    });
  });

  describe("worker", () => {
    const quiet = recordingLogger();

    it("runs each job's handler once and completes it (drain)", async () => {
      const seen: number[] = [];
      const handlers: JobHandlers = {
        "test.record": async (job) => {
          seen.push((job.payload as { n: number }).n);
        },
      };
      for (let n = 0; n < 25; n++) await queue.enqueue({ kind: "test.record", payload: { n } }, { runAt: T0 });

      const worker = startWorker({ queue, handlers, clock: manualClock(), logger: quiet, batchSize: 4, concurrency: 3, pollIntervalMs: 60_000 });
      expect(await worker.drain()).toBe(25);
      await worker.stop();

      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, n) => n));
      expect(await test.db.job.count({ where: { status: "completed", attempts: 1 } })).toBe(25);
    });

    it("starts a claim's jobs in one event-loop turn in a worker process of its own, one per turn inline", async () => {
      const turnOf = async (inline: boolean) => {
        await test.db.job.deleteMany();
        let turn = 0;
        // Counts event-loop turns while the worker drains.
        const countTurns = () => {
          turn += 1;
          if (!stopped) setImmediate(countTurns);
        };
        let stopped = false;
        setImmediate(countTurns);
        const startedIn: number[] = [];
        const handlers: JobHandlers = { "test.turn": async () => void startedIn.push(turn) };
        for (let n = 0; n < 5; n++) await queue.enqueue({ kind: "test.turn" }, { runAt: T0 });
        const worker = startWorker({ queue, handlers, clock: manualClock(), logger: quiet, batchSize: 5, concurrency: 5, pollIntervalMs: 60_000, inline });
        expect(await worker.drain()).toBe(5);
        await worker.stop();
        stopped = true;
        return new Set(startedIn).size;
      };
      // Together, their statements made in the same turn are coalesced (coalesce.server.ts).
      expect(await turnOf(false)).toBe(1);
      // Inline, requests that arrived meanwhile are read between two jobs.
      expect(await turnOf(true)).toBe(5);
    });

    it("fails a job of a kind it has no handler for, naming the kind", async () => {
      const { id } = await queue.enqueue({ kind: "test.nobody" }, { runAt: T0 });
      const worker = startWorker({ queue, handlers: { "test.other": async () => {} }, clock: manualClock(), logger: quiet, pollIntervalMs: 60_000 });
      expect(await worker.drain()).toBe(1);
      await worker.stop();
      expect(await row(id)).toMatchObject({ status: "failed", attempts: 1, lastError: 'no handler for job kind "test.nobody": this worker only runs test.other' });
    });

    it("retries a failed handler with backoff, then completes it", async () => {
      const clock = manualClock();
      let calls = 0;
      const handlers: JobHandlers = {
        "test.flaky": async () => {
          calls += 1;
          if (calls === 1) throw new Error("the provider timed out");
        },
      };
      const { id } = await queue.enqueue({ kind: "test.flaky" }, { runAt: T0 });
      const worker = startWorker({ queue, handlers, clock, logger: quiet, pollIntervalMs: 60_000 });

      expect(await worker.drain()).toBe(1);
      const waiting = await row(id);
      expect(waiting).toMatchObject({ status: "queued", attempts: 1, lastError: "Error: the provider timed out" });
      // First retry: between the 10 s base and twice that.
      expect(waiting.runAt.getTime() - T0.getTime()).toBeGreaterThanOrEqual(10_000);
      expect(waiting.runAt.getTime() - T0.getTime()).toBeLessThanOrEqual(20_000);

      expect(await worker.drain()).toBe(0); // not due yet
      clock.set(waiting.runAt);
      expect(await worker.drain()).toBe(1);
      await worker.stop();
      expect(await row(id)).toMatchObject({ status: "completed", attempts: 2 });
      expect(calls).toBe(2);
    });

    it("waits at least a provider's Retry-After before trying again", async () => {
      const clock = manualClock();
      const handlers: JobHandlers = {
        "test.limited": async () => {
          throw new ProviderError("429 Too Many Requests", true, 120_000);
        },
      };
      const { id } = await queue.enqueue({ kind: "test.limited" }, { runAt: T0 });
      const worker = startWorker({ queue, handlers, clock, logger: quiet, pollIntervalMs: 60_000 });
      await worker.drain();
      await worker.stop();

      const waiting = await row(id);
      expect(waiting).toMatchObject({ status: "queued", lastError: "ProviderError: 429 Too Many Requests" });
      expect(waiting.runAt.getTime() - T0.getTime()).toBeGreaterThanOrEqual(120_000);
      expect(waiting.runAt.getTime() - T0.getTime()).toBeLessThanOrEqual(130_000);
    });

    it("fails at once when the provider says retrying cannot help", async () => {
      const handlers: JobHandlers = {
        "test.refused": async () => {
          throw new ProviderError("the recipient unsubscribed", false, undefined, "21610");
        },
      };
      const { id } = await queue.enqueue({ kind: "test.refused" }, { runAt: T0 });
      const worker = startWorker({ queue, handlers, clock: manualClock(), logger: quiet, pollIntervalMs: 60_000 });
      expect(await worker.drain()).toBe(1);
      await worker.stop();
      expect(await row(id)).toMatchObject({ status: "failed", attempts: 1, lastError: "ProviderError: the recipient unsubscribed (vendor code 21610)" });
    });

    it("fails for good after maxAttempts, keeping the last reason", async () => {
      const clock = manualClock();
      let calls = 0;
      const handlers: JobHandlers = {
        "test.broken": async () => {
          calls += 1;
          throw new Error(`still broken (call ${calls})`);
        },
      };
      const { id } = await queue.enqueue({ kind: "test.broken", maxAttempts: 3 }, { runAt: T0 });
      const worker = startWorker({ queue, handlers, clock, logger: quiet, pollIntervalMs: 60_000 });
      for (let round = 0; round < 5; round++) {
        await worker.drain();
        clock.advance(HOUR); // past any backoff window
      }
      await worker.stop();
      expect(calls).toBe(3);
      expect(await row(id)).toMatchObject({ status: "failed", attempts: 3, lastError: "Error: still broken (call 3)" });
    });

    it("stops gracefully: stop() waits for the job in hand, which completes", async () => {
      let release!: () => void;
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const handlers: JobHandlers = {
        "test.slow": () =>
          new Promise<void>((resolve) => {
            release = resolve;
            started();
          }),
      };
      const { id } = await queue.enqueue({ kind: "test.slow" }, { runAt: T0 });
      const worker = startWorker({ queue, handlers, clock: manualClock(), logger: quiet, pollIntervalMs: 10 });
      await running;

      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect((await row(id)).status).toBe("completed");
    });

    it("logs ids, kinds and reasons, never payloads", async () => {
      const logger = recordingLogger();
      const handlers: JobHandlers = {
        "test.private": async (job: ClaimedJob) => {
          if ((job.payload as { fail: boolean }).fail) throw new Error("could not deliver");
        },
      };
      await queue.enqueue({ kind: "test.private", payload: { email: "ana.souza@example.com", fail: true } }, { runAt: T0 });
      await queue.enqueue({ kind: "test.private", payload: { email: "ana.souza@example.com", fail: false } }, { runAt: T0 });
      const worker = startWorker({ queue, handlers, clock: manualClock(), logger, pollIntervalMs: 60_000 });
      await worker.drain();
      await worker.stop();

      expect(logger.lines.some((line) => line.includes("job failed, will retry") && line.includes("could not deliver"))).toBe(true);
      expect(logger.lines.some((line) => line.includes("job completed") && line.includes("test.private"))).toBe(true);
      expect(logger.lines.filter((line) => line.includes("ana.souza"))).toEqual([]);
    });
  });

  describe.runIf(kind === "postgresql")("on PostgreSQL, with many workers", () => {
    const schemaOf = () => postgresConnection(test.url).schema!;

    it("claims through the (status, runAt) index, whatever the backlog", async () => {
      await test.db.$executeRawUnsafe(
        `INSERT INTO "${schemaOf()}"."Job" (id, kind, "runAt", "updatedAt")
         SELECT 'backlog-' || n, 'test.backlog', $1::timestamp(3) - n * interval '1 second', now() FROM generate_series(1, 50000) n`,
        T0,
      );
      await test.db.$executeRawUnsafe(`ANALYZE "${schemaOf()}"."Job"`);
      const plan = await queue.explainClaim(T0, 50);
      expect(plan).toContain('Index Scan using "Job_status_runAt_idx"');
      expect(plan).not.toMatch(/Seq Scan on "?Job"?|Sort/);
    });

    it("never hands one job to two of four concurrent claimers, and together they claim them all", async () => {
      const total = 2000;
      await test.db.job.createMany({ data: Array.from({ length: total }, (_, n) => ({ kind: "test.race", payload: JSON.stringify({ n }), runAt: at(-n) })) });
      // Four Prisma clients: four connection pools, so the claims really run side by side.
      const clients = Array.from({ length: 4 }, () => createDatabase(test.url));
      try {
        const claimedBy = await Promise.all(
          clients.map(async (client) => {
            const claimer = new DatabaseJobQueue(client, "postgresql");
            const ids: string[] = [];
            for (;;) {
              const batch = await claimer.claimDue(T0, 25);
              if (batch.length === 0) return ids;
              ids.push(...batch.map((job) => job.id));
            }
          }),
        );
        const all = claimedBy.flat();
        expect(all.length).toBe(total);
        expect(new Set(all).size).toBe(total);
        for (const ids of claimedBy) expect(ids.length).toBeGreaterThan(0);
        expect(await test.db.job.count({ where: { status: "running", attempts: 1 } })).toBe(total);
      } finally {
        await Promise.all(clients.map((client) => client.$disconnect()));
      }
    });

    describe("separate worker processes (tsx scripts/worker.ts)", () => {
      let dir: string;
      const children: ChildProcess[] = [];

      beforeAll(() => {
        dir = mkdtempSync(path.join(tmpdir(), "avisa-worker-"));
        // Plain JavaScript with no imports: the worker script loads it with --handlers.
        writeFileSync(
          path.join(dir, "handlers.mjs"),
          `export function jobHandlers() {
             const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
             return {
               "test.sleep": (job) => sleep(job.payload.ms),
               // The first attempt hangs (its worker gets killed); the next one succeeds.
               "test.hang-once": (job) => (job.attempts === 1 ? sleep(3_600_000) : Promise.resolve()),
             };
           }\n`,
        );
      });
      afterAll(() => {
        for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      });

      /** Starts `tsx scripts/worker.ts` and resolves once it logs that it is claiming. */
      async function startWorkerProcess(...args: string[]): Promise<ChildProcess> {
        // `node --import tsx`, not the tsx CLI: the CLI is a parent process that relays signals
        // after asking the child over IPC, and under load it gives up and dies of SIGTERM (143).
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts", "--handlers", path.join(dir, "handlers.mjs"), ...args], {
          env: { ...process.env, DATABASE_URL: test.url, AVISA_DEMO: "1", NODE_ENV: "development", HOST: "127.0.0.1", LOG_LEVEL: "info", AVISA_WORKER: "off" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(child);
        let stderr = "";
        child.stderr!.on("data", (chunk) => (stderr += chunk));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s: ${stderr}`)), 60_000);
          child.once("exit", (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
          createInterface({ input: child.stdout! }).on("line", (line) => {
            if (line.includes('"message":"worker started"')) {
              clearTimeout(timer);
              resolve();
            }
          });
        });
        return child;
      }

      const exitCode = (child: ChildProcess) =>
        child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((resolve) => child.once("exit", resolve));

      async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!(await condition())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }

      it("three processes share the jobs, each job runs once, and SIGTERM stops them cleanly", async () => {
        const total = 150;
        // Not due until every worker is up, so all three compete from the same moment.
        await test.db.job.createMany({
          data: Array.from({ length: total }, () => ({ kind: "test.sleep", payload: JSON.stringify({ ms: 20 }), runAt: new Date("2100-01-01T00:00:00Z") })),
        });
        const workers = await Promise.all([1, 2, 3].map(() => startWorkerProcess("--concurrency", "4", "--poll-ms", "50")));
        await test.db.job.updateMany({ data: { runAt: new Date() } });

        await waitFor(async () => (await test.db.job.count({ where: { status: "completed" } })) === total, `${total} completed jobs`);
        const jobs = await test.db.job.findMany();
        expect(jobs.every((job) => job.attempts === 1)).toBe(true);
        expect(new Set(jobs.map((job) => job.lockedBy)).size).toBe(3);

        for (const worker of workers) worker.kill("SIGTERM");
        expect(await Promise.all(workers.map(exitCode))).toEqual([0, 0, 0]);
      }, 120_000);

      it("a job whose worker process was killed is finished by another once the lease runs out", async () => {
        const { id } = await enqueueWith(test.db, { kind: "test.hang-once" }, { runAt: new Date() });
        const doomed = await startWorkerProcess("--lease-ms", "1500", "--poll-ms", "50");
        await waitFor(async () => (await row(id)).status === "running", "the first worker to claim the job");
        doomed.kill("SIGKILL");
        await exitCode(doomed);

        const survivor = await startWorkerProcess("--lease-ms", "1500", "--poll-ms", "100");
        await waitFor(async () => (await row(id)).status === "completed", "the survivor to finish the job");
        expect(await row(id)).toMatchObject({ attempts: 2, lastError: "lease expired: the worker running attempt 1 stopped before finishing it" });
        survivor.kill("SIGTERM");
        expect(await exitCode(survivor)).toBe(0);
      }, 120_000);
    });
  });
});
