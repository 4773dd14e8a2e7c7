import { describe, expect, it } from "vitest";
import { validateTemplate, type TemplateIssue } from "../../../app/domain/templating/validate-template";
import {
  allowedVariables,
  channelsFor,
  purposeOf,
  MESSAGE_TYPES,
} from "../../../app/domain/templating/message-types";

const email = (html: string, subject = "Your order {{ order.name }}", text = "Order {{ order.name }}") => ({ subject, html, text });
const only = (issues: TemplateIssue[]) => {
  expect(issues).toHaveLength(1);
  return issues[0];
};

describe("message types", () => {
  it("declare channels, purpose and variables per type", () => {
    expect(MESSAGE_TYPES).toHaveLength(12);
    expect(channelsFor("merchant_alert")).toEqual(["email", "sms"]);
    expect(channelsFor("cart_recovery")).toEqual(["email", "sms", "whatsapp"]);
    expect(purposeOf("delivery_problem")).toBe("transactional");
    expect(purposeOf("cart_recovery_discount")).toBe("marketing");
    expect(purposeOf("review_reminder")).toBe("marketing");
    expect(allowedVariables("cart_recovery")).toContain("checkout.items[].title");
    expect(allowedVariables("cart_recovery")).toContain("unsubscribe_url");
    expect(allowedVariables("cart_recovery").some((path) => path.startsWith("order."))).toBe(false);
    expect(allowedVariables("shipping_update")).toEqual(expect.arrayContaining(["fulfillment.tracking_url", "order.items[].image_url", "shop.brand_color"]));
  });
});

