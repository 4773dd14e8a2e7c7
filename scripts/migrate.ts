// `npm run db:migrate`: brings the database named by DATABASE_URL up to date.
// SQLite: `prisma migrate deploy`. PostgreSQL: Prisma's migrate deploy fails with the pg driver
// adapter, so the generated SQL of prisma/postgres/migrations is applied here, each migration
// in its own transaction, recorded in _avisa_migrations.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const POSTGRES_MIGRATIONS = "prisma/postgres/migrations";
const DEFAULT_SQLITE_URL = "file:./prisma/dev.sqlite";

export async function migratePostgres(databaseUrl: string, log: (line: string) => void = console.log): Promise<string[]> {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? "public";
  url.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS _avisa_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const done = new Set((await client.query("SELECT name FROM _avisa_migrations")).rows.map((r) => r.name as string));
    for (const name of readdirSync(POSTGRES_MIGRATIONS).filter((n) => !n.endsWith(".toml")).sort()) {
      if (done.has(name)) continue;
      const sql = readFileSync(path.join(POSTGRES_MIGRATIONS, name, "migration.sql"), "utf8");
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query("INSERT INTO _avisa_migrations (name) VALUES ($1)", [name]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
      log(`applied ${name}`);
    }
  } finally {
    await client.end();
  }
  return applied;
}

export function migrateSqlite(databaseUrl: string, options: { quiet?: boolean } = {}): void {
  execFileSync("prisma", ["migrate", "deploy"], {
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", "inherit"],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

export async function migrate(databaseUrl: string): Promise<void> {
  if (databaseUrl.startsWith("file:")) migrateSqlite(databaseUrl);
  else await migratePostgres(databaseUrl);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_SQLITE_URL;
  migrate(databaseUrl).then(
    () => console.log(`database is up to date (${databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL"})`),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
