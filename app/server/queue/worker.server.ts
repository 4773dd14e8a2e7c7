// The worker loop: claims due jobs, runs each kind's handler, and records the outcome.
//
//   handler resolves                      → complete
//   handler throws, attempts left         → retry at nextAttemptAt (a ProviderError's retryAfterMs is a floor)
//   handler throws, no attempts left, or
//   ProviderError that is not retriable   → fail, with the reason
//   no handler for the kind               → fail, with the reason
//
// It claims only as many jobs as it has free slots, so a claimed job never waits in memory
// while its lease runs down. A slot is free again as soon as the handler returns: the next
// claim does not wait for the previous outcomes to be written. Logs carry ids, kinds and
// reasons, never payloads.
//
// In the web process (AVISA_WORKER=inline) requests come first — jobs are asynchronous, a
// webhook must be answered within seconds:
//  - While requests marked with `foregroundRequest` are being answered, and for QUIET_AFTER_MS
//    after, the worker claims nothing. So that a steady stream of requests cannot stop it
//    altogether, it still claims one job per MAX_DEFER_MS.
//  - Jobs start one per event-loop turn, after the I/O that is waiting. With SQLite's
//    synchronous driver a job's queries resolve as microtasks: a batch of jobs started together
//    ran to the end before the process read another request. Now a request waits for one job
//    at most — and, since the SQLite adapter gives every statement a turn of its own
//    (sqlite-adapter.server.ts), for one statement of it.
// A worker process of its own (`npm run worker`) serves no requests and never waits, and starts
// the jobs of one claim together, in one turn: their statements made in the same turn are then
// coalesced (coalesce.server.ts), so ten dispatches read, claim and mark sent their ten messages
// with one statement each.
import { nextAttemptAt } from "../../domain/scheduling/backoff";
import { ProviderError } from "../../domain/errors";
import type { ClaimedJob, Clock, JobHandlers, JobQueue, Logger } from "../../domain/ports";

export type WorkerOptions = {
  queue: JobQueue;
  handlers: JobHandlers;
  clock: Clock;
  logger: Logger;
  /** Most jobs one claim takes. Default 10. */
  batchSize?: number;
  /** How long to wait before looking again once no job is due. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Handlers running at once in this process. Default 10. */
  concurrency?: number;
  /**
   * The worker runs inside the web process (AVISA_WORKER=inline): it gives way to requests, and
   * starts jobs one per event-loop turn. Default false: a worker process of its own.
   */
  inline?: boolean;
};

export type Worker = {
  /** Stops claiming and resolves once the jobs already claimed have finished and been recorded. */
  stop(): Promise<void>;
  /** Runs jobs until none is due and none is running; resolves with how many finished meanwhile (tests, scripts). */
  drain(): Promise<number>;
};

type Outcome = { status: "completed"; ms: number } | { status: "retry"; reason: string; runAt: Date } | { status: "failed"; reason: string; retriable: boolean };

type Claim = { claimed: number; full: boolean };

/**
 * No claim until requests have stopped for this long: under load the next one is about to come.
 * Generous on purpose: while a job runs on SQLite's synchronous driver no request is read, so
 * a gap that long can be the worker's own doing rather than the end of a burst.
 */
const QUIET_AFTER_MS = 200;
/**
 * However busy the process, one job is claimed at least this often. (Each such job delays the
 * requests that arrive while it runs — on SQLite ~20 ms — so not much more often than this.)
 */
const MAX_DEFER_MS = 5_000;
const QUIET_CHECK_MS = 5;

let foregroundActive = 0;
let foregroundEndedAt = -Infinity;

/**
 * Marks `work` as a request this process must answer promptly (server.mjs's webhook intake):
 * until it settles, and for QUIET_AFTER_MS after, the worker in this process claims no new job.
 */
export function foregroundRequest<T>(work: Promise<T>): Promise<T> {
  foregroundActive++;
  return work.finally(() => {
    foregroundActive--;
    foregroundEndedAt = performance.now();
  });
}

const foregroundBusy = () => foregroundActive > 0 || performance.now() - foregroundEndedAt < QUIET_AFTER_MS;

