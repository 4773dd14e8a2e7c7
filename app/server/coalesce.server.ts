// Calls made in the same event-loop turn, answered by one statement. Ten jobs started together
// each read their message, claim it and mark it sent: through this, those are three statements
// for the ten instead of thirty (one round trip and, on SQLite, one commit each), the pattern of
// DataLoader. A call waits at most one turn for its batch (without `maxInFlight`, and with one
// `gatherTurns`).
//
// With `maxInFlight`, it is also group commit: while that many batches are running, new calls
// wait, and the next free slot takes everything that gathered meanwhile as one batch. Webhook
// intake writes its ledger this way, so under load one commit carries many deliveries.

export type CoalesceOptions = {
  /** Inputs per run, at most (a statement's parameter limit, say). */
  maxBatch?: number;
  /** Runs under way at once, at most; calls made while all are busy wait for a free one. */
  maxInFlight?: number;
  /**
   * Event-loop turns a batch gathers calls for before it runs (default 1: the calls of this
   * turn). Each extra turn lets node poll for I/O once more first, so requests that are just
   * arriving join the batch instead of starting the next one.
   */
  gatherTurns?: number;
};

/**
 * Returns a function whose calls in one turn are collected and passed to `run` together, in the
 * next turn (at most `maxBatch` inputs per run, at most `maxInFlight` runs at a time). `run`
 * answers with one result per input, in the same order. When a run of several inputs fails, each
 * is run again alone, one after another in the same slot, so one bad input (or a statement it
 * breaks) fails only its own call; `run` must therefore leave nothing behind when it throws (one
 * statement, or one transaction).
 */
export function coalescedByTurn<Input, Result>(run: (inputs: Input[]) => Promise<Result[]>, options: CoalesceOptions = {}): (input: Input) => Promise<Result> {
  const { maxBatch = 100, maxInFlight = Number.POSITIVE_INFINITY, gatherTurns = 1 } = options;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError("maxBatch must be a whole number of at least 1");
  if (!Number.isInteger(gatherTurns) || gatherTurns < 1) throw new RangeError("gatherTurns must be a whole number of at least 1");
  if (!(maxInFlight === Number.POSITIVE_INFINITY || (Number.isInteger(maxInFlight) && maxInFlight >= 1))) {
    throw new RangeError("maxInFlight must be a whole number of at least 1");
  }
  type Call = { input: Input; resolve: (result: Result) => void; reject: (error: unknown) => void };
  const waiting: Call[] = [];
  let inFlight = 0;
  let flushScheduled = false;

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
      for (const call of batch) await settle([call]);
    }
  }

  /** Flushes at the end of this turn (or `gatherTurns` turns from now), so every call made meanwhile joins, if a slot is free. */
  function scheduleFlush(): void {
    if (flushScheduled || waiting.length === 0 || inFlight >= maxInFlight) return;
    flushScheduled = true;
    afterTurns(gatherTurns, flush);
  }

  function flush(): void {
    flushScheduled = false;
    // The batches of one flush run side by side (up to maxInFlight), as separate calls would have.
    while (waiting.length > 0 && inFlight < maxInFlight) {
      inFlight++;
      void settle(waiting.splice(0, maxBatch)).finally(() => {
        inFlight--;
        scheduleFlush();
      });
    }
  }

  return (input) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      scheduleFlush();
    });
}

/** Calls `then` at the end of the `turns`-th event-loop turn from now (1: this one). */
function afterTurns(turns: number, then: () => void): void {
  setImmediate(turns <= 1 ? then : () => afterTurns(turns - 1, then));
}
