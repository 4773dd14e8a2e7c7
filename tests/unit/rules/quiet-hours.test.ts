import { describe, expect, it } from "vitest";
import { localTime, quietHoursVerdict, validateSendingWindow, wallClockToInstant, type QuietHoursInput } from "../../../app/domain/scheduling/quiet-hours";

const verdict = (now: string, recipient: QuietHoursInput["recipient"], extra: Partial<QuietHoursInput> = {}) =>
  quietHoursVerdict({ now: new Date(now), channel: "sms", recipient, shopTimeZone: "Europe/Madrid", ...extra });

const MADRID = { timeZone: "Europe/Madrid" };
const NEW_YORK = { timeZone: "America/New_York" };

function deferredUntil(result: ReturnType<typeof quietHoursVerdict>): string {
  if (result.allowed) throw new Error(`expected a deferral, got allowed in ${result.zone}`);
  return result.until.toISOString();
}

describe("quiet hours: the default 08:00–21:00 window", () => {
  it("allows 08:00 exactly and 20:59, defers 07:59 and 21:00 (Madrid, winter UTC+1)", () => {
    expect(verdict("2026-01-15T07:00:00Z", MADRID)).toEqual({ allowed: true, zone: "Europe/Madrid" });
    expect(verdict("2026-01-15T19:59:59Z", MADRID).allowed).toBe(true);
    expect(verdict("2026-01-15T06:59:00Z", MADRID)).toEqual({
      allowed: false,
      until: new Date("2026-01-15T07:00:00Z"),
      zone: "Europe/Madrid",
      reason: "Quiet hours (8:00–21:00, Europe/Madrid): deferred to 8:00 local time",
    });
    expect(deferredUntil(verdict("2026-01-15T20:00:00Z", MADRID))).toBe("2026-01-16T07:00:00.000Z");
  });

  it("defers to the exact minute, dropping seconds", () => {
    expect(deferredUntil(verdict("2026-01-15T06:59:30.500Z", MADRID))).toBe("2026-01-15T07:00:00.000Z");
  });

  it("uses summer time in Madrid (UTC+2)", () => {
    expect(deferredUntil(verdict("2026-07-01T05:59:00Z", MADRID))).toBe("2026-07-01T06:00:00.000Z");
    expect(verdict("2026-07-01T06:00:00Z", MADRID).allowed).toBe(true);
  });

  it("crosses midnight, month and year ends", () => {
    // 23:30 and 00:30 in New York both wait for 08:00 on the coming morning.
    expect(deferredUntil(verdict("2026-01-16T04:30:00Z", NEW_YORK))).toBe("2026-01-16T13:00:00.000Z");
    expect(deferredUntil(verdict("2026-01-16T05:30:00Z", NEW_YORK))).toBe("2026-01-16T13:00:00.000Z");
    expect(deferredUntil(verdict("2026-12-31T21:00:00Z", MADRID))).toBe("2027-01-01T07:00:00.000Z");
    expect(deferredUntil(verdict("2026-02-28T22:00:00Z", MADRID))).toBe("2026-03-01T07:00:00.000Z");
  });

  it("survives the spring-forward night in New York (8 March 2026: 08:00 EDT is 12:00 UTC, not 13:00)", () => {
    // 21:00 EST on 7 March.
    expect(deferredUntil(verdict("2026-03-08T02:00:00Z", NEW_YORK))).toBe("2026-03-08T12:00:00.000Z");
    expect(verdict("2026-03-08T11:59:00Z", NEW_YORK).allowed).toBe(false);
    expect(verdict("2026-03-08T12:00:00Z", NEW_YORK).allowed).toBe(true);
  });

  it("survives the fall-back night in New York (1 November 2026: 08:00 EST is 13:00 UTC)", () => {
    // 21:30 EDT on 31 October.
    expect(deferredUntil(verdict("2026-11-01T01:30:00Z", NEW_YORK))).toBe("2026-11-01T13:00:00.000Z");
    expect(verdict("2026-11-01T12:30:00Z", NEW_YORK).allowed).toBe(false); // 07:30 EST
  });

  it("survives the spring-forward night in Madrid (29 March 2026)", () => {
    expect(deferredUntil(verdict("2026-03-28T21:30:00Z", MADRID))).toBe("2026-03-29T06:00:00.000Z");
  });

  it("knows São Paulo has no daylight saving any more (UTC−3 all year)", () => {
    const saoPaulo = { timeZone: "America/Sao_Paulo" };
    expect(deferredUntil(verdict("2026-01-10T10:59:00Z", saoPaulo))).toBe("2026-01-10T11:00:00.000Z");
    expect(deferredUntil(verdict("2026-11-10T10:59:00Z", saoPaulo))).toBe("2026-11-10T11:00:00.000Z");
  });

  it("knows Mexico City has no daylight saving since 2022 (UTC−6 all year)", () => {
    const mexico = { countryCode: "MX", provinceCode: "CDMX" };
    expect(deferredUntil(verdict("2026-04-15T13:59:00Z", mexico))).toBe("2026-04-15T14:00:00.000Z");
    expect(verdict("2026-07-15T14:00:00Z", mexico)).toEqual({ allowed: true, zone: "America/Mexico_City" });
    expect(deferredUntil(verdict("2026-07-16T03:00:00Z", mexico))).toBe("2026-07-16T14:00:00.000Z"); // 21:00
  });

  it("never restricts email", () => {
    expect(verdict("2026-01-15T02:00:00Z", MADRID, { channel: "email" })).toEqual({ allowed: true, zone: "Europe/Madrid" });
  });

  it("restricts WhatsApp like SMS", () => {
    expect(verdict("2026-01-15T02:00:00Z", MADRID, { channel: "whatsapp" }).allowed).toBe(false);
  });
});