describe("validateTemplate", () => {
  it("accepts a good template", () => {
    const result = validateTemplate("shipping_update", "email", email(`<mj-text>{{ fulfillment.tracking_number }}</mj-text>`));
    expect(result).toEqual({ ok: true, issues: [] });
  });

  it("reports a Liquid syntax error with its part and line", () => {
    const issue = only(validateTemplate("order_confirmation", "email", email("<p>Hi</p>\n{% if order.name %}\n<p>never closed</p>")).issues);
    expect(issue).toMatchObject({ code: "syntax_error", part: "html", line: 2 });
    expect(issue.message).toBe("Line 2: {% if order.name %} is opened but never closed.");

    const filter = only(validateTemplate("order_confirmation", "sms", { text: "Hi\n{{ order.name | upcse }}" }).issues);
    expect(filter).toMatchObject({ code: "syntax_error", part: "text", line: 2 });
    expect(filter.message).toContain("`upcse` is not a Liquid filter");

    const subject = only(validateTemplate("order_confirmation", "email", email("<p>ok</p>", "Order {{ order.name ")).issues);
    expect(subject).toMatchObject({ code: "syntax_error", part: "subject", line: 1, message: "Line 1: `{{ order.name` is missing its closing `}}`." });
    const tag = only(validateTemplate("order_confirmation", "sms", { text: "a\nb {% endfor %}" }).issues);
    expect(tag.message).toBe("Line 2: There is no Liquid tag called `endfor` here. Check its spelling, or that its opening tag comes first.");
  });

  it("gives each syntax error a reason with its values, and LiquidJS's own words verbatim when it has no explanation of its own", () => {
    const syntax = (text: string) => only(validateTemplate("order_confirmation", "sms", { text }).issues);
    expect(syntax("{{ order.name | upcse }}")).toMatchObject({ code: "syntax_error", reason: "unknown_filter", params: { name: "upcse" } });
    expect(syntax("{{ order.name")).toMatchObject({ reason: "output_not_closed", params: { source: "{{ order.name" } });
    expect(syntax("{% if order.name")).toMatchObject({ reason: "tag_not_closed", params: { source: "{% if order.name" } });
    expect(syntax("{% if order.name %}x")).toMatchObject({ reason: "block_not_closed", params: { source: "{% if order.name %}" } });
    expect(syntax("{% endfor %}")).toMatchObject({ reason: "unknown_tag", params: { name: "endfor" } });
    expect(syntax("{% for %}")).toMatchObject({ reason: "illegal_tag", params: { source: "{% for %}" } });
    const engine = syntax("{% cycle %}");
    expect(engine).toMatchObject({ reason: "liquid", params: { detail: 'empty candidates: "{% cycle %}"' } });
    expect(engine.message).toBe('Line 1: Empty candidates: "{% cycle %}".');
  });

  it("keeps what fails with sample data in LiquidJS's words, as a param", () => {
    const issue = only(validateTemplate("order_confirmation", "email", email("{% for i in (1..50000000) %}{% endfor %}")).issues);
    expect(issue).toMatchObject({ code: "render_error", part: "html", line: 1, params: { detail: "memory alloc limit exceeded" } });
    expect(issue.message).toBe("Line 1: with sample data this fails: memory alloc limit exceeded.");
  });

  it("names an unknown variable, where it is, and the variable the merchant probably meant", () => {
    const issue = only(validateTemplate("shipping_update", "email", email("<p>Hello</p>\n<p>Thanks</p>\n<p>Your order {{ order.nmae }}</p>")).issues);
    expect(issue).toEqual({
      code: "unknown_variable",
      part: "html",
      line: 3,
      column: 18,
      name: "order.nmae",
      reason: "unknown_field",
      suggestion: "order.name",
      message: "Line 3: `order.nmae` is not a variable of the Shipping update message. Did you mean `order.name`?",
    });
    const root = only(validateTemplate("order_confirmation", "sms", { text: "Hi {{ custmer.first_name }}" }).issues);
    expect(root).toMatchObject({ name: "custmer.first_name", suggestion: "customer.first_name" });
  });

  it("lists what is available when nothing is close", () => {
    const issue = only(validateTemplate("satisfaction_survey", "sms", { text: "{{ survey.link }}" }).issues);
    expect(issue.message).toBe(
      "Line 1: `survey.link` is not a variable of the Satisfaction survey message. You can use: `survey.url_1`, `survey.url_2`, `survey.url_3`, `survey.url_4`, `survey.url_5`.",
    );
    expect(issue).toMatchObject({ reason: "unknown_field", options: ["survey.url_1", "survey.url_2", "survey.url_3", "survey.url_4", "survey.url_5"] });
    const root = only(validateTemplate("order_confirmation", "sms", { text: "{{ nope }}" }).issues);
    expect(root).toMatchObject({ reason: "unknown_root", options: ["shop", "customer", "unsubscribe_url", "message", "order"] });
    expect(root.message).toBe("Line 1: `nope` is not a variable of the Order confirmation message. Variables here start with `shop`, `customer`, `unsubscribe_url`, `message`, `order`.");
  });

  it("follows loop variables back to their collection", () => {
    const loop = `{% for item in order.items %}{{ item.title }} {{ item.variant_title }} × {{ item.quantity }} {{ forloop.index }}{% endfor %}`;
    expect(validateTemplate("order_confirmation", "email", email(loop)).issues).toEqual([]);
    const access = "{{ order.items[0].title }} {{ order.items.first.image_url }} {{ order.items.size }} {{ shop.name.size }}";
    expect(validateTemplate("order_confirmation", "email", email(access)).issues).toEqual([]);

    const typo = only(validateTemplate("order_confirmation", "email", email(`{% for line in order.items %}\n{{ line.titel }}\n{% endfor %}`)).issues);
    expect(typo).toMatchObject({ code: "unknown_variable", line: 2, name: "line.titel", suggestion: "line.title" });
    expect(typo.message).toBe("Line 2: `line.titel` is not a variable of the Order confirmation message. Did you mean `line.title`?");

    // Outside its loop, `item` means nothing.
    const outside = only(validateTemplate("order_confirmation", "email", email(`{% for item in order.items %}{% endfor %}{{ item.title }}`)).issues);
    expect(outside).toMatchObject({ name: "item.title" });
  });

  it("refuses a group the message type does not have, pointing to the one it does", () => {
    const issue = only(validateTemplate("cart_recovery", "email", email("{{ checkout.recovery_url }}\n{{ order.total }}", "Your cart", "{{ checkout.total }}")).issues);
    expect(issue).toMatchObject({ code: "unknown_variable", part: "html", line: 2, name: "order.total", suggestion: "checkout.total" });
    expect(issue.message).toBe("Line 2: `order.total` is not available in the Cart recovery message. Did you mean `checkout.total`?");

    const noTwin = only(validateTemplate("order_confirmation", "sms", { text: "{{ discount.code }}" }).issues);
    expect(noTwin.message).toBe("Line 1: `discount.code` is not available in the Order confirmation message. You can use `shop`, `customer`, `unsubscribe_url`, `message`, `order` here.");
    expect(noTwin).toMatchObject({ reason: "unavailable_group", options: ["shop", "customer", "unsubscribe_url", "message", "order"] });
    expect(issue).toMatchObject({ reason: "unavailable_group" });
    expect(issue).not.toHaveProperty("options"); // a suggestion replaces the list
  });

  it("accepts variables the template makes itself, and the shared groups everywhere", () => {
    const text = `{% assign who = customer.first_name | default: "there" %}{% capture total %}{{ contact_request.name }}{% endcapture %}Hi {{ who }} {{ total }} {{ shop.name }}`;
    expect(validateTemplate("merchant_alert", "sms", { text }).issues).toEqual([]);
  });

  it("refuses loops over something that is not a list, and include/render", () => {
    const loop = only(validateTemplate("order_confirmation", "sms", { text: "{% for x in order.name %}{{ x }}{% endfor %}" }).issues);
    expect(loop.message).toBe("Line 1: `order.name` is not a list, so `for` cannot loop over it. Lists you can loop over: `order.items`.");
    expect(loop).toMatchObject({ code: "unknown_variable", reason: "not_a_list", name: "order.name", options: ["order.items"] });
    const include = only(validateTemplate("order_confirmation", "sms", { text: "Hi\n{% render 'footer' %}" }).issues);
    expect(include).toMatchObject({ code: "unsupported_tag", line: 2, name: "render" });
  });

  it("refuses an email without a subject and an empty SMS", () => {
    const issue = only(validateTemplate("order_confirmation", "email", email("<p>{{ order.name }}</p>", "  ")).issues);
    expect(issue).toMatchObject({ code: "missing_part", part: "subject", message: "An email needs a subject." });
    expect(only(validateTemplate("delivered", "sms", { text: "" }).issues)).toMatchObject({ code: "missing_part", part: "text" });
  });

  it("refuses an SMS longer than 10 segments once rendered with sample data", () => {
    const text = `{{ shop.name }}: ${"Your order is on its way and we are very excited about it. ".repeat(27)}`;
    const issue = only(validateTemplate("shipping_update", "sms", { text }).issues);
    expect(issue).toMatchObject({ code: "too_long", part: "text", segments: 11 });
    expect(issue.message).toMatch(/^With sample data this SMS is 11 segments long \(\d+ characters, GSM-7\); the limit is 10\./);
    // Sample data counts: each item title, repeated, pushes a loop over the limit.
    const loop = `{% for item in order.items %}${"{{ item.title }} ".repeat(40)}{% endfor %}`;
    expect(only(validateTemplate("order_confirmation", "sms", { text: loop }, { locale: "pt-BR" }).issues).code).toBe("too_long");
  });

  it("refuses a channel the message type does not use", () => {
    expect(only(validateTemplate("merchant_alert", "whatsapp", { text: "hi" }).issues)).toMatchObject({ code: "unsupported_channel", channel: "whatsapp" });
  });
});
