// The libSQL driver adapter for Prisma, with transactions kept on the one connection.
//
// Why: @libsql/client's local `transaction()` hands its connection to the transaction object
// and opens a fresh one for the next query, and that handed-off connection is never closed —
// only garbage collection frees its file handles (tursodatabase/libsql-client-ts#350). Prisma
// uses a transaction for every `$transaction` and most `updateMany` calls, so a busy process ran
// out of file descriptors, and every new connection also lost the per-connection busy_timeout.
// Prisma's adapter already holds its own lock for the whole of a transaction, so nothing else
// runs on the connection meanwhile: BEGIN / COMMIT / ROLLBACK on the same connection are safe.
//
// Beneath Prisma's lock sits a gate of our own (ConnectionGate) that webhook intake can jump:
// the ledger writer takes the connection as soon as the statement or transaction running now
// ends, instead of queueing behind every job transaction waiting on Prisma's lock. On one
// connection that queue was what a delivery waited for while the inline worker was busy.
import { createClient, type Client, type InStatement, type Transaction, type TransactionMode } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

type ClientConfig = Parameters<typeof createClient>[0];

const BEGIN: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", read: "BEGIN TRANSACTION READONLY", deferred: "BEGIN DEFERRED" };

/**
 * Resolves in the next event-loop turn. The driver is synchronous: a statement's promise is
 * already settled when it returns, so a job's statements, one after another, ran as a single
 * chain of microtasks and held the event loop for the whole job (tens of milliseconds, during
 * which no request was read). Each statement now starts in a turn of its own.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Whose turn it is on the one connection. Prisma's work (a statement, or a transaction from
 * BEGIN to its end) takes turns in arrival order; `first` work goes before any of it.
 */
export class ConnectionGate {
  private held = false;
  private readonly firstInLine: Array<() => void> = [];
  private readonly inLine: Array<() => void> = [];

  /** Resolves with the release function once the caller has the connection. */
  acquire(first: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.held = true;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.held = false;
          (this.firstInLine.shift() ?? this.inLine.shift())?.();
        });
      };
      if (!this.held) grant();
      else (first ? this.firstInLine : this.inLine).push(grant);
    });
  }

  async run<T>(first: boolean, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(first);
    try {
      return await work();
    } finally {
      release();
    }
  }
}

class SameConnectionTransaction implements Transaction {
  closed = false;

  constructor(
    private readonly client: Client,
    /** Gives the connection back: called once, when the transaction has ended. */
    private readonly release: () => void,
  ) {}

  async execute(statement: InStatement | string, args?: never) {
    this.assertOpen();
    await nextTurn();
    return typeof statement === "string" ? this.client.execute(statement, args) : this.client.execute(statement);
  }

  async batch(statements: InStatement[]) {
    this.assertOpen();
    const results = [];
    for (const statement of statements) {
      await nextTurn();
      results.push(await this.client.execute(statement));
    }
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
      this.release();
    }
  }

  async rollback() {
    if (this.closed) return;
    this.closed = true;
    // SQLite may already have rolled back by itself after an error; that is fine.
    await this.client.execute("ROLLBACK").catch(() => undefined);
    this.release();
  }

  close() {
    void this.rollback();
  }

  private assertOpen() {
    if (this.closed) throw new Error("the transaction is already finished");
  }
}

/** The methods that run statements outside a transaction: each takes its turn at the gate. */
const GATED = new Set<PropertyKey>(["execute", "batch", "executeMultiple"]);

/**
 * A libSQL client whose transactions run on its own connection instead of leaking one each.
 * Everything it runs takes its turn at `gate`; `client` is the connection itself, for work that
 * holds the gate already.
 */
export function createSingleConnectionClient(config: ClientConfig, gate = new ConnectionGate()): { gated: Client; client: Client } {
  const client = createClient(config);
  const gated = new Proxy(client, {
    get(target, property, receiver) {
      if (property === "transaction") {
        return async (mode: TransactionMode = "write") => {
          const release = await gate.acquire(false);
          try {
            await target.execute(BEGIN[mode]);
          } catch (error) {
            release();
            throw error;
          }
          return new SameConnectionTransaction(target, release);
        };
      }
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (GATED.has(property)) {
        return (...args: unknown[]) =>
          gate.run(false, async () => {
            await nextTurn();
            return value.apply(target, args);
          });
      }
      return value.bind(target);
    },
  });
  return { gated, client };
}

type AdapterClient = ReturnType<PrismaLibSQL["createClient"]>;

export class SingleConnectionLibSQL extends PrismaLibSQL {
  readonly gate = new ConnectionGate();
  private connection: Client | undefined;

  // The adapter bundles an older @libsql/client; ours has the same Client API (its own types differ).
  createClient(config: Parameters<PrismaLibSQL["createClient"]>[0]): AdapterClient {
    const { gated, client } = createSingleConnectionClient(config as ClientConfig, this.gate);
    this.connection = client;
    return gated as unknown as AdapterClient;
  }

  /**
   * Runs `work` on the connection ahead of Prisma's waiting statements and transactions, as
   * soon as the one running now has ended. Nothing else uses the connection until it returns.
   * (Prisma opens the connection on its first query: call after `$connect()`.)
   */
  runFirst<T>(work: (connection: Client) => Promise<T>): Promise<T> {
    const connection = this.connection;
    if (!connection) throw new Error("the SQLite connection is not open yet: call $connect() first");
    return this.gate.run(true, () => work(connection));
  }
}
