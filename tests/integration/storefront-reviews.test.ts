// Reviews through the storefront, on real SQLite and PostgreSQL: the app-proxy routes are called
// directly with requests signed the way Shopify signs them (tests/helpers/shopify-signing.ts),
// against the seeded demo store and its local Admin GraphQL API (product look-ups, handles,
// metafields). Covers the signature, the review form (validation, honeypot, rate limit, photos,
// verified buyers, the publish rule), the published list (JSON, fragment, themed page, escaping,
// the page cache), moderation and the product metafields, and Judge.me CSV import / export.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JUDGEME_COLUMNS, parseJudgeMeCsv } from "../../app/domain/reviews/judgeme-csv";
import type { AdminGraphql } from "../../app/domain/ports";
import { loader as assetLoader } from "../../app/routes/proxy.assets.$name";
import { loader as photoLoader } from "../../app/routes/proxy.photos.$id";
import { loader as reviewLinkLoader } from "../../app/routes/proxy.review";
import { action as reviewsAction, loader as reviewsLoader } from "../../app/routes/proxy.reviews";
import { action as adminReviewsAction } from "../../app/routes/app.reviews._index";
import { DEMO_SHOP_DOMAIN, resetConfigForTests } from "../../app/server/config.server";
import { createDemoAdminGraphql } from "../../app/server/demo/admin-graphql.server";
import { systemClock } from "../../app/server/demo/demo-clock.server";
import type { DemoProduct } from "../../app/server/demo/demo-store-data";
import { DemoStore } from "../../app/server/demo/demo-store.server";
import { seedDemoStore } from "../../app/server/demo/seed.server";
import { signedLink } from "../../app/server/services/message-context.server";
import { exportReviewsCsv, importReviewsCsv } from "../../app/server/services/review-import.server";
import {
  featureReview,
  moderateReviews,
  replyToReview,
  SYNC_REVIEW_METAFIELDS_JOB,
  syncReviewMetafields,
} from "../../app/server/services/reviews.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { signedAppProxyRequest } from "../helpers/shopify-signing";
import { useDatabase } from "../helpers/use-database";

