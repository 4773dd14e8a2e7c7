// The extension's blocks and snippets rendered through the app's Liquid engine: every locale,
// hostile shopper text, the JSON-LD embed, empty and paginated snapshots, form accessibility,
// the contact channels, and the demo storefront page built from them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  blockSchema,
  defaultBlockSettings,
  escapeHtml,
  extensionAsset,
  renderExtensionBlock,
  renderExtensionSnippet,
  resolveLocale,
  translate,
  type BlockContext,
  type ReviewsSnapshot,
} from "~/server/storefront/extension-liquid.server";
import {
  renderDemoProductPage,
  renderDemoStorefrontIndex,
  renderDemoStorefrontShell,
  type DemoStorefrontProduct,
} from "~/server/storefront/demo-storefront-page.server";

const ROOT = path.resolve("extensions/avisa-storefront");
const LOCALES = ["en", "es", "pt-BR"] as const;
const BLOCKS = ["product-reviews", "star-rating", "contact", "json-ld"] as const;
const HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ shop.secret }}", "{% raw %}"];

type Review = ReviewsSnapshot["reviews"][number];

/** The app's JSON-LD serialisation: <, > and & as \u escapes (the contract for `jsonld`). */
const serialiseJsonLd = (value: unknown) => JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

function review(overrides: Partial<Review> = {}): Review {
  return {
    id: "ck0001",
    rating: 5,
    title: "Fits perfectly",
    body: "Soft cotton, true to size.\nWashed three times and still like new.",
    author: "Lucía R.",
    date: "2026-11-20",
    verified: true,
    featured: false,
    photos: [{ url: "/apps/avisa/photos/ck0001", alt: "The tee, front" }],
    reply: { body: "Thank you, Lucía!", date: "2026-11-21" },
    ...overrides,
  };
}

function snapshot(overrides: Partial<ReviewsSnapshot> = {}): ReviewsSnapshot {
  const reviews = overrides.reviews ?? [review(), review({ id: "ck0002", rating: 4, title: null, photos: [], reply: null, verified: false })];
  return {
    version: 1,
    product_id: "8100000000000017",
    average: 4.6,
    count: 12,
    distribution: [
      { stars: 5, count: 8, percent: 67 },
      { stars: 4, count: 3, percent: 25 },
      { stars: 3, count: 1, percent: 8 },
      { stars: 2, count: 0, percent: 0 },
      { stars: 1, count: 0, percent: 0 },
    ],
    page: 1,
    page_size: 5,
    pages: 3,
    sort: "newest",
    jsonld: serialiseJsonLd({
      "@context": "https://schema.org",
      "@type": "Product",
      name: "Organic tee",
      aggregateRating: { "@type": "AggregateRating", ratingValue: 4.6, reviewCount: 12 },
      review: reviews.map((r) => ({ "@type": "Review", reviewBody: r.body, name: r.title, author: { "@type": "Person", name: r.author } })),
    }),
    ...overrides,
    reviews,
  };
}

const EMPTY: ReviewsSnapshot = {
  ...snapshot({ reviews: [] }),
  average: 0,
  count: 0,
  pages: 0,
  distribution: [5, 4, 3, 2, 1].map((stars) => ({ stars, count: 0, percent: 0 })),
};

function product(data: ReviewsSnapshot | null = snapshot(), rating: { rating: number; count: number } | null = { rating: 4.6, count: 12 }) {
  return {
    id: "8100000000000017",
    title: "Organic tee",
    handle: "organic-tee",
    url: "/products/organic-tee",
    price: 2500,
    metafields: {
      avisa: { reviews: data ? { value: data } : null },
      reviews: rating
        ? { rating: { value: { rating: rating.rating, scale_min: 1, scale_max: 5 } }, rating_count: { value: rating.count } }
        : {},
    },
  };
}

function context(locale: string, overrides: Partial<BlockContext> = {}): BlockContext {
  return {
    product: product(),
    shop: { name: "Tienda Demo", url: "https://demo.example" },
    request: { locale: { iso_code: locale }, page_type: "product", path: "/products/organic-tee" },
    customer: null,
    ...overrides,
  };
}

