// Runs the built app (server.mjs + ./build) as a child process, exactly as production does,
// with the environment a test chooses. Tests then talk to it over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import type { Database } from "../../app/server/db.server";
import { systemClock } from "../../app/server/demo/demo-clock.server";
import { seedDemoStore } from "../../app/server/demo/seed.server";

export type RunningApp = { url: string; output: () => string; stop(): Promise<void>; process: ChildProcess };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  if (!existsSync("build/index.js")) throw new Error("build/index.js is missing: run `npm run build` first (npm test does)");
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const environment: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), SHOPIFY_APP_URL: url, LOG_LEVEL: "warn", ...env } as NodeJS.ProcessEnv;
  const child: ChildProcess = spawn(process.execPath, ["server.mjs"], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output}`);
    if (/listening on|demo store admin/i.test(output)) break;
    if (Date.now() > deadline) throw new Error(`app did not start within 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    process: child,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/** The demo store as `npm run demo` runs it: the seeded demo shop on this test database. */
export async function startDemoApp(database: { url: string; db: Database }): Promise<RunningApp> {
  const port = await freePort();
  await seedDemoStore(database.db, systemClock, `http://127.0.0.1:${port}`);
  return startApp({ AVISA_DEMO: "1", NODE_ENV: "development", DATABASE_URL: database.url, PORT: String(port) });
}
