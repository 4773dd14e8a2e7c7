// `npm run bench:dispatch`: how fast Avisa's job queue and worker send due messages, beside
// graphile-worker running the same number of no-op jobs on the same PostgreSQL server, in the
// same run.
//
//   Avisa on SQLite       one in-process worker (SQLite is one process only), in a child process
//                         of its own per run; once with SQLite's default rollback journal, once in
//                         WAL mode with the busy timeout, as the app's processes set the file up
//                         (prepareDatabase). Reports how many files the process held open more
//                         after the run than before (a driver that leaks handles shows here).
//   Avisa on PostgreSQL   1, 2 and 4 worker processes: the real `tsx scripts/worker.ts`
//   graphile-worker       1, 2 and 4 processes, same concurrency, own schema, no-op jobs; with its
//                         default settings, and with its batching on (localQueue, completeJobBatchDelay 0)
//   claim cost            claimDue on a backlog of 10k and of 1M due jobs: ms per claim and
//                         PostgreSQL's EXPLAIN cost (plus the plan of the naive OR claim)
//
// What an Avisa job does depends on --handler (see BENCH_HANDLERS):
//   dispatch (default)    each job is a "dispatch-message" job for one due Message (email,
//                         transactional) of one installed shop and its contact, and runs the app's
//                         real path: dispatchMessage() with the captured-content composer, the
//                         shop-installed and already-bought checks, and the OutboxProvider (the
//                         app's local provider: it stores the email as an OutboxMessage row). Per
//                         message: read the message, the shop and the contact, claim the send,
//                         write the OutboxMessage, mark the message sent; plus the job's claim and
//                         completion. Afterwards all N messages must be "sent" with N outbox rows.
//   noop                  the job does nothing: the queue and worker alone.
// graphile-worker always runs no-op jobs, so for `dispatch` the ratio compares Avisa sending real
// messages (with their database writes) against graphile-worker doing nothing per job.
//
// Each throughput run seeds the N jobs not yet due (runAt in 2100; for `dispatch` also the shop,
// the contact and the N messages, already due), starts the workers and waits until each says
// it is ready, then one UPDATE makes every job due. The clock runs from that commit until the
// queue is empty (polled every 100 ms, so the polling itself stays light): seeding and start-up
// never count. Afterwards every Avisa job must be completed on its first attempt.
//
// Options: --jobs N (or BENCH_JOBS; default 10000 for dispatch, 20000 for noop), --handler NAME
// (or BENCH_HANDLER; dispatch or noop, default dispatch), --concurrency N (10 per process),
// --batch-size N (10), --processes 1,2,4, --skip-1m, --skip-sqlite, --skip-graphile.
// BENCH_CPU_PROFILE=<dir> runs the Avisa and graphile-worker processes with --cpu-prof (open the
// .cpuprofile files in Chrome DevTools).
// PostgreSQL: BENCH_POSTGRES_URL ?? TEST_POSTGRES_URL ?? postgresql://postgres@127.0.0.1:5432/test,
// on 127.0.0.1 only; the run works in its own schemas and drops them. A watchdog ends the run
// after 25 minutes (dispatch; 15 for noop) whatever happens.
//
// A run that fails is listed as FAILED and the others go on; the command then exits with 1.
//
// Internally this file is also (a) the handler module the Avisa worker processes load with
// `--handlers bench/dispatch.ts`, (b) the graphile-worker child (`--graphile-child`), and (c) the
// child running one SQLite run (`--sqlite-child`).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { ClaimedJob, Clock, JobHandlers, Logger } from "../app/domain/ports";
import { messageIdempotencyKey } from "../app/domain/scheduling/idempotency";
import { createDatabase, db, postgresConnection, prepareDatabase, type Database } from "../app/server/db.server";
import { outboxProviders } from "../app/server/providers/outbox/outbox-provider.server";
import { DatabaseJobQueue } from "../app/server/queue/job-queue.server";
import { startWorker } from "../app/server/queue/worker.server";
import { capturedContentComposer } from "../app/server/services/compose-message.server";
import { alreadyBoughtCheck, dispatchMessage, shopInstalledCheck, type DispatchDependencies } from "../app/server/services/dispatch-message.server";
import { DISPATCH_MESSAGE_JOB } from "../app/server/services/schedule-message.server";
import { migratePostgres, migrateSqlite } from "../scripts/migrate";

// ---------------------------------------------------------------- what each job runs

export const BENCH_JOB_KIND = "bench";
export const DEFAULT_HANDLER = "dispatch";

