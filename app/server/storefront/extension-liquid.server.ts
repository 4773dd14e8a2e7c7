// Renders the theme app extension's Liquid (extensions/avisa-storefront) on the app server, so
// the app-proxy pages (/apps/avisa/reviews, its `&format=fragment`, the form answers without
// JavaScript) and the demo storefront use the very snippets Shopify renders: one markup source.
//
// The engine implements the Shopify objects, filters and tags the extension uses (plus
// `asset_url`, pointed at options.assetBaseUrl), and nothing else: LiquidJS's other filters and
// tags are removed, so a template that reaches for one fails here, in tests, instead of on a
// storefront. (No `json` filter: no template outputs JSON; the JSON-LD arrives pre-serialised.)
// Differences from Shopify, on purpose:
// - `escape` also escapes `{` and `}`. App-proxy responses are sent as `application/liquid`
//   and Shopify renders them as Liquid once more, so shopper text such as `{{ shop.secret }}`
//   must not reach Shopify as a Liquid tag. renderExtensionSnippet additionally neutralises
//   any `{{` / `{%` left in its output (there should be none).
// - `t` escapes the translation and every interpolated value (keys ending in `_html` keep
//   their markup; the extension has none).
// - `divided_by` divides as integers when both numbers are integers, like Shopify; JavaScript
//   cannot tell `100.0` from `100`, so write the float operand first (`x | times: 100.0`) and
//   expect integer division only where both sides really are whole numbers.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Context, type TagToken, type Template, type TopLevelToken } from "liquidjs";

export const EXTENSION_ROOT = path.resolve(process.cwd(), "extensions", "avisa-storefront");
const DEFAULT_LOCALE = "en";

export type ExtensionRenderOptions = {
  /** The storefront locale (`request.locale.iso_code`): "en", "es", "pt-BR", ... */
  locale: string;
  /** Where the extension's assets are served, e.g. "/demo/storefront/assets" (asset_url). */
  assetBaseUrl: string;
};

/** The snapshot the app writes to the product metafield `avisa.reviews` (type json). */
export type ReviewsSnapshot = {
  version: 1;
  product_id: string;
  average: number;
  count: number;
  distribution: Array<{ stars: number; count: number; percent: number }>;
  page: number;
  page_size: number;
  pages: number;
  sort: string;
  reviews: Array<{
    id: string;
    rating: number;
    title: string | null;
    body: string;
    author: string;
    date: string;
    verified: boolean;
    featured: boolean;
    photos: Array<{ url: string; alt: string }>;
    reply: { body: string; date: string } | null;
  }>;
  /** Pre-serialised JSON-LD with <, > and & written as \u003c, \u003e, \u0026. */
  jsonld: string;
};

/** A product as Shopify's Liquid `product` object exposes it, for the fields the blocks read. */
export type LiquidProduct = {
  id: string;
  title: string;
  handle: string;
  url: string;
  price?: number | string;
  featured_image?: unknown;
  /**
   * namespace → key → { value }, as Liquid reads them. The blocks read avisa.reviews (the
   * ReviewsSnapshot), reviews.rating ({ rating, scale_min, scale_max }) and reviews.rating_count.
   */
  metafields?: Record<string, Record<string, { value: unknown; [key: string]: unknown } | null | undefined> | null | undefined>;
  [key: string]: unknown;
};

export type BlockContext = {
  product?: LiquidProduct | null;
  shop: { name: string; url?: string; [key: string]: unknown };
  request: { locale: { iso_code: string }; page_type: string; path?: string; design_mode?: boolean };
  customer?: { id: string; first_name?: string; name?: string; email?: string } | null;
  routes?: Record<string, string>;
  /** Overrides for block.settings; the rest come from the schema's defaults. */
  settings?: Record<string, unknown>;
  /** block.id; defaults to one derived from the block name. */
  blockId?: string;
};

export type SettingSchema = { type: string; id?: string; default?: unknown; [key: string]: unknown };
export type BlockSchema = {
  name: string;
  target: string;
  stylesheet?: string;
  javascript?: string;
  enabled_on?: { templates?: string[] };
  settings?: SettingSchema[];
  [key: string]: unknown;
};

// ------------------------------------------------------------------ escaping

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "{": "&#123;",
  "}": "&#125;",
};

