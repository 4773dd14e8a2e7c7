import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA_PATH, SQLITE_SCHEMA_PATH, postgresTwinOf } from "../../scripts/postgres-twin";

describe("PostgreSQL twin of the Prisma schema", () => {
  it("is exactly what `npm run db:twin` generates from the SQLite schema", () => {
    const expected = postgresTwinOf(readFileSync(SQLITE_SCHEMA_PATH, "utf8"));
    expect(readFileSync(POSTGRES_SCHEMA_PATH, "utf8"), "run `npm run db:twin` and commit the result").toBe(expected);
  });

  it("has a migration for every SQLite migration, with the same name", () => {
    const names = (dir: string) => readdirSync(dir).filter((n) => !n.endsWith(".toml")).sort();
    expect(names("prisma/postgres/migrations")).toEqual(names("prisma/migrations"));
  });

  it("only swaps provider, URL and output", () => {
    const twin = postgresTwinOf('generator client {\n  output          = "../node_modules/@avisa/db-sqlite"\n}\ndatasource db {\n  provider = "sqlite"\n  url      = "file:./dev.sqlite"\n}\nmodel A { id String @id }\n');
    expect(twin).toContain('provider = "postgresql"');
    expect(twin).toContain('env("DATABASE_URL")');
    expect(twin).toContain("model A { id String @id }");
    expect(() => postgresTwinOf("model A { id String @id }")).toThrow(/expected generator/);
  });
});
