// Template problems in the merchant's language: every reason the validator or the MJML compiler
// gives has a sentence in en, es and pt-BR; the English one says what the validator says; the
// engine's own words (LiquidJS, MJML) are kept verbatim inside the translated sentence.
import { describe, expect, it } from "vitest";
import {
  SYNTAX_ERROR_REASONS,
  UNKNOWN_VARIABLE_REASONS,
  validateTemplate,
  type TemplateIssue,
  type TemplateParts,
} from "../../../app/domain/templating/validate-template";
import type { Channel, MessageType } from "../../../app/domain/templating/message-types";
import { compileEmailTemplate, compileIssues } from "../../../app/server/templating/compile-email.server";
import { SYNTAX_ERROR_KEYS, UNKNOWN_VARIABLE_KEYS, issueMessage, translateIssue } from "../../../app/components/template-issues";
import { ADMIN_LOCALES, translator, type MessageKey } from "../../../app/i18n";
import en from "../../../app/locales/en.json";
import es from "../../../app/locales/es.json";
import ptBR from "../../../app/locales/pt-BR.json";

const CATALOGUES = { en, es, "pt-BR": ptBR } as Record<string, Record<string, string>>;

const issueOf = (type: MessageType, channel: Channel, parts: TemplateParts): TemplateIssue => {
  const { issues } = validateTemplate(type, channel, parts);
  expect(issues, JSON.stringify(parts)).toHaveLength(1);
  return issues[0];
};
const sms = (text: string) => issueOf("order_confirmation", "sms", { text });

/** One issue of each kind the validator words itself, with the English label of its message type. */
const OWN_WORDING: Array<[string, TemplateIssue, string]> = [
  ["unknown_filter", sms("Hi\n{{ order.name | upcse }}"), "Order confirmation"],
  ["output_not_closed", sms("{{ order.name"), "Order confirmation"],
  ["tag_not_closed", sms("{% if order.name"), "Order confirmation"],
  ["block_not_closed", sms("a\n{% if order.name %}x"), "Order confirmation"],
  ["unknown_tag", sms("{% endfor %}"), "Order confirmation"],
  ["illegal_tag", sms("{% for %}"), "Order confirmation"],
  ["unknown_field + suggestion", sms("{{ order.nmae }}"), "Order confirmation"],
  ["unknown_field + fields", sms("{{ order.zzzzzzzz }}"), "Order confirmation"],
  ["unknown_root + groups", sms("{{ nope }}"), "Order confirmation"],
  ["unavailable_group + groups", sms("{{ discount.code }}"), "Order confirmation"],
  ["unavailable_group + suggestion", issueOf("cart_recovery", "sms", { text: "{{ order.total }}" }), "Cart recovery"],
  ["not_a_list + lists", sms("{% for x in order.name %}{{ x }}{% endfor %}"), "Order confirmation"],
  ["unsupported_tag", sms("{% render 'footer' %}"), "Order confirmation"],
  ["missing_part", issueOf("order_confirmation", "sms", { text: " " }), "Order confirmation"],
];

