// The outbox channel provider: a real provider that keeps every message in the database
// instead of handing it to a vendor. The demo store, development and tests use it, and the
// admin's Outbox page shows what a shopper would have received.
import { randomUUID } from "node:crypto";
import type { Channel, ChannelProvider, Clock, OutgoingMessage } from "../../../domain/ports";
import { perDatabase, type Database } from "../../db.server";
import { coalescedByTurn } from "../../coalesce.server";
import { fastSql } from "../../fast-sql.server";

type OutboxRow = { id: string; shopId: string; channel: string; toAddress: string; subject: string | null; html: string | null; text: string; metadata: string; createdAt: Date };

/**
 * Built once per database client: a send is on the dispatch path. Sends in the same event-loop
 * turn (a batch of dispatch jobs) are written with one INSERT.
 */
const insertOutboxRow = perDatabase((database) => {
  const sql = fastSql(database);
  const statement = {
    name: "avisa_outbox_insert",
    text: `INSERT INTO ${sql.table("OutboxMessage")} (id, "shopId", channel, "toAddress", subject, html, text, metadata, "createdAt")
           SELECT id, "shopId", channel, "toAddress", subject, html, text, metadata, "createdAt"
           FROM ${sql.rowsTable(1, "sent", { id: "text", shopId: "text", channel: "text", toAddress: "text", subject: "text", html: "text", text: "text", metadata: "text", createdAt: "timestamp" })}`,
  };
  return coalescedByTurn(async (rows: OutboxRow[]) => {
    await sql.execute(statement, [sql.jsonRows(rows)]);
    return rows.map(() => undefined);
  });
});

export class OutboxProvider implements ChannelProvider {
  readonly id: string;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    readonly channel: Channel,
  ) {
    this.id = `outbox-${channel}`;
  }

  async send(message: OutgoingMessage): Promise<{ externalId: string }> {
    if (message.channel !== this.channel) {
      throw new Error(`${this.id} cannot send a ${message.channel} message`);
    }
    if (message.channel === "email" && !message.subject) {
      throw new Error("an email needs a subject");
    }
    // A raw INSERT: the ORM's create costs several times more CPU, and on the dispatch path of
    // the demo, development and the dispatch benchmark this is the "vendor call".
    const id = randomUUID();
    await insertOutboxRow(this.database)({
      id, shopId: message.shopId, channel: message.channel, toAddress: message.to, subject: message.subject ?? null, html: message.html ?? null,
      text: message.text, metadata: JSON.stringify(message.metadata ?? {}), createdAt: this.clock.now(),
    });
    return { externalId: `outbox_${id}` };
  }

  async checkCredentials() {
    return { ok: true as const };
  }
}

export function outboxProviders(database: Database, clock: Clock): Record<Channel, OutboxProvider> {
  return {
    email: new OutboxProvider(database, clock, "email"),
    sms: new OutboxProvider(database, clock, "sms"),
    whatsapp: new OutboxProvider(database, clock, "whatsapp"),
  };
}
