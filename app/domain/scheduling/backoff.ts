// When a failed job runs again: exponential backoff with full jitter, capped, and never
// earlier than a provider's Retry-After. Pure: the caller passes the time and, in tests, the dice.

export type BackoffInput = {
  now: Date;
  /** Attempts made so far, including the one that just failed (1 after the first failure). */
  attempts: number;
  /** The shortest wait, and the unit the window doubles from. Default 10 seconds. */
  baseMs?: number;
  /** The widest the exponential window grows. Default 1 hour. */
  maxMs?: number;
  /** A provider's Retry-After (or rate-limit reset), in milliseconds from `now`. */
  retryAfterMs?: number;
  /** Returns a number in [0, 1). Default Math.random. */
  random?: () => number;
};

export const DEFAULT_BACKOFF_BASE_MS = 10_000;
export const DEFAULT_BACKOFF_MAX_MS = 60 * 60 * 1000;

/**
 * The delay is drawn uniformly from a window that doubles with each attempt
 * ([base, base·2^attempts], capped at maxMs), so retries of many jobs that failed together
 * (a provider outage) spread out instead of arriving as one wave.
 *
 * A Retry-After moves the start of the window, not its width: the job never runs before the
 * provider asked, and jobs rate-limited together still do not all return at the same instant.
 */
export function nextAttemptAt(input: BackoffInput): Date {
  const baseMs = Math.max(0, input.baseMs ?? DEFAULT_BACKOFF_BASE_MS);
  const maxMs = Math.max(baseMs, input.maxMs ?? DEFAULT_BACKOFF_MAX_MS);
  const attempts = Math.max(1, Math.floor(input.attempts));
  const random = input.random ?? Math.random;

  const ceiling = Math.min(maxMs, baseMs * 2 ** attempts);
  const spread = ceiling - baseMs;
  const floor = Math.max(baseMs, validDelay(input.retryAfterMs));
  const delayMs = floor + clampUnit(random()) * spread;
  return new Date(input.now.getTime() + Math.ceil(delayMs));
}

function validDelay(ms: number | undefined): number {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : 0;
}

// A bad random source must not produce a delay outside the window.
function clampUnit(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
}