/** HTML escaping plus `{` and `}`: safe in text, in quoted attributes, and against Liquid injection. */
export function escapeHtml(value: unknown): string {
  return stringify(value).replace(/[&<>"'{}]/g, (c) => HTML_ESCAPES[c]);
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(stringify).join("");
  return String(value);
}

/** Shopify's url_encode (Ruby's CGI.escape): everything but A-Z a-z 0-9 _ . - ~ is %-encoded, spaces become +. */
function urlEncode(value: unknown): string {
  return encodeURIComponent(stringify(value))
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

// ------------------------------------------------------------------ locales

type Tree = { [key: string]: unknown };

type Locales = {
  storefront: Map<string, Tree>;
  schema: Map<string, Tree>;
};

let locales: Locales | null = null;

function loadLocales(): Locales {
  if (locales) return locales;
  const dir = path.join(EXTENSION_ROOT, "locales");
  const result: Locales = { storefront: new Map(), schema: new Map() };
  for (const file of readdirSync(dir)) {
    const match = /^([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)(\.default)?(\.schema)?\.json$/.exec(file);
    if (!match) continue;
    const tree = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Tree;
    (match[3] ? result.schema : result.storefront).set(match[1], tree);
  }
  locales = result;
  return result;
}

/** The locale file for a storefront locale: exact match, then the bare language, then English. */
export function resolveLocale(locale: string, available: Iterable<string> = loadLocales().storefront.keys()): string {
  const codes = [...available];
  const wanted = (locale || DEFAULT_LOCALE).toLowerCase();
  const exact = codes.find((code) => code.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split("-")[0];
  return codes.find((code) => code.toLowerCase() === language) ?? DEFAULT_LOCALE;
}

function deepGet(tree: Tree | undefined, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Tree)[part];
  }
  return node;
}

const PLURAL_KEYS = new Set(["zero", "one", "two", "few", "many", "other"]);
const isPluralEntry = (entry: unknown): entry is Record<string, string> =>
  !!entry && typeof entry === "object" && Object.keys(entry).every((key) => PLURAL_KEYS.has(key));

/**
 * Shopify's `t`: the key in the locale's file, else in the default (English) file. With a
 * `count` argument a plural entry picks `zero` (count 0, when present), else the locale's plural
 * category (CLDR, as Intl.PluralRules gives it), else `other`. `{{ name }}` placeholders take
 * the named arguments. Returns HTML: text and arguments escaped (unless the key ends in `_html`).
 */
export function translate(locale: string, key: string, args: Record<string, unknown> = {}, tree: "storefront" | "schema" = "storefront"): string {
  const files = loadLocales()[tree];
  const code = resolveLocale(locale, files.keys());
  let entry: unknown;
  for (const candidate of code === DEFAULT_LOCALE ? [code] : [code, DEFAULT_LOCALE]) {
    entry = pick(deepGet(files.get(candidate), key), candidate, args);
    if (typeof entry === "string") break;
  }
  if (typeof entry !== "string") return escapeHtml(`translation missing: ${code}.${key}`);
  const html = key.endsWith("_html");
  return entry
    .split(/(\{\{\s*[A-Za-z_][\w-]*\s*\}\})/)
    .map((part, index) => {
      if (index % 2 === 0) return html ? part : escapeHtml(part);
      const name = part.slice(2, -2).trim();
      return Object.hasOwn(args, name) ? escapeHtml(args[name]) : "";
    })
    .join("");
}

function pick(entry: unknown, locale: string, args: Record<string, unknown>): unknown {
  if (!isPluralEntry(entry)) return entry;
  if (!Object.hasOwn(args, "count")) return undefined;
  const count = Number(args.count);
  if (count === 0 && typeof entry.zero === "string") return entry.zero;
  const category = Number.isFinite(count) ? new Intl.PluralRules(locale).select(count) : "other";
  return entry[category] ?? entry.other;
}

// ------------------------------------------------------------------ schema

const SCHEMA_PATTERN = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;
const schemas = new Map<string, BlockSchema | null>();

const BLOCK_NAME = /^[a-z0-9][a-z0-9-]*$/;

function blockPath(name: string): string {
  if (!BLOCK_NAME.test(name)) throw new Error(`"${name}" is not a block of the extension.`);
  return path.join(EXTENSION_ROOT, "blocks", `${name}.liquid`);
}

/** The `{% schema %}` of a block, parsed (null when the block has none). */
export function blockSchema(name: string): BlockSchema | null {
  if (!schemas.has(name)) {
    const match = SCHEMA_PATTERN.exec(readFileSync(blockPath(name), "utf8"));
    schemas.set(name, match ? (JSON.parse(match[1]) as BlockSchema) : null);
  }
  return schemas.get(name) ?? null;
}

/** block.settings as Shopify fills them for a newly added block: schema defaults, `t:` defaults translated. */
export function defaultBlockSettings(name: string, locale: string): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const setting of blockSchema(name)?.settings ?? []) {
    if (!setting.id) continue; // header / paragraph
    let value = setting.default;
    if (typeof value === "string" && value.startsWith("t:")) value = htmlToText(translate(locale, value.slice(2), {}, "schema"));
    if (value === undefined) value = setting.type === "checkbox" ? false : null;
    settings[setting.id] = value;
  }
  return settings;
}

/** Setting values are plain text (the theme editor stores what the merchant typed). */
function htmlToText(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39|#123|#125);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#123": "{", "#125": "}" })[name] ?? "");
}

/** The block's assets as Shopify attaches them (schema "stylesheet" / "javascript"). */
export function blockAssets(names: string[]): { stylesheets: string[]; scripts: string[] } {
  const stylesheets = new Set<string>();
  const scripts = new Set<string>();
  for (const name of names) {
    const schema = blockSchema(name);
    if (schema?.stylesheet) stylesheets.add(schema.stylesheet);
    if (schema?.javascript) scripts.add(schema.javascript);
  }
  return { stylesheets: [...stylesheets], scripts: [...scripts] };
}

// ------------------------------------------------------------------ engine

const OPTIONS = Symbol("avisa.render-options");
type Globals = Record<string | symbol, unknown> & { [OPTIONS]?: ExtensionRenderOptions };
/** What LiquidJS binds `this` to in a filter (its FilterImpl, which the package does not export). */
type FilterImpl = { context: Context };

function renderOptions(filter: FilterImpl): ExtensionRenderOptions {
  const options = (filter.context.globals as Globals)[OPTIONS];
  if (!options) throw new Error("Avisa extension templates render only through renderExtensionSnippet / renderExtensionBlock.");
  return options;
}

/** Tags whose body is not Liquid to run: {% schema %} (block settings) and {% doc %} (LiquidDoc). */
function skippedBodyTag(end: string) {
  return class extends Tag {
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      while (remainTokens.length) {
        const next = remainTokens.shift() as TopLevelToken & { name?: string };
        if (next.name === end) return;
      }
      throw new Error(`tag ${token.getText()} not closed`);
    }
    render(): void {}
  };
}

