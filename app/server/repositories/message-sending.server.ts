// The dispatch hot path's reads and writes, as fixed SQL (app/server/fast-sql.server.ts). Prisma's
// ORM compiles and interprets every query and wraps each update in a transaction; a send used
// seven ORM queries, and they were most of a worker's time (`npm run bench:dispatch`). The
// statements here do exactly what those queries did, and return rows typed as the ORM returns
// them. Columns Prisma fills in by itself (@updatedAt, @default(now()), @default(cuid())) are
// set here explicitly.
//
// Each call is coalesced with the same call of other dispatches in the same event-loop turn
// (coalesce.server.ts): a worker that starts ten dispatch jobs together reads the ten messages
// with one statement, claims them with one and marks them sent with one.
import { randomUUID } from "node:crypto";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import { perDatabase, type Database } from "../db.server";
import { coalescedByTurn } from "../coalesce.server";
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

/** One set of prepared statement texts (and batches being collected) per database client. */
export const messageSending: (database: Database) => MessageSending = perDatabase((database) => buildStore(database));

function buildStore(database: Database): MessageSending {
  const sql = fastSql(database);
  const postgres = sql.kind === "postgresql";
  const p = sql.param;
  const message = sql.table("Message");
  const event = sql.table("MessageEvent");
  const pending = PENDING_STATUSES.map((status) => `'${status}'`).join(", ");
  // PostgreSQL qualifies the updated table's columns in RETURNING; SQLite's RETURNING sees only that table.
  const returningId = postgres ? "RETURNING message.id" : "RETURNING id";

  const statements = {
    messages: {
      name: "avisa_dispatch_messages",
      text: `SELECT message.*, shop.id AS "${SHOP}id", shop."uninstalledAt" AS "${SHOP}uninstalledAt", shop.settings AS "${SHOP}settings",
               shop."timeZone" AS "${SHOP}timeZone", shop.email AS "${SHOP}email"
             FROM ${message} AS message LEFT JOIN ${sql.table("Shop")} AS shop ON shop.id = message."shopId"
             WHERE ${sql.keyIn("message.id", 1)}`,
    },
    contacts: {
      name: "avisa_dispatch_contacts",
      text: `SELECT contact.id, contact."shopId", contact.email, contact.phone
             FROM ${sql.table("Contact")} AS contact JOIN ${sql.rowsTable(1, "wanted", { id: "text", shopId: "text" })}
               ON contact.id = wanted.id AND contact."shopId" = wanted."shopId"
             WHERE ${sql.keyIn("contact.id", 2)}`,
    },
    claim: {
      name: "avisa_dispatch_claim",
      text: `
        UPDATE ${message} AS message SET status = 'sending', "sendingAt" = claim."sendingAt", attempts = message.attempts + 1,
          "statusReason" = NULL, "statusReasonCode" = NULL, "statusReasonParams" = NULL,
          channel = claim.channel, recipient = claim.recipient, "updatedAt" = ${p(2)}
        FROM ${sql.rowsTable(1, "claim", { id: "text", sendingAt: "timestamp", channel: "text", recipient: "text" })}
        WHERE message.id = claim.id AND ${sql.keyIn("message.id", 3)} AND message.status IN (${pending})
        ${returningId}`,
    },
  };
  const sentRows = sql.rowsTable(1, "sent", {
    id: "text", externalId: "text", provider: "text", recipient: "text", sentAt: "timestamp", content: "text", eventId: "text", detail: "text", eventAt: "timestamp",
  });
  const sentUpdate = `
    UPDATE ${message} AS message SET status = 'sent', "externalId" = sent."externalId", provider = sent.provider, recipient = sent.recipient,
      "sentAt" = sent."sentAt", error = NULL, "errorCode" = NULL, "errorParams" = NULL, content = sent.content, "updatedAt" = ${p(2)}
    FROM ${sentRows} WHERE message.id = sent.id AND ${sql.keyIn("message.id", 3)}`;
  const eventColumns = `INSERT INTO ${event} (id, "shopId", "messageId", type, detail, "reasonCode", "reasonParams", "occurredAt", "createdAt")`;
  const markSent = {
    // PostgreSQL: the updates and their timeline entries in one statement (one round trip, one commit).
    together: {
      name: "avisa_dispatch_sent",
      text: `WITH updated AS (${sentUpdate} RETURNING message.id, message."shopId", sent."eventId", sent.detail, sent."eventAt")
             ${eventColumns} SELECT "eventId", "shopId", id, 'sent', detail, NULL, NULL, "eventAt", ${p(2)} FROM updated`,
    },
    // SQLite: two statements (one writer at a time; each commit is cheap). The update may be
    // run twice (a batch that failed at the insert runs again call by call): it sets the same values.
    update: { name: "avisa_dispatch_sent_update", text: sentUpdate },
    event: {
      name: "avisa_dispatch_sent_event",
      text: `${eventColumns} SELECT sent."eventId", message."shopId", message.id, 'sent', sent.detail, NULL, NULL, sent."eventAt", ${p(2)}
             FROM ${sentRows} JOIN ${message} AS message ON message.id = sent.id
             WHERE ${sql.keyIn("message.id", 3)}`,
    },
  };

  const byId = <Row extends { id: unknown }>(rows: Row[]) => new Map(rows.map((row) => [String(row.id), row]));

  const readMessages = coalescedByTurn(async (ids: string[]) => {
    const rows = byId(await sql.query<Record<string, unknown> & { id: string }>(statements.messages, [sql.keys(ids)]));
    return ids.map((id) => {
      const row = rows.get(id);
      if (!row) return null;
      const found: Record<string, unknown> = {};
      const shop: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        if (column.startsWith(SHOP)) shop[column.slice(SHOP.length)] = value;
        else found[column] = value;
      }
      const shopFound = shop.id != null;
      delete shop.id;
      return { message: found as MessageRow, shop: shopFound ? (shop as NonNullable<DispatchShop>) : null };
    });
  });

  const readContacts = coalescedByTurn(async (wanted: Array<{ id: string; shopId: string }>) => {
    type ContactRow = { id: string; shopId: string; email: string | null; phone: string | null };
    const rows = await sql.query<ContactRow>(statements.contacts, [sql.jsonRows(wanted), sql.keys(wanted.map((contact) => contact.id))]);
    const found = new Map(rows.map((row) => [`${row.shopId}/${row.id}`, { email: row.email, phone: row.phone }]));
    return wanted.map((contact) => found.get(`${contact.shopId}/${contact.id}`) ?? null);
  });

  const claimMessages = coalescedByTurn(async (claims: Array<{ id: string; sendingAt: Date; channel: string; recipient: string }>) => {
    // Two claims of one message in a batch (two of its jobs at once): only the first may win,
    // as when they were separate statements. The UPDATE would report the row once, for both.
    const first = new Map<string, number>();
    claims.forEach((claim, index) => first.has(claim.id) || first.set(claim.id, index));
    const unique = claims.filter((claim, index) => first.get(claim.id) === index);
    const claimed = byId(await sql.query<{ id: string }>(statements.claim, [sql.jsonRows(unique), new Date(), sql.keys(unique.map((claim) => claim.id))]));
    return claims.map((claim, index) => first.get(claim.id) === index && claimed.has(claim.id));
  });

  const recordSent = coalescedByTurn(async (sent: SentMessage[]) => {
    const rows = sql.jsonRows(
      sent.map((done) => ({
        id: done.id, externalId: done.externalId, provider: done.provider, recipient: done.recipient, sentAt: done.sentAt, content: done.content,
        eventId: randomUUID(), detail: done.event.detail, eventAt: done.event.at,
      })),
    );
    const values = [rows, new Date(), sql.keys(sent.map((done) => done.id))];
    if (postgres) {
      await sql.execute(markSent.together, values);
    } else {
      await sql.execute(markSent.update, values);
      await sql.execute(markSent.event, values);
    }
    return sent.map(() => undefined);
  });

  return {
    messageWithShop: (id) => readMessages(id),
    contactAddresses: (shopId, contactId) => readContacts({ id: contactId, shopId }),
    claim: (id, send) => claimMessages({ id, sendingAt: send.now, channel: send.channel, recipient: send.recipient }),
    markSent: (sent) => recordSent(sent),
  };
}
