import { afterEach, describe, expect, it, vi } from "vitest";
import {
  clearTemplateCache,
  compilePart,
  compiledRenderingAvailable,
  liquidEngine,
  renderMessage,
  templateCacheKey,
  templateCacheSize,
  type OutputMode,
} from "../../../app/domain/templating/liquid";
import { allDefaultTemplates } from "../../../app/domain/templating/default-templates";
import { previewContext } from "../../../app/domain/templating/preview-fixtures";

const context = {
  shop: { name: "Tom & Jerry's", url: "https://tj.example", email: "hi@tj.example" },
  customer: { first_name: `<b>Ana</b> "Bea"` },
  order: {
    name: "#1042",
    total: "$48.00",
    status_url: "https://tj.example/o?a=1&b=2",
    items: [
      { title: "Mug", quantity: 2, price: "$24.00" },
      { title: "Tote <linen>", quantity: 1, price: "$32.00", variant_title: "Natural" },
    ],
  },
};

afterEach(() => clearTemplateCache({ limit: 1_000 }));

describe("renderMessage", () => {
  it("escapes every output in the HTML part, and nothing in subject or text", () => {
    const rendered = renderMessage(
      {
        subject: "Hi {{ customer.first_name }} from {{ shop.name }}",
        html: `<p>Hi {{ customer.first_name }}</p><a href="{{ order.status_url }}">{{ shop.name }}</a>{{ customer.first_name | raw }}`,
        text: "Hi {{ customer.first_name }}, {{ shop.name }}",
      },
      context,
    );
    expect(rendered.html).toBe(
      `<p>Hi &lt;b&gt;Ana&lt;/b&gt; &#34;Bea&#34;</p><a href="https://tj.example/o?a=1&amp;b=2">Tom &amp; Jerry&#39;s</a><b>Ana</b> "Bea"`,
    );
    expect(rendered.subject).toBe(`Hi <b>Ana</b> "Bea" from Tom & Jerry's`);
    expect(rendered.text).toBe(`Hi <b>Ana</b> "Bea", Tom & Jerry's`);
  });

  it("keeps the subject on one line and tidies blank runs left by tags in text", () => {
    const rendered = renderMessage(
      { subject: "  Order\n{{ order.name }}  {% if order.total %}\n({{ order.total }}){% endif %} ", text: "A\n{% if false %}x{% endif %}\n\n\n\nB   \n" },
      context,
    );
    expect(rendered.subject).toBe("Order #1042 ($48.00)");
    expect(rendered.text).toBe("A\n\nB");
    expect(rendered.html).toBeUndefined();
  });

  it("parses a template version once and then only renders it", () => {
    const parse = vi.spyOn(liquidEngine("text"), "parse");
    const template = { cacheKey: templateCacheKey("tpl_1", new Date("2025-06-01T10:00:00Z")), subject: "S {{ order.name }}", text: "T {{ order.total }}" };
    expect(template.cacheKey).toBe("tpl_1@1748772000000");
    for (let i = 0; i < 5; i++) expect(renderMessage(template, context)).toEqual({ subject: "S #1042", text: "T $48.00" });
    expect(parse).toHaveBeenCalledTimes(2); // subject and text, once
    expect(templateCacheSize()).toBe(1);

    // An edited template under the same key (the caller forgot to bump updatedAt) is never served stale.
    expect(renderMessage({ ...template, text: "Edited {{ order.total }}" }, context).text).toBe("Edited $48.00");
    parse.mockRestore();
  });

  it("caches nothing without a key (unsaved previews) and keeps at most the configured number of versions", () => {
    renderMessage({ text: "{{ shop.name }}" }, context);
    expect(templateCacheSize()).toBe(0);
    clearTemplateCache({ limit: 2 });
    for (const key of ["a", "b", "c"]) renderMessage({ cacheKey: key, text: key }, context);
    expect(templateCacheSize()).toBe(2);
  });

  it("keeps `{% increment %}` counters to one part: the caller's context is never written to", () => {
    const scope = structuredClone(context);
    const template = { subject: "{% increment n %}{% increment n %}", text: "{% increment n %}" };
    expect(renderMessage(template, scope)).toEqual({ subject: "01", text: "0" });
    expect(renderMessage(template, scope)).toEqual({ subject: "01", text: "0" });
    expect(scope).toEqual(context);
  });

  it("fails at parse time on an unknown filter, and reads no files for include/render", () => {
    expect(() => renderMessage({ text: "{{ shop.name | shout }}" }, context)).toThrow(/undefined filter: shout/);
    // Partials resolve against an empty in-memory map, never the disk.
    expect(() => renderMessage({ text: "{% render 'secrets' %}" }, context)).toThrow(/Failed to lookup "secrets"/);
    expect(() => renderMessage({ text: "{% include '/etc/passwd' %}" }, context)).toThrow(/Failed to lookup "\/etc\/passwd"/);
  });
});

