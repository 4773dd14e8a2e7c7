// Calls made in the same event-loop turn, answered by one statement. Ten jobs started together
// each read their message, claim it and mark it sent: through this, those are three statements
// for the ten instead of thirty (one round trip and, on SQLite, one commit each), the pattern of
// DataLoader. A call waits at most one turn for its batch.

/**
 * Returns a function whose calls in one turn are collected and passed to `run` together, in the
 * next turn (at most `maxBatch` inputs per run). `run` answers with one result per input, in the
 * same order. When a run of several inputs fails, each is run again alone, so one bad input (or
 * a statement it breaks) fails only its own call, as the ledger writer does; `run` must therefore
 * leave nothing behind when it throws (one statement, or one transaction).
 */
export function coalescedByTurn<Input, Result>(run: (inputs: Input[]) => Promise<Result[]>, maxBatch = 100): (input: Input) => Promise<Result> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError("maxBatch must be a whole number of at least 1");
  type Call = { input: Input; resolve: (result: Result) => void; reject: (error: unknown) => void };
  let waiting: Call[] = [];

  /** Runs one batch; a `run` that throws at once fails like one that fails later. */
  async function runBatch(batch: Call[]): Promise<Result[]> {
    const results = await run(batch.map((call) => call.input));
    if (results.length !== batch.length) throw new Error(`a coalesced batch of ${batch.length} calls got ${results.length} results`);
    return results;
  }

  async function settle(batch: Call[]): Promise<void> {
    try {
      const results = await runBatch(batch);
      batch.forEach((call, index) => call.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((call) => settle([call])));
    }
  }

  function flush(): void {
    const calls = waiting;
    waiting = [];
    // The batches of one flush run side by side, as the separate calls would have.
    for (let start = 0; start < calls.length; start += maxBatch) void settle(calls.slice(start, start + maxBatch));
  }

  return (input) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (waiting.length === 1) setImmediate(flush);
    });
}
