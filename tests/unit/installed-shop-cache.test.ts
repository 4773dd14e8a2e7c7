import { describe, expect, it } from "vitest";
import { FRESH_MS, MAX_STALE_MS, installedShopCache, type ShopRecord } from "../../app/server/services/installed-shop-cache.server";

const SHOP: ShopRecord = { id: "shop-1", domain: "casa.myshopify.com", uninstalled: false };

/** A lookup the test answers by hand, counting calls; and a clock the test moves. */
function harness(initial: ShopRecord | null = SHOP) {
  let time = 1_000_000;
  let answer: ShopRecord | null = initial;
  const calls: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const cache = installedShopCache(
    () =>
      new Promise<ShopRecord | null>((resolve, reject) => {
        calls.push({ resolve: () => resolve(answer), reject });
      }),
    () => time,
  );
  /** Answers every lookup still waiting. */
  const answerAll = async () => {
    for (const call of calls.splice(0)) call.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    cache,
    calls,
    advance: (ms: number) => (time += ms),
    answerWith: (shop: ShopRecord | null) => (answer = shop),
    answerAll,
    /** Looks the shop up once, so the cache remembers it (fresh). */
    remember: async () => {
      const first = cache.get(SHOP.domain);
      await answerAll();
      await first;
    },
  };
}

describe("the installed-shop cache of webhook intake", () => {
  it("answers a burst of deliveries for an unknown shop with one lookup", async () => {
    const { cache, calls, answerAll } = harness();
    const burst = Promise.all(Array.from({ length: 20 }, () => cache.get(SHOP.domain)));
    expect(calls).toHaveLength(1);
    await answerAll();
    expect(await burst).toEqual(Array.from({ length: 20 }, () => SHOP));
  });

  it("answers from memory while fresh, and while stale refreshes it in the background without making anyone wait", async () => {
    const { cache, calls, advance, answerAll, remember } = harness();
    await remember();

    advance(FRESH_MS - 1);
    expect(await cache.get(SHOP.domain)).toEqual(SHOP);
    expect(calls).toHaveLength(0);

    advance(2);
    // Stale: answered at once, with one refresh started for the whole burst.
    const burst = await Promise.all(Array.from({ length: 10 }, () => cache.get(SHOP.domain)));
    expect(burst.every((shop) => shop === SHOP)).toBe(true);
    expect(calls).toHaveLength(1);
    await answerAll();
    // Refreshed: fresh again.
    expect(await cache.get(SHOP.domain)).toEqual(SHOP);
    expect(calls).toHaveLength(0);
  });

  it("sees an uninstall made elsewhere once the refresh has read it, and then looks the shop up each time", async () => {
    const { cache, calls, advance, answerWith, answerAll, remember } = harness();
    await remember();
    answerWith({ ...SHOP, uninstalled: true });
    advance(FRESH_MS);
    expect(await cache.get(SHOP.domain)).toEqual(SHOP); // stale answer, refresh started
    await answerAll();
    const next = cache.get(SHOP.domain);
    expect(calls).toHaveLength(1); // not remembered: looked up
    await answerAll();
    expect(await next).toEqual({ ...SHOP, uninstalled: true });
  });

  it("waits for a lookup once an entry is older than the longest it may be served stale", async () => {
    const { cache, calls, advance, answerAll, remember } = harness();
    await remember();
    advance(MAX_STALE_MS);
    const late = cache.get(SHOP.domain);
    let settled = false;
    void late.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(calls).toHaveLength(1);
    await answerAll();
    expect(await late).toEqual(SHOP);
  });

  it("does not remember a lookup that was under way when the shop was forgotten (its uninstall)", async () => {
    const { cache, calls, answerAll } = harness();
    const during = cache.get(SHOP.domain);
    cache.forget(SHOP.domain); // the uninstall happens while the lookup runs
    await answerAll();
    expect(await during).toEqual(SHOP);
    const after = cache.get(SHOP.domain);
    expect(calls).toHaveLength(1); // looked up again, not served from memory
    await answerAll();
    await after;
  });

  it("keeps serving a stale entry when a background refresh fails, and passes a failed lookup on to the delivery waiting for it", async () => {
    const { cache, calls, advance, answerAll, remember } = harness();
    await remember();
    advance(FRESH_MS);
    expect(await cache.get(SHOP.domain)).toEqual(SHOP);
    calls.splice(0).forEach((call) => call.reject(new Error("connection refused")));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get(SHOP.domain)).toEqual(SHOP); // still stale, a new refresh started
    expect(calls).toHaveLength(1);

    const unknown = cache.get("other.myshopify.com");
    calls.splice(0).forEach((call) => call.reject(new Error("connection refused")));
    await expect(unknown).rejects.toThrow("connection refused");
  });

  it("remembers neither an unknown shop nor an uninstalled one", async () => {
    const { cache, calls, answerAll } = harness(null);
    const unknown = cache.get("nobody.myshopify.com");
    await answerAll();
    expect(await unknown).toBeNull();
    const again = cache.get("nobody.myshopify.com");
    expect(calls).toHaveLength(1);
    await answerAll();
    await again;
  });
});
