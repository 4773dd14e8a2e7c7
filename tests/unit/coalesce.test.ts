import { describe, expect, it } from "vitest";
import { coalescedByTurn } from "../../app/server/coalesce.server";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("coalescedByTurn", () => {
  it("answers the calls of one turn with one run, each with its own result, in order", async () => {
    const runs: number[][] = [];
    const double = coalescedByTurn(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs.map((input) => input * 2);
    });
    const results = await Promise.all([double(1), double(2), double(3)]);
    expect(results).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it("starts a new batch for calls made after the flush", async () => {
    const runs: string[][] = [];
    const echo = coalescedByTurn(async (inputs: string[]) => {
      runs.push(inputs);
      return inputs;
    });
    const first = echo("a");
    await nextTurn();
    const second = echo("b");
    expect(await Promise.all([first, second])).toEqual(["a", "b"]);
    expect(runs).toEqual([["a"], ["b"]]);
  });

  it("splits a turn's calls into runs of at most maxBatch", async () => {
    const runs: number[][] = [];
    const same = coalescedByTurn(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs;
    }, 2);
    expect(await Promise.all([1, 2, 3, 4, 5].map(same))).toEqual([1, 2, 3, 4, 5]);
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("rejects every call of a failed run, and only those", async () => {
    let runsSoFar = 0;
    const flaky = coalescedByTurn(async (inputs: number[]) => {
      runsSoFar += 1;
      if (runsSoFar === 1) throw new Error("database went away");
      return inputs;
    }, 2);
    const settled = await Promise.allSettled([flaky(1), flaky(2), flaky(3)]);
    expect(settled.map((result) => result.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect((settled[0] as PromiseRejectedResult).reason.message).toBe("database went away");
  });

  it("rejects the calls when run throws at once, or answers with the wrong number of results", async () => {
    const throwsAtOnce = coalescedByTurn((): Promise<number[]> => {
      throw new Error("bad statement");
    });
    await expect(throwsAtOnce(1)).rejects.toThrow("bad statement");
    const short = coalescedByTurn(async (inputs: number[]) => inputs.slice(1));
    await expect(Promise.all([short(1), short(2)])).rejects.toThrow("a coalesced batch of 2 calls got 1 results");
  });

  it("refuses a maxBatch that is not a whole number of at least 1", () => {
    expect(() => coalescedByTurn(async (inputs: number[]) => inputs, 0)).toThrow(RangeError);
  });
});