export function startWorker(options: WorkerOptions): Worker {
  const { queue, handlers, clock, logger } = options;
  const batchSize = positiveInteger(options.batchSize ?? 10, "batchSize");
  const concurrency = positiveInteger(options.concurrency ?? 10, "concurrency");
  const pollIntervalMs = Math.max(0, options.pollIntervalMs ?? 1000);
  const inline = options.inline ?? false;
  // Refill once half the slots are free: claims stay batched instead of one job at a time.
  const refillAt = Math.floor(concurrency / 2);

  const running = new Set<Promise<unknown>>(); // handlers in progress: these hold the slots
  const recording = new Set<Promise<unknown>>(); // outcomes being written
  let finished = 0;
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let waitingForSlots = false;
  let claimLock: Promise<unknown> = Promise.resolve();

  const wake = () => {
    wakeUp?.();
    wakeUp = null;
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => resolve(), ms) : undefined;
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const track = (set: Set<Promise<unknown>>, promise: Promise<unknown>) => {
    set.add(promise);
    promise.finally(() => set.delete(promise)).catch(() => undefined); // whoever awaits `promise` sees its error
  };

  /** Runs the job's handler and decides what becomes of the job. Never throws. */
  async function handle(job: ClaimedJob): Promise<Outcome> {
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
    if (!handler) {
      const known = Object.keys(handlers).join(", ") || "no kinds";
      return { status: "failed", reason: `no handler for job kind "${job.kind}": this worker only runs ${known}`, retriable: false };
    }
    const started = Date.now();
    try {
      await handler(job);
      return { status: "completed", ms: Date.now() - started };
    } catch (error) {
      const reason = describe(error);
      const permanent = error instanceof ProviderError && !error.retriable;
      if (permanent || job.attempts >= job.maxAttempts) return { status: "failed", reason, retriable: !permanent };
      const retryAfterMs = error instanceof ProviderError ? error.retryAfterMs : undefined;
      return { status: "retry", reason, runAt: nextAttemptAt({ now: clock.now(), attempts: job.attempts, retryAfterMs }) };
    }
  }

  async function record(job: ClaimedJob, outcome: Outcome): Promise<void> {
    const fields = { jobId: job.id, kind: job.kind, shopId: job.shopId, attempt: job.attempts, maxAttempts: job.maxAttempts };
    try {
      if (outcome.status === "completed") {
        await queue.complete(job.id);
        logger.debug("job completed", { ...fields, ms: outcome.ms });
      } else if (outcome.status === "retry") {
        logger.warn("job failed, will retry", { ...fields, error: outcome.reason, retryAt: outcome.runAt.toISOString() });
        await queue.retry(job.id, outcome.reason, outcome.runAt);
      } else {
        logger.error("job failed", { ...fields, error: outcome.reason, retriable: outcome.retriable });
        await queue.fail(job.id, outcome.reason);
      }
    } catch (error) {
      // Writing the outcome failed (database down, lease lost). The handler is not run again
      // here; the lease runs out and the queue hands the job out afresh.
      logger.error("job outcome not recorded", { ...fields, outcome: outcome.status, error: describe(error) });
    } finally {
      finished += 1;
    }
  }

  // Inline, each job starts in an event-loop turn of its own: the next start is scheduled only
  // once the previous job has had its turn, so the I/O that arrived meanwhile is read in between.
  let lastStart: Promise<void> = Promise.resolve();
  function start(job: ClaimedJob): void {
    let handled: Promise<Outcome>;
    if (inline) {
      const turn = lastStart.then(nextTurn);
      lastStart = turn;
      handled = turn.then(() => handle(job));
    } else {
      handled = handle(job);
    }
    track(running, handled);
    track(recording, handled.then((outcome) => record(job, outcome)));
    void handled.then(() => {
      if (waitingForSlots && running.size <= refillAt) wake();
    });
  }

  /** Waits while requests are being answered; true when it gave up waiting (MAX_DEFER_MS). */
  async function giveWayToRequests(): Promise<boolean> {
    if (!inline) return false;
    const started = performance.now();
    while (foregroundBusy() && !stopping) {
      if (performance.now() - started >= MAX_DEFER_MS) return true;
      await new Promise((resolve) => setTimeout(resolve, QUIET_CHECK_MS));
    }
    return false;
  }

  // Claims are made one at a time so two callers (the loop and drain) never overfill the slots.
  function claim(): Promise<Claim> {
    const result = claimLock.then(async (): Promise<Claim> => {
      const deferred = await giveWayToRequests();
      const room = Math.min(deferred ? 1 : batchSize, concurrency - running.size);
      if (stopping || room <= 0) return { claimed: 0, full: room <= 0 };
      const jobs = await queue.claimDue(clock.now(), room);
      for (const job of jobs) start(job);
      return { claimed: jobs.length, full: jobs.length === room };
    });
    claimLock = result.catch(() => undefined);
    return result;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let next: Claim = { claimed: 0, full: false };
      try {
        next = await claim();
      } catch (error) {
        logger.error("job claim failed", { error: describe(error) });
      }
      if (stopping) break;
      if (!next.full) {
        await pause(pollIntervalMs); // nothing more is due: look again later
      } else if (running.size > refillAt) {
        waitingForSlots = true; // busy: a finishing handler wakes us
        await pause(Infinity);
        waitingForSlots = false;
      }
      // else: a full batch and free slots, so more may be due: claim again at once
    }
  }

  const settled = async () => {
    while (running.size > 0 || recording.size > 0) await Promise.all([...running, ...recording]);
  };

  logger.info("worker started", { concurrency, batchSize, pollIntervalMs, inline });
  const looping = loop();

  return {
    async stop() {
      stopping = true;
      wake();
      await looping;
      await claimLock;
      await settled();
      logger.info("worker stopped", { finished });
    },

    async drain() {
      const before = finished;
      while (!stopping) {
        const { claimed } = await claim();
        const busy = [...running, ...recording];
        if (claimed === 0 && busy.length === 0) break;
        // Wait for some job to finish when nothing new was due (its retry may be) or every slot is taken.
        if (claimed === 0 || running.size >= concurrency) await Promise.race(busy);
      }
      await settled();
      return finished - before;
    },
  };
}

/** Resolves in the next event-loop turn, after the I/O already waiting. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function describe(error: unknown): string {
  if (error instanceof ProviderError) {
    return `${error.name}: ${error.message}${error.vendorCode ? ` (vendor code ${error.vendorCode})` : ""}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1`);
  return value;
}