type BenchHandler = {
  /** The kind of the Avisa jobs this handler runs. */
  kind: string;
  /** Builds the job handler over the database the worker uses. */
  build: (database: () => Database) => (job: ClaimedJob) => Promise<void>;
  /** What each Avisa row of the report measures. */
  label: string;
};

/** What an Avisa bench job runs, by `--handler` name. */
export const BENCH_HANDLERS: Record<string, BenchHandler> = {
  dispatch: { kind: DISPATCH_MESSAGE_JOB, build: dispatchHandler, label: "message dispatch (dispatchMessage → OutboxProvider)" },
  noop: { kind: BENCH_JOB_KIND, build: () => async () => {}, label: "no-op jobs" },
};

/**
 * The app's dispatch-message job (as app/server/jobs.server.ts wires it) with the outbox as the
 * provider and the wall clock. Anything but "sent" throws: the job then retries, and the run's
 * checks (first attempt, N messages sent) fail loudly.
 */
function dispatchHandler(database: () => Database): (job: ClaimedJob) => Promise<void> {
  let deps: DispatchDependencies | undefined;
  return async (job) => {
    if (!deps) {
      const clock: Clock = { now: () => new Date() };
      const outbox = outboxProviders(database(), clock);
      deps = {
        database: database(),
        clock,
        providerFor: (channel) => outbox[channel],
        compose: capturedContentComposer(database()),
        checks: [shopInstalledCheck(), alreadyBoughtCheck(database())],
      };
    }
    const { messageId } = job.payload as { messageId: string };
    const outcome = await dispatchMessage(messageId, deps);
    if (outcome.outcome !== "sent") throw new Error(`bench message ${messageId} was not sent: ${JSON.stringify(outcome)}`);
  };
}

/**
 * Loaded by `scripts/worker.ts --handlers bench/dispatch.ts` in each Avisa worker process, where
 * the handler uses the worker's own database client (`db()`, from DATABASE_URL), as the app's
 * jobs do. The in-process SQLite run passes its database and the handler name.
 */
export function jobHandlers(database?: Database, name = process.env.BENCH_HANDLER ?? DEFAULT_HANDLER): JobHandlers {
  const handler = BENCH_HANDLERS[name];
  if (!handler) throw new Error(`unknown --handler "${name}"; known: ${Object.keys(BENCH_HANDLERS).join(", ")}`);
  return { [handler.kind]: handler.build(() => database ?? db()) };
}

// ---------------------------------------------------------------- settings

type Settings = {
  jobs: number;
  handler: string;
  concurrency: number;
  batchSize: number;
  processes: number[];
  skip1m: boolean;
  skipSqlite: boolean;
  skipGraphile: boolean;
  postgresUrl: string;
};

