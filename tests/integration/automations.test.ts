// The automations end to end, on real SQLite and PostgreSQL: the demo store's simulator sends
// signed webhooks to the app's route actions, the real worker processes them and plans messages,
// and the dispatcher sends them through the official SendGrid and Twilio SDKs to local fake
// vendors that check every request against the vendors' OpenAPI specs. Dispatch runs at chosen
// instants so quiet hours and caps are deterministic.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseShopifyJson } from "../../app/domain/events/shopify-json";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS, type WebhookTopic } from "../../app/domain/events/webhook-topics";
import type { Channel, ChannelProvider, Clock } from "../../app/domain/ports";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "../../app/server/config.server";
import { createDemoAdminGraphql } from "../../app/server/demo/admin-graphql.server";
import { DemoStore } from "../../app/server/demo/demo-store.server";
import { seedDemoStore } from "../../app/server/demo/seed.server";
import { StoreSimulator } from "../../app/server/demo/store-simulator.server";
import { jobHandlers, sendTimeChecks } from "../../app/server/jobs.server";
import { createLogger } from "../../app/server/logger.server";
import { SendGridProvider } from "../../app/server/providers/sendgrid/sendgrid-provider.server";
import { TwilioSmsProvider } from "../../app/server/providers/twilio-sms/twilio-sms-provider.server";
import { TwilioWhatsAppProvider } from "../../app/server/providers/twilio-whatsapp/twilio-whatsapp-provider.server";
import { DatabaseJobQueue } from "../../app/server/queue/job-queue.server";
import { startWorker } from "../../app/server/queue/worker.server";
import { saveAutomation, shopAutomations } from "../../app/server/services/automations.server";
import { messageComposer } from "../../app/server/services/compose-message.server";
import { dispatchMessage } from "../../app/server/services/dispatch-message.server";
import { webhookAction } from "../../app/server/webhook-action.server";
import { SendGridFake } from "../fakes/sendgrid-fake";
import { TwilioFake } from "../fakes/twilio-fake";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

const APP_URL = "http://127.0.0.1:3457";
const ROUTES = Object.fromEntries(Object.entries({ ...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS }).map(([topic, path]) => [path, topic as WebhookTopic]));
const EMILY = "72000000000000013"; // en, Miami FL, email + SMS subscribed
const NOAH = "72000000000000023"; // en, New Haven CT, email not subscribed, no SMS consent
const LUCIA = "72000000000000033"; // es, Mexico City, email + SMS subscribed
const ANA = "72000000000000053"; // pt-BR, São Paulo, email + SMS unsubscribed
const RAFAEL = "72000000000000063"; // pt-BR, Rio, email subscribed, SMS not

