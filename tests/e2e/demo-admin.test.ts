// Playwright drives Debian's Chromium against the running demo store: the admin renders
// without App Bridge (no `shopify` global, no CDN), a simulated order shows up in the activity
// list, toasts work, and the admin speaks en, es and pt-BR. Screenshots land in tests/.artifacts/.
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../helpers/browser";
import { startDemoApp, type RunningApp } from "../helpers/app-server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const ARTIFACTS = "tests/.artifacts";

describe("demo admin in Chromium", () => {
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
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.drop();
  });

  it("opens the seeded shop's dashboard without App Bridge", async () => {
    await page.goto(`${app.url}/app?locale=en`);
    await expect.poll(() => page.getByRole("heading", { name: "Casa Aurora" }).count()).toBe(1);
    expect(await page.evaluate(() => "shopify" in window)).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
  });

  it("places an order in the store simulator and shows it in the activity list", async () => {
    await page.getByRole("link", { name: "Store simulator" }).click();
    await page.waitForURL(/\/app\/simulator/);
    await page.getByLabel("Customer").selectOption({ label: "Lucía Hernández (es, CMX MX)" });
    await page.getByRole("button", { name: "Place an order" }).click();
    await expect.poll(() => page.getByText(/Order #1004 placed by Lucía Hernández/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("simulator-delivery").first().textContent()).toBe("orders/create sent: Avisa answered 200");
    await page.screenshot({ path: `${ARTIFACTS}/simulator.png`, fullPage: true });

    await page.getByRole("link", { name: "Activity" }).click();
    await page.waitForURL(/\/app\/activity/);
    await expect.poll(() => page.getByTestId("activity-topic").first().textContent()).toBe("orders/create");
    expect(await page.getByTestId("activity-summary").first().textContent()).toMatch(/^#1004 · Lucía Hernández · \d+\.\d\d USD$/);
    // The web process's worker processes the event: reload until the ledger row says so.
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByText("processed", { exact: true }).count();
      }, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/activity.png`, fullPage: true });

    await page.getByRole("link", { name: "Messages" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Messages", exact: true }).count()).toBe(1);
  });

  it("moves the demo clock and shows it", async () => {
    await page.getByRole("link", { name: "Store simulator" }).click();
    const before = await page.getByTestId("demo-clock").textContent();
    await page.getByRole("button", { name: "+1 day" }).click();
    await expect.poll(() => page.getByText(/Demo clock moved to/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("demo-clock").textContent()).not.toBe(before);
  });

  it("keeps a test email in the outbox and shows it rendered", async () => {
    await page.getByRole("link", { name: "Outbox" }).click();
    await page.waitForURL(/\/app\/outbox/);
    await page.getByRole("button", { name: "Send a test email" }).click();
    await expect.poll(() => page.getByText("Test message kept in the outbox").count()).toBeGreaterThan(0);
    await expect.poll(() => page.frameLocator("iframe").getByText(/This is a test message from Avisa for Casa Aurora/).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/outbox.png`, fullPage: true });
  });

  it("speaks Spanish and Brazilian Portuguese", async () => {
    // An order whose webhook never came, recorded by the catch-up check (reconcile-shop).
    const shop = await database.db.shop.findFirstOrThrow({ where: { uninstalledAt: null } });
    await database.db.eventLedger.create({
      data: {
        shopId: shop.id, topic: "orders/create", webhookId: "reconcile:order:990001:2026-01-01T00:00:00Z", source: "reconciliation", status: "processed",
        payload: JSON.stringify({ id: 990001, name: "#1003", total_price: "42.00", currency: "USD", customer: { first_name: "Ana", last_name: "Souza" }, line_items: [] }),
        receivedAt: new Date(Date.now() - 60_000),
      },
    });
    await page.goto(`${app.url}/app/activity?locale=es`);
    await expect.poll(() => page.getByRole("heading", { name: "Actividad", exact: true }).count()).toBe(1);
    // Each event says where it came from, in the merchant's language.
    const sources = await page.getByTestId("activity-source").allTextContents();
    expect(sources).toContain("Webhook");
    expect(sources).toContain("Revisión periódica");
    expect(await page.getByRole("link", { name: "Simulador de tienda" }).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/activity-es.png`, fullPage: true });

    await page.goto(`${app.url}/app?locale=pt-BR`);
    await expect.poll(() => page.getByRole("heading", { name: "Configure o Avisa" }).count()).toBe(1);
    // The choice sticks (cookie) when the next page has no ?locale=.
    await page.getByRole("link", { name: "Caixa de saída" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Caixa de saída" }).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/outbox-pt-BR.png`, fullPage: true });
  });

  it("raised no errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
