// Playwright drives Debian's Chromium against the demo store's templates, automations and
// settings pages, in English and Spanish: a template edit changes the server-rendered preview, a
// Liquid mistake is refused with its line, a test goes to the outbox, an automation is switched
// off and on, settings are saved (and refused, with field errors), and credentials are checked —
// against the outbox in the demo, and against local SendGrid / Twilio fakes in vendor mode.
// Screenshots land in tests/.artifacts/.
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../app/server/demo/demo-clock.server";
import { seedDemoStore } from "../../app/server/demo/seed.server";
import { SendGridFake } from "../fakes/sendgrid-fake";
import { TwilioFake } from "../fakes/twilio-fake";
import { freePort, startApp, startDemoApp, type RunningApp } from "../helpers/app-server";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../helpers/browser";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const ARTIFACTS = "tests/.artifacts";
/** expect.poll with room for a server round trip (the default gives up after 1 s). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 10_000 });
/** A full-page screenshot, taken from the top so the fixed top bar sits where it belongs. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

describe("templates, automations and settings in Chromium (demo store)", () => {
  let database: TestDatabase;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    database = await createTestDatabase("sqlite");
    app = await startDemoApp(database);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.drop();
  });

  const emailFrame = () => page.frameLocator('[data-testid="email-preview"]');

  it("lists every template and opens the shipping update email with its preview", async () => {
    await page.goto(`${app.url}/app?locale=en`);
    await page.getByRole("navigation").getByRole("link", { name: "Templates" }).click();
    await page.waitForURL(/\/app\/templates/);
    await eventually(() => page.getByRole("heading", { name: "Templates", exact: true }).count()).toBe(1);
    expect(await page.getByText("0 edited in this language").count()).toBe(1);
    await shot(page, "templates-list");

    await page.getByRole("link", { name: "Edit Shipping update · Email" }).click();
    await page.waitForURL(/\/app\/templates\/shipping_update\/email\/en$/);
    await eventually(() => page.getByTestId("preview-subject").textContent()).toBe("Your order #1042 is on its way");
    await eventually(() => emailFrame().getByText(/order #1042 has shipped/).count()).toBeGreaterThan(0);
    expect(await page.getByTestId("email-preview").getAttribute("data-width")).toBe("600");
  });

  it("changes the preview as the template is edited, at desktop and mobile widths", async () => {
    await page.getByLabel("Subject", { exact: true }).fill("{{ customer.first_name }}, {{ order.name }} is coming!");
    await eventually(() => page.getByTestId("preview-subject").textContent()).toBe("Emily, #1042 is coming!");
    expect(await page.getByText("Unsaved changes").count()).toBe(1);

    const body = page.getByLabel("Email body (MJML)");
    const mjml = await body.inputValue();
    await body.fill(mjml.replace("Good news:", "Great news from the studio:"));
    await eventually(() => emailFrame().getByText(/Great news from the studio: order #1042 has shipped/).count()).toBeGreaterThan(0);
    await shot(page, "template-email-desktop");

    await page.getByRole("button", { name: "Mobile" }).click();
    expect(await page.getByTestId("email-preview").getAttribute("data-width")).toBe("375");
    await eventually(() => page.getByTestId("email-preview").evaluate((frame) => Math.round(frame.getBoundingClientRect().width))).toBe(375);
    await page.getByTestId("email-preview").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/template-email-mobile.png` });
  });

  it("sends the edited email to the merchant as a TEST, through the outbox", async () => {
    await page.getByRole("button", { name: "Send test to me" }).click();
    await eventually(() => page.getByText("Test sent to hola@casa-aurora.example").count()).toBeGreaterThan(0);
    await page.getByRole("link", { name: "Outbox" }).click();
    await page.waitForURL(/\/app\/outbox/);
    await eventually(() => page.getByRole("heading", { name: "[TEST] Emily, #1042 is coming!" }).count()).toBe(1);
    await eventually(() => page.frameLocator("iframe").first().getByText(/Great news from the studio/).count()).toBeGreaterThan(0);
    await shot(page, "template-test-in-outbox");
  });

  it("shows a Liquid mistake with its line and refuses to save it; nothing is stored", async () => {
    await page.goto(`${app.url}/app/templates/shipping_update/sms/en`);
    const text = page.getByLabel("Message text");
    const original = await text.inputValue();
    await eventually(() => page.getByTestId("sms-count").textContent()).toMatch(/^1 segment\(s\) · \d+ characters$/);

    await text.fill("Hi {{ customer.first_name }}!\nYour order {{ order.nmae }} shipped.");
    await eventually(() => page.getByTestId("error-source").textContent()).toBe(
      "Line 2: `order.nmae` is not a variable of the Shipping update message. Did you mean `order.name`?",
    );
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await eventually(() => page.getByText("Not saved: fix the marked lines").count()).toBeGreaterThan(0);
    await eventually(() => page.getByText(/The template was not saved/).count()).toBe(1);
    await shot(page, "template-sms-error");

    await text.fill("Hi {{ customer.first_name }}!\n{% if order.name %}Your order shipped.");
    await eventually(() => page.getByTestId("error-source").textContent()).toMatch(/^Line 2: /);

    await page.reload();
    expect(await page.getByLabel("Message text").inputValue()).toBe(original);
    expect(await page.getByText("Default", { exact: true }).count()).toBeGreaterThan(0);
  });

  it("saves a valid SMS, counts its segments, then resets it to the default", async () => {
    const text = page.getByLabel("Message text");
    const original = await text.inputValue();
    await text.fill("{{ shop.name }}: ¡{{ customer.first_name }}, tu pedido {{ order.name }} va en camino!");
    await eventually(() => page.getByTestId("text-preview").textContent()).toBe("Casa Aurora: ¡Emily, tu pedido #1042 va en camino!");
    await eventually(() => page.getByTestId("sms-count").textContent()).toBe("1 segment(s) · 50 characters");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await eventually(() => page.getByText("Template saved").count()).toBeGreaterThan(0);
    await eventually(() => page.getByText("Edited", { exact: true }).count()).toBeGreaterThan(0);
    await shot(page, "template-sms-saved");

    await page.getByRole("link", { name: "Templates" }).first().click();
    await eventually(() => page.getByText("1 edited in this language").count()).toBe(1);
    expect(await page.getByRole("button", { name: "English (1 edited)" }).count()).toBe(1);
    await shot(page, "templates-list-edited");
    await page.getByRole("link", { name: "Edit Shipping update · SMS" }).click();
    await page.waitForURL(/\/app\/templates\/shipping_update\/sms\/en$/);

    await page.getByRole("button", { name: "Reset to default" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Reset to default" }).click();
    await eventually(() => page.getByText("Template reset to the default").count()).toBeGreaterThan(0);
    await eventually(() => text.inputValue()).toBe(original);
  });

  it("shows a Liquid error with its line in Spanish", async () => {
    await page.goto(`${app.url}/app/templates/cart_recovery/sms/es?locale=es`);
    const text = page.getByLabel("Texto del mensaje");
    await text.fill("{{ shop.name }}: hola {{ customer.frist_name }}\nTu carrito: {{ order.total }}");
    await eventually(() => page.getByTestId("error-source").textContent()).toContain(
      "Línea 1: `customer.frist_name` no es una variable del mensaje Recuperación de carrito. ¿Querías decir `customer.first_name`?",
    );
    await eventually(() => page.getByTestId("error-source").textContent()).toContain("Línea 2: `order.total` no está disponible en el mensaje Recuperación de carrito. ¿Querías decir `checkout.total`?");
    await page.getByRole("button", { name: "Guardar", exact: true }).click();
    await eventually(() => page.getByText("No se guardó: corrige las líneas marcadas").count()).toBeGreaterThan(0);
    await shot(page, "template-sms-error-es");
  });

  it("turns an automation on and off (es)", async () => {
    await page.goto(`${app.url}/app/automations?locale=es`);
    await eventually(() => page.getByRole("heading", { name: "Automatizaciones", exact: true }).count()).toBe(1);
    const survey = page.getByRole("switch", { name: "Encuesta de satisfacción" });
    expect(await survey.getAttribute("aria-checked")).toBe("false");
    await survey.click();
    await eventually(() => page.getByText("Encuesta de satisfacción activada").count()).toBeGreaterThan(0);
    await page.reload();
    await eventually(() => page.getByRole("switch", { name: "Encuesta de satisfacción" }).getAttribute("aria-checked")).toBe("true");
    await shot(page, "automations-es");

    await page.getByRole("switch", { name: "Encuesta de satisfacción" }).click();
    await eventually(() => page.getByText("Encuesta de satisfacción desactivada").count()).toBeGreaterThan(0);
    await page.reload();
    expect(await page.getByRole("switch", { name: "Encuesta de satisfacción" }).getAttribute("aria-checked")).toBe("false");
  });

  it("shows saveAutomation's errors on the automation form, then saves a fixed one", async () => {
    await page.goto(`${app.url}/app/automations/cart_recovery?locale=en`);
    await eventually(() => page.getByRole("heading", { name: "Cart recovery", exact: true }).count()).toBe(1);
    // Step 2 (SMS) at 10 minutes: sooner than step 1 and too soon for a text.
    const delays = page.getByLabel("Wait", { exact: true });
    const units = page.getByLabel("Unit", { exact: true });
    await delays.nth(1).fill("10");
    await units.nth(1).selectOption("minutes");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await eventually(() => page.getByTestId("automation-errors").textContent()).toContain(
      "Step 2: SMS steps of cart recovery need a delay of at least 30 minutes, so shoppers who are still paying are not texted.",
    );
    expect(await page.getByTestId("automation-errors").textContent()).toContain("Step 2: the delay must be longer than step 1's (1 h), so this step comes after it.");
    await shot(page, "automation-errors");

    // Fixed: 2 hours, WhatsApp before SMS, orders of at least 20, wholesale customers skipped.
    await delays.nth(1).fill("2");
    await units.nth(1).selectOption("hours");
    await page.getByLabel("WhatsApp", { exact: true }).nth(1).check();
    await page.getByRole("button", { name: "Move WhatsApp up" }).nth(1).click();
    await page.getByRole("button", { name: "Move WhatsApp up" }).nth(1).click();
    await page.getByLabel("Minimum order value").fill("20");
    await page.getByLabel("Skip customers or orders tagged").fill("wholesale, staff");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await eventually(() => page.getByText("Cart recovery saved").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("automation-errors").count()).toBe(0);

    await page.goto(`${app.url}/app/automations`);
    await eventually(() => page.getByText("Cart recovery: after 2 hours · WhatsApp → SMS").count()).toBe(1);
  });

  it("saves settings, keeps the SendGrid key out of the page and checks credentials (en)", async () => {
    await page.goto(`${app.url}/app/settings?locale=en`);
    await eventually(() => page.getByRole("heading", { name: "Settings", exact: true }).count()).toBe(1);
    await page.getByLabel("From name").fill("Casa Aurora");
    await page.getByLabel("From email").fill("hola@casa-aurora.example");
    await page.getByLabel("Send from").fill("09:00");
    await page.getByLabel("Send until").fill("20:30");
    await page.getByLabel("Alert phone").fill("+13055550142");
    await page.getByText("Transactional", { exact: true }).click();
    await page.getByLabel("SendGrid API key").fill("SG.demo-key.secret-value-9876");
    await page.getByRole("button", { name: "Save settings" }).first().click();
    await eventually(() => page.getByText("Settings saved").count()).toBeGreaterThan(0);

    await page.reload();
    expect(await page.getByLabel("Send from").inputValue()).toBe("09:00");
    expect(await page.getByLabel("From name").inputValue()).toBe("Casa Aurora");
    expect(await page.getByLabel("Transactional", { exact: true }).isChecked()).toBe(true);
    await eventually(() => page.getByText("SendGrid API key: saved ••••9876").count()).toBe(1);
    expect(await page.content()).not.toContain("secret-value");

    await page.getByRole("button", { name: "Check credentials" }).click();
    await eventually(() => page.getByText("Ready", { exact: true }).count()).toBe(3);
    expect(await page.getByTestId("check-email").textContent()).toBe("Email · Outbox");
    await shot(page, "settings");
  });

  it("refuses invalid settings with field errors and keeps the old ones (en, es)", async () => {
    await page.getByLabel("Send from").fill("21:00");
    await page.getByLabel("Send until").fill("08:00");
    await page.getByLabel("Alert email").fill("not an email");
    await page.getByRole("button", { name: "Save settings" }).first().click();
    await eventually(() => page.getByText("The start of the sending window must be before its end.").count()).toBe(1);
    expect(await page.getByText("Enter a valid email address for alerts.").count()).toBe(1);
    expect(await page.getByTestId("settings-refused").count()).toBe(1);
    await shot(page, "settings-refused");
    await page.reload();
    expect(await page.getByLabel("Send from").inputValue()).toBe("09:00");

    await page.goto(`${app.url}/app/settings?locale=es`);
    await page.getByLabel("Email de avisos").fill("no-es-un-email");
    await page.getByLabel("Cada", { exact: true }).first().fill("0");
    await page.getByRole("button", { name: "Guardar la configuración" }).first().click();
    await eventually(() => page.getByText("Escribe una dirección de email válida para los avisos.").count()).toBe(1);
    expect(await page.getByText("Escribe un periodo de entre 1 hora y 31 días (744 horas).").count()).toBe(1);
    expect(await page.getByText("No se guardó nada").count()).toBe(1);
    await shot(page, "settings-refused-es");
  });

  it("raised no errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});

describe("checking credentials against SendGrid and Twilio (vendor mode, local fakes)", () => {
  let database: TestDatabase;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let sendgrid: SendGridFake;
  let twilio: TwilioFake;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [sendgrid, twilio] = await Promise.all([SendGridFake.start({ scopes: ["mail.send"] }), TwilioFake.start()]);
    database = await createTestDatabase("sqlite");
    const port = await freePort();
    await seedDemoStore(database.db, systemClock, `http://127.0.0.1:${port}`);
    app = await startApp({
      AVISA_DEMO: "1",
      NODE_ENV: "development",
      DATABASE_URL: database.url,
      PORT: String(port),
      MESSAGE_DELIVERY: "vendors",
      SENDGRID_BASE_URL: sendgrid.url,
      TWILIO_BASE_URL: twilio.url,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.drop();
    await sendgrid?.close();
    await twilio?.close();
  });

  it("says what is missing, then which credentials work, in Spanish", async () => {
    await page.goto(`${app.url}/app/settings?locale=es`);
    await page.getByRole("button", { name: "Comprobar credenciales" }).click();
    await eventually(() => page.getByTestId("check-reason-email").textContent()).toBe("No hay ninguna clave de API de SendGrid para el correo. Añádela en Configuración > Proveedores.");
    expect(await page.getByTestId("check-reason-sms").textContent()).toBe("No hay ninguna cuenta de Twilio para SMS. Añádela en Configuración > Proveedores.");

    await page.getByLabel("Clave de API de SendGrid").fill(sendgrid.apiKey);
    await page.getByLabel("Email del remitente").fill("hola@casa-aurora.example");
    await page.getByLabel("Account SID de Twilio").fill(twilio.accountSid);
    await page.getByLabel("Auth Token de Twilio").fill("0123456789abcdef0123456789abcdef"); // not this account's
    await page.getByLabel("SMS desde").fill("+13055550100");
    await page.getByRole("button", { name: "Guardar la configuración" }).first().click();
    await eventually(() => page.getByText("Configuración guardada").count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(sendgrid.apiKey);

    await page.getByRole("button", { name: "Comprobar credenciales" }).click();
    await eventually(() => page.getByTestId("check-email").textContent()).toBe("Correo · SendGrid");
    await eventually(() => page.getByTestId("check-reason-email").count()).toBe(0);
    await eventually(() => page.getByTestId("check-reason-sms").textContent()).toMatch(/Twilio/);
    expect(await page.getByTestId("check-reason-whatsapp").textContent()).toBe("No hay ningún remitente de WhatsApp. Añádelo en Configuración > Remitente.");
    await shot(page, "settings-check-vendors-es");

    // The right token: SMS is ready too.
    await page.getByRole("button", { name: "Reemplazar" }).nth(1).click();
    await page.getByLabel("Account SID de Twilio").fill(twilio.accountSid);
    await page.getByLabel("Auth Token de Twilio").fill(twilio.authToken);
    await page.getByRole("button", { name: "Guardar la configuración" }).first().click();
    await eventually(() => page.getByText(/Cuenta ••••\w{4}, auth token guardado ••••\w{4}/).count()).toBe(1);
    await page.getByRole("button", { name: "Comprobar credenciales" }).click();
    await eventually(async () => (await page.getByTestId("check-reason-sms").count()) === 0 && (await page.getByText("Lista", { exact: true }).count())).toBe(2);
    expect(sendgrid.requests.some((request) => request.path === "/v3/scopes")).toBe(true);
  });

  it("raised no errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
