// `npm run simulate -- <command>`: the store simulator from the command line. It asks the
// running demo store (npm run demo) to act as Shopify and send Avisa signed webhooks.
//   place-order [--customer ID] [--product ID]   abandon-checkout [--customer ID] [--product ID]
//   complete-checkout [--token T]   fulfil   deliver   delivery-problem   clock +1h | +1d | +30m
const USAGE = `usage: npm run simulate -- <place-order|abandon-checkout|complete-checkout|fulfil|deliver|delivery-problem|clock +1h|+1d|+30m> [--customer ID] [--product ID] [--token T] [--url http://127.0.0.1:3457]`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export function parseDuration(text: string): number | null {
  const match = /^\+?(\d+)([mhd])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * { m: 60, h: 3600, d: 86_400 }[match[2] as "m" | "h" | "d"];
}

export function commandFromArgs(args: string[]): Record<string, unknown> | string {
  const [verb, ...rest] = args;
  const customerId = option(rest, "--customer");
  const productId = option(rest, "--product");
  switch (verb) {
    case "place-order":
    case "abandon-checkout":
      return { action: verb, ...(customerId ? { customerId } : {}), ...(productId ? { productIds: [productId] } : {}) };
    case "complete-checkout":
      return { action: verb, ...(option(rest, "--token") ? { token: option(rest, "--token") } : {}) };
    case "fulfil":
    case "deliver":
    case "delivery-problem":
      return { action: verb };
    case "clock": {
      const seconds = parseDuration(rest[0] ?? "");
      return seconds ? { action: "advance-clock", seconds } : `clock needs a duration such as +1h or +1d\n${USAGE}`;
    }
    default:
      return USAGE;
  }
}

async function main() {
  const args = process.argv.slice(2);
  const command = commandFromArgs(args);
  if (typeof command === "string") {
    console.error(command);
    process.exit(2);
  }
  const base = option(args, "--url") ?? `http://127.0.0.1:${process.env.PORT ?? 3457}`;
  let response: Response;
  try {
    response = await fetch(`${base}/demo/simulate`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(command) });
  } catch {
    console.error(`No demo store answers at ${base}. Start it first with: npm run demo`);
    process.exit(1);
  }
  const body = (await response.json()) as { summary?: string; clock?: string; deliveries?: Array<{ topic: string; status: number }>; error?: string; details?: string[] };
  if (!response.ok) {
    console.error(`Refused (${response.status}): ${body.error}${body.details ? `\n  ${body.details.join("\n  ")}` : ""}`);
    process.exit(1);
  }
  console.log(body.summary);
  for (const delivery of body.deliveries ?? []) console.log(`  ${delivery.topic} → Avisa answered ${delivery.status}`);
  console.log(`  demo clock: ${body.clock}`);
}

import { fileURLToPath } from "node:url";
if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
