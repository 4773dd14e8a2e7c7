// `npm run demo`: the local demo store, with no Shopify account. Builds the app, creates and
// migrates the SQLite database, seeds the demo shop, and serves the admin on 127.0.0.1.
// Options: --port N (default 3457), --skip-build (reuse ./build), --fresh (start from an empty database).
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createDatabase } from "../app/server/db.server";
import { systemClock } from "../app/server/demo/demo-clock.server";
import { seedDemoStore } from "../app/server/demo/seed.server";
import { migrateSqlite } from "./migrate";

export const DEMO_DATABASE_URL = "file:./prisma/demo.sqlite";

export type DemoServer = { url: string; process: ChildProcess; stop(): Promise<void> };

export function buildApp(): void {
  execFileSync("remix", ["build"], { stdio: ["ignore", "inherit", "inherit"] });
}

export async function startDemo(options: { port: number; databaseUrl: string; build: boolean; fresh?: boolean; quiet?: boolean }): Promise<DemoServer> {
  if (options.build || !existsSync("build/index.js")) buildApp();
  if (options.fresh && options.databaseUrl.startsWith("file:")) rmSync(options.databaseUrl.slice(5), { force: true });
  migrateSqlite(options.databaseUrl, { quiet: options.quiet });

  const url = `http://127.0.0.1:${options.port}`;
  const database = createDatabase(options.databaseUrl);
  const { created } = await seedDemoStore(database, systemClock, url);
  await database.$disconnect();
  if (!options.quiet) console.log(created ? "Seeded the demo shop (Casa Aurora)." : "Using the existing demo shop.");

  const child = spawn(process.execPath, ["server.mjs"], {
    stdio: ["ignore", options.quiet ? "pipe" : "inherit", "inherit"],
    env: {
      ...process.env,
      AVISA_DEMO: "1",
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      SHOPIFY_APP_URL: url,
    },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitUntilServing(`${url}/app`, child);
  return {
    url,
    process: child,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the demo server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the demo server did not answer at ${url} within 60 s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const portArg = args.indexOf("--port");
  const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.PORT ?? 3457);
  if (process.env.NODE_ENV === "production") {
    console.error("The demo store cannot run with NODE_ENV=production.");
    process.exit(1);
  }
  startDemo({ port, databaseUrl: DEMO_DATABASE_URL, build: !args.includes("--skip-build"), fresh: args.includes("--fresh") }).then(
    (demo) => {
      console.log(`\n  Avisa demo store is running: ${demo.url}/app\n  Store simulator:             ${demo.url}/app/simulator\n  CLI:                         npm run simulate -- place-order\n  Stop with Ctrl+C.\n`);
      const stop = () => void demo.stop().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
      demo.process.once("exit", (code) => process.exit(code ?? 0));
    },
    (error) => {
      console.error(`The demo store could not start: ${error.message}`);
      process.exit(1);
    },
  );
}
