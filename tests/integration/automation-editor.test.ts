// The automation editor's route on real databases: a definition that breaks a rule is refused
// with issues (path, code, params) naming the exact field, and nothing is stored; a good one is
// saved; an unreadable form and an unknown automation are answered with codes the page words in
// the merchant's language; the list's on/off switch refuses a bad request with a code, not English.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as toggleAction } from "../../app/routes/app.automations._index";
import { action as editorAction, loader as editorLoader } from "../../app/routes/app.automations.$type";
import { DEFAULT_AUTOMATIONS } from "../../app/domain/automations/definitions";
import { DEMO_SHOP_DOMAIN, resetConfigForTests } from "../../app/server/config.server";
import { saveAutomation, shopAutomations } from "../../app/server/services/automations.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<Response>;

async function call(handler: Handler, url: string, params: Record<string, string>, form?: Record<string, string>): Promise<Response> {
  const request = new Request(`http://localhost${url}`, form ? { method: "POST", body: new URLSearchParams(form) } : undefined);
  try {
    return await handler({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const save = (type: string, definition: unknown) =>
  call(editorAction as Handler, `/app/automations/${type}`, { type }, { definition: typeof definition === "string" ? definition : JSON.stringify(definition) });

describe.each(databaseKinds())("the automation editor on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string;
  const stored = (type: string) => test.db.automation.findUnique({ where: { shopId_type: { shopId, type } } });

  beforeAll(async () => {
    resetConfigForTests();
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    shopId = (await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Casa Aurora" } })).id;
  });
  afterAll(async () => test?.drop());

  it("refuses a step sent too soon with issues on that step's delay, and stores nothing", async () => {
    const recovery = structuredClone(DEFAULT_AUTOMATIONS.cart_recovery);
    recovery.steps[1].delayMinutes = 10; // SMS, before step 1 (60 minutes)
    const response = await save("cart_recovery", { ...recovery, conditions: { minimumOrderValue: -5 } });
    expect(response.status).toBe(422);
    const body: Json = await response.json();
    expect(body.ok).toBe(false);
    expect(body.issues).toEqual([
      { path: ["conditions", "minimumOrderValue"], code: "minimum_order_value_negative", params: {}, message: "The minimum order value can't be negative." },
      {
        path: ["steps", 1, "delayMinutes"],
        code: "delay_not_after_previous",
        params: { previousStep: 1, previousDelayMinutes: 60 },
        message: "Step 2: the delay must be longer than step 1's (1 h), so this step comes after it.",
      },
      {
        path: ["steps", 1, "delayMinutes"],
        code: "text_delay_too_short",
        params: { channels: ["sms"], min: 30, unit: "minutes" },
        message: "Step 2: SMS steps of cart recovery need a delay of at least 30 minutes, so shoppers who are still paying are not texted.",
      },
    ]);
    expect(await stored("cart_recovery")).toBeNull();
    expect((await shopAutomations(test.db, shopId)).find((automation) => automation.type === "cart_recovery")).toEqual(DEFAULT_AUTOMATIONS.cart_recovery);
  });

  it("saves a good definition, then refuses a bad one without touching what was saved", async () => {
    const alert = structuredClone(DEFAULT_AUTOMATIONS.merchant_alert);
    alert.settings.email = "alertas@casa-aurora.example";
    const saved = await save("merchant_alert", alert);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ ok: true, issues: [] });
    const before = await stored("merchant_alert");
    expect(JSON.parse(before!.definition).settings.email).toBe("alertas@casa-aurora.example");

    const refused = await save("merchant_alert", { ...alert, steps: [{ ...alert.steps[0], channels: ["email", "sms"] }], settings: { ...alert.settings, email: "not an email" } });
    expect(refused.status).toBe(422);
    const { issues } = (await refused.json()) as Json;
    expect(issues.map((issue: Json) => [issue.path, issue.code])).toEqual([
      [["settings", "email"], "alert_email_invalid"],
      [["settings", "phone"], "alert_phone_required"],
    ]);
    expect(await stored("merchant_alert")).toEqual(before);
  });

  it("refuses an invalid alert phone saying why, with the phone's code and country, and stores nothing", async () => {
    const alert = structuredClone(DEFAULT_AUTOMATIONS.merchant_alert);
    const before = await stored("merchant_alert");
    const refusal = async (phone: string) => {
      const response = await save("merchant_alert", { ...alert, steps: [{ ...alert.steps[0], channels: ["email", "sms"] }], settings: { ...alert.settings, phone } });
      expect(response.status).toBe(422);
      return ((await response.json()) as Json).issues;
    };
    expect(await refusal("12")).toEqual([
      { path: ["settings", "phone"], code: "alert_phone_invalid", params: { phone: "12", problem: "no_country_code" }, message: expect.stringMatching(/^Alert phone: “12” has no country code/) },
    ]);
    expect(await refusal("+34 412 345 678")).toEqual([
      { path: ["settings", "phone"], code: "alert_phone_invalid", params: { phone: "+34 412 345 678", problem: "invalid", country: "ES" }, message: expect.any(String) },
    ]);
    expect(await stored("merchant_alert")).toEqual(before);
  });

  it("saveAutomation returns the coded issues itself (the route validates once, through it)", async () => {
    const recovery = structuredClone(DEFAULT_AUTOMATIONS.cart_recovery);
    recovery.steps[1].delayMinutes = 10;
    const saved = await saveAutomation(test.db, shopId, recovery);
    expect(saved.ok).toBe(false);
    if (saved.ok) return;
    expect(saved.error.map((issue) => [issue.path, issue.code])).toEqual([
      [["steps", 1, "delayMinutes"], "delay_not_after_previous"],
      [["steps", 1, "delayMinutes"], "text_delay_too_short"],
    ]);
    const body: Json = await (await save("cart_recovery", recovery)).json();
    expect(body.issues).toEqual(JSON.parse(JSON.stringify(saved.error)));
    expect(await stored("cart_recovery")).toBeNull();

    const good = await saveAutomation(test.db, shopId, DEFAULT_AUTOMATIONS.satisfaction_survey);
    expect(good).toEqual({ ok: true, value: DEFAULT_AUTOMATIONS.satisfaction_survey });
  });

  it("takes the automation from the URL, not from the body", async () => {
    const survey = { ...structuredClone(DEFAULT_AUTOMATIONS.satisfaction_survey), type: "merchant_alert", enabled: true };
    expect((await save("satisfaction_survey", survey)).status).toBe(200);
    expect((await stored("satisfaction_survey"))?.enabled).toBe(true);
  });

  it("answers an unreadable form with a code, not a sentence", async () => {
    for (const definition of ["{not json", "[]", "null"]) {
      const response = await save("cart_recovery", definition);
      expect(response.status, definition).toBe(400);
      expect(((await response.json()) as Json).issues).toEqual([{ path: [], code: "form_unreadable", params: {}, message: expect.any(String) }]);
    }
    expect(await stored("cart_recovery")).toBeNull();
  });

  it("answers an unknown automation with 404 (the page shows its translated Not found)", async () => {
    expect((await call(editorLoader as Handler, "/app/automations/newsletter", { type: "newsletter" })).status).toBe(404);
    expect((await save("newsletter", DEFAULT_AUTOMATIONS.cart_recovery)).status).toBe(404);
    const page = await call(editorLoader as Handler, "/app/automations/review_request", { type: "review_request" });
    expect(page.status).toBe(200);
    expect(((await page.json()) as Json).automation).toEqual(DEFAULT_AUTOMATIONS.review_request);
  });

  it("the list's switch refuses a bad request with an error code and turns a known automation on", async () => {
    const bad = await call(toggleAction as Handler, "/app/automations", {}, { type: "newsletter", enabled: "yes" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ ok: false, error: "toggle_invalid" });
    const good = await call(toggleAction as Handler, "/app/automations", {}, { type: "care_instructions", enabled: "true" });
    expect(await good.json()).toEqual({ ok: true, type: "care_instructions", enabled: true });
    expect((await stored("care_instructions"))?.enabled).toBe(true);
  });
});