const POLL_MS = 50; // workers' idle poll (both systems); only matters at release time
const WATCHDOG_MINUTES = { noop: 15, dispatch: 25 } as Record<string, number>;
const FAR_FUTURE = "2100-01-01 00:00:00";
const TSX_CLI = path.resolve("node_modules/tsx/dist/cli.mjs");
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function settingsFrom(args: string[], env: NodeJS.ProcessEnv): Settings {
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const whole = (text: string | undefined, fallback: number, name: string) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number of at least 1, got "${text}"`);
    return value;
  };
  const postgresUrl = env.BENCH_POSTGRES_URL ?? env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
  if (!LOOPBACK.has(new URL(postgresUrl).hostname)) throw new Error(`the benchmark only talks to a PostgreSQL on 127.0.0.1, not ${new URL(postgresUrl).hostname}`);
  const handler = option("--handler") ?? env.BENCH_HANDLER ?? DEFAULT_HANDLER;
  if (!BENCH_HANDLERS[handler]) throw new Error(`unknown --handler "${handler}"; known: ${Object.keys(BENCH_HANDLERS).join(", ")}`);
  return {
    jobs: whole(option("--jobs") ?? env.BENCH_JOBS, handler === "dispatch" ? 10_000 : 20_000, "--jobs"),
    handler,
    concurrency: whole(option("--concurrency"), 10, "--concurrency"),
    batchSize: whole(option("--batch-size"), 10, "--batch-size"),
    processes: (option("--processes") ?? "1,2,4").split(",").map((text) => whole(text.trim(), 1, "--processes")),
    skip1m: args.includes("--skip-1m"),
    skipSqlite: args.includes("--skip-sqlite"),
    skipGraphile: args.includes("--skip-graphile"),
    postgresUrl,
  };
}

// ---------------------------------------------------------------- small helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error: (message, fields) => console.error(message, fields) };
const children = new Set<ChildProcess>();

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("schema", schema);
  return parsed.toString();
}

/** Spawns a worker process and resolves once it prints `readyText` on stdout. */
async function spawnReady(args: string[], env: Record<string, string>, readyText: string): Promise<ChildProcess> {
  // tsx's CLI runs the script in a child process of its own; --import runs it in this one, the one profiled.
  const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`, "--import", "tsx"] : [TSX_CLI];
  const child = spawn(process.execPath, [...profile, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a worker did not start within 60 s: ${stderr}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`a worker exited with ${code} before it was ready: ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

async function stopAll(processes: ChildProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
          child.once("exit", () => {
            clearTimeout(force);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

/** Seconds from now until `remaining()` reports 0. */
async function secondsUntilEmpty(remaining: () => Promise<number>, what: string): Promise<number> {
  const started = performance.now();
  const deadline = started + 10 * 60_000;
  while ((await remaining()) > 0) {
    if (performance.now() > deadline) throw new Error(`${what} did not finish within 10 minutes`);
    await sleep(100);
  }
  return (performance.now() - started) / 1000;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ---------------------------------------------------------------- messages to dispatch

const BENCH_SHOP_DOMAIN = "avisa-bench-dispatch.myshopify.com";
const BENCH_EMAIL = "shopper@example.com";
const BENCH_CONTENT = { subject: "Your order shipped", text: "It is on its way." };
const SEED_CHUNK = 1000;

/**
 * One installed shop, one contact with an email address, and `count` transactional email
 * messages, already due, written through Prisma as scheduleMessage writes them (same idempotency
 * key, status, captured variables), in batches. Returns the messages' runAt: their dispatch jobs
 * are added by one INSERT … SELECT per database (see seedDispatchJobs*), as scheduleMessage
 * would enqueue them but not yet due.
 */
async function seedMessages(database: Database, count: number): Promise<Date> {
  const shop = await database.shop.create({ data: { domain: BENCH_SHOP_DOMAIN, name: "Avisa bench store" } });
  const contact = await database.contact.create({ data: { shopId: shop.id, email: BENCH_EMAIL, firstName: "Bench" } });
  const runAt = new Date(Date.now() - 60_000);
  const variables = JSON.stringify(BENCH_CONTENT);
  for (let first = 1; first <= count; first += SEED_CHUNK) {
    const data = [];
    for (let n = first; n <= Math.min(count, first + SEED_CHUNK - 1); n++) {
      data.push({
        shopId: shop.id,
        contactId: contact.id,
        idempotencyKey: messageIdempotencyKey({ shopId: shop.id, automation: "bench", step: 0, subject: `order-${n}` }),
        automation: "bench",
        step: 0,
        purpose: "transactional",
        channel: "email",
        recipient: BENCH_EMAIL,
        status: "scheduled",
        runAt,
        variables,
      });
    }
    await database.message.createMany({ data });
  }
  return runAt;
}

/** Every message sent once, through the outbox, to the contact, with its captured content. */
async function expectMessagesSent(database: Database, count: number): Promise<void> {
  const [sent, outbox, outboxAsComposed] = await Promise.all([
    database.message.count({ where: { status: "sent", provider: "outbox-email", attempts: 1 } }),
    database.outboxMessage.count(),
    database.outboxMessage.count({ where: { channel: "email", toAddress: BENCH_EMAIL, subject: BENCH_CONTENT.subject, text: BENCH_CONTENT.text } }),
  ]);
  if (sent !== count || outbox !== count || outboxAsComposed !== count) {
    throw new Error(`expected ${count} messages sent once through the outbox, found ${sent} sent, ${outbox} outbox rows (${outboxAsComposed} as composed)`);
  }
}

// ---------------------------------------------------------------- Avisa on SQLite

type SqliteResult = { seconds: number; openFilesBefore?: number; openFilesAfter?: number };

/** Open file descriptors of this process (Linux), to catch a driver that keeps files open. */
function openFiles(): number | undefined {
  try {
    return existsSync("/proc/self/fd") ? readdirSync("/proc/self/fd").length : undefined;
  } catch {
    return undefined; // e.g. EMFILE: no descriptor left to read the directory with
  }
}

/**
 * Each SQLite run in a child process of its own (`--sqlite-child`): a fresh process, and what one
 * run leaves open (see openFiles) cannot spill into the next. Rejects with the child's error.
 */
async function benchSqliteInChild(settings: Settings, wal: boolean): Promise<SqliteResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "avisa-bench-dispatch-"));
  let stdout = "";
  let stderr = "";
  let code: number | null;
  try {
    const child = spawn(process.execPath, [TSX_CLI, "bench/dispatch.ts", "--sqlite-child"], {
      env: { ...process.env, BENCH_SQLITE_CHILD: JSON.stringify({ settings, wal, dir }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    code = await new Promise<number | null>((resolve) => child.once("exit", (exitCode) => resolve(exitCode)));
    children.delete(child);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const line = stdout.split("\n").find((text) => text.startsWith("SQLITE RESULT "));
  if (code === 0 && line) return JSON.parse(line.slice("SQLITE RESULT ".length)) as SqliteResult;
  const error = stderr.split("\n").find((text) => text.startsWith("SQLITE ERROR "));
  throw new Error(error ? error.slice("SQLITE ERROR ".length) : `the SQLite run exited with ${code}: ${stderr.trim().slice(-1000)}`);
}

async function sqliteChild(): Promise<void> {
  const { settings, wal, dir } = JSON.parse(process.env.BENCH_SQLITE_CHILD ?? "") as { settings: Settings; wal: boolean; dir: string };
  try {
    console.log(`SQLITE RESULT ${JSON.stringify(await benchSqlite(settings, wal, dir))}`);
  } catch (error) {
    console.error(`SQLITE ERROR ${String((error as Error).message ?? error).replaceAll("\n", " ")}`);
    throw error;
  }
}

/** One SQLite run on a new database file in `dir` (the caller removes the directory). */
async function benchSqlite(settings: Settings, wal: boolean, dir: string): Promise<SqliteResult> {
  const url = `file:${path.join(dir, "bench.sqlite")}`;
  migrateSqlite(url, { quiet: true });
  const database = createDatabase(url);
  try {
    // WAL and the busy timeout exactly as the app's processes set them.
    if (wal) await prepareDatabase(database, url);
    if (settings.handler === "dispatch") {
      const runAt = await seedMessages(database, settings.jobs);
      // The jobs scheduleMessage would enqueue (same kind, shop, payload and key), not yet due.
      await database.$executeRawUnsafe(
        `INSERT INTO "Job" (id, "shopId", kind, payload, "runAt", "idempotencyKey", "createdAt", "updatedAt")
         SELECT 'bench-' || id, "shopId", ?1, '{"messageId":"' || id || '"}', ?2, 'dispatch:' || id || ':' || ?3, ?4, ?4 FROM "Message"`,
        DISPATCH_MESSAGE_JOB,
        new Date(`${FAR_FUTURE}Z`),
        String(runAt.getTime()),
        new Date(),
      );
    } else {
      await database.$executeRawUnsafe(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO "Job" (id, kind, payload, "runAt", "createdAt", "updatedAt")
         SELECT 'bench-' || i, ?2, '{"n":' || i || '}', ?3, ?4, ?4 FROM n`,
        settings.jobs,
        BENCH_JOB_KIND,
        new Date(`${FAR_FUTURE}Z`),
        new Date(),
      );
    }
    // The first error stops the run (and says why) instead of logging one line per job.
    let firstError: string | undefined;
    const logger: Logger = {
      ...quietLogger,
      error: (message, fields) => {
        if (firstError) return;
        firstError = `${message} ${JSON.stringify(fields)}`.replaceAll(/\s+/g, " ").slice(0, 600);
        void worker.stop();
      },
    };
    const openFilesBefore = openFiles();
    const worker = startWorker({
      queue: new DatabaseJobQueue(database, "sqlite"),
      handlers: jobHandlers(database, settings.handler),
      clock: { now: () => new Date() },
      logger,
      concurrency: settings.concurrency,
      batchSize: settings.batchSize,
      pollIntervalMs: POLL_MS,
    });
    await database.$executeRawUnsafe(`UPDATE "Job" SET "runAt" = ?1`, new Date());
    const started = performance.now();
    let drainError: string | undefined;
    await worker.drain().catch((error: unknown) => (drainError = String((error as Error).message ?? error).replaceAll(/\s+/g, " ").slice(0, 600)));
    const seconds = (performance.now() - started) / 1000;
    const openFilesAfter = openFiles();
    await worker.stop().catch(() => undefined);
    const failure = firstError ?? drainError;
    if (failure) throw new Error(`the SQLite worker failed (open files: ${openFilesBefore} before the run, ${openFilesAfter ?? "too many to count"} at its end): ${failure}`);
    await expectAllCompletedOnce(database, settings.jobs);
    if (settings.handler === "dispatch") await expectMessagesSent(database, settings.jobs);
    return { seconds, openFilesBefore, openFilesAfter };
  } finally {
    await database.$disconnect().catch(() => undefined); // keep the run's own error, if any
  }
}

