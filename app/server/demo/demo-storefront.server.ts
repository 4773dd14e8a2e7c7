// The demo storefront: the demo store's products as a theme would show them, with Avisa's theme
// app extension blocks rendered from its own Liquid (app/server/storefront/). Products and their
// metafields come from the demo store's records, which Avisa writes through the demo Admin API —
// the same path a real store's metafields take — so what a newcomer sees is what a shopper would.
import { config, DEMO_SHOP_DOMAIN } from "../config.server";
import { db } from "../db.server";
import { renderDemoProductPage, renderDemoStorefrontIndex } from "../storefront/demo-storefront-page.server";
import type { DemoMetafield, DemoProduct } from "./demo-store-data";
import { DemoStore } from "./demo-store.server";

const CUSTOMER_COOKIE = "avisa_demo_customer";
const LOCALES = ["en", "es", "pt-BR"] as const;
type StorefrontLocale = (typeof LOCALES)[number];

/** The demo shopper signed in to the storefront (a cookie set by the account switcher), if any. */
export function demoCustomerIdFrom(request: Request): string | null {
  const cookie = request.headers.get("cookie") ?? "";
  const match = cookie.match(new RegExp(`(?:^|;\\s*)${CUSTOMER_COOKIE}=(\\d{1,20})`));
  return match ? match[1] : null;
}

export function demoCustomerCookie(customerId: string | null): string {
  return customerId
    ? `${CUSTOMER_COOKIE}=${customerId}; Path=/; HttpOnly; SameSite=Lax`
    : `${CUSTOMER_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

function storefrontLocale(request: Request): StorefrontLocale {
  const asked = new URL(request.url).searchParams.get("locale");
  return (LOCALES as readonly string[]).includes(asked ?? "") ? (asked as StorefrontLocale) : "en";
}

/** A metafield's value as Liquid sees it (a rating becomes { rating, scale_min, scale_max }). */
function metafieldValue(field: DemoMetafield): unknown {
  if (field.type === "rating") {
    const rating = JSON.parse(field.value) as { value: string; scale_min: string; scale_max: string };
    return { rating: Number(rating.value), scale_min: Number(rating.scale_min), scale_max: Number(rating.scale_max) };
  }
  if (field.type === "json") return JSON.parse(field.value);
  if (field.type === "number_integer") return Number.parseInt(field.value, 10);
  return field.value;
}

/** A product as Shopify's Liquid `product` object presents it, metafields included. */
function liquidProduct(product: DemoProduct, metafields: DemoMetafield[], currency: string, locale: string) {
  const byNamespace: Record<string, Record<string, { value: unknown; type: string }>> = {};
  for (const field of metafields) {
    byNamespace[field.namespace] ??= {};
    byNamespace[field.namespace][field.key] = { value: metafieldValue(field), type: field.type };
  }
  const price = product.variants[0]?.price ?? "0.00";
  return {
    id: product.id,
    title: product.title,
    handle: product.handle,
    url: `/demo/storefront/products/${product.handle}`,
    description: product.body_html,
    featured_image: product.image?.src ?? null,
    price: new Intl.NumberFormat(locale, { style: "currency", currency }).format(Number(price)),
    metafields: byNamespace,
  };
}

export async function demoStorefrontIndex(request: Request): Promise<string> {
  const store = new DemoStore(db(), DEMO_SHOP_DOMAIN);
  const [shop, products, metafields] = await Promise.all([store.get("shop", "shop"), store.list("product"), store.list("metafield")]);
  const locale = storefrontLocale(request);
  return renderDemoStorefrontIndex({
    shop: { name: shop?.name ?? "Demo store", url: "/demo/storefront" },
    products: products.map((product) => liquidProduct(product, metafields.filter((field) => field.owner_id === product.id), shop?.currencyCode ?? "USD", locale)),
    locale,
    assetBaseUrl: "/demo/storefront/assets/",
  });
}

export async function demoStorefrontProductPage(request: Request, handle: string): Promise<string | null> {
  const store = new DemoStore(db(), DEMO_SHOP_DOMAIN);
  const [shop, products, metafields, customers] = await Promise.all([
    store.get("shop", "shop"), store.list("product"), store.list("metafield"), store.list("customer"),
  ]);
  const product = products.find((candidate) => candidate.handle === handle);
  if (!product) return null;
  const locale = storefrontLocale(request);
  const customerId = demoCustomerIdFrom(request);
  const customer = customers.find((candidate) => candidate.id === customerId) ?? null;
  return renderDemoProductPage({
    shop: { name: shop?.name ?? "Demo store", url: "/demo/storefront" },
    product: liquidProduct(product, metafields.filter((field) => field.owner_id === product.id), shop?.currencyCode ?? "USD", locale),
    locale,
    customer: customer ? { id: customer.id, first_name: customer.first_name } : null,
    customers: customers.map((candidate) => ({ id: candidate.id, name: `${candidate.first_name} ${candidate.last_name}` })),
    assetBaseUrl: "/demo/storefront/assets/",
    appUrl: config().shopify.appUrl,
  });
}
