// The demo store's local Admin GraphQL API on a real SQLite file and (with TEST_POSTGRES_URL) a
// real PostgreSQL schema: records are seeded through DemoStore, then read back the way Avisa reads
// a real store, checking Shopify's response shapes, pagination, search, userErrors and errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SHOP_INFO } from "../../app/server/demo/seed.server";
import { createDemoAdminGraphql, executeDemoAdminGraphql } from "../../app/server/demo/admin-graphql.server";
import type {
  DemoAddress,
  DemoCheckout,
  DemoCustomer,
  DemoDiscount,
  DemoOrder,
  DemoProduct,
  DemoShopInfo,
} from "../../app/server/demo/demo-store-data";
import { DemoStore } from "../../app/server/demo/demo-store.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";

const SHOP_DOMAIN = "avisa-demo.myshopify.com";
const clock = { now: () => new Date("2026-11-23T12:00:00Z") };

// Shopify IDs beyond 2^53 (9007199254740992): they must come back digit for digit.
const EMILY_ID = "5800000000000000001";
const LUCIA_ID = "5800000000000000002";
const MUG_ID = "8100000000000000017";
const TOTE_ID = "8100000000000000027";
const ORDER_IDS = ["6400000000000010019", "6400000000000010029", "6400000000000010039"];

const SHOP: DemoShopInfo = DEMO_SHOP_INFO;

function address(first: string, last: string, city: string, province: string, provinceCode: string, country: string, countryCode: string): DemoAddress {
  return { first_name: first, last_name: last, address1: "1 Main St", city, province, province_code: provinceCode, country, country_code: countryCode, zip: "00000", phone: null };
}

function customer(id: string, first: string, last: string, locale: string, addr: DemoAddress, sms: boolean): DemoCustomer {
  return {
    id,
    email: `${first.toLowerCase()}@example.com`,
    phone: sms ? "+13055550142" : null,
    first_name: first,
    last_name: last,
    locale,
    tags: "vip, newsletter",
    state: "enabled",
    verified_email: true,
    currency: "USD",
    created_at: "2026-01-01T10:00:00.000Z",
    updated_at: "2026-01-01T10:00:00.000Z",
    default_address: addr,
    email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-01-01T10:00:00.000Z" },
    sms_marketing_consent: sms ? { state: "unsubscribed", opt_in_level: null, consent_updated_at: "2026-02-01T10:00:00.000Z" } : null,
  };
}

function product(id: string, handle: string, title: string, price: string, imageCount: number): DemoProduct {
  const images = Array.from({ length: imageCount }, (_, i) => ({ id: `4${id}${i}`, product_id: id, src: `https://cdn.example/${handle}-${i}.png`, alt: `${title} ${i + 1}` }));
  return {
    id,
    title,
    handle,
    body_html: `<p>${title}, made by hand.</p>`,
    vendor: "Casa Aurora",
    product_type: "Kitchen",
    tags: "kitchen, handmade",
    status: "active",
    created_at: "2025-12-01T00:00:00.000Z",
    updated_at: "2025-12-01T00:00:00.000Z",
    variants: [{ id: `9${id}`, product_id: id, title: "Default Title", price, sku: handle.toUpperCase(), inventory_quantity: 40 }],
    images,
    image: images[0],
  };
}

const { email_marketing_consent: _e, sms_marketing_consent: _s, ...embeddedEmily } = customer(EMILY_ID, "Emily", "Carter", "en", address("Emily", "Carter", "Miami", "Florida", "FL", "United States", "US"), true);

function order(index: number, createdAt: string, updatedAt: string, extra: Partial<DemoOrder> = {}): DemoOrder {
  const id = ORDER_IDS[index];
  const number = 1001 + index;
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${number}`,
    order_number: number,
    email: "emily@example.com",
    phone: null,
    contact_email: "emily@example.com",
    customer_locale: "en",
    currency: "USD",
    presentment_currency: "USD",
    total_price: "56.68",
    subtotal_price: "48.00",
    total_tax: "0.68",
    financial_status: "paid",
    fulfillment_status: null,
    checkout_token: null,
    cancelled_at: null,
    cancel_reason: null,
    closed_at: null,
    buyer_accepts_marketing: true,
    tags: "",
    created_at: createdAt,
    updated_at: updatedAt,
    processed_at: createdAt,
    customer: embeddedEmily,
    billing_address: embeddedEmily.default_address,
    shipping_address: embeddedEmily.default_address,
    line_items: [
      { id: `1${id}1`, product_id: MUG_ID, variant_id: `9${MUG_ID}`, title: "Ceramic Mug", variant_title: "Default Title", quantity: 2, price: "24.00", sku: "CERAMIC-MUG" },
    ],
    fulfillments: [],
    order_status_url: `https://${SHOP_DOMAIN}/orders/abc/authenticate?key=def`,
    ...extra,
  };
}

