// The libSQL driver adapter for Prisma, with transactions kept on the one connection.
//
// Why: @libsql/client's local `transaction()` hands its connection to the transaction object
// and opens a fresh one for the next query, and that handed-off connection is never closed —
// only garbage collection frees its file handles (tursodatabase/libsql-client-ts#350). Prisma
// uses a transaction for every `$transaction` and most `updateMany` calls, so a busy process ran
// out of file descriptors, and every new connection also lost the per-connection busy_timeout.
// Prisma's adapter already holds its own lock for the whole of a transaction, so nothing else
// runs on the connection meanwhile: BEGIN / COMMIT / ROLLBACK on the same connection are safe.
import { createClient, type Client, type InStatement, type Transaction, type TransactionMode } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

type ClientConfig = Parameters<typeof createClient>[0];

const BEGIN: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", read: "BEGIN TRANSACTION READONLY", deferred: "BEGIN DEFERRED" };

class SameConnectionTransaction implements Transaction {
  closed = false;

  constructor(private readonly client: Client) {}

  execute(statement: InStatement | string, args?: never) {
    this.assertOpen();
    return typeof statement === "string" ? this.client.execute(statement, args) : this.client.execute(statement);
  }

  async batch(statements: InStatement[]) {
    this.assertOpen();
    const results = [];
    for (const statement of statements) results.push(await this.client.execute(statement));
    return results;
  }

  async executeMultiple(sql: string) {
    this.assertOpen();
    await this.client.executeMultiple(sql);
  }

  async commit() {
    this.assertOpen();
    try {
      await this.client.execute("COMMIT");
    } catch (error) {
      // A failed COMMIT (SQLITE_BUSY) leaves the transaction open: end it so the connection is clean.
      await this.client.execute("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      this.closed = true;
    }
  }

  async rollback() {
    if (this.closed) return;
    this.closed = true;
    // SQLite may already have rolled back by itself after an error; that is fine.
    await this.client.execute("ROLLBACK").catch(() => undefined);
  }

  close() {
    void this.rollback();
  }

  private assertOpen() {
    if (this.closed) throw new Error("the transaction is already finished");
  }
}

/** A libSQL client whose transactions run on its own connection instead of leaking one each. */
export function createSingleConnectionClient(config: ClientConfig): Client {
  const client = createClient(config);
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "transaction") {
        return async (mode: TransactionMode = "write") => {
          await target.execute(BEGIN[mode]);
          return new SameConnectionTransaction(target);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

type AdapterClient = ReturnType<PrismaLibSQL["createClient"]>;

export class SingleConnectionLibSQL extends PrismaLibSQL {
  // The adapter bundles an older @libsql/client; ours has the same Client API (its own types differ).
  createClient(config: Parameters<PrismaLibSQL["createClient"]>[0]): AdapterClient {
    return createSingleConnectionClient(config as ClientConfig) as unknown as AdapterClient;
  }
}
