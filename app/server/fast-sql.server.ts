// Fixed SQL on the hot paths (the job queue's claims and outcomes, the dispatch of a message)
// without Prisma's per-query cost. Measured on PostgreSQL: an ORM findUnique costs ~1.7 ms of
// CPU, the same statement through Prisma's raw API ~0.6 ms, and through node-postgres as a
// prepared statement ~0.2 ms. So on PostgreSQL these statements go to a small pg pool of their
// own (like the ledger writer's); on SQLite they go through Prisma's one connection (libSQL is
// in-process, and a second connection would be a second writer).
//
// The runner behaves the same on both: parameters are numbered in the dialect's style ($1 /
// ?1), a Date parameter is written as UTC like Prisma writes it, and a timestamp comes back as
// a Date, an integer as a number. Not for statements that must share a caller's transaction:
// those use the `tx` client they are given.
import { createHash } from "node:crypto";
import pg from "pg";
import { perDatabase, type Database } from "./db.server";
import { dialectOf } from "./queue/job-queue.server";

export type FastSql = {
  readonly kind: "sqlite" | "postgresql";
  /** On PostgreSQL a prepared statement: parsed and planned once per connection. */
  query<Row>(statement: FixedStatement, values: unknown[]): Promise<Row[]>;
  /** Rows changed. */
  execute(statement: FixedStatement, values: unknown[]): Promise<number>;
  /** `"Schema"."Table"` on PostgreSQL with a schema, `"Table"` otherwise. */
  table(name: string): string;
  /** The n-th parameter in this dialect. */
  param(n: number): string;
  /**
   * A table named `alias` whose rows arrive as one JSON parameter (the n-th, made by `jsonRows`):
   * how one fixed statement takes a batch of any size (coalesce.server.ts).
   */
  rowsTable(n: number, alias: string, columns: RowsColumns): string;
  /** The parameter for `rowsTable`: a Date is written as this database's driver writes one. */
  jsonRows(rows: Array<Record<string, unknown>>): string;
  /**
   * `expression` is one of a list of keys (the n-th parameter, made by `keys`), as an index
   * lookup. PostgreSQL needs it beside a join on `rowsTable`: it expects 100 rows from a
   * function and would scan the whole table (1.3 ms at 10k messages, against 0.05).
   */
  keyIn(expression: string, n: number): string;
  /** The parameter for `keyIn`. */
  keys(keys: string[]): unknown;
};

/** `name` says what the statement is for (logs, pg_stat_statements); the text identifies it. */
export type FixedStatement = { name: string; text: string };

/** Connections of each process's fast-SQL pool on PostgreSQL (besides Prisma's and the ledger writer's). */
const POOL_SIZE = 4;
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

export const fastSql: (database: Database) => FastSql = perDatabase((database) => buildRunner(database));

