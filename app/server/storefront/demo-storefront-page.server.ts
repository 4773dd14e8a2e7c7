// A small stand-in for a theme, for the demo storefront (/demo/storefront/...): the page chrome
// is plain HTML, and Avisa's theme app extension renders into it through the same Liquid the
// storefront runs (extension-liquid.server.ts). Assets are attached the way Shopify attaches
// them for app blocks: each block's schema names its stylesheet and script, the stylesheet is
// linked in <head> and the script loads with `defer`, once per page. The product page has forms
// (reviews, contact), so it loads avisa-forms.js; the product list shows only star ratings, so
// it loads no JavaScript at all.
import { Liquid } from "liquidjs";
import { blockAssets, escapeHtml, renderExtensionBlock, type LiquidProduct } from "./extension-liquid.server";

export type DemoLocale = "en" | "es" | "pt-BR";

export type DemoShop = { name: string; url: string; email?: string };
export type DemoCustomer = { id: string; first_name: string } | null;

/** A Liquid product (LiquidProduct) with what a theme's product page shows besides Avisa's blocks. */
export type DemoStorefrontProduct = LiquidProduct & {
  /** Merchant-authored HTML, output as-is like Shopify's `product.description`: never shopper text. */
  description: string;
  /** The product image's URL (Shopify's `product.featured_image`, already turned into a URL). */
  featured_image?: string | null;
  image_alt?: string;
  /** The price as the store formats it, e.g. "€25,00". */
  price?: string | number;
};

type ChromeInput = {
  shop?: DemoShop;
  locale: string;
  customer?: DemoCustomer;
  /** Demo shoppers to sign in as (the account switcher posts to /demo/storefront/account). */
  customers?: Array<{ id: string; name: string }>;
  /** Where the extension's assets are served (extensionAsset), e.g. "/demo/storefront/assets/". */
  assetBaseUrl?: string;
  /** A message to show at the top of the page (e.g. the answer to a form posted without JavaScript). */
  notice?: string;
  /** The app's URL, for a link back to the Avisa admin. */
  appUrl?: string;
  /** This page's path and query; the language switcher keeps it and changes `locale`. */
  currentUrl?: string;
};

export type DemoProductPageInput = ChromeInput & {
  shop: DemoShop;
  product: DemoStorefrontProduct;
  locale: DemoLocale;
  customer: DemoCustomer;
  assetBaseUrl: string;
  /** Theme-editor settings of the contact block (whatsapp_number, phone, email, hours...); demo values otherwise. */
  contactSettings?: Record<string, unknown>;
};

export type DemoIndexInput = ChromeInput & {
  shop: DemoShop;
  products: DemoStorefrontProduct[];
  locale: DemoLocale;
  assetBaseUrl: string;
};

/** An app-proxy answer (`application/liquid`) rendered inside the store's layout, as Shopify does. */
export type DemoShellInput = ChromeInput & { title: string; bodyHtml: string };

const LOCALES: Array<{ code: DemoLocale; name: string }> = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "pt-BR", name: "Português (Brasil)" },
];

type Chrome = { skip: string; language: string; hello: string; products: string; demo: string; signedInAs: string; guest: string; switch: string; admin: string };
const CHROME: Record<DemoLocale, Chrome> = {
  en: {
    skip: "Skip to content",
    language: "Language",
    hello: "Hello, {name}",
    products: "Products",
    demo: "Demo storefront",
    signedInAs: "Signed in as",
    guest: "Guest (not signed in)",
    switch: "Switch",
    admin: "Avisa admin",
  },
  es: {
    skip: "Saltar al contenido",
    language: "Idioma",
    hello: "Hola, {name}",
    products: "Productos",
    demo: "Tienda de demostración",
    signedInAs: "Sesión iniciada como",
    guest: "Invitado (sin iniciar sesión)",
    switch: "Cambiar",
    admin: "Administración de Avisa",
  },
  "pt-BR": {
    skip: "Pular para o conteúdo",
    language: "Idioma",
    hello: "Olá, {name}",
    products: "Produtos",
    demo: "Loja de demonstração",
    signedInAs: "Conectado como",
    guest: "Visitante (sem login)",
    switch: "Trocar",
    admin: "Painel do Avisa",
  },
};

/** What a merchant would type into the contact block's settings (555-01xx numbers are fictional). */
const DEMO_CONTACT: Record<DemoLocale, Record<string, string>> = {
  en: { whatsapp_number: "+1 555 010 0199", phone: "+1 555 010 0199", hours: "Monday to Friday, 9:00–18:00\nSaturday, 10:00–14:00", intro: "Questions about an order or a product? Write to us." },
  es: { whatsapp_number: "+1 555 010 0199", phone: "+1 555 010 0199", hours: "De lunes a viernes, 9:00–18:00\nSábados, 10:00–14:00", intro: "¿Dudas sobre un pedido o un producto? Escríbenos." },
  "pt-BR": { whatsapp_number: "+1 555 010 0199", phone: "+1 555 010 0199", hours: "De segunda a sexta, 9h–18h\nSábados, 10h–14h", intro: "Dúvidas sobre um pedido ou produto? Fale com a gente." },
};

