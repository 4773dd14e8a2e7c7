// Seeds the demo shop: the store's catalogue, customers in en / es / pt-BR with different
// consent states, and a few past orders — in the demo store (as Shopify would hold them) and
// in Avisa's own tables (as if Avisa had already been installed for a while). Idempotent.
import type { Clock } from "../../domain/ports";
import { timeZoneOf } from "../../domain/scheduling/time-zones";
import { DEMO_SHOP_DOMAIN } from "../config.server";
import type { Database } from "../db.server";
import { syncReviewMetafields } from "../services/reviews.server";
import { createDemoAdminGraphql } from "./admin-graphql.server";
import { DemoStore } from "./demo-store.server";
import type { DemoAddress, DemoCustomer, DemoProduct, DemoShopInfo, MarketingConsent } from "./demo-store-data";
import { buildOrder } from "./shopify-payloads";

export const DEMO_SHOP_INFO: DemoShopInfo = {
  name: "Casa Aurora",
  email: "hola@casa-aurora.example",
  currencyCode: "USD",
  ianaTimezone: "America/New_York",
  primaryDomain: "casa-aurora.example",
  locales: [
    { locale: "en", primary: true },
    { locale: "es", primary: false },
    { locale: "pt-BR", primary: false },
  ],
};

const CATALOGUE: Array<[handle: string, title: string, price: string, type: string, tags: string, description: string]> = [
  ["ceramic-mug", "Ceramic Mug", "24.00", "Kitchen", "kitchen, handmade, care-guide", "Stoneware mug, glazed by hand. 350 ml."],
  ["linen-tote", "Linen Tote Bag", "38.00", "Bags", "bags, linen", "Washed linen tote with an inside pocket."],
  ["cold-brew-kit", "Cold Brew Kit", "46.00", "Kitchen", "kitchen, coffee, care-guide", "Glass jar, steel filter and a recipe card."],
  ["olive-oil-soap", "Olive Oil Soap", "9.50", "Bath", "bath, vegan", "Cold-process soap with Andalusian olive oil."],
  ["wool-throw", "Wool Throw Blanket", "129.00", "Home", "home, wool, care-guide", "Merino throw, 130 × 170 cm."],
  ["scented-candle", "Scented Candle", "32.00", "Home", "home, candles", "Soy wax, fig and cedar, 45 hours."],
];

const consent = (state: MarketingConsent["state"], at: string | null): MarketingConsent => ({
  state,
  opt_in_level: state === "subscribed" ? "single_opt_in" : null,
  consent_updated_at: at,
});

type CustomerSeed = {
  first: string;
  last: string;
  email: string;
  phone: string | null;
  locale: string;
  address: Omit<DemoAddress, "first_name" | "last_name" | "phone">;
  email_consent: MarketingConsent["state"];
  sms_consent: MarketingConsent["state"] | null;
};

const CUSTOMERS: CustomerSeed[] = [
  { first: "Emily", last: "Carter", email: "emily.carter@example.com", phone: "+13055550142", locale: "en",
    address: { address1: "1200 Brickell Ave", city: "Miami", province: "Florida", province_code: "FL", country: "United States", country_code: "US", zip: "33131" },
    email_consent: "subscribed", sms_consent: "subscribed" },
  { first: "Noah", last: "Bennett", email: "noah.bennett@example.com", phone: "+12035550199", locale: "en",
    address: { address1: "85 Chapel St", city: "New Haven", province: "Connecticut", province_code: "CT", country: "United States", country_code: "US", zip: "06510" },
    email_consent: "not_subscribed", sms_consent: null },
  { first: "Lucía", last: "Hernández", email: "lucia.hernandez@example.com", phone: "+525512345678", locale: "es",
    address: { address1: "Av. Álvaro Obregón 120", city: "Ciudad de México", province: "Ciudad de México", province_code: "CMX", country: "Mexico", country_code: "MX", zip: "06700" },
    email_consent: "subscribed", sms_consent: "subscribed" },
  { first: "Javier", last: "Moreno", email: "javier.moreno@example.com", phone: "+34612345678", locale: "es",
    address: { address1: "Calle de Fuencarral 45", city: "Madrid", province: "Madrid", province_code: "M", country: "Spain", country_code: "ES", zip: "28004" },
    email_consent: "unsubscribed", sms_consent: "unsubscribed" },
  { first: "Ana", last: "Souza", email: "ana.souza@example.com", phone: "+5511987654321", locale: "pt-BR",
    address: { address1: "Rua Augusta 1500", city: "São Paulo", province: "São Paulo", province_code: "SP", country: "Brazil", country_code: "BR", zip: "01304-001" },
    email_consent: "subscribed", sms_consent: "subscribed" },
  { first: "Rafael", last: "Lima", email: "rafael.lima@example.com", phone: "+5521998765432", locale: "pt-BR",
    address: { address1: "Av. Atlântica 2000", city: "Rio de Janeiro", province: "Rio de Janeiro", province_code: "RJ", country: "Brazil", country_code: "BR", zip: "22021-001" },
    email_consent: "subscribed", sms_consent: "not_subscribed" },
];

