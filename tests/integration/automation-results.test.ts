// The Automations list's "last 30 days" column on real SQLite and PostgreSQL: one grouped query
// sorts each automation's messages into sent, not needed, failed or unknown, and recovered
// orders; older messages and another shop's never count.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { automationResults } from "../../app/server/services/automations.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";

const NOW = new Date("2026-11-23T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe.each(databaseKinds())("automation results on %s", (kind) => {
  let test: TestDatabase;
  let shopA: string;
  let shopB: string;

  const message = (shopId: string, automation: string, status: string, runAt: Date, recoveredOrderId: string | null = null) =>
    test.db.message.create({
      data: { shopId, idempotencyKey: `t|${randomUUID()}`, automation, purpose: "transactional", channel: "email", status, runAt, recoveredOrderId },
    });

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    shopA = (await test.db.shop.create({ data: { domain: "a.myshopify.com", name: "A" } })).id;
    shopB = (await test.db.shop.create({ data: { domain: "b.myshopify.com", name: "B" } })).id;
    await message(shopA, "order_confirmation", "delivered", daysAgo(1));
    await message(shopA, "order_confirmation", "sent", daysAgo(29));
    await message(shopA, "order_confirmation", "failed", daysAgo(2));
    await message(shopA, "order_confirmation", "sent", daysAgo(31)); // too old
    await message(shopA, "cart_recovery", "opened", daysAgo(3), "order-1");
    await message(shopA, "cart_recovery", "cancelled", daysAgo(3));
    await message(shopA, "cart_recovery", "unknown", daysAgo(4));
    await message(shopA, "cart_recovery", "scheduled", daysAgo(0)); // pending: counted nowhere yet
    await message(shopB, "order_confirmation", "sent", daysAgo(1));
  });
  afterAll(async () => test?.drop());

  it("counts the last 30 days of one shop, by outcome", async () => {
    const results = await automationResults(test.db, shopA, NOW);
    expect(results).toEqual({
      order_confirmation: { sent: 2, problems: 1, notSent: 0, recoveredOrders: 0 },
      cart_recovery: { sent: 1, problems: 1, notSent: 1, recoveredOrders: 1 },
    });
    expect(await automationResults(test.db, shopB, NOW)).toEqual({ order_confirmation: { sent: 1, problems: 0, notSent: 0, recoveredOrders: 0 } });
  });
});
