// Writes a message before anything is sent. The idempotency key (shop, automation, step,
// subject) is unique, so scheduling the same message twice (a retried webhook, a replayed job)
// returns the first one. Its dispatch job is enqueued in the same transaction.
import { messageIdempotencyKey } from "../../domain/scheduling/idempotency";
import type { Channel } from "../../domain/ports";
import type { Database } from "../db.server";
import { enqueueWith } from "../queue/job-queue.server";

export const DISPATCH_MESSAGE_JOB = "dispatch-message";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

export type NewMessage = {
  shopId: string;
  contactId: string | null;
  automation: string;
  step: number;
  /** What the message is about: a checkout token, an order id… part of the idempotency key. */
  subject: string;
  purpose: "transactional" | "marketing";
  channel: Channel;
  recipient: string | null;
  runAt: Date;
  variables: Record<string, unknown>;
  checkoutToken?: string | null;
  orderId?: string | null;
};

export async function scheduleMessage(tx: Tx, message: NewMessage): Promise<{ id: string; created: boolean }> {
  const idempotencyKey = messageIdempotencyKey(message);
  const existing = await tx.message.findUnique({ where: { idempotencyKey }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const created = await tx.message.create({
    data: {
      shopId: message.shopId,
      contactId: message.contactId,
      idempotencyKey,
      automation: message.automation,
      step: message.step,
      purpose: message.purpose,
      channel: message.channel,
      recipient: message.recipient,
      status: "scheduled",
      runAt: message.runAt,
      variables: JSON.stringify(message.variables),
      checkoutToken: message.checkoutToken ?? null,
      orderId: message.orderId ?? null,
    },
  });
  await enqueueWith(tx, { kind: DISPATCH_MESSAGE_JOB, shopId: message.shopId, payload: { messageId: created.id } }, {
    runAt: message.runAt,
    idempotencyKey: `dispatch:${created.id}:${message.runAt.getTime()}`,
  });
  return { id: created.id, created: true };
}
