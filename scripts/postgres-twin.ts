// Builds the PostgreSQL twin of prisma/schema.prisma. One Prisma schema cannot name two
// providers, so the SQLite schema is the source and this file derives the other one.
// `npm run db:twin` writes it; tests/unit/postgres-twin.test.ts fails when the two drift.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SQLITE_SCHEMA_PATH = "prisma/schema.prisma";
export const POSTGRES_SCHEMA_PATH = "prisma/postgres/schema.prisma";

const HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:twin`. Do not edit by hand.\n";

export function postgresTwinOf(sqliteSchema: string): string {
  const twin = sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = env("DATABASE_URL")')
    .replace(/output\s*=\s*"..\/node_modules\/@avisa\/db-sqlite"/, 'output          = "../../node_modules/@avisa/db-postgres"');
  if (twin.includes('"sqlite"') || !twin.includes("@avisa/db-postgres")) {
    throw new Error("postgres-twin: the SQLite schema no longer has the expected generator/datasource blocks");
  }
  return HEADER + twin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(POSTGRES_SCHEMA_PATH, postgresTwinOf(readFileSync(SQLITE_SCHEMA_PATH, "utf8")));
  console.log(`wrote ${POSTGRES_SCHEMA_PATH}`);
}
