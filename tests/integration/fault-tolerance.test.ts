// Faults the platform really produces, on real SQLite and PostgreSQL, checked by what ends up
// in the database (ledger, jobs, messages, outbox), not by how the code gets there:
//  1. Shopify delivers the same webhooks several times, out of order, concurrently, and sends
//     one merchant action as several deliveries (same X-Shopify-Event-Id and topic, new
//     X-Shopify-Webhook-Id): one ledger row and one processing job per delivery key, and no
//     message is scheduled or sent twice.
//  2. Worker processes (`tsx scripts/worker.ts`, the app's real handlers) are SIGKILLed while
//     they send, then restarted: every message ends `sent` (one outbox row) or `unknown` (at
//     most one), none is sent twice, none is lost.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_TOPICS } from "../../app/domain/events/webhook-topics";
import type { Clock } from "../../app/domain/ports";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "../../app/server/config.server";
import { services } from "../../app/server/container.server";
import { DemoStore } from "../../app/server/demo/demo-store.server";
import type { DemoCustomer, DemoOrder, DemoProduct } from "../../app/server/demo/demo-store-data";
import { seedDemoStore } from "../../app/server/demo/seed.server";
import { buildCheckout, buildFulfillment, buildOrder } from "../../app/server/demo/shopify-payloads";
import { jobHandlers } from "../../app/server/jobs.server";
import { createLogger } from "../../app/server/logger.server";
import { DatabaseJobQueue } from "../../app/server/queue/job-queue.server";
import { startWorker } from "../../app/server/queue/worker.server";
import { scheduleMessage } from "../../app/server/services/schedule-message.server";
import { webhookAction } from "../../app/server/webhook-action.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { signedWebhook } from "../helpers/shopify-signing";
import { useDatabase } from "../helpers/use-database";

const APP_URL = "http://127.0.0.1:3457";
const SEED = 20260501;
const quietLogger = createLogger("error");
const wallClock: Clock = { now: () => new Date() };

