// The part of autocannon 8's API that bench/intake.ts uses (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export type RequestContext = Record<string, unknown>;
  export type RequestData = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  };
  export type AutocannonRequest = RequestData & {
    setupRequest?: (request: RequestData, context: RequestContext) => RequestData | null;
    onResponse?: (status: number, body: string, context: RequestContext) => void;
  };
  export type Options = {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    pipelining?: number;
    overallRate?: number;
    requests?: AutocannonRequest[];
  };
  export type Result = {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    requests: { total: number; average: number; sent: number };
    latency: { p50: number; p99: number };
    statusCodeStats: Record<string, { count: number }>;
  };
  export type Instance = EventEmitter & { stop(): void };

  function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
