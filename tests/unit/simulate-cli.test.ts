import { describe, expect, it } from "vitest";
import { commandFromArgs, parseDuration } from "../../scripts/simulate";
import { simulatorCommandSchema } from "../../app/server/services/run-simulator.server";

describe("npm run simulate", () => {
  it("turns arguments into simulator commands the app accepts", () => {
    for (const args of [["place-order"], ["place-order", "--customer", "7200000000000000013"], ["abandon-checkout", "--product", "8100000000000017"], ["fulfil"], ["deliver"], ["clock", "+1d"]]) {
      const command = commandFromArgs(args);
      expect(typeof command, args.join(" ")).toBe("object");
      expect(simulatorCommandSchema.safeParse(command).success, args.join(" ")).toBe(true);
    }
  });

  it("explains what it needs", () => {
    expect(commandFromArgs(["dance"])).toMatch(/^usage:/);
    expect(commandFromArgs(["clock", "tomorrow"])).toMatch(/needs a duration/);
    expect(parseDuration("+90m")).toBe(5400);
    expect(parseDuration("2h")).toBe(7200);
  });
});
