// The Messages pages' loaders on real SQLite and PostgreSQL: the log's status tabs (the twelve
// statuses in five groups), channel / automation / date filters (custom days in the store's time
// zone), search over recipient, shopper and message text, pages of 50, the unknown-outcome count;
// one message as sent with its timeline in order; and no page that shows another shop's rows.
// Requests go through the routes' loaders as the admin sends them (demo mode: the demo shop).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as messageLoader } from "../../app/routes/app.messages.$id";
import { loader as listLoader } from "../../app/routes/app.messages._index";
import { DEMO_SHOP_DOMAIN, resetConfigForTests } from "../../app/server/config.server";
import type { Database } from "../../app/server/db.server";
import { translateReason } from "../../app/components/message-reason";
import { ProviderError } from "../../app/domain/errors";
import { englishReason, storedReason } from "../../app/domain/messages/message-reason";
import type { Channel, ChannelProvider } from "../../app/domain/ports";
import { translator } from "../../app/i18n";
import { OutboxProvider } from "../../app/server/providers/outbox/outbox-provider.server";
import { alreadyBoughtCheck, dispatchMessage, type SendTimeCheck } from "../../app/server/services/dispatch-message.server";
import { customerTimeline } from "../../app/server/services/customer-timeline.server";
import { listMessages, messageListQuery, messageView } from "../../app/server/services/message-log.server";
import { scheduleMessage } from "../../app/server/services/schedule-message.server";
import { quietHoursCheck, routeCheck } from "../../app/server/services/send-checks.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ZONE = "America/Mexico_City"; // UTC−6 all year (no DST since 2022)

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(handler: (args: LoaderFunctionArgs) => Promise<Response>, url: string, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await handler({ request: new Request(`http://localhost${url}`), params, context: {} } as LoaderFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function list(url: string): Promise<Json> {
  const response = await call(listLoader, url);
  expect(response.status, url).toBe(200);
  return response.json();
}

const ids = (page: Json) => (page.messages as Json[]).map((message) => message.id as string);

describe.each(databaseKinds())("the message log on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string;
  let otherShopId: string;
  const m: Record<string, string> = {};
  let sequence = 0;
  const now = Date.now();

  type Seed = Partial<Parameters<Database["message"]["create"]>[0]["data"]> & { automation: string; channel: string; status: string; runAt: Date };
  const seed = async (name: string, data: Seed, events: { type: string; detail?: string; at: Date }[] = []) => {
    const row = await test.db.message.create({
      data: { shopId, purpose: "transactional", idempotencyKey: `seed-${kind}-${++sequence}`, ...data } as Parameters<Database["message"]["create"]>[0]["data"],
    });
    for (const event of events) {
      await test.db.messageEvent.create({ data: { shopId: row.shopId, messageId: row.id, type: event.type, detail: event.detail ?? null, occurredAt: event.at } });
    }
    m[name] = row.id;
    return row.id;
  };

  beforeAll(async () => {
    resetConfigForTests();
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    shopId = (await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Casa Aurora", timeZone: ZONE } })).id;
    otherShopId = (await test.db.shop.create({ data: { domain: "other-store.myshopify.com", name: "Other Store" } })).id;
    const lucia = await test.db.contact.create({ data: { shopId, firstName: "Lucía", lastName: "Hernández", email: "lucia@example.com", phone: "+525512345678", locale: "es" } });
    const ana = await test.db.contact.create({ data: { shopId, firstName: "Ana", lastName: "Souza", email: "ana@example.com", phone: "+5511987654321", locale: "pt-BR" } });
    const order = await test.db.order.create({ data: { shopId, shopifyOrderId: "820982911946154508", name: "#1001", contactId: lucia.id, totalPrice: "49.00", currency: "MXN", placedAt: new Date(now - 3 * DAY) } });
    const ticket = await test.db.ticket.create({ data: { shopId, contactId: ana.id, channel: "email", subject: "¿Dónde está mi pedido?", lastMessageAt: new Date(now - HOUR) } });
    const foreignTicket = await test.db.ticket.create({ data: { shopId: otherShopId, channel: "email", subject: "Other", lastMessageAt: new Date(now - HOUR) } });

    const sentAt = new Date(now - 2 * HOUR);
    await seed("reviewEmail", {
      contactId: lucia.id, automation: "review_request", messageType: "review_request", step: 1, channel: "email", recipient: "lucia@example.com",
      status: "clicked", runAt: sentAt, sentAt, deliveredAt: new Date(sentAt.getTime() + 60_000), openedAt: new Date(sentAt.getTime() + 600_000),
      clickedAt: new Date(sentAt.getTime() + 700_000), provider: "sendgrid", externalId: "sg-abc123", attempts: 1, locale: "es", orderId: order.id,
      content: JSON.stringify({ subject: "¿Qué te pareció tu pedido #1001?", text: "Hola Lucía, cuéntanos qué te pareció.", html: "<p>Hola <b>Lucía</b></p><script>alert(1)</script>", contentSid: null }),
    }, [
      // Written out of order, as vendor events arrive: the timeline is by time.
      { type: "opened", detail: "Opened (SendGrid event ev-2)", at: new Date(sentAt.getTime() + 600_000) },
      { type: "scheduled", detail: `due ${sentAt.toISOString()}`, at: new Date(now - 5 * DAY) },
      { type: "sent", detail: "sendgrid sg-abc123", at: sentAt },
      { type: "delivered", detail: "Delivered to lucia@example.com (SendGrid event ev-1)", at: new Date(sentAt.getTime() + 60_000) },
      { type: "clicked", detail: "Clicked https://casa-aurora.example/review (SendGrid event ev-3)", at: new Date(sentAt.getTime() + 700_000) },
    ]);
    await seed("confirmationSms", {
      contactId: lucia.id, automation: "order_confirmation", messageType: "order_confirmation", step: 1, channel: "sms", recipient: "+525512345678",
      status: "delivered", runAt: new Date(now - 3 * DAY), sentAt: new Date(now - 3 * DAY), provider: "twilio-sms", externalId: "SM123", attempts: 1, locale: "es",
      content: JSON.stringify({ subject: null, text: "¡Gracias por tu pedido #1001, Lucía! 🎉", html: null, contentSid: null }),
    });
    await seed("recoveryLater", {
      contactId: ana.id, automation: "cart_recovery", messageType: "cart_recovery", step: 1, purpose: "marketing", channel: "email", recipient: "ana@example.com",
      status: "scheduled", runAt: new Date(now + HOUR), locale: "pt-BR",
    }, [{ type: "scheduled", detail: `due ${new Date(now + HOUR).toISOString()}`, at: new Date(now - 10 * 60_000) }]);
    const quietUntil = new Date(now + 9 * HOUR);
    await seed("recoveryDeferred", {
      contactId: ana.id, automation: "cart_recovery", messageType: "cart_recovery", step: 2, purpose: "marketing", channel: "sms", recipient: "+5511987654321",
      status: "deferred", runAt: quietUntil, statusReason: "Quiet hours (8:00–21:00, America/Sao_Paulo): deferred to 8:00 local time", locale: "pt-BR",
    }, [
      { type: "scheduled", detail: `due ${new Date(now - HOUR).toISOString()}`, at: new Date(now - 7 * HOUR) },
      { type: "deferred", detail: "Frequency cap: 2 marketing SMS or WhatsApp messages per 24 hours already sent (at 10:00 and 11:00 UTC); deferred until 10:00 UTC", at: new Date(now - 2 * HOUR) },
      { type: "deferred", detail: "Quiet hours (8:00–21:00, America/Sao_Paulo): deferred to 8:00 local time", at: new Date(now - HOUR) },
    ]);
    await seed("shippingUnknown", {
      contactId: lucia.id, automation: "shipping_updates", messageType: "shipping_update", step: 1, channel: "email", recipient: "lucia@example.com",
      status: "unknown", runAt: new Date(now - 20 * HOUR), attempts: 1, provider: "sendgrid", locale: "es",
      statusReason: "The app stopped while the provider call was under way, so it is not known whether the shopper got this message. It will not be re-sent automatically.",
    }, [{ type: "unknown", detail: "The app stopped while the provider call was under way", at: new Date(now - 20 * HOUR) }]);
    await seed("whatsappFailed", {
      contactId: ana.id, automation: "shipping_updates", messageType: "delivered", step: 3, channel: "whatsapp", recipient: "+5511987654321",
      status: "failed", runAt: new Date(now - 4 * DAY), attempts: 5, provider: "twilio-whatsapp", error: "Twilio error 63016", statusReason: "Twilio error 63016", locale: "pt-BR",
    }, [
      { type: "retry", detail: `Twilio is busy — trying again at ${new Date(now - 4 * DAY + HOUR).toISOString()}`, at: new Date(now - 4 * DAY) },
      { type: "failed", detail: "Twilio error 63016", at: new Date(now - 4 * DAY + HOUR) },
    ]);
    await seed("reviewSkipped", {
      contactId: ana.id, automation: "review_request", messageType: "review_reminder", step: 2, channel: "email", status: "skipped",
      statusReason: "the shopper already reviewed this order", runAt: new Date(now - 10 * DAY), locale: "pt-BR",
    });
    await seed("recoveryCancelled", {
      contactId: lucia.id, automation: "cart_recovery", messageType: "cart_recovery_discount", step: 3, purpose: "marketing", channel: "email",
      status: "cancelled", statusReason: "the shopper already bought (order #1001)", runAt: new Date(now - 40 * DAY), locale: "es",
    });
    await seed("inboxReply", {
      contactId: ana.id, automation: "inbox_reply", step: 1, channel: "email", recipient: "ana@example.com", status: "scheduled", runAt: new Date(now - 60_000),
      variables: JSON.stringify({ subject: "Re: ¿Dónde está mi pedido?", text: "Hola Ana, ya salió ayer.", html: "<p>Hola Ana</p>", ticketId: ticket.id }),
    });
    await seed("inboxReplyForeign", {
      contactId: ana.id, automation: "inbox_reply", step: 1, channel: "sms", recipient: "+5511987654321", status: "sent", runAt: new Date(now - 30 * HOUR), sentAt: new Date(now - 30 * HOUR),
      variables: JSON.stringify({ text: "Oi", ticketId: foreignTicket.id }), content: JSON.stringify({ subject: null, text: "Oi", html: null, contentSid: null }),
    });
    await seed("alertBounced", {
      automation: "merchant_alert", messageType: "merchant_alert", step: 1, channel: "email", recipient: "alerts@casa-aurora.example",
      status: "bounced", runAt: new Date(now - 6 * DAY), sentAt: new Date(now - 6 * DAY), error: "Bounced: the address does not accept email",
      variables: JSON.stringify({ contactRequest: { name: "Ana", message: "¿Dónde está mi pedido?", ticketId: ticket.id } }),
    });
    // 23:30 on 9 March in Mexico City is already 10 March in UTC.
    await seed("lateEvening", {
      contactId: lucia.id, automation: "satisfaction_survey", messageType: "satisfaction_survey", step: 1, channel: "email", recipient: "lucia@example.com",
      status: "sent", runAt: new Date("2026-03-10T05:30:00Z"), sentAt: new Date("2026-03-10T05:30:00Z"),
    });

    // Another shop: same shopper address and words, its own unknown send.
    m.foreign = (await test.db.message.create({
      data: {
        shopId: otherShopId, idempotencyKey: `seed-${kind}-foreign`, automation: "review_request", messageType: "review_request", purpose: "transactional",
        channel: "email", recipient: "lucia@example.com", status: "unknown", runAt: new Date(now - HOUR),
        content: JSON.stringify({ subject: "¿Qué te pareció tu pedido #1001?", text: "x", html: null }),
      },
    })).id;
  });
  afterAll(async () => test?.drop());

  it("lists every message of the shop, newest first, with the shopper, the tab counts and the unknown-outcome count", async () => {
    const page = await list("/app/messages");
    expect(page.anyMessages).toBe(true);
    expect(page.unknown).toBe(1);
    expect(page.counts).toEqual({ all: 12, pending: 3, sent: 2, delivered: 2, problems: 3, not_sent: 2 });
    expect(page.messages).toHaveLength(12);
    expect(ids(page)).not.toContain(m.foreign);
    // By due time, newest first: what is still to come leads.
    expect(ids(page).slice(0, 3)).toEqual([m.recoveryDeferred, m.recoveryLater, m.inboxReply]);
    const whens = (page.messages as Json[]).map((message) => message.when as string);
    expect(ids(page).at(-1)).toBe(m.lateEvening);
    const review = (page.messages as Json[]).find((message) => message.id === m.reviewEmail)!;
    expect(review).toMatchObject({
      shopper: "Lucía Hernández", address: "lucia@example.com", channel: "email", automation: "review_request", messageType: "review_request",
      status: "clicked", locale: "es", sent: true, reason: null,
    });
    expect(whens).toContain(new Date(now - 2 * HOUR).toISOString());
    const skipped = (page.messages as Json[]).find((message) => message.id === m.reviewSkipped)!;
    // No recipient chosen yet: the shopper's address on the message's channel.
    expect(skipped).toMatchObject({ address: "ana@example.com", reason: "the shopper already reviewed this order", sent: false });
    const alert = (page.messages as Json[]).find((message) => message.id === m.alertBounced)!;
    expect(alert).toMatchObject({ shopper: null, address: "alerts@casa-aurora.example", reason: "Bounced: the address does not accept email" });
  });

  it("groups the statuses into tabs", async () => {
    const statuses = async (tab: string) => ((await list(`/app/messages?status=${tab}`)).messages as Json[]).map((message) => message.status).sort();
    expect(await statuses("pending")).toEqual(["deferred", "scheduled", "scheduled"]);
    expect(await statuses("sent")).toEqual(["sent", "sent"]);
    expect(await statuses("delivered")).toEqual(["clicked", "delivered"]);
    expect(await statuses("problems")).toEqual(["bounced", "failed", "unknown"]);
    expect(await statuses("not_sent")).toEqual(["cancelled", "skipped"]);
  });

  it("filters by channel, automation and date, and counts the tabs under the filters", async () => {
    const texts = await list("/app/messages?channel=sms&channel=whatsapp");
    expect(new Set((texts.messages as Json[]).map((message) => message.channel))).toEqual(new Set(["sms", "whatsapp"]));
    expect(texts.messages).toHaveLength(4);
    expect(texts.counts).toMatchObject({ all: 4, pending: 1, sent: 1, delivered: 1, problems: 1, not_sent: 0 });
    expect(texts.query.channels).toEqual(["sms", "whatsapp"]);

    expect(ids(await list("/app/messages?automation=inbox_reply")).sort()).toEqual([m.inboxReply, m.inboxReplyForeign].sort());
    expect(ids(await list("/app/messages?automation=cart_recovery&status=pending")).sort()).toEqual([m.recoveryLater, m.recoveryDeferred].sort());

    // Presets end now: what is still to come is not "in the last 24 hours".
    expect(ids(await list("/app/messages?date=24h")).sort()).toEqual([m.reviewEmail, m.shippingUnknown, m.inboxReply].sort());
    const month = await list("/app/messages?date=30d");
    expect(ids(month)).not.toContain(m.recoveryCancelled);
    expect(ids(month)).not.toContain(m.recoveryLater);
    expect(ids(month)).toContain(m.reviewSkipped);
  });

  it("reads custom dates as whole days in the store's time zone", async () => {
    expect(ids(await list("/app/messages?from=2026-03-09&to=2026-03-09"))).toEqual([m.lateEvening]);
    const tenth = await list("/app/messages?date=custom&from=2026-03-10&to=2026-03-10");
    expect(tenth.messages).toEqual([]);
    expect(tenth.anyMessages).toBe(true); // the empty state offers to clear the filters instead
    expect(tenth.query).toMatchObject({ date: "custom", from: "2026-03-10", to: "2026-03-10" });
    // Ends the wrong way round are swapped; an open end is open.
    expect(ids(await list("/app/messages?date=custom&from=2026-03-09&to=2026-03-01"))).toEqual([m.lateEvening]);
    expect(ids(await list("/app/messages?date=custom&to=2026-03-09"))).toEqual([m.lateEvening]);
  });

  it("searches the recipient, the shopper's name and the message as sent, in this shop only", async () => {
    expect(ids(await list(`/app/messages?q=${encodeURIComponent("lucía hernández")}`)).sort()).toEqual(
      [m.reviewEmail, m.confirmationSms, m.shippingUnknown, m.recoveryCancelled, m.lateEvening].sort(),
    );
    // PostgreSQL folds every letter's case; SQLite's LIKE only ASCII letters.
    if (kind === "postgresql") expect(ids(await list(`/app/messages?q=${encodeURIComponent("HERNÁNDEZ")}`))).toHaveLength(5);
    expect(ids(await list(`/app/messages?q=${encodeURIComponent("pareció")}`))).toEqual([m.reviewEmail]);
    expect(ids(await list(`/app/messages?q=${encodeURIComponent("+5511987")}`)).sort()).toEqual(
      [m.recoveryDeferred, m.whatsappFailed, m.inboxReplyForeign, m.reviewSkipped, m.recoveryLater, m.inboxReply].sort(),
    );
    expect(ids(await list("/app/messages?q=alerts%40casa"))).toEqual([m.alertBounced]);
    const none = await list("/app/messages?q=nobody-at-all");
    expect(none).toMatchObject({ messages: [], anyMessages: true, counts: { all: 0 } });
    // The tab counts follow the search; the unknown banner stays about the whole shop.
    expect(none.unknown).toBe(1);
  });

  it("falls back to the first page of everything on unreadable parameters", async () => {
    const page = await list("/app/messages?status=bogus&channel=fax&automation=spam&date=year&from=yesterday&page=-3");
    expect(page.query).toEqual({ status: "all", channels: [], automations: [], date: "all", from: null, to: null, q: "", page: 1 });
    expect(page.messages).toHaveLength(12);
  });

  it("pages 50 at a time with a constant number of queries", async () => {
    const base = new Date(now - 100 * DAY).getTime();
    await test.db.message.createMany({
      data: Array.from({ length: 61 }, (_, index) => ({
        shopId, idempotencyKey: `bulk-${kind}-${index}`, automation: "care_instructions", messageType: "care_instructions", purpose: "transactional",
        channel: "email", recipient: `shopper${index}@example.com`, status: "delivered", runAt: new Date(base + index * HOUR), sentAt: new Date(base + index * HOUR),
      })),
    });
    const first = await list("/app/messages?automation=care_instructions");
    expect(first.pageCount).toBe(2);
    expect(first.messages).toHaveLength(50);
    const second = await list("/app/messages?automation=care_instructions&page=2");
    expect(second.messages).toHaveLength(11);
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(61);
    expect(second.messages.at(-1).address).toBe("shopper0@example.com");
    // Past the end: the last page.
    expect((await list("/app/messages?automation=care_instructions&page=9")).query.page).toBe(2);

    // Three queries for a page with filters (counts under the filters, the shop's counts, the rows), however many rows.
    let queries = 0;
    const counting = test.db.$extends({
      query: {
        $allOperations({ args, query }) {
          queries++;
          return query(args);
        },
      },
    }) as unknown as Database;
    const clock = { now: new Date(), timeZone: ZONE };
    await listMessages(counting, shopId, messageListQuery(new URLSearchParams("automation=care_instructions")), clock);
    const forFifty = queries;
    queries = 0;
    await listMessages(counting, shopId, messageListQuery(new URLSearchParams("automation=review_request")), clock);
    expect(queries).toBe(forFifty);
    expect(forFifty).toBeLessThanOrEqual(3);
    await test.db.message.deleteMany({ where: { shopId, automation: "care_instructions" } });
  });

  it("shows one message as sent: content, shopper, order and its timeline oldest first", async () => {
    const response = await call(messageLoader, `/app/messages/${m.reviewEmail}`, { id: m.reviewEmail });
    expect(response.status).toBe(200);
    const view: Json = await response.json();
    expect(view.timeZone).toBe(ZONE);
    expect(view.message).toMatchObject({ id: m.reviewEmail, status: "clicked", provider: "sendgrid", externalId: "sg-abc123", attempts: 1, recipient: "lucia@example.com" });
    expect(view.content).toEqual({
      subject: "¿Qué te pareció tu pedido #1001?", text: "Hola Lucía, cuéntanos qué te pareció.", html: "<p>Hola <b>Lucía</b></p><script>alert(1)</script>", contentSid: null,
    });
    expect(view.draft).toBeNull();
    expect(view.length).toBeNull();
    expect(view.contact).toMatchObject({ name: "Lucía Hernández", email: "lucia@example.com" });
    expect(view.order).toMatchObject({ name: "#1001" });
    expect(view.ticketId).toBeNull();
    expect((view.events as Json[]).map((event) => event.type)).toEqual(["scheduled", "sent", "delivered", "opened", "clicked"]);
    expect(view.events[0]).toMatchObject({ detail: null, at: new Date(now - 2 * HOUR).toISOString() });
    // SendGrid's de-duplication marker is not for people.
    expect(view.events[2].detail).toBe("Delivered to lucia@example.com");
    expect(view.eventsTruncated).toBe(false);
  });

  it("counts SMS segments of the text as sent", async () => {
    const view: Json = await (await call(messageLoader, `/app/messages/${m.confirmationSms}`, { id: m.confirmationSms })).json();
    // "í" and the emoji are outside GSM-7: 70 characters a segment, not 160.
    expect(view.length).toEqual({ encoding: "UCS-2", segments: 1, characters: 38, nonGsmCharacters: ["í", "🎉"], limit: 10 });
  });

  it("says why a message waits, and until when", async () => {
    const deferred: Json = await (await call(messageLoader, `/app/messages/${m.recoveryDeferred}`, { id: m.recoveryDeferred })).json();
    expect(deferred.content).toBeNull();
    expect((deferred.events as Json[]).map((event) => [event.type, event.deferredBy])).toEqual([["scheduled", null], ["deferred", "frequency_cap"], ["deferred", "quiet_hours"]]);
    // Only the deferral still running has a known end: the message's due time.
    expect(deferred.events[1].at).toBeNull();
    expect(deferred.events[2].at).toBe(new Date(now + 9 * HOUR).toISOString());

    const failed: Json = await (await call(messageLoader, `/app/messages/${m.whatsappFailed}`, { id: m.whatsappFailed })).json();
    expect(failed.events[0]).toMatchObject({ type: "retry", detail: "Twilio is busy", at: new Date(now - 4 * DAY + HOUR).toISOString() });
    expect(failed.message).toMatchObject({ attempts: 5, error: "Twilio error 63016" });
  });

  it("shows an inbox reply's words before it is sent, and links its conversation only in this shop", async () => {
    const reply: Json = await (await call(messageLoader, `/app/messages/${m.inboxReply}`, { id: m.inboxReply })).json();
    expect(reply.content).toBeNull();
    expect(reply.draft).toEqual({ subject: "Re: ¿Dónde está mi pedido?", text: "Hola Ana, ya salió ayer." });
    expect(reply.ticketId).toBeTruthy();
    const foreign: Json = await (await call(messageLoader, `/app/messages/${m.inboxReplyForeign}`, { id: m.inboxReplyForeign })).json();
    expect(foreign.ticketId).toBeNull();
    expect(foreign.length).toMatchObject({ characters: 2 });
    // A contact-request alert links the conversation the shopper started.
    const alert: Json = await (await call(messageLoader, `/app/messages/${m.alertBounced}`, { id: m.alertBounced })).json();
    expect(alert.ticketId).toBe(reply.ticketId);
    expect(alert.contact).toBeNull();
    // A templated message not sent yet has nothing to show: it is rendered at send time.
    const later = await messageView(test.db, shopId, m.recoveryLater);
    expect(later).toMatchObject({ content: null, draft: null, length: null });
  });

  it("answers 404 for another shop's message and for ids that do not exist", async () => {
    for (const id of [m.foreign, "does-not-exist"]) {
      const response = await call(messageLoader, `/app/messages/${id}`, { id });
      expect(response.status, id).toBe(404);
    }
    expect(await messageView(test.db, otherShopId, m.reviewEmail)).toBeNull();
  });

  it("keeps the timeline to the latest 200 events", async () => {
    const id = m.inboxReplyForeign;
    const start = now - 10 * DAY;
    await test.db.messageEvent.createMany({
      data: Array.from({ length: 205 }, (_, index) => ({ shopId, messageId: id, type: "clicked", detail: `click ${index}`, occurredAt: new Date(start + index * 60_000) })),
    });
    const view = (await messageView(test.db, shopId, id))!;
    expect(view.eventsTruncated).toBe(true);
    expect(view.events).toHaveLength(200);
    expect(view.events.at(-1)!.detail).toBe("click 204");
    expect(view.events[0].detail).toBe("click 5");
  });
});

// Reasons as codes: what the dispatcher decides is stored as a code with its params beside the
// English, and the Messages pages hand both to the page, which shows them in the merchant's language.
describe.each(databaseKinds())("message reasons on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string;
  let contactId: string;
  let sequence = 0;
  const night = new Date("2026-01-15T05:00:00Z"); // 02:00 in São Paulo
  const morning = "2026-01-15T11:00:00.000Z"; // 08:00 in São Paulo

  const newMessage = (data: { channel: string; checkoutToken?: string }) =>
    test.db.message.create({
      data: {
        shopId, contactId, idempotencyKey: `reason-${kind}-${++sequence}`, automation: "shipping_updates", messageType: "shipped", step: 1, purpose: "transactional",
        recipient: data.channel === "email" ? "ana@example.com" : "+5511987654321", status: "scheduled", runAt: new Date(night.getTime() - HOUR), ...data,
      },
    });
  const dispatch = (id: string, checks: SendTimeCheck[], provider?: ChannelProvider) =>
    dispatchMessage(id, {
      database: test.db,
      clock: { now: () => night },
      providerFor: () => provider ?? new OutboxProvider(test.db, { now: () => night }, "email"),
      compose: async (message) => ({ shopId, channel: message.channel as Channel, to: message.recipient!, subject: "Hi", text: "Hi" }),
      checks,
    });

  beforeAll(async () => {
    resetConfigForTests();
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    shopId = (await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Casa Aurora", timeZone: "America/Sao_Paulo" } })).id;
    contactId = (await test.db.contact.create({ data: { shopId, firstName: "Ana", email: "ana@example.com", phone: "+5511987654321", timeZone: "America/Sao_Paulo" } })).id;
  });
  afterAll(async () => test?.drop());

  it("stores a deferral's code and params beside its English, on the message and its timeline", async () => {
    const { id } = await newMessage({ channel: "sms" });
    expect(await dispatch(id, [quietHoursCheck(test.db)])).toEqual({ outcome: "deferred", runAt: new Date(morning) });
    const row = await test.db.message.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      status: "deferred",
      // The English stays as the quiet-hours rule words it (logs, exports).
      statusReason: "Outside your sending hours (8:00–21:00, America/Sao_Paulo): deferred to 8:00 local time",
      statusReasonCode: "quiet_hours",
    });
    expect(storedReason(row.statusReasonCode, row.statusReasonParams, row.statusReason)).toEqual({ code: "quiet_hours", params: { zone: "America/Sao_Paulo", until: morning } });
    const event = await test.db.messageEvent.findFirstOrThrow({ where: { messageId: id, type: "deferred" } });
    expect(event).toMatchObject({ detail: row.statusReason, reasonCode: "quiet_hours", reasonParams: row.statusReasonParams });

    const page = await list(`/app/messages?q=${encodeURIComponent("+5511987654321")}`);
    expect((page.messages as Json[]).find((message) => message.id === id)).toMatchObject({
      reason: row.statusReason, reasonCoded: { code: "quiet_hours", params: { zone: "America/Sao_Paulo", until: morning } },
    });
    const view: Json = await (await call(messageLoader, `/app/messages/${id}`, { id })).json();
    expect(view.message).toMatchObject({ statusReason: row.statusReason, statusReasonCoded: { code: "quiet_hours", params: { zone: "America/Sao_Paulo", until: morning } }, errorCoded: null });
    expect(view.events.at(-1)).toMatchObject({ type: "deferred", deferredBy: "quiet_hours", reasonCoded: { code: "quiet_hours" }, at: morning });
    // What the page shows a Spanish-speaking merchant.
    expect(translateReason(view.message.statusReasonCoded, view.message.statusReason, translator("es"), { locale: "es", timeZone: view.timeZone })).toBe(
      "Fuera del horario de envío del cliente (America/Sao_Paulo): aplazado hasta las 8:00, hora local.",
    );

    // A service that knows nothing of codes rewrites only the English (an order cancels the message):
    // the page shows that English, not the quiet-hours reason left behind.
    await test.db.message.update({ where: { id }, data: { status: "cancelled", statusReason: "the shopper bought (order #1004)" } });
    const cancelled = (await messageView(test.db, shopId, id))!;
    expect(cancelled.message).toMatchObject({ statusReason: "the shopper bought (order #1004)", statusReasonCoded: null });
    expect((await listMessages(test.db, shopId, messageListQuery(new URLSearchParams("status=not_sent")), { now: night, timeZone: "UTC" })).messages)
      .toContainEqual(expect.objectContaining({ id, reason: "the shopper bought (order #1004)", reasonCoded: null }));
  });

  it("stores a cancellation's code and params, and the English exactly as before", async () => {
    await test.db.order.create({ data: { shopId, shopifyOrderId: "1", name: "#1001", checkoutToken: "token-1", totalPrice: "10.00", currency: "BRL", placedAt: night } });
    const { id } = await newMessage({ channel: "email", checkoutToken: "token-1" });
    expect(await dispatch(id, [alreadyBoughtCheck(test.db)])).toEqual({ outcome: "cancelled", reason: "the shopper already bought (order #1001)" });
    const row = await test.db.message.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "cancelled", statusReason: "the shopper already bought (order #1001)", statusReasonCode: "already_bought_order" });
    expect(storedReason(row.statusReasonCode, row.statusReasonParams, row.statusReason)).toEqual({ code: "already_bought_order", params: { order: "#1001" } });

    const page = await list("/app/messages?status=not_sent");
    expect(page.messages).toContainEqual(expect.objectContaining({ id, reason: row.statusReason, reasonCoded: { code: "already_bought_order", params: { order: "#1001" } } }));
    const view = (await messageView(test.db, shopId, id))!;
    expect(view.events.at(-1)).toMatchObject({ type: "cancelled", detail: row.statusReason, reasonCoded: { code: "already_bought_order", params: { order: "#1001" } } });
    expect(translateReason(view.message.statusReasonCoded, view.message.statusReason, translator("pt-BR"), { locale: "pt-BR" })).toBe("O cliente já comprou (pedido #1001).");
    // The shopper's timeline on the Customers page carries it too.
    const timeline = (await customerTimeline(test.db, shopId, contactId))!;
    expect(timeline.entries.find((entry) => entry.id === id)).toMatchObject({ reason: row.statusReason, reasonCoded: { code: "already_bought_order", params: { order: "#1001" } } });
  });

  it("stores why no channel could be used, channel by channel, as the consent rules say it", async () => {
    const { id } = await newMessage({ channel: "email" });
    await test.db.message.update({ where: { id }, data: { automation: "cart_recovery", messageType: "cart_recovery", purpose: "marketing", channels: JSON.stringify(["whatsapp", "email"]) } });
    expect(await dispatch(id, [routeCheck(test.db)])).toMatchObject({ outcome: "skipped" });
    const row = await test.db.message.findUniqueOrThrow({ where: { id } });
    expect(row.statusReason).toBe(
      "No channel can be used. WhatsApp: The shopper has not agreed to receive marketing text messages; WhatsApp follows their SMS consent. Email: The shopper has not agreed to receive marketing emails.",
    );
    const coded = (await messageView(test.db, shopId, id))!.message.statusReasonCoded;
    expect(coded).toEqual({
      code: "no_usable_channel",
      params: {
        refusals: [
          { channel: "whatsapp", reason: { code: "consent_missing", params: { channel: "sms", review: false, followsSms: true } } },
          { channel: "email", reason: { code: "consent_missing", params: { channel: "email", review: false, followsSms: false } } },
        ],
      },
    });
    expect(englishReason(coded!)).toBe(row.statusReason);
    expect(translateReason(coded, row.statusReason, translator("es"), { locale: "es" })).toBe(
      "No se puede usar ningún canal. WhatsApp: El cliente no aceptó recibir mensajes de texto de marketing; WhatsApp sigue su consentimiento para SMS. Correo: El cliente no aceptó recibir correos de marketing.",
    );
  });

  it("keeps a provider's refusal verbatim as its words, on the status and the last error", async () => {
    const refusing: ChannelProvider = { id: "twilio-sms", channel: "sms", send: async () => { throw new ProviderError("21610 recipient unsubscribed", false); } };
    const { id } = await newMessage({ channel: "sms" });
    expect(await dispatch(id, [], refusing)).toEqual({ outcome: "failed", reason: "21610 recipient unsubscribed" });
    const row = await test.db.message.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ statusReason: "21610 recipient unsubscribed", error: "21610 recipient unsubscribed", statusReasonCode: "provider_error", errorCode: "provider_error" });
    const view = (await messageView(test.db, shopId, id))!;
    const coded = { code: "provider_error", params: { provider: "twilio-sms", error: "21610 recipient unsubscribed" } };
    expect(view.message).toMatchObject({ statusReasonCoded: coded, errorCoded: coded });
    expect(translateReason(view.message.errorCoded, view.message.error, translator("es"), { locale: "es" })).toBe("twilio-sms respondió: «21610 recipient unsubscribed»");
  });

  it("clears the code with the reason when the message is moved, and shows older rows' English", async () => {
    const planned = {
      shopId, contactId, automation: "shipping_updates", step: 2, subject: `moved-${kind}`, purpose: "transactional" as const, channel: "sms" as const,
      recipient: null, runAt: new Date(night.getTime() - HOUR), variables: {}, whenAlreadyScheduled: "update_run_at" as const,
    };
    const { id } = await scheduleMessage(test.db, planned, night);
    await test.db.message.update({ where: { id }, data: { messageType: "shipped" } });
    expect(await dispatch(id, [quietHoursCheck(test.db)])).toMatchObject({ outcome: "deferred" });
    expect(await test.db.message.findUniqueOrThrow({ where: { id } })).toMatchObject({ statusReasonCode: "quiet_hours" });
    // The deferral moved it to the morning; a new plan moves it again.
    expect(await scheduleMessage(test.db, { ...planned, runAt: new Date(Date.parse(morning) + HOUR) }, night)).toMatchObject({ id, moved: true });
    expect(await test.db.message.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "scheduled", statusReason: null, statusReasonCode: null, statusReasonParams: null });

    // A row written before codes existed (or by code that sets none): its English, as stored.
    const old = await newMessage({ channel: "email" });
    await test.db.message.update({ where: { id: old.id }, data: { status: "skipped", statusReason: "the shopper bought (order #1004)" } });
    const view = (await messageView(test.db, shopId, old.id))!;
    expect(view.message).toMatchObject({ statusReason: "the shopper bought (order #1004)", statusReasonCoded: null });
    expect(translateReason(view.message.statusReasonCoded, view.message.statusReason, translator("es"), { locale: "es" })).toBe("the shopper bought (order #1004)");
  });
});
