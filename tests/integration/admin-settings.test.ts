// The services behind the Settings and Templates pages, on real databases: provider credentials
// are stored encrypted and only their last four characters come back; invalid settings are
// refused with field errors and change nothing (not even credentials typed with them); every
// read and write stays in the admin's shop; credential checks go through each provider's
// checkCredentials() (the outbox in the demo, local SendGrid / Twilio fakes in vendor mode);
// template saves are refused with the line and variable name, and reset brings the default back.
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../app/domain/ports";
import { translator, type AdminLocale } from "../../app/i18n";
import en from "../../app/locales/en.json";
import es from "../../app/locales/es.json";
import ptBR from "../../app/locales/pt-BR.json";
import { action as settingsAction, checkReasonText, CREDENTIAL_CHECK_KEYS, nearestField } from "../../app/routes/app.settings";
import { DEMO_SHOP_DOMAIN } from "../../app/server/config.server";
import { CREDENTIAL_CHECK_CODES } from "../../app/server/providers/credential-check.server";
import { defaultTemplate } from "../../app/domain/templating/default-templates";
import { config } from "../../app/server/config.server";
import { readShopCredentials } from "../../app/server/providers/shop-providers.server";
import { sendTemplateTest } from "../../app/server/services/send-test-message.server";
import { checkCredentials, loadSettings, removeCredentials, saveSettings, settingsInputFromForm } from "../../app/server/services/settings.server";
import { previewTemplate, templateOverview } from "../../app/server/services/template-editor.server";
import { editableTemplate, renderableTemplate, resetTemplate, saveTemplate } from "../../app/server/services/templates.server";
import { SendGridFake } from "../fakes/sendgrid-fake";
import { TwilioFake } from "../fakes/twilio-fake";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

const clock: Clock = { now: () => new Date("2026-05-01T10:00:00Z") };

const SENDGRID_KEY = "SG.casa-aurora-key.Zm9vYmFyYmF6cXV4LXNlY3JldC0xMjM0";
const TWILIO_SID = `AC${"0123456789abcdef".repeat(2)}`;
const TWILIO_TOKEN = "fedcba9876543210fedcba9876543210";

const validSettings = {
  sender: { fromName: "Casa Aurora", fromEmail: "hola@casa-aurora.example", replyTo: "ayuda@casa-aurora.example", smsFrom: "+13055550100" },
  quietHours: { start: "09:00", end: "20:00" },
  frequencyCaps: { sms: { count: 2, periodHours: 24 }, email: { count: 4, periodHours: 168 } },
  consentPolicy: { reviewRequests: "transactional" },
  locales: { primary: "es", enabled: ["es", "en"] },
  whatsappTemplates: { shipping_update: `HX${"a1".repeat(16)}` },
  merchantAlerts: { email: "alertas@casa-aurora.example", phone: "+13055550142" },
};

