// The dispatch hot path's reads and writes, as raw SQL. Prisma's ORM compiles and interprets
// every query (the query compiler runs in WebAssembly) and wraps each update in a transaction:
// measured on PostgreSQL, a findUnique costs ~1.7 ms of CPU and an update ~1.9 ms, the same
// statement raw ~0.3–0.6 ms. A send used seven ORM queries, so the ORM was most of a worker's
// time (`npm run bench:dispatch`). The statements here do exactly what those queries did.
//
// Prisma still runs them (`$queryRawUnsafe`), so values come back typed as the ORM returns them
// (DateTime as Date, Int as number) on both databases, and Date parameters are written the
// way the ORM writes them. Columns Prisma fills in by itself (@updatedAt, @default(now()),
// @default(cuid())) are set here explicitly.
import { randomUUID } from "node:crypto";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import type { Database } from "../db.server";
import { dialectOf } from "../queue/job-queue.server";
import type { DispatchShop, MessageRow } from "../services/dispatch-message.server";

export type SentMessage = {
  id: string;
  externalId: string;
  provider: string;
  recipient: string;
  sentAt: Date;
  /** The content as sent (JSON), shown to the merchant. */
  content: string;
  /** The "sent" entry of the message's timeline. */
  event: { detail: string; at: Date };
};

export type MessageSending = {
  /** The message row, as `database.message.findUnique` returns it; null when it is gone. */
  message(id: string): Promise<MessageRow | null>;
  /** What the send-time checks need of the shop; null when its data is gone. */
  shop(shopId: string): Promise<DispatchShop>;
  /** The contact's current addresses, scoped by shop; null when the contact is gone. */
  contactAddresses(shopId: string, contactId: string): Promise<{ email: string | null; phone: string | null } | null>;
  /**
   * Moves a pending message to `sending` (one attempt more, reason cleared). False when it is no
   * longer pending: another dispatcher claimed it, or it was cancelled meanwhile.
   */
  claim(id: string, send: { now: Date; channel: string; recipient: string }): Promise<boolean>;
  /** Records the provider's acceptance and the timeline entry that says so. */
  markSent(sent: SentMessage): Promise<void>;
};

const stores = new WeakMap<Database, MessageSending>();

/** One set of prepared statement texts per database client. */
export function messageSending(database: Database): MessageSending {
  let store = stores.get(database);
  if (!store) stores.set(database, (store = buildStore(database)));
  return store;
}

function buildStore(database: Database): MessageSending {
  const { kind, schema } = dialectOf(database);
  const postgres = kind === "postgresql";
  const table = (name: string) => (postgres && schema ? `"${schema.replaceAll('"', '""')}"."${name}"` : `"${name}"`);
  const p = (n: number) => (postgres ? `$${n}` : `?${n}`);
  const message = table("Message");
  const event = table("MessageEvent");
  // In a SELECT list PostgreSQL cannot infer a parameter's type from the column it lands in.
  const time = (n: number) => (postgres ? `$${n}::timestamp(3)` : `?${n}`);
  const pending = PENDING_STATUSES.map((status) => `'${status}'`).join(", ");

  const sql = {
    message: `SELECT * FROM ${message} WHERE id = ${p(1)}`,
    shop: `SELECT "uninstalledAt", settings, "timeZone", email FROM ${table("Shop")} WHERE id = ${p(1)}`,
    contact: `SELECT email, phone FROM ${table("Contact")} WHERE id = ${p(1)} AND "shopId" = ${p(2)}`,
    claim: `
      UPDATE ${message} SET status = 'sending', "sendingAt" = ${p(2)}, attempts = attempts + 1,
        "statusReason" = NULL, "statusReasonCode" = NULL, "statusReasonParams" = NULL,
        channel = ${p(3)}, recipient = ${p(4)}, "updatedAt" = ${p(5)}
      WHERE id = ${p(1)} AND status IN (${pending})`,
    sent: `
      UPDATE ${message} SET status = 'sent', "externalId" = ${p(2)}, provider = ${p(3)}, recipient = ${p(4)}, "sentAt" = ${time(5)},
        error = NULL, "errorCode" = NULL, "errorParams" = NULL, content = ${p(6)}, "updatedAt" = ${time(7)}
      WHERE id = ${p(1)}`,
    sentEvent: `
      INSERT INTO ${event} (id, "shopId", "messageId", type, detail, "reasonCode", "reasonParams", "occurredAt", "createdAt")
      SELECT ${p(8)}, "shopId", id, 'sent', ${p(9)}, NULL, NULL, ${time(10)}, ${time(7)} FROM ${message} WHERE id = ${p(1)}`,
  };
  // PostgreSQL: the update and its timeline entry in one statement (one round trip, one commit).
  const sentTogether = `
    WITH sent AS (${sql.sent} RETURNING id, "shopId")
    INSERT INTO ${event} (id, "shopId", "messageId", type, detail, "reasonCode", "reasonParams", "occurredAt", "createdAt")
    SELECT ${p(8)}, "shopId", id, 'sent', ${p(9)}, NULL, NULL, ${time(10)}, ${time(7)} FROM sent`;

  return {
    async message(id) {
      const rows = await database.$queryRawUnsafe<MessageRow[]>(sql.message, id);
      return rows[0] ?? null;
    },
    async shop(shopId) {
      const rows = await database.$queryRawUnsafe<NonNullable<DispatchShop>[]>(sql.shop, shopId);
      return rows[0] ?? null;
    },
    async contactAddresses(shopId, contactId) {
      const rows = await database.$queryRawUnsafe<Array<{ email: string | null; phone: string | null }>>(sql.contact, contactId, shopId);
      return rows[0] ?? null;
    },
    async claim(id, send) {
      const changed = await database.$executeRawUnsafe(sql.claim, id, send.now, send.channel, send.recipient, new Date());
      return changed > 0;
    },
    async markSent(sent) {
      const values = [sent.id, sent.externalId, sent.provider, sent.recipient, sent.sentAt, sent.content, new Date(), randomUUID(), sent.event.detail, sent.event.at];
      if (postgres) {
        await database.$executeRawUnsafe(sentTogether, ...values);
        return;
      }
      // SQLite: two statements, as the ORM wrote them (one writer at a time, each commit is cheap).
      await database.$executeRawUnsafe(sql.sent, ...values.slice(0, 7));
      await database.$executeRawUnsafe(sql.sentEvent, ...values);
    },
  };
}
