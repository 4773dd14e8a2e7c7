// Real databases for integration tests: a fresh SQLite file, and a fresh PostgreSQL schema on
// the server named by TEST_POSTGRES_URL. Both get the project's real migrations.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase, prepareDatabase, type Database } from "../../app/server/db.server";
import { migratePostgres, migrateSqlite } from "../../scripts/migrate";

export type DatabaseKind = "sqlite" | "postgresql";

export type TestDatabase = {
  kind: DatabaseKind;
  url: string;
  db: Database;
  drop(): Promise<void>;
};

/** The database kinds this run covers: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_POSTGRES_URL ? ["sqlite", "postgresql"] : ["sqlite"];
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "avisa-test-"));
    const url = `file:${path.join(dir, "test.sqlite")}`;
    migrateSqlite(url, { quiet: true });
    const db = createDatabase(url);
    await prepareDatabase(db, url);
    return {
      kind,
      url,
      db,
      async drop() {
        await db.$disconnect();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_POSTGRES_URL;
  if (!base) throw new Error("TEST_POSTGRES_URL is not set");
  const schema = `avisa_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = `${base}${base.includes("?") ? "&" : "?"}schema=${schema}`;
  await migratePostgres(url, () => {});
  const db = createDatabase(url);
  return {
    kind,
    url,
    db,
    async drop() {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
