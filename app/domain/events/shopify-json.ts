// Shopify IDs exceed 2^53, so JSON.parse would silently change them. This parser keeps every
// `id` / `*_id` value, and any integer too big for a double, as the exact digits Shopify sent.
// (Uses the reviver's source-text access, in Node 22.)

type ReviverContext = { source?: string };

export function parseShopifyJson(text: string): unknown {
  return JSON.parse(text, function revive(this: unknown, key: string, value: unknown, context?: ReviverContext) {
    if (typeof value !== "number" || !Number.isInteger(value) || !context?.source) return value;
    const isIdKey = key === "id" || key.endsWith("_id");
    return isIdKey || !Number.isSafeInteger(value) ? context.source : value;
  } as (key: string, value: unknown) => unknown);
}
