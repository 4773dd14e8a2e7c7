// The SQLite connection's gate: Prisma's work takes turns in arrival order, intake's goes first.
import { describe, expect, it } from "vitest";
import { ConnectionGate } from "../../app/server/sqlite-adapter.server";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("ConnectionGate", () => {
  it("lets one holder at a time, and hands over in arrival order", async () => {
    const gate = new ConnectionGate();
    const order: string[] = [];
    const release = await gate.acquire(false);
    const a = gate.run(false, async () => void order.push("a"));
    const b = gate.run(false, async () => void order.push("b"));
    await tick();
    expect(order).toEqual([]); // still held
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(["a", "b"]);
  });

  it("serves work marked first ahead of everything already waiting", async () => {
    const gate = new ConnectionGate();
    const order: string[] = [];
    const release = await gate.acquire(false);
    const waiting = ["job 1", "job 2", "job 3"].map((name) => gate.run(false, async () => void order.push(name)));
    const intake = gate.run(true, async () => void order.push("intake"));
    release();
    await Promise.all([...waiting, intake]);
    expect(order).toEqual(["intake", "job 1", "job 2", "job 3"]);
  });

  it("gives the connection back when the work fails, and a release twice is harmless", async () => {
    const gate = new ConnectionGate();
    await expect(gate.run(true, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const release = await gate.acquire(false);
    release();
    release();
    const order: string[] = [];
    const first = gate.acquire(false).then((r) => (order.push("first"), r));
    const second = gate.run(false, async () => void order.push("second"));
    (await first)();
    await second;
    expect(order).toEqual(["first", "second"]);
  });
});
