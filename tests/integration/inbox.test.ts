// The inbox end to end, on real SQLite and PostgreSQL: shoppers write through the storefront
// contact form (signed app proxy), by email (SendGrid Inbound Parse, posted as SendGrid posts it)
// and by SMS/WhatsApp (Twilio, signed as Twilio signs); related messages land in one ticket; the
// merchant splits, changes status and answers; the worker sends the answers through the official
// SDKs to the fake vendors (which check every request against the vendors' OpenAPI specs); and
// a customers/redact erases the shopper's conversations and reviews. Two shops throughout: no
// shop can see or touch the other's tickets.
import { randomBytes, randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../app/domain/ports";
import { action as sendgridInbound } from "../../app/routes/callbacks.sendgrid.inbound";
import { action as twilioInbound } from "../../app/routes/callbacks.twilio.inbound";
import { action as contactAction } from "../../app/routes/proxy.contact";
import { DEMO_SHOP_DOMAIN, resetConfigForTests } from "../../app/server/config.server";
import type { Database } from "../../app/server/db.server";
import { jobHandlers, sendTimeChecks } from "../../app/server/jobs.server";
import { createLogger } from "../../app/server/logger.server";
import { providersForShop } from "../../app/server/providers/shop-providers.server";
import { DatabaseJobQueue } from "../../app/server/queue/job-queue.server";
import { startWorker, type Worker } from "../../app/server/queue/worker.server";
import { messageComposer } from "../../app/server/services/compose-message.server";
import { exportCustomerData, redactCustomer } from "../../app/server/services/customer-privacy.server";
import { dispatchMessage } from "../../app/server/services/dispatch-message.server";
import { addToInbox, replyChannels, replyToTicket, setTicketStatus, splitTicket, type InboxRefusal, type TicketChannel } from "../../app/server/services/inbox.server";
import { translator } from "../../app/i18n";
import { action as ticketAction, inboxRefusalSaid } from "../../app/routes/app.inbox.$id";
import { DISPATCH_MESSAGE_JOB } from "../../app/server/services/schedule-message.server";
import { SendGridFake, type SendGridMailBody } from "../fakes/sendgrid-fake";
import { TwilioFake } from "../fakes/twilio-fake";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { inboundParseRequest, type InboundEmailOptions } from "../helpers/sendgrid-inbound-parse";
import { signedAppProxyRequest } from "../helpers/shopify-signing";
import { useDatabase } from "../helpers/use-database";

const APP_URL = "https://avisa.example.com";
const TWILIO_INBOUND_URL = `${APP_URL}/callbacks/twilio/inbound`;
const SENDGRID_INBOUND_URL = `${APP_URL}/callbacks/sendgrid/inbound`;
const INBOUND_DOMAIN = "inbound.avisa.example.com";
const INBOUND_KEY = randomBytes(24).toString("base64url");
const API_SECRET = `shpss_${randomBytes(16).toString("hex")}`;
const FROM_EMAIL = "avisa@avisa.example.com";
const SHOP_A = "loja-a.myshopify.com"; // Brazilian store, handle loja-a
const SHOP_B = "casa-b.myshopify.com"; // Mexican store, handle casa-b
const A_SMS = "+14155552671";
const A_WHATSAPP = "+14155552672";
const B_SMS = "+14155552681";
const B_WHATSAPP = "+14155552682";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ENV_KEYS = [
  "SHOPIFY_APP_URL", "SHOPIFY_API_SECRET", "MESSAGE_DELIVERY",
  "SENDGRID_API_KEY", "SENDGRID_FROM_EMAIL", "SENDGRID_BASE_URL", "SENDGRID_INBOUND_DOMAIN", "SENDGRID_INBOUND_KEY", "SENDGRID_WEBHOOK_PUBLIC_KEY",
  "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_SMS_FROM", "TWILIO_WHATSAPP_FROM", "TWILIO_BASE_URL",
] as const;

type Handler = (args: ActionFunctionArgs) => Promise<Response> | Response;

async function call(handler: Handler, request: Request): Promise<Response> {
  try {
    return await handler({ request, params: {}, context: {} } as ActionFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type ContactRow = Awaited<ReturnType<Database["contact"]["findUniqueOrThrow"]>>;

const logger = createLogger("error");
const wallClock: Clock = { now: () => new Date() };
const textOf = (mail: SendGridMailBody) => mail.content?.find((part) => part.type === "text/plain")?.value ?? "";
const htmlOf = (mail: SendGridMailBody) => mail.content?.find((part) => part.type === "text/html")?.value ?? "";

// Each test posts from its own shopper IP address: the contact form allows 5 posts an hour per address.
let lastIp = 0;
const freshIp = () => `198.51.100.${++lastIp}`;

describe.each(databaseKinds())("inbox on %s", (kind) => {
  let test: TestDatabase;
  let sendgrid: SendGridFake;
  let twilio: TwilioFake;
  let worker: Worker;
  let shopA: string;
  let shopB: string;
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    [sendgrid, twilio] = await Promise.all([SendGridFake.start(), TwilioFake.start()]);
    for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
    for (const key of ENV_KEYS) delete process.env[key];
    Object.assign(process.env, {
      SHOPIFY_APP_URL: APP_URL,
      SHOPIFY_API_SECRET: API_SECRET,
      MESSAGE_DELIVERY: "vendors",
      SENDGRID_API_KEY: sendgrid.apiKey,
      SENDGRID_FROM_EMAIL: FROM_EMAIL,
      SENDGRID_BASE_URL: sendgrid.url,
      SENDGRID_INBOUND_DOMAIN: INBOUND_DOMAIN,
      SENDGRID_INBOUND_KEY: INBOUND_KEY,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_SMS_FROM: "+15005550006",
      TWILIO_WHATSAPP_FROM: "+14155238886",
      TWILIO_BASE_URL: twilio.url,
    });
    resetConfigForTests();

    test = await createTestDatabase(kind);
    useDatabase(test.db);
    shopA = (
      await test.db.shop.create({
        data: {
          domain: SHOP_A, name: "Loja A", email: "contato@loja-a.example", primaryLocale: "pt-BR", timeZone: "America/Sao_Paulo",
          settings: JSON.stringify({ sender: { smsFrom: A_SMS, whatsappFrom: A_WHATSAPP } }),
        },
      })
    ).id;
    shopB = (
      await test.db.shop.create({
        data: {
          domain: SHOP_B, name: "Casa B", email: "hola@casa-b.example", primaryLocale: "es", timeZone: "America/Mexico_City",
          settings: JSON.stringify({ sender: { smsFrom: B_SMS, whatsappFrom: B_WHATSAPP } }),
        },
      })
    ).id;
    // The worker sends due messages exactly as in production (jobHandlers → providersForShop → vendors);
    // it only runs when a test drains it.
    worker = startWorker({
      queue: new DatabaseJobQueue(test.db, kind),
      handlers: { [DISPATCH_MESSAGE_JOB]: jobHandlers()[DISPATCH_MESSAGE_JOB] },
      clock: wallClock,
      logger,
      pollIntervalMs: 3_600_000,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await test?.drop();
    // Every request the app made had to satisfy the vendors' own API descriptions.
    const problems = [...(sendgrid?.requests ?? []), ...(twilio?.requests ?? [])].flatMap((request) => request.problems);
    await Promise.all([sendgrid?.close(), twilio?.close()]);
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    resetConfigForTests();
    expect(problems).toEqual([]);
  });

  beforeEach(() => {
    sendgrid.reset();
    twilio.reset();
  });

  // ------------------------------------------------------------------------------------------
  // Helpers

  /** The contact block's POST as Shopify's app proxy forwards it (signed query, unsigned body). */
  function contactRequest(
    shop: string,
    fields: Record<string, string>,
    options: { ip?: string; secret?: string; accept?: string; tamper?: (params: URLSearchParams) => void; timestamp?: number; loggedInCustomerId?: string } = {},
  ): Request {
    const signed = signedAppProxyRequest({
      appUrl: APP_URL, path: "/proxy/contact", secret: options.secret ?? API_SECRET, shop, tamper: options.tamper, timestamp: options.timestamp, loggedInCustomerId: options.loggedInCustomerId,
    });
    return new Request(signed.url, {
      method: "POST",
      headers: {
        "user-agent": signed.headers.get("user-agent") ?? "Mozilla/5.0",
        "content-type": "application/x-www-form-urlencoded",
        accept: options.accept ?? "application/json",
        "x-forwarded-for": `${options.ip ?? freshIp()}, 23.227.38.32`,
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async function postContact(shop: string, fields: Record<string, string>, options: Parameters<typeof contactRequest>[2] = {}) {
    const response = await call(contactAction, contactRequest(shop, fields, options));
    const text = await response.text();
    let json: Record<string, any> = {};
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: the Liquid page
    }
    return { status: response.status, headers: response.headers, json, text };
  }

  async function postSms(body: string, options: { from: string; to: string; channel?: "sms" | "whatsapp"; profileName?: string }) {
    const params = twilio.inboundParams({ from: options.from, to: options.to, body, channel: options.channel, profileName: options.profileName });
    const response = await call(twilioInbound, twilio.signedPost(TWILIO_INBOUND_URL, params));
    return { status: response.status, text: await response.text(), params };
  }

  async function postEmail(email: InboundEmailOptions, key: string | null = INBOUND_KEY) {
    const url = key === null ? SENDGRID_INBOUND_URL : `${SENDGRID_INBOUND_URL}?key=${encodeURIComponent(key)}`;
    const response = await call(sendgridInbound, inboundParseRequest(url, email));
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  }

  const alertsFor = (ticketId: string) =>
    test.db.message.findMany({ where: { automation: "merchant_alert", idempotencyKey: { endsWith: `|contact_request:${ticketId}` } } });

  const ticketWithMessages = (id: string) =>
    test.db.ticket.findUniqueOrThrow({ where: { id }, include: { messages: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } } });

  const counts = async () => ({
    tickets: await test.db.ticket.count(),
    ticketMessages: await test.db.ticketMessage.count(),
    messages: await test.db.message.count(),
    contacts: await test.db.contact.count(),
    jobs: await test.db.job.count(),
  });

  /** A shopper's message straight through the inbox service, at a chosen instant. */
  async function inbound(shopId: string, contact: ContactRow, body: string, at: Date, channel: TicketChannel = "email", orderNames: string[] = []) {
    const address = channel === "email" || channel === "contact_form" ? contact.email! : contact.phone!;
    return test.db.$transaction((tx) =>
      addToInbox(tx, {
        shopId, contact, channel, body, subject: channel === "email" ? "Duas perguntas" : null, fromAddress: address, fromName: contact.firstName,
        externalId: channel === "contact_form" ? null : `ext-${randomUUID()}`, orderNames,
        email: contact.email, phone: contact.phone, now: at,
      }, { logger }),
    );
  }

  /** One message dispatched as the worker would, with the clock at `at` (quiet hours). */
  const dispatchAt = (messageId: string, at: Date) => {
    const clock: Clock = { now: () => at };
    return dispatchMessage(messageId, {
      database: test.db,
      clock,
      providerFor: async (channel) => (await providersForShop(test.db, shopA, clock))[channel],
      compose: messageComposer({ database: test.db, clock, adminGraphql: async () => { throw new Error("no Admin API in this test"); } }),
      checks: sendTimeChecks(),
    });
  };

  // ------------------------------------------------------------------------------------------
  // 1. The storefront contact form

  describe("contact form through the app proxy", () => {
    it("a valid post answers 200 JSON, opens a contact_form ticket and schedules the merchant alert with the details", async () => {
      const message = "Olá! Meu pedido ainda não chegou.\nPodem verificar, por favor?";
      const answer = await postContact(SHOP_A, { name: "Camila Souza", email: "Camila.Souza@Example.com", phone: "+55 11 91234-5678", order_number: "1001", message });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
      expect(answer.json).toEqual({ ok: true, message: "Obrigado! Recebemos sua mensagem e vamos responder em breve." });

      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "camila.souza@example.com" }, include: { messages: true, contact: true } });
      expect(ticket).toMatchObject({
        channel: "contact_form", status: "open", orderName: "#1001", email: "camila.souza@example.com", phone: "+55 11 91234-5678",
        subject: "Olá! Meu pedido ainda não chegou.", closedAt: null, splitFromId: null,
      });
      expect(ticket.messages).toHaveLength(1);
      expect(ticket.messages[0]).toMatchObject({ direction: "inbound", channel: "contact_form", fromAddress: "camila.souza@example.com", fromName: "Camila Souza", body: message, messageId: null });
      // The sender's address is kept only as a keyed hash (rate limits), never as written.
      expect(ticket.messages[0].clientKey).toMatch(/^[\w-]{22}$/);
      expect(ticket.contact).toMatchObject({ shopId: shopA, email: "camila.souza@example.com", firstName: "Camila", lastName: "Souza" });

      const alerts = await alertsFor(ticket.id);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ shopId: shopA, contactId: null, automation: "merchant_alert", messageType: "merchant_alert", status: "scheduled", purpose: "transactional" });
      expect(JSON.parse(alerts[0].variables).contactRequest).toEqual({
        name: "Camila Souza", email: "camila.souza@example.com", phone: "+55 11 91234-5678", message, ticketId: ticket.id,
      });
      expect(await test.db.job.count({ where: { shopId: shopA, kind: DISPATCH_MESSAGE_JOB, payload: { contains: alerts[0].id } } })).toBe(1);
    });

    it("a browser without JavaScript gets a Liquid page in which nothing typed can act as Liquid or HTML", async () => {
      const answer = await postContact(SHOP_A, { name: "{{ shop.name }}", email: "liquid@example.com", message: "<b>hi</b>", return_to: "/pages/contato" }, { accept: "text/html" });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toMatch(/^application\/liquid/);
      expect(answer.text).toContain("Obrigado!");
      expect(answer.text).toContain('href="/pages/contato"');
      expect(answer.text).not.toContain("{{");
    });

    it("an invalid email (and an empty message) answers 400 with the field errors and stores nothing", async () => {
      const before = await counts();
      const answer = await postContact(SHOP_A, { name: "Bot", email: "not-an-email", message: "   " });
      expect(answer.status).toBe(400);
      expect(answer.json.ok).toBe(false);
      expect(Object.keys(answer.json.errors).sort()).toEqual(["email", "message"]);
      expect(answer.json.errors.email).toMatch(/e-?mail/i);
      expect(await counts()).toEqual(before);
    });

    it("a filled honeypot (website) is thanked with 200 and nothing is stored", async () => {
      const before = await counts();
      const answer = await postContact(SHOP_A, { name: "Promo", email: "promo@example.com", message: "Cheap followers!", website: "https://spam.example" });
      expect(answer.status).toBe(200);
      expect(answer.json.ok).toBe(true);
      expect(await counts()).toEqual(before);
    });

    it("the 6th post within an hour from one address is refused with 429 and Retry-After; another address still gets through", async () => {
      const ip = freshIp();
      for (let i = 1; i <= 5; i++) {
        const answer = await postContact(SHOP_A, { name: "Pat", email: "pat@example.com", message: `Mensagem número ${i}` }, { ip });
        expect(answer.status, `post ${i}`).toBe(200);
      }
      const before = await counts();
      const sixth = await postContact(SHOP_A, { name: "Pat", email: "pat@example.com", message: "Mensagem número 6" }, { ip });
      expect(sixth.status).toBe(429);
      expect(sixth.headers.get("retry-after")).toBe("3600");
      expect(sixth.json).toMatchObject({ ok: false, message: expect.stringMatching(/uma hora/) });
      expect(await counts()).toEqual(before);

      expect((await postContact(SHOP_A, { name: "Pat", email: "pat@example.com", message: "De outro endereço" })).status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "pat@example.com" }, include: { messages: true } });
      expect(ticket.messages.map((m) => m.body).sort()).toEqual(["De outro endereço", ...[1, 2, 3, 4, 5].map((i) => `Mensagem número ${i}`)].sort());
    });

    it("a missing, wrong or stale signature answers 401 and stores nothing; a store that uninstalled answers 404", async () => {
      const before = await counts();
      const fields = { name: "Eve", email: "eve@example.com", message: "Olá" };
      const wrongSecret = await postContact(SHOP_A, fields, { secret: "shpss_not-the-app-secret" });
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.json.error).toMatch(/app proxy/);
      const tampered = await postContact(SHOP_A, fields, { tamper: (params) => params.set("shop", SHOP_B) });
      expect(tampered.status).toBe(401);
      const unsigned = await postContact(SHOP_A, fields, { tamper: (params) => params.delete("signature") });
      expect(unsigned.status).toBe(401);
      const stale = await postContact(SHOP_A, fields, { timestamp: Math.floor(Date.now() / 1000) - 300 });
      expect(stale.status).toBe(401);
      expect(await counts()).toEqual(before);

      const gone = await test.db.shop.create({ data: { domain: "fechada.myshopify.com", name: "Fechada", uninstalledAt: new Date() } });
      const answer = await postContact("fechada.myshopify.com", fields);
      expect(answer.status).toBe(404);
      expect(await test.db.ticket.count({ where: { shopId: gone.id } })).toBe(0);
    });
  });

  // ------------------------------------------------------------------------------------------
  // 2. Merging

  describe("merging related messages into one ticket", () => {
    it("the same shopper joins her open ticket (no second alert), reopens one closed within 7 days, and starts anew after 7 days + 1 minute", async () => {
      const ip = freshIp();
      const post = (message: string) => postContact(SHOP_A, { name: "Inês", email: "ines@example.com", message }, { ip });
      expect((await post("Vocês fazem embrulho para presente?")).status).toBe(200);
      const first = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "ines@example.com" } });
      expect(await alertsFor(first.id)).toHaveLength(1);

      expect((await post("E entregam em Recife?")).status).toBe(200);
      expect(await test.db.ticket.count({ where: { shopId: shopA, email: "ines@example.com" } })).toBe(1);
      expect((await ticketWithMessages(first.id)).messages.map((m) => m.body)).toEqual(["Vocês fazem embrulho para presente?", "E entregam em Recife?"]);
      expect(await test.db.message.count({ where: { shopId: shopA, automation: "merchant_alert", variables: { contains: "ines@example.com" } } })).toBe(1);

      // Closed 7 days minus a minute ago: the new message reopens it.
      expect(await setTicketStatus(test.db, { shopId: shopA, ticketId: first.id, status: "closed", now: new Date(Date.now() - 7 * DAY + MINUTE) })).toEqual({ ok: true });
      expect((await post("Esqueci de perguntar: aceitam Pix?")).status).toBe(200);
      const reopened = await ticketWithMessages(first.id);
      expect(reopened).toMatchObject({ status: "open", closedAt: null });
      expect(reopened.messages).toHaveLength(3);
      expect(reopened.lastMessageAt.getTime()).toBe(reopened.messages[2].createdAt.getTime());
      expect(await test.db.ticket.count({ where: { shopId: shopA, email: "ines@example.com" } })).toBe(1);
      expect(await alertsFor(first.id)).toHaveLength(1);

      // Closed 7 days and 1 minute ago: a new ticket, with its own alert; the old one stays closed.
      await setTicketStatus(test.db, { shopId: shopA, ticketId: first.id, status: "closed", now: new Date(Date.now() - 7 * DAY - MINUTE) });
      expect((await post("Outra dúvida: têm loja física?")).status).toBe(200);
      const tickets = await test.db.ticket.findMany({ where: { shopId: shopA, email: "ines@example.com" }, orderBy: { createdAt: "asc" } });
      expect(tickets).toHaveLength(2);
      expect(tickets[0]).toMatchObject({ id: first.id, status: "closed" });
      expect(tickets[1]).toMatchObject({ status: "open", contactId: first.contactId });
      expect((await ticketWithMessages(tickets[1].id)).messages.map((m) => m.body)).toEqual(["Outra dúvida: têm loja física?"]);
      expect(await alertsFor(tickets[1].id)).toHaveLength(1);
    });

    it("a message from another email naming the same order number joins that ticket", async () => {
      expect((await postContact(SHOP_A, { name: "Maria Lima", email: "maria@example.com", order_number: "Pedido #2002", message: "Veio a peça errada." })).status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, orderName: "#2002" } });
      expect((await postContact(SHOP_A, { name: "João Lima", email: "joao@example.com", message: "Sou o marido da Maria: o pedido #2002 veio com a peça errada." })).status).toBe(200);

      const joined = await ticketWithMessages(ticket.id);
      expect(joined.messages.map((m) => m.fromAddress)).toEqual(["maria@example.com", "joao@example.com"]);
      expect(joined.contactId).toBe(ticket.contactId); // still Maria's ticket
      expect(await test.db.ticket.count({ where: { shopId: shopA, email: "joao@example.com" } })).toBe(0);
      expect(await alertsFor(ticket.id)).toHaveLength(1);
    });

    it("an SMS and an email from other people naming #1001 join the contact-form ticket about #1001, in that shop only", async () => {
      // Shop A already has a #1001 ticket (the contact form test): shop B's must not touch it.
      const shopAMessages = await test.db.ticketMessage.count({ where: { ticket: { shopId: shopA } } });
      expect((await postContact(SHOP_B, { name: "Lucía Hernández", email: "lucia@example.com", order_number: "1001", message: "¿Cuándo llega mi pedido?" })).status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopB, orderName: "#1001" } });
      expect(ticket.channel).toBe("contact_form");

      const sms = await postSms("Hola, escribo por el pedido #1001 de mi hermana Lucía", { from: "+525587654321", to: B_SMS });
      expect(sms.status).toBe(200);
      expect(sms.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
      const texter = await test.db.contact.findFirstOrThrow({ where: { shopId: shopB, phone: "+525587654321" } });
      expect(texter.id).not.toBe(ticket.contactId);

      const email = await postEmail({ from: "Pablo <pablo@example.com>", to: `casa-b@${INBOUND_DOMAIN}`, subject: "Pedido 1001", text: "Soy el cuñado de Lucía, ¿ya salió el pedido?" });
      expect(email.status).toBe(200);
      expect(email.json).toMatchObject({ ok: true, ticketId: ticket.id, newTicket: false });

      const joined = await ticketWithMessages(ticket.id);
      expect(joined.messages.map((m) => [m.channel, m.fromAddress])).toEqual([
        ["contact_form", "lucia@example.com"],
        ["sms", "+525587654321"],
        ["email", "pablo@example.com"],
      ]);
      expect(joined.messages[1]).toMatchObject({ externalId: sms.params.MessageSid, body: "Hola, escribo por el pedido #1001 de mi hermana Lucía" });
      expect(joined).toMatchObject({ channel: "contact_form", status: "open", contactId: ticket.contactId });
      expect(await test.db.ticket.count({ where: { shopId: shopB, orderName: "#1001" } })).toBe(1);
      expect(await test.db.ticket.count({ where: { shopId: shopB, contactId: texter.id } })).toBe(0);
      expect(await alertsFor(ticket.id)).toHaveLength(1);
      expect(await test.db.ticketMessage.count({ where: { ticket: { shopId: shopA } } })).toBe(shopAMessages);
    });

    it("a store's own order name typed in the form (CB9009) is kept, and a text naming #9009 joins its ticket", async () => {
      expect((await postContact(SHOP_A, { name: "Vera", email: "vera@example.com", order_number: "CB9009", message: "A caixa chegou amassada." })).status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "vera@example.com" } });
      expect.soft(ticket.orderName, "the typed order name").toBe("CB9009");
      // Shoppers write only the number; CB9009 and #9009 are the same order (orderNameKey).
      expect((await postSms("Oi, é sobre o pedido #9009 da Vera", { from: "+5511966667777", to: A_SMS })).status).toBe(200);
      expect.soft((await ticketWithMessages(ticket.id)).messages.map((m) => m.channel), "messages of the CB9009 ticket").toEqual(["contact_form", "sms"]);
    });
  });

  // ------------------------------------------------------------------------------------------
  // 3-4. The merchant's side: split and status

  describe("split and status", () => {
    it("moves chosen messages to a new ticket, recomputing both lastMessageAt; refuses all, none or unknown messages (400) and another shop (404)", async () => {
      const pedro = await test.db.contact.create({ data: { shopId: shopA, email: "pedro@example.com", firstName: "Pedro" } });
      const t0 = new Date(Date.now() - 3 * HOUR);
      const first = await inbound(shopA, pedro, "Qual o prazo de entrega para Curitiba?", t0);
      await inbound(shopA, pedro, "Vocês têm o modelo azul?", new Date(t0.getTime() + MINUTE));
      await inbound(shopA, pedro, "Outra coisa: quero devolver a caneca do mês passado.", new Date(t0.getTime() + 2 * MINUTE));
      const before = await ticketWithMessages(first.ticketId);
      expect(before.messages).toHaveLength(3);
      expect(before.lastMessageAt.getTime()).toBe(t0.getTime() + 2 * MINUTE);
      const [m1, m2, m3] = before.messages;

      const split = await splitTicket(test.db, { shopId: shopA, ticketId: first.ticketId, messageIds: [m3.id], now: new Date() });
      expect(split).toMatchObject({ ok: true });
      const newTicketId = (split as { newTicketId: string }).newTicketId;
      const created = await ticketWithMessages(newTicketId);
      expect(created).toMatchObject({ shopId: shopA, splitFromId: first.ticketId, contactId: pedro.id, channel: "email", status: "open", email: "pedro@example.com" });
      expect(created.lastMessageAt.getTime()).toBe(t0.getTime() + 2 * MINUTE);
      expect(created.messages.map((m) => m.id)).toEqual([m3.id]);
      const remaining = await ticketWithMessages(first.ticketId);
      expect(remaining.lastMessageAt.getTime()).toBe(t0.getTime() + MINUTE);
      expect(remaining.messages.map((m) => m.id)).toEqual([m1.id, m2.id]);

      const snapshot = async () => (await test.db.ticketMessage.findMany({ where: { id: { in: [m1.id, m2.id, m3.id] } }, orderBy: { id: "asc" } })).map((m) => [m.id, m.ticketId]);
      const state = await snapshot();
      const ticketsBefore = await test.db.ticket.count();
      const all = await splitTicket(test.db, { shopId: shopA, ticketId: first.ticketId, messageIds: [m1.id, m2.id], now: new Date() });
      expect(all).toMatchObject({ ok: false, status: 400, code: "all_selected", error: expect.stringMatching(/at least one message/) });
      const none = await splitTicket(test.db, { shopId: shopA, ticketId: first.ticketId, messageIds: [], now: new Date() });
      expect(none).toMatchObject({ ok: false, status: 400, code: "none_selected", error: expect.stringMatching(/Select the messages/) });
      const moved = await splitTicket(test.db, { shopId: shopA, ticketId: first.ticketId, messageIds: [m3.id], now: new Date() });
      expect(moved).toMatchObject({ ok: false, status: 400, code: "unknown_messages", params: { count: 1 }, error: expect.stringMatching(/not in this ticket/) });
      const otherShop = await splitTicket(test.db, { shopId: shopB, ticketId: first.ticketId, messageIds: [m2.id], now: new Date() });
      expect(otherShop).toMatchObject({ ok: false, status: 404, code: "not_found" });
      expect(await snapshot()).toEqual(state);
      expect(await test.db.ticket.count()).toBe(ticketsBefore);
    });

    it("open → pending → closed stamps closedAt; closing again keeps it; reopening clears it; an unknown status is 400 and another shop 404", async () => {
      const rosa = await test.db.contact.create({ data: { shopId: shopA, email: "rosa@example.com", firstName: "Rosa" } });
      const { ticketId } = await inbound(shopA, rosa, "Posso trocar o tamanho?", new Date(Date.now() - HOUR));
      const status = () => test.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { status: true, closedAt: true } });
      const at = (offset: number) => new Date(Date.now() + offset);

      expect(await setTicketStatus(test.db, { shopId: shopA, ticketId, status: "pending", now: at(0) })).toEqual({ ok: true });
      expect(await status()).toEqual({ status: "pending", closedAt: null });
      const closedAt = at(MINUTE);
      expect(await setTicketStatus(test.db, { shopId: shopA, ticketId, status: "closed", now: closedAt })).toEqual({ ok: true });
      expect(await status()).toEqual({ status: "closed", closedAt });
      // Closing a closed ticket again must not stretch the 7-day merge window.
      await setTicketStatus(test.db, { shopId: shopA, ticketId, status: "closed", now: at(2 * MINUTE) });
      expect(await status()).toEqual({ status: "closed", closedAt });

      const unknown = await setTicketStatus(test.db, { shopId: shopA, ticketId, status: "archived", now: at(0) });
      expect(unknown).toMatchObject({ ok: false, status: 400, code: "unknown_status", params: { status: "archived" }, error: expect.stringMatching(/Unknown status "archived"/) });
      const otherShop = await setTicketStatus(test.db, { shopId: shopB, ticketId, status: "open", now: at(0) });
      expect(otherShop).toMatchObject({ ok: false, status: 404, code: "not_found" });
      expect(await status()).toEqual({ status: "closed", closedAt });

      expect(await setTicketStatus(test.db, { shopId: shopA, ticketId, status: "open", now: at(3 * MINUTE) })).toEqual({ ok: true });
      expect(await status()).toEqual({ status: "open", closedAt: null });
    });
  });

  // ------------------------------------------------------------------------------------------
  // 5. Replies

  describe("replies", () => {
    it("a reply to a contact-form ticket goes by email: written first, then sent by the worker to SendGrid and linked back", async () => {
      expect((await postContact(SHOP_A, { name: "Beatriz", email: "beatriz@example.com", message: "Quero trocar o tamanho da camiseta.\nÉ possível?" })).status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "beatriz@example.com" } });
      expect(replyChannels(ticket, null)).toEqual(["email"]);

      const body = "Olá Beatriz,\nclaro! Responda com o tamanho <M> & enviamos a troca.";
      const result = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: `  ${body}\n`, authorName: "Rita (Loja A)", now: new Date() });
      expect(result).toMatchObject({ ok: true, channel: "email" });
      const messageId = (result as { messageId: string }).messageId;

      const note = await test.db.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id, direction: "outbound" } });
      expect(note).toMatchObject({ channel: "email", fromName: "Rita (Loja A)", body, messageId });
      const scheduled = await test.db.message.findUniqueOrThrow({ where: { id: messageId } });
      expect(scheduled).toMatchObject({ shopId: shopA, contactId: ticket.contactId, automation: "inbox_reply", channel: "email", recipient: "beatriz@example.com", status: "scheduled", purpose: "transactional" });
      expect(await test.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: "pending" });

      await worker.drain();
      const sent = sendgrid.accepted.filter((accepted) => accepted.mail.personalizations[0].to[0].email === "beatriz@example.com");
      expect(sent).toHaveLength(1);
      const { mail, xMessageId } = sent[0];
      expect(mail.subject).toBe(`Re: ${ticket.subject}`);
      expect(mail.subject).toBe("Re: Quero trocar o tamanho da camiseta.");
      expect(mail.from.email).toBe(FROM_EMAIL);
      expect(textOf(mail)).toBe(body);
      expect(htmlOf(mail)).toContain("Olá Beatriz,<br>claro! Responda com o tamanho &lt;M&gt; &amp; enviamos a troca.");
      expect({ ...mail.custom_args, ...mail.personalizations[0].custom_args }).toMatchObject({ shopId: shopA, messageId });
      expect(await test.db.message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({ status: "sent", externalId: xMessageId, provider: "sendgrid" });
      expect((await test.db.ticketMessage.findUniqueOrThrow({ where: { id: note.id } })).messageId).toBe(messageId);
      // The merchant alerts due meanwhile went to the stores' own addresses, never to a shopper.
      for (const other of sendgrid.accepted.filter((accepted) => accepted !== sent[0])) {
        expect(["contato@loja-a.example", "hola@casa-b.example"]).toContain(other.mail.personalizations[0].to[0].email);
      }
    });

    it("the reply email's Reply-To is the shop's inbound address, so the shopper's answer comes back to the inbox", async () => {
      expect((await postContact(SHOP_A, { name: "Clara", email: "clara@example.com", message: "Tem cupom de primeira compra?" })).status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "clara@example.com" } });
      const result = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "Tem sim: BEMVINDA10.", authorName: "Rita", now: new Date() });
      expect(result.ok).toBe(true);
      await worker.drain();
      const sent = sendgrid.accepted.find((accepted) => accepted.mail.personalizations[0].to[0].email === "clara@example.com");
      expect(sent).toBeDefined();

      // Her answer, sent to that address, lands in the same ticket.
      const answer = await postEmail({ from: "Clara <clara@example.com>", to: `reply+loja-a@${INBOUND_DOMAIN}`, subject: `Re: ${sent!.mail.subject}`, text: "Obrigada!\n\nOn Mon, Nov 24, 2026 at 10:00 AM Loja A <avisa@avisa.example.com> wrote:\n> Tem sim: BEMVINDA10.\n" });
      expect(answer.json).toMatchObject({ ok: true, ticketId: ticket.id, newTicket: false });
      expect((await ticketWithMessages(ticket.id)).messages.map((m) => m.body)).toEqual(["Tem cupom de primeira compra?", "Tem sim: BEMVINDA10.", "Obrigada!"]);

      expect(sent!.mail.reply_to?.email).toBe(`reply+loja-a@${INBOUND_DOMAIN}`);
    });

    it("a logged-in customer who typed another address is answered at the address she typed", async () => {
      const customer = await test.db.contact.create({ data: { shopId: shopA, shopifyCustomerId: "7200000000000099", email: "helena.antiga@example.com", firstName: "Helena" } });
      const answer = await postContact(SHOP_A, { name: "Helena", email: "helena.nova@example.com", message: "Podem me responder neste e-mail novo?" }, { loggedInCustomerId: "7200000000000099" });
      expect(answer.status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, contactId: customer.id } });
      expect(ticket.email).toBe("helena.nova@example.com");
      const result = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "Claro, Helena!", authorName: "Rita", now: new Date() });
      expect(result).toMatchObject({ ok: true, channel: "email" });
      const messageId = (result as { messageId: string }).messageId;
      expect(await test.db.message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({ recipient: "helena.nova@example.com" });
      await worker.drain();
      const sent = sendgrid.accepted.filter((accepted) => accepted.mail.custom_args?.messageId === messageId || accepted.mail.personalizations[0].custom_args?.messageId === messageId);
      expect(sent).toHaveLength(1);
      expect(sent[0].mail.personalizations[0].to[0].email).toBe("helena.nova@example.com");
      expect(await test.db.message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({ status: "sent", recipient: "helena.nova@example.com" });
    });

    it("a reply to an SMS ticket goes by SMS from the shop's number; after STOP it is refused with 409 naming the reason, and nothing is written", async () => {
      const phone = "+525511112222";
      expect((await postSms("Hola, ¿pueden cambiar la dirección de envío?", { from: phone, to: A_SMS })).status).toBe(200);
      const contact = await test.db.contact.findFirstOrThrow({ where: { shopId: shopA, phone } });
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, contactId: contact.id } });
      expect(ticket).toMatchObject({ channel: "sms", phone });
      expect(replyChannels(ticket, contact)).toEqual(["sms", "whatsapp"]);

      const result = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "¡Claro! Mándanos la nueva dirección.", authorName: "Rita", now: new Date() });
      expect(result).toMatchObject({ ok: true, channel: "sms" });
      const messageId = (result as { messageId: string }).messageId;
      await worker.drain();
      const texts = twilio.messages.filter((message) => message.to === phone);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toMatchObject({ from: A_SMS });
      expect(texts[0].body).toContain("¡Claro! Mándanos la nueva dirección.");
      expect(await test.db.message.findUniqueOrThrow({ where: { id: messageId } })).toMatchObject({ status: "sent", channel: "sms", recipient: phone, externalId: texts[0].sid, provider: "twilio-sms" });

      // The shopper texts STOP: no more SMS, and the merchant is told why.
      const stop = await postSms("STOP", { from: phone, to: A_SMS });
      expect(stop.text).toContain("<Message>");
      const before = await counts();
      const refused = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "¿Sigues ahí?", authorName: "Rita", now: new Date() });
      expect(refused).toMatchObject({ ok: false, status: 409, code: "stopped", params: { channel: "sms" } });
      expect((refused as { error: string }).error).toMatch(/cannot be reached by sms: .*replied STOP.*Answer on another channel/);
      // The ticket page words it in the merchant's language, under the channel.
      const said = inboxRefusalSaid(refused as InboxRefusal);
      expect(translator("es")(said.key, { channel: translator("es")("inbox.channel.sms") })).toMatch(/STOP.*SMS.*otro canal/);
      // No email address either: choosing email is refused too, saying so.
      const byEmail = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "¿Sigues ahí?", channel: "email", authorName: "Rita", now: new Date() });
      expect(byEmail).toMatchObject({ ok: false, status: 400, code: "no_email", params: { channel: "email" }, error: expect.stringMatching(/no email address/) });
      expect(await counts()).toEqual(before);
    });

    it("refusal messages read as sentences (no doubled full stop)", async () => {
      const contact = await test.db.contact.create({ data: { shopId: shopA, phone: "+525511113333", firstName: "Tito" } });
      await test.db.consentRecord.create({ data: { shopId: shopA, contactId: contact.id, channel: "sms", state: "revoked", source: "keyword", evidence: "STOP", recordedAt: new Date() } });
      const { ticketId } = await inbound(shopA, contact, "Hola", new Date(), "sms");
      const refused = await replyToTicket(test.db, { shopId: shopA, ticketId, body: "Hola Tito", authorName: "Rita", now: new Date() });
      expect(refused).toMatchObject({ ok: false, status: 409, code: "stopped" });
      expect((refused as { error: string }).error).not.toMatch(/\.\./);
    });

    it("a reply by email to an address that bounced permanently is refused with 409, and nothing is written", async () => {
      expect((await postContact(SHOP_A, { name: "Gil", email: "gil@bounce.example", message: "Vocês têm frete grátis?" })).status).toBe(200);
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "gil@bounce.example" } });
      await test.db.suppression.create({ data: { shopId: shopA, channel: "email", address: "gil@bounce.example", reason: "hard_bounce" } });
      const before = await counts();
      const refused = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "Temos sim!", authorName: "Rita", now: new Date() });
      expect(refused).toMatchObject({ ok: false, status: 409, code: "suppressed_hard_bounce", params: { channel: "email" }, error: expect.stringMatching(/cannot be reached by email: .*bounced permanently/) });
      expect(await counts()).toEqual(before);
    });

    it("an empty or overlong reply is refused with 400 and nothing is written; another shop's ticket is 404", async () => {
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "camila.souza@example.com" } });
      const before = await counts();
      const empty = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: " \n\t ", authorName: "Rita", now: new Date() });
      expect(empty).toMatchObject({ ok: false, status: 400, code: "reply_empty", error: expect.stringMatching(/Write a reply/) });
      const long = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "a".repeat(5001), authorName: "Rita", now: new Date() });
      expect(long).toMatchObject({ ok: false, status: 400, code: "reply_too_long" });
      const otherShop = await replyToTicket(test.db, { shopId: shopB, ticketId: ticket.id, body: "Hola", authorName: "Intruso", now: new Date() });
      expect(otherShop).toMatchObject({ ok: false, status: 404, code: "not_found" });
      expect(await counts()).toEqual(before);
      // A conversation with no address at all: no channel can reach the shopper.
      const nowhere = await test.db.ticket.create({ data: { shopId: shopA, channel: "contact_form", status: "open", lastMessageAt: new Date() } });
      const unreachable = await replyToTicket(test.db, { shopId: shopA, ticketId: nowhere.id, body: "Hola", authorName: "Rita", now: new Date() });
      expect(unreachable).toMatchObject({ ok: false, status: 400, code: "no_address" });
      const emailOnly = await test.db.ticket.create({ data: { shopId: shopA, channel: "contact_form", status: "open", email: "solo.email@example.com", lastMessageAt: new Date() } });
      const bySms = await replyToTicket(test.db, { shopId: shopA, ticketId: emailOnly.id, body: "Hola", channel: "sms", authorName: "Rita", now: new Date() });
      expect(bySms).toMatchObject({ ok: false, status: 400, code: "no_phone", params: { channel: "sms" } });
    });

    it("the ticket page puts a refusal under the field it is about, as a key with its params (never the English sentence)", async () => {
      const demo = await test.db.shop.upsert({ where: { domain: DEMO_SHOP_DOMAIN }, create: { domain: DEMO_SHOP_DOMAIN, name: "Avisa Demo" }, update: {} });
      const ticket = await test.db.ticket.create({ data: { shopId: demo.id, channel: "contact_form", status: "open", email: "paz@example.com", lastMessageAt: new Date() } });
      const post = (fields: Record<string, string>) =>
        ticketAction({ request: new Request(`${APP_URL}/app/inbox/${ticket.id}`, { method: "POST", body: new URLSearchParams(fields) }), params: { id: ticket.id }, context: {} } as ActionFunctionArgs);
      const reply = async (fields: Record<string, string>) => {
        const response = await post({ intent: "reply", ...fields });
        return { status: response.status, json: (await response.json()) as Record<string, unknown> };
      };
      const bySms = await reply({ body: "Hola", channel: "sms" });
      expect(bySms.status).toBe(400);
      expect(bySms.json).toMatchObject({
        intent: "reply", ok: false, errorKey: "inbox.errors.noPhone",
        errors: { channel: { key: "inbox.errors.noPhone", values: { channel: { key: "inbox.channel.sms" } } } },
      });
      expect((bySms.json.errors as Record<string, unknown>).body).toBeUndefined();
      const tooLong = await reply({ body: "a".repeat(5001), channel: "email" });
      expect(tooLong.json).toMatchObject({ errors: { body: { key: "inbox.error.replyTooLong" } } });
      expect((tooLong.json.errors as Record<string, unknown>).channel).toBeUndefined();
      const split = await post({ intent: "split", messageIds: "gone" });
      expect(await split.json()).toMatchObject({ intent: "split", ok: false, errorKey: "inbox.errors.splitUnknown", errorValues: { count: 1 } });
    });

    it("a WhatsApp ticket is answered on WhatsApp inside the 24-hour window, and refused with 409 once it has closed", async () => {
      const phone = "+5511955554444";
      expect((await postSms("Oi! Vocês entregam em Recife?", { from: phone, to: A_WHATSAPP, channel: "whatsapp", profileName: "Rafa" })).status).toBe(200);
      const contact = await test.db.contact.findFirstOrThrow({ where: { shopId: shopA, phone } });
      const ticket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, contactId: contact.id } });
      expect(ticket.channel).toBe("whatsapp");

      const result = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "Entregamos sim, em 3 dias úteis.", authorName: "Rita", now: new Date() });
      expect(result).toMatchObject({ ok: true, channel: "whatsapp" });
      await worker.drain();
      const sent = twilio.messages.filter((message) => message.to === `whatsapp:${phone}`);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ from: `whatsapp:${A_WHATSAPP}` });
      expect(sent[0].body).toContain("Entregamos sim, em 3 dias úteis.");
      expect(await test.db.message.findUniqueOrThrow({ where: { id: (result as { messageId: string }).messageId } })).toMatchObject({ status: "sent", provider: "twilio-whatsapp" });

      await test.db.contact.update({ where: { id: contact.id }, data: { lastWhatsappInboundAt: new Date(Date.now() - 25 * HOUR) } });
      const before = await counts();
      const refused = await replyToTicket(test.db, { shopId: shopA, ticketId: ticket.id, body: "Mais alguma dúvida?", authorName: "Rita", now: new Date() });
      expect(refused).toMatchObject({ ok: false, status: 409, code: "whatsapp_window_closed", error: expect.stringMatching(/24 hours.*SMS or email/) });
      expect(await counts()).toEqual(before);
    });

    it("an SMS reply at night goes out when the shopper wrote within the hour, and waits for 08:00 in her zone otherwise", async () => {
      // 03:00 in Mexico City (UTC-6, no daylight saving), two days ahead.
      const day = new Date(Date.now() + 2 * DAY);
      const localHour = (hour: number) => new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour + 6, 0, 0));
      const night = localHour(3);

      const awake = await test.db.contact.create({ data: { shopId: shopA, phone: "+525544440001", firstName: "Ana", countryCode: "MX", timeZone: "America/Mexico_City" } });
      const awakeTicket = await inbound(shopA, awake, "¿Siguen abiertos?", new Date(night.getTime() - 10 * MINUTE), "sms");
      const quick = await replyToTicket(test.db, { shopId: shopA, ticketId: awakeTicket.ticketId, body: "¡Sí! Hasta las 4.", authorName: "Rita", now: night });
      expect(quick).toMatchObject({ ok: true, channel: "sms" });
      expect(await dispatchAt((quick as { messageId: string }).messageId, night)).toMatchObject({ outcome: "sent" });
      expect(twilio.messages.at(-1)).toMatchObject({ to: "+525544440001" });

      const asleep = await test.db.contact.create({ data: { shopId: shopA, phone: "+525544440002", firstName: "Bea", countryCode: "MX", timeZone: "America/Mexico_City" } });
      const asleepTicket = await inbound(shopA, asleep, "¿Tienen la talla M?", new Date(night.getTime() - 2 * HOUR), "sms");
      const late = await replyToTicket(test.db, { shopId: shopA, ticketId: asleepTicket.ticketId, body: "Sí, tenemos la M.", authorName: "Rita", now: night });
      const lateId = (late as { messageId: string }).messageId;
      const sentBefore = twilio.messages.length;
      expect(await dispatchAt(lateId, night)).toEqual({ outcome: "deferred", runAt: localHour(8) });
      expect(twilio.messages.length).toBe(sentBefore);
      const waiting = await test.db.message.findUniqueOrThrow({ where: { id: lateId } });
      expect(waiting).toMatchObject({ status: "deferred" });
      expect(waiting.statusReason).toMatch(/America\/Mexico_City/);
      expect(await dispatchAt(lateId, localHour(8))).toMatchObject({ outcome: "sent" });
      expect(twilio.messages.at(-1)).toMatchObject({ to: "+525544440002" });
    });
  });

  // ------------------------------------------------------------------------------------------
  // 6. Inbound email (SendGrid Inbound Parse)

  describe("inbound email", () => {
    it("with the right key: 200, a ticket message without the quoted reply, in the shop named by the address", async () => {
      const messageId = `CAF${randomUUID()}@mail.gmail.com`;
      const answer = await postEmail({
        from: "Lucía Ramírez <Lucia.Ramirez@Example.com>",
        to: `Casa B <reply+casa-b@${INBOUND_DOMAIN}>`,
        subject: "Re: Tu pedido #3003 fue enviado",
        text: "¡Gracias! ¿Cuándo llega?\n\nEl lun, 24 nov 2026 a las 10:02, Casa B (<hola@casa-b.example>) escribió:\n> Tu pedido #3003 fue enviado.\n> Casa B\n",
        html: "<div>¡Gracias! ¿Cuándo llega?</div><blockquote>Tu pedido #3003 fue enviado.</blockquote>",
        messageId,
      });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ ok: true, newTicket: true, duplicate: false });
      const ticket = await ticketWithMessages(answer.json.ticketId);
      expect(ticket).toMatchObject({ shopId: shopB, channel: "email", status: "open", orderName: "#3003", email: "lucia.ramirez@example.com", subject: "Re: Tu pedido #3003 fue enviado" });
      expect(ticket.messages).toHaveLength(1);
      expect(ticket.messages[0]).toMatchObject({
        direction: "inbound", channel: "email", body: "¡Gracias! ¿Cuándo llega?", fromAddress: "lucia.ramirez@example.com", fromName: "Lucía Ramírez",
        subject: "Re: Tu pedido #3003 fue enviado", externalId: messageId,
      });
      const alerts = await alertsFor(ticket.id);
      expect(alerts).toHaveLength(1);
      expect(alerts[0].shopId).toBe(shopB);
      expect(JSON.parse(alerts[0].variables).contactRequest).toMatchObject({ name: "Lucía Ramírez", email: "lucia.ramirez@example.com", message: "¡Gracias! ¿Cuándo llega?" });

      // The store's own address (a forwarded support mailbox), in ISO-8859-1 as many clients still send.
      const latin = await postEmail({
        from: "Jorge <jorge@example.com.br>", to: `loja-a@${INBOUND_DOMAIN}`, subject: "Encomenda", bodyCharset: "iso-8859-1",
        text: "Olá, não recebi a encomenda nº 4004.\n-- \nJorge",
      });
      expect(latin.status).toBe(200);
      const latinTicket = await ticketWithMessages(latin.json.ticketId);
      expect(latinTicket).toMatchObject({ shopId: shopA, orderName: "#4004" });
      expect(latinTicket.messages[0].body).toBe("Olá, não recebi a encomenda nº 4004.");
    });

    it("the same Message-ID posted twice is recorded once", async () => {
      const email: InboundEmailOptions = { from: "dup@example.com", to: `casa-b@${INBOUND_DOMAIN}`, subject: "¿Hacen envíos a Monterrey?", text: "¿Hacen envíos a Monterrey?", messageId: `dup-${randomUUID()}@example.com` };
      const first = await postEmail(email);
      expect(first.json).toMatchObject({ ok: true, newTicket: true, duplicate: false });
      const before = await counts();
      const again = await postEmail(email);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ ok: true, ticketId: first.json.ticketId, duplicate: true });
      expect(await counts()).toEqual(before);
      expect(await test.db.ticketMessage.count({ where: { externalId: email.messageId! } })).toBe(1);
    });

    it("the same Message-ID posted twice at once (SendGrid retrying a slow post) is recorded once", async () => {
      const email: InboundEmailOptions = { from: "twice@example.com", to: `casa-b@${INBOUND_DOMAIN}`, subject: "Factura", text: "Necesito factura del pedido #5005", messageId: `race-${randomUUID()}@example.com` };
      const answers = await Promise.all([postEmail(email), postEmail(email), postEmail(email)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect.soft(await test.db.ticketMessage.count({ where: { externalId: email.messageId! } }), "ticket messages").toBe(1);
      expect.soft(await test.db.ticket.count({ where: { shopId: shopB, email: "twice@example.com" } }), "tickets").toBe(1);
      expect.soft(await test.db.contact.count({ where: { shopId: shopB, email: "twice@example.com" } }), "contacts").toBe(1);
      expect.soft(await test.db.message.count({ where: { shopId: shopB, automation: "merchant_alert", variables: { contains: "twice@example.com" } } }), "merchant alerts").toBe(1);
    });

    it("a wrong or missing key is 403 and stores nothing; an unknown handle is 404; a recipient at another domain is 400", async () => {
      const email: InboundEmailOptions = { from: "eve@example.com", to: `casa-b@${INBOUND_DOMAIN}`, subject: "Hola", text: "Hola" };
      const before = await counts();
      const wrong = await postEmail(email, `wrong-${INBOUND_KEY}`);
      expect(wrong.status).toBe(403);
      expect(wrong.json.error).toMatch(/does not match/);
      expect((await postEmail(email, null)).status).toBe(403);
      const unknown = await postEmail({ ...email, to: `nadie@${INBOUND_DOMAIN}` });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error).toMatch(/nadie/);
      const elsewhere = await postEmail({ ...email, to: "casa-b@example.com" });
      expect(elsewhere.status).toBe(400);
      expect(await counts()).toEqual(before);
    });

    it("likely spam (SPF fail without DKIM, or spam_score ≥ 5) is kept in the inbox without alerting the merchant or reopening a ticket", async () => {
      const forged = await postEmail({
        from: "Banco <seguranca@banco.example>", to: `loja-a@${INBOUND_DOMAIN}`, subject: "Atualize seus dados", text: "Clique aqui para atualizar seus dados.",
        spf: "fail", dkim: "{@spammer.example : pass}", envelopeFrom: "bounce@spammer.example",
      });
      expect(forged.status).toBe(200);
      const scored = await postEmail({ from: "ofertas@promo.example", to: `loja-a@${INBOUND_DOMAIN}`, subject: "GANHE 1000 SEGUIDORES", text: "Compre seguidores agora!", spamScore: 7.4, spamReport: "Spam detection software... 7.4 points" });
      expect(scored.status).toBe(200);
      for (const answer of [forged, scored]) {
        const ticket = await ticketWithMessages(answer.json.ticketId);
        expect(ticket.shopId).toBe(shopA);
        expect(ticket.messages).toHaveLength(1);
        expect(await alertsFor(ticket.id)).toEqual([]);
      }

      // A flagged message from a shopper whose ticket was closed yesterday joins it but leaves it closed.
      const tina = await test.db.contact.create({ data: { shopId: shopA, email: "tina@example.com", firstName: "Tina" } });
      const { ticketId } = await inbound(shopA, tina, "Obrigada pela ajuda!", new Date(Date.now() - 2 * DAY));
      const closedAt = new Date(Date.now() - DAY);
      await setTicketStatus(test.db, { shopId: shopA, ticketId, status: "closed", now: closedAt });
      const spoofed = await postEmail({ from: "tina@example.com", to: `loja-a@${INBOUND_DOMAIN}`, subject: "Re: Obrigada", text: "Nova mensagem", spf: "fail", dkim: "" });
      expect(spoofed.json).toMatchObject({ ok: true, ticketId, newTicket: false });
      expect(await test.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toMatchObject({ status: "closed", closedAt });
    });
  });

  // ------------------------------------------------------------------------------------------
  // Shop scoping

  describe("shop scoping", () => {
    it("the same email and order number in another shop open a ticket there; neither shop can reply to, split or close the other's", async () => {
      expect((await postContact(SHOP_A, { name: "Olga", email: "olga@example.com", order_number: "6006", message: "Loja A: meu pedido #6006?" })).status).toBe(200);
      expect((await postContact(SHOP_B, { name: "Olga", email: "olga@example.com", order_number: "6006", message: "Casa B: ¿mi pedido #6006?" })).status).toBe(200);
      const a = await ticketWithMessages((await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, orderName: "#6006" } })).id);
      const b = await ticketWithMessages((await test.db.ticket.findFirstOrThrow({ where: { shopId: shopB, orderName: "#6006" } })).id);
      expect(a.messages.map((m) => m.body)).toEqual(["Loja A: meu pedido #6006?"]);
      expect(b.messages.map((m) => m.body)).toEqual(["Casa B: ¿mi pedido #6006?"]);
      expect(a.contactId).not.toBe(b.contactId);
      expect((await test.db.contact.findUniqueOrThrow({ where: { id: b.contactId! } })).shopId).toBe(shopB);

      const before = await counts();
      const snapshot = await test.db.ticket.findUniqueOrThrow({ where: { id: a.id } });
      expect(await replyToTicket(test.db, { shopId: shopB, ticketId: a.id, body: "Hola", authorName: "B", now: new Date() })).toMatchObject({ ok: false, status: 404 });
      expect(await setTicketStatus(test.db, { shopId: shopB, ticketId: a.id, status: "closed", now: new Date() })).toMatchObject({ ok: false, status: 404 });
      expect(await splitTicket(test.db, { shopId: shopB, ticketId: a.id, messageIds: [a.messages[0].id], now: new Date() })).toMatchObject({ ok: false, status: 404 });
      // Shop A cannot move shop B's message into a ticket of its own either.
      expect(await splitTicket(test.db, { shopId: shopA, ticketId: a.id, messageIds: [b.messages[0].id], now: new Date() })).toMatchObject({ ok: false, status: 400 });
      expect(await counts()).toEqual(before);
      expect(await test.db.ticket.findUniqueOrThrow({ where: { id: a.id } })).toEqual(snapshot);
      expect((await test.db.ticketMessage.findUniqueOrThrow({ where: { id: b.messages[0].id } })).ticketId).toBe(b.id);
    });
  });

  // ------------------------------------------------------------------------------------------
  // 7. Compliance

  describe("customers/data_request and customers/redact", () => {
    const payload = (email: string, extra: Record<string, unknown> = {}) => ({
      shop_id: 954889, shop_domain: SHOP_A, customer: { id: 191167, email, phone: null }, orders_requested: [], orders_to_redact: [], ...extra,
    });

    it("the export holds the shopper's tickets (with messages) and reviews; redaction deletes them and leaves everyone else's", async () => {
      expect((await postContact(SHOP_A, { name: "Sofia Alves", email: "sofia@example.com", order_number: "7007", message: "Minha encomenda #7007 chegou quebrada." })).status).toBe(200);
      const sofiaTicket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "sofia@example.com" } });
      const reply = await replyToTicket(test.db, { shopId: shopA, ticketId: sofiaTicket.id, body: "Sinto muito, Sofia! Vamos enviar outra.", authorName: "Rita", now: new Date() });
      expect(reply.ok).toBe(true);
      const sofiaReview = await test.db.review.create({
        data: { shopId: shopA, contactId: sofiaTicket.contactId, shopifyProductId: "8800000000001", rating: 2, body: "Chegou quebrada.", authorName: "Sofia A.", authorEmail: "sofia@example.com" },
      });
      // Another shopper of shop A, and Sofia in shop B: both must survive.
      expect((await postContact(SHOP_A, { name: "Tomás", email: "tomas@example.com", message: "Vocês vendem vale-presente?" })).status).toBe(200);
      const tomasTicket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "tomas@example.com" } });
      const tomasReview = await test.db.review.create({
        data: { shopId: shopA, contactId: tomasTicket.contactId, shopifyProductId: "8800000000001", rating: 5, body: "Linda caneca.", authorName: "Tomás", authorEmail: "tomas@example.com" },
      });
      expect((await postContact(SHOP_B, { name: "Sofia Alves", email: "sofia@example.com", message: "¿Tienen tienda física?" })).status).toBe(200);
      const otherShopTicket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopB, email: "sofia@example.com" } });
      const otherShopReview = await test.db.review.create({
        data: { shopId: shopB, contactId: otherShopTicket.contactId, shopifyProductId: "8800000000002", rating: 4, body: "Bonita.", authorName: "Sofia", authorEmail: "sofia@example.com" },
      });
      const sofiaMessageIds = (await test.db.ticketMessage.findMany({ where: { ticketId: sofiaTicket.id } })).map((m) => m.id);
      expect(sofiaMessageIds).toHaveLength(2);

      const request = await exportCustomerData(shopA, payload("sofia@example.com", { data_request: { id: 9999 } }));
      expect(request).not.toBeNull();
      const document = JSON.parse(request!.export);
      expect(document.tickets).toHaveLength(1);
      expect(document.tickets[0]).toMatchObject({ id: sofiaTicket.id, orderName: "#7007" });
      expect(document.tickets[0].messages.map((m: { body: string }) => m.body).sort()).toEqual(["Minha encomenda #7007 chegou quebrada.", "Sinto muito, Sofia! Vamos enviar outra."]);
      expect(document.reviews.map((r: { id: string }) => r.id)).toEqual([sofiaReview.id]);
      expect(JSON.stringify(document)).not.toContain("tomas@example.com");
      expect(JSON.stringify(document)).not.toContain(otherShopTicket.id);

      await redactCustomer(shopA, payload("sofia@example.com"));
      expect(await test.db.ticket.findUnique({ where: { id: sofiaTicket.id } })).toBeNull();
      expect(await test.db.ticketMessage.count({ where: { id: { in: sofiaMessageIds } } })).toBe(0);
      expect(await test.db.review.findUnique({ where: { id: sofiaReview.id } })).toBeNull();
      expect(await test.db.contact.count({ where: { shopId: shopA, email: "sofia@example.com" } })).toBe(0);
      // Her reply Message stays as a count, without her address or the text.
      expect(await test.db.message.findUniqueOrThrow({ where: { id: (reply as { messageId: string }).messageId } })).toMatchObject({ contactId: null, recipient: null, variables: "{}" });

      expect(await test.db.ticket.findUnique({ where: { id: tomasTicket.id } })).not.toBeNull();
      expect(await test.db.ticketMessage.count({ where: { ticketId: tomasTicket.id } })).toBe(1);
      expect(await test.db.review.findUnique({ where: { id: tomasReview.id } })).not.toBeNull();
      expect(await test.db.ticket.findUnique({ where: { id: otherShopTicket.id } })).not.toBeNull();
      expect(await test.db.review.findUnique({ where: { id: otherShopReview.id } })).not.toBeNull();
      expect(await test.db.contact.count({ where: { shopId: shopB, email: "sofia@example.com" } })).toBe(1);
    });

    it("redaction leaves none of the shopper's words or address behind: not in the merchant alert about her, not in a ticket she joined by order number", async () => {
      expect((await postContact(SHOP_A, { name: "Otávio", email: "otavio@example.com", order_number: "8008", message: "Onde está o pedido #8008?" })).status).toBe(200);
      const otavioTicket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, email: "otavio@example.com" } });
      expect((await postContact(SHOP_A, { name: "Sara Mendes", email: "sara@example.com", message: "Sou a esposa do Otávio, o pedido #8008 é meu presente: Rua das Flores 12." })).status).toBe(200);
      expect((await postContact(SHOP_A, { name: "Sara Mendes", email: "sara@example.com", order_number: "8118", message: "E o meu próprio pedido #8118? Moro na Rua das Flores 12." })).status).toBe(200);
      const saraTicket = await test.db.ticket.findFirstOrThrow({ where: { shopId: shopA, orderName: "#8118" } });
      expect(await alertsFor(saraTicket.id)).toHaveLength(1);

      await redactCustomer(shopA, payload("sara@example.com"));
      expect(await test.db.ticket.findUnique({ where: { id: saraTicket.id } })).toBeNull();
      // Otávio's ticket stays, without what Sara wrote in it.
      const kept = await ticketWithMessages(otavioTicket.id);
      expect.soft(kept.messages.map((m) => m.fromAddress)).toEqual(["otavio@example.com"]);
      // Nothing in the shop's messages still carries her address or her words.
      const leftovers = await test.db.message.findMany({
        where: { shopId: shopA, OR: [{ variables: { contains: "sara@example.com" } }, { variables: { contains: "Rua das Flores" } }, { content: { contains: "Rua das Flores" } }] },
        select: { id: true, automation: true },
      });
      expect.soft(leftovers).toEqual([]);
    });
  });
});
