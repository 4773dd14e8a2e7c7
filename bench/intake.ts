// `npm run bench:intake`: signed Shopify orders/create webhooks against the built app
// (server.mjs + ./build, production mode, real-store configuration) and, in the same run,
// against a bare node:http server that only checks the HMAC and answers 200
// (bench/bare-server.mjs). Once on SQLite and once on PostgreSQL.
//
// Per target and database: a short warm-up, then
//   1. max throughput: autocannon, BENCH_CONNECTIONS connections, BENCH_DURATION_S seconds;
//   2. fixed rate: open loop at BENCH_RATE req/s for BENCH_DURATION_S seconds (bench/paced-load.ts),
//      latency measured from when each request was due;
//   3. the same rate with autocannon's overallRate (its bursty per-second quotas), for comparison.
// Targets reported: app ≥ 50 % of the bare server's req/s; app p99 ≤ 25 ms at the fixed rate.
// Then, with both servers stopped, the app's durable write alone (its LedgerWriter, in this
// process, no HTTP): the rate the app could reach if HTTP cost nothing, to read the ratio against.
//
// Correctness is checked, not assumed: any non-2xx or socket error fails the run (exit 1), and
// afterwards the app's EventLedger rows for the shop must be exactly the deliveries it answered
// 200 to (plus any the load generator abandoned: in flight when a phase stopped, or timed out).
// Timeouts (no answer within 5 s open loop — Shopify's limit — or 10 s autocannon) are a
// performance result: printed loudly, counted as "timeout" in the percentiles, not a failure.
// Missed targets are reported, not failures. Everything stops by itself (20 min watchdog).
//
// Env: BENCH_DATABASES (default "sqlite,postgresql"), BENCH_POSTGRES_URL ?? TEST_POSTGRES_URL
// ?? postgresql://postgres@127.0.0.1:5432/test, BENCH_DURATION_S (10), BENCH_WARMUP_S (2),
// BENCH_CONNECTIONS (20), BENCH_RATE (500), BENCH_AUTOCANNON_RATE=0 skips phase 3,
// BENCH_CPU_PROFILE=<dir> runs the app with --cpu-prof (open the files in Chrome DevTools),
// BENCH_QUIET_WAIT_S (10): before each phase, wait up to this long for the rest of the machine to be quiet;
// BENCH_APP_ENV="KEY=value ..." adds to the app's environment (e.g. AVISA_WORKER=off).
// BENCH_LATENCY_TRACE=<file> appends each fixed-rate request's due time (ms into the phase) and latency, to see when slow answers happen.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon, { type AutocannonRequest } from "autocannon";
import pg from "pg";
import { createDatabase, type Database } from "../app/server/db.server";
import { createLogger } from "../app/server/logger.server";
import { LedgerWriter } from "../app/server/services/ledger-writer.server";
import { startSqliteCheckpoints } from "../app/server/sqlite-checkpointer.server";
import { migratePostgres, migrateSqlite } from "../scripts/migrate";
import { freePort } from "../tests/helpers/app-server";
import { pacedLoad, percentile, type LoadOutcome } from "./paced-load";
import { SignedWebhookPool, type SignedDelivery } from "./webhook-pool";

// ---------------------------------------------------------------- settings

const env = process.env;
const number = (value: string | undefined, fallback: number) => (value && Number.isFinite(Number(value)) ? Number(value) : fallback);
const DURATION_S = number(env.BENCH_DURATION_S, 10);
const WARMUP_S = number(env.BENCH_WARMUP_S, 2);
const CONNECTIONS = number(env.BENCH_CONNECTIONS, 20);
const RATE = number(env.BENCH_RATE, 500);
const AUTOCANNON_RATE_PHASE = env.BENCH_AUTOCANNON_RATE !== "0";
/** When set, the app runs with --cpu-prof and writes a .cpuprofile per database into this directory. */
const CPU_PROFILE_DIR = env.BENCH_CPU_PROFILE ? path.resolve(env.BENCH_CPU_PROFILE) : undefined;
/** Extra environment for the app, "KEY=value KEY2=value" (e.g. AVISA_WORKER=off). */
const APP_ENV: Record<string, string> = Object.fromEntries(
  (env.BENCH_APP_ENV ?? "").split(/\s+/).filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
);
const DATABASES = (env.BENCH_DATABASES ?? "sqlite,postgresql").split(",").map((s) => s.trim()).filter(Boolean);
const POSTGRES_BASE = env.BENCH_POSTGRES_URL ?? env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;
/** Before each phase, wait up to this long for other processes to quieten down. */
const QUIET_WAIT_S = number(env.BENCH_QUIET_WAIT_S, 10);
/** Other processes using more than this (% of one core) during a phase make its figures suspect. */
const NOISY_PCT = 25;
/** Hard ceiling for the whole run: whatever happens, children are stopped and the process exits. */
const WATCHDOG_MS = 20 * 60_000;

