// A message's life. Status only moves along these transitions; anything else is a bug or a
// stale vendor callback, and is refused (the caller logs it and keeps the stored status).

export const MESSAGE_STATUSES = [
  "scheduled", // written, waiting for its runAt
  "deferred", // due, but held back (quiet hours, frequency cap) until a later runAt
  "sending", // handed to the provider; the outcome is not known yet
  "sent", // the provider accepted it (externalId known)
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "failed", // the provider refused it for good, or retries ran out
  "cancelled", // no longer wanted (e.g. the shopper bought before the recovery message)
  "skipped", // never sent, with a reason (no consent, invalid number, ...)
  "unknown", // the process died while the provider call was under way: never blindly repeated
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const TRANSITIONS: Record<MessageStatus, readonly MessageStatus[]> = {
  scheduled: ["sending", "deferred", "cancelled", "skipped"],
  deferred: ["sending", "deferred", "cancelled", "skipped"],
  // A retriable provider error sends it back to scheduled with a later runAt.
  sending: ["sent", "failed", "unknown", "scheduled"],
  sent: ["delivered", "opened", "clicked", "bounced", "failed"],
  delivered: ["opened", "clicked", "bounced"],
  opened: ["clicked", "opened"],
  clicked: ["clicked"],
  // A vendor callback can still tell what happened to an unknown send; a merchant can discard it.
  unknown: ["sent", "delivered", "failed", "bounced", "cancelled"],
  bounced: [],
  failed: [],
  cancelled: [],
  skipped: [],
};

/** Statuses from which a message may still be sent (and so may still be cancelled or deferred). */
export const PENDING_STATUSES: readonly MessageStatus[] = ["scheduled", "deferred"];

export function isMessageStatus(value: string): value is MessageStatus {
  return (MESSAGE_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses a message can move to from `from`. */
export function nextStatuses(from: MessageStatus): readonly MessageStatus[] {
  return TRANSITIONS[from];
}

export function isFinal(status: MessageStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