// The compiled path must render exactly what LiquidJS renders. Every default template, plus
// templates written to reach each fallback (operators, forloop, break, modifiers, ranges, ...).
describe("compiled rendering matches LiquidJS", () => {
  const both = (source: string, mode: OutputMode, scope: object) => {
    const engine = liquidEngine(mode);
    const templates = engine.parse(source);
    return { compiled: compilePart(templates, engine).render(scope), plain: compilePart(templates, engine, { compiled: false }).render(scope) };
  };

  it("is the path renders take with this LiquidJS version", () => {
    expect(compiledRenderingAvailable()).toBe(true);
  });

  it("on every default template of every type, channel and locale", () => {
    let compared = 0;
    for (const { type, locale, template } of allDefaultTemplates()) {
      const scope = previewContext(type, locale);
      const parts: Array<[string, OutputMode]> =
        template.channel === "email" ? [[template.subject, "text"], [template.mjml, "html"], [template.text, "text"]] : [[template.text, "text"]];
      for (const [source, mode] of parts) {
        const { compiled, plain } = both(source, mode, scope);
        expect(compiled, `${type}/${template.channel}/${locale}`).toBe(plain);
        compared++;
      }
    }
    expect(compared).toBe(3 * (11 * 5 + 4)); // 11 types × (3 email parts + sms + whatsapp), merchant_alert × (3 + sms)
  });

  const EDGE_CASES: Record<string, string> = {
    operators: `{% if order.items.size > 1 and order.name == "#1042" %}many{% elsif order.total contains "$" %}dollars{% else %}none{% endif %}`,
    unless: `{% unless customer.last_name %}no surname{% else %}{{ customer.last_name }}{% endunless %}`,
    forloop: `{% for item in order.items %}{{ forloop.index }}/{{ forloop.length }} {{ item.title }}{% unless forloop.last %}, {% endunless %}{% endfor %}`,
    breakContinue: `{% for item in order.items %}{% if item.quantity == 1 %}{% continue %}{% endif %}{{ item.title }}{% break %}{% endfor %}`,
    modifiers: `{% for item in order.items limit: 1 %}{{ item.title }}{% endfor %}|{% for item in order.items reversed %}{{ item.title }}{% endfor %}`,
    offsetContinue: `{% for item in order.items %}{{ item.title }}{% endfor %}[{% for item in order.items offset: continue %}{{ item.title }}{% endfor %}]`,
    range: `{% for i in (1..3) %}{{ i }}{% endfor %}`,
    emptyElse: `{% for item in checkout.items %}{{ item.title }}{% else %}empty{% endfor %}`,
    stringCollection: `{% for c in shop.name %}[{{ c }}]{% endfor %}`,
    hashCollection: `{% for pair in shop %}{{ pair[0] }}={{ pair[1] }};{% endfor %}`,
    nested: `{% for item in order.items %}{% for again in order.items %}{{ item.title }}{{ again.quantity }}{% endfor %}{% endfor %}`,
    assignCapture: `{% assign first = order.items.first %}{% capture line %}{{ first.title | upcase }} x{{ first.quantity }}{% endcapture %}{{ line }}{{ line | size }}`,
    filters: `{{ order.total | remove: "$" | plus: 2 }} {{ shop.name | truncate: 5 }} {{ order.items | map: "title" | join: ", " }} {{ missing | default: shop.email }} {{ shop.name | append: order.name | downcase }}`,
    indexes: `{{ order.items[0].title }} {{ order.items[-1].title }} {{ order.items.last.price }} {{ order.items.size }} {{ shop["name"] }}`,
    nils: `[{{ nothing }}][{{ shop.nothing.deeper }}][{{ order.items[9].title }}]{% if nothing %}x{% endif %}`,
    literals: `{{ "<i>quoted</i>" }} {{ 42 }} {{ true }} {{ nil }} {{ order.items }}`,
    caseWhen: `{% case order.items.size %}{% when 1 %}one{% when 2 %}two{% else %}more{% endcase %}`,
    whitespace: `A {%- if shop.name -%}   B   {%- endif -%} C {{- shop.email -}} D`,
    rawAndComments: `{% raw %}{{ not rendered }}{% endraw %}{% comment %}hidden{% endcomment %}{% # inline %}{% liquid
      assign n = order.items.size
      echo n
    %}`,
    topLevelBreak: `before{% break %}after`,
    counters: `{% increment n %}{% increment n %}{% decrement m %}{% cycle "a", "b" %}{% cycle "a", "b" %}`,
    tablerow: `{% tablerow item in order.items cols: 2 %}{{ item.title }}{% endtablerow %}`,
  };

  for (const [name, source] of Object.entries(EDGE_CASES)) {
    it(`on ${name}`, () => {
      for (const mode of ["html", "text"] as const) {
        const { compiled, plain } = both(source, mode, context);
        expect(compiled).toBe(plain);
      }
    });
  }

  it("raises the same error when reading a value throws", () => {
    const throwing = { shop: Object.defineProperty({}, "name", { enumerable: true, get: () => { throw new Error("boom"); } }) };
    const engine = liquidEngine("html");
    const templates = engine.parse("x {{ shop.name }}");
    const failure = (compiled: boolean) => {
      try {
        compilePart(templates, engine, { compiled }).render(throwing);
      } catch (error) {
        return { type: (error as Error).constructor.name, message: (error as Error).message };
      }
      return null;
    };
    expect(failure(true)).not.toBeNull();
    expect(failure(true)).toEqual(failure(false));
  });
});