const SECRET = `bench-intake-${randomBytes(8).toString("hex")}`;
const SHOP = "bench-intake.myshopify.com";
const TOPIC = "orders/create";
const PATH = "/webhooks/orders/create";
const API_VERSION = "2026-04";

// ---------------------------------------------------------------- cleanup

const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];
function onCleanup(name: string, run: () => Promise<void> | void): () => Promise<void> {
  const entry = { name, run };
  cleanups.push(entry);
  return async () => {
    const index = cleanups.indexOf(entry);
    if (index >= 0) cleanups.splice(index, 1);
    await run();
  };
}
async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const entry = cleanups.pop()!;
    try {
      await entry.run();
    } catch (error) {
      console.error(`cleanup "${entry.name}" failed: ${(error as Error).message}`);
    }
  }
}
let exiting = false;
async function exitWith(code: number, reason?: string): Promise<never> {
  if (!exiting) {
    exiting = true;
    if (reason) console.error(`\n${reason}`);
    await Promise.race([cleanupAll(), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  process.exit(code);
}
process.on("SIGINT", () => void exitWith(130, "interrupted: stopping servers and dropping bench databases"));
process.on("SIGTERM", () => void exitWith(143, "terminated: stopping servers and dropping bench databases"));
process.on("uncaughtException", (error) => void exitWith(1, `bench:intake crashed: ${error.stack ?? error}`));
process.on("unhandledRejection", (error) => void exitWith(1, `bench:intake crashed: ${(error as Error)?.stack ?? error}`));
setTimeout(() => void exitWith(1, `bench:intake exceeded its ${WATCHDOG_MS / 60_000} min limit`), WATCHDOG_MS).unref();

// ---------------------------------------------------------------- databases

type BenchDatabase = { kind: "sqlite" | "postgresql"; label: string; url: string; db: Database; drop(): Promise<void> };

async function createBenchDatabase(kind: string): Promise<BenchDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "avisa-bench-intake-"));
    const removeDir = onCleanup("remove SQLite dir", () => rmSync(dir, { recursive: true, force: true }));
    const url = `file:${path.join(dir, "bench.sqlite")}`;
    migrateSqlite(url, { quiet: true });
    const db = createDatabase(url);
    const drop = onCleanup("close SQLite", async () => {
      await db.$disconnect();
      await removeDir();
    });
    return { kind, label: "SQLite", url, db, drop };
  }
  if (kind === "postgresql") {
    const schema = `bench_intake_${randomBytes(4).toString("hex")}`;
    const url = `${POSTGRES_BASE}${POSTGRES_BASE.includes("?") ? "&" : "?"}schema=${schema}`;
    const dropSchema = async () => {
      const client = new pg.Client({ connectionString: POSTGRES_BASE });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    };
    const removeSchema = onCleanup(`drop schema ${schema}`, dropSchema);
    try {
      await migratePostgres(url, () => {});
    } catch (error) {
      throw new Error(`PostgreSQL at ${redact(POSTGRES_BASE)} is not usable (${(error as Error).message}). Start it, set BENCH_POSTGRES_URL, or run with BENCH_DATABASES=sqlite.`);
    }
    const db = createDatabase(url);
    const drop = onCleanup("close PostgreSQL", async () => {
      await db.$disconnect();
      await removeSchema();
    });
    return { kind, label: `PostgreSQL (schema ${schema})`, url, db, drop };
  }
  throw new Error(`unknown database kind "${kind}" in BENCH_DATABASES (use sqlite and/or postgresql)`);
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

// ---------------------------------------------------------------- servers

type Target = { name: "bare" | "app"; url: string; pid: number; output: () => string; stop(): Promise<void> };

