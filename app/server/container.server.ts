// The single place ports are wired to adapters.
import type { Channel, Clock, Logger } from "../domain/ports";
import { config, DEMO_SHOP_DOMAIN } from "./config.server";
import { db, type Database } from "./db.server";
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

/** Validates configuration and loads what the process needs before it serves requests. */
export async function startAvisa() {
  const settings = config();
  const { demoClock, logger } = services();
  await demoClock?.load();
  logger.info("avisa started", { demoMode: settings.demoMode, database: settings.databaseKind });
  return {
    host: settings.host,
    port: settings.port,
    demoMode: settings.demoMode,
    stop: async () => {
      await db().$disconnect();
    },
  };
}
