import { describe, expect, it } from "vitest";
import { MESSAGE_STATUSES, canTransition, isFinal, nextStatuses } from "../../app/domain/messages/message-status";

describe("message status", () => {
  it("only moves forward along the allowed transitions", () => {
    expect(canTransition("scheduled", "sending")).toBe(true);
    expect(canTransition("sending", "sent")).toBe(true);
    expect(canTransition("sent", "delivered")).toBe(true);
    expect(canTransition("delivered", "sent")).toBe(false);
    expect(canTransition("cancelled", "sending")).toBe(false);
    expect(canTransition("sent", "sending")).toBe(false);
  });

  it("never re-sends a message whose send outcome is unknown", () => {
    expect(nextStatuses("unknown")).not.toContain("sending");
    expect(nextStatuses("unknown")).not.toContain("scheduled");
  });

  it("has final states with no way out, and every status reachable from scheduled", () => {
    for (const status of ["bounced", "failed", "cancelled", "skipped"] as const) expect(isFinal(status)).toBe(true);
    const reached = new Set<string>(["scheduled"]);
    const queue = ["scheduled"] as Array<(typeof MESSAGE_STATUSES)[number]>;
    while (queue.length) for (const next of nextStatuses(queue.pop()!)) if (!reached.has(next)) (reached.add(next), queue.push(next));
    expect([...reached].sort()).toEqual([...MESSAGE_STATUSES].sort());
  });
});