async function startBare(): Promise<Target> {
  const child: ChildProcess = spawn(process.execPath, ["bench/bare-server.mjs"], {
    env: { NODE_ENV: "production", PATH: env.PATH ?? "", BARE_SECRET: SECRET, BARE_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = onCleanup("stop bare server", async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = /bare listening on (\d+)/.exec(output);
    if (match) return { name: "bare", url: `http://127.0.0.1:${match[1]}`, pid: child.pid!, output: () => output, stop };
    if (child.exitCode !== null) throw new Error(`bare server exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`bare server did not start within 10 s:\n${output}`);
    await sleep(50);
  }
}

/**
 * A private copy of ./build for the whole run, so both databases measure the same build even
 * if someone rebuilds meanwhile. server.mjs runs with the copy's directory as cwd (it loads
 * build/index.js from there); a node_modules symlink lets the copy resolve its packages.
 */
function snapshotBuild(): { dir: string; builtAt: Date } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "avisa-bench-intake-build-"));
  onCleanup("remove build snapshot", () => rmSync(dir, { recursive: true, force: true }));
  cpSync("build", path.join(dir, "build"), { recursive: true });
  symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, builtAt: statSync("build/index.js").mtime };
}

async function startRealApp(database: BenchDatabase, buildDir: string): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.resolve("server.mjs")], {
    cwd: buildDir,
    env: {
      NODE_ENV: "production",
      PATH: env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: String(port),
      SHOPIFY_APP_URL: url,
      DATABASE_URL: database.url,
      SHOPIFY_API_KEY: "bench-intake-key",
      SHOPIFY_API_SECRET: SECRET,
      SCOPES: "read_orders,read_customers,read_products",
      AVISA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
      ...(CPU_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${CPU_PROFILE_DIR}` } : {}),
      ...APP_ENV,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = onCleanup("stop app", async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000).then(() => child.kill("SIGKILL"))]);
    await exited;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (/listening on/i.test(output)) return { name: "app", url, pid: child.pid!, output: () => output, stop };
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`app did not start within 30 s:\n${output}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

/**
 * The PostgreSQL backends serving one process: the server shares PostgreSQL with other
 * people's tests, so only backends whose client port is one of `pid`'s sockets count.
 * (A backend's process title ends in "host(port) state".)
 */
function postgresBackendsOf(pid: number): number[] {
  const pgPort = Number(new URL(POSTGRES_BASE).port || 5432);
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSafe(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    }
  } catch {
    return [];
  }
  const clientPorts = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9])) continue;
      if (parseInt(fields[2].split(":")[1], 16) === pgPort) clientPorts.add(parseInt(fields[1].split(":")[1], 16));
    }
  }
  const backends: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      const port = /\((\d+)\)/.exec(readFileSync(`/proc/${entry}/cmdline`, "utf8"));
      if (port && clientPorts.has(Number(port[1]))) backends.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return backends;
}

function readlinkSafe(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return "";
  }
}

function machineTicks(): { busy: number; total: number } {
  const values = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = values[3] + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** % of one core each; `other` is everything else on the machine (other people's work!). */
type CpuUse = { serverPct: number; generatorPct: number; postgresPct: number | null; machinePct: number; otherPct: number };

function cpuMeter(serverPid: number, withPostgres: boolean): () => CpuUse {
  const t0 = performance.now();
  const server0 = processTicks(serverPid);
  const generator0 = process.cpuUsage();
  // Backends serving the server at the start (their CPU counts from here on) and at the end
  // (pool connections opened during the phase count whole; ones closed meanwhile are missed).
  const backends0 = new Map((withPostgres ? postgresBackendsOf(serverPid) : []).map((pid) => [pid, processTicks(pid)]));
  const postgresTicks = () => {
    let ticks = 0;
    for (const pid of new Set([...backends0.keys(), ...postgresBackendsOf(serverPid)])) {
      const now = processTicks(pid);
      if (now > 0) ticks += now - (backends0.get(pid) ?? 0);
    }
    return ticks;
  };
  const machine0 = machineTicks();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const generator = process.cpuUsage(generator0);
    const machine = machineTicks();
    const pct = (ticks: number) => (100 * ticks) / CLOCK_TICKS / seconds;
    const serverPct = pct(processTicks(serverPid) - server0);
    const generatorPct = (100 * (generator.user + generator.system)) / 1e6 / seconds;
    const postgresPct = withPostgres ? pct(postgresTicks()) : null;
    // Busy share of all cores, scaled to "% of one core" like the others.
    const machinePct = (100 * os.availableParallelism() * (machine.busy - machine0.busy)) / Math.max(1, machine.total - machine0.total);
    return { serverPct, generatorPct, postgresPct, machinePct, otherPct: Math.max(0, machinePct - serverPct - generatorPct - (postgresPct ?? 0)) };
  };
}

/**
 * Waits until the server process is idle (< 5 % of a core over 250 ms), so work left over
 * from one phase (requests the load generator abandoned) does not leak into the next.
 * Returns the seconds waited; gives up after 60 s.
 */
async function waitForIdle(pid: number): Promise<number> {
  const started = performance.now();
  await sleep(500);
  while (performance.now() - started < 60_000) {
    const before = processTicks(pid);
    await sleep(250);
    if ((processTicks(pid) - before) / CLOCK_TICKS / 0.25 < 0.05) break;
  }
  return (performance.now() - started) / 1000;
}

/**
 * Waits (up to QUIET_WAIT_S) until everything but our own processes uses less than NOISY_PCT
 * of a core over one second. Other people's compilers and test runs share these 2 cores.
 */
async function waitForQuiet(ownPids: number[]): Promise<{ waitedS: number; otherPct: number }> {
  const started = performance.now();
  let otherPct = Infinity;
  while (performance.now() - started < QUIET_WAIT_S * 1000 || otherPct === Infinity) {
    const machine0 = machineTicks();
    const own0 = ownPids.reduce((total, pid) => total + processTicks(pid), 0);
    const generator0 = process.cpuUsage();
    await sleep(1000);
    const machine = machineTicks();
    const own = ownPids.reduce((total, pid) => total + processTicks(pid), 0) - own0;
    const generator = process.cpuUsage(generator0);
    const machinePct = (100 * os.availableParallelism() * (machine.busy - machine0.busy)) / Math.max(1, machine.total - machine0.total);
    otherPct = Math.max(0, machinePct - (100 * own) / CLOCK_TICKS - (100 * (generator.user + generator.system)) / 1e6);
    if (otherPct < NOISY_PCT) break;
  }
  return { waitedS: (performance.now() - started) / 1000, otherPct };
}

// ---------------------------------------------------------------- load phases

type PhaseResult = LoadOutcome & { phase: string; cpu: CpuUse; firstBadBody?: string };

/** Closed-loop load with autocannon: max throughput, or autocannon's overallRate when given. */
function autocannonLoad(url: string, seconds: number, next: () => SignedDelivery, overallRate?: number): Promise<LoadOutcome & { firstBadBody?: string }> {
  const outcome: LoadOutcome & { firstBadBody?: string } = {
    statuses: new Map(), errors: 0, timeouts: 0, latenciesMs: [], elapsedS: 0, sent: 0, okIds: [], unansweredIds: [],
  };
  const sentIds = new Set<string>();
  const request: AutocannonRequest = {
    method: "POST",
    path: PATH,
    // Called once per request, on the connection that will send it; the context is that
    // connection's, so onResponse knows which delivery was answered (pipelining is 1).
    setupRequest: (data, context) => {
      const delivery = next();
      context.webhookId = delivery.webhookId;
      sentIds.add(delivery.webhookId);
      return { ...data, headers: { ...delivery.headers }, body: delivery.body };
    },
    onResponse: (status, body, context) => {
      const id = context.webhookId as string;
      sentIds.delete(id);
      outcome.statuses.set(status, (outcome.statuses.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) outcome.okIds.push(id);
      else outcome.firstBadBody ??= `${status} ${body.slice(0, 300)}`;
    },
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      { url, connections: overallRate ? Math.min(CONNECTIONS, overallRate) : CONNECTIONS, duration: seconds, timeout: 10, requests: [request], ...(overallRate ? { overallRate } : {}) },
      (error, result) => {
        if (error) return reject(error);
        outcome.elapsedS = (performance.now() - started) / 1000;
        outcome.errors = result.errors - result.timeouts;
        outcome.timeouts = result.timeouts;
        outcome.unansweredIds = [...sentIds];
        for (let i = 0; i < result.timeouts; i++) outcome.latenciesMs.push(Infinity);
        outcome.sent = sum(outcome.statuses) + sentIds.size;
        resolve(outcome);
      },
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => outcome.latenciesMs.push(responseTime));
  });
}

const rps = (phase: LoadOutcome) => sum(phase.statuses) / phase.elapsedS;
const sum = (statuses: Map<number, number>) => [...statuses.values()].reduce((a, b) => a + b, 0);
const ok = (phase: LoadOutcome) => phase.okIds.length;
const non2xx = (phase: LoadOutcome) => sum(phase.statuses) - ok(phase);

async function runTarget(target: Target, next: () => SignedDelivery, prepare: (count: number) => void, withPostgres: boolean): Promise<PhaseResult[]> {
  const phases: PhaseResult[] = [];
  const measure = async (phase: string, run: () => Promise<LoadOutcome & { firstBadBody?: string }>) => {
    const quiet = await waitForQuiet([target.pid]);
    if (quiet.waitedS > 1.5) {
      process.stdout.write(`  (waited ${fmt(quiet.waitedS, 0)} s for a quiet machine${quiet.otherPct >= NOISY_PCT ? `; still busy: others use ${fmt(quiet.otherPct, 0)} % of a core` : ""})\n`);
    }
    const meter = cpuMeter(target.pid, withPostgres);
    const outcome = await run();
    outcome.latenciesMs.sort((a, b) => a - b);
    const result: PhaseResult = { ...outcome, phase, cpu: meter() };
    phases.push(result);
    const bad = non2xx(result) + result.errors + result.timeouts;
    const drainS = await waitForIdle(target.pid);
    process.stdout.write(
      `  ${target.name.padEnd(4)} ${phase.padEnd(44)} ${fmt(rps(result), 0).padStart(6)} req/s  p50 ${ms(p(result, 50))}  p99 ${ms(p(result, 99))}` +
        (bad ? `  !! ${non2xx(result)} non-2xx, ${result.errors} socket errors, ${result.timeouts} timeouts` : "") +
        (drainS > 2 ? `  (server stayed busy ${fmt(drainS, 0)} s after the phase: abandoned requests, background jobs)` : "") +
        (result.cpu.otherPct > NOISY_PCT ? `  !! other processes used ${fmt(result.cpu.otherPct, 0)} % of a core meanwhile: disturbed` : "") +
        "\n",
    );
    return result;
  };

  prepare(CONNECTIONS * 400 * Math.max(1, WARMUP_S));
  const warm = await measure(`warm-up (${CONNECTIONS} conn, ${WARMUP_S} s, not scored)`, () => autocannonLoad(target.url, WARMUP_S, next));
  // The warm-up runs cold (JIT, connections): the measured phase can go faster, so sign generously.
  prepare(Math.ceil(rps(warm) * DURATION_S * 3) + 2000);
  await measure(`max throughput (autocannon, ${CONNECTIONS} conn, ${DURATION_S} s)`, () => autocannonLoad(target.url, DURATION_S, next));
  prepare(RATE * DURATION_S + 1000);
  await measure(`fixed ${RATE} req/s (open loop, ${DURATION_S} s)`, () => pacedLoad({ url: target.url, path: PATH, rate: RATE, durationMs: DURATION_S * 1000, next }));
  if (AUTOCANNON_RATE_PHASE) {
    prepare(RATE * DURATION_S + 1000);
    await measure(`fixed ${RATE} req/s (autocannon overallRate)`, () => autocannonLoad(target.url, DURATION_S, next, RATE));
  }
  return phases;
}

/** Percentile of a phase's latencies (sorted once, when the phase ends). */
const p = (phase: LoadOutcome, q: number) => percentile(phase.latenciesMs, q);

// ---------------------------------------------------------------- one database

type LedgerAlone = { rate: number; cpuUs: number; postgresUs: number | null };
type DatabaseReport = { label: string; bare: PhaseResult[]; app: PhaseResult[]; ledger: string; ledgerAlone: LedgerAlone; problems: string[]; appLog: string };

/**
 * The app's durable write by itself: the same LedgerWriter the app uses, run in this process
 * with no HTTP, no HMAC and no load generator, by BENCH_CONNECTIONS writers that each write
 * one delivery after another (as keep-alive connections send them). The app does this and
 * its HTTP work on one thread, so this rate bounds the app's max throughput on this machine.
 */
async function measureLedgerAlone(database: BenchDatabase, pool: SignedWebhookPool): Promise<LedgerAlone> {
  const shop = await database.db.shop.create({ data: { domain: "bench-ledger-alone.myshopify.com", name: "Bench ledger alone" } });
  const writer = new LedgerWriter(database.db);
  // As in the app: SQLite checkpoints on a thread of their own (a failing one is reported).
  const logger = createLogger("warn", (line) => console.error(`  ${line}`));
  const checkpoints = database.kind === "sqlite" ? await startSqliteCheckpoints(database.db, database.url, logger) : null;
  const bodies = Array.from({ length: 500 }, () => pool.cycle().body.toString("utf8"));
  let written = 0;
  const writeFor = async (seconds: number) => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < until) {
          const n = written++;
          const outcome = await writer.write({
            shopId: shop.id, topic: TOPIC, webhookId: `ledger-alone-${n}`, eventId: null, apiVersion: API_VERSION,
            triggeredAt: new Date(), payload: bodies[n % bodies.length], source: "webhook", receivedAt: new Date(),
          });
          if (outcome !== "recorded") throw new Error(`ledger-alone write ${n} was ${outcome}`);
        }
      }),
    );
  };
  await writeFor(WARMUP_S);
  await waitForQuiet([process.pid]);
  const before = written;
  const meter = cpuMeter(process.pid, database.kind === "postgresql");
  const t0 = performance.now();
  await writeFor(DURATION_S);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter();
  await checkpoints?.stop();
  const rate = (written - before) / seconds;
  const perWrite = (pct: number) => ((pct / 100) * 1e6) / rate;
  return { rate, cpuUs: perWrite(cpu.generatorPct), postgresUs: cpu.postgresPct === null ? null : perWrite(cpu.postgresPct) };
}

async function benchDatabase(kind: string, pool: SignedWebhookPool, buildDir: string): Promise<DatabaseReport> {
  const database = await createBenchDatabase(kind);
  console.log(`\n== ${database.label}`);
  const shop = await database.db.shop.create({ data: { domain: SHOP, name: "Bench Intake" } });
  const problems: string[] = [];
  const withPostgres = kind === "postgresql";

  // The bare server first: it does not care about repeats, so it cycles through the pool.
  const bare = await startBare();
  const bareResults = await runTarget(bare, () => pool.cycle(), (count) => pool.fill(Math.min(count, 5000)), false);
  await bare.stop();

  // The app: every delivery unique, signed before the phase that sends it.
  const app = await startRealApp(database, buildDir);
  const appResults = await runTarget(app, () => pool.take(), (count) => pool.fill(count), withPostgres);
  const appLog = app.output();
  await app.stop();

  for (const [name, results] of [["bare", bareResults], ["app", appResults]] as const) {
    for (const phase of results) {
      const bad = non2xx(phase);
      if (bad) problems.push(`${name} ${phase.phase}: ${bad} non-2xx responses (${[...phase.statuses].map(([s, n]) => `${s}×${n}`).join(", ")})${phase.firstBadBody ? ` — first: ${phase.firstBadBody}` : ""}`);
      if (phase.errors) problems.push(`${name} ${phase.phase}: ${phase.errors} socket errors`);
      if (phase.timeouts) problems.push(`note: ${name} ${phase.phase}: ${phase.timeouts} requests got no answer in time (5 s open loop — Shopify's limit — or 10 s autocannon): the server did not keep up; they count as "timeout" in the percentiles`);
    }
  }

  // Every 200 must be a ledger row, and every ledger row a delivery the bench sent.
  // (runTarget waited for the app to go idle; the count must also be stable.)
  let rows = await database.db.eventLedger.findMany({ where: { shopId: shop.id }, select: { webhookId: true } });
  for (let i = 0; i < 20; i++) {
    await sleep(250);
    const again = await database.db.eventLedger.count({ where: { shopId: shop.id } });
    if (again === rows.length) break;
    rows = await database.db.eventLedger.findMany({ where: { shopId: shop.id }, select: { webhookId: true } });
  }
  const ledgerIds = new Set(rows.map((row) => row.webhookId));
  const okIds = appResults.flatMap((phase) => phase.okIds);
  const unanswered = new Set(appResults.flatMap((phase) => phase.unansweredIds));
  const okSet = new Set(okIds);
  const missing = okIds.filter((id) => !ledgerIds.has(id));
  const extra = [...ledgerIds].filter((id) => !okSet.has(id));
  const extraUnanswered = extra.filter((id) => unanswered.has(id));
  const extraUnexplained = extra.length - extraUnanswered.length;
  const ledger =
    `ledger rows for ${SHOP}: ${rows.length}; 200 responses from the app: ${okIds.length}` +
    (unanswered.size ? `; sent but never answered (in flight when autocannon stopped, or timed out): ${unanswered.size}, of which the app recorded ${extraUnanswered.length}` : "") +
    ` → ${rows.length} = ${okIds.length}${extraUnanswered.length ? ` + ${extraUnanswered.length}` : ""}: ` +
    (missing.length === 0 && extraUnexplained === 0 && okSet.size === okIds.length ? "consistent" : "INCONSISTENT");
  if (okSet.size !== okIds.length) problems.push(`the bench sent a webhook id twice (${okIds.length - okSet.size} repeats): bench bug`);
  if (missing.length) problems.push(`${missing.length} deliveries answered 200 have no ledger row (e.g. ${missing[0]}): the app acknowledged without recording (shop ignored? duplicate?)`);
  if (extraUnexplained) problems.push(`${extraUnexplained} ledger rows were not answered 200 and were not in flight at a stop`);
  if (okIds.length === 0) problems.push("the app answered no request with 200");
  if (pool.signedLate) problems.push(`note: ${pool.signedLate} deliveries had to be signed during a measured phase (pool too small)`);

  const ledgerAlone = await measureLedgerAlone(database, pool);
  console.log(`  ledger write alone (in-process, ${CONNECTIONS} writers, ${DURATION_S} s)`.padEnd(54) + `${fmt(ledgerAlone.rate, 0).padStart(6)} writes/s`);
  await database.drop();
  return { label: database.label, bare: bareResults, app: appResults, ledger, ledgerAlone, problems, appLog };
}

