// SQLite keeps one connection per process: transactions and updateMany must not open (and
// leak) a connection each, and the busy timeout set once must hold for every later query.
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LedgerWriter } from "../../app/server/services/ledger-writer.server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const openFiles = () => readdirSync("/proc/self/fd").length;

describe("SQLite connection", () => {
  let test: TestDatabase;
  let shopId: string;

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    shopId = (await test.db.shop.create({ data: { domain: "fd-test.myshopify.com", name: "FD test" } })).id;
  });
  afterAll(() => test.drop());

  it("runs hundreds of transactions and updateMany calls without opening files", async () => {
    const before = openFiles();
    for (let round = 0; round < 300; round++) {
      await test.db.$transaction(async (tx) => {
        await tx.job.create({ data: { kind: "fd.test", shopId, runAt: new Date() } });
      });
      await test.db.job.updateMany({ where: { shopId, kind: "fd.test" }, data: { attempts: { increment: 1 } } });
    }
    expect(openFiles() - before).toBeLessThanOrEqual(2);
    expect(await test.db.job.count({ where: { shopId } })).toBe(300);
  });

  it("rolls a failed transaction back and keeps working on the same connection", async () => {
    await expect(
      test.db.$transaction(async (tx) => {
        await tx.job.create({ data: { kind: "fd.rollback", shopId, runAt: new Date() } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await test.db.job.count({ where: { kind: "fd.rollback" } })).toBe(0);
    await test.db.job.create({ data: { kind: "fd.after", shopId, runAt: new Date() } });
    expect(await test.db.job.count({ where: { kind: "fd.after" } })).toBe(1);
  });

  it("keeps the busy timeout after transactions (it is set per connection)", async () => {
    await test.db.$transaction(async (tx) => tx.job.count());
    const [row] = await test.db.$queryRawUnsafe<Array<{ timeout: bigint | number }>>("PRAGMA busy_timeout");
    expect(Number(Object.values(row)[0])).toBe(5000);
  });

  it("writes a webhook delivery as soon as the running transaction ends, ahead of the work queued behind it", async () => {
    const writer = new LedgerWriter(test.db);
    const finished: string[] = [];
    let endTransaction!: () => void;
    const transactionHeld = new Promise<void>((resolve) => (endTransaction = resolve));
    let transactionStarted!: () => void;
    const started = new Promise<void>((resolve) => (transactionStarted = resolve));
    // A job's transaction holds the one connection...
    const jobTransaction = test.db.$transaction(async (tx) => {
      await tx.job.create({ data: { kind: "gate.job", shopId, runAt: new Date() } });
      transactionStarted();
      await transactionHeld;
    }).then(() => finished.push("transaction"));
    await started;
    // ...while other jobs' queries queue behind it, and then a delivery arrives.
    const queued = [1, 2, 3].map((n) => test.db.job.create({ data: { kind: `gate.queued.${n}`, shopId, runAt: new Date() } }).then(() => finished.push(`queued ${n}`)));
    const delivery = writer
      .write({ shopId, topic: "orders/create", webhookId: `gate-${Date.now()}`, eventId: null, apiVersion: "2026-04", triggeredAt: null, payload: "{}", source: "webhook", receivedAt: new Date() })
      .then((outcome) => finished.push(`delivery ${outcome}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished).toEqual([]); // nothing passes a transaction in progress
    endTransaction();
    await Promise.all([jobTransaction, delivery, ...queued]);
    // (The transaction's own promise settles a few microtasks after its COMMIT: its place in
    // the list says nothing about the connection.)
    expect(finished.filter((entry) => entry !== "transaction")).toEqual(["delivery recorded", "queued 1", "queued 2", "queued 3"]);
    expect(await test.db.job.count({ where: { shopId, kind: { startsWith: "gate." } } })).toBe(4);
    expect(await test.db.job.count({ where: { shopId, kind: "process-event" } })).toBe(1);
  });

  it("lets the event loop turn between statements, inside transactions and out (the driver itself is synchronous)", async () => {
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await test.db.$transaction(async (tx) => {
      for (let i = 0; i < 20; i++) await tx.job.count({ where: { shopId } });
    });
    for (let i = 0; i < 20; i++) await test.db.job.count({ where: { shopId } });
    counting = false;
    // Without a turn per statement the 40 queries ran as one chain of microtasks: ~0 turns.
    expect(turns).toBeGreaterThanOrEqual(40);
  });
});