// The LiquidJS filters the extension uses (all of them standard Shopify filters with the same
// behaviour); every other built-in is removed.
const BUILT_IN_FILTERS = new Set([
  "append",
  "at_least",
  "at_most",
  "date",
  "default",
  "downcase",
  "minus",
  "newline_to_br",
  "plus",
  "prepend",
  "remove",
  "remove_first",
  "replace",
  "round",
  "slice",
  "split",
  "strip",
  "times",
]);
const TAGS = new Set(["assign", "comment", "#", "for", "break", "continue", "if", "unless", "case", "capture", "echo", "liquid", "render", "raw"]);

function createEngine(): Liquid {
  const engine = new Liquid({
    root: [path.join(EXTENSION_ROOT, "snippets")],
    partials: [path.join(EXTENSION_ROOT, "snippets")],
    extname: ".liquid",
    relativeReference: false,
    cache: true,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    jsTruthy: false,
    timezoneOffset: 0, // review dates are calendar dates ("2026-11-20"): never shift them
    renderLimit: 2_000,
    memoryLimit: 50_000_000,
  });

  for (const name of Object.keys(engine.filters)) if (!BUILT_IN_FILTERS.has(name)) engine.unregisterFilter(name);
  for (const name of Object.keys(engine.tags)) if (!TAGS.has(name)) delete engine.tags[name];

  engine.registerTag("schema", skippedBodyTag("endschema"));
  engine.registerTag("doc", skippedBodyTag("enddoc"));

  engine.registerFilter("escape", (value: unknown) => escapeHtml(value));
  engine.registerFilter("url_encode", (value: unknown) => urlEncode(value));
  engine.registerFilter("asset_url", function (this: FilterImpl, value: unknown) {
    return `${renderOptions(this).assetBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(stringify(value))}`;
  });
  engine.registerFilter("divided_by", (dividend: unknown, divisor: unknown) => {
    const a = Number(dividend);
    const b = Number(divisor);
    return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
  });
  engine.registerFilter("t", function (this: FilterImpl, key: unknown, ...args: unknown[]) {
    const named: Record<string, unknown> = {};
    for (const arg of args) if (Array.isArray(arg)) named[String(arg[0])] = arg[1];
    return translate(renderOptions(this).locale, stringify(key), named);
  });
  return engine;
}