// ---------------------------------------------------------------- main

function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : value === Infinity ? "timeout" : "n/a";
}
/** A latency for the log: "12.3 ms", or "timeout" when the percentile falls on timed-out requests. */
const ms = (value: number) => (value === Infinity ? "timeout" : `${fmt(value, 1)} ms`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The app's log lines grouped by level + message (+ job kind and error), with counts. */
function summariseLog(output: string): string[] {
  const groups = new Map<string, number>();
  for (const line of output.split("\n")) {
    if (!line.trim() || /listening on/i.test(line)) continue;
    let key = line.slice(0, 200);
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      key = [entry.level, entry.message, entry.kind, typeof entry.error === "string" ? entry.error.replace(/\s+/g, " ").slice(0, 200) : undefined].filter(Boolean).join(" · ");
    } catch {
      // not JSON: keep the raw line
    }
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([key, count]) => `${String(count).padStart(6)}× ${key}`);
}

function checkBuild(): void {
  if (!existsSync("build/index.js")) throw new Error("build/index.js is missing: run `npm run build` (or `npx remix build`) first");
  const built = statSync("build/index.js").mtimeMs;
  const newer: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (statSync(file).mtimeMs > built) newer.push(file);
    }
  };
  walk("app");
  if (newer.length) {
    console.log(`WARNING: ./build is older than ${newer.length} file(s) under app/ (${newer.slice(0, 3).join(", ")}${newer.length > 3 ? ", …" : ""}); run \`npx remix build\` to measure the current code.`);
  }
}

