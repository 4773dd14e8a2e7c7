// The automation editor's wording of validation issues: every issue the domain gives becomes a
// sentence in en, es and pt-BR (no key, no unfilled {placeholder}, no English in es/pt-BR), is
// put on the control it is about, and the summary names the step.
import { describe, expect, it } from "vitest";
import { compactDuration, issueControl, issueLine, issueLines, issueText, issuesByControl } from "../../../app/components/automation-issues";
import { AUTOMATION_ISSUE_CODES, checkAutomation, type AutomationIssue } from "../../../app/domain/automations/definitions";
import { ADMIN_LOCALES, translator, type AdminLocale } from "../../../app/i18n";
import en from "../../../app/locales/en.json";
import { cases, draft } from "./automation-issue-cases";

const issuesOf = (input: unknown): AutomationIssue[] => {
  const result = checkAutomation(input);
  if (result.ok) throw new Error("expected validation issues");
  return result.error;
};
const lines = (input: unknown, locale: AdminLocale) => issueLines(issuesOf(input), translator(locale), locale);

describe("issue wording", () => {
  it("has a sentence for every code", () => {
    const missing = AUTOMATION_ISSUE_CODES.filter((code) => !(`automations.errors.${code}` in en));
    expect(missing).toEqual([]);
  });

  it.each(cases)("words “%s” in every admin language", (_name, input) => {
    const english = issuesOf(input).map((issue) => issueText(issue, translator("en"), "en"));
    for (const locale of ADMIN_LOCALES) {
      const t = translator(locale);
      for (const issue of issuesOf(input)) {
        const text = issueText(issue, t, locale);
        expect(text, `${issue.code} in ${locale}`).not.toMatch(/automations\.|\{\w+\}|undefined|NaN|\[object/);
        expect(issueLine(issue, t, locale)).toContain(text.slice(1));
        if (locale !== "en" && !issue.code.startsWith("field_")) expect(english, `${issue.code} in ${locale}`).not.toContain(text);
      }
    }
  });

  it("says what the browser test expects for a cart recovery text sent too soon (en) and words it in es and pt-BR", () => {
    const recovery = draft("cart_recovery", (a) => (a.steps[1].delayMinutes = 10));
    expect(lines(recovery, "en")).toEqual([
      "Step 2: the delay must be longer than step 1's (1 h), so this step comes after it.",
      "Step 2: SMS steps of cart recovery need a delay of at least 30 minutes, so shoppers who are still paying are not texted.",
    ]);
    expect(lines(recovery, "es")).toEqual([
      "Paso 2: la espera debe ser más larga que la del paso 1 (1 h), para que este paso llegue después.",
      "Paso 2: los pasos por SMS de la recuperación de carritos deben esperar al menos 30 minutos, para no escribir a quien todavía está pagando.",
    ]);
    expect(lines(recovery, "pt-BR")[0]).toBe("Etapa 2: a espera deve ser mais longa que a da etapa 1 (1 h), para que esta etapa venha depois.");
  });

  it("keeps channel names and acronyms as they are at the start of a step's line", () => {
    const recovery = draft("cart_recovery", (a) => ((a.steps[0].channels = ["whatsapp", "sms"]), (a.steps[0].delayMinutes = 20)));
    expect(lines(recovery, "en")).toContain("Step 1: WhatsApp and SMS steps of cart recovery need a delay of at least 30 minutes, so shoppers who are still paying are not texted.");
    const alert = draft("merchant_alert", (a) => (a.steps[0].channels = ["email", "whatsapp"]));
    expect(lines(alert, "es")).toEqual(["Paso 1: WhatsApp no se puede usar aquí: esta automatización solo envía por Correo o SMS."]);
  });

  it("words limits and names in the admin's language", () => {
    const t = translator("pt-BR");
    const text = (input: unknown) => issueText(issuesOf(input)[0], t, "pt-BR");
    expect(text(draft("satisfaction_survey", (a) => (a.steps[0].delayMinutes = 61 * 1440)))).toBe("A espera pode ser de no máximo 60 dias.");
    expect(text(draft("cart_recovery", (a) => (a.settings.discount.expiresInHours = 31 * 24)))).toBe("O desconto deve expirar entre 1 hora e 30 dias depois do envio.");
    expect(text(draft("shipping_updates", (a) => (a.steps[3].messageType = "delivered")))).toBe("“Entregue” já é enviada pela etapa 3.");
    expect(text(draft("order_confirmation", (a) => (a.steps[0].delayMinutes = -5)))).toBe("A espera não pode ser negativa: digite 0 para enviar na hora.");
    expect(issueText(issuesOf(draft("cart_recovery", (a) => a.steps.forEach((s: { anchor?: string }) => (s.anchor = "delivered"))))[0], translator("es"), "es")).toBe(
      "Esta automatización solo puede contar las esperas desde el evento que la inicia.",
    );
    expect([60, 90, 1440, 45].map((minutes) => compactDuration(minutes, translator("es"), "es"))).toEqual(["1 h", "1 h 30 min", "1 día", "45 minutos"]);
  });

  it("puts each issue on the control it is about", () => {
    const control = (input: unknown) => issuesOf(input).map(issueControl);
    expect(control(draft("cart_recovery", (a) => (a.steps[1].delayMinutes = "soon")))).toEqual(["steps.1.delayMinutes"]);
    expect(control(draft("cart_recovery", (a) => (a.steps[1].channels = ["sms", "fax"])))).toEqual(["steps.1.channels"]);
    expect(control(draft("review_request", (a) => (a.steps[0].messageType = "review_reminder")))).toEqual(["steps.0.messageType"]);
    expect(control(draft("review_request", (a) => (a.steps[1].anchor = "fulfilled")))).toEqual(["anchor"]);
    expect(control(draft("review_request", (a) => (a.steps[0].anchor = "moon")))).toEqual(["anchor"]);
    expect(control(draft("order_confirmation", (a) => (a.steps[0].step = 1.5)))).toEqual(["steps.0", "steps"]);
    expect(control(draft("cart_recovery", (a) => (a.conditions.excludedTags = ["vip", " "])))).toEqual(["conditions.excludedTags"]);
    expect(control(draft("care_instructions", (a) => (a.conditions = {})))).toEqual(["conditions.requiredProductTag"]);
    expect(control(draft("cart_recovery", (a) => (a.settings.discount = { step: 9, percentage: 0, expiresInHours: 0 })))).toEqual([
      "settings.discount.percentage",
      "settings.discount.expiresInHours",
      "settings.discount.step",
    ]);
    expect(control(draft("review_request", (a) => (a.settings.fallbackDaysAfterFulfilment = 0)))).toEqual(["settings.fallbackDaysAfterFulfilment"]);
    expect(control(draft("merchant_alert", (a) => ((a.settings.email = "nope"), (a.settings.phone = "12"))))).toEqual(["settings.email", "settings.phone"]);
    expect(control({ type: "cart_recovery" })).toEqual(["enabled", "steps"]);

    const byControl = issuesByControl(issuesOf(draft("cart_recovery", (a) => (a.steps[1].delayMinutes = 10))), translator("en"), "en");
    expect([...byControl.keys()]).toEqual(["steps.1.delayMinutes"]);
    expect(byControl.get("steps.1.delayMinutes")).toEqual([
      "The delay must be longer than step 1's (1 h), so this step comes after it.",
      "SMS steps of cart recovery need a delay of at least 30 minutes, so shoppers who are still paying are not texted.",
    ]);
  });

  it("says precisely why an alert phone is refused when the server gives the phone's code, and generally otherwise", () => {
    const issue = (params: Record<string, string>) => ({ path: ["settings", "phone"], code: "alert_phone_invalid", params });
    expect(issueText(issue({ phone: "12", problem: "no_country_code" }), translator("es"), "es")).toBe(
      "“12” no tiene código de país. Escríbelo con + y el código de país, por ejemplo +52 para México o +34 para España.",
    );
    expect(issueText(issue({ phone: "+34 412 345 678", problem: "invalid", country: "ES" }), translator("pt-BR"), "pt-BR")).toBe(
      "“+34 412 345 678” não é um número de telefone válido no país indicado (Espanha): confira o número e o código do país.",
    );
    expect(issueText(issue({ phone: "123", problem: "too_short", country: "US" }), translator("en"), "en")).toBe(
      "“123” is too short for its country (United States): check that no digit is missing.",
    );
    // No code (an older server) or one this page does not know: the general sentence.
    const general = "“12” no es un teléfono válido. Escríbelo con + y el código de país, como +5215512345678.";
    expect(issueText(issue({ phone: "12" }), translator("es"), "es")).toBe(general);
    expect(issueText(issue({ phone: "12", problem: "brand_new" }), translator("es"), "es")).toBe(general);
    expect(issuesByControl([issue({ phone: "12", problem: "no_country_code" })], translator("en"), "en").get("settings.phone")).toEqual([
      "“12” has no country code. Write it with + and the country code, e.g. +1 for the United States or +52 for Mexico.",
    ]);
  });

  it("words an issue from a newer server without showing a key", () => {
    expect(issueText({ path: ["x"], code: "brand_new_code", params: {} }, translator("es"), "es")).toBe("Un valor: este valor no es válido.");
  });
});
