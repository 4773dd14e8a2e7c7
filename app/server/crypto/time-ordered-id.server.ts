// UUID version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the rest random.
// Ids made one after another sort one after another, so a burst of inserts lands at the end of
// the primary-key index instead of on a random page each — on SQLite every page a commit
// touches is written to the WAL again, and random UUIDs touched one page per row.
import { randomFillSync } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const random = Buffer.alloc(10 * 256);
let randomOffset = random.length;

export function timeOrderedId(now = Date.now()): string {
  if (randomOffset === random.length) {
    randomFillSync(random);
    randomOffset = 0;
  }
  const r = randomOffset;
  randomOffset += 10;
  const time = now.toString(16).padStart(12, "0").slice(-12);
  const hex = (i: number) => HEX[random[r + i]];
  // version 7 in the high nibble of byte 6; variant 0b10 in the high bits of byte 8
  const version = HEX[0x70 | (random[r] & 0x0f)];
  const variant = HEX[0x80 | (random[r + 2] & 0x3f)];
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${version}${hex(1)}-${variant}${hex(3)}-${hex(4)}${hex(5)}${hex(6)}${hex(7)}${hex(8)}${hex(9)}`;
}
