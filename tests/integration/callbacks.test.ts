// What the vendors and shoppers send back, through the real route actions and loaders, on real
// SQLite and PostgreSQL: SendGrid's signed Event Webhook, Twilio's signed status callbacks and
// inbound messages (built by the fakes the way the vendors build them), the one-click
// unsubscribe link and the satisfaction survey answer.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as sendgridEvents } from "../../app/routes/callbacks.sendgrid.events";
import { action as twilioInbound } from "../../app/routes/callbacks.twilio.inbound";
import { action as twilioStatus } from "../../app/routes/callbacks.twilio.status";
import { loader as surveyLoader } from "../../app/routes/survey";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "../../app/routes/unsubscribe";
import { displayedReason, storedReason } from "../../app/domain/messages/message-reason";
import { resetConfigForTests } from "../../app/server/config.server";
import { sealShopCredentials } from "../../app/server/providers/shop-providers.server";
import { signedLink } from "../../app/server/services/message-context.server";
import { SendGridFake, type AcceptedMail } from "../fakes/sendgrid-fake";
import { TwilioFake, type TwilioMessageResource } from "../fakes/twilio-fake";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

const APP_URL = "https://avisa.example.com";
const SENDGRID_URL = `${APP_URL}/callbacks/sendgrid/events`;
const STATUS_URL = `${APP_URL}/callbacks/twilio/status`;
const INBOUND_URL = `${APP_URL}/callbacks/twilio/inbound`;
// Shop B uses the app-level senders; shop A has its own numbers and its own Twilio account.
const APP_SMS_FROM = "+15005550006";
const APP_WHATSAPP_FROM = "+14155238886";
const SHOP_A_SMS_FROM = "+14155552671";
const SHOP_A_WHATSAPP_FROM = "+14155552672";

const args = (request: Request) => ({ request, params: {}, context: {} }) as ActionFunctionArgs & LoaderFunctionArgs;

