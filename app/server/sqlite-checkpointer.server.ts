// WAL checkpoints for the web process's SQLite database, run by a thread of their own.
//
// Why: in WAL mode every commit appends to the -wal file, and by default the commit that takes
// it past 1,000 pages also copies them back into the database file and syncs it. The driver is
// synchronous, so that commit held the event loop for ~25 ms under load — the slowest requests
// in bench:intake were the ones that arrived during a checkpoint. Here a worker thread with a
// connection of its own runs a PASSIVE checkpoint every CHECKPOINT_INTERVAL_MS. A passive
// checkpoint takes no write lock and never waits: it copies what no reader still needs, and the
// next commit starts the WAL over once everything is copied. The thread writes no data, so it is
// not the second writer the single-connection design avoids.
//
// The web process's own connection keeps automatic checkpoints only as a backstop, at a much
// higher threshold: if the thread stops, the WAL still stays bounded.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Logger } from "../domain/ports";
import type { Database } from "./db.server";

const CHECKPOINT_INTERVAL_MS = 200;
/** Pages in the WAL before the web process's own connection checkpoints anyway (SQLite's default is 1,000). */
const BACKSTOP_PAGES = 16_384;
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
try {
  const { createClient } = require(workerData.clientModule);
  const client = createClient({ url: workerData.url });
  let running = false;
  const checkpoint = async () => {
    if (running) return;
    running = true;
    try {
      const { rows } = await client.execute("PRAGMA wal_checkpoint(PASSIVE)");
      parentPort.postMessage({ checkpointed: Number(rows[0]?.checkpointed ?? 0) });
    } catch (error) {
      parentPort.postMessage({ error: String((error && error.message) || error) });
    } finally {
      running = false;
    }
  };
  setInterval(checkpoint, workerData.intervalMs);
  parentPort.on("message", (message) => {
    if (message === "stop") client.close(), process.exit(0);
  });
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ error: String((error && error.message) || error), fatal: true });
}
`;

export type Checkpointer = {
  /** Pages copied into the database file so far (tests, diagnostics). */
  readonly checkpointedPages: number;
  stop(): Promise<void>;
};

/** Starts the checkpoint thread for `databaseUrl` (a file: URL) and raises `database`'s own threshold to the backstop. */
export async function startSqliteCheckpoints(database: Database, databaseUrl: string, logger: Logger): Promise<Checkpointer> {
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: { url: databaseUrl, clientModule: createRequire(import.meta.url).resolve("@libsql/client"), intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  let checkpointedPages = 0;
  let stopping = false;
  let reportedError = false;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: { ready?: boolean; checkpointed?: number; error?: string; fatal?: boolean }) => {
      if (message.ready) resolve();
      if (message.checkpointed) checkpointedPages += message.checkpointed;
      if (message.error && message.fatal) reject(new Error(`the SQLite checkpoint thread could not start: ${message.error}`));
      else if (message.error && !reportedError) {
        reportedError = true; // once: a failing checkpoint fails every 200 ms
        logger.warn("SQLite checkpoint failed; will keep trying", { error: message.error });
      }
    });
    worker.once("error", reject);
  });
  // Without the thread, the connection checkpoints by itself again, as SQLite does by default.
  const checkpointOnMainConnection = () => database.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`).catch(() => undefined);
  worker.once("exit", (code) => {
    if (stopping) return;
    logger.error("SQLite checkpoint thread stopped; checkpoints are back on the main thread", { code });
    void checkpointOnMainConnection();
  });
  await ready;
  await database.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  return {
    get checkpointedPages() {
      return checkpointedPages;
    },
    async stop() {
      stopping = true;
      const exited = new Promise((resolve) => worker.once("exit", resolve));
      worker.postMessage("stop");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      await worker.terminate();
      await checkpointOnMainConnection();
    },
  };
}