describe.each(databaseKinds())("admin settings and templates on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string;
  let otherShopId: string;

  /** The Shop row as stored, read with SQL (no Prisma model in between). */
  const rawShop = async (id: string) => {
    const postgres = test.kind === "postgresql";
    const table = postgres ? `"${new URL(test.url).searchParams.get("schema")}"."Shop"` : `"Shop"`;
    const rows = await test.db.$queryRawUnsafe<Array<{ settings: string; credentials: string | null }>>(
      `SELECT "settings", "credentials" FROM ${table} WHERE "id" = ${postgres ? "$1" : "?"}`,
      id,
    );
    return rows[0];
  };

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    shopId = (await test.db.shop.create({ data: { domain: "casa-aurora.myshopify.com", name: "Casa Aurora", email: "hola@casa-aurora.example" } })).id;
    otherShopId = (await test.db.shop.create({ data: { domain: "other-store.myshopify.com", name: "Other Store", email: "owner@other.example" } })).id;
  });
  afterAll(async () => test?.drop());

  // ------------------------------------------------------------------------------ settings

  it("stores provider credentials encrypted: the raw column holds none of them, the page gets the last four only", async () => {
    const result = await saveSettings(test.db, shopId, {
      settings: validSettings,
      credentials: { sendgridApiKey: SENDGRID_KEY, twilioAccountSid: TWILIO_SID, twilioAuthToken: TWILIO_TOKEN },
    });
    expect(result).toEqual({ ok: true });

    const raw = await rawShop(shopId);
    expect(raw.credentials).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
    for (const secret of [SENDGRID_KEY, "Zm9vYmFy", TWILIO_TOKEN, TWILIO_SID]) expect(raw.credentials).not.toContain(secret);
    expect(raw.settings).not.toContain(SENDGRID_KEY);
    expect(readShopCredentials({ id: shopId, credentials: raw.credentials })).toEqual({
      sendgrid: { apiKey: SENDGRID_KEY },
      twilio: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
    });
    // Sealed for this shop: copied onto another shop's row it does not open.
    expect(() => readShopCredentials({ id: otherShopId, credentials: raw.credentials })).toThrow(/cannot be decrypted/);

    const view = await loadSettings(test.db, shopId);
    expect(view.credentials).toEqual({
      sendgrid: { apiKey: { last4: "MjM0" } },
      twilio: { accountSid: { last4: "cdef" }, authToken: { last4: "3210" } },
      unreadable: false,
    });
    const sent = JSON.stringify(view);
    for (const secret of [SENDGRID_KEY, TWILIO_TOKEN, TWILIO_SID]) expect(sent).not.toContain(secret);
    expect(view.settings.quietHours).toEqual({ start: "09:00", end: "20:00" });
    expect(view.settings.consentPolicy.reviewRequests).toBe("transactional");
    expect(view.delivery).toBe("outbox");

    // The other shop saw nothing of it.
    expect((await rawShop(otherShopId)).credentials).toBeNull();
    expect((await loadSettings(test.db, otherShopId)).settings.quietHours).toEqual({ start: "08:00", end: "21:00" });
  });

  it("refuses invalid settings with field errors and keeps the old settings and credentials exactly", async () => {
    const before = await test.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const result = await saveSettings(test.db, shopId, {
      settings: {
        ...validSettings,
        sender: { ...validSettings.sender, fromEmail: "not an email", smsFrom: "call me" },
        quietHours: { start: "22:00", end: "07:00" },
        frequencyCaps: { sms: { count: 0, periodHours: 24 }, email: { count: 3, periodHours: 9999 } },
        locales: { primary: "pt-BR", enabled: ["en"] },
        whatsappTemplates: { shipping_update: "HX123" },
        merchantAlerts: { email: "alerts-at-example", phone: "12" },
      },
      // A new key typed with invalid settings is not stored either.
      credentials: { sendgridApiKey: "SG.replacement.key-that-must-not-be-stored", twilioAccountSid: "AC-too-short" },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toMatchObject({
      "sender.fromEmail": "Enter an email address your SendGrid account has verified",
      quietHours: "Quiet hours: the start of the sending window must be before its end",
      "frequencyCaps.sms.count": "Allow at least 1 message",
      "frequencyCaps.email.periodHours": "The period can be at most 31 days",
      "whatsappTemplates.shipping_update": "A Content SID starts with HX followed by 32 characters",
      "merchantAlerts.email": "Enter a valid email address for alerts",
      "credentials.twilio.accountSid": "Enter the Account SID from Twilio Console: AC followed by 32 characters",
    });

    const after = await test.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(after.settings).toBe(before.settings);
    expect(after.credentials).toBe(before.credentials);
    expect(after.updatedAt.getTime()).toBe(before.updatedAt.getTime());
    expect(readShopCredentials(after).sendgrid?.apiKey).toBe(SENDGRID_KEY);
  });

  it("checks what the schema's shapes cannot: primary language enabled, phones, senders, credential formats", async () => {
    const result = await saveSettings(test.db, shopId, {
      settings: { ...validSettings, locales: { primary: "pt-BR", enabled: ["en", "es"] }, sender: { smsFrom: "not a number" }, merchantAlerts: { phone: "12" } },
      credentials: { sendgridApiKey: "sk_live_not_sendgrid", twilioAuthToken: "short" },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(
      ["credentials.sendgrid.apiKey", "credentials.twilio.authToken", "locales.primary", "merchantAlerts.phone", "sender.smsFrom"].sort(),
    );
    expect(result.fieldErrors["locales.primary"]).toBe("The primary language must be one of the enabled languages");
  });

  it("an error on a path no field has (a language in the list) goes to the nearest field on the page", async () => {
    const result = await saveSettings(test.db, shopId, { settings: { ...validSettings, locales: { primary: "es", enabled: ["es", "fr"] } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors)).toContain("locales.enabled.1");
    expect(nearestField("locales.enabled.1", ["locales.primary", "locales.enabled", "sender.fromName"])).toBe("locales.enabled");
  });

  it("the Settings page's actions answer refusals with a key: an unreadable form, an unknown provider to remove", async () => {
    await test.db.shop.upsert({ where: { domain: DEMO_SHOP_DOMAIN }, create: { domain: DEMO_SHOP_DOMAIN, name: "Avisa Demo" }, update: {} });
    const post = async (fields: Record<string, string>) => {
      const response = await settingsAction({ request: new Request("https://avisa.example.com/app/settings", { method: "POST", body: new URLSearchParams(fields) }), params: {}, context: {} } as ActionFunctionArgs);
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    expect(await post({ intent: "remove", provider: "mailchimp" })).toEqual({ status: 400, json: { intent: "remove", ok: false, errorKey: "settings.errors.removeFailed" } });
    expect(await post({ intent: "save", "frequencyCaps.whatsapp.enabled": "yes" })).toMatchObject({ status: 400, json: { intent: "save", ok: false, fieldErrors: { settings: expect.any(String) } } });
  });

  it("reads the settings form (dotted field names) into settings and credential changes", async () => {
    const form = new FormData();
    const fields: Record<string, string> = {
      intent: "save",
      "sender.fromName": "  Casa Aurora  ",
      "sender.fromEmail": "hola@casa-aurora.example",
      "sender.replyTo": "",
      "quietHours.start": "08:30",
      "quietHours.end": "21:00",
      "frequencyCaps.sms.count": "1",
      "frequencyCaps.sms.periodHours": "24",
      "frequencyCaps.email.count": "3",
      "frequencyCaps.email.periodHours": "168",
      "frequencyCaps.whatsapp.count": "2",
      "frequencyCaps.whatsapp.periodHours": "48",
      "frequencyCaps.whatsapp.enabled": "on",
      "consentPolicy.reviewRequests": "marketing",
      "locales.primary": "en",
      "merchantAlerts.email": "alertas@casa-aurora.example",
      "whatsappTemplates.cart_recovery": `HX${"b2".repeat(16)}`,
      "whatsappTemplates.delivered": "",
      "credentials.sendgrid.apiKey": "",
    };
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.append("locales.enabled", "en");
    form.append("locales.enabled", "pt-BR");
    const input = settingsInputFromForm(form)!;
    expect(input.credentials).toEqual({ sendgridApiKey: undefined, twilioAccountSid: undefined, twilioAuthToken: undefined });
    expect(await saveSettings(test.db, shopId, input)).toEqual({ ok: true });

    const { settings } = await loadSettings(test.db, shopId);
    expect(settings.sender).toEqual({ fromName: "Casa Aurora", fromEmail: "hola@casa-aurora.example" });
    expect(settings.frequencyCaps.whatsapp).toEqual({ count: 2, periodHours: 48 });
    expect(settings.locales).toEqual({ primary: "en", enabled: ["en", "pt-BR"] });
    expect(settings.whatsappTemplates).toEqual({ cart_recovery: `HX${"b2".repeat(16)}` });
    // Empty secret fields keep the saved credentials.
    expect(readShopCredentials(await test.db.shop.findUniqueOrThrow({ where: { id: shopId } })).sendgrid?.apiKey).toBe(SENDGRID_KEY);

    const notANumber = new FormData();
    notANumber.set("frequencyCaps.sms.count", "a few");
    const refused = await saveSettings(test.db, shopId, settingsInputFromForm(notANumber)!);
    expect(refused.ok === false && refused.fieldErrors["frequencyCaps.sms.count"]).toBeTruthy();
  });

  it("replaces one credential and removes a provider's credentials without touching the other's", async () => {
    const newToken = "00112233445566778899aabbccddeeff";
    expect(await saveSettings(test.db, shopId, { settings: validSettings, credentials: { twilioAuthToken: newToken } })).toEqual({ ok: true });
    let stored = readShopCredentials(await test.db.shop.findUniqueOrThrow({ where: { id: shopId } }));
    expect(stored.twilio).toEqual({ accountSid: TWILIO_SID, authToken: newToken });

    await removeCredentials(test.db, shopId, "twilio");
    stored = readShopCredentials(await test.db.shop.findUniqueOrThrow({ where: { id: shopId } }));
    expect(stored).toEqual({ sendgrid: { apiKey: SENDGRID_KEY } });
    await removeCredentials(test.db, shopId, "sendgrid");
    expect((await rawShop(shopId)).credentials).toBeNull();
    expect((await loadSettings(test.db, shopId)).credentials.sendgrid.apiKey).toBeNull();
  });

  it("checks credentials through each provider: the outbox in the demo", async () => {
    const report = await checkCredentials(test.db, shopId, clock);
    expect(report).toEqual({
      delivery: "outbox",
      checks: [
        { channel: "email", provider: "outbox-email", ok: true },
        { channel: "sms", provider: "outbox-sms", ok: true },
        { channel: "whatsapp", provider: "outbox-whatsapp", ok: true },
      ],
    });
  });

  describe("in vendor mode, against local SendGrid and Twilio", () => {
    let sendgrid: SendGridFake;
    let twilio: TwilioFake;
    let saved: { delivery: "vendors" | "outbox"; sendgrid: string; twilio: string };

    beforeAll(async () => {
      [sendgrid, twilio] = await Promise.all([SendGridFake.start({ scopes: ["mail.send"] }), TwilioFake.start()]);
      const settings = config();
      saved = { delivery: settings.messageDelivery, sendgrid: settings.sendgrid.baseUrl, twilio: settings.twilio.baseUrl };
      Object.assign(settings, { messageDelivery: "vendors" });
      settings.sendgrid.baseUrl = sendgrid.url;
      settings.twilio.baseUrl = twilio.url;
    });
    afterAll(async () => {
      const settings = config();
      Object.assign(settings, { messageDelivery: saved.delivery });
      settings.sendgrid.baseUrl = saved.sendgrid;
      settings.twilio.baseUrl = saved.twilio;
      await Promise.all([sendgrid?.close(), twilio?.close()]);
    });

    it("says what is missing, what is refused, and what works", async () => {
      let report = await checkCredentials(test.db, shopId, clock);
      expect(report.delivery).toBe("vendors");
      expect(report.checks.map((check) => (check.ok ? "ok" : [check.code, check.params]))).toEqual([
        ["sendgrid_key_missing", undefined],
        ["twilio_account_missing", { channel: "sms" }],
        ["twilio_account_missing", { channel: "whatsapp" }],
      ]);
      expect(report.checks.map((check) => [check.channel, check.ok ? "ok" : check.reason])).toEqual([
        ["email", "No SendGrid API key is set for email. Add it in Settings > Providers."],
        ["sms", "No Twilio account is set for SMS. Add it in Settings > Providers."],
        ["whatsapp", "No Twilio account is set for WhatsApp. Add it in Settings > Providers."],
      ]);

      await saveSettings(test.db, shopId, { settings: validSettings, credentials: { sendgridApiKey: sendgrid.apiKey, twilioAccountSid: twilio.accountSid, twilioAuthToken: "0123456789abcdef0123456789abcdef" } });
      report = await checkCredentials(test.db, shopId, clock);
      expect(report.checks[0]).toEqual({ channel: "email", provider: "sendgrid", ok: true });
      expect(report.checks[1]).toMatchObject({ channel: "sms", provider: "twilio-sms", ok: false, code: "twilio_credentials_refused", reason: expect.stringMatching(/Twilio refused the Account SID \/ Auth Token/) });
      expect(report.checks[2]).toMatchObject({ channel: "whatsapp", ok: false, code: "whatsapp_sender_missing", reason: "No WhatsApp sender is set. Add it in Settings > Providers." });

      await saveSettings(test.db, shopId, { settings: { ...validSettings, sender: { ...validSettings.sender, whatsappFrom: "+13055550101" } }, credentials: { twilioAuthToken: twilio.authToken } });
      report = await checkCredentials(test.db, shopId, clock);
      expect(report.checks.every((check) => check.ok)).toBe(true);
      expect(sendgrid.requests.map((request) => request.path)).toContain("/v3/scopes");
    });

    it("says so when the saved credentials can no longer be read, on every channel", async () => {
      const damaged = await test.db.shop.create({ data: { domain: "damaged-keys.myshopify.com", name: "Damaged", credentials: "not-a-sealed-value" } });
      const report = await checkCredentials(test.db, damaged.id, clock);
      expect(report.checks.map((check) => (check.ok ? "ok" : check.code))).toEqual(["credentials_unreadable", "credentials_unreadable", "credentials_unreadable"]);
    });
  });

  // ------------------------------------------------------------------------------ templates

  it("refuses a template with an unknown variable, naming its line and variable; nothing is stored", async () => {
    const result = await saveTemplate(test.db, shopId, { messageType: "shipping_update", channel: "sms", locale: "en", source: "Hi {{ customer.first_name }}!\nYour order {{ order.nmae }} shipped." });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({ code: "unknown_variable", part: "text", line: 2, name: "order.nmae", suggestion: "order.name", message: expect.stringMatching(/^Line 2: `order\.nmae`/) }),
    ]);
    expect(await test.db.template.count({ where: { shopId } })).toBe(0);
  });

  it("refuses Liquid syntax errors in an email body with the MJML line; the stored version stays", async () => {
    const shipped = defaultTemplate("order_confirmation", "email", "es");
    const edited = { messageType: "order_confirmation" as const, channel: "email" as const, locale: "es" as const, subject: "¡Gracias, {{ customer.first_name }}!", source: shipped.mjml, text: shipped.text };
    const saved = await saveTemplate(test.db, shopId, edited);
    expect(saved.ok).toBe(true);

    const lines = shipped.mjml.split("\n");
    const at = lines.findIndex((line) => line.includes("<mj-text")) + 1;
    lines.splice(at, 0, "{% if order.name %}Pedido {{ order.name }}");
    const refused = await saveTemplate(test.db, shopId, { ...edited, subject: "Otro asunto", source: lines.join("\n") });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.issues[0]).toMatchObject({ part: "html", line: at + 1 });
    expect(refused.issues[0].message).toMatch(new RegExp(`^Line ${at + 1}: `));

    const stored = await editableTemplate(test.db, shopId, "order_confirmation", "email", "es");
    expect(stored).toMatchObject({ isDefault: false, subject: "¡Gracias, {{ customer.first_name }}!", source: shipped.mjml });
    // Another shop still has the default.
    expect((await editableTemplate(test.db, otherShopId, "order_confirmation", "email", "es")).isDefault).toBe(true);
    const overview = await templateOverview(test.db, shopId);
    expect(overview.edited.map((row) => `${row.messageType}/${row.channel}/${row.locale}`)).toEqual(["order_confirmation/email/es"]);
    expect((await templateOverview(test.db, otherShopId)).edited).toEqual([]);
    // The shop's policy makes review requests transactional.
    expect(overview.types.find((entry) => entry.messageType === "review_request")?.purpose).toBe("transactional");
  });

  it("resets a template to the shipped default", async () => {
    await resetTemplate(test.db, shopId, "order_confirmation", "email", "es");
    const template = await editableTemplate(test.db, shopId, "order_confirmation", "email", "es");
    expect(template.isDefault).toBe(true);
    expect(template.subject).toBe(defaultTemplate("order_confirmation", "email", "es").subject);
    expect((await renderableTemplate(test.db, shopId, "order_confirmation", "email", "es")).cacheKey).toBe("default:order_confirmation:email:es");
    expect(await test.db.template.count({ where: { shopId } })).toBe(0);
  });

  it("previews a draft with sample data, counting SMS segments, without storing it", async () => {
    const sms = await previewTemplate({ messageType: "shipping_update", channel: "sms", locale: "pt-BR", source: "{{ shop.name }}: Olá {{ customer.first_name }}, seu pedido {{ order.name }} já está a caminho!" });
    expect(sms.issues).toEqual([]);
    expect(sms.rendered?.text).toBe("Casa Aurora: Olá João, seu pedido #1042 já está a caminho!");
    expect(sms.length).toMatchObject({ encoding: "UCS-2", segments: 1, nonGsmCharacters: ["á", "ã"] });

    const email = await previewTemplate({ messageType: "shipping_update", channel: "email", locale: "en", ...editableParts(defaultTemplate("shipping_update", "email", "en")) });
    expect(email.rendered?.subject).toBe("Your order #1042 is on its way");
    expect(email.rendered?.html).toContain("#1042");

    const broken = await previewTemplate({ messageType: "shipping_update", channel: "sms", locale: "en", source: "{% if order.name %}Shipped" });
    expect(broken.rendered).toBeNull();
    expect(broken.issues[0]).toMatchObject({ code: "syntax_error", line: 1 });
    expect(await test.db.template.count()).toBe(0);
  });

  it("sends a test to the merchant through the shop's providers (the outbox here), marked TEST", async () => {
    const draft = { messageType: "cart_recovery" as const, channel: "email" as const, locale: "es" as const, ...editableParts(defaultTemplate("cart_recovery", "email", "es")) };
    const sent = await sendTemplateTest(test.db, shopId, draft, clock);
    expect(sent).toMatchObject({ ok: true, to: "alertas@casa-aurora.example", channel: "email" });
    const kept = await test.db.outboxMessage.findFirstOrThrow({ where: { shopId }, orderBy: { createdAt: "desc" } });
    expect(kept.subject).toMatch(/^\[TEST\] /);
    expect(kept.html).toContain("Lucía");
    expect(JSON.parse(kept.metadata)).toMatchObject({ kind: "test", messageType: "cart_recovery" });

    const refused = await sendTemplateTest(test.db, shopId, { ...draft, subject: "{{ order.name }}" }, clock);
    expect(refused).toMatchObject({ ok: false, issues: [expect.objectContaining({ part: "subject", name: "order.name" })] });

    const sms = await sendTemplateTest(test.db, otherShopId, { messageType: "cart_recovery", channel: "sms", locale: "en", source: "{{ shop.name }}: your cart is waiting {{ checkout.recovery_url }}" }, clock);
    expect(sms).toMatchObject({ ok: false, reason: expect.stringMatching(/alert phone in Settings/) });
    expect(await test.db.outboxMessage.count({ where: { shopId: otherShopId } })).toBe(0);
  });
});

function editableParts(template: { subject: string; mjml: string; text: string }) {
  return { subject: template.subject, source: template.mjml, text: template.text };
}

describe("credential check refusals in the merchant's language", () => {
  const catalogues: Record<AdminLocale, Record<string, string>> = { en, es, "pt-BR": ptBR };

  it("maps exactly the providers' codes", () => {
    expect(Object.keys(CREDENTIAL_CHECK_KEYS).sort()).toEqual([...CREDENTIAL_CHECK_CODES].sort());
  });

  it.each(CREDENTIAL_CHECK_CODES)("%s has words in en, es and pt-BR, every placeholder filled", (code) => {
    for (const [locale, catalogue] of Object.entries(catalogues) as [AdminLocale, Record<string, string>][]) {
      expect(catalogue[CREDENTIAL_CHECK_KEYS[code]], `${locale}: ${code}`).toBeTruthy();
      const text = checkReasonText(translator(locale), { code, params: { channel: "whatsapp", status: "suspended", detail: "Vendor words" } });
      expect(text, `${locale}: ${code}`).not.toMatch(/\{\w+\}/);
    }
  });

  it("names the channel in the merchant's language and quotes the vendor verbatim", () => {
    expect(checkReasonText(translator("es"), { code: "twilio_account_missing", params: { channel: "sms" } })).toBe(
      "No hay ninguna cuenta de Twilio para SMS. Añádela en Configuración > Proveedores.",
    );
    expect(checkReasonText(translator("pt-BR"), { code: "sendgrid_check_failed", params: { detail: "scopes: not allowed" } })).toContain("scopes: not allowed");
  });

  it("puts an error under its own field, else the closest one above, else the first one below", () => {
    const fields = ["quietHours.start", "quietHours.end", "frequencyCaps.sms.count", "frequencyCaps.sms.periodHours", "locales.enabled"];
    expect(nearestField("frequencyCaps.sms.count", fields)).toBe("frequencyCaps.sms.count");
    expect(nearestField("locales.enabled.3", fields)).toBe("locales.enabled");
    expect(nearestField("frequencyCaps.sms", fields)).toBe("frequencyCaps.sms.count");
    expect(nearestField("quietHours", fields)).toBe("quietHours.end");
    expect(nearestField("reviews.autoPublish", fields)).toBeNull();
  });
});
