// Errors with a code a route can map to an HTTP status, and a message a person can act on.
export type AppErrorCode =
  | "bad_request"
  | "unauthorized"
  | "not_found"
  | "payload_too_large"
  | "conflict"
  | "unavailable";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/**
 * A vendor refused or failed a call. `retriable` and `retryAfterMs` drive the job backoff.
 * `outcomeUnknown`: the request left but no answer came (timeout, dropped connection), so the
 * vendor may have sent it — the message becomes `unknown`, never sent again automatically.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    readonly retryAfterMs?: number,
    readonly vendorCode?: string,
    readonly outcomeUnknown = false,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