function checkout(token: string, createdAt: string, completedAt: string | null): DemoCheckout {
  return {
    token,
    cart_token: `cart-${token}`,
    email: "lucia@example.com",
    phone: null,
    customer_locale: "es",
    currency: "USD",
    presentment_currency: "USD",
    total_price: "38.00",
    subtotal_price: "38.00",
    buyer_accepts_marketing: true,
    buyer_accepts_sms_marketing: false,
    sms_marketing_phone: null,
    abandoned_checkout_url: `https://${SHOP_DOMAIN}/checkouts/cn/${token}/recover?key=k`,
    completed_at: completedAt,
    created_at: createdAt,
    updated_at: createdAt,
    customer: (({ email_marketing_consent: _a, sms_marketing_consent: _b, ...rest }) => rest)(
      customer(LUCIA_ID, "Lucia", "Hernandez", "es", address("Lucia", "Hernandez", "Ciudad de México", "Ciudad de México", "CMX", "Mexico", "MX"), false),
    ),
    billing_address: address("Lucia", "Hernandez", "Ciudad de México", "Ciudad de México", "CMX", "Mexico", "MX"),
    shipping_address: address("Lucia", "Hernandez", "Ciudad de México", "Ciudad de México", "CMX", "Mexico", "MX"),
    line_items: [{ key: `${token}-0`, product_id: TOTE_ID, variant_id: `9${TOTE_ID}`, title: "Linen Tote Bag", variant_title: "Default Title", quantity: 1, price: "38.00", sku: "LINEN-TOTE" }],
  };
}

