// Calls made in the same event-loop turn, answered by one statement. Ten jobs started together
// each read their message, claim it and mark it sent: through this, those are three statements
// for the ten instead of thirty (one round trip and, on SQLite, one commit each), the pattern of
// DataLoader. A call waits at most one turn for its batch.

/**
 * Returns a function whose calls in one turn are collected and passed to `run` together, in the
 * next turn (at most `maxBatch` inputs per run). `run` answers with one result per input, in the
 * same order; when it throws, every call of that batch rejects with the error.
 */
export function coalescedByTurn<Input, Result>(run: (inputs: Input[]) => Promise<Result[]>, maxBatch = 100): (input: Input) => Promise<Result> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError("maxBatch must be a whole number of at least 1");
  let waiting: Array<{ input: Input; resolve: (result: Result) => void; reject: (error: unknown) => void }> = [];

  function flush(): void {
    const calls = waiting;
    waiting = [];
    for (let start = 0; start < calls.length; start += maxBatch) {
      const batch = calls.slice(start, start + maxBatch);
      // The batches of one flush run side by side, as the separate calls would have.
      // A `run` that throws at once rejects its batch like one that fails later.
      void Promise.resolve(batch.map((call) => call.input)).then(run).then(
        (results) => {
          if (results.length !== batch.length) {
            const error = new Error(`a coalesced batch of ${batch.length} calls got ${results.length} results`);
            for (const call of batch) call.reject(error);
            return;
          }
          batch.forEach((call, index) => call.resolve(results[index]));
        },
        (error: unknown) => {
          for (const call of batch) call.reject(error);
        },
      );
    }
  }

  return (input) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (waiting.length === 1) setImmediate(flush);
    });
}
