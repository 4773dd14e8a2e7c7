// The single place ports are wired to adapters.
import type { Channel, Clock, Logger } from "../domain/ports";
import { config, DEMO_SHOP_DOMAIN } from "./config.server";
import { db, prepareDatabase, type Database } from "./db.server";
import { DemoClock, systemClock } from "./demo/demo-clock.server";
import { createLogger } from "./logger.server";
import { outboxProviders, type OutboxProvider } from "./providers/outbox/outbox-provider.server";

type Container = {
  database: Database;
  clock: Clock;
  demoClock: DemoClock | null;
  logger: Logger;
  outbox: Record<Channel, OutboxProvider>;
};

let container: Container | undefined;

export function services(): Container {
  if (!container || container.database !== db()) {
    const settings = config();
    const demoClock = settings.demoMode ? new DemoClock(db(), DEMO_SHOP_DOMAIN) : null;
    const clock = demoClock ?? systemClock;
    container = {
      database: db(),
      clock,
      demoClock,
      logger: createLogger(settings.nodeEnv === "test" ? "warn" : settings.logLevel),
      outbox: outboxProviders(db(), clock),
    };
  }
  return container;
}

/**
 * Validates configuration and loads what the process needs before it serves requests. Unless
 * AVISA_WORKER=off, the job worker runs in this process too, and every installed shop gets its
 * reconciliation chain (one pending run per shop; repeats are no-ops).
 */
export async function startAvisa() {
  const settings = config();
  const { demoClock, logger, clock } = services();
  await prepareDatabase(db(), settings.databaseUrl);
  await demoClock?.load();
  // Imported here: jobs pull in every service, which in turn use this container.
  const { jobHandlers, scheduleReconciliation, schedulePruning } = await import("./jobs.server");
  const { DatabaseJobQueue } = await import("./queue/job-queue.server");
  const { startWorker } = await import("./queue/worker.server");

  // SQLite: WAL checkpoints move off the event loop (see sqlite-checkpointer.server.ts).
  const { startSqliteCheckpoints } = await import("./sqlite-checkpointer.server");
  const checkpointer =
    settings.databaseKind === "sqlite"
      ? await startSqliteCheckpoints(db(), settings.databaseUrl, logger).catch((error: Error) => {
          logger.warn("SQLite checkpoints stay on the main thread", { error: error.message });
          return null;
        })
      : null;

  const worker =
    settings.worker === "inline"
      ? startWorker({
          queue: new DatabaseJobQueue(db(), settings.databaseKind),
          handlers: jobHandlers(),
          clock,
          logger,
          inline: true,
          // One job at a time. A job already running when a burst of deliveries begins cannot
          // be paused, and its ORM work shares this process's one thread with the deliveries
          // (bench:intake, fixed 500 req/s after a burst, p99: on SQLite ~150 ms with 10 jobs at
          // once, ~20-30 ms with 1; on PostgreSQL 217 ms with 10, 25 ms with 1). On SQLite a
          // second job would only wait for the one connection anyway. For throughput, run worker
          // processes (`npm run worker`), which take 10 at a time.
          concurrency: 1,
          batchSize: 1,
        })
      : null;
  const shops = await db().shop.findMany({ where: { uninstalledAt: null }, select: { id: true } });
  for (const shop of shops) await scheduleReconciliation(shop.id, clock.now());
  await schedulePruning(clock.now());
  logger.info("avisa started", { demoMode: settings.demoMode, database: settings.databaseKind, worker: settings.worker });
  return {
    host: settings.host,
    port: settings.port,
    demoMode: settings.demoMode,
    stop: async () => {
      await worker?.stop();
      await checkpointer?.stop();
      await db().$disconnect();
    },
  };
}
