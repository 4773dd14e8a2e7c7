// Playwright drives Debian's Chromium through the demo storefront and the admin: the product page
// shows the seeded reviews with no JavaScript at all (from the product metafields Avisa wrote
// through the demo Admin API), with its JSON-LD and no layout shift; a shopper posts a review and
// a contact request through the signed app proxy (with JavaScript, and the contact form without);
// the merchant publishes the review and answers the ticket in the admin; the review then appears
// on the product page and in its JSON-LD, and the answer goes out by email.
// Screenshots land in tests/.artifacts/.
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoApp, type RunningApp } from "../helpers/app-server";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../helpers/browser";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const ARTIFACTS = "tests/.artifacts";
const MUG = "/demo/storefront/products/ceramic-mug";
const eventually = <T>(read: () => T | Promise<T>, timeout = 10_000) => expect.poll(read, { timeout });

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

type JsonLd = { "@type": string; name: string; aggregateRating?: { ratingValue: number; reviewCount: number }; review?: { reviewBody: string }[] };
async function jsonLd(page: Page): Promise<JsonLd> {
  const text = await page.locator('script[type="application/ld+json"]').first().textContent();
  return JSON.parse(text ?? "null") as JsonLd;
}

/** Every layout shift the page recorded (without user input), with what moved and where from. */
async function layoutShifts(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const shifts: string[] = [];
        type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[] };
        const where = (rect: DOMRectReadOnly) => `(${Math.round(rect.x)},${Math.round(rect.y)} ${Math.round(rect.width)}×${Math.round(rect.height)})`;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Shift[]) {
            if (entry.hadRecentInput) continue;
            const moved = (entry.sources ?? []).map((source) => `${source.node instanceof Element ? `${source.node.tagName.toLowerCase()}.${source.node.className}` : source.node?.nodeName} ${where(source.previousRect)} → ${where(source.currentRect)}`);
            shifts.push(`${entry.value.toFixed(5)}: ${moved.join("; ")}`);
          }
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => resolve(shifts), 500);
      }),
  );
}