describe("quiet hours: US state rules", () => {
  const us = (state: string) => ({ countryCode: "US", provinceCode: state });

  it.each([
    ["FL", "Florida", "America/New_York", "2026-06-02T00:00:00Z", "2026-06-02T12:00:00.000Z"],
    ["OK", "Oklahoma", "America/Chicago", "2026-06-02T01:00:00Z", "2026-06-02T13:00:00.000Z"],
    ["MD", "Maryland", "America/New_York", "2026-06-02T00:00:00Z", "2026-06-02T12:00:00.000Z"],
    ["MS", "Mississippi", "America/Chicago", "2026-06-02T01:00:00Z", "2026-06-02T13:00:00.000Z"],
    ["WA", "Washington", "America/Los_Angeles", "2026-06-02T03:00:00Z", "2026-06-02T15:00:00.000Z"],
  ])("%s: 20:00 is already quiet (8:00–20:00)", (state, place, zone, atEight, nextMorning) => {
    const result = verdict(atEight, us(state));
    expect(result).toEqual({
      allowed: false,
      until: new Date(nextMorning),
      zone,
      reason: `Quiet hours in ${place} (8:00–20:00, ${zone}): deferred to 8:00 local time`,
    });
    // One minute earlier (19:59 local) is still fine.
    expect(verdict(new Date(new Date(atEight).getTime() - 60_000).toISOString(), us(state)).allowed).toBe(true);
  });

  it("Connecticut starts at 9:00 and ends at 20:00", () => {
    expect(verdict("2026-06-01T12:30:00Z", us("CT"))).toEqual({
      allowed: false,
      until: new Date("2026-06-01T13:00:00Z"),
      zone: "America/New_York",
      reason: "Quiet hours in Connecticut (9:00–20:00, America/New_York): deferred to 9:00 local time",
    });
    expect(verdict("2026-06-01T13:00:00Z", us("CT")).allowed).toBe(true);
    expect(verdict("2026-06-01T23:59:00Z", us("CT")).allowed).toBe(true);
    expect(verdict("2026-06-02T00:00:00Z", us("CT")).allowed).toBe(false);
  });

  it("Texas: 9:00–21:00 Monday to Saturday, noon to 21:00 on Sunday", () => {
    // Saturday 6 June 2026, 08:30 CDT.
    expect(verdict("2026-06-06T13:30:00Z", us("TX"))).toMatchObject({
      allowed: false,
      until: new Date("2026-06-06T14:00:00Z"),
      reason: "Quiet hours in Texas (Monday–Saturday 9:00–21:00, America/Chicago): deferred to 9:00 local time",
    });
    // Saturday 21:30 → Sunday noon, not Sunday 9:00.
    expect(deferredUntil(verdict("2026-06-07T02:30:00Z", us("TX")))).toBe("2026-06-07T17:00:00.000Z");
    // Sunday 10:00.
    expect(verdict("2026-06-07T15:00:00Z", us("TX"))).toMatchObject({
      allowed: false,
      until: new Date("2026-06-07T17:00:00Z"),
      reason: "Quiet hours in Texas (Sundays 12:00–21:00, America/Chicago): deferred to 12:00 local time",
    });
    expect(verdict("2026-06-07T17:00:00Z", us("TX")).allowed).toBe(true);
    // Sunday 21:00 → Monday 9:00.
    expect(deferredUntil(verdict("2026-06-08T02:00:00Z", us("TX")))).toBe("2026-06-08T14:00:00.000Z");
  });

  it("a state without a stricter rule keeps 8:00–21:00", () => {
    expect(verdict("2026-06-02T00:30:00Z", us("NY")).allowed).toBe(true); // 20:30 EDT
  });

  it("presumes the state from a Florida area code when there is no address", () => {
    const result = verdict("2026-06-02T00:00:00Z", { phone: "+1 305 555 0123" });
    expect(result).toMatchObject({ allowed: false, zone: "America/New_York", reason: expect.stringContaining("Florida") });
  });

  it("applies both rules when the address and the area code name different states", () => {
    // New York address, Connecticut number: 8:30 in New York is too early for Connecticut.
    const result = verdict("2026-06-01T12:30:00Z", { countryCode: "US", provinceCode: "NY", phone: "+1 203 555 0142" });
    expect(result).toMatchObject({ allowed: false, zone: "America/New_York", until: new Date("2026-06-01T13:00:00Z") });
  });

  it("accepts Twilio's whatsapp: prefix on the phone", () => {
    expect(verdict("2026-06-02T00:00:00Z", { phone: "whatsapp:+13055550123" }, { channel: "whatsapp" }).allowed).toBe(false);
  });
});