describe("template issue wording", () => {
  it("has a sentence in en, es and pt-BR for every reason", () => {
    expect(Object.keys(SYNTAX_ERROR_KEYS).sort()).toEqual([...SYNTAX_ERROR_REASONS].sort());
    expect(Object.keys(UNKNOWN_VARIABLE_KEYS).sort()).toEqual([...UNKNOWN_VARIABLE_REASONS].sort());
    const keys: MessageKey[] = [
      ...Object.values(SYNTAX_ERROR_KEYS),
      ...Object.values(UNKNOWN_VARIABLE_KEYS).flatMap(({ sentence, options }) => [sentence, options]),
      "templates.issue.renderFailed",
      "templates.issue.unsupportedChannel",
    ];
    for (const locale of ADMIN_LOCALES) for (const key of keys) expect(CATALOGUES[locale][key], `${locale}: ${key}`).toBeTruthy();
  });

  it.each(OWN_WORDING)("%s: the English sentence is the validator's, es and pt-BR are translated", (_name, issue, label) => {
    expect(translateIssue(issue, translator("en"), label)).toBe(issue.message);
    expect(issueMessage(issue, "en", translator("en"), label)).toBe(issue.message);
    for (const locale of ["es", "pt-BR"] as const) {
      const text = issueMessage(issue, locale, translator(locale), label);
      expect(text, locale).not.toMatch(/\{\w+\}|templates\.issue|undefined/);
      expect(text, locale).not.toBe(issue.message);
      if (issue.line > 1 || issue.code !== "missing_part") expect(text, locale).toMatch(new RegExp(`^(Línea|Linha) ${issue.line}: `));
    }
  });

  it("words the Spanish sentence from the structure, with the suggestion and what can be used", () => {
    const t = translator("es");
    expect(issueMessage(sms("{{ order.nmae }}"), "es", t, "Confirmación de pedido")).toBe(
      "Línea 1: `order.nmae` no es una variable del mensaje Confirmación de pedido. ¿Querías decir `order.name`?",
    );
    expect(issueMessage(sms("{% for x in order.name %}{{ x }}{% endfor %}"), "es", t, "Confirmación de pedido")).toBe(
      "Línea 1: `order.name` no es una lista, así que `for` no puede recorrerla. Listas que puedes recorrer: `order.items`.",
    );
    expect(issueMessage(sms("a\n{{ order.name | upcse }}"), "pt-BR", translator("pt-BR"), "Confirmação do pedido")).toBe(
      "Linha 2: `upcse` não é um filtro do Liquid. Confira a grafia.",
    );
  });

  it("keeps LiquidJS's words verbatim, said to be Liquid's", () => {
    const engine = sms("{% cycle %}");
    expect(issueMessage(engine, "es", translator("es"), "x")).toBe('Línea 1: Liquid indica (en inglés): empty candidates: "{% cycle %}"');
    const render = issueOf("order_confirmation", "email", { subject: "s", html: "<p>a</p>\n{% for i in (1..50000000) %}{% endfor %}" });
    expect(render.code).toBe("render_error");
    expect(issueMessage(render, "pt-BR", translator("pt-BR"), "x")).toBe(
      "Linha 2: com os dados de exemplo isto falha. O Liquid informa (em inglês): memory alloc limit exceeded",
    );
  });

  it("words a channel the message cannot use with the channel's name", () => {
    const issue = issueOf("merchant_alert", "whatsapp", { text: "hi" });
    expect(issueMessage(issue, "es", translator("es"), "Alerta para el comercio")).toBe("El mensaje Alerta para el comercio no se puede enviar por WhatsApp.");
  });

  it("words MJML's refusals, keeping MJML's own words and the element", async () => {
    const compiled = await compileEmailTemplate(`<mjml>\n<mj-body>\n<mj-section><mj-column>\n<mj-text colour="red">x</mj-text>\n</mj-column></mj-section>\n</mj-body>\n</mjml>`);
    if (compiled.ok) throw new Error("expected MJML to refuse the attribute");
    const [issue] = compileIssues(compiled.errors);
    expect(issue).toMatchObject({ code: "syntax_error", part: "html", line: 4, reason: "mjml_invalid" });
    expect(translateIssue(issue, translator("en"), "x")).toBe(issue.message);
    const spanish = issueMessage(issue, "es", translator("es"), "x");
    expect(spanish).toMatch(/^Línea 4: MJML indica \(en inglés\): Attribute colour is illegal.* \(<mj-text>\)$/);

    const notMjml = await compileEmailTemplate("<p>Hi</p>");
    if (notMjml.ok) throw new Error("expected a refusal");
    const [plain] = compileIssues(notMjml.errors);
    expect(translateIssue(plain, translator("en"), "x")).toBe(plain.message);
    expect(issueMessage(plain, "pt-BR", translator("pt-BR"), "x")).toBe("Isto não é um e-mail MJML: ele deve começar com <mjml> e conter <mj-body>.");

    const include = await compileEmailTemplate(`<mjml>\n<mj-body>\n<mj-include path="x.mjml" />\n</mj-body>\n</mjml>`);
    if (include.ok) throw new Error("expected a refusal");
    const [included] = compileIssues(include.errors);
    expect(translateIssue(included, translator("en"), "x")).toBe(included.message);
    expect(issueMessage(included, "es", translator("es"), "x")).toBe("Línea 3: <mj-include> no se puede usar en las plantillas de mensajes.");
  });

  it("says an issue without a reason (made by older code) in its English words after a translated line number", () => {
    const legacy: TemplateIssue = { code: "syntax_error", part: "html", line: 3, column: 1, message: "Line 3: something odd." };
    expect(issueMessage(legacy, "es", translator("es"), "x")).toBe("Línea 3: something odd.");
  });
});
