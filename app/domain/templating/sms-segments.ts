// How many SMS segments a text costs. Carriers bill per segment, and a single character outside
// the GSM-7 alphabet (á, ã, ç, an emoji, even a no-break space) switches the whole message to
// UCS-2, which cuts a segment from 160 to 70 characters. Merchants see this while editing.
//
// GSM 03.38: the basic set costs one septet per character; the extension table (€ [ ] { } ~ ^ \ | and
// form feed) costs two (escape + character). A long message is split into segments that each
// lose room to the concatenation header: 153 septets (GSM-7) or 67 UTF-16 code units (UCS-2).
// A two-unit character (extension character, surrogate pair) is never split across segments.

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsSegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Characters as a person counts them (Unicode code points). */
  characters: number;
  /** What the segments are measured in: septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** Room per segment at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  unitsPerSegment: number;
  /** Units left in the last segment before another one starts. */
  remainingInSegment: number;
  /** The distinct characters that forced UCS-2, in order of appearance (empty for GSM-7). */
  nonGsmCharacters: string[];
}

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "^{}\\[~]|€\f";

const GSM_BASIC_SET = new Set(GSM_BASIC);
const GSM_EXTENSION_SET = new Set(GSM_EXTENSION);

const SINGLE = { "GSM-7": 160, "UCS-2": 70 } as const;
const MULTI = { "GSM-7": 153, "UCS-2": 67 } as const;

/** Septets a character costs in GSM-7, or 0 when it is not in the GSM-7 alphabet. */
function gsmSeptets(char: string): 0 | 1 | 2 {
  if (GSM_BASIC_SET.has(char)) return 1;
  if (GSM_EXTENSION_SET.has(char)) return 2;
  return 0;
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (gsmSeptets(char) === 0) return false;
  return true;
}

/** Segments for a sequence of per-character costs, never splitting a character across segments. */
function packSegments(costs: number[], total: number, encoding: SmsEncoding): { segments: number; remaining: number; perSegment: number } {
  if (total === 0) return { segments: 0, remaining: SINGLE[encoding], perSegment: SINGLE[encoding] };
  if (total <= SINGLE[encoding]) return { segments: 1, remaining: SINGLE[encoding] - total, perSegment: SINGLE[encoding] };
  const room = MULTI[encoding];
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > room) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { segments, remaining: room - used, perSegment: room };
}

export function countSmsSegments(text: string): SmsSegmentCount {
  const chars = Array.from(text); // code points: an emoji is one character here, two UTF-16 units below
  const nonGsm: string[] = [];
  for (const char of chars) if (gsmSeptets(char) === 0 && !nonGsm.includes(char)) nonGsm.push(char);

  const encoding: SmsEncoding = nonGsm.length === 0 ? "GSM-7" : "UCS-2";
  const costs = chars.map((char) => (encoding === "GSM-7" ? gsmSeptets(char) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { segments, remaining, perSegment } = packSegments(costs, units, encoding);
  return { encoding, segments, characters: chars.length, units, unitsPerSegment: perSegment, remainingInSegment: remaining, nonGsmCharacters: nonGsm };
}
