// Performance budget of the storefront extension: small assets, and no JavaScript needed to
// show reviews or ratings (only the blocks with forms attach avisa-forms.js).
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { blockSchema, renderExtensionBlock, renderExtensionSnippet, type ReviewsSnapshot } from "~/server/storefront/extension-liquid.server";

const ROOT = path.resolve("extensions/avisa-storefront");
const read = (file: string) => readFileSync(path.join(ROOT, file));
const KB = 1024;

const snapshot: ReviewsSnapshot = {
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
  reviews: [
    {
      id: "ck1",
      rating: 5,
      title: "Fits perfectly",
      body: "Soft cotton, true to size. Washed three times and still like new.",
      author: "Lucía R.",
      date: "2026-11-20",
      verified: true,
      featured: false,
      photos: [],
      reply: null,
    },
  ],
  jsonld: '{"@context":"https://schema.org","@type":"Product","name":"Tee"}',
};

const product = {
  id: "8100000000000017",
  title: "Tee",
  handle: "tee",
  url: "/products/tee",
  metafields: {
    avisa: { reviews: { value: snapshot } },
    reviews: { rating: { value: { rating: 4.6, scale_min: 1, scale_max: 5 } }, rating_count: { value: 12 } },
  },
};
const context = { product, shop: { name: "Demo" }, request: { locale: { iso_code: "en" }, page_type: "product" } };
const options = { locale: "en", assetBaseUrl: "/assets" };

/** JavaScript in markup: script elements (other than JSON-LD data), inline handlers, javascript: URLs, .js files. */
function javascriptIn(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/<script\b[^>]*>/gi)) if (!/type="application\/ld\+json"/.test(match[0])) found.push(match[0]);
  for (const match of source.matchAll(/\son[a-z]+\s*=/gi)) found.push(match[0]);
  for (const match of source.matchAll(/javascript:|\.js\b|asset_url/gi)) found.push(match[0]);
  return found;
}

/** Template source without {% doc %} / {% comment %} bodies (documentation may name the script). */
const withoutComments = (source: string) =>
  source.replace(/\{%-?\s*(doc|comment)\s*-?%\}[\s\S]*?\{%-?\s*end\1\s*-?%\}/g, "");

describe("asset budget", () => {
  it("avisa-forms.js is at most 5 KB gzipped (and the app-block JS limit of 10 KB uncompressed)", () => {
    const js = read("assets/avisa-forms.js");
    const gzipped = gzipSync(js, { level: 9 }).length;
    console.info(`avisa-forms.js: ${js.length} B, ${gzipped} B gzipped`);
    expect(gzipped).toBeLessThanOrEqual(5 * KB);
    expect(js.length).toBeLessThanOrEqual(10_000);
  });

  it("avisa.css is at most 10 KB gzipped (and 10 KB uncompressed)", () => {
    const css = read("assets/avisa.css");
    const gzipped = gzipSync(css, { level: 9 }).length;
    console.info(`avisa.css: ${css.length} B, ${gzipped} B gzipped`);
    expect(gzipped).toBeLessThanOrEqual(10 * KB);
    expect(css.length).toBeLessThanOrEqual(10 * KB);
  });

  it("avisa-forms.js is valid script that only enhances (no document.write, no eval, nothing global)", () => {
    const js = read("assets/avisa-forms.js").toString();
    expect(() => new Function(js)).not.toThrow();
    expect(js).not.toMatch(/document\.write|eval\(|new Function/);
    expect(js.trim()).toMatch(/^\/\*[\s\S]*?\*\/\s*\(function \(\) \{[\s\S]*\}\)\(\);$/);
  });
});

describe("reviews and ratings need no JavaScript", () => {
  it("the display templates reference no JavaScript", () => {
    for (const file of ["snippets/avisa-review-summary.liquid", "snippets/avisa-review-list.liquid", "snippets/avisa-stars.liquid", "blocks/star-rating.liquid", "blocks/json-ld.liquid"]) {
      expect(javascriptIn(withoutComments(read(file).toString())), file).toEqual([]);
    }
    expect(blockSchema("star-rating")?.javascript).toBeUndefined();
    expect(blockSchema("json-ld")?.javascript).toBeUndefined();
    expect(blockSchema("json-ld")?.stylesheet).toBeUndefined();
  });

  it("only the blocks with forms attach avisa-forms.js", () => {
    expect(blockSchema("product-reviews")?.javascript).toBe("avisa-forms.js");
    expect(blockSchema("contact")?.javascript).toBe("avisa-forms.js");
  });

  it("renders the reviews from the snapshot alone: the text is in the HTML, no script needed", async () => {
    for (const show_form of [false, true]) {
      const html = await renderExtensionBlock("product-reviews", { ...context, settings: { show_form } }, options);
      expect(html).toContain("Soft cotton, true to size.");
      expect(html).toContain("Based on 12 reviews");
      expect(javascriptIn(html)).toEqual([]);
    }
    const fragment = await renderExtensionSnippet("avisa-review-list", { data: snapshot }, options);
    expect(fragment).toContain("Soft cotton, true to size.");
    expect(javascriptIn(fragment)).toEqual([]);
  });

  it("the star rating has explicit dimensions (no layout shift) and no script", async () => {
    const html = await renderExtensionBlock("star-rating", context, options);
    expect(html).toMatch(/<svg class="avisa-stars" width="90" height="18" viewBox="0 0 100 20"/);
    expect(html).toMatch(/style="[^"]*height: 20px/);
    expect(javascriptIn(html)).toEqual([]);
  });

  it("the JSON-LD embed carries data only", async () => {
    const html = await renderExtensionBlock("json-ld", context, options);
    expect(html).toContain('<script type="application/ld+json">');
    expect(javascriptIn(html)).toEqual([]);
  });
});
