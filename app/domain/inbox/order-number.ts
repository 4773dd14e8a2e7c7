// Order numbers written by shoppers in free text ("order #1001", "pedido 1001", "encomenda nº 1001",
// "#1001") → Shopify order names ("#1001"), so a message can be tied to the ticket about that order.
//
// Shopify numbers orders from 1001 upwards, so a candidate is 4–8 digits without a leading zero.
// A bare number is never taken: only one after "#" or after an order word, because shoppers' emails
// are full of numbers that are not orders — phones, prices, years, postal codes (CEP 01310-100).

const DIGITS = String.raw`([1-9]\d{3,7})`;

// What may not follow the digits: more digits, a decimal/phone/date continuation ("1001.50",
// "1001-4321", "10/2024"), or a currency ("1500 pesos": an amount, not an order).
const NOT_AFTER = String.raw`(?!\d|[.,/-]\d|\s*(?:€|\$|usd|eur|mxn|brl|ars|cop|clp|pesos?|reais|real|dolares|dollars?|euros?)(?![a-z]))`;

// Order words in en / es / pt-BR (singular and plural), as whole words.
const ORDER_WORD = String.raw`(?<![a-z])(?:orders?|orden(?:es)?|pedidos?|encomendas?|compras?|purchases?)(?![a-z])`;

// Between the word and the digits: "number", "no.", "nº", "n.º", "nro", "núm", "número", ":", "#".
const CONNECTOR = String.raw`(?:\s*(?:number|numero|num|nro|nr|no|n)(?![a-z]))?[\s:#.º°]*`;

// "#1001", but not "&#1001;" (an HTML entity) nor "apt #1204" / "ticket #2048" (not orders).
const HASH_FORM = String.raw`(?<![\w&])(?<!(?:apt|apto|apartment|suite|unit|depto|dpto|room|ticket|case|caso|invoice|factura)\.?\s*)#\s?${DIGITS}${NOT_AFTER}`;

const KEYWORD_FORM = String.raw`${ORDER_WORD}${CONNECTOR}${DIGITS}${NOT_AFTER}`;

// "pedidos 1001 y 1002", "orders 1001, 1002 and #1003": further numbers right after a match.
const LIST_CONTINUATION = new RegExp(String.raw`\s*(?:,|;|/|&|and|or|y|o|e|ou)\s*#?\s*${DIGITS}${NOT_AFTER}`, "y");

const FINDER = new RegExp(`${HASH_FORM}|${KEYWORD_FORM}`, "g");

/**
 * The order names mentioned in `text`, normalised ("#1001"), without duplicates, in the order
 * they first appear.
 */
export function findOrderNumbers(text: string | null | undefined): string[] {
  if (!text) return [];
  // Accents and case do not matter ("Número", "PEDIDO"); only digits are kept, so the changed
  // string length is harmless.
  const plain = text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const found: string[] = [];
  const add = (digits: string) => {
    const name = `#${digits}`;
    if (!found.includes(name)) found.push(name);
  };
  for (const match of plain.matchAll(FINDER)) {
    const digits = match[1] ?? match[2];
    add(digits);
    LIST_CONTINUATION.lastIndex = match.index + match[0].length;
    let next: RegExpExecArray | null;
    while ((next = LIST_CONTINUATION.exec(plain))) add(next[1]);
  }
  return found;
}

/** "1001", "#1001", " # 1001 " → "#1001"; anything else → null. */
export function normaliseOrderNumber(input: string | null | undefined): string | null {
  const match = /^\s*#?\s*([1-9]\d{0,11})\s*$/.exec(input ?? "");
  return match ? `#${match[1]}` : null;
}

/**
 * The comparable key of a Shopify order name. Merchants can give order names a prefix or suffix
 * ("CB1001", "1001-MX"); shoppers usually write only the number, so "CB1001" and "#1001" are the
 * same order within one shop. Names with no single number → null (never matched).
 */
export function orderNameKey(name: string | null | undefined): string | null {
  const direct = normaliseOrderNumber(name);
  if (direct) return direct;
  const runs = (name ?? "").match(/\d+/g);
  return runs?.length === 1 && /^[1-9]\d{0,11}$/.test(runs[0]) ? `#${runs[0]}` : null;
}
