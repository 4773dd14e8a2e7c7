// The dispatch hot path's fixed SQL (app/server/repositories/message-sending.server.ts over
// app/server/fast-sql.server.ts) must read and write exactly what the Prisma ORM did: the same
// row, typed the same (dates as UTC instants, integers as numbers), and the same columns
// written — on SQLite and on PostgreSQL, whatever the process's own time zone.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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

  it("reads, claims and records sent the messages of one turn with one statement each, as separate calls would", async () => {
    const created = await Promise.all(Array.from({ length: 10 }, (_, index) => newMessage(`batch-${index}`)));
    const sql = fastSql(test.db);
    // Spies that call through: they only count the statements.
    const countQuery = vi.spyOn(sql, "query");
    const countExecute = vi.spyOn(sql, "execute");
    try {
      const store = messageSending(test.db);
      const now = new Date("2026-11-24T03:00:00.250Z");
      const found = await Promise.all(created.map((message) => store.messageWithShop(message.id)));
      expect(found.map((row) => row?.message.id)).toEqual(created.map((message) => message.id));
      const addresses = await Promise.all(created.map(() => store.contactAddresses(shopId, contactId)));
      expect(addresses).toEqual(created.map(() => ({ email: "ana@example.com", phone: "+525512345678" })));
      const claims = await Promise.all(created.map((message) => store.claim(message.id, { now, channel: "email", recipient: "ana@example.com" })));
      expect(claims).toEqual(created.map(() => true));
      await Promise.all(
        created.map((message, index) =>
          store.markSent({ id: message.id, externalId: `ext-${index}`, provider: "sendgrid", recipient: "ana@example.com", sentAt: now, content: "{}", event: { detail: `sendgrid ext-${index}`, at: now } }),
        ),
      );
      // One read of the messages, one of the contacts, one claim; marking sent is one statement on PostgreSQL, two on SQLite.
      expect(countQuery).toHaveBeenCalledTimes(3);
      expect(countExecute).toHaveBeenCalledTimes(kind === "postgresql" ? 1 : 2);
    } finally {
      countQuery.mockRestore();
      countExecute.mockRestore();
    }
    const sent = await test.db.message.findMany({ where: { id: { in: created.map((message) => message.id) } }, include: { events: true }, orderBy: { idempotencyKey: "asc" } });
    expect(sent.map((message) => [message.status, message.attempts, message.events.length])).toEqual(created.map(() => ["sent", 3, 1]));
    expect(new Set(sent.map((message) => message.externalId)).size).toBe(10);
    expect(sent.every((message) => message.sentAt?.toISOString() === "2026-11-24T03:00:00.250Z")).toBe(true);
    // The batch writes dates in the ORM's own form, so raw comparisons (the frequency cap's) still hold.
    const since = new Date("2026-11-24T03:00:00.249Z");
    expect(await test.db.message.count({ where: { id: { in: created.map((message) => message.id) }, sentAt: { gt: since } } })).toBe(10);
  });

  it("lets only the first of two claims of one message in the same turn win", async () => {
    const created = await newMessage("claimed-twice");
    const store = messageSending(test.db);
    const now = new Date();
    const claims = await Promise.all([store.claim(created.id, { now, channel: "email", recipient: "a@example.com" }), store.claim(created.id, { now, channel: "sms", recipient: "+525512345678" })]);
    expect(claims).toEqual([true, false]);
    expect(await test.db.message.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "sending", attempts: 3, channel: "email", recipient: "a@example.com" });
  });

  it("stores the outbox messages of one turn with one INSERT", async () => {
    const at = new Date("2026-11-24T04:00:00.002Z");
    const outbox = new OutboxProvider(test.db, { now: () => at }, "sms");
    const execute = vi.spyOn(fastSql(test.db), "execute");
    let sent: { externalId: string }[];
    try {
      sent = await Promise.all(["uno", "dos", "tres"].map((text) => outbox.send({ shopId, channel: "sms", to: "+525512345678", text })));
      expect(execute).toHaveBeenCalledTimes(1);
    } finally {
      execute.mockRestore();
    }
    const stored = await test.db.outboxMessage.findMany({ where: { id: { in: sent.map((one) => one.externalId.replace(/^outbox_/, "")) } } });
    expect(stored.map((row) => row.text).sort()).toEqual(["dos", "tres", "uno"]);
    expect(stored.every((row) => row.subject === null && row.html === null && row.createdAt.toISOString() === at.toISOString())).toBe(true);
  });

  it("runs fixed SQL in the dialect of the database", () => {
    expect(fastSql(test.db).kind).toBe(kind);
    expect(fastSql(test.db).param(2)).toBe(kind === "postgresql" ? "$2" : "?2");
  });
});
