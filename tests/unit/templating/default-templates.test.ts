// Every default template, for every message type × channel × locale: it validates, its email
// compiles, it renders with its preview fixture to something complete, and it is really written
// in its language.
import { describe, expect, it } from "vitest";
import { allDefaultTemplates, defaultTemplate } from "../../../app/domain/templating/default-templates";
import { renderMessage, type RenderedMessage } from "../../../app/domain/templating/liquid";
import {
  MESSAGE_TYPES,
  TEMPLATE_LOCALES,
  channelsFor,
  purposeOf,
  type Channel,
  type MessageType,
  type TemplateLocale,
} from "../../../app/domain/templating/message-types";
import { formatMoney, previewContext } from "../../../app/domain/templating/preview-fixtures";
import { countSmsSegments } from "../../../app/domain/templating/sms-segments";
import { validateTemplate } from "../../../app/domain/templating/validate-template";
import { compileEmailTemplate } from "../../../app/server/templating/compile-email.server";

const OPT_OUT: Record<TemplateLocale, string> = {
  en: "Reply STOP to opt out",
  es: "Responde STOP para darte de baja",
  "pt-BR": "Responda STOP para sair",
};

/** Rendered output of every default, keyed "type/channel/locale". */
async function renderAll(): Promise<Map<string, RenderedMessage>> {
  const rendered = new Map<string, RenderedMessage>();
  for (const { type, channel, locale, template } of allDefaultTemplates()) {
    const context = previewContext(type, locale);
    if (template.channel === "email") {
      const compiled = await compileEmailTemplate(template.mjml);
      if (!compiled.ok) throw new Error(`${type}/${locale} does not compile: ${JSON.stringify(compiled.errors)}`);
      rendered.set(`${type}/${channel}/${locale}`, renderMessage({ subject: template.subject, html: compiled.html, text: template.text }, context));
    } else {
      rendered.set(`${type}/${channel}/${locale}`, renderMessage({ text: template.text }, context));
    }
  }
  return rendered;
}

const renderedPromise = renderAll();
const combos = TEMPLATE_LOCALES.flatMap((locale) => MESSAGE_TYPES.flatMap((type) => channelsFor(type).map((channel) => [type, channel, locale] as const)));