describe("quiet hours: which zone is the recipient's", () => {
  it("prefers the contact's stored zone over the address", () => {
    expect(verdict("2026-01-15T12:00:00Z", { timeZone: "Asia/Tokyo", countryCode: "ES" }).zone).toBe("Asia/Tokyo");
  });

  it("ignores a stored zone that is not a real zone", () => {
    expect(verdict("2026-01-15T12:00:00Z", { timeZone: "Mars/Olympus", countryCode: "ES", provinceCode: "TF" }).zone).toBe("Atlantic/Canary");
  });

  it("falls back to the phone's country", () => {
    expect(verdict("2026-01-15T12:00:00Z", { phone: "+52 55 1234 5678" }).zone).toBe("America/Mexico_City");
    expect(verdict("2026-01-15T12:00:00Z", { phone: "+34 612 345 678" }, { shopTimeZone: "America/New_York" }).zone).toBe("Europe/Madrid");
    expect(verdict("2026-01-15T12:00:00Z", { phone: "+55 21 99876 5432" }).zone).toBe("America/Sao_Paulo");
  });

  it("falls back to the shop's zone when nothing else tells (e.g. a US number outside the rule states)", () => {
    expect(verdict("2026-01-15T12:00:00Z", { phone: "+1 212 555 0100" }, { shopTimeZone: "America/Chicago" }).zone).toBe("America/Chicago");
    expect(verdict("2026-01-15T12:00:00Z", {}, { shopTimeZone: "America/Chicago" }).zone).toBe("America/Chicago");
  });
});

