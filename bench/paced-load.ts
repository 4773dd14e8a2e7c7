// Open-loop load at a fixed rate for bench/intake.ts: request i is due at start + i / rate,
// whether or not earlier ones have been answered, and its latency is measured from the moment
// it was due (so a server that falls behind is charged for the queue it builds up — no
// coordinated omission). Keep-alive connections are opened as needed, up to maxSockets.
// (autocannon's overallRate, by contrast, lets each connection send its per-second quota back
// to back at the start of every second: bursts, not a steady rate.)
import { appendFileSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import type { SignedDelivery } from "./webhook-pool";

export type PacedOptions = {
  url: string;
  path: string;
  rate: number;
  durationMs: number;
  next: () => SignedDelivery;
  /** Default 5000: Shopify counts a delivery without a 2xx within 5 s as failed and retries it. */
  timeoutMs?: number;
  maxSockets?: number;
};

export type LoadOutcome = {
  /** Responses by status code. */
  statuses: Map<number, number>;
  errors: number;
  timeouts: number;
  /**
   * Latency of every request, in ms (for paced load: from when it was due). A request that
   * timed out counts as Infinity, so percentiles are never flattered by dropping it.
   */
  latenciesMs: number[];
  /** Seconds from the first request to the last response (or the end of the run). */
  elapsedS: number;
  sent: number;
  /** Webhook ids answered with a 2xx, and ids sent but never answered. */
  okIds: string[];
  unansweredIds: string[];
  /** How late the generator itself sent requests (ms past due): p99 and max. */
  generatorLagP99Ms?: number;
  generatorLagMaxMs?: number;
};

export async function pacedLoad(options: PacedOptions): Promise<LoadOutcome> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = 1000 / options.rate;
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const outcome: LoadOutcome = { statuses: new Map(), errors: 0, timeouts: 0, latenciesMs: [], elapsedS: 0, sent: 0, okIds: [], unansweredIds: [] };
  const lags: number[] = [];
  // BENCH_LATENCY_TRACE=<file>: each answered request's due time (ms into the phase) and latency, to see when slow answers happen.
  const trace = process.env.BENCH_LATENCY_TRACE ? ([] as string[]) : undefined;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const startedAt = Date.now();
  let lastDone = start;

  const fire = (due: number) => {
    const delivery = options.next();
    lags.push(performance.now() - due);
    outcome.sent++;
    const done = new Promise<void>((resolve) => {
      let settled = false;
      const settle = (status: number | "error" | "timeout") => {
        if (settled) return;
        settled = true;
        const now = performance.now();
        lastDone = Math.max(lastDone, now);
        if (status === "error") {
          outcome.errors++;
          outcome.unansweredIds.push(delivery.webhookId);
        } else if (status === "timeout") {
          outcome.timeouts++;
          outcome.latenciesMs.push(Infinity);
          outcome.unansweredIds.push(delivery.webhookId);
        } else {
          outcome.statuses.set(status, (outcome.statuses.get(status) ?? 0) + 1);
          outcome.latenciesMs.push(now - due);
          trace?.push(`${(due - start).toFixed(1)} ${(now - due).toFixed(2)}`);
          if (status >= 200 && status < 300) outcome.okIds.push(delivery.webhookId);
        }
        resolve();
      };
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: options.path,
          method: "POST",
          headers: { ...delivery.headers, "Content-Length": String(delivery.body.length) },
        },
        (response) => {
          response.resume();
          response.on("end", () => settle(response.statusCode ?? 0));
          response.on("error", () => settle("error"));
        },
      );
      // Counted from when the request was due, so time queued for a free connection counts too.
      const timer = setTimeout(() => {
        settle("timeout");
        request.destroy();
      }, Math.max(0, due + timeoutMs - performance.now()));
      request.on("close", () => clearTimeout(timer));
      request.on("error", () => settle("error"));
      request.end(delivery.body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  await new Promise<void>((resolve) => {
    let i = 0;
    const pump = () => {
      const now = performance.now();
      while (i < total && start + i * intervalMs <= now) {
        fire(start + i * intervalMs);
        i++;
      }
      if (i >= total) return resolve();
      setTimeout(pump, Math.max(0, start + i * intervalMs - performance.now()));
    };
    pump();
  });
  await Promise.all(pending);
  agent.destroy();
  outcome.elapsedS = (lastDone - start) / 1000;
  if (trace) appendFileSync(process.env.BENCH_LATENCY_TRACE!, `# phase of ${outcome.sent} requests, started at ${startedAt} (ms since the epoch)\n${trace.join("\n")}\n`);
  lags.sort((a, b) => a - b);
  outcome.generatorLagP99Ms = percentile(lags, 99);
  outcome.generatorLagMaxMs = lags[lags.length - 1] ?? 0;
  return outcome;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
