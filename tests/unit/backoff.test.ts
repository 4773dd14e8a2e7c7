import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_MAX_MS, nextAttemptAt } from "../../app/domain/scheduling/backoff";

const now = new Date("2026-03-01T12:00:00.000Z");
const delayOf = (input: Omit<Parameters<typeof nextAttemptAt>[0], "now">) => nextAttemptAt({ now, ...input }).getTime() - now.getTime();

describe("nextAttemptAt", () => {
  it("waits at least the base delay, even when the dice roll zero", () => {
    expect(delayOf({ attempts: 1, baseMs: 1000, random: () => 0 })).toBe(1000);
    expect(delayOf({ attempts: 5, baseMs: 1000, random: () => 0 })).toBe(1000);
  });

  it("doubles the window with each attempt", () => {
    const widest = (attempts: number) => delayOf({ attempts, baseMs: 1000, maxMs: 1e9, random: () => 1 });
    expect([1, 2, 3, 4].map(widest)).toEqual([2000, 4000, 8000, 16000]);
  });

  it("draws the delay uniformly inside the window (full jitter)", () => {
    expect(delayOf({ attempts: 3, baseMs: 1000, maxMs: 1e9, random: () => 0.5 })).toBe(1000 + 0.5 * 7000);
  });

  it("caps the window at maxMs however many attempts were made", () => {
    expect(delayOf({ attempts: 40, baseMs: 1000, maxMs: 60_000, random: () => 1 })).toBe(60_000);
    expect(delayOf({ attempts: 5000, baseMs: 1000, maxMs: 60_000, random: () => 0.999 })).toBeLessThanOrEqual(60_000);
  });

  it("never runs before the provider's Retry-After, and still spreads jobs after it", () => {
    const early = delayOf({ attempts: 1, baseMs: 1000, retryAfterMs: 30_000, random: () => 0 });
    const late = delayOf({ attempts: 1, baseMs: 1000, retryAfterMs: 30_000, random: () => 0.99 });
    expect(early).toBe(30_000);
    expect(late).toBeGreaterThan(30_000);
    expect(late).toBeLessThanOrEqual(31_000);
  });

  it("ignores a Retry-After shorter than the backoff, and nonsense ones", () => {
    expect(delayOf({ attempts: 2, baseMs: 1000, retryAfterMs: 10, random: () => 0 })).toBe(1000);
    expect(delayOf({ attempts: 2, baseMs: 1000, retryAfterMs: Number.NaN, random: () => 0 })).toBe(1000);
    expect(delayOf({ attempts: 2, baseMs: 1000, retryAfterMs: -5000, random: () => 0 })).toBe(1000);
  });

  it("keeps the delay inside the window when the random source misbehaves", () => {
    expect(delayOf({ attempts: 1, baseMs: 1000, random: () => 7 })).toBe(2000);
    expect(delayOf({ attempts: 1, baseMs: 1000, random: () => -1 })).toBe(1000);
    expect(delayOf({ attempts: 1, baseMs: 1000, random: () => Number.NaN })).toBe(1000);
  });

  it("treats a missing or zero attempt count as the first failure", () => {
    expect(delayOf({ attempts: 0, baseMs: 1000, random: () => 1 })).toBe(2000);
  });

  it("uses 10 s to 1 h by default and real randomness that varies", () => {
    const delays = Array.from({ length: 50 }, () => delayOf({ attempts: 30 }));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(DEFAULT_BACKOFF_BASE_MS);
      expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF_MAX_MS);
    }
    expect(new Set(delays).size).toBeGreaterThan(1);
  });
});
