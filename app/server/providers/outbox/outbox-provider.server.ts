// The outbox channel provider: a real provider that keeps every message in the database
// instead of handing it to a vendor. The demo store, development and tests use it, and the
// admin's Outbox page shows what a shopper would have received.
import { randomUUID } from "node:crypto";
import type { Channel, ChannelProvider, Clock, OutgoingMessage } from "../../../domain/ports";
import { perDatabase, type Database } from "../../db.server";
import { fastSql, type FixedStatement } from "../../fast-sql.server";

/** Built once per database client: a send is on the dispatch path. */
const insertStatement = perDatabase((database): FixedStatement => {
  const sql = fastSql(database);
  return {
    name: "avisa_outbox_insert",
    text: `INSERT INTO ${sql.table("OutboxMessage")} (id, "shopId", channel, "toAddress", subject, html, text, metadata, "createdAt")
           VALUES (${[1, 2, 3, 4, 5, 6, 7, 8].map(sql.param).join(", ")}, ${sql.kind === "postgresql" ? "$9::timestamp(3)" : "?9"})`,
  };
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
    // One raw INSERT: the ORM's create costs several times more CPU, and on the dispatch path
    // of the demo, development and the dispatch benchmark this is the "vendor call".
    const id = randomUUID();
    await fastSql(this.database).execute(insertStatement(this.database), [
      id, message.shopId, message.channel, message.to, message.subject ?? null, message.html ?? null, message.text,
      JSON.stringify(message.metadata ?? {}), this.clock.now(),
    ]);
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