// Stable, large (> 2^53) IDs like Shopify's, so string handling is exercised everywhere.
const productId = (index: number) => `81${String(index + 1).padStart(14, "0")}7`;
const customerId = (index: number) => `72${String(index + 1).padStart(14, "0")}3`;

export function demoProducts(createdAt: string, appUrl: string): DemoProduct[] {
  return CATALOGUE.map(([handle, title, price, productType, tags, description], index) => {
    const id = productId(index);
    const image = { id: `4${id}`, product_id: id, src: `${appUrl}/demo/products/${handle}.svg`, alt: title };
    return {
      id, title, handle, tags, status: "active", vendor: "Casa Aurora", product_type: productType,
      body_html: `<p>${description}</p>`, created_at: createdAt, updated_at: createdAt,
      variants: [{ id: `9${id}`, product_id: id, title: "Default Title", price, sku: handle.toUpperCase(), inventory_quantity: 40 }],
      images: [image], image,
    };
  });
}

export function demoCustomers(createdAt: string): DemoCustomer[] {
  return CUSTOMERS.map((seed, index) => ({
    id: customerId(index),
    email: seed.email,
    phone: seed.phone,
    first_name: seed.first,
    last_name: seed.last,
    locale: seed.locale,
    tags: "",
    state: "enabled",
    verified_email: true,
    currency: "USD",
    created_at: createdAt,
    updated_at: createdAt,
    default_address: { ...seed.address, first_name: seed.first, last_name: seed.last, phone: seed.phone },
    email_marketing_consent: consent(seed.email_consent, createdAt),
    sms_marketing_consent: seed.sms_consent ? consent(seed.sms_consent, createdAt) : null,
  }));
}