describe("the demo storefront's reviews and contact block, and the merchant's side (Chromium)", () => {
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

  it("shows the reviews with JavaScript turned off: server-rendered from the metafields, with JSON-LD", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const noScript = await context.newPage();
    await noScript.goto(`${app.url}${MUG}?locale=en`);
    expect(await noScript.getByRole("heading", { name: "Customer reviews" }).count()).toBe(1);
    expect(await noScript.getByText("Holds a big coffee, keeps it warm").count()).toBe(1);
    expect(await noScript.getByText("Based on 4 reviews").count()).toBe(1);
    // A low rating is shown like any other, with the store's public reply.
    expect(await noScript.getByText("Chipped on arrival").count()).toBe(1);
    expect(await noScript.getByText("a replacement is on its way").count()).toBe(1);
    const data = await jsonLd(noScript);
    expect(data["@type"]).toBe("Product");
    expect(data.aggregateRating).toMatchObject({ ratingValue: 4, reviewCount: 4 });
    await context.close();
  });

  it("does not shift the layout while the product page loads, and loads no script to show reviews", async () => {
    // On a slow phone (or a busy machine) the browser paints a half-parsed page: what it painted
    // must stay put when the rest arrives. Throttled loads make those partial paints happen.
    for (const slow of [{ cpu: 6, bytesPerSecond: 60_000 }, { cpu: 12, bytesPerSecond: 30_000 }]) {
      const throttled = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const cdp = await throttled.context().newCDPSession(throttled);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: slow.cpu });
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 40, downloadThroughput: slow.bytesPerSecond, uploadThroughput: slow.bytesPerSecond });
      await throttled.goto(`${app.url}${MUG}?locale=en`);
      await throttled.waitForLoadState("networkidle");
      expect(await layoutShifts(throttled), `throttled ${JSON.stringify(slow)}`).toEqual([]);
      await throttled.close();
    }
    await page.goto(`${app.url}${MUG}?locale=en`);
    await page.waitForLoadState("networkidle");
    expect(await layoutShifts(page)).toEqual([]);
    const scripts = await page.evaluate(() => [...document.scripts].map((script) => script.src).filter(Boolean));
    // The only script is the forms' progressive enhancement (the page has forms), loaded with defer.
    expect(scripts.map((src) => new URL(src).pathname)).toEqual(["/demo/storefront/assets/avisa-forms.js"]);
    await shot(page, "storefront-product-en");
  });

  it("takes a guest's review through the app proxy and says it waits for the store", async () => {
    await page.goto(`${app.url}${MUG}?locale=en`);
    const form = page.locator("form[action='/apps/avisa/reviews']");
    // A shopper clicks the fourth star (the label of the visually hidden radio).
    await form.locator("label[for$='-rating-4']").click();
    expect(await form.getByRole("radio", { name: "4 stars" }).isChecked()).toBe(true);
    await form.getByLabel("Review title (optional)").fill("Great gift");
    await form.getByLabel("Your review").fill("Bought two, one for my sister. <script>alert('x')</script> She loves it.");
    await form.getByLabel("Your name").fill("Grace Hopper");
    await form.getByLabel("Email").fill("grace@example.com");
    await form.getByRole("button", { name: "Submit review" }).click();
    await eventually(() => form.locator("[data-avisa-status]").textContent()).toContain("Your review will appear once the store has checked it.");
    const stored = await database.db.review.findFirstOrThrow({ where: { authorEmail: "grace@example.com" } });
    expect(stored).toMatchObject({ status: "pending", verifiedBuyer: false, rating: 4, shopifyProductId: "81000000000000017" });
    await shot(page, "storefront-review-sent");
  });

  it("publishes a signed-in buyer's review at once, as a verified purchase", async () => {
    await page.goto(`${app.url}${MUG}?locale=en`);
    // Emily Carter bought the mug (order #1001): Shopify's proxy then passes her customer id.
    await page.getByLabel("Signed in as").selectOption({ label: "Emily Carter" });
    await page.getByRole("button", { name: "Switch" }).click();
    await page.waitForLoadState();
    const form = page.locator("form[action='/apps/avisa/reviews']");
    await form.locator("label[for$='-rating-5']").click();
    await form.getByLabel("Your review").fill("Third one I own. Still my favourite.");
    expect(await form.getByLabel("Your name").inputValue()).toBe("Emily"); // filled from the customer
    await form.getByLabel("Email").fill("emily.carter@example.com");
    await form.getByRole("button", { name: "Submit review" }).click();
    await eventually(() => form.locator("[data-avisa-status]").textContent()).toContain("Your review is now on the product page.");
    const stored = await database.db.review.findFirstOrThrow({ where: { authorEmail: "emily.carter@example.com" } });
    expect(stored).toMatchObject({ status: "published", verifiedBuyer: true, shopifyOrderId: expect.any(String) });
    expect(stored.contactId).not.toBeNull();
    await page.getByLabel("Signed in as").selectOption({ index: 0 });
    await page.getByRole("button", { name: "Switch" }).click();
  });

  it("shows field errors from the server next to the fields", async () => {
    await page.goto(`${app.url}${MUG}?locale=es`);
    const form = page.locator("form[action='/apps/avisa/reviews']");
    await form.locator("label[for$='-rating-5']").click();
    await form.locator("textarea[name=body]").fill("Muy buena");
    await form.locator("input[name=author_name]").fill("Lucía");
    // The browser's own check would stop an invalid address; the server's message is the one shown.
    await form.locator("input[name=author_email]").evaluate((input: HTMLInputElement) => (input.type = "text"));
    await form.locator("input[name=author_email]").fill("lucia-at-example");
    await form.locator("button[type=submit]").click();
    await eventually(() => form.locator("[data-avisa-error-for=author_email]").textContent()).not.toBe("");
    expect(await database.db.review.count({ where: { authorName: "Lucía" } })).toBe(0);
  });

  it("takes a contact request without JavaScript and answers with a page in the store's theme", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const noScript = await context.newPage();
    await noScript.goto(`${app.url}${MUG}?locale=pt-BR`);
    const form = noScript.locator("form[action='/apps/avisa/contact']");
    await form.locator("input[name=name]").fill("Ana Souza");
    await form.locator("input[name=email]").fill("ana@example.com");
    await form.locator("input[name=order_number]").fill("1003");
    await form.locator("textarea[name=message]").fill("Olá! Meu pedido ainda não chegou, podem verificar?");
    await form.locator("button[type=submit]").click();
    await noScript.waitForLoadState();
    expect(await noScript.getByText("Obrigado! Recebemos sua mensagem").count()).toBe(1);
    await noScript.screenshot({ path: `${ARTIFACTS}/storefront-contact-no-js.png`, fullPage: true });
    await context.close();
    const ticket = await database.db.ticket.findFirstOrThrow({ where: { email: "ana@example.com" }, include: { messages: true } });
    expect(ticket).toMatchObject({ channel: "contact_form", status: "open", orderName: "#1003" });
    expect(ticket.messages).toHaveLength(1);
  });

  it("lets the merchant publish the review; it then shows on the product page and in its JSON-LD", async () => {
    await page.goto(`${app.url}/app/reviews?locale=en`);
    await eventually(() => page.getByText("Great gift").count()).toBe(1);
    await eventually(() => page.getByRole("tab", { name: /Pending/ }).count()).toBe(1); // hydrated
    await shot(page, "admin-reviews-pending");
    await page.getByRole("button", { name: /^Publish: review by Grace/ }).click();
    await eventually(() => database.db.review.findFirstOrThrow({ where: { authorEmail: "grace@example.com" } }).then((review) => review.status)).toBe("published");

    // The inline worker rewrites the product's metafields a few seconds later.
    await eventually(async () => {
      await page.goto(`${app.url}${MUG}?locale=en`);
      return page.getByText("Great gift").count();
    }, 30_000).toBe(1);
    // Shopper text is shown as text, never run.
    expect(await page.getByText("<script>alert('x')</script>", { exact: false }).count()).toBe(1);
    const data = await jsonLd(page);
    expect(data.aggregateRating).toMatchObject({ reviewCount: 6 }); // 4 seeded, Emily's, Grace's
    expect(data.review?.some((review) => review.reviewBody.includes("one for my sister"))).toBe(true);
    await shot(page, "storefront-product-published");
    expect(pageErrors).toEqual([]);
  });

  it("lets the merchant answer the ticket; the answer goes out by email", async () => {
    await page.goto(`${app.url}/app/inbox?locale=en`);
    await eventually(() => page.getByRole("tab", { name: /Open/ }).count()).toBe(1); // hydrated
    await page.getByRole("link", { name: "Ana Souza" }).first().click();
    await page.waitForURL(/\/app\/inbox\/[^/?]+/);
    await shot(page, "admin-ticket");
    await page.getByLabel("Your reply").fill("Olá Ana! Seu pedido #1003 sai hoje para entrega.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await eventually(async () => {
      const reply = await database.db.message.findFirst({ where: { automation: "inbox_reply" } });
      return reply?.status;
    }, 20_000).toBe("sent");
    const reply = await database.db.message.findFirstOrThrow({ where: { automation: "inbox_reply" } });
    expect(reply).toMatchObject({ channel: "email", recipient: "ana@example.com" });
    await shot(page, "admin-ticket-answered");
    expect(pageErrors).toEqual([]);
  });

  it("does the same in Spanish: features the published review and answers the ticket again", async () => {
    await page.goto(`${app.url}/app/reviews?locale=es`);
    await eventually(() => page.getByRole("tab", { name: /Publicadas/ }).count()).toBe(1); // hydrated
    await page.getByRole("tab", { name: /Publicadas/ }).click();
    await page.getByRole("button", { name: /^Destacar: .*Grace/ }).click();
    await eventually(() => database.db.review.findFirstOrThrow({ where: { authorEmail: "grace@example.com" } }).then((review) => review.featured)).toBe(true);
    await shot(page, "admin-reviews-featured-es");

    const ticket = await database.db.ticket.findFirstOrThrow({ where: { email: "ana@example.com" } });
    await page.goto(`${app.url}/app/inbox/${ticket.id}?locale=es`);
    await page.getByLabel("Tu respuesta").fill("¡Hola Ana! Tu pedido #1003 ya va en camino.");
    await page.getByRole("button", { name: "Enviar respuesta" }).click();
    await eventually(async () => {
      const replies = await database.db.message.findMany({ where: { automation: "inbox_reply", status: "sent" } });
      return replies.length;
    }, 20_000).toBe(2);
    await eventually(() => page.getByText("¡Hola Ana!", { exact: false }).count()).toBeGreaterThan(0);
    await shot(page, "admin-ticket-answered-es");
    expect(pageErrors).toEqual([]);
  });

  it("shows a shopper's timeline with their messages, consent and review together", async () => {
    const emily = await database.db.contact.findFirstOrThrow({ where: { email: "emily.carter@example.com" } });
    await page.goto(`${app.url}/app/customers/${emily.id}?locale=es`);
    await eventually(() => page.getByText("Ceramic Mug", { exact: false }).count()).toBeGreaterThan(0);
    await shot(page, "admin-customer-timeline-es");
    expect(pageErrors).toEqual([]);
  });
});