async function expectAllCompletedOnce(database: Database, jobs: number): Promise<void> {
  const once = await database.job.count({ where: { status: "completed", attempts: 1 } });
  if (once !== jobs) throw new Error(`expected ${jobs} jobs completed on their first attempt, found ${once}`);
}

// ---------------------------------------------------------------- Avisa on PostgreSQL

async function benchAvisaPostgres(settings: Settings, admin: pg.Pool, schema: string, processes: number): Promise<number> {
  const table = `"${schema}"."Job"`;
  // The shop's rows (contact, messages, outbox) go with it.
  await admin.query(`TRUNCATE ${table}, "${schema}"."Shop" CASCADE`);
  const database = settings.handler === "dispatch" ? createDatabase(withSchema(settings.postgresUrl, schema)) : undefined;
  try {
    if (database) {
      const runAt = await seedMessages(database, settings.jobs);
      // The jobs scheduleMessage would enqueue (same kind, shop, payload and key), not yet due.
      await admin.query(
        `INSERT INTO ${table} (id, "shopId", kind, payload, "runAt", "idempotencyKey", "createdAt", "updatedAt")
         SELECT 'bench-' || id, "shopId", $1::text, '{"messageId":"' || id || '"}', $2::timestamp(3), 'dispatch:' || id || ':' || $3::text,
                now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
         FROM "${schema}"."Message"`,
        [DISPATCH_MESSAGE_JOB, FAR_FUTURE, String(runAt.getTime())],
      );
      for (const seeded of ["Shop", "Contact", "Message", "OutboxMessage"]) await admin.query(`ANALYZE "${schema}"."${seeded}"`);
    } else {
      await admin.query(
        `INSERT INTO ${table} (id, kind, payload, "runAt", "createdAt", "updatedAt")
         SELECT 'bench-' || n, $1, json_build_object('n', n)::text, $2, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
         FROM generate_series(1, $3) n`,
        [BENCH_JOB_KIND, FAR_FUTURE, settings.jobs],
      );
    }
    await admin.query(`ANALYZE ${table}`);
    const seconds = await runAvisaPostgresWorkers(settings, admin, schema, processes);
    if (database) await expectMessagesSent(database, settings.jobs);
    return seconds;
  } finally {
    await database?.$disconnect();
  }
}

