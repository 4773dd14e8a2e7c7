// The vendor adapters through the official SDKs (@sendgrid/mail, twilio) against local fake
// vendors that check every request against the vendors' own OpenAPI specs: what is sent, how
// vendor failures become retriable or final ProviderErrors, credential checks, and the signed
// callbacks (SendGrid Event Webhook, Twilio status / inbound) with their status mapping.
import { createServer } from "node:net";
import { EventWebhook } from "@sendgrid/eventwebhook";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../app/domain/errors";
import type { Clock, OutgoingMessage } from "../../app/domain/ports";
import { parseEventWebhook, readSignedEventWebhook, type SendGridEvent } from "../../app/server/providers/sendgrid/event-webhook.server";
import { SendGridProvider } from "../../app/server/providers/sendgrid/sendgrid-provider.server";
import { parseInboundMessage, parseStatusCallback, readSignedTwilioRequest } from "../../app/server/providers/twilio/twilio-callbacks.server";
import { TwilioSmsProvider } from "../../app/server/providers/twilio-sms/twilio-sms-provider.server";
import { TwilioWhatsAppProvider } from "../../app/server/providers/twilio-whatsapp/twilio-whatsapp-provider.server";
import { SendGridFake } from "../fakes/sendgrid-fake";
import { TwilioFake } from "../fakes/twilio-fake";

const NOW = new Date("2026-05-01T10:00:00.000Z");
const clock: Clock = { now: () => NOW };

/** The rejection of `promise`, which must be a ProviderError. */
async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// -----------------------------------------------------------------------------------------------
// SendGrid

