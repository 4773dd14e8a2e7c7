// Sends one due message, at most once. Everything is re-checked at send time (still wanted?
// already bought? consent, channel, quiet hours, frequency cap), the content is composed, the
// message is marked `sending` before the provider call, and a message found still `sending`
// when its job runs again means the process died mid-call: it becomes `unknown`, never re-sent.
// Every step leaves an entry on the message's timeline (MessageEvent).
import { ProviderError } from "../../domain/errors";
import { englishReason, errorData, reason, statusReasonData, type MessageReason } from "../../domain/messages/message-reason";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import type { ChannelProvider, Channel, Clock, OutgoingMessage } from "../../domain/ports";
import { nextAttemptAt } from "../../domain/scheduling/backoff";
import type { Database } from "../db.server";
import { messageSending } from "../repositories/message-sending.server";
import { recordMessageEvent } from "./schedule-message.server";

export type MessageRow = Awaited<ReturnType<Database["message"]["findUniqueOrThrow"]>>;

export type SendTimeVerdict =
  | { verdict: "send" }
  /** Send on this channel to this address (the first usable channel of the automation's order). */
  | { verdict: "route"; channel: Channel; to: string; whatsappMode?: "free_form" | "template" }
  /** `reason` is stored as a code for the admin; `text` is the English when the deciding rule words its own (else englishReason). */
  | { verdict: "defer"; until: Date; reason: MessageReason; text?: string }
  | { verdict: "skip"; reason: MessageReason; text?: string }
  | { verdict: "cancel"; reason: MessageReason; text?: string };

/** The shop as the send-time checks need it, read once per dispatch (null: its data is gone). */
export type DispatchShop = { uninstalledAt: Date | null; settings: string; timeZone: string; email: string | null } | null;

/** One rule applied just before sending. Checks run in order; the first that objects wins. */
export type SendTimeCheck = (message: MessageRow, now: Date, shop: DispatchShop) => Promise<SendTimeVerdict>;

/** Renders a message's content for its recipient (templates, locale) at send time. */
export type MessageComposer = (message: MessageRow, route: { whatsappMode?: "free_form" | "template" }) => Promise<OutgoingMessage>;