/** A small seeded PRNG (mulberry32): the same shuffles and kill points on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** The webhook route as Remix runs it: the real action, a thrown Response is the answer. */
async function appHandle(request: Request): Promise<Response> {
  const topic = Object.entries(WEBHOOK_TOPICS).find(([, route]) => route === new URL(request.url).pathname)?.[0] as keyof typeof WEBHOOK_TOPICS;
  try {
    return await webhookAction(topic)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Topic = "orders/create" | "checkouts/create" | "checkouts/update" | "fulfillments/create";

/** One delivery as Shopify would make it; `key` is what must be recorded once (event id + topic). */
type Delivery = { key: string; topic: Topic; webhookId: string; eventId: string; rawBody: string; triggeredAt: string };

/**
 * 250 shopping stories of 4 deliveries each (checkouts/create, checkouts/update, orders/create,
 * fulfillments/create) = 1,000 distinct delivery keys. Two in three orders complete their
 * checkout (checkout_token), the rest are separate purchases, so some checkouts stay abandoned.
 */
function buildDeliveries(input: { customers: DemoCustomer[]; products: DemoProduct[]; start: Date; random: () => number }) {
  const { customers, products, start, random } = input;
  const deliveries: Delivery[] = [];
  const orders: DemoOrder[] = [];
  const tokens: string[] = [];
  const completing = new Set<string>();
  const add = (topic: Topic, body: unknown, at: Date) => {
    const eventId = String(9_000_000_000_000_000_000n + BigInt(deliveries.length));
    deliveries.push({ key: `${topic} ${eventId}`, topic, webhookId: randomUUID(), eventId, rawBody: JSON.stringify(body), triggeredAt: at.toISOString() });
  };
  for (let story = 0; story < 250; story++) {
    const customer = customers[story % customers.length];
    const lines = [{ product: products[Math.floor(random() * products.length)], quantity: 1 + Math.floor(random() * 3) }];
    const startedAt = new Date(start.getTime() + story * 1000);
    const updatedAt = new Date(startedAt.getTime() + 5 * 60_000);
    const placedAt = new Date(startedAt.getTime() + 10 * 60_000);
    const checkout = buildCheckout({ customer, products: lines, startedAt, shopDomain: DEMO_SHOP_DOMAIN });
    tokens.push(checkout.token);
    add("checkouts/create", checkout, startedAt);
    add("checkouts/update", { ...checkout, total_price: (Number(checkout.total_price) + 1).toFixed(2), updated_at: updatedAt.toISOString() }, updatedAt);
    const completes = story % 3 !== 0;
    if (completes) completing.add(checkout.token);
    const order = buildOrder({ orderNumber: 20_000 + story, customer, products: lines, placedAt, checkoutToken: completes ? checkout.token : null, shopDomain: DEMO_SHOP_DOMAIN });
    orders.push(order);
    add("orders/create", order, placedAt);
    const shippedAt = new Date(placedAt.getTime() + 2 * 60_000);
    add("fulfillments/create", buildFulfillment(order, shippedAt), shippedAt);
  }
  return { deliveries, orders, tokens, completing };
}

describe.each(databaseKinds())("fault tolerance on %s", (kind) => {
  describe("duplicated, reordered, concurrent webhook deliveries", () => {
    let test: TestDatabase;
    let shopId: string;
    let built: ReturnType<typeof buildDeliveries>;
    beforeAll(async () => {
      test = await createTestDatabase(kind);
      useDatabase(test.db);
      await seedDemoStore(test.db, wallClock, APP_URL);
      shopId = (await test.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).id;
    });
    afterAll(async () => test?.drop());

    it("records the same 1,000 deliveries sent 3× in shuffled order once each: 1,000 ledger rows, 1,000 jobs", async () => {
      const random = prng(SEED);
      const store = new DemoStore(test.db, DEMO_SHOP_DOMAIN);
      built = buildDeliveries({
        customers: await store.list("customer"),
        products: await store.list("product"),
        // All within the last 20 minutes: confirmations and shipping updates are due at once,
        // recovery steps (an hour and more after the checkout) are planned but not yet due.
        start: new Date(Date.now() - 20 * 60_000),
        random,
      });
      const { deliveries } = built;
      expect(new Set(deliveries.map((d) => d.key)).size).toBe(1000);
      expect(new Set(deliveries.map((d) => d.topic))).toEqual(new Set(["orders/create", "checkouts/create", "checkouts/update", "fulfillments/create"]));

      // One merchant action delivered twice (Shopify does this): same event id and topic, a new webhook id.
      const twins = shuffle(deliveries, random).slice(0, 100).map((d) => ({ ...d, webhookId: randomUUID() }));
      const requests = shuffle([...deliveries, ...twins].flatMap((d) => [d, d, d]), random);
      expect(requests).toHaveLength(3300);

      const answers: Array<{ key: string; status: number; outcome: string }> = [];
      for (let i = 0; i < requests.length; i += 50) {
        const batch = requests.slice(i, i + 50);
        answers.push(
          ...(await Promise.all(
            batch.map(async (d) => {
              const response = await appHandle(
                signedWebhook({
                  appUrl: APP_URL, path: WEBHOOK_TOPICS[d.topic], secret: DEMO_API_SECRET, topic: d.topic, shop: DEMO_SHOP_DOMAIN, body: null,
                  rawBody: d.rawBody, webhookId: d.webhookId, eventId: d.eventId, triggeredAt: d.triggeredAt,
                }),
              );
              const text = await response.text();
              return { key: d.key, status: response.status, outcome: response.status === 200 ? (JSON.parse(text) as { outcome: string }).outcome : text };
            }),
          )),
        );
      }
      expect(answers.filter((a) => a.status !== 200).slice(0, 5)).toEqual([]);
      // Exactly one delivery of each key was recorded; every other copy was a duplicate.
      const recorded = answers.filter((a) => a.outcome === "recorded");
      expect(recorded).toHaveLength(1000);
      expect(new Set(recorded.map((a) => a.key)).size).toBe(1000);
      expect(answers.filter((a) => a.outcome === "duplicate")).toHaveLength(3300 - 1000);

      const ledger = await test.db.eventLedger.findMany({ where: { shopId }, select: { id: true, topic: true, eventId: true, webhookId: true, status: true } });
      expect(ledger).toHaveLength(1000);
      expect(new Set(ledger.map((row) => `${row.topic} ${row.eventId}`))).toEqual(new Set(deliveries.map((d) => d.key)));
      const webhookIdsByKey = new Map<string, Set<string>>();
      for (const d of [...deliveries, ...twins]) webhookIdsByKey.set(d.key, (webhookIdsByKey.get(d.key) ?? new Set()).add(d.webhookId));
      for (const row of ledger) expect(webhookIdsByKey.get(`${row.topic} ${row.eventId}`)!.has(row.webhookId)).toBe(true);
      expect(await test.db.job.count({ where: { shopId, kind: "process-event" } })).toBe(1000);
    }, 60_000);

    it("processes every ledger row once, schedules no message twice and sends none twice", async () => {
      expect(await test.db.eventLedger.count({ where: { shopId } })).toBe(1000);
      const { orders, tokens, completing } = built;
      // Drain with the app's handlers: events are processed, and the messages they plan that are
      // already due are sent. Between rounds the demo clock moves 5 minutes, so events retried
      // with backoff (a fulfilment that came before its order, two deliveries of one checkout
      // racing) come due. Messages planned for days later stay scheduled: not needed here.
      const demoClock = services().demoClock;
      if (!demoClock) throw new Error("the integration project runs with AVISA_DEMO=1: the demo clock should exist");
      const worker = startWorker({ queue: new DatabaseJobQueue(test.db, kind), handlers: jobHandlers(), clock: services().clock, logger: quietLogger, pollIntervalMs: 60_000 });
      try {
        for (let round = 0; round < 12; round++) {
          await worker.drain();
          if ((await test.db.job.count({ where: { kind: "process-event", status: { in: ["queued", "running"] } } })) === 0) break;
          await demoClock.advance(300);
        }
      } finally {
        await worker.stop();
      }

      // Every ledger row processed, by exactly the 1,000 jobs written at intake.
      const statuses = await test.db.eventLedger.groupBy({ by: ["status"], where: { shopId }, _count: true });
      expect(statuses.map((s) => [s.status, s._count])).toEqual([["processed", 1000]]);
      expect(await test.db.job.count({ where: { shopId, kind: "process-event" } })).toBe(1000);
      expect(await test.db.job.count({ where: { shopId, kind: "process-event", status: { not: "completed" } } })).toBe(0);

      // The store's state, once each.
      expect(await test.db.order.count({ where: { shopId, shopifyOrderId: { in: orders.map((o) => o.id) } } })).toBe(250);
      expect(await test.db.checkout.count({ where: { shopId, token: { in: tokens } } })).toBe(250);
      expect(await test.db.checkout.count({ where: { shopId, token: { in: [...completing] }, completedAt: { not: null } } })).toBe(completing.size);
      expect(await test.db.checkout.count({ where: { shopId, token: { in: tokens.filter((t) => !completing.has(t)) }, completedAt: null } })).toBe(250 - completing.size);
      expect(await test.db.fulfillment.count({ where: { shopId } })).toBe(250);

      // No message twice: one row per (automation, step, subject), and at most one outbox row per message.
      const messages = await test.db.message.findMany({ where: { shopId }, select: { id: true, idempotencyKey: true, automation: true, step: true, status: true } });
      const perKey = new Map<string, number>();
      for (const m of messages) {
        const subject = m.idempotencyKey.split("|").slice(3).join("|");
        const key = `${m.automation}|${m.step}|${subject}`;
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
      }
      expect([...perKey].filter(([, count]) => count > 1)).toEqual([]);
      const outboxPerMessage = await outboxRowsByMessage(test, shopId);
      expect([...outboxPerMessage].filter(([, count]) => count > 1)).toEqual([]);
      for (const m of messages.filter((m) => m.status === "sent")) expect(outboxPerMessage.get(m.id) ?? 0).toBe(1);
      const ours = new Set(messages.map((m) => m.id));
      expect([...outboxPerMessage.keys()].filter((id) => !ours.has(id))).toEqual([]);
      // The demo shop's automations planned and sent messages, so the checks above had something to check.
      expect(messages.filter((m) => m.status === "sent").length).toBeGreaterThan(0);
    }, 180_000); // typically well under a minute; the margin is for a machine shared with other work
  });

  describe("worker processes killed with SIGKILL while sending", () => {
    // Enough that the second crash still finds work left: worker processes dispatch in batches,
    // at a thousand or more messages a second, and a crash comes tens of ms after it is aimed.
    const total = 1000;
    /** A crash is aimed while at least this many messages are still to go. */
    const leftAtCrash = 600;
    let test: TestDatabase;
    let shopId: string;
    const children = new Set<ChildProcess>();
    let workers: ChildProcess[] = [];
    let crashes: Array<{ sent: number; killed: number }> = [];
    /** Dispatch jobs leased at the moment of a crash: the only ones that may run more than once. */
    const heldAtCrash = new Set<string>();

    // `tsx` runs the script in a node process of its own and cannot pass a SIGKILL on, so each
    // worker gets its own process group and the whole group is killed, as a crash would.
    const killGroup = (child: ChildProcess) => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };

    async function kill(child: ChildProcess): Promise<void> {
      const exited = child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null;
      killGroup(child);
      await exited;
      children.delete(child);
    }

    /** `node --import tsx scripts/worker.ts` (as `npm run worker`) with the app's real handlers; resolves once it logs that it started. */
    async function startWorkerProcess(): Promise<ChildProcess> {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "scripts/worker.ts", "--lease-ms", "1500", "--poll-ms", "50", "--concurrency", "4", "--batch-size", "4"],
        {
          env: { ...process.env, DATABASE_URL: test.url, AVISA_DEMO: "1", NODE_ENV: "development", HOST: "127.0.0.1", LOG_LEVEL: "info", AVISA_WORKER: "off" },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        },
      );
      children.add(child);
      let output = "";
      child.stderr!.on("data", (chunk) => (output += chunk));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start within 30 s: ${output}`)), 30_000);
        child.once("exit", (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before starting: ${output}`)));
        createInterface({ input: child.stdout! }).on("line", (line) => {
          if (line.includes('"message":"worker started"')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      return child;
    }

    beforeAll(async () => {
      test = await createTestDatabase(kind);
      useDatabase(test.db);
      await seedDemoStore(test.db, wallClock, APP_URL);
      shopId = (await test.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).id;
    });
    afterAll(async () => {
      for (const child of children) killGroup(child);
      children.clear();
      await test?.drop();
    });

    it("ends every message sent or unknown, none sent twice, none lost", async () => {
      const random = prng(SEED + 1);
      const contacts = await test.db.contact.findMany({ where: { shopId }, orderBy: { email: "asc" } });
      expect(contacts.length).toBeGreaterThanOrEqual(6);
      const ids: string[] = [];
      for (let i = 0; i < total; i += 50) {
        ids.push(
          ...(await test.db.$transaction(async (tx) => {
            const created: string[] = [];
            for (let n = i; n < Math.min(i + 50, total); n++) {
              const contact = contacts[n % contacts.length];
              const { id } = await scheduleMessage(tx, {
                shopId, contactId: contact.id, automation: "order-update", step: 0, subject: `fault-${n}`, purpose: "transactional",
                channel: "email", recipient: null, runAt: new Date(Date.now() - 1000),
                variables: { subject: `Your order ${n} shipped`, text: `Order ${n} is on its way.` },
              });
              created.push(id);
            }
            return created;
          })),
        );
      }
      expect(new Set(ids).size).toBe(total);

      const sentCount = () => test.db.message.count({ where: { shopId, status: "sent" } });
      const processes = kind === "postgresql" ? 2 : 1; // SQLite is one worker process by design
      workers = await Promise.all(Array.from({ length: processes }, () => startWorkerProcess()));
      crashes = [];
      // Two crashes. With two processes (PostgreSQL): first both at once, then one of them (the
      // other carries on, and takes over the dead one's jobs once their leases run out).
      for (let round = 0; round < 2; round++) {
        // Let some messages go out after each (re)start, then crash at a random point of the run.
        const target = Math.min(total - leftAtCrash, (await sentCount()) + 10 + Math.floor(random() * 40));
        await waitFor(async () => (await sentCount()) >= target, `${target} sent messages before crash ${round + 1}`, 30_000);
        await sleep(Math.floor(random() * 30));
        const doomed = round === 1 && workers.length > 1 ? [workers[Math.floor(random() * workers.length)]] : workers;
        const doomedPids = doomed.map((child) => child.pid!);
        await Promise.all(doomed.map(kill));
        crashes.push({ sent: await sentCount(), killed: doomed.length });
        // A claim the dead worker had sent may still commit: PostgreSQL finishes a statement
        // whose client is gone. So look a moment later, at the jobs leased to the dead workers
        // (their ids carry the pid), not at those a surviving worker has claimed since.
        await sleep(250);
        const held = await test.db.job.findMany({ where: { shopId, kind: "dispatch-message", status: "running" }, select: { id: true, lockedBy: true } });
        for (const job of held) if (doomedPids.some((pid) => job.lockedBy?.includes(`:${pid}:`))) heldAtCrash.add(job.id);
        workers = [...workers.filter((w) => !doomed.includes(w)), ...(await Promise.all(doomed.map(() => startWorkerProcess())))];
      }
      // Every crash came while there was still work left.
      for (const crash of crashes) expect(crash.sent).toBeLessThan(total);

      // A message left `sending` comes back once its job's lease runs out (1.5 s) and becomes unknown.
      await waitFor(
        async () => (await test.db.message.count({ where: { shopId, status: { in: ["scheduled", "deferred", "sending"] } } })) === 0,
        "no message scheduled, deferred or sending",
        45_000,
      );

      const messages = await test.db.message.findMany({ where: { shopId }, select: { id: true, status: true, externalId: true } });
      expect(messages).toHaveLength(total);
      expect(new Set(messages.map((m) => m.id))).toEqual(new Set(ids));
      expect(messages.filter((m) => m.status !== "sent" && m.status !== "unknown").map((m) => m.status)).toEqual([]);
      const sent = messages.filter((m) => m.status === "sent");
      const unknown = messages.filter((m) => m.status === "unknown");

      const outbox = await outboxRowsByMessage(test, shopId);
      expect([...outbox].filter(([, count]) => count > 1)).toEqual([]);
      for (const m of sent) expect(outbox.get(m.id)).toBe(1);
      const unknownWithRow = unknown.filter((m) => outbox.has(m.id)).length;
      expect(await test.db.outboxMessage.count({ where: { shopId } })).toBe(sent.length + unknownWithRow);
      // A sent message names the outbox row it became.
      const outboxIds = new Set((await test.db.outboxMessage.findMany({ where: { shopId }, select: { id: true } })).map((row) => `outbox_${row.id}`));
      for (const m of sent) expect(outboxIds.has(m.externalId!)).toBe(true);

      console.info(
        `[${kind}] ${crashes.map((c) => `${c.killed} worker(s) killed at ${c.sent} sent`).join(", ")}: ` +
          `${sent.length} sent, ${unknown.length} unknown (${unknownWithRow} of them reached the outbox)`,
      );
    }, 120_000);

    it("and the queue finishes every dispatch job, running one again only because the worker running it died", async () => {
      expect(crashes.length).toBe(2);
      // The restarted workers are still running: every dispatch job settles.
      await waitFor(
        async () => (await test.db.job.count({ where: { shopId, kind: "dispatch-message", status: { in: ["queued", "running"] } } })) === 0,
        "every dispatch job to settle",
        45_000,
      );
      await Promise.all(workers.map(kill));
      const jobs = await test.db.job.findMany({ where: { shopId, kind: "dispatch-message" }, select: { id: true, status: true, attempts: true, lastError: true } });
      const byStatus = (status: string) => jobs.filter((job) => job.status === status).length;
      const failures = jobs.filter((job) => job.status === "failed").map((job) => `attempts ${job.attempts}: ${job.lastError}`);
      expect({ completed: byStatus("completed"), failed: byStatus("failed"), total: jobs.length, failures: failures.slice(0, 3) }).toEqual({ completed: total, failed: 0, total, failures: [] });
      // A job is handed out again only when the lease of a worker that died runs out: at most
      // once per crash, and only a job leased when a crash came. A live worker's jobs run once.
      const rerun = jobs.filter((job) => job.attempts > 1);
      expect(Math.max(...jobs.map((job) => job.attempts))).toBeLessThanOrEqual(crashes.length + 1);
      expect(rerun.filter((job) => !heldAtCrash.has(job.id)).map((job) => `attempts ${job.attempts}: ${job.lastError}`).slice(0, 3)).toEqual([]);
      console.info(`[${kind}] dispatch jobs leased at a crash: ${heldAtCrash.size}; run more than once: ${rerun.length}`);
    }, 60_000);
  });
});

/** Outbox rows per message id (the outbox provider stores the message id in its metadata). */
async function outboxRowsByMessage(test: TestDatabase, shopId: string): Promise<Map<string, number>> {
  const rows = await test.db.outboxMessage.findMany({ where: { shopId }, select: { metadata: true } });
  const counts = new Map<string, number>();
  for (const row of rows) {
    const messageId = (JSON.parse(row.metadata) as { messageId?: string }).messageId;
    if (!messageId) throw new Error(`an outbox row without a messageId in its metadata: ${row.metadata}`);
    counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
  }
  return counts;
}