async function call(handler: (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<Response> | Response, request: Request): Promise<Response> {
  try {
    return await handler(args(request));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const ENV_KEYS = ["SENDGRID_WEBHOOK_PUBLIC_KEY", "TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID", "TWILIO_SMS_FROM", "TWILIO_WHATSAPP_FROM", "SHOPIFY_APP_URL"] as const;

describe.each(databaseKinds())("vendor callbacks and shopper links on %s", (kind) => {
  let test: TestDatabase;
  let sendgrid: SendGridFake;
  let twilio: TwilioFake; // the app's Twilio account
  let shopTwilio: TwilioFake; // shop A's own account
  let shopA: string;
  let shopB: string;
  let lucia: string; // shop B, Spanish, +525512345678
  let ana: string; // shop B, Brazilian Portuguese, ana@example.com
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    [sendgrid, twilio, shopTwilio] = await Promise.all([SendGridFake.start(), TwilioFake.start(), TwilioFake.start()]);
    for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
    Object.assign(process.env, {
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKey,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_SMS_FROM: APP_SMS_FROM,
      TWILIO_WHATSAPP_FROM: APP_WHATSAPP_FROM,
      SHOPIFY_APP_URL: APP_URL,
    });
    resetConfigForTests();

    test = await createTestDatabase(kind);
    useDatabase(test.db);
    const a = await test.db.shop.create({
      data: { domain: "loja-a.myshopify.com", name: "Loja A", email: "a@loja-a.example", settings: JSON.stringify({ sender: { smsFrom: SHOP_A_SMS_FROM, whatsappFrom: SHOP_A_WHATSAPP_FROM } }) },
    });
    await test.db.shop.update({ where: { id: a.id }, data: { credentials: sealShopCredentials(a.id, { twilio: { accountSid: shopTwilio.accountSid, authToken: shopTwilio.authToken } }) } });
    const b = await test.db.shop.create({
      data: { domain: "casa-b.myshopify.com", name: "Casa B", email: "hola@casa-b.example", primaryLocale: "en", settings: JSON.stringify({ sender: { replyTo: "ayuda@casa-b.example" } }) },
    });
    shopA = a.id;
    shopB = b.id;
    lucia = (await test.db.contact.create({ data: { shopId: shopB, firstName: "Lucía", lastName: "Hernández", phone: "+525512345678", email: "lucia@example.com", locale: "es", countryCode: "MX" } })).id;
    ana = (await test.db.contact.create({ data: { shopId: shopB, firstName: "Ana", phone: "+5511987654321", email: "ana@example.com", locale: "pt-BR", countryCode: "BR" } })).id;
  });

  afterAll(async () => {
    await test?.drop();
    await Promise.all([sendgrid?.close(), twilio?.close(), shopTwilio?.close()]);
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    resetConfigForTests();
  });

  async function sentMessage(overrides: { shopId?: string; contactId?: string | null; channel?: string; recipient?: string; status?: string; externalId?: string; purpose?: string } = {}) {
    return test.db.message.create({
      data: {
        shopId: overrides.shopId ?? shopB,
        contactId: overrides.contactId === undefined ? ana : overrides.contactId,
        idempotencyKey: `test|${randomUUID()}`,
        automation: "order_confirmation",
        purpose: overrides.purpose ?? "transactional",
        channel: overrides.channel ?? "email",
        recipient: overrides.recipient ?? "ana@example.com",
        status: overrides.status ?? "sent",
        runAt: new Date(),
        sentAt: new Date(),
        externalId: overrides.externalId ?? randomUUID().replace(/-/g, ""),
        provider: overrides.channel === "sms" ? "twilio-sms" : overrides.channel === "whatsapp" ? "twilio-whatsapp" : "sendgrid",
      },
    });
  }

  /** The mail SendGrid accepted for a message (what the provider sent: custom_args shopId + messageId). */
  const mailFor = (message: { id: string; shopId: string; externalId: string | null; recipient: string | null }): AcceptedMail => ({
    xMessageId: message.externalId!,
    mail: {
      personalizations: [{ to: [{ email: message.recipient! }] }],
      from: { email: "loja@avisa.example.com" },
      subject: "Pedido confirmado",
      custom_args: { shopId: message.shopId, messageId: message.id },
    },
  });

  const postEvents = (events: Array<Record<string, unknown>>) => call(sendgridEvents, sendgrid.signedEventWebhook(SENDGRID_URL, events));

  const twilioResource = (message: { externalId: string | null; recipient: string | null }, from = APP_SMS_FROM): TwilioMessageResource => ({
    sid: message.externalId!,
    account_sid: twilio.accountSid,
    to: message.recipient!,
    from,
    body: "Casa B: tu pedido fue enviado",
    status: "sent",
    messaging_service_sid: null,
    num_media: "0",
  });

  /** A message's timeline: type, English detail as stored, and the reason stored beside it (checked against that English). */
  const timeline = async (messageId: string) =>
    (await test.db.messageEvent.findMany({ where: { messageId }, orderBy: { createdAt: "asc" } })).map((event) => ({
      type: event.type,
      detail: event.detail,
      reason: storedReason(event.reasonCode, event.reasonParams, event.detail),
    }));

  const counts = async () => ({
    events: await test.db.messageEvent.count(),
    consent: await test.db.consentRecord.count(),
    suppressions: await test.db.suppression.count(),
    tickets: await test.db.ticket.count(),
    ticketMessages: await test.db.ticketMessage.count(),
    contacts: await test.db.contact.count(),
    messages: await test.db.message.count(),
  });

  // -------------------------------------------------------------------------------------------
  // SendGrid Event Webhook

  describe("SendGrid Event Webhook", () => {
    it("refuses a missing or wrong signature with 401 and stores nothing", async () => {
      const message = await sentMessage();
      const events = [sendgrid.event(mailFor(message), "spamreport")];
      const before = await counts();

      const unsigned = new Request(SENDGRID_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events) });
      const missing = await call(sendgridEvents, unsigned);
      expect(missing.status).toBe(401);
      expect((await missing.json()).error).toMatch(/Signed Event Webhook/);

      const signed = sendgrid.signedEventWebhook(SENDGRID_URL, events);
      const tampered = new Request(SENDGRID_URL, { method: "POST", headers: signed.headers, body: JSON.stringify([{ ...events[0], email: "other@example.com" }]) });
      const wrong = await call(sendgridEvents, tampered);
      expect(wrong.status).toBe(401);
      expect((await wrong.json()).error).toMatch(/signature does not match/);

      expect(await counts()).toEqual(before);
    });

    it("answers 400 to a signed body that is not an event array", async () => {
      const response = await call(sendgridEvents, sendgrid.signedEventWebhook(SENDGRID_URL, [], { rawBody: JSON.stringify({ event: "delivered" }) }));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/JSON array/);
    });

    it("records delivered, opened and clicked (with the URL) and moves the status forward", async () => {
      const message = await sentMessage();
      const mail = mailFor(message);
      const response = await postEvents([
        sendgrid.event(mail, "delivered", { response: "250 OK" }),
        sendgrid.event(mail, "open"),
        sendgrid.event(mail, "click", { url: "https://casa-b.example/products/mug" }),
      ]);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: 3, recorded: 3, duplicates: 0, unmatched: 0 });

      const stored = await test.db.message.findUniqueOrThrow({ where: { id: message.id } });
      expect(stored.status).toBe("clicked");
      expect(stored.deliveredAt).toBeInstanceOf(Date);
      expect(stored.openedAt).toBeInstanceOf(Date);
      expect(stored.clickedAt).toBeInstanceOf(Date);
      const events = await test.db.messageEvent.findMany({ where: { messageId: message.id }, orderBy: { createdAt: "asc" } });
      expect(events.map((event) => event.type)).toEqual(["delivered", "opened", "clicked"]);
      expect(events[2].detail).toContain("https://casa-b.example/products/mug");
      // The English as always (with SendGrid's event id for de-duplication), and the same as a code with SendGrid's words.
      expect(events.every((event) => / \(SendGrid event [^)]+\)$/.test(event.detail!))).toBe(true);
      expect(events.map((event) => event.detail!.replace(/ \(SendGrid event [^)]+\)$/, ""))).toEqual(["Delivered to ana@example.com: 250 OK", "Opened", "Clicked https://casa-b.example/products/mug"]);
      expect((await timeline(message.id)).map((event) => event.reason)).toEqual([
        { code: "sendgrid_delivered", params: { email: "ana@example.com", detail: "250 OK" } },
        { code: "sendgrid_opened", params: {} },
        { code: "sendgrid_clicked", params: { url: "https://casa-b.example/products/mug" } },
      ]);
    });

    it("never moves the status backwards: a late delivered after opened is logged, not applied", async () => {
      const message = await sentMessage();
      const mail = mailFor(message);
      await postEvents([sendgrid.event(mail, "open")]);
      await postEvents([sendgrid.event(mail, "delivered")]);
      const stored = await test.db.message.findUniqueOrThrow({ where: { id: message.id } });
      expect(stored.status).toBe("opened");
      expect(stored.deliveredAt).toBeInstanceOf(Date); // the open already proved delivery
      expect((await test.db.messageEvent.findMany({ where: { messageId: message.id } })).map((event) => event.type).sort()).toEqual(["delivered", "opened"]);
    });

    it("records the same event (sg_event_id) once, however often it arrives", async () => {
      const message = await sentMessage();
      const event = sendgrid.event(mailFor(message), "delivered");
      expect(await (await postEvents([event, event])).json()).toMatchObject({ recorded: 1, duplicates: 1 });
      expect(await (await postEvents([event])).json()).toMatchObject({ recorded: 0, duplicates: 1 });
      expect(await test.db.messageEvent.count({ where: { messageId: message.id } })).toBe(1);

      // Two deliveries of one event at the same time (SendGrid retries a batch it timed out on).
      const click = sendgrid.event(mailFor(message), "click", { url: "https://casa-b.example/" });
      const answers = await Promise.all([postEvents([click]), postEvents([click]), postEvents([click])]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(await test.db.messageEvent.count({ where: { messageId: message.id, type: "clicked" } })).toBe(1);
    });

    it("finds the message by its X-Message-Id within the shop when custom_args carry no messageId", async () => {
      const message = await sentMessage();
      const event = sendgrid.event(mailFor(message), "delivered");
      delete event.messageId;
      expect(await (await postEvents([event])).json()).toMatchObject({ recorded: 1 });
      expect((await test.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("delivered");

      const otherShop = { ...event, shopId: shopA, sg_event_id: randomUUID() };
      expect(await (await postEvents([otherShop])).json()).toMatchObject({ recorded: 0, unmatched: 1 });
    });

    it("a hard bounce suppresses the address; a soft one does not", async () => {
      const message = await sentMessage({ recipient: "gone@example.com" });
      await postEvents([sendgrid.event(mailFor(message), "bounce", { type: "bounce", reason: "550 5.1.1 user unknown" })]);
      const stored = await test.db.message.findUniqueOrThrow({ where: { id: message.id } });
      expect(stored).toMatchObject({ status: "bounced" });
      expect(stored.statusReason).toContain("550 5.1.1 user unknown");
      // Stored in English as always, and as a code with SendGrid's words for the admin (status reason and error alike).
      const bounce = { code: "sendgrid_bounced", params: { email: "gone@example.com", detail: "550 5.1.1 user unknown" } };
      const english = "Bounced: the address does not accept email: 550 5.1.1 user unknown. No more email goes to gone@example.com.";
      expect(stored).toMatchObject({ statusReason: english, error: english, statusReasonCode: "sendgrid_bounced", errorCode: "sendgrid_bounced" });
      expect(displayedReason(stored)).toEqual({ text: english, coded: bounce });
      expect(storedReason(stored.errorCode, stored.errorParams, stored.error)).toEqual(bounce);
      expect((await timeline(message.id)).map((event) => [event.type, event.reason])).toEqual([["bounced", bounce]]);
      expect(await test.db.suppression.findMany({ where: { shopId: shopB, address: "gone@example.com" } })).toMatchObject([{ channel: "email", reason: "hard_bounce" }]);

      const soft = await sentMessage({ recipient: "full@example.com" });
      await postEvents([sendgrid.event(mailFor(soft), "bounce", { type: "blocked", reason: "421 mailbox full" })]);
      expect(await test.db.suppression.count({ where: { address: "full@example.com" } })).toBe(0);
      const [blocked] = await timeline(soft.id);
      expect(blocked.detail).toMatch(/^Blocked by the receiving server: 421 mailbox full \(SendGrid event /);
      expect(blocked.reason).toEqual({ code: "sendgrid_blocked", params: { detail: "421 mailbox full" } });
    });

    it("a spam report suppresses the address and unsubscribes the shopper from email", async () => {
      const message = await sentMessage({ contactId: lucia, recipient: "lucia@example.com" });
      const event = sendgrid.event(mailFor(message), "spamreport");
      await postEvents([event]);
      expect(await test.db.suppression.findMany({ where: { shopId: shopB, address: "lucia@example.com" } })).toMatchObject([{ channel: "email", reason: "spam_complaint" }]);
      const [record] = await test.db.consentRecord.findMany({ where: { contactId: lucia, channel: "email" } });
      expect(record).toMatchObject({ shopId: shopB, state: "unsubscribed", source: "sendgrid" });
      expect(JSON.parse(record.evidence!)).toMatchObject({ sendgridEventId: event.sg_event_id, event: "spam_report" });
      expect((await test.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("sent"); // consent, not status
    });

    it("an unsubscribe (or group unsubscribe) goes to the consent ledger once", async () => {
      const message = await sentMessage();
      const mail = mailFor(message);
      await postEvents([sendgrid.event(mail, "unsubscribe"), sendgrid.event(mail, "group_unsubscribe", { asm_group_id: 42 })]);
      const records = await test.db.consentRecord.findMany({ where: { contactId: ana, channel: "email" } });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ state: "unsubscribed", source: "sendgrid" });
      expect(await test.db.messageEvent.count({ where: { messageId: message.id, type: "unsubscribe" } })).toBe(2);
      expect((await timeline(message.id)).map((event) => event.reason?.code).sort()).toEqual(["sendgrid_group_unsubscribe", "sendgrid_unsubscribe"]);
      expect(await test.db.suppression.count({ where: { address: "ana@example.com" } })).toBe(0);
    });

    it("skips events it cannot tie to a shop", async () => {
      const event = { email: "x@example.com", timestamp: Math.floor(Date.now() / 1000), event: "delivered", sg_event_id: randomUUID(), sg_message_id: "abc.filter" };
      expect(await (await postEvents([event])).json()).toEqual({ received: 1, recorded: 0, duplicates: 0, unmatched: 1 });
    });
  });

  // -------------------------------------------------------------------------------------------
  // Twilio status callbacks

  describe("Twilio status callbacks", () => {
    const smsMessage = (overrides: Parameters<typeof sentMessage>[0] = {}) =>
      sentMessage({ channel: "sms", recipient: "+5511987654321", externalId: `SM${randomUUID().replace(/-/g, "")}`, ...overrides });

    it("refuses a wrong or missing signature with 403 and changes nothing", async () => {
      const message = await smsMessage();
      const params = twilio.statusCallbackParams(twilioResource(message), "delivered");
      const before = await counts();

      const wrong = await call(twilioStatus, twilio.signedPost(STATUS_URL, params, { authToken: "0".repeat(32) }));
      expect(wrong.status).toBe(403);
      expect(await wrong.text()).toMatch(/X-Twilio-Signature does not match/);

      const signed = twilio.signedPost(STATUS_URL, params);
      const unsigned = new Request(STATUS_URL, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: await signed.text() });
      expect((await call(twilioStatus, unsigned)).status).toBe(403);

      // Twilio signs the URL it called: a signature for another address does not count.
      expect((await call(twilioStatus, twilio.signedPost(STATUS_URL, params, { signature: twilio.signedPost(`${APP_URL}/other`, params).headers.get("x-twilio-signature")! }))).status).toBe(403);
      expect(await counts()).toEqual(before);
      expect((await test.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("sent");
    });

    it("delivered moves the message forward; a retried callback is recorded once", async () => {
      const message = await smsMessage();
      const params = twilio.statusCallbackParams(twilioResource(message), "delivered");
      expect((await call(twilioStatus, twilio.signedPost(STATUS_URL, params))).status).toBe(204);
      expect((await call(twilioStatus, twilio.signedPost(STATUS_URL, params))).status).toBe(204);
      const stored = await test.db.message.findUniqueOrThrow({ where: { id: message.id }, include: { events: true } });
      expect(stored.status).toBe("delivered");
      expect(stored.deliveredAt).toBeInstanceOf(Date);
      expect(stored.events.map((event) => [event.type, event.detail])).toEqual([["delivered", "Twilio: delivered"]]);
      expect((await timeline(message.id))[0].reason).toEqual({ code: "twilio_status", params: { status: "delivered", errorCode: null, error: null, vendorWords: false } });
    });

    it("a late sent after delivered does not move the status back", async () => {
      const message = await smsMessage({ status: "delivered" });
      await call(twilioStatus, twilio.signedPost(STATUS_URL, twilio.statusCallbackParams(twilioResource(message), "sent")));
      expect((await test.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("delivered");
    });

    it("failed / undelivered fail the message with the carrier's reason", async () => {
      const message = await smsMessage();
      await call(twilioStatus, twilio.signedPost(STATUS_URL, twilio.statusCallbackParams(twilioResource(message), "undelivered", 30003)));
      const stored = await test.db.message.findUniqueOrThrow({ where: { id: message.id } });
      expect(stored.status).toBe("failed");
      expect(stored.statusReason).toMatch(/unreachable.*30003/);
      // Twilio sent only the code: Avisa's explanation, stored in English and as a code the admin translates.
      const explained = { errorCode: "30003", error: "The phone is unreachable (switched off or out of coverage).", vendorWords: false };
      expect(stored).toMatchObject({ statusReason: "The phone is unreachable (switched off or out of coverage). (Twilio error 30003)", errorCode: "twilio_error" });
      expect(displayedReason(stored).coded).toEqual({ code: "twilio_error", params: explained });
      expect(await timeline(message.id)).toEqual([{
        type: "failed",
        detail: "Twilio: undelivered (error 30003: The phone is unreachable (switched off or out of coverage).)",
        reason: { code: "twilio_status", params: { status: "undelivered", ...explained } },
      }]);

      // Twilio's own words, when it sends them, are kept verbatim and marked as Twilio's.
      const worded = await smsMessage();
      const params = { ...twilio.statusCallbackParams(twilioResource(worded), "failed", 30450), ErrorMessage: "Message delivery blocked by carrier" };
      expect((await call(twilioStatus, twilio.signedPost(STATUS_URL, params))).status).toBe(204);
      const failed = await test.db.message.findUniqueOrThrow({ where: { id: worded.id } });
      expect(failed.statusReason).toBe("Message delivery blocked by carrier (Twilio error 30450)");
      expect(displayedReason(failed).coded).toEqual({ code: "twilio_error", params: { errorCode: "30450", error: "Message delivery blocked by carrier", vendorWords: true } });

      // Failed without an error code.
      const bare = await smsMessage();
      await call(twilioStatus, twilio.signedPost(STATUS_URL, twilio.statusCallbackParams(twilioResource(bare), "canceled")));
      const canceled = await test.db.message.findUniqueOrThrow({ where: { id: bare.id } });
      expect(canceled).toMatchObject({ status: "failed", statusReason: "Twilio reported the message canceled" });
      expect(displayedReason(canceled).coded).toEqual({ code: "twilio_failed_status", params: { status: "canceled" } });
    });

    it("21610 records the shopper's carrier opt-out in the consent ledger", async () => {
      const message = await smsMessage({ contactId: ana });
      await call(twilioStatus, twilio.signedPost(STATUS_URL, twilio.statusCallbackParams(twilioResource(message), "failed", 21610)));
      expect((await test.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("failed");
      const records = await test.db.consentRecord.findMany({ where: { contactId: ana, channel: "sms" } });
      expect(records).toMatchObject([{ state: "unsubscribed", source: "carrier" }]);
      expect(await test.db.messageEvent.count({ where: { messageId: message.id, type: "opted_out" } })).toBe(1);
      const optedOut = (await timeline(message.id)).find((event) => event.type === "opted_out")!;
      expect(optedOut).toEqual({
        type: "opted_out",
        detail: "The shopper has replied STOP to this number: recorded in their consent, nothing more is texted to them until they reply START.",
        reason: { code: "carrier_opt_out", params: {} },
      });
    });

    it("63016 explains the WhatsApp 24-hour window", async () => {
      const message = await sentMessage({ channel: "whatsapp", recipient: "whatsapp:+5511987654321", externalId: `SM${randomUUID().replace(/-/g, "")}` });
      const params = twilio.statusCallbackParams(twilioResource(message, `whatsapp:${APP_WHATSAPP_FROM}`), "failed", 63016);
      expect((await call(twilioStatus, twilio.signedPost(STATUS_URL, params))).status).toBe(204);
      const window = await test.db.messageEvent.findFirstOrThrow({ where: { messageId: message.id, type: "whatsapp_window" } });
      expect(window.detail).toMatch(/24 hours.*template/);
      expect(storedReason(window.reasonCode, window.reasonParams, window.detail)).toEqual({ code: "whatsapp_window_refused", params: {} });
    });

    it("checks a shop's callbacks with its own auth token when it has one", async () => {
      const message = await smsMessage({ shopId: shopA, contactId: null });
      const params = twilio.statusCallbackParams(twilioResource(message, SHOP_A_SMS_FROM), "delivered");
      expect((await call(twilioStatus, twilio.signedPost(STATUS_URL, params))).status).toBe(403); // the app's token is not shop A's
      expect((await call(twilioStatus, shopTwilio.signedPost(STATUS_URL, params))).status).toBe(204);
      expect((await test.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("delivered");
    });

    it("accepts the public URL Twilio signed when the app sees another host", async () => {
      const message = await smsMessage();
      const params = twilio.statusCallbackParams(twilioResource(message), "delivered");
      const signed = twilio.signedPost(STATUS_URL, params);
      const internal = new Request("http://127.0.0.1:3000/callbacks/twilio/status", { method: "POST", headers: signed.headers, body: await signed.text() });
      expect((await call(twilioStatus, internal)).status).toBe(204);
      expect((await test.db.message.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("delivered");
    });
  });

  // -------------------------------------------------------------------------------------------
  // Twilio inbound messages

  describe("Twilio inbound messages", () => {
    const inbound = (body: string, options: { from?: string; to?: string; channel?: "sms" | "whatsapp"; extra?: Record<string, string>; client?: TwilioFake } = {}) => {
      const params = {
        ...twilio.inboundParams({ from: options.from ?? "+525512345678", to: options.to ?? APP_SMS_FROM, body, channel: options.channel }),
        ...options.extra,
      };
      return { params, request: () => (options.client ?? twilio).signedPost(INBOUND_URL, params) };
    };
    const send = async (request: Request) => {
      const response = await call(twilioInbound, request);
      return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
    };

    it("refuses a wrong signature with 403 and stores nothing", async () => {
      const before = await counts();
      const { params } = inbound("Hola, ¿dónde está mi pedido?", { from: "+34612345678" });
      const answer = await send(twilio.signedPost(INBOUND_URL, params, { authToken: "f".repeat(32) }));
      expect(answer.status).toBe(403);
      expect(await counts()).toEqual(before);
    });

    it("STOP revokes consent on the channel and confirms in the shopper's language", async () => {
      const answer = await send(inbound("Stop").request());
      expect(answer.status).toBe(200);
      expect(answer.type).toMatch(/^text\/xml/);
      expect(answer.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Message>Casa B: Te has dado de baja.*<\/Message><\/Response>$/);
      const latest = await test.db.consentRecord.findFirstOrThrow({ where: { contactId: lucia, channel: "sms" }, orderBy: { recordedAt: "desc" } });
      expect(latest).toMatchObject({ shopId: shopB, state: "revoked", source: "keyword" });
    });

    it("START grants it again; HELP answers with how to reach the store", async () => {
      const start = await send(inbound("START").request());
      expect(start.text).toContain("Te has vuelto a suscribir");
      const latest = await test.db.consentRecord.findFirstOrThrow({ where: { contactId: lucia, channel: "sms" }, orderBy: [{ recordedAt: "desc" }, { id: "desc" }] });
      expect(latest).toMatchObject({ state: "granted", source: "keyword" });

      const before = await counts();
      const help = await send(inbound("ayuda").request());
      expect(help.text).toContain("Ayuda: ayuda@casa-b.example");
      expect(await counts()).toEqual(before);
    });

    it("does not answer a keyword Twilio already answered (OptOutType), but still records it", async () => {
      const answer = await send(inbound("BAJA", { extra: { OptOutType: "STOP" } }).request());
      expect(answer.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      const latest = await test.db.consentRecord.findFirstOrThrow({ where: { contactId: lucia, channel: "sms" }, orderBy: [{ recordedAt: "desc" }, { id: "desc" }] });
      expect(latest.state).toBe("revoked");
    });

    it("a plain message opens a ticket and schedules the merchant alert; the next one joins it", async () => {
      const first = inbound("Hola, mi pedido #1003 no ha llegado", { from: "+5511987654321" });
      const answer = await send(first.request());
      expect(answer.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopB, contactId: ana }, include: { messages: true } });
      expect(ticket).toMatchObject({ status: "open", channel: "sms" });
      expect(ticket.messages).toMatchObject([{ direction: "inbound", channel: "sms", body: "Hola, mi pedido #1003 no ha llegado", fromAddress: "+5511987654321", externalId: first.params.MessageSid }]);

      const alerts = await test.db.message.findMany({ where: { shopId: shopB, automation: "merchant_alert" } });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ contactId: null, messageType: "merchant_alert", status: "scheduled", purpose: "transactional" });
      expect(JSON.parse(alerts[0].variables).contactRequest).toEqual({
        name: "Ana", phone: "+5511987654321", email: "ana@example.com", message: "Hola, mi pedido #1003 no ha llegado", ticketId: ticket.id,
      });
      expect(await test.db.job.count({ where: { shopId: shopB, kind: "dispatch-message" } })).toBeGreaterThanOrEqual(1);

      // Twilio retries the same delivery (even while the first is still being handled): recorded once.
      await Promise.all([send(first.request()), send(first.request())]);
      const second = await send(inbound("Es el pedido de la taza", { from: "+5511987654321" }).request());
      expect(second.status).toBe(200);
      const messages = await test.db.ticketMessage.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: "asc" } });
      expect(messages.map((message) => message.body)).toEqual(["Hola, mi pedido #1003 no ha llegado", "Es el pedido de la taza"]);
      expect(await test.db.ticket.count({ where: { shopId: shopB, contactId: ana } })).toBe(1);
      expect(await test.db.message.count({ where: { shopId: shopB, automation: "merchant_alert" } })).toBe(1);
    });

    it("a WhatsApp message opens the 24-hour window; an unknown number becomes a contact", async () => {
      const answer = await send(inbound("Olá! Vocês entregam em Recife?", { from: "+5581998765432", to: APP_WHATSAPP_FROM, channel: "whatsapp", extra: { ProfileName: "Rafa" } }).request());
      expect(answer.status).toBe(200);
      const contact = await test.db.contact.findFirstOrThrow({ where: { shopId: shopB, phone: "+5581998765432" } });
      expect(contact.lastWhatsappInboundAt).toBeInstanceOf(Date);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { contactId: contact.id } });
      expect(ticket.channel).toBe("whatsapp");
      const alert = await test.db.message.findFirstOrThrow({ where: { shopId: shopB, automation: "merchant_alert", idempotencyKey: { endsWith: `contact_request:${ticket.id}` } } });
      expect(JSON.parse(alert.variables).contactRequest).toMatchObject({ name: "Rafa", phone: "+5581998765432" });
    });

    it("routes a shop's own number to that shop, checked with its own token", async () => {
      const message = inbound("STOP", { from: "+13055550142", to: SHOP_A_SMS_FROM, client: shopTwilio });
      const answer = await send(message.request());
      expect(answer.text).toContain("Loja A: You're unsubscribed");
      const contact = await test.db.contact.findFirstOrThrow({ where: { shopId: shopA, phone: "+13055550142" } });
      expect(await test.db.consentRecord.findMany({ where: { contactId: contact.id } })).toMatchObject([{ channel: "sms", state: "revoked", source: "keyword" }]);
      // Signed with the app's token instead: refused.
      expect((await send(twilio.signedPost(INBOUND_URL, { ...message.params, MessageSid: "SM0" }))).status).toBe(403);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Unsubscribe link

  describe("unsubscribe link", () => {
    const url = (token: string) => `${APP_URL}/unsubscribe?token=${encodeURIComponent(token)}`;
    const tokenFor = (contactId: string, channel: string, at = new Date(), days = 365) => signedLink("unsubscribe", { s: shopB, c: contactId, ch: channel }, at, days);

    async function pending(contactId: string, purpose: string, channels: string[]) {
      return test.db.message.create({
        data: {
          shopId: shopB, contactId, idempotencyKey: `test|${randomUUID()}`, automation: purpose === "marketing" ? "cart_recovery" : "order_confirmation",
          purpose, channel: channels[0], channels: JSON.stringify(channels), status: "scheduled", runAt: new Date(Date.now() + 3_600_000),
        },
      });
    }

    it("GET shows a page in the shopper's language and changes nothing", async () => {
      const before = await counts();
      const response = await call(unsubscribeLoader, new Request(url(tokenFor(lucia, "whatsapp"))));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('<html lang="es">');
      expect(html).toContain("¿Dejar de recibir promociones de Casa B por WhatsApp?");
      expect(html).toMatch(/<form method="post" action="\/unsubscribe\?token=[^"]+">/);
      expect(html).toContain('<button type="submit">Cancelar suscripción</button>');
      expect(html).not.toContain("<script");
      expect(await counts()).toEqual(before);
    });

    it("POST one-click unsubscribes, cancels pending marketing on that channel only, and is idempotent", async () => {
      const emailOnly = await pending(ana, "marketing", ["email"]);
      const withFallback = await pending(ana, "marketing", ["email", "sms"]);
      const orderUpdate = await pending(ana, "transactional", ["email"]);
      const token = tokenFor(ana, "email");
      const oneClick = () =>
        call(unsubscribeAction, new Request(url(token), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }));

      const response = await oneClick();
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<html lang="pt-BR">');
      expect(html).toContain("Inscrição cancelada");

      const latest = await test.db.consentRecord.findFirstOrThrow({ where: { contactId: ana, channel: "email" }, orderBy: [{ recordedAt: "desc" }, { id: "desc" }] });
      expect(latest).toMatchObject({ state: "unsubscribed", source: "unsubscribe_link" });
      const cancelled = await test.db.message.findUniqueOrThrow({ where: { id: emailOnly.id } });
      expect(cancelled).toMatchObject({ status: "cancelled", statusReason: "the shopper unsubscribed with the link in a message", statusReasonCode: "unsubscribed_by_link" });
      expect(displayedReason(cancelled).coded).toEqual({ code: "unsubscribed_by_link", params: {} });
      expect((await timeline(emailOnly.id)).filter((event) => event.type === "cancelled")).toEqual([
        { type: "cancelled", detail: "the shopper unsubscribed with the link in a message", reason: { code: "unsubscribed_by_link", params: {} } },
      ]);
      expect((await test.db.message.findUniqueOrThrow({ where: { id: withFallback.id } })).status).toBe("scheduled");
      expect((await test.db.message.findUniqueOrThrow({ where: { id: orderUpdate.id } })).status).toBe("scheduled");

      const before = await counts();
      expect((await oneClick()).status).toBe(200);
      expect(await counts()).toEqual(before);
      // Opening the link again now says so, without a button.
      const again = await (await call(unsubscribeLoader, new Request(url(token)))).text();
      expect(again).toContain("Inscrição cancelada");
      expect(again).not.toContain("<form");
    });

    it("an expired or altered token gets a 400 page that says what to do", async () => {
      const expired = tokenFor(lucia, "email", new Date(Date.now() - 400 * 86_400_000));
      const response = await call(unsubscribeAction, new Request(url(expired), { method: "POST", headers: { "accept-language": "es-MX,es;q=0.9" }, body: "List-Unsubscribe=One-Click" }));
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain("Este enlace ha caducado");
      expect(html).toContain("responde BAJA");

      const altered = `${tokenFor(lucia, "email").slice(0, -3)}abc`;
      const page = await call(unsubscribeLoader, new Request(url(altered)));
      expect(page.status).toBe(400);
      expect(await page.text()).toContain("This link does not work");
      expect((await call(unsubscribeLoader, new Request(`${APP_URL}/unsubscribe`))).status).toBe(400);
      expect(await test.db.consentRecord.count({ where: { contactId: lucia, channel: "email", source: "unsubscribe_link" } })).toBe(0);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Satisfaction survey

  describe("satisfaction survey", () => {
    it("records one answer per message, changed by a later click, and thanks in the shopper's language", async () => {
      const message = await sentMessage({ contactId: ana });
      await test.db.message.update({ where: { id: message.id }, data: { locale: "pt-BR", automation: "satisfaction_survey" } });
      const token = signedLink("survey", { s: shopB, m: message.id }, new Date(), 60);
      const answer = (rating: string) => call(surveyLoader, new Request(`${APP_URL}/survey?token=${encodeURIComponent(token)}&rating=${rating}`));

      const first = await answer("4");
      expect(first.status).toBe(200);
      const html = await first.text();
      expect(html).toContain('<html lang="pt-BR">');
      expect(html).toContain("Obrigado!");
      expect(html).toContain("nota 4 de 5");
      expect(await test.db.surveyAnswer.findMany({ where: { messageId: message.id } })).toMatchObject([{ shopId: shopB, contactId: ana, rating: 4 }]);

      expect((await answer("2")).status).toBe(200);
      expect(await test.db.surveyAnswer.findMany({ where: { messageId: message.id } })).toMatchObject([{ rating: 2 }]);

      expect((await answer("9")).status).toBe(400);
      expect((await answer("abc")).status).toBe(400);
      expect(await test.db.surveyAnswer.findMany({ where: { messageId: message.id } })).toMatchObject([{ rating: 2 }]);

      const forged = await call(surveyLoader, new Request(`${APP_URL}/survey?token=${encodeURIComponent(signedLink("unsubscribe", { s: shopB, m: message.id }, new Date(), 60))}&rating=5`));
      expect(forged.status).toBe(400);
    });
  });
});