export type DispatchDependencies = {
  database: Database;
  clock: Clock;
  providerFor: (channel: Channel) => ChannelProvider | Promise<ChannelProvider>;
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

type RecordEvent = (type: string, detail?: string | null, why?: MessageReason | null) => Promise<void>;

export async function dispatchMessage(messageId: string, deps: DispatchDependencies): Promise<DispatchOutcome> {
  const { database, clock } = deps;
  const store = messageSending(database);
  const found = await store.messageWithShop(messageId);
  if (!found) return { outcome: "not_pending" };
  let message = found.message;
  const shop = found.shop;
  const now = clock.now();
  const event: RecordEvent = (type, detail, why) => recordMessageEvent(database, { shopId: message.shopId, messageId: message.id, type, detail, reason: why, at: clock.now() });
  const pending = { id: message.id, status: { in: [...PENDING_STATUSES] } };

  if (message.status === "sending") {
    // Only a crashed attempt leaves a message in `sending` for its job to find again.
    const interrupted = reason("interrupted");
    const data = statusReasonData(interrupted);
    const { count } = await database.message.updateMany({ where: { id: message.id, status: "sending" }, data: { status: "unknown", ...data } });
    if (count) await event("unknown", data.statusReason, interrupted);
    return { outcome: "unknown", reason: data.statusReason! };
  }
  if (!(PENDING_STATUSES as readonly string[]).includes(message.status)) return { outcome: "not_pending" };
  if (message.runAt > now) return { outcome: "not_due", runAt: message.runAt };

  let whatsappMode: "free_form" | "template" | undefined;
  for (const check of deps.checks) {
    const result = await check(message, now, shop);
    if (result.verdict === "send") continue;
    if (result.verdict === "route") {
      if (result.channel !== message.channel) await event("channel", null, reason("channel_switched", { from: message.channel as Channel, to: result.channel }));
      message = { ...message, channel: result.channel, recipient: result.to };
      whatsappMode = result.whatsappMode;
      continue;
    }
    const data = statusReasonData(result.reason, result.text);
    if (result.verdict === "defer") {
      const { count } = await database.message.updateMany({ where: pending, data: { status: "deferred", runAt: result.until, ...data } });
      if (count) await event("deferred", data.statusReason, result.reason);
      return { outcome: "deferred", runAt: result.until };
    }
    const status = result.verdict === "skip" ? "skipped" : "cancelled";
    const { count } = await database.message.updateMany({ where: pending, data: { status, ...data } });
    if (count) await event(status, data.statusReason, result.reason);
    return { outcome: status, reason: data.statusReason! };
  }

  // Composed before the claim: nothing has left yet, so a composing failure can be retried safely.
  let outgoing: OutgoingMessage;
  try {
    outgoing = await deps.compose(message, { whatsappMode });
  } catch (error) {
    return settleFailure(error, message, message.attempts + 1, deps, event, "compose");
  }

  // Claim the send: only one dispatcher can move the message from pending to sending.
  const claimed = await store.claim(message.id, { now, channel: message.channel, recipient: outgoing.to });
  if (!claimed) return { outcome: "not_pending" };
  const attempts = message.attempts + 1;

  const provider = await deps.providerFor(message.channel as Channel);
  let externalId: string;
  try {
    ({ externalId } = await provider.send(outgoing));
  } catch (error) {
    return settleFailure(error, message, attempts, deps, event, "send", provider.id);
  }
  // Outside the try: the provider has accepted it, so a failure to record that must not turn
  // into a retry. The message stays `sending`, and its job's next run marks it `unknown`.
  const content = JSON.stringify({ subject: outgoing.subject ?? null, text: outgoing.text, html: outgoing.html ?? null, contentSid: outgoing.contentSid ?? null });
  const sentAt = clock.now();
  await store.markSent({
    id: message.id, externalId, provider: provider.id, recipient: outgoing.to, sentAt, content,
    event: { detail: `${provider.id} ${externalId}`, at: sentAt },
  });
  return { outcome: "sent", externalId };
}

/** `stage`: composing (Avisa's side, never the vendor's words) or the provider call. */
async function settleFailure(
  error: unknown, message: MessageRow, attempts: number, deps: DispatchDependencies,
  event: RecordEvent, stage: "compose" | "send", providerId?: string,
): Promise<DispatchOutcome> {
  const { database, clock } = deps;
  const providerError = error instanceof ProviderError ? error : null;
  const provider = providerId ?? null;
  const why = stage === "compose"
    ? reason("compose_failed", { error: (error as Error).message })
    : reason("provider_error", { provider, error: (error as Error).message });
  const text = englishReason(why);
  if (providerError?.outcomeUnknown) {
    await database.message.update({ where: { id: message.id }, data: { status: "unknown", ...statusReasonData(why), provider } });
    await event("unknown", text, why);
    return { outcome: "unknown", reason: text };
  }
  const retriable = providerError ? providerError.retriable : stage === "send"; // a composing bug is not fixed by waiting
  if (retriable && attempts < (deps.maxAttempts ?? 5)) {
    const runAt = nextAttemptAt({ now: clock.now(), attempts, retryAfterMs: providerError?.retryAfterMs });
    await database.message.update({ where: { id: message.id }, data: { status: "scheduled", runAt, ...errorData(why), provider, attempts } });
    await event("retry", `${text} — trying again at ${runAt.toISOString()}`, why);
    return { outcome: "retry", runAt };
  }
  await database.message.update({ where: { id: message.id }, data: { status: "failed", ...errorData(why), ...statusReasonData(why), provider, attempts } });
  await event("failed", text, why);
  return { outcome: "failed", reason: text };
}

/** Recovery messages stop the moment the checkout is completed, even if a webhook was missed. */
export function alreadyBoughtCheck(database: Database): SendTimeCheck {
  return async (message) => {
    if (!message.checkoutToken) return { verdict: "send" };
    const checkout = await database.checkout.findUnique({ where: { shopId_token: { shopId: message.shopId, token: message.checkoutToken } } });
    if (checkout?.completedAt) return { verdict: "cancel", reason: reason("already_bought") };
    const order = await database.order.findFirst({ where: { shopId: message.shopId, checkoutToken: message.checkoutToken } });
    return order ? { verdict: "cancel", reason: reason("already_bought_order", { order: order.name }) } : { verdict: "send" };
  };
}

/** A shop that uninstalled Avisa gets nothing more sent on its behalf. */
export function shopInstalledCheck(): SendTimeCheck {
  return async (_message, _now, shop) => {
    return shop && !shop.uninstalledAt ? { verdict: "send" } : { verdict: "cancel", reason: reason("shop_uninstalled") };
  };
}
