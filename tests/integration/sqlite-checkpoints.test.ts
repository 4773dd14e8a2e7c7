// The web process's WAL checkpoints run on a thread of their own: its connection copies the
// WAL into the database file while the main connection only appends, so no commit on the event
// loop pays for a checkpoint.
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/server/logger.server";
import { startSqliteCheckpoints, type Checkpointer } from "../../app/server/sqlite-checkpointer.server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const quietLogger = createLogger("error");
const until = async (condition: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return condition();
};

describe("SQLite checkpoints off the event loop", () => {
  let test: TestDatabase;
  let shopId: string;
  let file: string;
  const size = (suffix = "") => statSync(file + suffix).size;
  const autocheckpoint = async () => Number(Object.values((await test.db.$queryRawUnsafe<Array<Record<string, unknown>>>("PRAGMA wal_autocheckpoint"))[0])[0]);
  /** ~1,500 WAL pages: past SQLite's default threshold of 1,000, so without the thread the main connection would checkpoint. */
  const writeALot = async () => {
    const payload = "x".repeat(3_000);
    for (let batch = 0; batch < 10; batch++) {
      await test.db.$transaction(async (tx) => {
        for (let i = 0; i < 100; i++) await tx.job.create({ data: { kind: "checkpoint.test", shopId, runAt: new Date(), payload } });
      });
    }
  };

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    file = fileURLToPath(new URL(test.url.replace(/^file:/, "file://")));
    shopId = (await test.db.shop.create({ data: { domain: "checkpoint-test.myshopify.com", name: "Checkpoints" } })).id;
  });
  afterAll(() => test.drop());

  it("copies the WAL into the database file from its own thread, the main connection only as a backstop", async () => {
    let checkpointer: Checkpointer | undefined;
    try {
      checkpointer = await startSqliteCheckpoints(test.db, test.url, quietLogger);
      expect(await autocheckpoint()).toBe(16_384);
      const before = size();
      await writeALot();
      // The thread's passive checkpoints carry the writes into the database file...
      expect(await until(() => checkpointer!.checkpointedPages > 1_000 && size() > before + 3_000_000, 5_000)).toBe(true);
      expect(await test.db.job.count({ where: { kind: "checkpoint.test" } })).toBe(1_000);
    } finally {
      await checkpointer?.stop();
    }
  });

  it("gives checkpoints back to the main connection when the thread stops", async () => {
    const checkpointer = await startSqliteCheckpoints(test.db, test.url, quietLogger);
    expect(await autocheckpoint()).toBe(16_384);
    await checkpointer.stop();
    expect(await autocheckpoint()).toBe(1_000);
  });
});
