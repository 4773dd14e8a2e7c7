// `npm run worker`: the job worker as its own process, against DATABASE_URL (default
// file:./prisma/dev.sqlite) and the same environment as the web app. On PostgreSQL run as many
// as you like; on SQLite run one (or none, and leave AVISA_WORKER=inline in the web process).
//   --concurrency N   jobs running at once (default 10)     --batch-size N   jobs per claim (default 10)
//   --poll-ms N       wait when nothing is due (default 1000)   --lease-ms N     how long a claim holds a job (default 5 min)
//   --handlers FILE   run FILE's jobHandlers() instead of the app's (tests and benchmarks)
// SIGINT / SIGTERM: stop claiming, finish the jobs in hand, exit. A second signal exits at once.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { JobHandlers } from "../app/domain/ports";
import { config } from "../app/server/config.server";
import { services } from "../app/server/container.server";
import { prepareDatabase } from "../app/server/db.server";
import { DatabaseJobQueue } from "../app/server/queue/job-queue.server";
import { startWorker } from "../app/server/queue/worker.server";

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function numberOption(args: string[], name: string): number | undefined {
  const text = option(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got "${text}"`);
  return value;
}

async function loadHandlers(file: string | undefined): Promise<JobHandlers> {
  if (!file) return (await import("../app/server/jobs.server")).jobHandlers();
  const module = (await import(pathToFileURL(path.resolve(file)).href)) as { jobHandlers?: () => JobHandlers };
  if (typeof module.jobHandlers !== "function") throw new Error(`${file} does not export jobHandlers()`);
  return module.jobHandlers();
}

async function main(args: string[]): Promise<void> {
  const settings = config();
  const { database, clock, demoClock, logger } = services();
  await prepareDatabase(database, settings.databaseUrl);
  await demoClock?.load();
  const worker = startWorker({
    queue: new DatabaseJobQueue(database, settings.databaseKind, { leaseMs: numberOption(args, "--lease-ms") }),
    handlers: await loadHandlers(option(args, "--handlers")),
    clock,
    logger,
    concurrency: numberOption(args, "--concurrency"),
    batchSize: numberOption(args, "--batch-size"),
    pollIntervalMs: numberOption(args, "--poll-ms"),
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // second signal: do not wait for the jobs in hand
    stopping = true;
    logger.info("worker stopping", { signal });
    worker
      .stop()
      .then(() => database.$disconnect())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error("worker did not stop cleanly", { error: String(error) });
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
