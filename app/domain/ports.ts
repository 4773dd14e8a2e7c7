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
};

/** One vendor (or the local outbox) that can deliver messages on one channel. */
export interface ChannelProvider {
  readonly id: string;
  readonly channel: Channel;
  send(message: OutgoingMessage): Promise<{ externalId: string }>;
  checkCredentials?(): Promise<{ ok: true } | { ok: false; reason: string }>;
}