const APP_URL = "https://avisa.example.com";
const SECRET = "storefront-reviews-test-secret";
const ENV_KEYS = ["SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const;

// The demo store's catalogue (app/server/demo/seed.server.ts: 81 + 14-digit index + 7).
const MUG = "81000000000000017"; // Ceramic Mug, bought by Emily (order #1001)
const TOTE = "81000000000000027"; // Linen Tote Bag
const COLD_BREW = "81000000000000037";
const SOAP = "81000000000000047"; // bought by Emily (order #1001)
const WOOL = "81000000000000057"; // bought by Lucía (order #1002)
const CANDLE = "81000000000000067";
// Products this file adds to the demo store, one per scenario, so counts stay exact.
const NAPKINS = "81000000000000077";
const VASE = "81000000000000087";
const LAMP = "81000000000000097";
const WRAPS = "81000000000000107"; // CSV, by product_id
const APRON = "81000000000000117"; // CSV, by product_handle only
const NOT_IN_STORE = "81999999999999999";

const EMILY = "72000000000000013";
const NOAH = "72000000000000023"; // no orders
const LUCIA = "72000000000000033";
const ANA = "72000000000000053";

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<Response> | Response;

async function call(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await handler({ request, params, context: {} } as ActionFunctionArgs & LoaderFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

// ------------------------------------------------------------------------------ bytes

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
/** A real 1×1 RGBA PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function tinyPng(rgba: [number, number, number, number] = [200, 80, 40, 255]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.from([0, ...rgba]))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

type Photo = { name: string; type: string; bytes: Uint8Array };

function extraProduct(id: string, handle: string, title: string): DemoProduct {
  const createdAt = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const image = { id: `4${id}`, product_id: id, src: `${APP_URL}/demo/products/${handle}.svg`, alt: title };
  return {
    id, title, handle, body_html: `<p>${title}</p>`, vendor: "Casa Aurora", product_type: "Home", tags: "home", status: "active",
    created_at: createdAt, updated_at: createdAt,
    variants: [{ id: `9${id}`, product_id: id, title: "Default Title", price: "20.00", sku: handle.toUpperCase(), inventory_quantity: 10 }],
    images: [image], image,
  };
}

describe.each(databaseKinds())("storefront reviews on %s", (kind) => {
  let test: TestDatabase;
  let shopId: string; // the demo store
  let shopB: string; // another installed shop
  let contacts: Record<string, string>; // Shopify customer id → contact id in the demo shop
  const savedEnv: Record<string, string | undefined> = {};
  let ipCounter = 0;

  const demoGraphql: AdminGraphql = (query, variables) => createDemoAdminGraphql(new DemoStore(test.db, DEMO_SHOP_DOMAIN), systemClock)(query, variables);

  beforeAll(async () => {
    for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
    Object.assign(process.env, { SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: APP_URL });
    resetConfigForTests();

    test = await createTestDatabase(kind);
    useDatabase(test.db);
    await seedDemoStore(test.db, systemClock, APP_URL);
    shopId = (await test.db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } })).id;
    const store = new DemoStore(test.db, DEMO_SHOP_DOMAIN);
    for (const [id, handle, title] of [
      [NAPKINS, "linen-napkins", "Linen Napkins"],
      [VASE, "stoneware-vase", "Stoneware Vase"],
      [LAMP, "reading-lamp", "Reading Lamp"],
      [WRAPS, "beeswax-wraps", "Beeswax Wraps"],
      [APRON, "cotton-apron", "Cotton Apron"],
    ] as const) {
      await store.put("product", id, extraProduct(id, handle, title));
    }
    shopB = (await test.db.shop.create({ data: { domain: "casa-b.myshopify.com", name: "Casa B", primaryLocale: "es" } })).id;
    await test.db.shop.create({ data: { domain: "gone.myshopify.com", name: "Gone", uninstalledAt: new Date() } });
    const rows = await test.db.contact.findMany({ where: { shopId }, select: { id: true, shopifyCustomerId: true } });
    contacts = Object.fromEntries(rows.map((row) => [row.shopifyCustomerId!, row.id]));
  });

  afterAll(async () => {
    await test?.drop();
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    resetConfigForTests();
  });

  // ------------------------------------------------------------------------ requests

  type ProxyOptions = {
    shop?: string;
    loggedInCustomerId?: string;
    timestamp?: number;
    params?: Record<string, string>;
    tamper?: (params: URLSearchParams) => void;
  };

  const signed = (path: string, options: ProxyOptions = {}) =>
    signedAppProxyRequest({
      appUrl: APP_URL, path, secret: SECRET, shop: options.shop ?? DEMO_SHOP_DOMAIN,
      loggedInCustomerId: options.loggedInCustomerId, timestamp: options.timestamp, extraParams: options.params, tamper: options.tamper,
    });

  const nextIp = () => {
    ipCounter += 1;
    return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
  };

  type PostOptions = ProxyOptions & { json?: boolean; ip?: string; photos?: Photo[]; rawBody?: BodyInit; contentType?: string };

  /** The review form as Shopify forwards it: the signed query from the proxy, the shopper's (unsigned) body. */
  function reviewPost(fields: Record<string, string>, options: PostOptions = {}): Request {
    const url = signed("/proxy/reviews", options).url;
    const headers = new Headers({ "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36" });
    if (options.json !== false) headers.set("accept", "application/json");
    headers.set("x-forwarded-for", `${options.ip ?? nextIp()}, 23.227.38.32`);
    let body: BodyInit;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      if (options.contentType) headers.set("content-type", options.contentType);
    } else if (options.photos) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      for (const photo of options.photos) form.append("photos", new Blob([Uint8Array.from(photo.bytes)], { type: photo.type }), photo.name);
      body = form;
    } else {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(fields).toString();
    }
    return new Request(url, { method: "POST", headers, body });
  }

  const form = (overrides: Record<string, string> = {}) => ({
    product_id: MUG,
    rating: "5",
    title: "Keeps coffee warm",
    body: "Heavy, well glazed, and the handle fits two fingers.",
    author_name: "Emily Carter",
    author_email: "emily@example.com",
    ...overrides,
  });

  const post = (fields: Record<string, string>, options: PostOptions = {}) => call(reviewsAction, reviewPost(fields, options));
  const list = (productId: string, params: Record<string, string> = {}, options: ProxyOptions = {}) =>
    call(reviewsLoader, signed("/proxy/reviews", { ...options, params: { product_id: productId, ...params } }));
  const listJson = async (productId: string, params: Record<string, string> = {}) => {
    const response = await list(productId, { ...params, format: "json" });
    expect(response.status).toBe(200);
    return (await response.json()) as ReviewPageJson;
  };
  const photo = (id: string, options: ProxyOptions = {}) => call(photoLoader, signed(`/proxy/photos/${id}`, options), { id });
  const reviewCount = (where: Record<string, unknown> = {}) => test.db.review.count({ where: { shopId, ...where } });
  const reviewToken = (data: { o: string; p: string; c?: string | null; s?: string }, issuedAt = new Date(), days = 60) =>
    signedLink("review", { s: data.s ?? shopId, o: data.o, p: data.p, c: data.c ?? null }, issuedAt, days);

  async function setPublishRule(rule: "manual" | "verified" | "all" | null) {
    const shop = await test.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const settings = JSON.parse(shop.settings) as Record<string, unknown>;
    if (rule === null) delete settings.reviews;
    else settings.reviews = { ...(settings.reviews as object | undefined), autoPublish: rule };
    await test.db.shop.update({ where: { id: shopId }, data: { settings: JSON.stringify(settings) } });
  }

  async function insertReview(data: {
    shopId?: string; productId: string; productTitle?: string; rating: number; title?: string | null; body?: string; author?: string;
    status?: string; createdAt?: Date;
  }) {
    const createdAt = data.createdAt ?? new Date();
    return test.db.review.create({
      data: {
        shopId: data.shopId ?? shopId, shopifyProductId: data.productId, productTitle: data.productTitle ?? null, rating: data.rating,
        title: data.title ?? null, body: data.body ?? "A review.", authorName: data.author ?? "Ana Souza", status: data.status ?? "published",
        createdAt, publishedAt: (data.status ?? "published") === "published" ? createdAt : null,
      },
    });
  }

  async function createOrder(data: { customer: string; productIds: string[]; shopifyOrderId: string; cancelledAt?: Date; financialStatus?: string }) {
    return test.db.order.create({
      data: {
        shopId, shopifyOrderId: data.shopifyOrderId, name: `#${data.shopifyOrderId.slice(-4)}`, contactId: contacts[data.customer],
        totalPrice: "38.00", currency: "USD", financialStatus: data.financialStatus ?? "paid", placedAt: new Date(Date.now() - 5 * 86_400_000),
        cancelledAt: data.cancelledAt ?? null, lineItems: JSON.stringify(data.productIds.map((productId) => ({ title: "Item", quantity: 1, price: "38.00", productId }))),
      },
    });
  }

  const metafieldsOf = async (productId: string) => {
    const response = await demoGraphql<{ product: Record<"rating" | "count" | "snapshot", { value: string; type: string } | null> }>(
      `query ($id: ID!) { product(id: $id) {
        rating: metafield(namespace: "reviews", key: "rating") { value type }
        count: metafield(namespace: "reviews", key: "rating_count") { value type }
        snapshot: metafield(namespace: "avisa", key: "reviews") { value type }
      } }`,
      { id: `gid://shopify/Product/${productId}` },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.product;
  };

  const syncJobs = (productId: string) =>
    test.db.job.findMany({ where: { shopId, kind: SYNC_REVIEW_METAFIELDS_JOB } }).then((jobs) => jobs.filter((job) => JSON.parse(job.payload).productId === productId));

  // ------------------------------------------------------------------------ 1. signature

  describe("the app-proxy signature", () => {
    it("refuses a POST without a signature with 401 and stores nothing", async () => {
      const before = await reviewCount();
      const response = await post(form(), { tamper: (params) => params.delete("signature") });
      expect(response.status).toBe(401);
      expect((await response.json()).error).toMatch(/signature is missing, wrong, or more than 90 seconds old/);
      expect(await reviewCount()).toBe(before);
    });

    it("refuses a query changed after signing (another product, a forged login) and a 10-minute-old timestamp", async () => {
      const tampered = await list(MUG, { format: "json" }, { tamper: (params) => params.set("product_id", TOTE) });
      expect(tampered.status).toBe(401);

      const before = await reviewCount();
      const forgedLogin = await post(form(), { tamper: (params) => params.set("logged_in_customer_id", EMILY) });
      expect(forgedLogin.status).toBe(401);
      expect(await reviewCount()).toBe(before);

      const stale = await list(MUG, { format: "json" }, { timestamp: Math.floor(Date.now() / 1000) - 600 });
      expect(stale.status).toBe(401);
      const staleAsset = await call(assetLoader, signed("/proxy/assets/avisa.css", { timestamp: Math.floor(Date.now() / 1000) - 600 }), { name: "avisa.css" });
      expect(staleAsset.status).toBe(401);

      const unsignedPhoto = await call(photoLoader, new Request(`${APP_URL}/proxy/photos/anything?shop=${DEMO_SHOP_DOMAIN}`), { id: "anything" });
      expect(unsignedPhoto.status).toBe(401);
    });

    it("answers a correctly signed request", async () => {
      const response = await list(MUG, { format: "json" });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ product_id: MUG, page: 1 });

      const css = await call(assetLoader, signed("/proxy/assets/avisa.css"), { name: "avisa.css" });
      expect(css.status).toBe(200);
      expect(css.headers.get("content-type")).toMatch(/^text\/css/);
      expect((await call(assetLoader, signed("/proxy/assets/..%2Fsecret.css"), { name: "../secret.css" })).status).toBe(404);
    });

    it("answers 404 for a shop that uninstalled Avisa (or never installed it)", async () => {
      const before = await test.db.review.count();
      const uninstalled = await list(MUG, { format: "json" }, { shop: "gone.myshopify.com" });
      expect(uninstalled.status).toBe(404);
      expect((await uninstalled.json()).ok).toBe(false);
      const posted = await post(form(), { shop: "gone.myshopify.com" });
      expect(posted.status).toBe(404);
      expect((await list(MUG, { format: "json" }, { shop: "nobody.myshopify.com" })).status).toBe(404);
      expect(await test.db.review.count()).toBe(before);
    });
  });

  // ------------------------------------------------------------------------ 2. the form

  describe("posting a review", () => {
    it("accepts a valid urlencoded review with 201 JSON and stores it as the form said", async () => {
      const response = await post(form({ rating: "4", author_email: " Emily.Carter@Example.com " }), { ip: "192.0.2.44" });
      expect(response.status).toBe(201);
      const answer = await response.json();
      expect(answer).toMatchObject({ ok: true, status: "pending", verified: false });
      expect(answer.message).toMatch(/will appear once the store has checked it/);
      const [stored] = await test.db.review.findMany({ where: { shopId, shopifyProductId: MUG, authorEmail: "emily.carter@example.com" } });
      expect(stored).toMatchObject({
        rating: 4, title: "Keeps coffee warm", authorName: "Emily Carter", status: "pending", verifiedBuyer: false, source: "storefront",
        productTitle: "Ceramic Mug", productHandle: "ceramic-mug", shopifyOrderId: null, publishedAt: null,
      });
      expect(stored.clientKey).toMatch(/^[\w-]{16,}$/); // a keyed hash of the address, never the address
      expect(stored.clientKey).not.toContain("192.0.2.44");
    });

    it("answers a browser without JavaScript with an application/liquid page that escapes what the shopper sent", async () => {
      const hostileReturn = `/products/ceramic-mug?x="><script>alert(1)</script>{{shop.name}}{%assign`;
      const response = await post(form({ return_to: hostileReturn }), { json: false });
      expect(response.status).toBe(201);
      expect(response.headers.get("content-type")).toMatch(/^application\/liquid/);
      const page = await response.text();
      expect(page).toContain("will appear once the store has checked it");
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toContain("{{");
      expect(page).not.toContain("{%");
      expect(page).toContain('href="/products/ceramic-mug?x=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123;shop.name&#125;&#125;&#123;%assign"');

      const offsite = await (await post(form({ return_to: "//evil.example/phish" }), { json: false })).text();
      expect(offsite).toContain('href="/"');
      expect(offsite).not.toContain("evil.example");

      const invalid = await post(form({ rating: "0", body: "<b>{{ shop.name }}</b>", title: "x".repeat(151) }), { json: false });
      expect(invalid.status).toBe(400);
      expect(invalid.headers.get("content-type")).toMatch(/^application\/liquid/);
      const invalidPage = await invalid.text();
      expect(invalidPage).toContain("Choose a rating from 1 to 5 stars.");
      expect(invalidPage).not.toContain("{{");
      expect(invalidPage).not.toContain("<b>");
    });

    it("refuses invalid fields with 400, an error per field, and stores nothing", async () => {
      const before = await reviewCount();
      const cases: Array<[Record<string, string>, string]> = [
        [{ rating: "0" }, "rating"],
        [{ rating: "6" }, "rating"],
        [{ rating: "5.5" }, "rating"],
        [{ body: "   \n " }, "body"],
        [{ author_email: "emily@@example" }, "author_email"],
        [{ author_email: "not an email" }, "author_email"],
        [{ body: "é".repeat(5001) }, "body"],
        [{ author_name: "" }, "author_name"],
      ];
      for (const [overrides, field] of cases) {
        const response = await post(form(overrides));
        expect(response.status, JSON.stringify(overrides).slice(0, 60)).toBe(400);
        const answer = await response.json();
        expect(answer.ok).toBe(false);
        expect(Object.keys(answer.errors)).toEqual([field]);
        expect(typeof answer.errors[field]).toBe("string");
      }
      // Several problems at once: each field says what to fix.
      const many = await (await post(form({ rating: "9", body: "", author_email: "x@" }))).json();
      expect(Object.keys(many.errors).sort()).toEqual(["author_email", "body", "rating"]);
      // A body of exactly 5,000 characters is fine (counted in code points: 😀 is one).
      expect((await post(form({ product_id: MUG, body: "😀".repeat(5000) }))).status).toBe(201);
      expect(await reviewCount()).toBe(before + 1);
    });

    it("thanks a bot that fills the honeypot and stores nothing", async () => {
      const before = await reviewCount();
      const response = await post(form({ website: "https://spam.example", author_name: "Honey Pot" }));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true });
      expect(await reviewCount()).toBe(before);
      expect(await reviewCount({ authorName: "Honey Pot" })).toBe(0);
    });

    it("limits one address to 5 reviews an hour (429 with Retry-After); another address is still accepted", async () => {
      const ip = "198.51.100.7";
      for (let i = 1; i <= 5; i++) {
        const response = await post(form({ product_id: SOAP, body: `Review number ${i}` }), { ip });
        expect(response.status, `post ${i}`).toBe(201);
      }
      const sixth = await post(form({ product_id: SOAP, body: "Review number 6" }), { ip });
      expect(sixth.status).toBe(429);
      expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(sixth.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
      expect(await sixth.json()).toMatchObject({ ok: false });
      expect(await reviewCount({ shopifyProductId: SOAP, body: "Review number 6" })).toBe(0);

      expect((await post(form({ product_id: SOAP, body: "From next door" }), { ip: "198.51.100.8" })).status).toBe(201);
      expect(await reviewCount({ shopifyProductId: SOAP })).toBe(6);
    });

    it("answers 404 for a product that is not in the store and stores nothing", async () => {
      const before = await reviewCount();
      const response = await post(form({ product_id: NOT_IN_STORE }));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ ok: false, message: expect.stringMatching(/not in the store/) });
      expect(await reviewCount()).toBe(before);
    });

    it("serves the review-request link's form with the product and the token, escaped", async () => {
      const token = reviewToken({ o: "5500000000000000077", p: MUG });
      const response = await call(reviewLinkLoader, signed("/proxy/review", { params: { product: MUG, token } }));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/liquid/);
      const page = await response.text();
      expect(page).toContain("<h1>Ceramic Mug</h1>");
      expect(page).toContain(`name="product_id" value="${MUG}"`);
      expect(page).toContain(`name="token" value="${token}"`);

      const hostile = await (await call(reviewLinkLoader, signed("/proxy/review", { params: { product: MUG, token: '"><script>alert(1)</script>{{ shop.name }}' } }))).text();
      expect(hostile).not.toContain("<script>alert");
      expect(hostile.replace(/\{% raw %\}[\s\S]*?\{% endraw %\}/g, "")).not.toMatch(/\{\{|\{%/);
    });
  });

  // ------------------------------------------------------------------------ 3. photos

  describe("photos", () => {
    it("stores a real PNG under the type its bytes prove, and serves it only once the review is published", async () => {
      const png = tinyPng();
      const response = await post(form({ product_id: WOOL, body: "Soft and warm." }), { photos: [{ name: "throw.png", type: "text/html", bytes: png }] });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ ok: true, status: "pending" });
      const review = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyProductId: WOOL, body: "Soft and warm." }, include: { photos: true } });
      expect(review.photos).toHaveLength(1);
      expect(review.photos[0]).toMatchObject({ contentType: "image/png", position: 0, url: null });
      expect(Buffer.from(review.photos[0].bytes!).equals(png)).toBe(true);

      expect((await photo(review.photos[0].id)).status).toBe(404);

      expect(await moderateReviews(test.db, { shopId, ids: [review.id], action: "publish", clock: systemClock })).toEqual({ ok: true, changed: 1 });
      const served = await photo(review.photos[0].id);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/png");
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

      // Another shop cannot reach it through its own proxy.
      expect((await photo(review.photos[0].id, { shop: "casa-b.myshopify.com" })).status).toBe(404);
      expect((await photo("no-such-photo")).status).toBe(404);
    });

    it("refuses HTML posing as a PNG, a fourth photo, and an oversized photo with 400; nothing is stored", async () => {
      const before = await test.db.reviewPhoto.count();
      const reviewsBefore = await reviewCount();
      const html = new TextEncoder().encode("<!doctype html><html><script>alert(document.cookie)</script></html>");
      const fake = await post(form({ product_id: WOOL }), { photos: [{ name: "photo.png", type: "image/png", bytes: html }] });
      expect(fake.status).toBe(400);
      expect(Object.keys((await fake.json()).errors)).toEqual(["photos"]);

      const four = await post(form({ product_id: WOOL }), { photos: [1, 2, 3, 4].map((n) => ({ name: `p${n}.png`, type: "image/png", bytes: tinyPng([n, n, n, 255]) })) });
      expect(four.status).toBe(400);
      expect((await four.json()).errors.photos).toMatch(/up to 3 photos/);

      const big = Buffer.concat([tinyPng(), Buffer.alloc(2 * 1024 * 1024 + 1)]);
      const tooLarge = await post(form({ product_id: WOOL }), { photos: [{ name: "big.png", type: "image/png", bytes: big }] });
      expect(tooLarge.status).toBe(400);
      expect((await tooLarge.json()).errors.photos).toMatch(/2 MB/);

      expect(await test.db.reviewPhoto.count()).toBe(before);
      expect(await reviewCount()).toBe(reviewsBefore);
    });

    it("refuses a body over the size limit with 413 before reading it", async () => {
      const before = await reviewCount();
      const huge = new Uint8Array(7 * 1024 * 1024 + 1024);
      huge.set(tinyPng());
      const response = await post(form({ product_id: WOOL }), { photos: [{ name: "huge.png", type: "image/png", bytes: huge }] });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ ok: false });
      expect(await reviewCount()).toBe(before);
    });
  });

  // ------------------------------------------------------------------------ 4. verified buyers

  describe("verified buyers", () => {
    it("a valid review-request token for this product makes a verified review linked to the order; the same token again is a 409", async () => {
      const orderId = "5500000000000000001";
      const token = reviewToken({ o: orderId, p: MUG, c: contacts[EMILY] });
      const response = await post(form({ token, author_email: "emily.carter@example.com" }));
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ ok: true, verified: true, status: "published" });
      const stored = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyOrderId: orderId } });
      expect(stored).toMatchObject({ shopifyProductId: MUG, verifiedBuyer: true, source: "review_request", contactId: contacts[EMILY], status: "published" });

      const before = await reviewCount();
      const again = await post(form({ token, body: "Second try." }));
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ ok: false });
      expect(await reviewCount()).toBe(before);
      expect(await reviewCount({ shopifyOrderId: orderId })).toBe(1);
    });

    it("a token for another product is accepted but not verified", async () => {
      const token = reviewToken({ o: "5500000000000000002", p: TOTE });
      const response = await post(form({ token, body: "Reviewing the mug with the tote's link." }));
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ ok: true, verified: false, status: "pending" });
      const stored = await test.db.review.findFirstOrThrow({ where: { shopId, body: "Reviewing the mug with the tote's link." } });
      expect(stored).toMatchObject({ verifiedBuyer: false, shopifyOrderId: null, source: "storefront" });
    });

    // A link that verifies nothing is not called expired: the answer says the purchase was not confirmed.
    it("a valid token for another product is not told its link expired", async () => {
      const token = reviewToken({ o: "5500000000000000006", p: TOTE });
      const answer = await (await post(form({ token, body: "Right link, wrong product." }))).json();
      expect(answer).toMatchObject({ ok: true, verified: false });
      expect(answer.message).not.toMatch(/expired/);
      expect(answer.message).toMatch(/could not confirm the purchase/);
    });

    it("an expired token is accepted, not verified, and the answer says why", async () => {
      const token = reviewToken({ o: "5500000000000000003", p: MUG }, new Date(Date.now() - 120 * 86_400_000), 60);
      const response = await post(form({ token, body: "Late but honest." }));
      expect(response.status).toBe(201);
      const answer = await response.json();
      expect(answer).toMatchObject({ ok: true, verified: false, status: "pending" });
      expect(answer.message).toMatch(/expired/);
      expect(await test.db.review.findFirstOrThrow({ where: { shopId, body: "Late but honest." } })).toMatchObject({ verifiedBuyer: false, shopifyOrderId: null });

      const forged = `${reviewToken({ o: "5500000000000000004", p: MUG }).slice(0, -4)}AAAA`;
      const forgedAnswer = await (await post(form({ token: forged, body: "Forged link." }))).json();
      expect(forgedAnswer).toMatchObject({ ok: true, verified: false });
    });

    it("a token for an order cancelled since the request no longer verifies", async () => {
      await createOrder({ customer: EMILY, productIds: [MUG], shopifyOrderId: "5500000000000000005", cancelledAt: new Date() });
      const token = reviewToken({ o: "5500000000000000005", p: MUG, c: contacts[EMILY] });
      const answer = await (await post(form({ token, body: "Cancelled it after all." }))).json();
      expect(answer).toMatchObject({ ok: true, verified: false });
      expect(await test.db.review.findFirstOrThrow({ where: { shopId, body: "Cancelled it after all." } })).toMatchObject({ verifiedBuyer: false, shopifyOrderId: null });
    });

    it("a logged-in customer who bought the product is verified; one who did not is not", async () => {
      const seeded = (await test.db.order.findMany({ where: { shopId, contactId: contacts[EMILY], cancelledAt: null } }))
        .find((order) => (JSON.parse(order.lineItems) as { productId: string }[]).some((item) => item.productId === SOAP))!;
      expect(seeded).toBeDefined();
      const bought = await post(form({ product_id: SOAP, body: "Lathers well." }), { loggedInCustomerId: EMILY });
      expect(bought.status).toBe(201);
      expect(await bought.json()).toMatchObject({ verified: true, status: "published" });
      expect(await test.db.review.findFirstOrThrow({ where: { shopId, body: "Lathers well." } })).toMatchObject({
        verifiedBuyer: true, shopifyOrderId: seeded.shopifyOrderId, contactId: contacts[EMILY], source: "storefront",
      });

      const never = await post(form({ body: "Saw it at a friend's." }), { loggedInCustomerId: NOAH });
      expect(never.status).toBe(201);
      expect(await never.json()).toMatchObject({ verified: false, status: "pending" });
      expect(await test.db.review.findFirstOrThrow({ where: { shopId, body: "Saw it at a friend's." } })).toMatchObject({ verifiedBuyer: false, shopifyOrderId: null });

      // A customer id that is not one of the shop's contacts proves nothing either.
      expect(await (await post(form({ body: "Who am I?" }), { loggedInCustomerId: "72999999999999993" })).json()).toMatchObject({ verified: false });
    });

    it("a logged-in customer whose only order of the product was cancelled or refunded is not verified", async () => {
      await createOrder({ customer: LUCIA, productIds: [TOTE], shopifyOrderId: "5500000000000000011", cancelledAt: new Date() });
      const cancelled = await post(form({ product_id: TOTE, body: "Cancelled order." }), { loggedInCustomerId: LUCIA });
      expect(cancelled.status).toBe(201);
      expect(await cancelled.json()).toMatchObject({ verified: false, status: "pending" });

      await createOrder({ customer: ANA, productIds: [TOTE], shopifyOrderId: "5500000000000000012", financialStatus: "refunded" });
      expect(await (await post(form({ product_id: TOTE, body: "Refunded order." }), { loggedInCustomerId: ANA })).json()).toMatchObject({ verified: false });

      // Lucía did buy the wool throw (seeded order #1002): that one is verified.
      expect(await (await post(form({ product_id: WOOL, body: "Warm!" }), { loggedInCustomerId: LUCIA })).json()).toMatchObject({ verified: true });
      expect(await test.db.review.count({ where: { shopId, shopifyProductId: TOTE, verifiedBuyer: true } })).toBe(0);
    });
  });

  // ------------------------------------------------------------------------ 5. publish rule

  describe("the publish rule", () => {
    afterAll(() => setPublishRule(null));

    it.each([
      ["manual", { verified: "pending", unverified: "pending" }],
      ["verified", { verified: "published", unverified: "pending" }],
      ["all", { verified: "published", unverified: "published" }],
    ] as const)("%s: decides by verification only, never by the rating", async (rule, expected) => {
      await setPublishRule(rule);
      const statuses: Record<string, string> = {};
      for (const verified of [true, false]) {
        for (const rating of ["1", "5"]) {
          const token = verified ? reviewToken({ o: `56000000000000${rule.length}${rating}`, p: COLD_BREW }) : "";
          const body = `${rule} ${verified ? "verified" : "unverified"} ${rating}-star`;
          const response = await post(form({ product_id: COLD_BREW, rating, body, token }));
          expect(response.status).toBe(201);
          const answer = await response.json();
          expect(answer.verified).toBe(verified);
          const stored = await test.db.review.findFirstOrThrow({ where: { shopId, body } });
          expect(stored.status).toBe(answer.status);
          expect(stored.publishedAt !== null).toBe(answer.status === "published");
          statuses[`${verified ? "verified" : "unverified"}-${rating}`] = answer.status;
        }
      }
      expect(statuses).toEqual({
        "verified-1": expected.verified, "verified-5": expected.verified,
        "unverified-1": expected.unverified, "unverified-5": expected.unverified,
      });
    });
  });

  // ------------------------------------------------------------------------ 6. reading

  type ReviewPageJson = {
    product_id: string; average: number; count: number; page: number; page_size: number; pages: number; sort: string; jsonld: string;
    distribution: { stars: number; count: number; percent: number }[];
    reviews: { id: string; rating: number; title: string | null; body: string; author: string; verified: boolean; featured: boolean; reply: { body: string } | null }[];
  };

  describe("reading the published reviews", () => {
    const DAY = 86_400_000;
    // R1 newest … R7 oldest.
    const ratings = [5, 4, 4, 3, 1, 5, 2];

    beforeAll(async () => {
      const now = Date.now();
      for (const [index, rating] of ratings.entries()) {
        await insertReview({ productId: NAPKINS, productTitle: "Linen Napkins", rating, title: `R${index + 1}`, author: `Reviewer ${String.fromCharCode(65 + index)}`, createdAt: new Date(now - (index + 1) * DAY) });
      }
      // Not published: never counted, never shown.
      await insertReview({ productId: NAPKINS, productTitle: "Linen Napkins", rating: 1, title: "P1", status: "pending", createdAt: new Date(now) });
      await insertReview({ productId: NAPKINS, productTitle: "Linen Napkins", rating: 1, title: "P2", status: "pending", createdAt: new Date(now - 3.5 * DAY) });
      await insertReview({ productId: NAPKINS, productTitle: "Linen Napkins", rating: 1, title: "X1", status: "rejected", createdAt: new Date(now - 0.5 * DAY) });
      // Another shop's review of the same product id.
      await insertReview({ shopId: shopB, productId: NAPKINS, rating: 1, title: "B1", createdAt: new Date("2026-01-10T08:00:00Z") });
    });

    it("JSON: average, count, distribution and pages from published reviews only", async () => {
      const page = await listJson(NAPKINS);
      expect(page).toMatchObject({ product_id: NAPKINS, count: 7, average: 3.4, page: 1, page_size: 5, pages: 2, sort: "newest" });
      expect(page.distribution).toEqual([
        { stars: 5, count: 2, percent: 29 },
        { stars: 4, count: 2, percent: 29 },
        { stars: 3, count: 1, percent: 14 },
        { stars: 2, count: 1, percent: 14 },
        { stars: 1, count: 1, percent: 14 },
      ]);
      expect(page.reviews.map((review) => review.title)).toEqual(["R1", "R2", "R3", "R4", "R5"]);
      expect(page.reviews[0].author).toBe("Reviewer A."); // "Reviewer A" shown as first name + initial
    });

    it("pages: page 2 of 7 holds the last 2; a page past the end shows the last page", async () => {
      const second = await listJson(NAPKINS, { page: "2" });
      expect(second.page).toBe(2);
      expect(second.reviews.map((review) => review.title)).toEqual(["R6", "R7"]);
      expect((await listJson(NAPKINS, { page: "99" })).reviews.map((review) => review.title)).toEqual(["R6", "R7"]);
    });

    it("sort=lowest puts the lowest ratings first (newest first within a rating)", async () => {
      const lowest = await listJson(NAPKINS, { sort: "lowest" });
      expect(lowest.sort).toBe("lowest");
      expect(lowest.reviews.map((review) => [review.title, review.rating])).toEqual([["R5", 1], ["R7", 2], ["R4", 3], ["R2", 4], ["R3", 4]]);
      const rest = await listJson(NAPKINS, { sort: "lowest", page: "2" });
      expect(rest.reviews.map((review) => review.title)).toEqual(["R1", "R6"]);
    });

    it("format=fragment returns the list's HTML with pagination links", async () => {
      const response = await list(NAPKINS, { format: "fragment", page: "2" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toMatch(/^<div class="avisa-list" id="avisa-reviews"/);
      expect(html).toContain(">R6</h3>");
      expect(html).toContain(">R7</h3>");
      expect(html).not.toContain(">R1</h3>");
      expect(html).not.toContain(">P2</h3>");
      expect(html).toContain(`href="/apps/avisa/reviews?product_id=${NAPKINS}&amp;locale=en&amp;page=1"`);
      expect(html).toMatch(/data-avisa-page aria-current="page"><span class="avisa-vh">Page <\/span>2</);
    });

    it("without a format, a themed application/liquid page with the summary and the list", async () => {
      const response = await list(NAPKINS);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/liquid/);
      const page = await response.text();
      expect(page).toContain("Based on 7 reviews");
      expect(page).toContain(">R1</h3>");
      expect(page).toContain('<div class="avisa-list" id="avisa-reviews"');
      expect(page).not.toContain(">P1</h3>");
      expect(page).not.toContain(">X1</h3>");
    });

    it("never lets a shopper's text act as HTML or Liquid: fragment, themed page and JSON-LD", async () => {
      await setPublishRule("all");
      const hostile = [
        { title: "<script>alert(1)</script>", body: `"><img src=x onerror=alert(1)>`, author_name: "<script>alert(1)</script>" },
        { title: "{{ shop.name }}", body: "{% assign x = 1 %}{{ x }}", author_name: "{{shop.name}}" },
        { title: `"><img src=x onerror=alert(1)>`, body: "<script>alert(1)</script>\n{{ shop.name }}", author_name: `{%raw%}Eve "Mallory"` },
      ];
      try {
        for (const fields of hostile) {
          const response = await post(form({ product_id: VASE, ...fields }));
          expect(response.status).toBe(201);
          expect((await response.json()).status).toBe("published");
        }
      } finally {
        await setPublishRule(null);
      }
      const [first] = await test.db.review.findMany({ where: { shopId, shopifyProductId: VASE }, orderBy: { createdAt: "asc" } });
      await replyToReview(test.db, { shopId, id: first.id, body: "</p><script>alert(2)</script>{{ shop.email }}", clock: systemClock });

      const unsafe = [/<script/i, /<img/i, /<\/p><script/i];
      const fragment = await (await list(VASE, { format: "fragment" })).text();
      const themed = await (await list(VASE)).text();
      for (const html of [fragment, themed]) {
        for (const pattern of unsafe) expect(html).not.toMatch(pattern);
        expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        expect(html).toContain("&#123;&#123; shop.name &#125;&#125;");
        expect(html).toContain("&#123;% assign x = 1 %&#125;");
        expect(html).toContain("&lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;&#123;&#123; shop.email &#125;&#125;");
      }
      expect(fragment).not.toMatch(/\{\{|\{%/);
      // The themed page's only Liquid is the {% raw %} around the stylesheet.
      const outsideRaw = themed.replace(/^\{% raw %\}<style>[\s\S]*?<\/style>\{% endraw %\}/, "");
      expect(outsideRaw).not.toBe(themed);
      expect(outsideRaw).not.toMatch(/\{\{|\{%/);

      const page = await listJson(VASE);
      expect(page.count).toBe(3);
      expect(page.jsonld).not.toBe("");
      expect(page.jsonld).not.toMatch(/[<>]/);
      const jsonld = JSON.parse(page.jsonld) as { name: string; review: { name?: string; reviewBody: string; author: { name: string } }[] };
      expect(jsonld.name).toBe("Stoneware Vase");
      expect(jsonld.review.map((review) => review.name).sort()).toEqual([`"><img src=x onerror=alert(1)>`, "<script>alert(1)</script>", "{{ shop.name }}"].sort());
      expect(jsonld.review.map((review) => review.reviewBody)).toContain(`"><img src=x onerror=alert(1)>`);
    });

    it("a review published by moderation shows up at once (the page cache is invalidated)", async () => {
      await insertReview({ productId: LAMP, productTitle: "Reading Lamp", rating: 5, title: "First" });
      expect((await listJson(LAMP)).count).toBe(1);
      // Written behind the services' back: the cached page (a minute) does not know yet.
      await insertReview({ productId: LAMP, productTitle: "Reading Lamp", rating: 3, title: "Sneaked in" });
      expect((await listJson(LAMP)).count).toBe(1);

      const response = await post(form({ product_id: LAMP, rating: "1", title: "Too dim", body: "Too dim to read by." }));
      expect(await response.json()).toMatchObject({ status: "pending" });
      expect((await listJson(LAMP)).count).toBe(1);
      const pending = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyProductId: LAMP, status: "pending" } });
      expect(await moderateReviews(test.db, { shopId, ids: [pending.id], action: "publish", clock: systemClock })).toEqual({ ok: true, changed: 1 });
      const after = await listJson(LAMP);
      expect(after.count).toBe(3);
      expect(after.reviews.map((review) => review.title)).toContain("Too dim");
      expect(after.average).toBe(3);
    });
  });

  // ------------------------------------------------------------------------ 7. moderation + metafields

  describe("moderation and the product metafields", () => {
    it("publishing queues a metafield sync; the sync writes reviews.rating, reviews.rating_count and avisa.reviews", async () => {
      const response = await post(form({ product_id: CANDLE, rating: "4", title: "Smells like a forest", body: "Burns evenly for hours.", author_name: "Noah Bennett" }));
      expect(await response.json()).toMatchObject({ status: "pending" });
      const review = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyProductId: CANDLE } });
      expect(await syncJobs(CANDLE)).toHaveLength(0); // pending changes nothing on the storefront

      expect(await moderateReviews(test.db, { shopId, ids: [review.id], action: "publish", clock: systemClock })).toEqual({ ok: true, changed: 1 });
      const jobs = await syncJobs(CANDLE);
      expect(jobs.length).toBeGreaterThanOrEqual(1);
      expect(jobs[0]).toMatchObject({ status: "queued", shopId });
      expect(await test.db.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({ status: "published", publishedAt: expect.any(Date) });

      expect(await syncReviewMetafields(test.db, shopId, CANDLE, demoGraphql)).toEqual({ count: 1 });
      const fields = await metafieldsOf(CANDLE);
      expect(fields.rating?.type).toBe("rating");
      expect(JSON.parse(fields.rating!.value)).toEqual({ value: "4.0", scale_min: "1.0", scale_max: "5.0" });
      expect(fields.count).toEqual({ type: "number_integer", value: "1" });
      expect(fields.snapshot?.type).toBe("json");
      const snapshot = JSON.parse(fields.snapshot!.value) as ReviewPageJson;
      expect(snapshot).toMatchObject({ product_id: CANDLE, count: 1, average: 4, page: 1, pages: 1, sort: "newest" });
      expect(snapshot.reviews).toMatchObject([{ id: review.id, rating: 4, title: "Smells like a forest", author: "Noah B.", verified: false, featured: false, reply: null }]);
      expect(JSON.parse(snapshot.jsonld)).toMatchObject({ name: "Scented Candle", aggregateRating: { ratingValue: 4, reviewCount: 1 } });
    });

    it("a reply and featuring show up in the snapshot after the next sync", async () => {
      const review = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyProductId: CANDLE } });
      const clearJobs = () => test.db.job.deleteMany({ where: { shopId, kind: SYNC_REVIEW_METAFIELDS_JOB } });
      await clearJobs();
      expect(await replyToReview(test.db, { shopId, id: review.id, body: "Thank you, Noah!", clock: systemClock })).toEqual({ ok: true, changed: 1 });
      expect(await syncJobs(CANDLE)).toHaveLength(1);
      await clearJobs();
      expect(await featureReview(test.db, { shopId, id: review.id, featured: true, clock: systemClock })).toEqual({ ok: true, changed: 1 });
      expect(await syncJobs(CANDLE)).toHaveLength(1);

      await syncReviewMetafields(test.db, shopId, CANDLE, demoGraphql);
      const snapshot = JSON.parse((await metafieldsOf(CANDLE)).snapshot!.value) as ReviewPageJson;
      expect(snapshot.reviews[0]).toMatchObject({ id: review.id, featured: true, reply: { body: "Thank you, Noah!" } });
      // The storefront list agrees.
      const page = await listJson(CANDLE);
      expect(page.reviews[0]).toMatchObject({ featured: true, reply: { body: "Thank you, Noah!" } });
    });

    it("rejecting the only published review removes the rating and sets the count to 0", async () => {
      const review = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyProductId: CANDLE } });
      expect(await moderateReviews(test.db, { shopId, ids: [review.id], action: "reject", clock: systemClock })).toEqual({ ok: true, changed: 1 });
      expect(await syncReviewMetafields(test.db, shopId, CANDLE, demoGraphql)).toEqual({ count: 0 });
      const fields = await metafieldsOf(CANDLE);
      expect(fields.rating).toBeNull();
      expect(fields.count).toEqual({ type: "number_integer", value: "0" });
      expect(JSON.parse(fields.snapshot!.value)).toMatchObject({ count: 0, reviews: [], jsonld: "" });
      expect((await listJson(CANDLE)).count).toBe(0);
      // Rejecting it again is refused, with the reason.
      const again = await moderateReviews(test.db, { shopId, ids: [review.id], action: "reject", clock: systemClock });
      expect(again).toMatchObject({ ok: false, status: 400, code: "not_allowed", params: { from: "rejected", to: "rejected" } });
    });

    it("the Reviews page words refusals by key: a review already where it was sent, a product handle the store does not have", async () => {
      const review = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyProductId: CANDLE } });
      const post = async (body: URLSearchParams | FormData) => {
        const response = await call(adminReviewsAction as Handler, new Request(`${APP_URL}/app/reviews`, { method: "POST", body }));
        return { status: response.status, json: (await response.json()) as Record<string, unknown> };
      };
      const again = await post(new URLSearchParams({ intent: "moderate", action: "reject", ids: review.id }));
      expect(again).toMatchObject({ status: 400, json: { intent: "moderate", ok: false, errorKey: "reviews.errors.alreadyRejected" } });

      const file = new FormData();
      file.set("intent", "import");
      file.set("file", new File([[JUDGEME_COLUMNS.join(","), `Nice,Fits well,4,2025-02-02,web,ok,Emily,emily@example.com,,no-such-product,,,,,`].join("\r\n")], "reviews.csv", { type: "text/csv" }));
      const imported = await post(file);
      expect(imported).toMatchObject({
        status: 200,
        json: { ok: true, imported: 0, problems: [{ line: 2, key: "reviews.errors.unknownHandle", values: { handle: "no-such-product" } }] },
      });
      file.set("file", new File([JUDGEME_COLUMNS.join(",")], "empty.csv", { type: "text/csv" }));
      // The CSV parser's own problems are worded by key too, with their values.
      expect(await post(file)).toMatchObject({
        status: 400,
        json: { ok: false, errorKey: "reviews.errors.importNothing", problems: [{ line: 1, key: "reviews.errors.csv.emptyFile", values: {} }] },
      });
      file.set("file", new File([[JUDGEME_COLUMNS.join(","), `Nice,Fits well,9,2025-02-02,web,ok,Emily,emily@example.com,${CANDLE},,,,,,`].join("\r\n")], "bad.csv", { type: "text/csv" }));
      expect(await post(file)).toMatchObject({
        status: 400,
        json: { ok: false, errorKey: "reviews.errors.importNothing", problems: [{ line: 2, key: "reviews.errors.csv.ratingInvalid", values: { value: "9" } }] },
      });
    });

    it("refuses with a code the admin words: a reply over 2,000 characters, an unknown review", async () => {
      const review = await test.db.review.findFirstOrThrow({ where: { shopId, shopifyProductId: CANDLE } });
      expect(await replyToReview(test.db, { shopId, id: review.id, body: "a".repeat(2001), clock: systemClock })).toMatchObject({ ok: false, status: 400, code: "reply_too_long" });
      expect(await moderateReviews(test.db, { shopId, ids: ["no-such-review"], action: "publish", clock: systemClock })).toMatchObject({ ok: false, status: 404, code: "not_found" });
      expect(await featureReview(test.db, { shopId, id: "no-such-review", featured: true, clock: systemClock })).toMatchObject({ ok: false, status: 404, code: "not_found" });
    });

    it("moderates a batch in one write per target status, ends as one-by-one moderation does, and resyncs each product once", async () => {
      const shopD = (await test.db.shop.create({ data: { domain: "casa-d.myshopify.com", name: "Casa D" } })).id;
      const now = new Date("2026-02-01T12:00:00Z");
      const clock = { now: () => now };
      const earlier = new Date("2025-12-01T09:00:00Z");
      // Two identical sets on different products: one moderated as a batch, one review at a time.
      const seed = async (products: [string, string]) => {
        const make = (productId: string, status: string, publishedAt: Date | null, title: string) =>
          test.db.review.create({ data: { shopId: shopD, shopifyProductId: productId, rating: 4, title, body: "A review.", authorName: "Ana", status, publishedAt, createdAt: earlier } });
        return [
          await make(products[0], "pending", null, "new one"),
          await make(products[0], "rejected", earlier, "taken down, once published"),
          await make(products[1], "pending", null, "new two"),
          await make(products[1], "rejected", null, "rejected, never published"),
          await make(products[1], "published", earlier, "published already"),
          await make(products[0], "pending", null, "new three"),
        ];
      };
      const batch = await seed(["81000000000000901", "81000000000000902"]);
      const single = await seed(["81000000000000903", "81000000000000904"]);

      // Counts the writes and the metafield syncs moderateReviews makes inside its transaction.
      const writes: string[] = [];
      const resynced: string[] = [];
      const watch = (tx: object): object => new Proxy(tx, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (prop === "review") {
            return new Proxy(value as object, {
              get(model, op) {
                const method = Reflect.get(model, op);
                return typeof method === "function" ? (...args: unknown[]) => { writes.push(String(op)); return method.apply(model, args); } : method;
              },
            });
          }
          if (prop === "$queryRawUnsafe") {
            return (sql: string, ...args: unknown[]) => {
              if (args[2] === SYNC_REVIEW_METAFIELDS_JOB) resynced.push(JSON.parse(String(args[3])).productId);
              return (value as (...all: unknown[]) => unknown).call(target, sql, ...args);
            };
          }
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const watched = new Proxy(test.db, {
        get(target, prop) {
          if (prop === "$transaction") return (fn: (tx: object) => unknown, options?: object) => target.$transaction((tx) => fn(watch(tx)) as Promise<unknown>, options);
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }) as typeof test.db;

      const result = await moderateReviews(watched, { shopId: shopD, ids: batch.map((review) => review.id), action: "publish", clock });
      expect(result).toEqual({ ok: true, changed: 5 });
      expect(writes).toEqual(["updateMany", "updateMany"]); // the status, then publishedAt of the first-time ones
      expect(resynced.sort()).toEqual(["81000000000000901", "81000000000000902"]);

      for (const review of single) await moderateReviews(test.db, { shopId: shopD, ids: [review.id], action: "publish", clock });
      const stateOf = async (reviews: { id: string }[]) =>
        (await test.db.review.findMany({ where: { id: { in: reviews.map((review) => review.id) } }, select: { title: true, status: true, publishedAt: true }, orderBy: { title: "asc" } }));
      const batched = await stateOf(batch);
      expect(batched).toEqual(await stateOf(single));
      expect(Object.fromEntries(batched.map((review) => [review.title, [review.status, review.publishedAt?.toISOString()]]))).toEqual({
        "new one": ["published", now.toISOString()],
        "new two": ["published", now.toISOString()],
        "new three": ["published", now.toISOString()],
        "rejected, never published": ["published", now.toISOString()],
        "taken down, once published": ["published", earlier.toISOString()],
        "published already": ["published", earlier.toISOString()],
      });
      // Another shop's id in the batch changes nothing there.
      const theirs = await test.db.review.create({ data: { shopId: shopB, shopifyProductId: "81000000000000905", rating: 3, body: "Theirs.", authorName: "Bea", status: "pending", createdAt: earlier } });
      expect(await moderateReviews(test.db, { shopId: shopD, ids: [theirs.id, batch[0].id], action: "reject", clock })).toEqual({ ok: true, changed: 1 });
      expect(await test.db.review.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ status: "pending", publishedAt: null });
      await test.db.review.delete({ where: { id: theirs.id } });
    });

    it("refuses another shop's review ids: moderation, replies and featuring are scoped by shop", async () => {
      const theirs = await insertReview({ shopId: shopB, productId: CANDLE, rating: 2, title: "Casa B's review", status: "pending", createdAt: new Date("2026-01-11T08:00:00Z") });
      const ours = await insertReview({ productId: CANDLE, rating: 5, title: "Ours", status: "pending" });

      expect(await moderateReviews(test.db, { shopId, ids: [theirs.id], action: "publish", clock: systemClock })).toMatchObject({ ok: false, status: 404, code: "not_found" });
      expect(await replyToReview(test.db, { shopId, id: theirs.id, body: "Not yours", clock: systemClock })).toMatchObject({ ok: false, status: 404, code: "not_found" });
      expect(await featureReview(test.db, { shopId, id: theirs.id, featured: true, clock: systemClock })).toMatchObject({ ok: false, status: 404, code: "not_found" });
      // Mixed with one of ours: only ours changes.
      expect(await moderateReviews(test.db, { shopId, ids: [ours.id, theirs.id], action: "publish", clock: systemClock })).toEqual({ ok: true, changed: 1 });

      const untouched = await test.db.review.findUniqueOrThrow({ where: { id: theirs.id } });
      expect(untouched).toMatchObject({ status: "pending", replyBody: null, featured: false, publishedAt: null });
      expect(await test.db.review.findUniqueOrThrow({ where: { id: ours.id } })).toMatchObject({ status: "published" });
      expect(await test.db.job.count({ where: { shopId: shopB, kind: SYNC_REVIEW_METAFIELDS_JOB } })).toBe(0);
      // The demo store's page shows none of Casa B's reviews of the same product.
      expect((await listJson(CANDLE)).reviews.map((review) => review.title)).toEqual(["Ours"]);
    });
  });

  // ------------------------------------------------------------------------ 8. CSV

  describe("Judge.me CSV", () => {
    const header = JUDGEME_COLUMNS.join(",");
    const csv = [
      header,
      `Love them,"Wrapped bread for a week, still fresh.",5,2025-03-02 10:12:00 UTC,web,ok,Lucía Ramírez,lucia@example.com,${WRAPS},beeswax-wraps,Thanks Lucía!,2025-03-03 09:00:00 UTC,"https://cdn.example.com/a.jpg,https://cdn.example.com/b.png",203.0.113.9,"Mexico City, MX"`,
      `Broken row,This one has no valid rating,7,2025-03-04,web,ok,Noah,noah@example.com,${WRAPS},beeswax-wraps,,,,,`,
      `,Apron fits well,4,02/03/2025,email,not-yet,Ana Souza,ana@example.com,,cotton-apron,,,,,`,
      `"Quotes ""inside""","Line one\nLine two, with a comma",2,2025-02-01,web,spam,Rafael,rafael@example.com,${WRAPS},beeswax-wraps,,,,,`,
      `Unknown,Handle that is not in the store,3,2025-02-02,web,ok,Emily,emily@example.com,,no-such-product,,,,,`,
    ].join("\r\n");

    const importInto = (target: string, text: string) =>
      importReviewsCsv(test.db, { shopId: target, csv: text, clock: systemClock, adminGraphql: async () => demoGraphql });

    let shopC: string;
    beforeAll(async () => {
      shopC = (await test.db.shop.create({ data: { domain: "casa-c.myshopify.com", name: "Casa C" } })).id;
    });

    it("imports the good rows, reports the bad ones by line, resolves handles through the Admin API and keeps picture URLs", async () => {
      const result = await importInto(shopB, csv);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.imported).toBe(3);
      expect(result.skipped).toBe(0);
      expect(result.problems.map((problem) => problem.line).sort()).toEqual([3, 7]);
      expect(result.problems.find((problem) => problem.line === 3)!.message).toMatch(/rating "7"/);
      expect(result.problems.find((problem) => problem.line === 3)).toMatchObject({ code: "rating_invalid", params: { value: "7" } });
      expect(result.problems.find((problem) => problem.line === 7)).toMatchObject({ code: "unknown_handle", params: { handle: "no-such-product" }, message: expect.stringMatching(/no-such-product/) });

      const rows = await test.db.review.findMany({ where: { shopId: shopB, source: "import" }, include: { photos: { orderBy: { position: "asc" } } }, orderBy: { createdAt: "asc" } });
      expect(rows).toHaveLength(3);
      const byTitle = Object.fromEntries(rows.map((row) => [row.title ?? row.body, row]));
      expect(byTitle["Love them"]).toMatchObject({
        shopifyProductId: WRAPS, rating: 5, body: "Wrapped bread for a week, still fresh.", authorName: "Lucía Ramírez", authorEmail: "lucia@example.com",
        status: "published", replyBody: "Thanks Lucía!", createdAt: new Date("2025-03-02T10:12:00Z"), repliedAt: new Date("2025-03-03T09:00:00Z"), verifiedBuyer: false,
      });
      expect(byTitle["Love them"].photos.map((photo) => photo.url)).toEqual(["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.png"]);
      expect(byTitle["Apron fits well"]).toMatchObject({ shopifyProductId: APRON, productHandle: "cotton-apron", productTitle: "Cotton Apron", status: "pending", createdAt: new Date("2025-03-02T12:00:00Z") });
      expect(byTitle['Quotes "inside"']).toMatchObject({ body: "Line one\nLine two, with a comma", status: "rejected", rating: 2 });
      expect((await test.db.job.findMany({ where: { shopId: shopB, kind: SYNC_REVIEW_METAFIELDS_JOB } })).map((job) => JSON.parse(job.payload).productId)).toEqual([WRAPS]);
    });

    it("refuses a file with no reviews or over 10 MB, with a code", async () => {
      expect(await importInto(shopC, header)).toMatchObject({ ok: false, status: 400, code: "no_reviews" });
      expect(await importInto(shopC, `${header}\r\n${"x".repeat(10 * 1024 * 1024)}`)).toMatchObject({ ok: false, status: 400, code: "too_large" });
      expect(await test.db.review.count({ where: { shopId: shopC } })).toBe(0);
    });

    it("importing the same file twice adds nothing", async () => {
      const before = await test.db.review.count({ where: { shopId: shopB } });
      const photosBefore = await test.db.reviewPhoto.count({ where: { shopId: shopB } });
      const again = await importInto(shopB, csv);
      expect(again).toMatchObject({ ok: true, imported: 0, skipped: 3 });
      expect(await test.db.review.count({ where: { shopId: shopB } })).toBe(before);
      expect(await test.db.reviewPhoto.count({ where: { shopId: shopB } })).toBe(photosBefore);
    });

    it("exports Judge.me CSV that imports to the same reviews (round trip)", async () => {
      const exported = await exportReviewsCsv(test.db, shopB);
      expect(exported.startsWith("\ufeff")).toBe(true);
      expect(exported.replace(/^\ufeff/, "").split("\r\n")[0]).toBe(header);
      const parsed = parseJudgeMeCsv(exported, { now: new Date() });
      expect(parsed.errors).toEqual([]);
      const stored = await test.db.review.findMany({ where: { shopId: shopB }, include: { photos: { orderBy: { position: "asc" } } }, orderBy: { createdAt: "asc" } });
      expect(parsed.rows).toHaveLength(stored.length);
      const imported = parsed.rows.find((row) => row.title === "Love them")!;
      expect(imported).toMatchObject({
        productId: WRAPS, productHandle: "beeswax-wraps", rating: 5, body: "Wrapped bread for a week, still fresh.", authorName: "Lucía Ramírez",
        authorEmail: "lucia@example.com", status: "published", replyBody: "Thanks Lucía!", pictureUrls: ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b.png"],
      });
      expect(imported.createdAt.toISOString()).toBe("2025-03-02T10:12:00.000Z");
      expect(parsed.rows.find((row) => row.body === "Line one\nLine two, with a comma")).toMatchObject({ title: 'Quotes "inside"', status: "rejected" });

      // Into another shop, and out again: the same reviews. (Only Avisa's own `source` changes:
      // every review of shop C came from an import.)
      const result = await importInto(shopC, exported);
      expect(result).toMatchObject({ ok: true, imported: stored.length, problems: [] });
      const comparable = (text: string) => parseJudgeMeCsv(text).rows.map(({ source: _source, ...row }) => row);
      expect(comparable(await exportReviewsCsv(test.db, shopC))).toEqual(comparable(exported));
      expect(await importInto(shopC, exported)).toMatchObject({ ok: true, imported: 0, skipped: stored.length });
    });
  });
});