function buildRunner(database: Database): FastSql {
  const { kind, schema } = dialectOf(database);
  const table = (name: string) => (kind === "postgresql" && schema ? `"${schema.replaceAll('"', '""')}"."${name}"` : `"${name}"`);
  if (kind === "sqlite") {
    return {
      kind,
      table,
      param: (n) => `?${n}`,
      rowsTable: (n, alias, columns) => rowsTable(kind, n, alias, columns),
      keyIn: (expression, n) => keyIn(kind, expression, n),
      keys: (keys) => JSON.stringify(keys),
      // As @prisma/adapter-libsql writes a Date (its iso8601 format): raw and ORM rows compare as text.
      jsonRows: (rows) => jsonRows(rows, (date) => date.toISOString().replace("Z", "+00:00")),
      query: (statement, values) => database.$queryRawUnsafe(statement.text, ...values),
      execute: (statement, values) => database.$executeRawUnsafe(statement.text, ...values),
    };
  }
  const pool = new pg.Pool({
    connectionString: postgresConnectionString(database),
    max: POOL_SIZE,
    // Open connections stay open while idle (see the ledger writer's pool).
    min: POOL_SIZE,
    keepAlive: true,
    allowExitOnIdle: true,
    // Prisma stores DateTime as UTC in `timestamp(3)` columns; node-postgres would read them as local time.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === TIMESTAMP_WITHOUT_TIME_ZONE ? (text: string) => new Date(`${text.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A pooled connection that drops while idle is replaced on the next query; nothing to do here.
  pool.on("error", () => undefined);
  // A timestamp column ignores the "Z" of the ISO text: UTC goes in, as Prisma writes it.
  const values = (list: unknown[]) => list.map((value) => (value instanceof Date ? value.toISOString() : value));
  return {
    kind,
    table,
    param: (n) => `$${n}`,
    rowsTable: (n, alias, columns) => rowsTable(kind, n, alias, columns),
    keyIn: (expression, n) => keyIn(kind, expression, n),
    keys: (keys) => keys,
    // UTC, like every other Date here (a timestamp column ignores the "Z").
    jsonRows: (rows) => jsonRows(rows, (date) => date.toISOString()),
    async query<Row>(statement: FixedStatement, list: unknown[]) {
      const result = await pool.query({ name: preparedName(statement), text: statement.text, values: values(list) });
      return result.rows as Row[];
    },
    async execute(statement, list) {
      const result = await pool.query({ name: preparedName(statement), text: statement.text, values: values(list) });
      return result.rowCount ?? 0;
    },
  };
}

export type RowsColumns = Record<string, "text" | "timestamp" | "integer">;

/** FastSql's `rowsTable`, for statements built before a runner exists (the job queue's). */
export function rowsTable(kind: "sqlite" | "postgresql", n: number, alias: string, columns: RowsColumns): string {
  if (kind === "postgresql") {
    const definitions = Object.entries(columns).map(([column, type]) => `"${column}" ${type === "timestamp" ? "timestamp(3)" : type}`);
    return `json_to_recordset($${n}::json) AS ${alias}(${definitions.join(", ")})`;
  }
  return `(SELECT ${Object.keys(columns).map((column) => `value ->> '${column}' AS "${column}"`).join(", ")} FROM json_each(?${n})) AS ${alias}`;
}

/** FastSql's `keyIn`, for statements built before a runner exists (the job queue's). */
export function keyIn(kind: "sqlite" | "postgresql", expression: string, n: number): string {
  return kind === "postgresql" ? `${expression} = ANY($${n}::text[])` : `${expression} IN (SELECT value FROM json_each(?${n}))`;
}

function jsonRows(rows: Array<Record<string, unknown>>, writeDate: (date: Date) => string): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, value instanceof Date ? writeDate(value) : value]))));
}

const preparedNames = new Map<string, string>();

/**
 * A prepared statement's name must be unique per text on a connection, and PostgreSQL cuts
 * names at 63 bytes (two long names could then collide): a short purpose plus a hash of the text.
 */
function preparedName(statement: FixedStatement): string {
  let name = preparedNames.get(statement.text);
  if (!name) {
    name = `${statement.name.slice(0, 30)}_${createHash("sha256").update(statement.text).digest("hex").slice(0, 24)}`;
    preparedNames.set(statement.text, name);
  }
  return name;
}

/**
 * The connection string the client's pg adapter was given (db.server.ts passes it, without
 * `?schema=`). This reads Prisma internals; the PostgreSQL tests fail loudly if an upgrade moves them.
 */
export function postgresConnectionString(database: Database): string {
  const adapter = (database as unknown as { _engineConfig?: { adapter?: { config?: { connectionString?: unknown } } } })._engineConfig?.adapter;
  const connectionString = adapter?.config?.connectionString;
  if (typeof connectionString !== "string") throw new Error("cannot find the PostgreSQL connection string of this Prisma client (Prisma internals changed?)");
  return connectionString;
}