export async function seedDemoStore(database: Database, clock: Clock, appUrl: string): Promise<{ created: boolean }> {
  const existing = await database.shop.findUnique({ where: { domain: DEMO_SHOP_DOMAIN } });
  if (existing) return { created: false };

  const now = clock.now();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const createdAt = daysAgo(60).toISOString();
  const store = new DemoStore(database, DEMO_SHOP_DOMAIN);
  const products = demoProducts(createdAt, appUrl);
  const customers = demoCustomers(createdAt);

  await store.put("shop", "shop", DEMO_SHOP_INFO, daysAgo(60));
  for (const product of products) await store.put("product", product.id, product, daysAgo(60));
  for (const customer of customers) await store.put("customer", customer.id, customer, daysAgo(60));

  const shop = await database.shop.create({
    data: {
      domain: DEMO_SHOP_DOMAIN,
      name: DEMO_SHOP_INFO.name,
      email: DEMO_SHOP_INFO.email,
      currency: DEMO_SHOP_INFO.currencyCode,
      timeZone: DEMO_SHOP_INFO.ianaTimezone,
      primaryLocale: "en",
      installedAt: daysAgo(30),
    },
  });

  const contactIds = new Map<string, string>();
  for (const customer of customers) {
    const contact = await database.contact.create({
      data: {
        shopId: shop.id,
        shopifyCustomerId: customer.id,
        email: customer.email,
        phone: customer.phone,
        firstName: customer.first_name,
        lastName: customer.last_name,
        locale: customer.locale,
        timeZone: timeZoneOf(customer.default_address.country_code, customer.default_address.province_code),
        countryCode: customer.default_address.country_code,
        provinceCode: customer.default_address.province_code,
      },
    });
    contactIds.set(customer.id, contact.id);
    const records = [
      { channel: "email", state: customer.email_marketing_consent.state },
      ...(customer.sms_marketing_consent ? [{ channel: "sms", state: customer.sms_marketing_consent.state }] : []),
    ];
    for (const record of records) {
      await database.consentRecord.create({
        data: {
          shopId: shop.id,
          contactId: contact.id,
          channel: record.channel,
          state: record.state,
          source: "demo_seed",
          evidence: "Consent as held by the demo store's customer record",
          recordedAt: daysAgo(30),
        },
      });
    }
  }

  // Three past orders: Emily (en), Lucía (es) and Ana (pt-BR).
  const pastOrders = [
    { customer: customers[0], items: [products[0], products[3]], placedDaysAgo: 12, number: 1001 },
    { customer: customers[2], items: [products[4]], placedDaysAgo: 6, number: 1002 },
    { customer: customers[4], items: [products[2], products[5]], placedDaysAgo: 2, number: 1003 },
  ];
  for (const past of pastOrders) {
    const placedAt = daysAgo(past.placedDaysAgo);
    const order = buildOrder({
      orderNumber: past.number,
      customer: past.customer,
      products: past.items.map((product) => ({ product, quantity: 1 })),
      placedAt,
      checkoutToken: null,
      shopDomain: DEMO_SHOP_DOMAIN,
    });
    await store.put("order", order.id, order, placedAt);
    await database.order.create({
      data: {
        shopId: shop.id,
        shopifyOrderId: order.id,
        name: order.name,
        contactId: contactIds.get(past.customer.id) ?? null,
        checkoutToken: null,
        totalPrice: order.total_price,
        currency: order.currency,
        financialStatus: order.financial_status,
        fulfillmentStatus: order.fulfillment_status,
        lineItems: JSON.stringify(order.line_items.map((l) => ({ title: l.title, quantity: l.quantity, price: l.price, productId: l.product_id }))),
        placedAt,
        shopifyUpdatedAt: placedAt,
      },
    });
  }
  await seedDemoReviews(database, store, shop, products, clock, daysAgo);
  return { created: true };
}

// Published reviews on two products, so the storefront blocks have something to show at once —
// a 2-star one among them, with the store's reply: low ratings are shown like any other.
const DEMO_REVIEWS = [
  { product: 0, rating: 5, title: "My morning mug now", body: "Holds a big coffee, keeps it warm, and the glaze is even nicer in person.", author: "Sarah Kim", locale: "en", days: 20 },
  { product: 0, rating: 4, title: "Bonita y resistente", body: "La uso todos los días. Le pondría 5 si fuera un poco más grande.", author: "Martina García", locale: "es", days: 16 },
  { product: 0, rating: 5, title: "Amei a caneca", body: "Acabamento lindo e chegou muito bem embalada.", author: "Beatriz Souza", locale: "pt-BR", days: 9 },
  {
    product: 0, rating: 2, title: "Chipped on arrival", body: "The rim had a small chip when it arrived.", author: "Tom Becker", locale: "en", days: 7,
    reply: "We're sorry, Tom: a replacement is on its way, no need to send the chipped one back.",
  },
  { product: 4, rating: 5, title: "Worth every cent", body: "Soft, warm and big enough for two on the sofa.", author: "Priya Nair", locale: "en", days: 11 },
];

async function seedDemoReviews(
  database: Database, store: DemoStore, shop: { id: string }, products: DemoProduct[], clock: Clock, daysAgo: (days: number) => Date,
): Promise<void> {
  for (const review of DEMO_REVIEWS) {
    const product = products[review.product];
    await database.review.create({
      data: {
        shopId: shop.id, shopifyProductId: product.id, productTitle: product.title, productHandle: product.handle,
        rating: review.rating, title: review.title, body: review.body, authorName: review.author, locale: review.locale,
        status: "published", source: "storefront", createdAt: daysAgo(review.days), publishedAt: daysAgo(review.days),
        ...(review.reply ? { replyBody: review.reply, repliedAt: daysAgo(review.days - 1) } : {}),
      },
    });
  }
  const graphql = createDemoAdminGraphql(store, clock);
  for (const index of new Set(DEMO_REVIEWS.map((review) => review.product))) {
    await syncReviewMetafields(database, shop.id, products[index].id, graphql);
  }
}
