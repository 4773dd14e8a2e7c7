// Sends one due message, at most once. Everything is re-checked at send time (still wanted?
// already bought? plus the consent / quiet-hours / cap checks the messaging work adds), the
// message is marked `sending` before the provider call, and a message found still `sending`
// when its job runs again means the process died mid-call: it becomes `unknown`, never re-sent.
import { ProviderError } from "../../domain/errors";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import type { ChannelProvider, Channel, Clock, OutgoingMessage } from "../../domain/ports";
import { nextAttemptAt } from "../../domain/scheduling/backoff";
import type { Database } from "../db.server";

export type MessageRow = Awaited<ReturnType<Database["message"]["findUniqueOrThrow"]>>;

export type SendTimeVerdict =
  | { verdict: "send" }
  | { verdict: "defer"; until: Date; reason: string }
  | { verdict: "skip"; reason: string }
  | { verdict: "cancel"; reason: string };

/** One rule applied just before sending. Checks run in order; the first that objects wins. */
export type SendTimeCheck = (message: MessageRow, now: Date) => Promise<SendTimeVerdict>;

/** Renders a message's content for its recipient (templates, locale) at send time. */
export type MessageComposer = (message: MessageRow) => Promise<OutgoingMessage>;

export type DispatchDependencies = {
  database: Database;
  clock: Clock;
  providerFor: (channel: Channel) => ChannelProvider;
  compose: MessageComposer;
  checks: SendTimeCheck[];
  maxAttempts?: number;
};

export type DispatchOutcome =
  | { outcome: "sent"; externalId: string }
  | { outcome: "deferred" | "retry"; runAt: Date }
  | { outcome: "skipped" | "cancelled" | "failed" | "unknown"; reason: string }
  | { outcome: "not_due"; runAt: Date }
  | { outcome: "not_pending" };

const INTERRUPTED =
  "The app stopped while the provider call was under way, so it is not known whether the shopper got this message. It will not be re-sent automatically.";

export async function dispatchMessage(messageId: string, deps: DispatchDependencies): Promise<DispatchOutcome> {
  const { database, clock } = deps;
  const message = await database.message.findUnique({ where: { id: messageId } });
  if (!message) return { outcome: "not_pending" };
  const now = clock.now();

  if (message.status === "sending") {
    // Only a crashed attempt leaves a message in `sending` for its job to find again.
    await database.message.updateMany({ where: { id: message.id, status: "sending" }, data: { status: "unknown", statusReason: INTERRUPTED } });
    return { outcome: "unknown", reason: INTERRUPTED };
  }
  if (!(PENDING_STATUSES as readonly string[]).includes(message.status)) return { outcome: "not_pending" };
  if (message.runAt > now) return { outcome: "not_due", runAt: message.runAt };

  for (const check of deps.checks) {
    const result = await check(message, now);
    if (result.verdict === "send") continue;
    const pending = { id: message.id, status: { in: [...PENDING_STATUSES] } };
    if (result.verdict === "defer") {
      await database.message.updateMany({ where: pending, data: { status: "deferred", runAt: result.until, statusReason: result.reason } });
      return { outcome: "deferred", runAt: result.until };
    }
    const status = result.verdict === "skip" ? "skipped" : "cancelled";
    await database.message.updateMany({ where: pending, data: { status, statusReason: result.reason } });
    return { outcome: status, reason: result.reason };
  }

  // Claim the send: only one dispatcher can move the message from pending to sending.
  const claimed = await database.message.updateMany({
    where: { id: message.id, status: { in: [...PENDING_STATUSES] } },
    data: { status: "sending", sendingAt: now, attempts: { increment: 1 }, statusReason: null },
  });
  if (claimed.count === 0) return { outcome: "not_pending" };
  const attempts = message.attempts + 1;

  let outgoing: OutgoingMessage;
  try {
    outgoing = await deps.compose(message);
  } catch (error) {
    const reason = `could not be composed: ${(error as Error).message}`;
    await database.message.update({ where: { id: message.id }, data: { status: "failed", error: reason } });
    return { outcome: "failed", reason };
  }

  const provider = deps.providerFor(message.channel as Channel);
  try {
    const { externalId } = await provider.send(outgoing);
    await database.message.update({
      where: { id: message.id },
      data: { status: "sent", externalId, provider: provider.id, recipient: outgoing.to, sentAt: clock.now(), error: null },
    });
    return { outcome: "sent", externalId };
  } catch (error) {
    const providerError = error instanceof ProviderError ? error : null;
    const reason = (error as Error).message;
    if (providerError?.outcomeUnknown) {
      await database.message.update({ where: { id: message.id }, data: { status: "unknown", statusReason: reason, provider: provider.id } });
      return { outcome: "unknown", reason };
    }
    const retriable = providerError ? providerError.retriable : true;
    if (retriable && attempts < (deps.maxAttempts ?? 5)) {
      const runAt = nextAttemptAt({ now: clock.now(), attempts, retryAfterMs: providerError?.retryAfterMs });
      await database.message.update({ where: { id: message.id }, data: { status: "scheduled", runAt, error: reason, provider: provider.id } });
      return { outcome: "retry", runAt };
    }
    await database.message.update({ where: { id: message.id }, data: { status: "failed", error: reason, provider: provider.id } });
    return { outcome: "failed", reason };
  }
}

/** Recovery messages stop the moment the checkout is completed, even if a webhook was missed. */
export function alreadyBoughtCheck(database: Database): SendTimeCheck {
  return async (message) => {
    if (!message.checkoutToken) return { verdict: "send" };
    const checkout = await database.checkout.findUnique({ where: { shopId_token: { shopId: message.shopId, token: message.checkoutToken } } });
    if (checkout?.completedAt) return { verdict: "cancel", reason: "the shopper already bought" };
    const order = await database.order.findFirst({ where: { shopId: message.shopId, checkoutToken: message.checkoutToken } });
    return order ? { verdict: "cancel", reason: `the shopper already bought (order ${order.name})` } : { verdict: "send" };
  };
}

/** A shop that uninstalled Avisa gets nothing more sent on its behalf. */
export function shopInstalledCheck(database: Database): SendTimeCheck {
  return async (message) => {
    const shop = await database.shop.findUnique({ where: { id: message.shopId }, select: { uninstalledAt: true } });
    return shop && !shop.uninstalledAt ? { verdict: "send" } : { verdict: "cancel", reason: "the store uninstalled Avisa" };
  };
}
