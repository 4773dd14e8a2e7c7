import { describe, expect, it } from "vitest";
import { renderMessage } from "../../../app/domain/templating/liquid";
import { compileEmailTemplate } from "../../../app/server/templating/compile-email.server";

const itemsEmail = `<mjml>
  <mj-body>
    <mj-section><mj-column><mj-text>Hi {{ customer.first_name }}</mj-text></mj-column></mj-section>
    <mj-raw>{% for item in order.items %}</mj-raw>
    <mj-section css-class="item-row" background-color="{{ shop.brand_color }}">
      <mj-column width="30%"><mj-image src="{{ item.image_url }}" alt="{{ item.title }}" /></mj-column>
      <mj-column width="70%"><mj-text>{{ item.title }} × {{ item.quantity }}</mj-text></mj-column>
    </mj-section>
    <mj-raw>{% endfor %}</mj-raw>
    <mj-section><mj-column><mj-button href="{{ order.status_url }}" background-color="{{ shop.brand_color }}">View</mj-button></mj-column></mj-section>
  </mj-body>
</mjml>`;

const item = (n: number) => ({ title: `Mug ${n}`, quantity: n, price: "$1.00", image_url: `https://cdn.example/${n}.jpg` });
const sectionsIn = (html: string) => html.match(/class="item-row"/g)?.length ?? 0;

describe("compileEmailTemplate", () => {
  it("compiles MJML once, keeping Liquid intact, so a loop around a section renders one section per item", async () => {
    const compiled = await compileEmailTemplate(itemsEmail);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    expect(compiled.html).toContain("{% for item in order.items %}");
    expect(compiled.html).toContain(`src="{{ item.image_url }}"`);
    expect(sectionsIn(compiled.html)).toBe(1);

    for (const count of [0, 1, 3]) {
      const order = { name: "#1", total: "$1", status_url: "https://shop.example/o/1", items: Array.from({ length: count }, (_, i) => item(i + 1)) };
      const { html } = renderMessage({ html: compiled.html, text: "" }, { shop: { name: "S", brand_color: "#b5603a" }, customer: { first_name: "Ana" }, order });
      expect(sectionsIn(html!)).toBe(count);
      if (count === 3) {
        expect(html).toContain(`src="https://cdn.example/3.jpg"`);
        expect(html).toContain("Mug 2 × 2");
        expect(html).toContain("#b5603a");
        expect(html).not.toMatch(/{{|{%/);
      }
    }
  });

  it("accepts Liquid in typed attributes (a colour, a URL) but refuses real MJML mistakes, with their line", async () => {
    const result = await compileEmailTemplate(`<mjml>\n<mj-body>\n<mj-section><mj-column>\n<mj-text colour="red">x</mj-text>\n<mj-fancy />\n</mj-column></mj-section>\n</mj-body>\n</mjml>`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.line)).toEqual([4, 5]);
    expect(result.errors[0].message).toMatch(/^Line 4: Attribute colour is illegal/);
    // MJML's own words stay verbatim in `detail`, with the element, under a code.
    expect(result.errors[0]).toMatchObject({ code: "mjml_invalid", params: { detail: expect.stringMatching(/^Attribute colour is illegal/), tag: "mj-text" } });
    expect(result.errors[1]).toMatchObject({ code: "mjml_invalid", params: { tag: "mj-fancy" } });

    const badColour = await compileEmailTemplate(`<mjml><mj-body><mj-section background-color="reddish"><mj-column /></mj-section></mj-body></mjml>`);
    expect(badColour.ok).toBe(false);
  });

  it("refuses something that is not MJML, and mj-include", async () => {
    expect(await compileEmailTemplate("<p>Hello {{ customer.first_name }}</p>")).toMatchObject({ ok: false, errors: [{ line: 1, code: "not_mjml", params: {} }] });
    const include = await compileEmailTemplate(`<mjml>\n<mj-body>\n<mj-include path="../../secrets.mjml" />\n</mj-body>\n</mjml>`);
    expect(include).toMatchObject({ ok: false, errors: [{ line: 3, code: "mj_include", params: {} }] });
  });
});
