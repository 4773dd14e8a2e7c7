// One message per (shop, automation, step, subject): the key that makes "sent at most once"
// hold across retried webhooks, replayed jobs and concurrent workers.
export function messageIdempotencyKey(message: { shopId: string; automation: string; step: number; subject: string }): string {
  for (const part of [message.shopId, message.automation, message.subject]) {
    if (!part || part.includes("|")) throw new Error(`idempotency key parts must be non-empty and free of "|": ${JSON.stringify(part)}`);
  }
  return [message.shopId, message.automation, String(message.step), message.subject].join("|");
}
