// The outbox channel provider: a real provider that keeps every message in the database
// instead of handing it to a vendor. The demo store, development and tests use it, and the
// admin's Outbox page shows what a shopper would have received.
import type { Channel, ChannelProvider, Clock, OutgoingMessage } from "../../../domain/ports";
import type { Database } from "../../db.server";

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
    const stored = await this.database.outboxMessage.create({
      data: {
        shopId: message.shopId,
        channel: message.channel,
        toAddress: message.to,
        subject: message.subject ?? null,
        html: message.html ?? null,
        text: message.text,
        metadata: JSON.stringify(message.metadata ?? {}),
        createdAt: this.clock.now(),
      },
    });
    return { externalId: `outbox_${stored.id}` };
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