describe.each(databaseKinds())("demo Admin GraphQL API on %s", (kind) => {
  let test: TestDatabase;
  let store: DemoStore;
  const run = (query: string, variables?: Record<string, unknown>) => executeDemoAdminGraphql(store, clock, query, variables);

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    store = new DemoStore(test.db, SHOP_DOMAIN);
    await store.put("shop", "shop", SHOP);
    await store.put("customer", EMILY_ID, customer(EMILY_ID, "Emily", "Carter", "en", embeddedEmily.default_address, true));
    await store.put(
      "customer",
      LUCIA_ID,
      customer(LUCIA_ID, "Lucia", "Hernandez", "es", address("Lucia", "Hernandez", "Ciudad de México", "Ciudad de México", "CMX", "Mexico", "MX"), false),
    );
    await store.put("product", MUG_ID, product(MUG_ID, "ceramic-mug", "Ceramic Mug", "24.00", 2));
    await store.put("product", TOTE_ID, product(TOTE_ID, "linen-tote", "Linen Tote Bag", "38.00", 1));

    const fulfilled = order(1, "2026-03-05T09:00:00.000Z", "2026-06-01T08:30:00.000Z", { fulfillment_status: "fulfilled", tags: "gift, wholesale" });
    fulfilled.fulfillments = [
      {
        id: "5500000000000010021",
        order_id: fulfilled.id,
        status: "success",
        shipment_status: "in_transit",
        tracking_company: "USPS",
        tracking_number: "US1002ABCD",
        tracking_url: "https://tools.usps.com/go/TrackConfirmAction?tLabels=US1002ABCD",
        tracking_numbers: ["US1002ABCD"],
        tracking_urls: ["https://tools.usps.com/go/TrackConfirmAction?tLabels=US1002ABCD"],
        created_at: "2026-03-06T10:00:00.000Z",
        updated_at: "2026-06-01T08:30:00.000Z",
        line_items: fulfilled.line_items,
      },
    ];
    // Put out of creation order so sorting is the API's doing, not the table's.
    await store.put("order", ORDER_IDS[2], order(2, "2026-11-20T15:00:00.000Z", "2026-11-20T15:00:00.000Z"));
    await store.put("order", ORDER_IDS[0], order(0, "2026-01-10T12:00:00.000Z", "2026-01-10T12:00:00.000Z"));
    await store.put("order", ORDER_IDS[1], fulfilled);

    await store.put("checkout", "tok-open-1", checkout("tok-open-1", "2026-11-22T09:00:00.000Z", null));
    await store.put("checkout", "tok-open-2", checkout("tok-open-2", "2026-11-22T10:00:00.000Z", null));
    await store.put("checkout", "tok-done", checkout("tok-done", "2026-11-21T10:00:00.000Z", "2026-11-21T10:20:00.000Z"));
  });

  afterAll(async () => {
    await test?.drop();
  });

  it("answers shop and shopLocales with Shopify's field names", async () => {
    const result = await run(`query {
      shop { name email currencyCode ianaTimezone myshopifyDomain primaryDomain { url host } }
      shopLocales(published: true) { locale name primary published }
    }`);
    expect(result).toEqual({
      data: {
        shop: {
          name: "Casa Aurora",
          email: "hola@casa-aurora.example",
          currencyCode: "USD",
          ianaTimezone: "America/New_York",
          myshopifyDomain: SHOP_DOMAIN,
          primaryDomain: { url: "https://casa-aurora.example", host: "casa-aurora.example" },
        },
        shopLocales: [
          { locale: "en", name: "English", primary: true, published: true },
          { locale: "es", name: "Spanish", primary: false, published: true },
          { locale: "pt-BR", name: "Portuguese (Brazil)", primary: false, published: true },
        ],
      },
    });
  });

  it("pages through orders with edges, nodes, pageInfo and an after cursor", async () => {
    const query = `query Orders($after: String) {
      orders(first: 2, after: $after, sortKey: CREATED_AT) {
        edges { cursor node { id name } }
        nodes { id legacyResourceId name createdAt }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`;
    const first = await run(query);
    expect(first.errors).toBeUndefined();
    const page1 = first.data.orders;
    expect(page1.nodes).toEqual([
      { id: `gid://shopify/Order/${ORDER_IDS[0]}`, legacyResourceId: ORDER_IDS[0], name: "#1001", createdAt: "2026-01-10T12:00:00Z" },
      { id: `gid://shopify/Order/${ORDER_IDS[1]}`, legacyResourceId: ORDER_IDS[1], name: "#1002", createdAt: "2026-03-05T09:00:00Z" },
    ]);
    expect(page1.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(["#1001", "#1002"]);
    expect(page1.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: page1.edges[0].cursor,
      endCursor: page1.edges[1].cursor,
    });

    const second = await run(query, { after: page1.pageInfo.endCursor });
    expect(second.data.orders.nodes.map((o: { name: string }) => o.name)).toEqual(["#1003"]);
    expect(second.data.orders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("filters orders with updated_at and created_at search terms", async () => {
    const names = async (search: string) => {
      const result = await run(`query($q: String) { orders(first: 10, query: $q, sortKey: UPDATED_AT) { nodes { name updatedAt } } }`, { q: search });
      expect(result.errors).toBeUndefined();
      return result.data.orders.nodes.map((o: { name: string }) => o.name);
    };
    expect(await names("updated_at:>=2026-06-01T00:00:00Z")).toEqual(["#1002", "#1003"]);
    expect(await names("updated_at:>=2026-06-01T08:30:00Z")).toEqual(["#1002", "#1003"]);
    expect(await names("updated_at:>2026-06-01T08:30:00Z")).toEqual(["#1003"]);
    expect(await names("created_at:>=2026-01-01T00:00:00Z created_at:<'2026-03-01T00:00:00Z'")).toEqual(["#1001"]);
    expect(await names("tag:gift")).toEqual(["#1002"]);
    expect(await names("-fulfillment_status:fulfilled")).toEqual(["#1001", "#1003"]);
  });

  it("sorts orders in reverse and returns the order's nested fields", async () => {
    const result = await run(`{
      orders(first: 5, sortKey: CREATED_AT, reverse: true) {
        nodes {
          name email displayFinancialStatus displayFulfillmentStatus customerLocale currencyCode tags
          totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
          customer { id firstName lastName email phone locale }
          lineItems(first: 5) {
            nodes { id title quantity variantTitle sku product { id title handle } variant { id title price }
              originalUnitPriceSet { shopMoney { amount currencyCode } } }
          }
          fulfillments(first: 5) { id status displayStatus createdAt updatedAt trackingInfo { company number url } }
          shippingAddress { firstName lastName city provinceCode countryCodeV2 }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const orders = result.data.orders.nodes;
    expect(orders.map((o: { name: string }) => o.name)).toEqual(["#1003", "#1002", "#1001"]);
    expect(orders[1]).toEqual({
      name: "#1002",
      email: "emily@example.com",
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "FULFILLED",
      customerLocale: "en",
      currencyCode: "USD",
      tags: ["gift", "wholesale"],
      totalPriceSet: { shopMoney: { amount: "56.68", currencyCode: "USD" }, presentmentMoney: { amount: "56.68", currencyCode: "USD" } },
      customer: { id: `gid://shopify/Customer/${EMILY_ID}`, firstName: "Emily", lastName: "Carter", email: "emily@example.com", phone: "+13055550142", locale: "en" },
      lineItems: {
        nodes: [
          {
            id: `gid://shopify/LineItem/1${ORDER_IDS[1]}1`,
            title: "Ceramic Mug",
            quantity: 2,
            variantTitle: "Default Title",
            sku: "CERAMIC-MUG",
            product: { id: `gid://shopify/Product/${MUG_ID}`, title: "Ceramic Mug", handle: "ceramic-mug" },
            variant: { id: `gid://shopify/ProductVariant/9${MUG_ID}`, title: "Default Title", price: "24.00" },
            originalUnitPriceSet: { shopMoney: { amount: "24.0", currencyCode: "USD" } },
          },
        ],
      },
      fulfillments: [
        {
          id: "gid://shopify/Fulfillment/5500000000000010021",
          status: "SUCCESS",
          displayStatus: "IN_TRANSIT",
          createdAt: "2026-03-06T10:00:00Z",
          updatedAt: "2026-06-01T08:30:00Z",
          trackingInfo: [{ company: "USPS", number: "US1002ABCD", url: "https://tools.usps.com/go/TrackConfirmAction?tLabels=US1002ABCD" }],
        },
      ],
      shippingAddress: { firstName: "Emily", lastName: "Carter", city: "Miami", provinceCode: "FL", countryCodeV2: "US" },
    });
  });

  it("finds an order by gid, keeping ids beyond 2^53 digit for digit", async () => {
    const result = await run(`query($id: ID!) { order(id: $id) { id legacyResourceId customer { id legacyResourceId } } }`, {
      id: `gid://shopify/Order/${ORDER_IDS[0]}`,
    });
    expect(result).toEqual({
      data: {
        order: {
          id: `gid://shopify/Order/${ORDER_IDS[0]}`,
          legacyResourceId: ORDER_IDS[0],
          customer: { id: `gid://shopify/Customer/${EMILY_ID}`, legacyResourceId: EMILY_ID },
        },
      },
    });
    const missing = await run(`{ order(id: "gid://shopify/Order/5800000000000000099") { id } }`);
    expect(missing).toEqual({ data: { order: null } });
  });

  it("lists only checkouts that are still abandoned", async () => {
    const result = await run(`{
      abandonedCheckouts(first: 10, sortKey: CREATED_AT) {
        nodes {
          id name createdAt completedAt abandonedCheckoutUrl
          totalPriceSet { shopMoney { amount currencyCode } }
          customer { id email firstName lastName locale }
          lineItems(first: 5) { nodes { id title quantity variantTitle originalUnitPriceSet { shopMoney { amount } } } }
        }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const checkouts = result.data.abandonedCheckouts.nodes;
    expect(checkouts.map((c: { abandonedCheckoutUrl: string }) => c.abandonedCheckoutUrl)).toEqual([
      `https://${SHOP_DOMAIN}/checkouts/cn/tok-open-1/recover?key=k`,
      `https://${SHOP_DOMAIN}/checkouts/cn/tok-open-2/recover?key=k`,
    ]);
    const [firstCheckout] = checkouts;
    expect(firstCheckout.id).toMatch(/^gid:\/\/shopify\/AbandonedCheckout\/[1-9]\d+$/);
    expect(firstCheckout.name).toBe(`#${firstCheckout.id.split("/").pop()}`);
    expect(firstCheckout).toMatchObject({
      createdAt: "2026-11-22T09:00:00Z",
      completedAt: null,
      totalPriceSet: { shopMoney: { amount: "38.0", currencyCode: "USD" } },
      customer: { id: `gid://shopify/Customer/${LUCIA_ID}`, email: "lucia@example.com", firstName: "Lucia", lastName: "Hernandez", locale: "es" },
      lineItems: { nodes: [{ title: "Linen Tote Bag", quantity: 1, variantTitle: "Default Title", originalUnitPriceSet: { shopMoney: { amount: "38.0" } } }] },
    });
    // The id is derived from the token, so it is the same on every read.
    const again = await run(`{ abandonedCheckouts(first: 1, sortKey: CREATED_AT) { nodes { id } } }`);
    expect(again.data.abandonedCheckouts.nodes[0].id).toBe(firstCheckout.id);
  });

  it("returns products with images, media and variants", async () => {
    const result = await run(`{
      products(first: 10, sortKey: TITLE) {
        nodes {
          id title handle descriptionHtml vendor productType tags status onlineStoreUrl
          featuredImage { url altText }
          featuredMedia { ... on MediaImage { image { url altText } } preview { image { url } } }
          images(first: 5) { nodes { url altText } }
          variants(first: 5) { nodes { id title price sku } }
        }
      }
      product(id: "gid://shopify/Product/${TOTE_ID}") { title }
    }`);
    expect(result.errors).toBeUndefined();
    const [mug, tote] = result.data.products.nodes;
    expect(mug).toEqual({
      id: `gid://shopify/Product/${MUG_ID}`,
      title: "Ceramic Mug",
      handle: "ceramic-mug",
      descriptionHtml: "<p>Ceramic Mug, made by hand.</p>",
      vendor: "Casa Aurora",
      productType: "Kitchen",
      tags: ["handmade", "kitchen"],
      status: "ACTIVE",
      onlineStoreUrl: null,
      featuredImage: { url: "https://cdn.example/ceramic-mug-0.png", altText: "Ceramic Mug 1" },
      featuredMedia: { image: { url: "https://cdn.example/ceramic-mug-0.png", altText: "Ceramic Mug 1" }, preview: { image: { url: "https://cdn.example/ceramic-mug-0.png" } } },
      images: {
        nodes: [
          { url: "https://cdn.example/ceramic-mug-0.png", altText: "Ceramic Mug 1" },
          { url: "https://cdn.example/ceramic-mug-1.png", altText: "Ceramic Mug 2" },
        ],
      },
      variants: { nodes: [{ id: `gid://shopify/ProductVariant/9${MUG_ID}`, title: "Default Title", price: "24.00", sku: "CERAMIC-MUG" }] },
    });
    expect(tote.title).toBe("Linen Tote Bag");
    expect(result.data.product).toEqual({ title: "Linen Tote Bag" });
  });

  it("looks a customer up by gid, with consent on the default email and phone", async () => {
    const result = await run(`query($id: ID!) {
      customer(id: $id) {
        id firstName lastName email phone locale tags
        defaultEmailAddress { emailAddress marketingState }
        defaultPhoneNumber { phoneNumber marketingState }
        defaultAddress { provinceCode countryCodeV2 city }
      }
      customers(first: 5, query: "email:lucia@example.com") { nodes { id defaultPhoneNumber { phoneNumber } } }
    }`, { id: `gid://shopify/Customer/${EMILY_ID}` });
    expect(result).toEqual({
      data: {
        customer: {
          id: `gid://shopify/Customer/${EMILY_ID}`,
          firstName: "Emily",
          lastName: "Carter",
          email: "emily@example.com",
          phone: "+13055550142",
          locale: "en",
          tags: ["newsletter", "vip"],
          defaultEmailAddress: { emailAddress: "emily@example.com", marketingState: "SUBSCRIBED" },
          defaultPhoneNumber: { phoneNumber: "+13055550142", marketingState: "UNSUBSCRIBED" },
          defaultAddress: { provinceCode: "FL", countryCodeV2: "US", city: "Miami" },
        },
        customers: { nodes: [{ id: `gid://shopify/Customer/${LUCIA_ID}`, defaultPhoneNumber: null }] },
      },
    });
  });

  describe("discountCodeBasicCreate", () => {
    const mutation = `mutation Create($input: DiscountCodeBasicInput!) {
      discountCodeBasicCreate(basicCodeDiscount: $input) {
        codeDiscountNode {
          id
          codeDiscount {
            ... on DiscountCodeBasic {
              title startsAt endsAt status summary
              codes(first: 1) { nodes { code } }
              customerGets { value { ... on DiscountPercentage { percentage } } }
            }
          }
        }
        userErrors { field code message }
      }
    }`;
    const input = (overrides: Record<string, unknown> = {}) => ({
      title: "Come back: 10% off",
      code: "VUELVE10",
      startsAt: "2026-11-23T12:00:00Z",
      endsAt: "2026-11-30T12:00:00.000Z",
      context: { customers: { add: [`gid://shopify/Customer/${LUCIA_ID}`] } },
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
      ...overrides,
    });

    it("creates the discount and stores it in the demo store", async () => {
      const result = await run(mutation, { input: input() });
      expect(result.errors).toBeUndefined();
      const payload = result.data.discountCodeBasicCreate;
      expect(payload.userErrors).toEqual([]);
      expect(payload.codeDiscountNode.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
      expect(payload.codeDiscountNode.codeDiscount).toEqual({
        title: "Come back: 10% off",
        startsAt: "2026-11-23T12:00:00Z",
        endsAt: "2026-11-30T12:00:00Z",
        status: "ACTIVE",
        summary: "10% off one-time purchase products • One use per customer",
        codes: { nodes: [{ code: "VUELVE10" }] },
        customerGets: { value: { percentage: 0.1 } },
      });

      const id = payload.codeDiscountNode.id.split("/").pop();
      const stored = (await store.get("discount", id)) as DemoDiscount;
      expect(stored).toMatchObject({
        id,
        code: "VUELVE10",
        title: "Come back: 10% off",
        percentage: 0.1,
        starts_at: "2026-11-23T12:00:00Z",
        ends_at: "2026-11-30T12:00:00Z",
        usage_limit: 1,
        customer_id: LUCIA_ID,
        created_at: "2026-11-23T12:00:00Z",
      });

      const byCode = await run(`{ codeDiscountNodeByCode(code: "vuelve10") { id } }`);
      expect(byCode.data.codeDiscountNodeByCode.id).toBe(payload.codeDiscountNode.id);
    });

    it("refuses the same code again with TAKEN", async () => {
      const result = await run(mutation, { input: input({ code: "vuelve10", title: "Again" }) });
      expect(result).toEqual({
        data: {
          discountCodeBasicCreate: {
            codeDiscountNode: null,
            userErrors: [{ field: ["basicCodeDiscount", "code"], code: "TAKEN", message: "Code must be unique. Please try a different code." }],
          },
        },
      });
    });

    it("refuses a missing or empty code and an out-of-range percentage", async () => {
      const { code: _code, ...withoutCode } = input();
      const missing = await run(mutation, { input: withoutCode });
      expect(missing.data.discountCodeBasicCreate.userErrors).toEqual([{ field: ["basicCodeDiscount", "code"], code: "BLANK", message: "Code can't be blank" }]);

      const empty = await run(mutation, { input: input({ code: "" }) });
      expect(empty.data.discountCodeBasicCreate).toEqual({
        codeDiscountNode: null,
        userErrors: [{ field: ["basicCodeDiscount", "code"], code: "TOO_SHORT", message: "Code is too short (minimum is 1 character)" }],
      });

      const tooMuch = await run(mutation, { input: input({ code: "HALF150", customerGets: { value: { percentage: 1.5 }, items: { all: true } } }) });
      expect(tooMuch.data.discountCodeBasicCreate.userErrors).toEqual([
        { field: ["basicCodeDiscount", "customerGets", "value", "percentage"], code: "VALUE_OUTSIDE_RANGE", message: "Value must be between 0.0 and 1.0" },
      ]);
      expect(await store.count("discount")).toBe(1);
    });

    it("creates a fixed-amount discount with Shopify's money shape", async () => {
      const result = await run(
        `mutation($input: DiscountCodeBasicInput!) {
          discountCodeBasicCreate(basicCodeDiscount: $input) {
            codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { summary customerGets { value {
              __typename ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem } } } } } }
            userErrors { field code message }
          }
        }`,
        { input: input({ code: "FIVEOFF", context: { all: "ALL" }, appliesOncePerCustomer: false, customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } } }) },
      );
      expect(result).toEqual({
        data: {
          discountCodeBasicCreate: {
            codeDiscountNode: {
              codeDiscount: {
                summary: "$5.00 off one-time purchase products",
                customerGets: { value: { __typename: "DiscountAmount", amount: { amount: "5.0", currencyCode: "USD" }, appliesOnEachItem: false } },
              },
            },
            userErrors: [],
          },
        },
      });
    });
  });

  it("answers an unknown field with a validation error and no data, as Shopify does", async () => {
    const result = await run(`query Probe { orders(first: 1) { nodes { id definitelyNotAnOrderField } } }`);
    expect(result).toEqual({
      errors: [
        {
          message: "Field 'definitelyNotAnOrderField' doesn't exist on type 'Order'",
          locations: [{ line: 1, column: 45 }],
          path: ["query Probe", "orders", "nodes", "definitelyNotAnOrderField"],
          extensions: { code: "undefinedField", typeName: "Order", fieldName: "definitelyNotAnOrderField" },
        },
      ],
    });
    expect(result).not.toHaveProperty("data");

    const root = await run(`{ definitelyNotARoot { id } }`);
    expect(root.errors?.[0]).toMatchObject({ message: "Field 'definitelyNotARoot' doesn't exist on type 'QueryRoot'" });

    const unknownArgument = await run(`{ orders(first: 1, since: "2026-01-01") { nodes { id } } }`);
    expect(unknownArgument.errors?.[0]).toMatchObject({
      message: "Field 'orders' doesn't accept argument 'since'",
      extensions: { code: "argumentNotAccepted", argumentName: "since" },
    });
    const missingArgument = await run(`{ order { id } }`);
    expect(missingArgument.errors?.[0]).toMatchObject({ message: "Field 'order' is missing required arguments: id", path: ["query", "order"] });

    const syntax = await run(`{ shop { name `);
    expect(syntax).toEqual({
      errors: [{ message: expect.stringMatching(/^syntax error, .* at \[1, 15\]$/), locations: [{ line: 1, column: 15 }], extensions: { code: "PARSE_ERROR" } }],
    });
  });

  it("enforces Shopify's page-size rules on connections", async () => {
    const tooMany = await run(`{ orders(first: 251) { nodes { id } } }`);
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0]).toMatchObject({ path: ["orders"], extensions: { code: "BAD_REQUEST" } });

    const none = await run(`{ products { nodes { id } } }`);
    expect(none).toEqual({
      data: null,
      errors: [{ message: "you must provide one of first or last", locations: [{ line: 1, column: 3 }], path: ["products"], extensions: { code: "BAD_REQUEST" } }],
    });

    const last = await run(`{ orders(last: 1, sortKey: CREATED_AT) { nodes { name } pageInfo { hasNextPage hasPreviousPage } } }`);
    expect(last.data.orders).toEqual({ nodes: [{ name: "#1003" }], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
  });

  it("reports a missing required variable like Shopify", async () => {
    const result = await run(`query Find($id: ID!) { order(id: $id) { id } }`, {});
    expect(result).toEqual({
      errors: [
        {
          message: "Variable $id of type ID! was provided invalid value",
          locations: [{ line: 1, column: 12 }],
          extensions: { code: "INVALID_VARIABLE", value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
        },
      ],
    });
  });

  it("is the AdminGraphql port Avisa's services call", async () => {
    const graphql = createDemoAdminGraphql(store, clock);
    const { data, errors } = await graphql<{ shop: { currencyCode: string } }>(`{ shop { currencyCode } }`);
    expect(errors).toBeUndefined();
    expect(data?.shop.currencyCode).toBe("USD");
  });
});