describe("SendGrid email through @sendgrid/mail", () => {
  let sendgrid: SendGridFake;
  let provider: SendGridProvider;

  const email = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    shopId: "shop_1",
    channel: "email",
    to: "ana@example.com",
    subject: "Você esqueceu algo no carrinho",
    text: "Olá Ana, seu carrinho está esperando.",
    html: "<p>Olá Ana, seu carrinho está esperando.</p>",
    metadata: { messageId: "msg_1", unsubscribeUrl: "https://avisa.example.com/u/tok_123" },
    ...overrides,
  });

  beforeAll(async () => {
    sendgrid = await SendGridFake.start();
  });
  afterAll(async () => sendgrid?.close());
  beforeEach(() => {
    sendgrid.reset();
    sendgrid.scopes = ["mail.send"];
    provider = new SendGridProvider({
      apiKey: sendgrid.apiKey,
      fromEmail: "loja@avisa.example.com",
      fromName: "Loja da Ana",
      replyTo: "ajuda@avisa.example.com",
      baseUrl: sendgrid.url,
      clock,
    });
  });

  it("sends subject, text and html, string custom_args and one-click unsubscribe headers; SendGrid's spec is satisfied", async () => {
    const { externalId } = await provider.send(email());

    const [request] = sendgrid.requests;
    expect(request.problems).toEqual([]);
    expect(request.status).toBe(202);
    expect(externalId).toBe(sendgrid.accepted[0].xMessageId);
    expect(request.body).toMatchObject({
      personalizations: [{ to: [{ email: "ana@example.com" }] }],
      from: { email: "loja@avisa.example.com", name: "Loja da Ana" },
      reply_to: { email: "ajuda@avisa.example.com" },
      subject: "Você esqueceu algo no carrinho",
      content: [
        { type: "text/plain", value: "Olá Ana, seu carrinho está esperando." },
        { type: "text/html", value: "<p>Olá Ana, seu carrinho está esperando.</p>" },
      ],
      custom_args: { shopId: "shop_1", messageId: "msg_1" },
      headers: { "List-Unsubscribe": "<https://avisa.example.com/u/tok_123>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
  });

  it("sends a text-only email without unsubscribe headers when there is no unsubscribe URL", async () => {
    await provider.send(email({ html: undefined, metadata: { messageId: "msg_2" } }));
    const [request] = sendgrid.requests;
    expect(request.problems).toEqual([]);
    expect(request.body).toMatchObject({ content: [{ type: "text/plain" }], custom_args: { shopId: "shop_1", messageId: "msg_2" } });
    expect((request.body as { headers?: unknown }).headers).toBeUndefined();
  });

  it("the fake refuses a request that breaks SendGrid's spec (the checker can fail)", async () => {
    const response = await fetch(`${sendgrid.url}/v3/mail/send`, {
      method: "POST",
      headers: { authorization: `Bearer ${sendgrid.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        personalizations: [{ to: [{ email: "not-an-address" }] }],
        from: { name: "no email" },
        content: [{ type: "text/html", value: "<p>hi</p>" }, { type: "text/plain", value: "hi" }],
        custom_args: { attempt: 2 },
      }),
    });
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: Array<{ field: string; message: string }> };
    const fields = errors.map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(["body/personalizations/0/to/0/email", "body/from/email", "body/custom_args/attempt", "subject", "content"]),
    );
    expect(sendgrid.requests[0].problems.length).toBeGreaterThanOrEqual(5);
  });

  it("429 is retriable, waiting until X-RateLimit-Reset", async () => {
    const resetAt = NOW.getTime() / 1000 + 30;
    sendgrid.failNext({ status: 429, headers: { "X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(resetAt) } });
    const error = await providerError(provider.send(email()));
    expect(error.retriable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.message).toContain("too many requests");
  });

  it("5xx is retriable", async () => {
    sendgrid.failNext({ status: 500 });
    const error = await providerError(provider.send(email()));
    expect(error.retriable).toBe(true);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it("400 is final and carries SendGrid's own reasons", async () => {
    sendgrid.failNext({
      status: 400,
      body: { errors: [{ message: "The from address does not match a verified Sender Identity.", field: "from", help: "https://sendgrid.com/docs/for-developers/sending-email/sender-identity/" }] },
    });
    const error = await providerError(provider.send(email()));
    expect(error.retriable).toBe(false);
    expect(error.vendorCode).toBe("400");
    expect(error.message).toContain("from: The from address does not match a verified Sender Identity.");
  });

  it("a wrong API key is final and says to check the key", async () => {
    const wrongKey = new SendGridProvider({ apiKey: "SG.wrong.key", fromEmail: "loja@avisa.example.com", baseUrl: sendgrid.url });
    const error = await providerError(wrongKey.send(email()));
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/API key/);
    expect(sendgrid.requests[0].status).toBe(401);
  });

  it("an unreachable SendGrid is retriable (the request never left)", async () => {
    const offline = new SendGridProvider({ apiKey: sendgrid.apiKey, fromEmail: "loja@avisa.example.com", baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const error = await providerError(offline.send(email()));
    expect(error.retriable).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("checkCredentials asks SendGrid for the key's scopes", async () => {
    expect(await provider.checkCredentials()).toEqual({ ok: true });
    expect(sendgrid.requests.at(-1)).toMatchObject({ method: "GET", path: "/v3/scopes", status: 200 });

    const wrongKey = new SendGridProvider({ apiKey: "SG.wrong.key", fromEmail: "loja@avisa.example.com", baseUrl: sendgrid.url });
    const refused = await wrongKey.checkCredentials();
    expect(refused.ok).toBe(false);
    expect(refused).toMatchObject({ code: "sendgrid_key_refused", reason: expect.stringMatching(/refused the API key/) });

    // SendGrid's own words come through verbatim, for the admin to quote.
    sendgrid.failNext({ status: 400, body: { errors: [{ message: "scopes lookup is not available for this key", field: null }] } });
    expect(await provider.checkCredentials()).toMatchObject({ ok: false, code: "sendgrid_check_failed", params: { detail: "scopes lookup is not available for this key" } });
    sendgrid.failNext({ status: 503 });
    expect(await provider.checkCredentials()).toMatchObject({ ok: false, code: "sendgrid_unavailable" });
    const offline = new SendGridProvider({ apiKey: sendgrid.apiKey, fromEmail: "loja@avisa.example.com", baseUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(await offline.checkCredentials()).toMatchObject({ ok: false, code: "sendgrid_unavailable", reason: expect.stringContaining("ECONNREFUSED") });

    sendgrid.scopes = ["user.profile.read"];
    const readOnly = await provider.checkCredentials();
    expect(readOnly).toMatchObject({ ok: false, code: "sendgrid_no_mail_send", reason: expect.stringMatching(/Mail Send/) });
  });
});

describe("SendGrid Event Webhook", () => {
  let sendgrid: SendGridFake;
  const webhookUrl = "https://avisa.example.com/callbacks/sendgrid/events";

  beforeAll(async () => {
    sendgrid = await SendGridFake.start();
  });
  afterAll(async () => sendgrid?.close());

  async function acceptedMail() {
    const provider = new SendGridProvider({ apiKey: sendgrid.apiKey, fromEmail: "loja@avisa.example.com", baseUrl: sendgrid.url });
    const { externalId } = await provider.send({ shopId: "shop_1", channel: "email", to: "ana@example.com", subject: "Oi", text: "Oi", metadata: { messageId: "msg_9" } });
    const accepted = sendgrid.accepted.find((mail) => mail.xMessageId === externalId)!;
    return { externalId, accepted };
  }

  it("accepts the vendor's signed post and maps every event to Avisa's statuses", async () => {
    const { externalId, accepted } = await acceptedMail();
    const events = [
      sendgrid.event(accepted, "processed"),
      sendgrid.event(accepted, "deferred", { response: "450 try later", attempt: "1" }),
      sendgrid.event(accepted, "delivered", { response: "250 OK" }),
      sendgrid.event(accepted, "open", { useragent: "Mozilla/5.0", ip: "192.0.2.1" }),
      sendgrid.event(accepted, "click", { url: "https://loja.example.com/cart" }),
      sendgrid.event(accepted, "bounce", { type: "bounce", reason: "550 5.1.1 user unknown" }),
      sendgrid.event(accepted, "bounce", { type: "blocked", reason: "421 mailbox full" }),
      sendgrid.event(accepted, "dropped", { reason: "Bounced Address" }),
      sendgrid.event(accepted, "spamreport"),
      sendgrid.event(accepted, "unsubscribe"),
      sendgrid.event(accepted, "group_unsubscribe", { asm_group_id: 42 }),
      sendgrid.event(accepted, "some_future_event"),
    ];
    const result = await readSignedEventWebhook(sendgrid.signedEventWebhook(webhookUrl, events), { publicKey: sendgrid.publicKey });
    expect(result.ok).toBe(true);
    const parsed = (result as { value: SendGridEvent[] }).value;

    expect(parsed.every((event) => event.externalId === externalId && event.messageId === "msg_9" && event.shopId === "shop_1")).toBe(true);
    expect(parsed.map((event) => [event.event, event.status, event.bounceType ?? null, event.suppressRecipient])).toEqual([
      ["processed", "sent", null, false],
      ["deferred", null, null, false],
      ["delivered", "delivered", null, false],
      ["opened", "opened", null, false],
      ["clicked", "clicked", null, false],
      ["bounced", "bounced", "hard", true],
      ["bounced", "bounced", "soft", false],
      ["dropped", "failed", null, false],
      ["spam_report", null, null, true],
      ["unsubscribe", null, null, true],
      ["group_unsubscribe", null, null, true],
    ]);
    expect(parsed[4].url).toBe("https://loja.example.com/cart");
    expect(parsed[5]).toMatchObject({ email: "ana@example.com", reason: "550 5.1.1 user unknown" });
    expect(parsed[0].timestamp).toBeInstanceOf(Date);
  });

  it("the fake signs the way SendGrid's own library verifies", async () => {
    const { accepted } = await acceptedMail();
    const rawBody = JSON.stringify([sendgrid.event(accepted, "delivered")]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const library = new EventWebhook();
    const key = library.convertPublicKeyToECDSA(sendgrid.publicKey);
    expect(library.verifySignature(key, rawBody, sendgrid.signature(timestamp, rawBody), timestamp)).toBe(true);
  });

  it("refuses a tampered body, a missing signature, another key and (with a tolerance) an old timestamp", async () => {
    const { accepted } = await acceptedMail();
    const events = [sendgrid.event(accepted, "delivered")];
    const signed = sendgrid.signedEventWebhook(webhookUrl, events);

    const tamperedBody = JSON.stringify([{ ...events[0], event: "spamreport" }]);
    const tampered = new Request(webhookUrl, { method: "POST", headers: signed.headers, body: tamperedBody });
    expect(await readSignedEventWebhook(tampered, { publicKey: sendgrid.publicKey })).toEqual({ ok: false, error: "Event Webhook signature does not match" });

    const unsigned = new Request(webhookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events) });
    expect(await readSignedEventWebhook(unsigned, { publicKey: sendgrid.publicKey })).toMatchObject({ ok: false });

    const other = await SendGridFake.start();
    try {
      const fromOther = sendgrid.signedEventWebhook(webhookUrl, events);
      expect(await readSignedEventWebhook(fromOther, { publicKey: other.publicKey })).toMatchObject({ ok: false });
    } finally {
      await other.close();
    }

    const old = sendgrid.signedEventWebhook(webhookUrl, events, { timestamp: Math.floor(NOW.getTime() / 1000) - 3600 });
    expect(await readSignedEventWebhook(old, { publicKey: sendgrid.publicKey, toleranceSeconds: 600, now: NOW })).toMatchObject({ ok: false });
  });

  it("refuses a body that is not a JSON array", () => {
    expect(parseEventWebhook("{}")).toMatchObject({ ok: false });
    expect(parseEventWebhook("not json")).toMatchObject({ ok: false });
  });
});

// -----------------------------------------------------------------------------------------------
// Twilio

describe("Twilio SMS and WhatsApp through the twilio SDK", () => {
  let twilio: TwilioFake;
  const statusCallbackUrl = "https://avisa.example.com/callbacks/twilio/status";
  const sms = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    shopId: "shop_1",
    channel: "sms",
    to: "+5511987654321",
    text: "Loja da Ana: seu pedido #1001 foi enviado.",
    metadata: { messageId: "msg_1" },
    ...overrides,
  });
  const whatsapp = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({ ...sms(), channel: "whatsapp", ...overrides });
  const smsProvider = (overrides: Partial<ConstructorParameters<typeof TwilioSmsProvider>[0]> = {}) =>
    new TwilioSmsProvider({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url, from: "+15005550006", statusCallbackUrl, now: clock.now, ...overrides });
  const whatsappProvider = () =>
    new TwilioWhatsAppProvider({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url, from: "+14155238886", statusCallbackUrl });

  beforeAll(async () => {
    twilio = await TwilioFake.start();
  });
  afterAll(async () => twilio?.close());
  beforeEach(() => {
    twilio.reset();
    twilio.accountStatus = "active";
  });

  it("sends an SMS from a number with a status callback; Twilio's spec is satisfied", async () => {
    const { externalId } = await smsProvider().send(sms());
    const [request] = twilio.requests;
    expect(request.problems).toEqual([]);
    expect(request.status).toBe(201);
    expect(request.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(request.body).toEqual({ To: "+5511987654321", From: "+15005550006", Body: "Loja da Ana: seu pedido #1001 foi enviado.", StatusCallback: statusCallbackUrl });
    expect(externalId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.messages[0]).toMatchObject({ sid: externalId, status: "queued" });
  });

  it("sends through a Messaging Service, with media", async () => {
    const provider = smsProvider({ from: undefined, messagingServiceSid: `MG${"a".repeat(32)}` });
    await provider.send(sms({ mediaUrls: ["https://cdn.example.com/a.png", "https://cdn.example.com/b.png"] }));
    const [request] = twilio.requests;
    expect(request.problems).toEqual([]);
    expect(request.body).toMatchObject({ MessagingServiceSid: `MG${"a".repeat(32)}`, MediaUrl: ["https://cdn.example.com/a.png", "https://cdn.example.com/b.png"] });
    expect(twilio.messages[0].status).toBe("accepted");
  });

  it("sends free-form WhatsApp with whatsapp: addresses", async () => {
    const { externalId } = await whatsappProvider().send(whatsapp());
    const [request] = twilio.requests;
    expect(request.problems).toEqual([]);
    expect(request.body).toMatchObject({ To: "whatsapp:+5511987654321", From: "whatsapp:+14155238886", Body: "Loja da Ana: seu pedido #1001 foi enviado." });
    expect(externalId).toBe(twilio.messages[0].sid);
  });

  it("sends a WhatsApp template as ContentSid + ContentVariables (JSON), without a Body", async () => {
    const contentSid = `HX${"b".repeat(32)}`;
    await whatsappProvider().send(whatsapp({ to: "whatsapp:+5511987654321", contentSid, contentVariables: { "1": "Ana", "2": "#1001" } }));
    const [request] = twilio.requests;
    expect(request.problems).toEqual([]);
    const body = request.body as Record<string, string>;
    expect(body).toMatchObject({ To: "whatsapp:+5511987654321", ContentSid: contentSid });
    expect(JSON.parse(body.ContentVariables)).toEqual({ "1": "Ana", "2": "#1001" });
    expect(body.Body).toBeUndefined();
  });

  it("the fake refuses a request that breaks Twilio's spec (the checker can fail)", async () => {
    const response = await fetch(`${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ To: "+5511987654321", StatusCallback: "not a url", SmartEncoded: "perhaps", ContentVariables: "{oops" }).toString(),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: number; message: string; more_info: string; status: number };
    expect(body).toMatchObject({ status: 400, more_info: expect.stringContaining("twilio.com/docs/errors/") });
    expect(twilio.requests[0].problems.map((problem) => problem.field)).toEqual(
      expect.arrayContaining(["StatusCallback", "SmartEncoded", "Body", "From", "ContentVariables"]),
    );
  });

  it("429 is retriable after Retry-After", async () => {
    twilio.failNext({ status: 429, headers: { "Retry-After": "2" } });
    const error = await providerError(smsProvider().send(sms()));
    expect(error).toMatchObject({ retriable: true, retryAfterMs: 2000, vendorCode: "20429" });
  });

  it("5xx is retriable", async () => {
    twilio.failNext({ status: 500 });
    const error = await providerError(smsProvider().send(sms()));
    expect(error).toMatchObject({ retriable: true, vendorCode: "20500" });
  });

  it("21610 (the shopper replied STOP) is final, with Twilio's reason and code", async () => {
    twilio.failNext({ status: 400, code: 21610 });
    const error = await providerError(smsProvider().send(sms()));
    expect(error).toMatchObject({ retriable: false, vendorCode: "21610" });
    expect(error.message).toContain("STOP");
    expect(error.message).toContain("Attempt to send to unsubscribed recipient");
  });

  it("63016 (outside the WhatsApp 24-hour window) is final", async () => {
    twilio.failNext({ status: 400, code: 63016 });
    const error = await providerError(whatsappProvider().send(whatsapp()));
    expect(error).toMatchObject({ retriable: false, vendorCode: "63016" });
    expect(error.message).toMatch(/template/);
  });

  it("other 4xx errors are final and keep Twilio's message", async () => {
    twilio.failNext({ status: 400, code: 21211, message: "Invalid 'To' Phone Number: +55119876" });
    const error = await providerError(smsProvider().send(sms()));
    expect(error).toMatchObject({ retriable: false, vendorCode: "21211" });
    expect(error.message).toContain("Invalid 'To' Phone Number: +55119876");
  });

  it("a wrong auth token is final (20003)", async () => {
    const error = await providerError(smsProvider({ authToken: "0".repeat(32) }).send(sms()));
    expect(error).toMatchObject({ retriable: false, vendorCode: "20003" });
    expect(error.message).toMatch(/Account SID \/ Auth Token/);
  });

  it("bad settings fail the message (final) and the credential check with a reason, not the code that builds providers", async () => {
    const badSid = smsProvider({ accountSid: "SK123" });
    expect(await providerError(badSid.send(sms()))).toMatchObject({ retriable: false, message: expect.stringMatching(/Account SID/) });
    expect(await badSid.checkCredentials()).toMatchObject({ ok: false, code: "twilio_bad_account_sid", reason: expect.stringMatching(/Account SID/) });
    const noSender = smsProvider({ from: undefined });
    expect(await providerError(noSender.send(sms()))).toMatchObject({ retriable: false, message: expect.stringMatching(/From number or a Messaging Service/) });
    expect(twilio.requests).toEqual([]);
  });

  it("checkCredentials fetches the account", async () => {
    expect(await smsProvider().checkCredentials()).toEqual({ ok: true });
    expect(twilio.requests[0]).toMatchObject({ method: "GET", path: `/2010-04-01/Accounts/${twilio.accountSid}.json`, status: 200, problems: [] });

    const wrong = await smsProvider({ authToken: "0".repeat(32) }).checkCredentials();
    expect(wrong).toMatchObject({ ok: false, code: "twilio_credentials_refused", reason: expect.stringMatching(/Account SID \/ Auth Token/) });

    twilio.failNext({ status: 400, code: 20001, message: "Something Twilio says" });
    expect(await smsProvider().checkCredentials()).toMatchObject({ ok: false, code: "twilio_check_failed", params: { detail: expect.stringContaining("Something Twilio says") } });
    twilio.failNext({ status: 503 });
    expect(await smsProvider().checkCredentials()).toMatchObject({ ok: false, code: "twilio_unavailable" });

    twilio.accountStatus = "suspended";
    const suspended = await whatsappProvider().checkCredentials();
    expect(suspended).toMatchObject({ ok: false, code: "twilio_account_inactive", params: { status: "suspended" }, reason: expect.stringMatching(/suspended/) });
  });
});

describe("Twilio callbacks", () => {
  let twilio: TwilioFake;
  const statusUrl = "https://avisa.example.com/callbacks/twilio/status?shop=loja-da-ana.myshopify.com";
  const inboundUrl = "https://avisa.example.com/callbacks/twilio/inbound";

  beforeAll(async () => {
    twilio = await TwilioFake.start();
  });
  afterAll(async () => twilio?.close());

  async function sentMessage(channel: "sms" | "whatsapp" = "sms") {
    const options = { accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url, from: "+15005550006" };
    const provider = channel === "sms" ? new TwilioSmsProvider(options) : new TwilioWhatsAppProvider(options);
    const { externalId } = await provider.send({ shopId: "shop_1", channel, to: "+5511987654321", text: "Oi" });
    return twilio.messages.find((message) => message.sid === externalId)!;
  }

  it("accepts a signed status callback, including parameters Twilio adds without notice", async () => {
    const message = await sentMessage();
    const params = { ...twilio.statusCallbackParams(message, "delivered"), RawDlrDoneDate: "2605011000", SomethingNew: "x" };
    const result = await readSignedTwilioRequest(twilio.signedPost(statusUrl, params), { authToken: twilio.authToken });
    expect(result.ok).toBe(true);
    const update = parseStatusCallback((result as { value: Record<string, string> }).value);
    expect(update).toEqual({ ok: true, value: { externalId: message.sid, vendorStatus: "delivered", status: "delivered", channel: "sms" } });
  });

  it("refuses a tampered parameter, a missing signature, another token and another URL", async () => {
    const message = await sentMessage();
    const params = twilio.statusCallbackParams(message, "delivered");
    const signed = twilio.signedPost(statusUrl, params);
    const tampered = new Request(statusUrl, { method: "POST", headers: signed.headers, body: new URLSearchParams({ ...params, MessageStatus: "read" }).toString() });
    expect(await readSignedTwilioRequest(tampered, { authToken: twilio.authToken })).toEqual({ ok: false, error: "X-Twilio-Signature does not match" });

    const unsigned = new Request(statusUrl, { method: "POST", body: new URLSearchParams(params).toString() });
    expect(await readSignedTwilioRequest(unsigned, { authToken: twilio.authToken })).toEqual({ ok: false, error: "missing X-Twilio-Signature header" });

    const otherToken = twilio.signedPost(statusUrl, params, { authToken: "f".repeat(32) });
    expect(await readSignedTwilioRequest(otherToken, { authToken: twilio.authToken })).toMatchObject({ ok: false });

    const otherShop = twilio.signedPost(statusUrl.replace("loja-da-ana", "another-shop"), params);
    expect(await readSignedTwilioRequest(otherShop, { authToken: twilio.authToken, publicUrl: statusUrl })).toMatchObject({ ok: false });
  });

  it("checks against the public URL Twilio called when the app sees another one (proxy, tunnel)", async () => {
    const message = await sentMessage();
    const params = twilio.statusCallbackParams(message, "sent");
    const signedForPublic = twilio.signedPost(statusUrl, params);
    const asSeenByApp = new Request("http://127.0.0.1:3000/callbacks/twilio/status?shop=loja-da-ana.myshopify.com", {
      method: "POST",
      headers: signedForPublic.headers,
      body: new URLSearchParams(params).toString(),
    });
    expect(await readSignedTwilioRequest(asSeenByApp.clone(), { authToken: twilio.authToken })).toMatchObject({ ok: false });
    expect(await readSignedTwilioRequest(asSeenByApp, { authToken: twilio.authToken, publicUrl: statusUrl })).toMatchObject({ ok: true });
  });

  it("maps Twilio statuses to Avisa's, with error codes and reasons", async () => {
    const sms = await sentMessage("sms");
    const wa = await sentMessage("whatsapp");
    const update = (message: typeof sms, status: string, errorCode?: number) => {
      const result = parseStatusCallback(twilio.statusCallbackParams(message, status, errorCode));
      if (!result.ok) throw new Error(result.error);
      return result.value;
    };
    expect(update(sms, "queued").status).toBeNull();
    expect(update(sms, "sent").status).toBe("sent");
    expect(update(sms, "delivered").status).toBe("delivered");
    expect(update(sms, "undelivered", 30003)).toMatchObject({ status: "failed", errorCode: "30003", errorMessage: expect.stringMatching(/unreachable/) });
    expect(update(sms, "failed", 21610)).toMatchObject({ status: "failed", errorCode: "21610", errorMessage: expect.stringMatching(/STOP/) });
    expect(update(wa, "read")).toMatchObject({ status: "opened", channel: "whatsapp" });
    expect(update(wa, "failed", 63016)).toMatchObject({ status: "failed", errorCode: "63016", errorMessage: expect.stringMatching(/24-hour/) });
    expect(parseStatusCallback({ MessageStatus: "sent" })).toMatchObject({ ok: false });
  });

  it("reads signed inbound SMS and WhatsApp messages", async () => {
    const receivedAt = NOW;
    const smsParams = twilio.inboundParams({ from: "+5511987654321", to: "+15005550006", body: "PARAR" });
    const smsResult = await readSignedTwilioRequest(twilio.signedPost(inboundUrl, smsParams), { authToken: twilio.authToken });
    expect(smsResult.ok).toBe(true);
    expect(parseInboundMessage((smsResult as { value: Record<string, string> }).value, receivedAt)).toEqual({
      ok: true,
      value: { externalId: smsParams.MessageSid, channel: "sms", from: "+5511987654321", to: "+15005550006", body: "PARAR", mediaUrls: [], receivedAt },
    });

    const waParams = twilio.inboundParams({
      from: "+5511987654321",
      to: "+14155238886",
      body: "Quando chega meu pedido?",
      channel: "whatsapp",
      profileName: "Ana",
      mediaUrls: ["https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"],
    });
    const waResult = await readSignedTwilioRequest(twilio.signedPost(inboundUrl, waParams), { authToken: twilio.authToken });
    expect(parseInboundMessage((waResult as { value: Record<string, string> }).value, receivedAt)).toMatchObject({
      ok: true,
      value: { channel: "whatsapp", from: "+5511987654321", to: "+14155238886", body: "Quando chega meu pedido?", profileName: "Ana", mediaUrls: [waParams.MediaUrl0] },
    });
  });
});