describe("default templates", () => {
  it("exist for every message type × channel × locale, and nowhere else", () => {
    expect(allDefaultTemplates()).toHaveLength(3 * (11 * 3 + 2));
    expect(() => defaultTemplate("merchant_alert", "whatsapp", "en")).toThrow(/no whatsapp template/);
  });

  it.each(combos)("%s/%s/%s validates, compiles and renders completely", async (type, channel, locale) => {
    const template = defaultTemplate(type, channel as Channel, locale);
    const parts = template.channel === "email" ? { subject: template.subject, html: template.mjml, text: template.text } : { text: template.text };
    expect(validateTemplate(type, channel, parts, { locale }).issues).toEqual([]);

    const rendered = (await renderedPromise).get(`${type}/${channel}/${locale}`)!;
    const outputs = [rendered.subject, rendered.html, rendered.text].filter((part): part is string => part !== undefined);
    expect(outputs).toHaveLength(channel === "email" ? 3 : 1);
    for (const output of outputs) {
      expect(output.trim().length).toBeGreaterThan(20);
      expect(output).not.toMatch(/{{|{%|}}|%}/);
    }
    const context = previewContext(type, locale);
    expect(rendered.text).toContain(context.shop.name);
    if (channel === "email") {
      // The shop's logo and colour, a footer with its address, and the unsubscribe link on marketing.
      expect(rendered.html).toContain(context.shop.logo_url!.replace(/&/g, "&amp;")); // escaped in HTML, as it should be
      expect(rendered.html).toContain(context.shop.brand_color!);
      expect(rendered.html).toContain(context.shop.address!);
      const unsubscribe = "https://casaaurora.com/a/avisa/Q7mZ2kR9";
      expect(rendered.html!.includes(unsubscribe)).toBe(purposeOf(type) === "marketing");
      expect(rendered.text.includes(unsubscribe)).toBe(purposeOf(type) === "marketing");
    }
  });

  it("show product images and the right button link in emails", async () => {
    const rendered = await renderedPromise;
    for (const locale of TEMPLATE_LOCALES) {
      const shipping = rendered.get(`shipping_update/email/${locale}`)!.html!;
      expect(shipping).toContain("speckled-ceramic-mug.jpg");
      expect(shipping).toContain(`href="https://casaaurora.com/a/avisa/Hq2Lx9"`); // tracking
      const recovery = rendered.get(`cart_recovery_discount/email/${locale}`)!.html!;
      expect(recovery).toContain("AURORA-7KQ2MX");
      expect(recovery).toContain(`href="https://casaaurora.com/a/avisa/P3vN8c"`);
      const survey = rendered.get(`satisfaction_survey/email/${locale}`)!.html!;
      for (let score = 1; score <= 5; score++) expect(survey).toContain(`https://casaaurora.com/a/avisa/Fk93a${score}`);
      expect(rendered.get(`review_request/email/${locale}`)!.html).toContain(`href="https://casaaurora.com/a/avisa/R8sT4w"`);
    }
  });

  it("fit SMS in two segments with sample data, name the shop first, and let shoppers opt out of marketing", async () => {
    const rendered = await renderedPromise;
    for (const [type, channel, locale] of combos) {
      if (channel === "email") continue;
      const text = rendered.get(`${type}/${channel}/${locale}`)!.text;
      const marketing = purposeOf(type) === "marketing";
      if (channel === "sms") {
        expect(text.startsWith("Casa Aurora: "), `${type}/${locale}`).toBe(true);
        expect(countSmsSegments(text).segments, `${type}/${locale}: ${text}`).toBeLessThanOrEqual(2);
        expect(text.endsWith(OPT_OUT[locale]), `${type}/${locale}`).toBe(marketing);
      } else {
        expect(text.startsWith("*Casa Aurora*")).toBe(true);
        expect(text.includes(OPT_OUT[locale])).toBe(marketing);
      }
    }
  });

  it("are really translated: each locale's words differ, and no English is left in Spanish or Portuguese", async () => {
    const rendered = await renderedPromise;
    const ENGLISH = /\b(your|the|thanks|order|we|you|review|cart|delivery|reply)\b/i;
    for (const type of MESSAGE_TYPES as readonly MessageType[]) {
      for (const channel of channelsFor(type)) {
        const [en, es, pt] = TEMPLATE_LOCALES.map((locale) => defaultTemplate(type, channel, locale));
        expect(new Set([en, es, pt].map((t) => JSON.stringify(t))).size).toBe(3);
        for (const locale of ["es", "pt-BR"] as const) {
          const output = rendered.get(`${type}/${channel}/${locale}`)!;
          const words = [output.subject ?? "", output.text].join("\n").replace(/https?:\/\/\S+|\S+@\S+/g, "");
          expect(words, `${type}/${channel}/${locale}`).not.toMatch(ENGLISH);
        }
      }
    }
  });

  it("preview fixtures format money for each locale and give each type only its own groups", () => {
    expect(formatMoney(48, "en")).toBe("$48.00");
    expect(formatMoney(48, "es")).toBe("48,00 US$");
    expect(formatMoney(48, "pt-BR")).toBe("US$ 48,00");
    const recovery = previewContext("cart_recovery", "es");
    expect(recovery.customer.first_name).toBe("Lucía");
    expect(recovery.checkout.items[0].title).toBe("Taza de cerámica moteada");
    expect(recovery).not.toHaveProperty("order");
    expect(recovery.unsubscribe_url).toBeDefined();
    const shipped = previewContext("shipping_update", "pt-BR");
    expect(shipped.customer.name).toBe("João Silva");
    expect(shipped.order.total).toBe("US$ 142,00");
    expect(shipped).not.toHaveProperty("unsubscribe_url");
  });
});
