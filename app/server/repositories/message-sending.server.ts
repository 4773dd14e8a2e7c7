// The dispatch hot path's reads and writes, as fixed SQL (app/server/fast-sql.server.ts). Prisma's
// ORM compiles and interprets every query and wraps each update in a transaction; a send used
// seven ORM queries, and they were most of a worker's time (`npm run bench:dispatch`). The
// statements here do exactly what those queries did, and return rows typed as the ORM returns
// them. Columns Prisma fills in by itself (@updatedAt, @default(now()), @default(cuid())) are
// set here explicitly.
import { randomUUID } from "node:crypto";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import { perDatabase, type Database } from "../db.server";
import { fastSql } from "../fast-sql.server";
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
  /**
   * The message row, as `database.message.findUnique` returns it, and what the send-time checks
   * need of its shop, in one query; null when the message is gone.
   */
  messageWithShop(id: string): Promise<{ message: MessageRow; shop: DispatchShop } | null>;
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

/** Prefix of the shop's columns in the message query (no Message column starts with it). */
const SHOP = "shop__";

/** One set of prepared statement texts per database client. */
export const messageSending: (database: Database) => MessageSending = perDatabase((database) => buildStore(database));

function buildStore(database: Database): MessageSending {
  const sql = fastSql(database);
  const postgres = sql.kind === "postgresql";
  const p = sql.param;
  // In a SELECT list PostgreSQL cannot infer a parameter's type from the column it lands in.
  const time = (n: number) => (postgres ? `$${n}::timestamp(3)` : `?${n}`);
  const message = sql.table("Message");
  const event = sql.table("MessageEvent");
  const pending = PENDING_STATUSES.map((status) => `'${status}'`).join(", ");

  const statements = {
    message: {
      name: "avisa_dispatch_message",
      text: `SELECT message.*, shop.id AS "${SHOP}id", shop."uninstalledAt" AS "${SHOP}uninstalledAt", shop.settings AS "${SHOP}settings",
               shop."timeZone" AS "${SHOP}timeZone", shop.email AS "${SHOP}email"
             FROM ${message} AS message LEFT JOIN ${sql.table("Shop")} AS shop ON shop.id = message."shopId"
             WHERE message.id = ${p(1)}`,
    },
    contact: { name: "avisa_dispatch_contact", text: `SELECT email, phone FROM ${sql.table("Contact")} WHERE id = ${p(1)} AND "shopId" = ${p(2)}` },
    claim: {
      name: "avisa_dispatch_claim",
      text: `
        UPDATE ${message} SET status = 'sending', "sendingAt" = ${time(2)}, attempts = attempts + 1,
          "statusReason" = NULL, "statusReasonCode" = NULL, "statusReasonParams" = NULL,
          channel = ${p(3)}, recipient = ${p(4)}, "updatedAt" = ${time(5)}
        WHERE id = ${p(1)} AND status IN (${pending})`,
    },
  };
  const sentUpdate = `
    UPDATE ${message} SET status = 'sent', "externalId" = ${p(2)}, provider = ${p(3)}, recipient = ${p(4)}, "sentAt" = ${time(5)},
      error = NULL, "errorCode" = NULL, "errorParams" = NULL, content = ${p(6)}, "updatedAt" = ${time(7)}
    WHERE id = ${p(1)}`;
  const eventColumns = `INSERT INTO ${event} (id, "shopId", "messageId", type, detail, "reasonCode", "reasonParams", "occurredAt", "createdAt")`;
  const sent = {
    // PostgreSQL: the update and its timeline entry in one statement (one round trip, one commit).
    together: {
      name: "avisa_dispatch_sent",
      text: `WITH sent AS (${sentUpdate} RETURNING id, "shopId")
             ${eventColumns} SELECT ${p(8)}, "shopId", id, 'sent', ${p(9)}, NULL, NULL, ${time(10)}, ${time(7)} FROM sent`,
    },
    // SQLite: two statements, as the ORM wrote them (one writer at a time; each commit is cheap).
    update: { name: "avisa_dispatch_sent_update", text: sentUpdate },
    event: {
      name: "avisa_dispatch_sent_event",
      text: `${eventColumns} SELECT ${p(8)}, "shopId", id, 'sent', ${p(9)}, NULL, NULL, ${time(10)}, ${time(7)} FROM ${message} WHERE id = ${p(1)}`,
    },
  };

  return {
    async messageWithShop(id) {
      const [row] = await sql.query<Record<string, unknown>>(statements.message, [id]);
      if (!row) return null;
      const message: Record<string, unknown> = {};
      const shop: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (column.startsWith(SHOP)) shop[column.slice(SHOP.length)] = value;
        else message[column] = value;
      }
      const found = shop.id != null;
      delete shop.id;
      return { message: message as MessageRow, shop: found ? (shop as NonNullable<DispatchShop>) : null };
    },
    async contactAddresses(shopId, contactId) {
      const rows = await sql.query<{ email: string | null; phone: string | null }>(statements.contact, [contactId, shopId]);
      return rows[0] ?? null;
    },
    async claim(id, send) {
      return (await sql.execute(statements.claim, [id, send.now, send.channel, send.recipient, new Date()])) > 0;
    },
    async markSent(done) {
      const values = [done.id, done.externalId, done.provider, done.recipient, done.sentAt, done.content, new Date(), randomUUID(), done.event.detail, done.event.at];
      if (postgres) {
        await sql.execute(sent.together, values);
        return;
      }
      await sql.execute(sent.update, values.slice(0, 7));
      await sql.execute(sent.event, values);
    },
  };
}
