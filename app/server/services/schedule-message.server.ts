// Writes a message before anything is sent. The idempotency key (shop, automation, step,
// subject) is unique, so scheduling the same message twice (a retried webhook, a replayed job)
// returns the first one. Its dispatch job is enqueued in the same transaction.
//
// A plan for a message that already exists and is still pending may move it: cart recovery
// restarts its clock when the shopper comes back (`update_run_at`), a delivery brings forward a
// review request that was waiting on the fulfilment fallback (`keep_earlier`).
import type { WhenAlreadyScheduled } from "../../domain/automations/evaluate";
import { englishReason, reasonColumns, type MessageReason } from "../../domain/messages/message-reason";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import { messageIdempotencyKey } from "../../domain/scheduling/idempotency";
import type { Channel } from "../../domain/ports";
import type { Database } from "../db.server";
import { enqueueWith } from "../queue/job-queue.server";

export const DISPATCH_MESSAGE_JOB = "dispatch-message";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
type Writer = Tx | Database;

export type NewMessage = {
  shopId: string;
  contactId: string | null;
  automation: string;
  step: number;
  /** What the message is about: a checkout token, an order id… part of the idempotency key. */
  subject: string;
  purpose: "transactional" | "marketing";
  channel: Channel;
  /** The automation's channel order; the dispatcher falls back along it. */
  channels?: Channel[];
  messageType?: string | null;
  locale?: string | null;
  recipient: string | null;
  runAt: Date;
  variables: Record<string, unknown>;
  checkoutToken?: string | null;
  orderId?: string | null;
  fulfillmentId?: string | null;
  whenAlreadyScheduled?: WhenAlreadyScheduled;
};

export type ScheduleOutcome = { id: string; created: boolean; moved?: boolean };

export async function scheduleMessage(tx: Writer, message: NewMessage, at: Date = new Date()): Promise<ScheduleOutcome> {
  const idempotencyKey = messageIdempotencyKey(message);
  const existing = await tx.message.findUnique({ where: { idempotencyKey }, select: { id: true, status: true, runAt: true } });
  if (existing) {
    const pending = (PENDING_STATUSES as readonly string[]).includes(existing.status);
    const policy = message.whenAlreadyScheduled ?? "keep";
    const move =
      pending &&
      existing.runAt.getTime() !== message.runAt.getTime() &&
      (policy === "update_run_at" || (policy === "keep_earlier" && message.runAt < existing.runAt));
    if (!move) return { id: existing.id, created: false };
    await tx.message.update({ where: { id: existing.id }, data: { runAt: message.runAt, status: "scheduled", statusReason: null, statusReasonCode: null, statusReasonParams: null } });
    await recordMessageEvent(tx, { shopId: message.shopId, messageId: existing.id, type: "rescheduled", detail: `now due ${message.runAt.toISOString()}`, at });
    await enqueueDispatch(tx, message.shopId, existing.id, message.runAt);
    return { id: existing.id, created: false, moved: true };
  }
  const created = await tx.message.create({
    data: {
      shopId: message.shopId,
      contactId: message.contactId,
      idempotencyKey,
      automation: message.automation,
      step: message.step,
      purpose: message.purpose,
      channel: message.channel,
      channels: JSON.stringify(message.channels ?? [message.channel]),
      messageType: message.messageType ?? null,
      locale: message.locale ?? null,
      recipient: message.recipient,
      status: "scheduled",
      runAt: message.runAt,
      variables: JSON.stringify(message.variables),
      checkoutToken: message.checkoutToken ?? null,
      orderId: message.orderId ?? null,
      fulfillmentId: message.fulfillmentId ?? null,
    },
  });
  await recordMessageEvent(tx, { shopId: message.shopId, messageId: created.id, type: "scheduled", detail: `due ${message.runAt.toISOString()}`, at });
  await enqueueDispatch(tx, message.shopId, created.id, message.runAt);
  return { id: created.id, created: true };
}

/** One dispatch job per message and due time: re-enqueueing the same time is a no-op. */
export function enqueueDispatch(tx: Writer, shopId: string, messageId: string, runAt: Date) {
  return enqueueWith(tx, { kind: DISPATCH_MESSAGE_JOB, shopId, payload: { messageId } }, {
    runAt,
    idempotencyKey: `dispatch:${messageId}:${runAt.getTime()}`,
  });
}

export type MessageEventInput = {
  shopId: string;
  messageId: string;
  type: string;
  /** In English (logs, exports); defaults to the reason's English. */
  detail?: string | null;
  /** What the detail says, as a code the admin shows in the merchant's language. */
  reason?: MessageReason | null;
  at: Date;
};

/** The message's timeline (scheduled, deferred and why, sent, delivered, opened...). */
export async function recordMessageEvent(tx: Writer, event: MessageEventInput): Promise<void> {
  const detail = event.detail ?? (event.reason ? englishReason(event.reason) : null);
  const { code, params } = reasonColumns(event.reason ?? null, detail);
  await tx.messageEvent.create({
    data: { shopId: event.shopId, messageId: event.messageId, type: event.type, detail, reasonCode: code, reasonParams: params, occurredAt: event.at },
  });
}