const options = (locale: string) => ({ locale, assetBaseUrl: "/demo/storefront/assets" });
const block = (name: string, locale = "en", overrides: Partial<BlockContext> = {}) => renderExtensionBlock(name, context(locale, overrides), options(locale));

// ------------------------------------------------------------------ a tiny HTML reader

type Tag = { name: string; attrs: Record<string, string>; raw: string };

/** Start tags of the given element names, with their attributes (values are entity-escaped, so never contain `>`). */
function tags(html: string, ...names: string[]): Tag[] {
  const pattern = new RegExp(`<(${names.join("|")})\\b([^>]*)>`, "gi");
  return [...html.matchAll(pattern)].map((match) => {
    const attrs: Record<string, string> = {};
    for (const attr of match[2].matchAll(/([^\s=/]+)(?:\s*=\s*"([^"]*)")?/g)) attrs[attr[1].toLowerCase()] = attr[2] ?? "";
    return { name: match[1].toLowerCase(), attrs, raw: match[0] };
  });
}

const decode = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39|#123|#125);/g, (_, n: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#123": "{", "#125": "}" })[n] ?? "");

/** Every visible form control has a <label for=id> (or sits in one), and every described-by id exists. */
function unlabelledControls(html: string): string[] {
  const problems: string[] = [];
  const labelled = new Set(tags(html, "label").map((t) => t.attrs.for).filter(Boolean));
  const ids = new Set(tags(html, "[a-z0-9]+").map((t) => t.attrs.id).filter(Boolean));
  for (const control of tags(html, "input", "textarea", "select")) {
    const type = control.attrs.type ?? "text";
    if (control.name === "input" && ["hidden", "submit", "button", "reset"].includes(type)) continue;
    if (!control.attrs.id || !labelled.has(control.attrs.id)) problems.push(`no label: ${control.raw}`);
    for (const id of (control.attrs["aria-describedby"] ?? "").split(/\s+/).filter(Boolean)) {
      if (!ids.has(id)) problems.push(`aria-describedby="${id}" points nowhere: ${control.raw}`);
    }
  }
  return problems;
}

const visibleText = (html: string) => decode(html.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ");

// ------------------------------------------------------------------ tests

describe("every block in every locale", () => {
  const storefront = (locale: string) => JSON.parse(readFileSync(path.join(ROOT, "locales", locale === "en" ? "en.default.json" : `${locale}.json`), "utf8"));
  const leaves = (tree: object, prefix = ""): string[] =>
    Object.entries(tree).flatMap(([key, value]) =>
      value && typeof value === "object" && !("other" in value) ? leaves(value, `${prefix}${key}.`) : [`${prefix}${key}`],
    );

  it.each(LOCALES)("renders all four blocks in %s, with no missing translation", async (locale) => {
    for (const name of BLOCKS) {
      const html = await block(name, locale, { settings: name === "contact" ? { whatsapp_number: "+34 600 123 456", phone: "+34 910 000 000", email: "hola@demo.example", hours: "L–V 9–18" } : {} });
      expect(html.trim(), name).not.toBe("");
      expect(html, name).not.toContain("translation missing");
    }
    const reviews = await block("product-reviews", locale);
    expect(reviews).toContain(`>${translate(locale, "avisa.reviews.heading")}</h2>`);
    expect(reviews).toContain(translate(locale, "avisa.reviews.based_on", { count: 12 }));
  });

  it("speaks each language", async () => {
    expect(visibleText(await block("product-reviews", "es"))).toContain("Basado en 12 opiniones");
    expect(visibleText(await block("product-reviews", "pt-BR"))).toContain("Com base em 12 avaliações");
    expect(await block("star-rating", "es")).toContain('aria-label="4,6 de 5 estrellas (12 opiniones)"');
    expect(await block("star-rating", "pt-BR")).toContain('aria-label="4,6 de 5 estrelas (12 avaliações)"');
    expect(await block("star-rating", "en")).toContain('aria-label="4.6 out of 5 stars (12 reviews)"');
    expect(await block("product-reviews", "en")).toContain('<time datetime="2026-11-20">Nov 20, 2026</time>');
    expect(await block("product-reviews", "es")).toContain('<time datetime="2026-11-20">20/11/2026</time>');
  });

  it("has the same storefront keys in every locale file", () => {
    const english = leaves(storefront("en")).sort();
    for (const locale of ["es", "pt-BR"]) expect(leaves(storefront(locale)).sort(), locale).toEqual(english);
  });

  it("keeps block names within Shopify's 25 characters in every schema locale", () => {
    for (const file of readdirSync(path.join(ROOT, "locales")).filter((f) => f.endsWith(".schema.json"))) {
      const names = JSON.parse(readFileSync(path.join(ROOT, "locales", file), "utf8")).blocks as Record<string, { name: string }>;
      for (const [key, { name }] of Object.entries(names)) expect(name.length, `${file} ${key}`).toBeLessThanOrEqual(25);
    }
  });

  it("fills block.settings from the schema, translating t: defaults into the storefront language", () => {
    expect(defaultBlockSettings("product-reviews", "es")).toMatchObject({ heading: "Opiniones de clientes", show_form: true, star_color: "#a16207", product: null });
    expect(defaultBlockSettings("contact", "pt-BR")).toMatchObject({ heading: "Fale conosco", whatsapp_message: "Olá! Tenho uma dúvida." });
    expect(blockSchema("json-ld")).toMatchObject({ target: "head" });
    expect(blockSchema("product-reviews")).toMatchObject({ target: "section", stylesheet: "avisa.css", javascript: "avisa-forms.js" });
  });
});

describe("hostile shopper text", () => {
  const fields = (payload: string): Partial<Review> => ({
    title: payload,
    body: payload,
    author: payload,
    photos: [{ url: "/apps/avisa/photos/ck0001", alt: payload }],
    reply: { body: payload, date: "2026-11-21" },
  });

  function expectInert(html: string, payload: string) {
    expect(html).not.toContain(payload);
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/i);
    expect(tags(html, "img").filter((t) => t.attrs.src !== undefined && !t.attrs.src.startsWith("/apps/avisa/photos/"))).toEqual([]);
    expect(html).not.toMatch(/\{\{|\{%/);
    expect(tags(html, "[a-z]+").filter((t) => Object.keys(t.attrs).some((a) => a.startsWith("on")))).toEqual([]);
  }

  it.each(HOSTILE)("never outputs %s unescaped, in the block or in the app-proxy list", async (payload) => {
    const data = snapshot({ reviews: [review(fields(payload))] });
    for (const locale of LOCALES) {
      const html = await block("product-reviews", locale, { product: product(data) });
      const body = html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, "");
      expectInert(body, payload);
      expect(visibleText(html)).toContain(payload); // shown as text, exactly as typed
    }
    const fragment = await renderExtensionSnippet("avisa-review-list", { data }, options("en"));
    expectInert(fragment, payload);
    expect(fragment).not.toContain("{");
  });

  it("escapes hostile values the app passes back into the forms (errors, values, token)", async () => {
    const payload = HOSTILE.join(" ");
    const html = await renderExtensionSnippet(
      "avisa-review-form",
      {
        product_id: '1"><script>',
        return_to: "/products/x?a=\"'><",
        token: payload,
        form_id: "proxy",
        message: payload,
        errors: { body: payload, rating: payload },
        values: { title: payload, body: payload, author_name: payload, author_email: payload },
      },
      options("es"),
    );
    expectInert(html, payload);
    expect(tags(html, "textarea")[0].attrs["aria-invalid"]).toBe("true");
    expect(tags(html, "input").filter((t) => t.attrs.name === "rating").every((t) => t.attrs["aria-invalid"] === "true")).toBe(true);
    expect(decode(tags(html, "input").find((t) => t.attrs.name === "token")!.attrs.value)).toBe(payload);
    expect(decode(tags(html, "input").find((t) => t.attrs.name === "title")!.attrs.value)).toBe(payload);
    const contact = await renderExtensionSnippet("avisa-contact-form", { return_to: "/", errors: { message: payload }, values: { message: payload, name: payload } }, options("en"));
    expectInert(contact, payload);
  });

  it("drops photo URLs that are neither https nor same-site paths", async () => {
    const data = snapshot({ reviews: [review({ photos: [{ url: "javascript:alert(1)", alt: "x" }, { url: "https://cdn.example/p.jpg", alt: "ok" }] })] });
    const html = await block("product-reviews", "en", { product: product(data) });
    expect(html).not.toContain("javascript:");
    expect(html).toContain('src="https://cdn.example/p.jpg"');
  });

  it("escape also escapes braces", () => {
    expect(escapeHtml(`<a href="x">{{ y }}</a> & 'z'`)).toBe("&lt;a href=&quot;x&quot;&gt;&#123;&#123; y &#125;&#125;&lt;/a&gt; &amp; &#39;z&#39;");
  });
});

describe("JSON-LD embed", () => {
  it("outputs the app's jsonld raw, once, on product pages with reviews", async () => {
    const data = snapshot({ reviews: [review({ body: "</script><script>alert(1)</script> & more" })] });
    const html = await block("json-ld", "en", { product: product(data) });
    const match = /^<script type="application\/ld\+json">([\s\S]*)<\/script>$/.exec(html.trim());
    expect(match).not.toBeNull();
    expect(match![1]).toBe(data.jsonld); // raw: not HTML-escaped
    expect(match![1]).not.toContain("<");
    expect(JSON.parse(match![1]).review[0].reviewBody).toBe("</script><script>alert(1)</script> & more");
  });

  it("outputs nothing off product pages, without a snapshot, or without reviews", async () => {
    expect((await block("json-ld", "en", { request: { locale: { iso_code: "en" }, page_type: "collection" } })).trim()).toBe("");
    expect((await block("json-ld", "en", { product: product(null) })).trim()).toBe("");
    expect((await block("json-ld", "en", { product: product(EMPTY) })).trim()).toBe("");
  });
});

describe("review states", () => {
  it.each(LOCALES)("an empty snapshot shows the no-reviews state and the form (%s)", async (locale) => {
    for (const data of [EMPTY, null]) {
      const html = await block("product-reviews", locale, { product: product(data) });
      expect(html).toContain(translate(locale, "avisa.reviews.empty"));
      expect(html).toContain('action="/apps/avisa/reviews"');
      expect(html).not.toContain("avisa-summary");
      expect(html).not.toContain("avisa-pages");
      expect(html).toContain('id="avisa-reviews"');
    }
  });

  it("links the other pages, in the shopper's language, when there is more than one", async () => {
    const html = await block("product-reviews", "es");
    const links = tags(html, "a").filter((t) => "data-avisa-page" in t.attrs);
    expect(links.map((l) => decode(l.attrs.href))).toEqual([
      "/apps/avisa/reviews?product_id=8100000000000017&locale=es&page=1",
      "/apps/avisa/reviews?product_id=8100000000000017&locale=es&page=2",
      "/apps/avisa/reviews?product_id=8100000000000017&locale=es&page=3",
      "/apps/avisa/reviews?product_id=8100000000000017&locale=es&page=2",
    ]);
    expect(links[0].attrs["aria-current"]).toBe("page");
    expect(tags(html, "div").find((t) => t.attrs.id === "avisa-reviews")?.attrs).toHaveProperty("data-avisa-review-list");
    expect(await block("product-reviews", "en", { product: product(snapshot({ pages: 1 })) })).not.toContain("data-avisa-page");
  });

  it("keeps long pagination short: first, last and two pages around the current one", async () => {
    const html = await renderExtensionSnippet("avisa-review-list", { data: snapshot({ page: 10, pages: 40 }) }, options("en"));
    const pages = tags(html, "a")
      .filter((t) => "data-avisa-page" in t.attrs && !t.attrs.rel)
      .map((t) => Number(/page=(\d+)/.exec(decode(t.attrs.href))![1]));
    expect(pages).toEqual([1, 8, 9, 10, 11, 12, 40]);
    expect(html.match(/<li aria-hidden="true">…<\/li>/g)).toHaveLength(2);
    expect(html).toContain('rel="prev"');
    expect(html).toContain('rel="next"');
  });

  it("shows the summary: average, distribution 5 → 1, verified badge, store reply and photos", async () => {
    const html = await block("product-reviews");
    expect(visibleText(html)).toMatch(/4\.6 .*Based on 12 reviews/);
    expect([...html.matchAll(/avisa-summary__stars" aria-hidden="true">(\d)/g)].map((m) => m[1])).toEqual(["5", "4", "3", "2", "1"]);
    expect(html).toContain("5 out of 5 stars: 8 reviews (67%)");
    expect(html).toContain("Verified buyer");
    expect(html).toContain("Reply from the store");
    expect(html).toMatch(/<img src="\/apps\/avisa\/photos\/ck0001" alt="The tee, front" width="96" height="96" loading="lazy"/);
    expect(html).toContain("Soft cotton, true to size.<br />");
  });

  it("renders nothing for a star rating without reviews, and the rating of another product when set", async () => {
    expect((await block("star-rating", "en", { product: product(null, { rating: 0, count: 0 }) })).trim()).toBe("");
    expect((await block("star-rating", "en", { product: product(null, null) })).trim()).toBe("");
    const other = { ...product(null, { rating: 3.5, count: 1 }), id: "2" };
    const html = await block("star-rating", "en", { product: null, settings: { product: other } });
    expect(html).toContain('aria-label="3.5 out of 5 stars (1 review)"');
    expect(html).toContain('<svg class="avisa-stars__fill" width="70%"');
  });
});

describe("forms", () => {
  it.each(LOCALES)("labels every control and wires every description (%s)", async (locale) => {
    const reviews = await block("product-reviews", locale);
    const contact = await block("contact", locale);
    expect(unlabelledControls(reviews)).toEqual([]);
    expect(unlabelledControls(contact)).toEqual([]);
    expect(tags(reviews, "input").filter((t) => t.attrs.type === "radio")).toHaveLength(5);
    expect(reviews).toMatch(/<fieldset[^>]*>\s*<legend>/);
  });

  it("follows the review form contract", async () => {
    const html = await block("product-reviews", "pt-BR", { customer: { id: "7", first_name: "Ana" } });
    const form = tags(html, "form")[0].attrs;
    expect(form).toMatchObject({ action: "/apps/avisa/reviews", method: "post", enctype: "multipart/form-data" });
    expect(form).toHaveProperty("data-avisa-form");
    const inputs = Object.fromEntries(tags(html, "input", "textarea").map((t) => [t.attrs.name, t.attrs]));
    expect(Object.keys(inputs).sort()).toEqual(["author_email", "author_name", "body", "locale", "photos", "product_id", "rating", "return_to", "title", "token", "website"].sort());
    expect(inputs.product_id.value).toBe("8100000000000017");
    expect(inputs.locale.value).toBe("pt-BR");
    expect(inputs.return_to.value).toBe("/products/organic-tee");
    expect(inputs.token.value).toBe("");
    expect(inputs.author_name.value).toBe("Ana");
    expect(inputs.title.maxlength).toBe("150");
    expect(inputs.body).toMatchObject({ maxlength: "5000", required: "" });
    expect(inputs.author_name).toMatchObject({ maxlength: "80", required: "" });
    expect(inputs.author_email).toMatchObject({ type: "email", required: "" });
    expect(inputs.photos).toMatchObject({ type: "file", multiple: "", accept: "image/jpeg,image/png,image/webp" });
    expect(inputs.website).toMatchObject({ tabindex: "-1", autocomplete: "off" });
    expect(html).toMatch(/<div class="avisa-hp" aria-hidden="true">\s*<label[^>]*>[^<]+<\/label>\s*<input[^>]*name="website"/);
    expect(visibleText(html)).toContain("Até 3 fotos em JPEG, PNG ou WebP, com no máximo 2 MB cada.");
  });

  it("takes the review-request token when the app renders the form", async () => {
    const html = await renderExtensionSnippet("avisa-review-form", { product_id: "1", return_to: "/products/x", token: "tok_123" }, options("en"));
    expect(tags(html, "input").find((t) => t.attrs.name === "token")?.attrs.value).toBe("tok_123");
  });

  it("follows the contact form contract", async () => {
    const html = await block("contact", "es");
    const form = tags(html, "form")[0].attrs;
    expect(form).toMatchObject({ action: "/apps/avisa/contact", method: "post" });
    expect(form).toHaveProperty("data-avisa-form");
    const inputs = Object.fromEntries(tags(html, "input", "textarea").map((t) => [t.attrs.name, t.attrs]));
    expect(Object.keys(inputs).sort()).toEqual(["email", "locale", "message", "name", "order_number", "phone", "return_to", "website"]);
    expect(inputs.email).toMatchObject({ type: "email", required: "" });
    expect(inputs.phone.type).toBe("tel");
    expect(inputs.phone).not.toHaveProperty("required");
    expect(inputs.order_number).not.toHaveProperty("required");
    expect(inputs.message).toMatchObject({ maxlength: "5000", required: "" });
    expect(inputs.locale.value).toBe("es");
  });
});

describe("contact channels", () => {
  const contact = (settings: Record<string, unknown>, locale = "en") => block("contact", locale, { settings });

  it("builds the WhatsApp link from the number's digits only, with the message URL-encoded", async () => {
    const html = await contact({ whatsapp_number: '+34 (600) 123-456"><script>alert(1)</script>', whatsapp_message: "Hola & adiós #1 + más?" });
    const link = tags(html, "a").find((t) => t.attrs.href?.includes("wa.me"))!;
    expect(decode(link.attrs.href)).toBe("https://wa.me/346001234561?text=Hola%20%26%20adi%C3%B3s%20%231%20%2B%20m%C3%A1s%3F");
    expect(link.attrs).toMatchObject({ target: "_blank", rel: "noopener noreferrer" });
    expect(html).not.toContain("<script>");
  });

  it("drops a leading 00, and hides the link without digits", async () => {
    const html = await contact({ whatsapp_number: "0034 600 123 456", whatsapp_message: "" });
    expect(tags(html, "a").some((t) => t.attrs.href === "https://wa.me/34600123456")).toBe(true);
    expect(await contact({ whatsapp_number: "call us" })).not.toContain("wa.me");
  });

  it("links phone and email, shows opening hours line by line, and escapes the merchant's text", async () => {
    const html = await contact({ phone: "+55 (11) 91234-5678", email: " ola@loja.example ", hours: "Seg–Sex 9h–18h\nSáb <10h–14h>", intro: "Respondemos em até 1 dia." }, "pt-BR");
    expect(html).toContain('<a href="tel:+5511912345678">+55 (11) 91234-5678</a>');
    expect(html).toContain('<a href="mailto:ola@loja.example">ola@loja.example</a>');
    expect(html).toContain("Seg–Sex 9h–18h<br />\nSáb &lt;10h–14h&gt;");
    expect(html).toContain("Respondemos em até 1 dia.");
    expect(html).toContain(">Fale conosco</h2>");
  });

  it("can hide the form and shows no channel list when there is none", async () => {
    const html = await contact({ show_form: false, whatsapp_number: "", phone: "", email: "", hours: "" });
    expect(html).not.toContain("<form");
    expect(html).not.toContain("avisa-contact__channels");
  });
});

describe("translations", () => {
  it("falls back to the language, then to English", () => {
    expect(resolveLocale("es-MX")).toBe("es");
    expect(resolveLocale("pt-br")).toBe("pt-BR");
    expect(resolveLocale("fr")).toBe("en");
    expect(translate("fr", "avisa.reviews.heading")).toBe("Customer reviews");
  });

  it("pluralises with count like Shopify (one / other, zero when present) and interpolates escaped values", () => {
    expect(translate("en", "avisa.reviews.based_on", { count: 1 })).toBe("Based on 1 review");
    expect(translate("es", "avisa.reviews.based_on", { count: 2 })).toBe("Basado en 2 opiniones");
    expect(translate("pt-BR", "avisa.reviews.breakdown_row", { count: 0, stars: 2, percent: 0 })).toBe("2 de 5 estrelas: nenhuma avaliação (0%)");
    expect(translate("pt-BR", "avisa.reviews.breakdown_row", { count: 1, stars: 2, percent: 8 })).toBe("2 de 5 estrelas: 1 avaliação (8%)");
    expect(translate("en", "avisa.stars.label", { rating: "<b>{{x}}</b>", max: 5 })).toBe("&lt;b&gt;&#123;&#123;x&#125;&#125;&lt;/b&gt; out of 5 stars");
    expect(translate("en", "avisa.no.such.key")).toBe("translation missing: en.avisa.no.such.key");
  });
});

describe("assets", () => {
  it("serves the extension's assets with their content type, and nothing outside assets/", () => {
    expect(extensionAsset("avisa.css")?.contentType).toBe("text/css; charset=utf-8");
    expect(extensionAsset("avisa-forms.js")?.body.toString()).toContain("data-avisa-form");
    expect(extensionAsset("../blocks/contact.liquid")).toBeNull();
    expect(extensionAsset("missing.css")).toBeNull();
  });
});

describe("demo storefront", () => {
  const demoProduct = (data: ReviewsSnapshot | null = snapshot()): DemoStorefrontProduct => ({
    ...product(data),
    url: "/demo/storefront/products/organic-tee",
    description: "<p>Organic cotton tee.</p>",
    featured_image: "https://cdn.example/tee.jpg",
    price: "€25,00",
  });
  const shop = { name: "Tienda <Demo>", url: "https://demo.example", email: "hola@demo.example" };

  it("renders a complete product page with Avisa's blocks, assets attached as Shopify does", async () => {
    const html = await renderDemoProductPage({
      shop,
      product: demoProduct(),
      locale: "es",
      customer: { id: "1", first_name: "Lucía" },
      customers: [{ id: "1", name: "Lucía Romero" }, { id: "2", name: "Ana <Souza>" }],
      assetBaseUrl: "/demo/storefront/assets/",
      notice: "¡Gracias!",
    });
    const head = html.slice(0, html.indexOf("</head>"));
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="es">');
    expect(head).toContain('<link rel="stylesheet" href="/demo/storefront/assets/avisa.css">');
    expect(head).toContain('<script src="/demo/storefront/assets/avisa-forms.js" defer></script>');
    expect(head).toContain('<script type="application/ld+json">');
    expect(html.match(/avisa-forms\.js/g)).toHaveLength(1);
    expect(html).toContain("Tienda &lt;Demo&gt;");
    expect(html).toContain('href="/demo/storefront/products/organic-tee?locale=pt-BR"');
    expect(html).toContain('<option value="1" selected>Lucía Romero</option>');
    expect(html).toContain("Ana &lt;Souza&gt;");
    expect(html).toContain('aria-current="true">Español');
    expect(html).toContain("Hola, Lucía");
    expect(html).toContain("¡Gracias!");
    expect(html.indexOf("avisa-reviews")).toBeLessThan(html.indexOf("avisa-contact"));
    expect(html).toContain('value="Lucía"'); // the review form greets the logged-in customer
    expect(html).toContain('href="mailto:hola@demo.example"');
    expect(unlabelledControls(html)).toEqual([]);
  });

  it("lists products with star ratings and loads no JavaScript", async () => {
    const html = await renderDemoStorefrontIndex({ shop, products: [demoProduct(), { ...demoProduct(EMPTY), handle: "plain-cap", title: "Plain cap", metafields: {} }], locale: "pt-BR", customer: null, assetBaseUrl: "/assets" });
    expect(html).toContain('href="/demo/storefront/products/organic-tee?locale=pt-BR"');
    expect(html).toContain('href="/demo/storefront/products/plain-cap?locale=pt-BR"');
    expect(html).toContain('aria-label="4,6 de 5 estrelas (12 avaliações)"');
    expect(html.match(/class="avisa avisa-rating"/g)).toHaveLength(1);
    expect(html).toContain('<link rel="stylesheet" href="/assets/avisa.css">');
    expect(html).not.toContain("<script");
  });

  it("renders an app-proxy answer (application/liquid) inside the store layout, as Shopify does", async () => {
    const bodyHtml = '{% raw %}<style>.x{color:red}</style>{% endraw %}<p>{{ shop.name }} &#123;&#123; shop.secret &#125;&#125;</p>';
    const html = await renderDemoStorefrontShell({ title: "Avisa", locale: "pt-BR", bodyHtml, shop: { name: "Loja Demo", url: "/" }, currentUrl: "/apps/avisa/reviews?product_id=1&page=2" });
    expect(html).toContain("<style>.x{color:red}</style>");
    expect(html).toContain("<p>Loja Demo &#123;&#123; shop.secret &#125;&#125;</p>");
    expect(html).toContain('href="/apps/avisa/reviews?product_id=1&amp;page=2&amp;locale=es"');
    expect(html).toContain('<html lang="pt-BR">');
  });
});