async function runAvisaPostgresWorkers(settings: Settings, admin: pg.Pool, schema: string, processes: number): Promise<number> {
  const table = `"${schema}"."Job"`;
  const workerArgs = ["scripts/worker.ts", "--handlers", "bench/dispatch.ts", "--concurrency", `${settings.concurrency}`, "--batch-size", `${settings.batchSize}`, "--poll-ms", `${POLL_MS}`];
  const env = {
    DATABASE_URL: withSchema(settings.postgresUrl, schema),
    BENCH_HANDLER: settings.handler,
    // The worker reads the app's configuration; the demo settings need no Shopify credentials.
    AVISA_DEMO: "1",
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    AVISA_WORKER: "off",
  };
  const workers = await Promise.all(Array.from({ length: processes }, () => spawnReady(workerArgs, env, '"message":"worker started"')));
  try {
    // Wall-clock UTC, as Prisma writes it; workers compare runAt with their own clock.
    await admin.query(`UPDATE ${table} SET "runAt" = now() AT TIME ZONE 'UTC'`);
    const seconds = await secondsUntilEmpty(async () => {
      // A job that failed or went back for a retry would keep the queue non-empty for minutes: stop at once.
      const { rows } = await admin.query(
        `SELECT count(*) FILTER (WHERE status IN ('queued', 'running')) AS n, max("lastError") AS error FROM ${table}`,
      );
      if (rows[0].error) throw new Error(`an Avisa bench job failed: ${rows[0].error}`);
      return Number(rows[0].n);
    }, `Avisa with ${processes} process(es)`);
    const done = await admin.query(`SELECT count(*) AS n FROM ${table} WHERE status = 'completed' AND attempts = 1`);
    if (Number(done.rows[0].n) !== settings.jobs) throw new Error(`expected ${settings.jobs} jobs completed on their first attempt, found ${done.rows[0].n}`);
    return seconds;
  } finally {
    await stopAll(workers);
  }
}

// ---------------------------------------------------------------- graphile-worker

const GRAPHILE_TASK = "bench_noop";

