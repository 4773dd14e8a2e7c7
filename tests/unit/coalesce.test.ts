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

  it("runs each call of a failed batch again alone, so one bad input fails only its own call", async () => {
    const runs: number[][] = [];
    const positive = coalescedByTurn(async (inputs: number[]) => {
      runs.push(inputs);
      if (inputs.some((input) => input < 0)) throw new Error("negative input");
      return inputs;
    });
    const settled = await Promise.allSettled([positive(1), positive(-2), positive(3)]);
    expect(settled.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe("negative input");
    expect(runs).toEqual([[1, -2, 3], [1], [-2], [3]]);
  });

  it("rejects every call when the run keeps failing, or throws at once, or answers with the wrong number of results", async () => {
    const down = coalescedByTurn(async (): Promise<number[]> => {
      throw new Error("database went away");
    });
    const settled = await Promise.allSettled([down(1), down(2)]);
    expect(settled.map((result) => (result as PromiseRejectedResult).reason?.message)).toEqual(["database went away", "database went away"]);
    const throwsAtOnce = coalescedByTurn((): Promise<number[]> => {
      throw new Error("bad statement");
    });
    await expect(throwsAtOnce(1)).rejects.toThrow("bad statement");
    const short = coalescedByTurn(async (inputs: number[]) => inputs.slice(1));
    await expect(short(1)).rejects.toThrow("a coalesced batch of 1 calls got 0 results");
  });

  it("refuses a maxBatch that is not a whole number of at least 1", () => {
    expect(() => coalescedByTurn(async (inputs: number[]) => inputs, 0)).toThrow(RangeError);
  });
});