async function appHandle(request: Request): Promise<Response> {
  try {
    return await webhookAction(ROUTES[new URL(request.url).pathname])({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const wallClock: Clock = { now: () => new Date() };
const HOUR = 3_600_000;

describe.each(databaseKinds())("automations on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string;
  let simulator: StoreSimulator;
  let drain: () => Promise<number>;
  let sendgrid: SendGridFake;
  let twilio: TwilioFake;
  let providers: Record<Channel, ChannelProvider>;

  /** Dispatches one message as the worker would, with the clock at `at`. */
  const dispatchAt = (messageId: string, at: Date) => {
    const clock: Clock = { now: () => at };
    return dispatchMessage(messageId, {
      database: test.db,
      clock,
      providerFor: (channel) => providers[channel],
      compose: messageComposer({ database: test.db, clock, adminGraphql: async () => createDemoAdminGraphql(new DemoStore(test.db, DEMO_SHOP_DOMAIN), clock) }),
      checks: sendTimeChecks(),
    });
  };
  const messagesOf = (automation: string, where: Record<string, unknown> = {}) =>
    test.db.message.findMany({ where: { shopId, automation, ...where }, orderBy: [{ step: "asc" }, { createdAt: "asc" }] });
  const contactId = async (shopifyCustomerId: string) => (await test.db.contact.findFirstOrThrow({ where: { shopId, shopifyCustomerId } })).id;
  const lastSms = () => twilio.messages.at(-1)!;
  const lastMail = () => sendgrid.accepted.at(-1)!.mail;
  const htmlOf = (mail: { content?: Array<{ type: string; value: string }> }) => mail.content?.find((part) => part.type === "text/html")?.value ?? "";
  const textOf = (mail: { content?: Array<{ type: string; value: string }> }) => mail.content?.find((part) => part.type === "text/plain")?.value ?? "";
  /** A UTC instant at a given local wall-clock hour, `days` from now (for quiet-hour checks). */
  const localHour = (hour: number, utcOffsetHours: number, days = 2) => {
    const day = new Date(Date.now() + days * 24 * HOUR);
    return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour - utcOffsetHours, 0, 0));
  };

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    await seedDemoStore(test.db, wallClock, APP_URL);
    shopId = (await test.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).id;
    simulator = new StoreSimulator({ store: new DemoStore(test.db, DEMO_SHOP_DOMAIN), clock: wallClock, appUrl: APP_URL, apiSecret: DEMO_API_SECRET, apiVersion: "2026-04", send: appHandle });
    // The worker processes events; dispatch runs in the tests at chosen instants (dispatchAt).
    const handlers = { "process-event": jobHandlers()["process-event"], "dispatch-message": async () => {} };
    const worker = startWorker({ queue: new DatabaseJobQueue(test.db, kind), handlers, clock: wallClock, logger: createLogger("error"), pollIntervalMs: 60_000 });
    drain = () => worker.drain();
    sendgrid = await SendGridFake.start();
    twilio = await TwilioFake.start();
    const twilioAccount = { accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url };
    providers = {
      email: new SendGridProvider({ apiKey: sendgrid.apiKey, fromEmail: "hola@casaaurora.example", fromName: "Casa Aurora", baseUrl: sendgrid.url }),
      sms: new TwilioSmsProvider({ ...twilioAccount, from: "+15005550006" }),
      whatsapp: new TwilioWhatsAppProvider({ ...twilioAccount, from: "+15005550007" }),
    };
    return async () => {
      await worker.stop();
      await sendgrid.close();
      await twilio.close();
    };
  });
  afterAll(async () => test?.drop());
  beforeEach(async () => {
    await drain();
    sendgrid.reset();
    twilio.reset();
  });
  afterAll(() => {
    // Every request any test made had to satisfy the vendors' own API descriptions.
    expect([...sendgrid.requests, ...twilio.requests].flatMap((request) => request.problems)).toEqual([]);
  });

  it("texts the order confirmation at once, in the shopper's language", async () => {
    await simulator.placeOrder({ customerId: EMILY });
    await simulator.placeOrder({ customerId: LUCIA });
    await drain();
    const [emily] = await messagesOf("order_confirmation", { contactId: await contactId(EMILY) });
    const [lucia] = await messagesOf("order_confirmation", { contactId: await contactId(LUCIA) });
    expect(emily).toMatchObject({ messageType: "order_confirmation", channel: "sms", locale: "en", purpose: "transactional", status: "scheduled" });
    expect(lucia).toMatchObject({ locale: "es" });

    expect(await dispatchAt(emily.id, new Date())).toMatchObject({ outcome: "sent" });
    expect(lastSms()).toMatchObject({ to: "+13055550142", from: "+15005550006" });
    expect(lastSms().body).toMatch(/^Casa Aurora: Thanks Emily! Order #\d+ \(\$[\d.,]+\) is confirmed/);

    expect(await dispatchAt(lucia.id, new Date())).toMatchObject({ outcome: "sent" });
    expect(lastSms().to).toBe("+525512345678");
    expect(lastSms().body).toMatch(/Lucía/);
    expect(lastSms().body).toMatch(/pedido/i);
    const timeline = await test.db.messageEvent.findMany({ where: { messageId: lucia.id }, orderBy: { occurredAt: "asc" } });
    expect(timeline.map((event) => event.type)).toEqual(["scheduled", "sent"]);
    // A retried webhook or a replayed job plans nothing new.
    await simulator.deliver("orders/create", parseShopifyJson((await test.db.eventLedger.findFirstOrThrow({ where: { shopId, topic: "orders/create" }, orderBy: { receivedAt: "desc" } })).payload));
    await drain();
    expect(await messagesOf("order_confirmation")).toHaveLength(2);
  });

  it("recovers a cart in three steps: email, SMS in daylight, then email with a unique discount", async () => {
    await simulator.abandonCheckout({ customerId: LUCIA });
    await drain();
    const steps = await messagesOf("cart_recovery", { contactId: await contactId(LUCIA) });
    expect(steps.map((m) => [m.step, m.channel, m.messageType, m.purpose])).toEqual([
      [1, "email", "cart_recovery", "marketing"],
      [2, "sms", "cart_recovery", "marketing"],
      [3, "email", "cart_recovery_discount", "marketing"],
    ]);
    const started = steps[0].runAt.getTime() - HOUR;
    expect(steps[1].runAt.getTime() - started).toBe(6 * HOUR);
    expect(steps[2].runAt.getTime() - started).toBe(24 * HOUR);

    // Step 1: a Spanish email with the recovery link and one-click unsubscribe (RFC 8058).
    expect(await dispatchAt(steps[0].id, steps[0].runAt)).toMatchObject({ outcome: "sent" });
    const first = lastMail();
    expect(first.personalizations[0].to[0].email).toBe("lucia.hernandez@example.com");
    expect(first.subject).toMatch(/Lucía|carrito|olvid/i);
    expect(htmlOf(first)).toContain("/checkouts/");
    expect(first.headers?.["List-Unsubscribe"]).toMatch(/^<http:\/\/127\.0\.0\.1:3457\/unsubscribe\?token=[\w.-]+>$/);
    expect(first.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(first.personalizations[0].custom_args ?? first.custom_args).toMatchObject({ messageId: steps[0].id });

    // Step 2 falls at 03:00 in Mexico City (UTC-6): deferred to 08:00 local, never dropped.
    const night = localHour(3, -6);
    const deferred = await dispatchAt(steps[1].id, night);
    expect(deferred).toEqual({ outcome: "deferred", runAt: localHour(8, -6) });
    const waiting = await test.db.message.findUniqueOrThrow({ where: { id: steps[1].id } });
    expect(waiting).toMatchObject({ status: "deferred" });
    expect(waiting.statusReason).toMatch(/America\/Mexico_City/);
    expect(await dispatchAt(steps[1].id, localHour(8, -6))).toMatchObject({ outcome: "sent" });
    expect(lastSms().body).toMatch(/STOP/);

    // Step 3: a single-use code created through discountCodeBasicCreate on the demo store.
    expect(await dispatchAt(steps[2].id, steps[2].runAt)).toMatchObject({ outcome: "sent" });
    const third = await test.db.message.findUniqueOrThrow({ where: { id: steps[2].id } });
    const code = JSON.parse(third.variables).discount.code as string;
    expect(code).toMatch(/^AVISA-[A-Z0-9]{8}$/);
    expect(textOf(lastMail())).toContain(code);
    const discounts = await new DemoStore(test.db, DEMO_SHOP_DOMAIN).list("discount");
    expect(discounts.some((discount) => JSON.stringify(discount).includes(code))).toBe(true);
  });

  it("stops recovery the moment the shopper buys, and credits the revenue to the message sent", async () => {
    await simulator.abandonCheckout({ customerId: RAFAEL });
    await drain();
    const [first, ...rest] = await messagesOf("cart_recovery", { contactId: await contactId(RAFAEL) });
    // The simulator's clock is the wall clock: the first email goes out "an hour later" just now.
    await test.db.message.update({ where: { id: first.id }, data: { runAt: new Date(Date.now() - 2000) } });
    expect(await dispatchAt(first.id, new Date(Date.now() - 1000))).toMatchObject({ outcome: "sent" });
    expect(lastMail().subject).toMatch(/carrinho|esqueceu|Rafael/i); // pt-BR

    await simulator.completeCheckout(first.checkoutToken!);
    await drain();
    for (const later of rest) {
      expect(await test.db.message.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ status: "cancelled" });
    }
    const credited = await test.db.message.findUniqueOrThrow({ where: { id: first.id } });
    expect(credited.recoveredOrderId).not.toBeNull();
    expect(Number(credited.recoveredRevenue)).toBeGreaterThan(0);
  });

  it("skips marketing without consent, with the reason, and never texts after STOP", async () => {
    // Ana unsubscribed in Shopify, then ticked "email me" at checkout: the newer choice counts.
    await simulator.abandonCheckout({ customerId: ANA });
    await drain();
    const [ana] = await messagesOf("cart_recovery", { contactId: await contactId(ANA) });
    expect(await dispatchAt(ana.id, ana.runAt)).toMatchObject({ outcome: "sent" });
    // She unsubscribes with the link: the next recovery email is skipped, with the reason.
    await test.db.consentRecord.create({ data: { shopId, contactId: ana.contactId!, channel: "email", state: "unsubscribed", source: "unsubscribe_link", evidence: "test", recordedAt: new Date() } });
    const [, , third] = await messagesOf("cart_recovery", { contactId: await contactId(ANA) });
    expect(await dispatchAt(third.id, third.runAt)).toMatchObject({ outcome: "skipped" });
    expect((await test.db.message.findUniqueOrThrow({ where: { id: third.id } })).statusReason).toMatch(/unsubscribed from marketing emails/);
    // Noah never agreed to marketing email.
    await simulator.abandonCheckout({ customerId: NOAH });
    await drain();
    const [noah] = await messagesOf("cart_recovery", { contactId: await contactId(NOAH) });
    expect(await dispatchAt(noah.id, noah.runAt)).toMatchObject({ outcome: "skipped" });
    expect((await test.db.message.findUniqueOrThrow({ where: { id: noah.id } })).statusReason).toMatch(/has not agreed to receive marketing emails/);

    // Emily texts STOP: even a transactional text is refused after that (carriers block it).
    await test.db.consentRecord.create({ data: { shopId, contactId: await contactId(EMILY), channel: "sms", state: "revoked", source: "keyword", evidence: "STOP", recordedAt: new Date() } });
    await simulator.placeOrder({ customerId: EMILY });
    await drain();
    const latest = (await messagesOf("order_confirmation", { contactId: await contactId(EMILY) })).at(-1)!;
    const sentBefore = twilio.messages.length;
    expect(await dispatchAt(latest.id, new Date())).toMatchObject({ outcome: "skipped" });
    expect(twilio.messages.length).toBe(sentBefore);
    expect((await test.db.message.findUniqueOrThrow({ where: { id: latest.id } })).statusReason).toMatch(/replied STOP/);
  });

  it("defers marketing over the frequency cap with a reason the merchant can read", async () => {
    await simulator.abandonCheckout({ customerId: LUCIA });
    await drain();
    const steps = await messagesOf("cart_recovery", { contactId: await contactId(LUCIA), status: "scheduled" });
    const sms = steps.find((m) => m.step === 2)!;
    const noon = localHour(12, -6, 3);
    // A marketing SMS went out two hours earlier: the default cap is one a day.
    await test.db.message.create({
      data: { shopId, contactId: sms.contactId, idempotencyKey: `cap-test-${kind}`, automation: "cart_recovery", step: 2, purpose: "marketing", channel: "sms", status: "sent", runAt: noon, sentAt: new Date(noon.getTime() - 2 * HOUR) },
    });
    const outcome = await dispatchAt(sms.id, noon);
    expect(outcome).toEqual({ outcome: "deferred", runAt: new Date(noon.getTime() + 22 * HOUR) });
    expect((await test.db.message.findUniqueOrThrow({ where: { id: sms.id } })).statusReason).toMatch(/^Frequency cap: 1 marketing SMS/);
  });

  it("falls back from WhatsApp to SMS outside the 24-hour window, and uses WhatsApp inside it or with an approved template", async () => {
    const current = (await shopAutomations(test.db, shopId)).find((a) => a.type === "order_confirmation")!;
    const saved = await saveAutomation(test.db, shopId, { ...current, steps: current.steps.map((step) => ({ ...step, channels: ["whatsapp", "sms"] })) });
    expect(saved.ok).toBe(true);
    const emily = await contactId(LUCIA);

    await simulator.placeOrder({ customerId: LUCIA });
    await drain();
    const outside = (await messagesOf("order_confirmation", { contactId: emily })).at(-1)!;
    expect(await dispatchAt(outside.id, new Date())).toMatchObject({ outcome: "sent" });
    expect(await test.db.message.findUniqueOrThrow({ where: { id: outside.id } })).toMatchObject({ channel: "sms", recipient: "+525512345678" });
    expect(lastSms().to).toBe("+525512345678");
    expect((await test.db.messageEvent.findMany({ where: { messageId: outside.id } })).map((e) => e.type)).toContain("channel");

    await test.db.contact.update({ where: { id: emily }, data: { lastWhatsappInboundAt: new Date(Date.now() - HOUR) } });
    await simulator.placeOrder({ customerId: LUCIA });
    await drain();
    const inside = (await messagesOf("order_confirmation", { contactId: emily })).at(-1)!;
    expect(await dispatchAt(inside.id, new Date())).toMatchObject({ outcome: "sent" });
    expect(lastSms()).toMatchObject({ to: "whatsapp:+525512345678", from: "whatsapp:+15005550007" });
    expect(lastSms().body).toMatch(/pedido/i);

    // Outside the window again, with an approved Content template: WhatsApp with ContentSid.
    await test.db.contact.update({ where: { id: emily }, data: { lastWhatsappInboundAt: new Date(Date.now() - 30 * HOUR) } });
    const shop = await test.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    await test.db.shop.update({ where: { id: shopId }, data: { settings: JSON.stringify({ ...JSON.parse(shop.settings), whatsappTemplates: { order_confirmation: `HX${"a".repeat(32)}` } }) } });
    await simulator.placeOrder({ customerId: LUCIA });
    await drain();
    const templated = (await messagesOf("order_confirmation", { contactId: emily })).at(-1)!;
    expect(await dispatchAt(templated.id, new Date())).toMatchObject({ outcome: "sent" });
    const request = twilio.requests.filter((r) => r.operationId === "CreateMessage").at(-1)!;
    expect(request.body).toMatchObject({ To: "whatsapp:+525512345678", ContentSid: `HX${"a".repeat(32)}` });
    expect(JSON.parse((request.body as { ContentVariables: string }).ContentVariables)).toMatchObject({ "1": "Lucía" });
    await saveAutomation(test.db, shopId, current);
  });

  it("sends the shipping update with the tracking link, then asks for a review after delivery", async () => {
    await simulator.placeOrder({ customerId: RAFAEL });
    await simulator.fulfilLatestOrder();
    await drain();
    const [update] = await messagesOf("shipping_updates", { contactId: await contactId(RAFAEL) });
    expect(update).toMatchObject({ messageType: "shipping_update", channel: "email", locale: "pt-BR" });
    expect(await dispatchAt(update.id, update.runAt)).toMatchObject({ outcome: "sent" });
    const fulfilment = await test.db.fulfillment.findFirstOrThrow({ where: { id: update.fulfillmentId! } });
    expect(htmlOf(lastMail())).toContain(fulfilment.trackingUrl!.replaceAll("&", "&amp;"));
    expect(lastMail().headers?.["List-Unsubscribe"]).toBeUndefined(); // transactional

    await simulator.markLatestDelivered();
    await drain();
    const delivered = await messagesOf("shipping_updates", { contactId: await contactId(RAFAEL), messageType: "delivered" });
    expect(delivered).toHaveLength(1);
    const [request, reminder] = await messagesOf("review_request", { orderId: update.orderId });
    expect(request).toMatchObject({ step: 1, messageType: "review_request" });
    expect(reminder).toMatchObject({ step: 2, messageType: "review_reminder" });
    expect(await dispatchAt(request.id, request.runAt)).toMatchObject({ outcome: "sent" });
    expect(htmlOf(lastMail())).toMatch(/https:\/\/avisa-demo\.myshopify\.com\/apps\/avisa\/review\?product=\d+&amp;token=[\w.-]+/);

    // A review arrived meanwhile: the reminder is skipped.
    const order = await test.db.order.findUniqueOrThrow({ where: { id: update.orderId! } });
    await test.db.review.create({ data: { shopId, shopifyProductId: "1", shopifyOrderId: order.shopifyOrderId, rating: 5, body: "Linda!", authorName: "Rafael" } });
    expect(await dispatchAt(reminder.id, reminder.runAt)).toEqual({ outcome: "skipped", reason: "the shopper already reviewed this order" });
  });

  it("apologises honestly for a failed delivery, sends care tips for tagged products and asks the 1–5 question", async () => {
    const automations = await shopAutomations(test.db, shopId);
    for (const type of ["care_instructions", "satisfaction_survey"] as const) {
      const current = automations.find((automation) => automation.type === type)!;
      expect((await saveAutomation(test.db, shopId, { ...current, enabled: true })).ok).toBe(true);
    }
    const MUG = "81000000000000017"; // tagged care-guide
    const TOTE = "81000000000000027"; // not tagged
    await simulator.placeOrder({ customerId: LUCIA, productIds: [MUG, TOTE] });
    await simulator.fulfilLatestOrder();
    await drain();
    const store = new DemoStore(test.db, DEMO_SHOP_DOMAIN);
    const [order] = await store.list("order", { newestFirst: true, take: 1 });
    const fulfilment = order.fulfillments.at(-1)!;
    await simulator.deliver("fulfillments/update", { ...fulfilment, shipment_status: "attempted_delivery", updated_at: new Date().toISOString() });
    await drain();
    const [problem] = await messagesOf("shipping_updates", { contactId: await contactId(LUCIA), messageType: "delivery_problem" });
    expect(await dispatchAt(problem.id, problem.runAt)).toMatchObject({ outcome: "sent" });
    expect(lastMail().subject).toMatch(/entrega|pedido/i);
    expect(textOf(lastMail())).toContain(fulfilment.tracking_number!);

    await simulator.markLatestDelivered();
    await drain();
    const local = await test.db.order.findFirstOrThrow({ where: { shopId, shopifyOrderId: String(order.id) } });
    const [care] = await messagesOf("care_instructions", { orderId: local.id });
    expect(JSON.parse(care.variables).productIds).toEqual([MUG]);
    expect(await dispatchAt(care.id, care.runAt)).toMatchObject({ outcome: "sent" });
    expect(htmlOf(lastMail())).toContain("Ceramic Mug");
    expect(htmlOf(lastMail())).toContain("Stoneware mug, glazed by hand.");

    const [survey] = await messagesOf("satisfaction_survey", { orderId: local.id });
    expect(await dispatchAt(survey.id, survey.runAt)).toMatchObject({ outcome: "sent" });
    const links = [...htmlOf(lastMail()).matchAll(/http:\/\/127\.0\.0\.1:3457\/survey\?token=[\w.-]+&amp;rating=([1-5])/g)].map((match) => match[1]);
    expect([...new Set(links)].sort()).toEqual(["1", "2", "3", "4", "5"]);
    for (const type of ["care_instructions", "satisfaction_survey"] as const) {
      await saveAutomation(test.db, shopId, automations.find((automation) => automation.type === type)!);
    }
  });

  it("retries a vendor's 500 and 429 (after Retry-After) until delivered, and fails a 400 with the vendor's reason", async () => {
    await simulator.placeOrder({ customerId: EMILY });
    await drain();
    const sms = (await messagesOf("order_confirmation", { contactId: await contactId(EMILY) })).at(-1)!;
    await test.db.consentRecord.create({ data: { shopId, contactId: sms.contactId!, channel: "sms", state: "granted", source: "keyword", evidence: "START", recordedAt: new Date() } });
    const now = new Date();
    twilio.failNext({ status: 500, code: 20500, message: "Internal Server Error" });
    const first = await dispatchAt(sms.id, now);
    expect(first.outcome).toBe("retry");
    twilio.failNext({ status: 429, code: 20429, message: "Too Many Requests", headers: { "Retry-After": "120" } });
    const second = await dispatchAt(sms.id, (first as { runAt: Date }).runAt);
    expect(second.outcome).toBe("retry");
    expect((second as { runAt: Date }).runAt.getTime() - (first as { runAt: Date }).runAt.getTime()).toBeGreaterThanOrEqual(120_000);
    expect(await dispatchAt(sms.id, (second as { runAt: Date }).runAt)).toMatchObject({ outcome: "sent" });
    expect(await test.db.message.findUniqueOrThrow({ where: { id: sms.id } })).toMatchObject({ status: "sent", attempts: 3 });

    await simulator.placeOrder({ customerId: EMILY });
    await drain();
    const doomed = (await messagesOf("order_confirmation", { contactId: await contactId(EMILY) })).at(-1)!;
    twilio.failNext({ status: 400, code: 21211, message: "The 'To' number +13055550142 is not a valid phone number." });
    const outcome = await dispatchAt(doomed.id, new Date());
    expect(outcome).toMatchObject({ outcome: "failed" });
    expect((outcome as { reason: string }).reason).toContain("is not a valid phone number");
    expect(await test.db.message.findUniqueOrThrow({ where: { id: doomed.id } })).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("skips an invalid phone number with the reason, and a review request while the shopper has an open conversation or the order was cancelled", async () => {
    const noah = await contactId(NOAH);
    await simulator.placeOrder({ customerId: NOAH });
    await drain();
    await test.db.contact.update({ where: { id: noah }, data: { phone: "+1 555 0100" } }); // as typed by the shopper
    const [confirmation] = await messagesOf("order_confirmation", { contactId: noah });
    expect(await dispatchAt(confirmation.id, new Date())).toMatchObject({ outcome: "skipped" });
    expect((await test.db.message.findUniqueOrThrow({ where: { id: confirmation.id } })).statusReason).toMatch(/\+1 555 0100 is not valid/);

    await simulator.placeOrder({ customerId: RAFAEL });
    await simulator.fulfilLatestOrder();
    await simulator.markLatestDelivered();
    await drain();
    const rafael = await contactId(RAFAEL);
    const [request] = (await messagesOf("review_request", { contactId: rafael, status: "scheduled" })).slice(-2);
    const ticket = await test.db.ticket.create({ data: { shopId, contactId: rafael, channel: "sms", status: "open", lastMessageAt: new Date() } });
    const outcome = await dispatchAt(request.id, request.runAt);
    expect(outcome).toMatchObject({ outcome: "skipped" });
    expect((outcome as { reason: string }).reason).toMatch(/open conversation/);
    await test.db.ticket.delete({ where: { id: ticket.id } });

    await simulator.placeOrder({ customerId: RAFAEL });
    await simulator.fulfilLatestOrder();
    await simulator.markLatestDelivered();
    await drain();
    const latest = (await messagesOf("review_request", { contactId: rafael, step: 1 })).at(-1)!;
    await test.db.order.update({ where: { id: latest.orderId! }, data: { cancelledAt: new Date() } });
    expect(await dispatchAt(latest.id, latest.runAt)).toMatchObject({ outcome: "skipped", reason: expect.stringMatching(/was cancelled/) });
  });

  it("sends nothing for a shop that uninstalled", async () => {
    await simulator.placeOrder({ customerId: EMILY });
    await drain();
    const pending = (await messagesOf("order_confirmation", { contactId: await contactId(EMILY) })).at(-1)!;
    await test.db.shop.update({ where: { id: shopId }, data: { uninstalledAt: new Date() } });
    expect(await dispatchAt(pending.id, new Date())).toEqual({ outcome: "cancelled", reason: "the store uninstalled Avisa" });
    await test.db.shop.update({ where: { id: shopId }, data: { uninstalledAt: null } });
  });
});