const DEFAULT_SHOP: DemoShop = { name: "Demo store", url: "/demo/storefront" };
const INDEX_PATH = "/demo/storefront";
const demoLocale = (locale: string): DemoLocale => LOCALES.find((l) => l.code.toLowerCase() === locale.toLowerCase())?.code ?? "en";
const productPath = (handle: string, locale: DemoLocale) => `${INDEX_PATH}/products/${encodeURIComponent(handle)}?locale=${encodeURIComponent(locale)}`;

function withLocale(currentUrl: string | undefined, locale: DemoLocale): string {
  if (!currentUrl) return `?locale=${locale}`;
  const url = new URL(currentUrl, "http://demo.invalid");
  url.searchParams.set("locale", locale);
  return `${url.pathname}${url.search}`;
}

// The page's own styles: layout only. Everything Avisa draws is styled by avisa.css.
const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
a{color:inherit}
.skip{position:absolute;left:-10000px}.skip:focus{left:1rem;top:1rem;padding:.5rem 1rem;background:#fff;z-index:1}
.wrap{max-width:72rem;margin:0 auto;padding:0 1.25rem}
header{border-bottom:1px solid #ddd}
header .wrap{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;min-height:4rem}
/* Left to right, each item at its own height: a slow first paint can show half a header, and nothing painted then moves when the rest arrives. */
header form{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;min-height:2.5rem}
header p,header form{margin:0}
.store{font-weight:700;font-size:1.25rem;text-decoration:none}
header nav ul{display:flex;gap:1rem;margin:0;padding:0;list-style:none}
header nav a[aria-current]{font-weight:700;text-decoration:none}
.notice{margin:1rem 0;padding:.75rem 1rem;border:1px solid currentColor;border-radius:4px}
.product{display:grid;gap:2rem;margin:2rem 0}
.product img,.cards img{width:100%;height:auto;aspect-ratio:1;object-fit:cover;border-radius:6px;background:#f2f2f2}
.price{font-size:1.25rem;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1.5rem;margin:2rem 0;padding:0;list-style:none}
.cards h2{font-size:1rem;margin:.5rem 0 0}
footer{margin-top:3rem;padding:1.5rem 0;border-top:1px solid #ddd;font-size:.875rem}
@media (min-width:750px){.product{grid-template-columns:1fr 1fr}}
`;

function page(input: ChromeInput, parts: { title: string; blocks: string[]; head?: string; main: string }): string {
  const locale = demoLocale(input.locale);
  const chrome = CHROME[locale];
  const shop = input.shop ?? DEFAULT_SHOP;
  const assets = blockAssets(parts.blocks);
  const base = (input.assetBaseUrl ?? "").replace(/\/+$/, "");
  const assetTags = [
    ...assets.stylesheets.map((name) => `<link rel="stylesheet" href="${escapeHtml(`${base}/${name}`)}">`),
    ...assets.scripts.map((name) => `<script src="${escapeHtml(`${base}/${name}`)}" defer></script>`),
  ].join("\n");
  const switcher = LOCALES.map(
    ({ code, name }) =>
      `<li><a href="${escapeHtml(withLocale(input.currentUrl, code))}" lang="${code}" hreflang="${code}"${code === locale ? ' aria-current="true"' : ""}>${escapeHtml(name)}</a></li>`,
  ).join("");
  const greeting = input.customer ? `<p>${escapeHtml(chrome.hello.replace("{name}", input.customer.first_name))}</p>` : "";
  const notice = input.notice ? `<p class="notice" role="status">${escapeHtml(input.notice)}</p>` : "";
  const admin = input.appUrl ? ` · <a href="${escapeHtml(`${input.appUrl.replace(/\/+$/, "")}/app`)}">${escapeHtml(chrome.admin)}</a>` : "";

  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<style>${PAGE_CSS}</style>
${assetTags}
${parts.head ?? ""}
</head>
<body>
<a class="skip" href="#main">${escapeHtml(chrome.skip)}</a>
<header>
<div class="wrap">
<a class="store" href="${INDEX_PATH}?locale=${locale}">${escapeHtml(shop.name)}</a>
${greeting}
${accountSwitcher(input, chrome)}
<nav aria-label="${escapeHtml(chrome.language)}"><ul>${switcher}</ul></nav>
</div>
</header>
<main id="main" class="wrap">
${notice}
${parts.main}
</main>
<footer><div class="wrap">${escapeHtml(chrome.demo)} · ${escapeHtml(shop.name)}${admin}</div></footer>
</body>
</html>
`;
}

function accountSwitcher(input: ChromeInput, chrome: Chrome): string {
  if (!input.customers?.length) return "";
  const current = input.customer?.id ?? "";
  const options = [{ id: "", name: chrome.guest }, ...input.customers]
    .map(({ id, name }) => `<option value="${escapeHtml(id)}"${id === current ? " selected" : ""}>${escapeHtml(name)}</option>`)
    .join("");
  return `<form method="post" action="${INDEX_PATH}/account">
<label for="demo-account">${escapeHtml(chrome.signedInAs)}</label>
<select id="demo-account" name="customer_id">${options}</select>
<input type="hidden" name="return_to" value="${escapeHtml(input.currentUrl ?? INDEX_PATH)}">
<button type="submit">${escapeHtml(chrome.switch)}</button>
</form>`;
}

function blockContext(input: ChromeInput, pageType: string, path: string) {
  return {
    shop: { ...(input.shop ?? DEFAULT_SHOP) },
    customer: input.customer ? { id: input.customer.id, first_name: input.customer.first_name, name: input.customer.first_name } : null,
    request: { locale: { iso_code: demoLocale(input.locale) }, page_type: pageType, path },
  };
}

const formatPrice = (price: string | number | undefined) => (price === undefined || price === null ? "" : String(price));

/** A product page: image, title, rating, price, description, then Avisa's reviews and contact blocks. */
export async function renderDemoProductPage(input: DemoProductPageInput): Promise<string> {
  const { product } = input;
  const locale = demoLocale(input.locale);
  const currentUrl = input.currentUrl ?? productPath(product.handle, locale);
  const context = { ...blockContext(input, "product", product.url), product };
  const options = { locale, assetBaseUrl: input.assetBaseUrl };
  const [jsonLd, rating, reviews, contact] = await Promise.all([
    renderExtensionBlock("json-ld", context, options),
    renderExtensionBlock("star-rating", context, options),
    renderExtensionBlock("product-reviews", context, options),
    renderExtensionBlock("contact", { ...context, settings: { ...DEMO_CONTACT[locale], email: input.shop.email ?? "", ...input.contactSettings } }, options),
  ]);
  const image = product.featured_image
    ? `<img src="${escapeHtml(product.featured_image)}" alt="${escapeHtml(product.image_alt ?? product.title)}" width="600" height="600">`
    : "";

  const main = `<div class="product">
<div>${image}</div>
<div>
<h1>${escapeHtml(product.title)}</h1>
${rating}
<p class="price">${escapeHtml(formatPrice(product.price))}</p>
<div class="description">${product.description}</div>
</div>
</div>
${reviews}
${contact}`;

  return page(
    { ...input, currentUrl },
    { title: `${product.title} – ${input.shop.name}`, blocks: ["json-ld", "star-rating", "product-reviews", "contact"], head: jsonLd.trim(), main },
  );
}

/** The demo's product list: cards with the star-rating block (no JavaScript on this page). */
export async function renderDemoStorefrontIndex(input: DemoIndexInput): Promise<string> {
  const locale = demoLocale(input.locale);
  const chrome = CHROME[locale];
  const options = { locale, assetBaseUrl: input.assetBaseUrl };
  const base = blockContext(input, "index", INDEX_PATH);
  const cards = await Promise.all(
    input.products.map(async (product, index) => {
      const rating = await renderExtensionBlock("star-rating", { ...base, product: null, settings: { product }, blockId: `avisa_star_rating_${index + 1}` }, options);
      const image = product.featured_image ? `<img src="${escapeHtml(product.featured_image)}" alt="" width="400" height="400" loading="lazy">` : "";
      return `<li>
<a href="${escapeHtml(productPath(product.handle, locale))}">
${image}
<h2>${escapeHtml(product.title)}</h2>
</a>
${rating}
<p>${escapeHtml(formatPrice(product.price))}</p>
</li>`;
    }),
  );
  return page(
    { ...input, currentUrl: input.currentUrl ?? `${INDEX_PATH}?locale=${locale}` },
    { title: `${chrome.products} – ${input.shop.name}`, blocks: ["star-rating"], main: `<h1>${escapeHtml(chrome.products)}</h1>\n<ul class="cards">\n${cards.join("\n")}\n</ul>` },
  );
}

// Shopify renders an app proxy's `application/liquid` answer as Liquid, in the theme's layout,
// with the store's objects. This engine does the same for the demo, with no file access and no
// partials: the answer can read shop / request / customer and use {% raw %}, nothing more.
let proxyLiquid: Liquid | null = null;
function proxyEngine(): Liquid {
  if (proxyLiquid) return proxyLiquid;
  const engine = new Liquid({ strictFilters: true, ownPropertyOnly: true, templates: {}, renderLimit: 1_000, memoryLimit: 20_000_000 });
  for (const tag of ["include", "render", "layout", "block"]) delete engine.tags[tag];
  proxyLiquid = engine;
  return engine;
}

/** An app-proxy page inside the demo store's layout: the answer's Liquid rendered, then the chrome around it. */
export async function renderDemoStorefrontShell(input: DemoShellInput): Promise<string> {
  const locale = demoLocale(input.locale);
  const shop = input.shop ?? DEFAULT_SHOP;
  const globals = { shop, customer: input.customer ?? null, request: { locale: { iso_code: locale }, page_type: "app", path: input.currentUrl ?? "/" } };
  const body = (await proxyEngine().parseAndRender(input.bodyHtml, {}, { globals })) as string;
  return page({ ...input, locale, shop }, { title: `${input.title} – ${shop.name}`, blocks: [], main: body });
}
