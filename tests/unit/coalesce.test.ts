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

  it("with gatherTurns: 2, lets the calls of the next turn join the batch too", async () => {
    const runs: string[][] = [];
    const echo = coalescedByTurn(async (inputs: string[]) => {
      runs.push(inputs);
      return inputs;
    }, { gatherTurns: 2 });
    const first = echo("a");
    await nextTurn();
    const second = echo("b");
    await nextTurn();
    await nextTurn();
    const third = echo("c");
    expect(await Promise.all([first, second, third])).toEqual(["a", "b", "c"]);
    expect(runs).toEqual([["a", "b"], ["c"]]);
    expect(() => coalescedByTurn(async (inputs: string[]) => inputs, { gatherTurns: 0 })).toThrow(RangeError);
  });

  it("splits a turn's calls into runs of at most maxBatch", async () => {
    const runs: number[][] = [];
    const same = coalescedByTurn(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs;
    }, { maxBatch: 2 });
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

  it("with maxInFlight, holds new calls while the runs are busy and gives them all to the next free slot (group commit)", async () => {
    const runs: number[][] = [];
    const finishRun: Array<() => void> = [];
    const slow = coalescedByTurn(
      async (inputs: number[]) => {
        runs.push(inputs);
        await new Promise<void>((resolve) => finishRun.push(resolve));
        return inputs;
      },
      { maxInFlight: 1 },
    );
    const first = slow(1);
    await nextTurn();
    expect(runs).toEqual([[1]]);
    // Three calls in two later turns, all while the first run is under way: they wait.
    const waiting = [slow(2), slow(3)];
    await nextTurn();
    waiting.push(slow(4));
    await nextTurn();
    expect(runs).toEqual([[1]]);
    finishRun[0]();
    expect(await first).toBe(1);
    await nextTurn(); // the slot is freed just after the first call is answered,
    await nextTurn(); // and the waiting calls go at the end of that turn
    expect(runs).toEqual([[1], [2, 3, 4]]);
    finishRun[1]();
    expect(await Promise.all(waiting)).toEqual([2, 3, 4]);
  });

  it("with maxInFlight of 2, runs two batches side by side and no more", async () => {
    let running = 0;
    let mostRunning = 0;
    const tracked = coalescedByTurn(
      async (inputs: number[]) => {
        mostRunning = Math.max(mostRunning, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return inputs;
      },
      { maxBatch: 1, maxInFlight: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map(tracked))).toEqual([1, 2, 3, 4, 5]);
    expect(mostRunning).toBe(2);
  });

  it("refuses a maxBatch or maxInFlight that is not a whole number of at least 1", () => {
    expect(() => coalescedByTurn(async (inputs: number[]) => inputs, { maxBatch: 0 })).toThrow(RangeError);
    expect(() => coalescedByTurn(async (inputs: number[]) => inputs, { maxInFlight: 0.5 })).toThrow(RangeError);
  });
});