async function graphileChild(): Promise<void> {
  const { run, Logger: GraphileLogger } = await import("graphile-worker");
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
  const runner = await run({
    connectionString: process.env.BENCH_GRAPHILE_URL,
    schema: process.env.BENCH_GRAPHILE_SCHEMA,
    concurrency,
    maxPoolSize: concurrency + 2, // graphile-worker's own advice
    pollInterval: POLL_MS,
    noHandleSignals: true,
    logger: new GraphileLogger(() => (level, message) => {
      if (level === "error") console.error(message);
    }),
    taskList: { [GRAPHILE_TASK]: async () => {} },
    // "Batched": graphile-worker's own throughput settings (off by default): fetch jobs in
    // batches into a local queue, and complete the jobs of one tick with one statement.
    preset: process.env.BENCH_GRAPHILE_BATCHED === "1" ? { worker: { localQueue: { size: concurrency }, completeJobBatchDelay: 0 } } : undefined,
  });
  console.log("graphile ready");
  const stop = () => {
    runner.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

async function benchGraphile(settings: Settings, admin: pg.Pool, schema: string, processes: number, batched: boolean): Promise<number> {
  const jobs = `"${schema}"._private_jobs`;
  await admin.query(`DELETE FROM ${jobs}`);
  await admin.query(
    `SELECT count(*) FROM "${schema}".add_jobs(ARRAY(
       SELECT ROW($1, json_build_object('n', n), NULL, $2::timestamptz, NULL, NULL, NULL, NULL)::"${schema}".job_spec
       FROM generate_series(1, $3) n))`,
    [GRAPHILE_TASK, `${FAR_FUTURE}Z`, settings.jobs],
  );
  await admin.query(`ANALYZE ${jobs}`);

  const env = {
    BENCH_GRAPHILE_URL: postgresConnection(settings.postgresUrl).connectionString,
    BENCH_GRAPHILE_SCHEMA: schema,
    BENCH_CONCURRENCY: `${settings.concurrency}`,
    BENCH_GRAPHILE_BATCHED: batched ? "1" : "0",
  };
  const workers = await Promise.all(Array.from({ length: processes }, () => spawnReady(["bench/dispatch.ts", "--graphile-child"], env, "graphile ready")));
  try {
    await admin.query(`UPDATE ${jobs} SET run_at = now()`);
    return await secondsUntilEmpty(
      async () => Number((await admin.query(`SELECT count(*) AS n FROM ${jobs}`)).rows[0].n),
      `graphile-worker with ${processes} process(es)`,
    );
  } finally {
    await stopAll(workers);
  }
}

// ---------------------------------------------------------------- claim cost by backlog

type ClaimCost = { backlog: number; insertSeconds: number; medianMs: number; p95Ms: number; planCost: string; usesIndex: boolean };

async function claimCost(settings: Settings, admin: pg.Pool, schema: string, backlog: number): Promise<ClaimCost> {
  const table = `"${schema}"."Job"`;
  await admin.query(`TRUNCATE ${table}`);
  const insertStarted = performance.now();
  // Due jobs, one millisecond apart, the oldest first in line; no idempotency keys (NULLs).
  await admin.query(
    `INSERT INTO ${table} (id, kind, payload, "runAt", "createdAt", "updatedAt")
     SELECT 'backlog-' || n, $1, '{}', (now() AT TIME ZONE 'UTC') - n * interval '1 millisecond', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
     FROM generate_series(1, $2) n`,
    [BENCH_JOB_KIND, backlog],
  );
  await admin.query(`ANALYZE ${table}`);
  const insertSeconds = (performance.now() - insertStarted) / 1000;

  const database = createDatabase(withSchema(settings.postgresUrl, schema));
  try {
    const queue = new DatabaseJobQueue(database, "postgresql");
    const timings: number[] = [];
    for (let round = 0; round < 220; round++) {
      const started = performance.now();
      const claimed = await queue.claimDue(new Date(), settings.batchSize);
      const elapsed = performance.now() - started;
      if (claimed.length !== settings.batchSize) throw new Error(`a claim on a backlog of ${backlog} returned ${claimed.length} jobs`);
      if (round >= 20) timings.push(elapsed); // the first claims warm the connection pool and caches
      // As the worker would: only jobs in flight stay running (the lease settling scans those).
      await Promise.all(claimed.map((job) => queue.complete(job.id)));
    }
    timings.sort((a, b) => a - b);
    const plan = await queue.explainClaim(new Date(), settings.batchSize);
    return {
      backlog,
      insertSeconds,
      medianMs: percentile(timings, 50),
      p95Ms: percentile(timings, 95),
      planCost: /cost=([\d.]+\.\.[\d.]+)/.exec(plan)?.[1] ?? "?",
      usesIndex: plan.includes('Index Scan using "Job_status_runAt_idx"') && !/Seq Scan on "Job"|Sort/.test(plan),
    };
  } finally {
    await database.$disconnect();
  }
}

/** The claim with expired leases folded in by OR, as first sketched: what the design avoids. */
async function naiveClaimMs(admin: pg.Pool, schema: string, limit: number): Promise<string> {
  const { rows } = await admin.query(
    `EXPLAIN (ANALYZE, FORMAT JSON)
     SELECT id FROM "${schema}"."Job"
     WHERE (status = 'queued' AND "runAt" <= now() AT TIME ZONE 'UTC') OR (status = 'running' AND "lockedUntil" < now() AT TIME ZONE 'UTC')
     ORDER BY "runAt" LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  const [result] = rows[0]["QUERY PLAN"] as Array<{ "Execution Time": number; Plan: { "Total Cost": number } }>;
  return `${result["Execution Time"].toFixed(1)} ms (plan cost ${result.Plan["Total Cost"].toFixed(0)})`;
}

// ---------------------------------------------------------------- the run

type Row = { system: string; processes: number; seconds: number; failed?: string; note?: string };
const GRAPHILE_DEFAULTS = "graphile-worker no-op";
const GRAPHILE_BATCHED = "graphile-worker no-op, batched";

async function main(settings: Settings): Promise<void> {
  const watchdogMinutes = WATCHDOG_MINUTES[settings.handler] ?? 15;
  const watchdog = setTimeout(() => {
    console.error(`bench:dispatch watchdog: still running after ${watchdogMinutes} minutes, stopping`);
    for (const child of children) child.kill("SIGKILL");
    process.exit(1);
  }, watchdogMinutes * 60_000);
  watchdog.unref();
  process.on("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });

  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const avisaSchema = `avisa_bench_dispatch_${suffix}`;
  const graphileSchema = `graphile_bench_dispatch_${suffix}`;
  const base = postgresConnection(settings.postgresUrl).connectionString;
  const admin = new pg.Pool({ connectionString: base, max: 2 });
  const rows: Row[] = [];
  const costs: ClaimCost[] = [];
  let naive = "";

  const dispatching = settings.handler === "dispatch";
  const avisa = dispatching ? "Avisa dispatch" : "Avisa no-op";
  const unit = dispatching ? "messages/s" : "jobs/s";
  const version = (await admin.query("SHOW server_version")).rows[0].server_version as string;
  console.log(
    `bench:dispatch — ${settings.jobs} ${dispatching ? "messages (Avisa) and no-op jobs (graphile-worker)" : "no-op jobs"}, handler "${settings.handler}": ` +
      `${BENCH_HANDLERS[settings.handler].label}; concurrency ${settings.concurrency} per process, ` +
      `Avisa batch ${settings.batchSize}; ${os.cpus().length} CPU cores, Node ${process.version}, PostgreSQL ${version}`,
  );
  try {
    if (!settings.skipSqlite) {
      for (const wal of [false, true]) {
        const system = wal ? `${avisa}, SQLite (WAL, as the app)` : `${avisa}, SQLite (rollback journal)`;
        try {
          const result = await benchSqliteInChild(settings, wal);
          const grew = result.openFilesBefore !== undefined && result.openFilesAfter !== undefined ? result.openFilesAfter - result.openFilesBefore : undefined;
          const note = grew === undefined ? undefined : `open files ${grew >= 0 ? "+" : ""}${grew} during the run (${(grew / settings.jobs).toFixed(2)} per job)`;
          rows.push({ system, processes: 1, seconds: result.seconds, note });
          console.log(`  ${system}: ${(settings.jobs / result.seconds).toFixed(0)} ${unit}${note ? `; ${note}` : ""}`);
        } catch (error) {
          rows.push({ system, processes: 1, seconds: Number.NaN, failed: (error as Error).message });
          console.log(`  ${system}: FAILED: ${(error as Error).message}`);
        }
      }
    }

    await migratePostgres(withSchema(settings.postgresUrl, avisaSchema), () => {});
    if (!settings.skipGraphile) {
      const { runMigrations } = await import("graphile-worker");
      await runMigrations({ connectionString: base, schema: graphileSchema });
    }
    for (const processes of settings.processes) {
      const seconds = await benchAvisaPostgres(settings, admin, avisaSchema, processes);
      rows.push({ system: `${avisa}, PostgreSQL`, processes, seconds });
      console.log(`  ${avisa}, PostgreSQL, ${processes} process(es): ${(settings.jobs / seconds).toFixed(0)} ${unit}`);
      if (!settings.skipGraphile) {
        for (const batched of [false, true]) {
          const system = batched ? GRAPHILE_BATCHED : GRAPHILE_DEFAULTS;
          const seconds = await benchGraphile(settings, admin, graphileSchema, processes, batched);
          rows.push({ system, processes, seconds });
          console.log(`  ${system}, ${processes} process(es): ${(settings.jobs / seconds).toFixed(0)} jobs/s`);
        }
      }
    }

    for (const backlog of settings.skip1m ? [10_000] : [10_000, 1_000_000]) {
      costs.push(await claimCost(settings, admin, avisaSchema, backlog));
      console.log(`  claim cost measured on a backlog of ${backlog.toLocaleString("en")}`);
    }
    naive = await naiveClaimMs(admin, avisaSchema, settings.batchSize);
  } finally {
    await stopAll([...children]);
    await admin.query(`DROP SCHEMA IF EXISTS "${avisaSchema}" CASCADE`).catch(() => undefined);
    await admin.query(`DROP SCHEMA IF EXISTS "${graphileSchema}" CASCADE`).catch(() => undefined);
    await admin.end();
  }

  // ---- report
  const rate = (system: string, processes: number) => {
    const row = rows.find((r) => r.system === system && r.processes === processes);
    return row ? settings.jobs / row.seconds : undefined;
  };
  const ratio = (value: number, baseline: number | undefined) => (baseline ? (value / baseline).toFixed(2) : "–");
  console.log(
    `\nThroughput, ${settings.jobs} jobs per run. ` +
      (dispatching
        ? `Avisa rows: real message dispatch, one due email per job (dispatchMessage, captured-content composer, shop-installed and ` +
          `already-bought checks, OutboxProvider), database writes included; jobs/s = messages/s, all ${settings.jobs} checked "sent" ` +
          `with ${settings.jobs} outbox rows. graphile-worker rows: no-op jobs. `
        : "Every row runs no-op jobs. ") +
      `"vs graphile": Avisa's jobs/s ÷ graphile-worker's with the same number of processes, with its default settings, and ` +
      `"vs batched" with its batching on (localQueue size ${settings.concurrency}, completeJobBatchDelay 0).`,
  );
  console.log(`${"system".padEnd(44)}${"processes".padStart(10)}${"seconds".padStart(9)}${"jobs/s".padStart(8)}${"vs graphile".padStart(13)}${"vs batched".padStart(12)}`);
  for (const row of rows) {
    if (row.failed) {
      console.log(`${row.system.padEnd(44)}${String(row.processes).padStart(10)}  FAILED (see above)`);
      continue;
    }
    const jobsPerSecond = settings.jobs / row.seconds;
    const isGraphile = row.system.startsWith("graphile");
    console.log(
      row.system.padEnd(44) +
        String(row.processes).padStart(10) +
        row.seconds.toFixed(2).padStart(9) +
        jobsPerSecond.toFixed(0).padStart(8) +
        (isGraphile ? "" : ratio(jobsPerSecond, rate(GRAPHILE_DEFAULTS, row.processes)).padStart(13)) +
        (isGraphile ? "" : ratio(jobsPerSecond, rate(GRAPHILE_BATCHED, row.processes)).padStart(12)) +
        (row.note ? `  ${row.note}` : ""),
    );
  }
  console.log(`\nClaim cost on PostgreSQL (claimDue of ${settings.batchSize} jobs, 200 claims; it settles expired leases at most once a second, so most claims are the claim statement alone)`);
  console.log(`${"due backlog".padEnd(14)}${"median ms".padStart(11)}${"p95 ms".padStart(9)}${"EXPLAIN cost".padStart(16)}  plan`);
  for (const cost of costs) {
    console.log(
      `${cost.backlog.toLocaleString("en").padEnd(14)}${cost.medianMs.toFixed(2).padStart(11)}${cost.p95Ms.toFixed(2).padStart(9)}${cost.planCost.padStart(16)}  ${cost.usesIndex ? "index range on (status, runAt), no sort" : "NOT the index range: check the plan"}` +
        `  (backlog inserted in ${cost.insertSeconds.toFixed(1)} s)`,
    );
  }
  console.log(`Naive claim (expired leases folded in with OR) on the last backlog: ${naive}`);

  const failed = rows.filter((row) => row.failed);
  if (failed.length > 0) {
    console.log(`\nFAILED runs:`);
    for (const row of failed) console.log(`  ${row.system}: ${row.failed}`);
    throw new Error(`${failed.length} benchmark run(s) failed (listed above)`);
  }
}

const entry = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (entry) {
  const args = process.argv.slice(2);
  const running = args.includes("--graphile-child")
    ? graphileChild()
    : args.includes("--sqlite-child")
      ? sqliteChild()
      : main(settingsFrom(args, process.env));
  running.then(
    () => {
      if (!args.includes("--graphile-child")) process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
