// Interfaces the domain needs from the outside world. Adapters live in app/server.

export interface Clock {
  /** The current instant. The demo clock can be ahead of the wall clock. */
  now(): Date;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Runs one Admin GraphQL operation for a shop and returns Shopify's `{ data, errors }` body. */
export type AdminGraphql = <T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
) => Promise<{ data?: T; errors?: Array<{ message: string }> }>;

export type Channel = "email" | "sms" | "whatsapp";

export type OutgoingMessage = {
  shopId: string;
  channel: Channel;
  to: string;
  subject?: string;
  html?: string;
  text: string;
  metadata?: Record<string, string>;
  /** Where the shopper's answer should go, instead of the sender's default. Email providers only. */
  replyTo?: string;
  /** Extra email headers (e.g. List-Unsubscribe). Email providers only. */
  headers?: Record<string, string>;
  /** A pre-approved WhatsApp template (Twilio Content API) sent instead of free-form text. */
  contentSid?: string;
  /** Values for the template's numbered placeholders, e.g. { "1": "Ana" }. */
  contentVariables?: Record<string, string>;
  /** Public URLs of images to attach (MMS / WhatsApp media). */
  mediaUrls?: string[];
};

/** One vendor (or the local outbox) that can deliver messages on one channel. */
export interface ChannelProvider {
  readonly id: string;
  readonly channel: Channel;
  send(message: OutgoingMessage): Promise<{ externalId: string }>;
  checkCredentials?(): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** A job as a worker sees it once claimed. Payloads are JSON. */
export type ClaimedJob = {
  id: string;
  shopId: string | null;
  kind: string;
  payload: unknown;
  /** Attempts so far, including this one. */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
};

export type NewJob = { kind: string; shopId?: string | null; payload?: unknown; maxAttempts?: number };

/**
 * The durable job queue in the application database. Works on SQLite (one worker process)
 * and on PostgreSQL with any number of worker processes (claims use FOR UPDATE SKIP LOCKED).
 */
export interface JobQueue {
  /** Idempotent on `idempotencyKey`: a second enqueue with the same key returns the first job. */
  enqueue(job: NewJob, options: { runAt: Date; idempotencyKey?: string }): Promise<{ id: string; created: boolean }>;
  /** Claims up to `limit` jobs due at `now` (and jobs whose lease expired), leasing them. */
  claimDue(now: Date, limit: number): Promise<ClaimedJob[]>;
  complete(id: string): Promise<void>;
  retry(id: string, error: string, runAt: Date): Promise<void>;
  fail(id: string, error: string): Promise<void>;
}

/** What the worker runs for each job kind. Throwing retries with backoff (ProviderError may say when). */
export type JobHandlers = Record<string, (job: ClaimedJob) => Promise<void>>;