describe("quiet hours: the merchant's sending hours", () => {
  const window = { start: "10:00", end: "18:00" };

  it("narrow the window", () => {
    expect(verdict("2026-01-15T08:00:00Z", MADRID, { window })).toEqual({
      allowed: false,
      until: new Date("2026-01-15T09:00:00Z"),
      zone: "Europe/Madrid",
      reason: "Outside your sending hours (10:00–18:00, Europe/Madrid): deferred to 10:00 local time",
    });
    expect(verdict("2026-01-15T09:00:00Z", MADRID, { window }).allowed).toBe(true);
    expect(deferredUntil(verdict("2026-01-15T17:00:00Z", MADRID, { window }))).toBe("2026-01-16T09:00:00.000Z");
  });

  it("cannot widen the legal window", () => {
    const wide = { start: "07:00", end: "22:00" };
    expect(verdict("2026-01-15T06:30:00Z", MADRID, { window: wide })).toMatchObject({
      allowed: false,
      until: new Date("2026-01-15T07:00:00Z"),
      reason: "Quiet hours (8:00–21:00, Europe/Madrid): deferred to 8:00 local time",
    });
  });

  it("the state rule wins when stricter", () => {
    const florida = { countryCode: "US", provinceCode: "FL" };
    expect(verdict("2026-06-02T00:30:00Z", florida, { window: { start: "08:00", end: "21:00" } })).toMatchObject({
      allowed: false,
      reason: "Quiet hours in Florida (8:00–20:00, America/New_York): deferred to 8:00 local time",
    });
    // Before opening, the merchant's later start decides the new time, and is named.
    expect(verdict("2026-06-01T11:00:00Z", florida, { window })).toMatchObject({
      until: new Date("2026-06-01T14:00:00Z"),
      reason: "Outside your sending hours (10:00–18:00, America/New_York): deferred to 10:00 local time",
    });
  });

  it("is ignored when it leaves no time at all, or is malformed", () => {
    const florida = { countryCode: "US", provinceCode: "FL" };
    expect(verdict("2026-06-01T23:00:00Z", florida, { window: { start: "20:30", end: "21:00" } }).allowed).toBe(true); // 19:00
    expect(verdict("2026-01-15T08:00:00Z", MADRID, { window: { start: "nine", end: "18:00" } }).allowed).toBe(true);
  });

  it("are validated for the settings form", () => {
    expect(validateSendingWindow({ start: "09:00", end: "20:00" })).toEqual({ ok: true, value: { start: "09:00", end: "20:00" } });
    expect(validateSendingWindow({ start: "9", end: "20:00" })).toEqual({ ok: false, error: "Write sending hours as HH:MM, e.g. 09:00 to 20:00." });
    expect(validateSendingWindow({ start: "20:00", end: "09:00" })).toEqual({ ok: false, error: "The sending hours must end later in the day than they start." });
    expect(validateSendingWindow({ start: "07:00", end: "20:00" }).ok).toBe(false);
    expect(validateSendingWindow({ start: "08:00", end: "21:30" }).ok).toBe(false);
  });
});

describe("localTime", () => {
  it("reads the wall clock and weekday in a zone", () => {
    expect(localTime(new Date("2026-03-08T07:30:00Z"), "America/New_York")).toEqual({
      year: 2026, month: 3, day: 8, hour: 3, minute: 30, second: 0, weekday: 0,
    });
    expect(localTime(new Date("2026-01-01T04:59:59Z"), "America/New_York")).toMatchObject({ year: 2025, month: 12, day: 31, hour: 23, weekday: 3 });
  });
});

describe("wallClockToInstant", () => {
  const newYork = (day: number, month: number, minute: number) => wallClockToInstant({ year: 2026, month, day }, minute, "America/New_York").toISOString();

  it("converts ordinary wall-clock times", () => {
    expect(newYork(15, 1, 8 * 60)).toBe("2026-01-15T13:00:00.000Z");
    expect(newYork(15, 7, 8 * 60)).toBe("2026-07-15T12:00:00.000Z");
  });

  it("takes the first instant after a spring-forward gap (02:30 does not exist on 8 March)", () => {
    expect(newYork(8, 3, 2 * 60 + 30)).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
  });

  it("takes the first of two instants in the fall-back hour (01:30 happens twice on 1 November)", () => {
    expect(newYork(1, 11, 60 + 30)).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT, not EST
  });
});
