// The dispatch hot path's fixed SQL (app/server/repositories/message-sending.server.ts over
// app/server/fast-sql.server.ts) must read and write exactly what the Prisma ORM did: the same
// row, typed the same (dates as UTC instants, integers as numbers), and the same columns
// written — on SQLite and on PostgreSQL, whatever the process's own time zone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastSql } from "../../app/server/fast-sql.server";
import { OutboxProvider } from "../../app/server/providers/outbox/outbox-provider.server";
import { messageSending } from "../../app/server/repositories/message-sending.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";

const RUN_AT = new Date("2026-11-23T23:30:00.123Z");

describe.each(databaseKinds())("message sending statements on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string;
  let contactId: string;
  const originalZone = process.env.TZ;

  beforeAll(async () => {
    // Far from UTC, so a timestamp read or written as local time would be off by hours.
    process.env.TZ = "Pacific/Kiritimati";
    test = await createTestDatabase(kind);
    shopId = (await test.db.shop.create({ data: { domain: "sending.myshopify.com", name: "Sending", timeZone: "America/Mexico_City", email: "owner@example.com" } })).id;
    contactId = (await test.db.contact.create({ data: { shopId, email: "ana@example.com", phone: "+525512345678" } })).id;
  });

  afterAll(async () => {
    process.env.TZ = originalZone;
    await test.drop();
  });

  const newMessage = (key: string) =>
    test.db.message.create({
      data: {
        shopId, contactId, idempotencyKey: key, automation: "order_confirmation", step: 1, purpose: "transactional",
        channel: "email", recipient: "ana@example.com", status: "scheduled", runAt: RUN_AT, attempts: 2, variables: '{"a":1}',
      },
    });

  it("reads the message exactly as the ORM does, with its shop", async () => {
    const created = await newMessage("read");
    const found = await messageSending(test.db).messageWithShop(created.id);
    expect(found?.message).toStrictEqual(await test.db.message.findUnique({ where: { id: created.id } }));
    expect(found?.message.runAt.toISOString()).toBe(RUN_AT.toISOString());
    expect(found?.shop).toStrictEqual(await test.db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true, settings: true, timeZone: true, email: true } }));
    expect(await messageSending(test.db).messageWithShop("no-such-message")).toBeNull();
  });

  it("reads the contact's addresses only within its shop", async () => {
    expect(await messageSending(test.db).contactAddresses(shopId, contactId)).toEqual({ email: "ana@example.com", phone: "+525512345678" });
    const other = await test.db.shop.create({ data: { domain: "other-sending.myshopify.com", name: "Other" } });
    expect(await messageSending(test.db).contactAddresses(other.id, contactId)).toBeNull();
  });

  it("claims a pending message once, then records it sent with its timeline entry", async () => {
    const created = await newMessage("send");
    const now = new Date("2026-11-24T01:00:00.456Z");
    const store = messageSending(test.db);
    expect(await store.claim(created.id, { now, channel: "sms", recipient: "+525512345678" })).toBe(true);
    expect(await store.claim(created.id, { now, channel: "sms", recipient: "+525512345678" })).toBe(false); // already sending
    const claimed = await test.db.message.findUniqueOrThrow({ where: { id: created.id } });
    expect(claimed).toMatchObject({ status: "sending", attempts: 3, channel: "sms", recipient: "+525512345678", statusReason: null });
    expect(claimed.sendingAt?.toISOString()).toBe(now.toISOString());

    const sentAt = new Date("2026-11-24T01:00:01.789Z");
    await store.markSent({ id: created.id, externalId: "SM123", provider: "twilio-sms", recipient: "+525512345678", sentAt, content: '{"text":"hola"}', event: { detail: "twilio-sms SM123", at: sentAt } });
    const sent = await test.db.message.findUniqueOrThrow({ where: { id: created.id }, include: { events: true } });
    expect(sent).toMatchObject({ status: "sent", externalId: "SM123", provider: "twilio-sms", content: '{"text":"hola"}', error: null });
    expect(sent.sentAt?.toISOString()).toBe(sentAt.toISOString());
    expect(sent.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
    expect(sent.events).toHaveLength(1);
    expect(sent.events[0]).toMatchObject({ shopId, type: "sent", detail: "twilio-sms SM123", reasonCode: null });
    expect(sent.events[0].occurredAt.toISOString()).toBe(sentAt.toISOString());
  });

  it("does not claim a message that is no longer pending", async () => {
    const created = await newMessage("cancelled");
    await test.db.message.update({ where: { id: created.id }, data: { status: "cancelled" } });
    expect(await messageSending(test.db).claim(created.id, { now: new Date(), channel: "email", recipient: "ana@example.com" })).toBe(false);
  });

  it("stores an outbox message the ORM reads back unchanged", async () => {
    const at = new Date("2026-11-24T02:00:00.001Z");
    const outbox = new OutboxProvider(test.db, { now: () => at }, "email");
    const { externalId } = await outbox.send({ shopId, channel: "email", to: "ana@example.com", subject: "Hola", text: "Gracias", html: "<p>Gracias</p>", metadata: { messageId: "m1" } });
    const stored = await test.db.outboxMessage.findUniqueOrThrow({ where: { id: externalId.replace(/^outbox_/, "") } });
    expect(stored).toMatchObject({ shopId, channel: "email", toAddress: "ana@example.com", subject: "Hola", text: "Gracias", html: "<p>Gracias</p>", metadata: '{"messageId":"m1"}' });
    expect(stored.createdAt.toISOString()).toBe(at.toISOString());
  });

  it("runs fixed SQL in the dialect of the database", () => {
    expect(fastSql(test.db).kind).toBe(kind);
    expect(fastSql(test.db).param(2)).toBe(kind === "postgresql" ? "$2" : "?2");
  });
});
