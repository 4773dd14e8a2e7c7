import { describe, expect, it } from "vitest";
import { timeOrderedId } from "../../../app/server/crypto/time-ordered-id.server";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("timeOrderedId (UUID v7)", () => {
  it("is a version 7, RFC 9562 variant UUID carrying the time in its first 48 bits", () => {
    const at = Date.UTC(2026, 11, 7, 17, 30, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace("-", "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts by creation time, so later ids go to the end of an index", () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => timeOrderedId(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
  });

  it("never repeats within one millisecond (74 random bits each)", () => {
    const ids = Array.from({ length: 5_000 }, () => timeOrderedId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