let engine: Liquid | null = null;
const liquid = () => (engine ??= createEngine());
const blockTemplates = new Map<string, Template[]>();

function parsedBlock(name: string): Template[] {
  let templates = blockTemplates.get(name);
  if (!templates) {
    const file = blockPath(name);
    templates = liquid().parse(readFileSync(file, "utf8"), file);
    blockTemplates.set(name, templates);
  }
  return templates;
}

function snippetPath(name: string): string {
  if (!BLOCK_NAME.test(name)) throw new Error(`"${name}" is not a snippet of the extension.`);
  const file = path.join(EXTENSION_ROOT, "snippets", `${name}.liquid`);
  if (!existsSync(file)) throw new Error(`The extension has no snippet "${name}".`);
  return file;
}

/** Forgets parsed templates, schemas and locales (tests that edit extension files). */
export function clearExtensionCache(): void {
  engine = null;
  locales = null;
  schemas.clear();
  blockTemplates.clear();
}

/** `{{` and `{%` can never leave as Liquid (see the header). */
const neutraliseLiquid = (html: string) => html.replace(/\{(?=[{%])/g, "&#123;");

/**
 * Renders snippets/<name>.liquid with the given variables, as `{% render %}` would (the app-proxy
 * pages: the review list and its fragment, the forms with errors and values). Shopify's global
 * objects are available to the snippet: pass `shop`, `customer`... in `variables` when needed;
 * `request.locale` comes from options.locale.
 */
export async function renderExtensionSnippet(name: string, variables: Record<string, unknown>, options: ExtensionRenderOptions): Promise<string> {
  snippetPath(name);
  const templates = await liquid().parseFile(name);
  const request = { page_type: "app", path: "/", design_mode: false, ...(variables.request as object | undefined), locale: { iso_code: options.locale } };
  const globals: Globals = { routes: { root_url: "/" }, [OPTIONS]: options };
  for (const key of GLOBAL_OBJECTS) if (variables[key] !== undefined) globals[key] = variables[key];
  globals.request = request;
  const html = (await liquid().render(templates, { ...variables, request }, { globals })) as string;
  return neutraliseLiquid(html);
}

/** Shopify objects every template and snippet sees without being passed them. */
const GLOBAL_OBJECTS = ["product", "shop", "customer", "routes"] as const;

/**
 * Renders blocks/<name>.liquid as Shopify renders an app block or app embed: `block` (id and
 * settings: schema defaults merged with context.settings) in scope, and the global objects
 * (product, shop, request, customer, routes) visible to every snippet it renders.
 */
export async function renderExtensionBlock(name: string, context: BlockContext, options: ExtensionRenderOptions): Promise<string> {
  const templates = parsedBlock(name);
  const locale = context.request.locale.iso_code || options.locale;
  const block = {
    id: context.blockId ?? `avisa_${name.replace(/-/g, "_")}`,
    type: name,
    settings: { ...defaultBlockSettings(name, locale), ...context.settings },
  };
  const globals: Globals = {
    product: context.product ?? null,
    shop: context.shop,
    request: { design_mode: false, path: "/", ...context.request },
    customer: context.customer ?? null,
    routes: { root_url: "/", ...context.routes },
    [OPTIONS]: { ...options, locale },
  };
  return (await liquid().render(templates, { block }, { globals })) as string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
};

/** An asset of the extension (avisa.css, avisa-forms.js), for serving it outside Shopify (demo). */
export function extensionAsset(name: string): { body: Buffer; contentType: string } | null {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) return null;
  const contentType = CONTENT_TYPES[path.extname(name).toLowerCase()];
  const file = path.join(EXTENSION_ROOT, "assets", name);
  if (!contentType || !existsSync(file)) return null;
  return { body: readFileSync(file), contentType };
}
