// `npm run db:new-migration -- <name>`: after editing prisma/schema.prisma, writes the PostgreSQL
// twin and one migration per database, diffed against the schema in the last commit
// (`prisma migrate dev` is unreliable with driver adapters, so the SQL comes from migrate diff).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { POSTGRES_SCHEMA_PATH, SQLITE_SCHEMA_PATH, postgresTwinOf } from "./postgres-twin";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name>");
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const work = mkdtempSync(path.join(tmpdir(), "avisa-migration-"));
const oldSqlite = execFileSync("git", ["show", `HEAD:${SQLITE_SCHEMA_PATH}`], { encoding: "utf8" });
const newSqlite = readFileSync(SQLITE_SCHEMA_PATH, "utf8");
writeFileSync(POSTGRES_SCHEMA_PATH, postgresTwinOf(newSqlite));

const pairs = [
  { dir: "prisma/migrations", from: oldSqlite, to: SQLITE_SCHEMA_PATH },
  { dir: "prisma/postgres/migrations", from: postgresTwinOf(oldSqlite), to: POSTGRES_SCHEMA_PATH },
];
for (const [index, pair] of pairs.entries()) {
  const fromFile = path.join(work, `from-${index}.prisma`);
  writeFileSync(fromFile, pair.from);
  const sql = execFileSync("prisma", ["migrate", "diff", "--from-schema-datamodel", fromFile, "--to-schema-datamodel", pair.to, "--script"], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "" },
  });
  const target = path.join(pair.dir, `${stamp}_${name}`);
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, "migration.sql"), sql);
  console.log(`wrote ${target}/migration.sql`);
}
console.log("Now run npm run db:generate and npm run db:migrate.");