function printSummary(reports: DatabaseReport[]): void {
  const cores = os.availableParallelism();
  console.log("\n================ bench:intake summary ================");
  console.log(`POST ${PATH} (${TOPIC}), signed, unique X-Shopify-Webhook-Id per request; everything on 127.0.0.1.`);
  console.log(`Machine: ${cores} CPU core(s) (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}. The load generator (this process) runs on the same ${cores} cores` +
    " as the server (and PostgreSQL): max-throughput figures are for server + generator sharing the machine, and the bare server is mostly generator-bound." +
    " CPU columns: % of one core used during the phase by the server, the load generator, the PostgreSQL backends serving the server, and everything else on the machine (other people's work).");
  for (const report of reports) {
    console.log(`\n--- ${report.label}`);
    console.log(`${"target".padEnd(6)} ${"phase".padEnd(44)} ${"req/s".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"2xx".padStart(7)} ${"non2xx".padStart(6)} ${"err".padStart(4)} ${"t/o".padStart(5)}  ${"CPU% server/gen/pg/other".padStart(24)}`);
    for (const [name, phases] of [["bare", report.bare], ["app", report.app]] as const) {
      for (const phase of phases) {
        const cpu = phase.cpu;
        console.log(
          `${name.padEnd(6)} ${phase.phase.padEnd(44)} ${fmt(rps(phase), 0).padStart(7)} ${fmt(p(phase, 50), 2).padStart(7)} ${fmt(p(phase, 99), 2).padStart(7)} ${String(ok(phase)).padStart(7)} ${String(non2xx(phase)).padStart(6)} ${String(phase.errors).padStart(4)} ${String(phase.timeouts).padStart(5)}  ${`${fmt(cpu.serverPct, 0)}/${fmt(cpu.generatorPct, 0)}/${cpu.postgresPct === null ? "-" : fmt(cpu.postgresPct, 0)}/${fmt(cpu.otherPct, 0)}`.padStart(24)}`,
        );
      }
    }
    const find = (phases: PhaseResult[], prefix: string) => phases.find((phase) => phase.phase.startsWith(prefix))!;
    const appMax = find(report.app, "max throughput");
    const bareMax = find(report.bare, "max throughput");
    const appFixed = find(report.app, `fixed ${RATE} req/s (open loop`);
    const ratio = rps(appMax) / rps(bareMax);
    console.log(`throughput app/bare: ${fmt(rps(appMax), 0)} / ${fmt(rps(bareMax), 0)} req/s = ${fmt(ratio * 100, 1)} %  (target ≥ ${TARGET_RATIO * 100} %: ${ratio >= TARGET_RATIO ? "met" : "MISSED"})`);
    // Where the ratio comes from: CPU per delivery at max throughput (server process, and the
    // PostgreSQL backends serving it), in µs of one core.
    const cpuPerRequest = (phase: PhaseResult, pct: number | null) => (pct === null ? "-" : `${fmt((pct / 100) * (1e6 / rps(phase)), 0)} µs`);
    console.log(
      `CPU per delivery at max throughput: bare ${cpuPerRequest(bareMax, bareMax.cpu.serverPct)}, app ${cpuPerRequest(appMax, appMax.cpu.serverPct)}` +
        (appMax.cpu.postgresPct === null ? "" : ` + PostgreSQL ${cpuPerRequest(appMax, appMax.cpu.postgresPct)}`) +
        `; the load generator ${cpuPerRequest(bareMax, bareMax.cpu.generatorPct)} per request against the bare server`,
    );
    // The ceiling: the app cannot write faster than its durable write alone runs on this machine.
    const alone = report.ledgerAlone;
    console.log(
      `durable ledger write alone, no HTTP (the same LedgerWriter in the bench process, ${CONNECTIONS} writers): ${fmt(alone.rate, 0)} writes/s, ` +
        `CPU ${fmt(alone.cpuUs, 0)} µs per delivery${alone.postgresUs === null ? "" : ` + PostgreSQL ${fmt(alone.postgresUs, 0)} µs`}` +
        ` → with HTTP for free the app could reach at most ${fmt((100 * alone.rate) / rps(bareMax), 1)} % of the bare server here; it reached ${fmt((100 * rps(appMax)) / alone.rate, 1)} % of this ceiling`,
    );
    const p99 = p(appFixed, 99);
    const sustained = ok(appFixed) >= appFixed.sent * 0.999 && rps(appFixed) >= RATE * 0.97;
    console.log(`app p99 at a fixed ${RATE} req/s (open loop): ${ms(p99)}, p50 ${ms(p(appFixed, 50))}, answered ${ok(appFixed)}/${appFixed.sent} at ${fmt(rps(appFixed), 0)} req/s  (target ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS && sustained ? "met" : "MISSED"})` +
      `; generator lag p99 ${fmt(appFixed.generatorLagP99Ms ?? NaN, 2)} ms, max ${fmt(appFixed.generatorLagMaxMs ?? NaN, 1)} ms`);
    console.log(report.ledger);
    const log = summariseLog(report.appLog);
    if (log.length) console.log(`app output at LOG_LEVEL=warn (grouped):\n${log.map((line) => `  ${line}`).join("\n")}`);
    for (const problem of report.problems) console.log(`!! ${problem}`);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`bench:intake — app vs bare HMAC server, ${DATABASES.join(" + ")}; ${DURATION_S} s phases, ${CONNECTIONS} connections, fixed rate ${RATE} req/s`);
  console.log(`${os.availableParallelism()} CPU core(s): the load generator competes with the server for them.`);
  checkBuild();
  const idle = machineTicks();
  await sleep(1000);
  const idleEnd = machineTicks();
  const busyPct = (100 * os.availableParallelism() * (idleEnd.busy - idle.busy)) / Math.max(1, idleEnd.total - idle.total);
  console.log(`before starting, other processes use ${fmt(busyPct, 0)} % of a core${busyPct > NOISY_PCT ? " — the machine is not quiet: expect noisy figures" : ""}`);

  const pool = new SignedWebhookPool({ secret: SECRET, shop: SHOP, topic: TOPIC, apiVersion: API_VERSION });
  const signStart = performance.now();
  pool.fill(20_000);
  const sizes = pool.bodySizes();
  console.log(`pre-signed ${pool.size} orders/create deliveries in ${fmt((performance.now() - signStart) / 1000, 1)} s (bodies ${sizes.min}–${sizes.max} bytes, mean ${sizes.mean}); more are signed between phases if needed`);

  const reports: DatabaseReport[] = [];
  const build = snapshotBuild();
  console.log(`measuring ./build of ${build.builtAt.toISOString()} (copied, so a rebuild during the run does not change what is measured)` +
    (Object.keys(APP_ENV).length ? `; extra app env: ${Object.entries(APP_ENV).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""));
  for (const kind of DATABASES) reports.push(await benchDatabase(kind, pool, build.dir));
  printSummary(reports);

  if (CPU_PROFILE_DIR) console.log(`\napp CPU profiles: ${CPU_PROFILE_DIR}/*.cpuprofile (one per database, in run order)`);
  const failures = reports.flatMap((report) => report.problems.filter((problem) => !problem.startsWith("note:")).map((problem) => `${report.label}: ${problem}`));
  console.log(`\nfinished in ${fmt((performance.now() - started) / 1000, 0)} s`);
  if (failures.length) await exitWith(1, `bench:intake FAILED — the measurements above are not trustworthy:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  await exitWith(0);
}

main().catch((error: Error) => exitWith(1, `bench:intake failed: ${error.stack ?? error.message}`));
