import { describe, expect, it } from "vitest";
import { verifiedBuyerVerdict, type CustomerOrder, type VerifiedBuyerInput } from "../../../app/domain/reviews/verified-buyer";

const SHOP = "shop_1";
const PRODUCT = "8100000000000017";
const token = { s: SHOP, o: "5500000000000001", p: PRODUCT, c: "contact_1" };
const order = (over: Partial<CustomerOrder> = {}): CustomerOrder => ({ shopifyOrderId: "5500000000000009", productIds: [PRODUCT], cancelled: false, refunded: false, ...over });
const input = (over: Partial<VerifiedBuyerInput> = {}): VerifiedBuyerInput => ({ shopId: SHOP, productId: PRODUCT, token: null, loggedInCustomerId: null, customerOrders: [], ...over });

describe("verified buyer by review token", () => {
  it("verifies a token for this shop and product, naming its order and contact", () => {
    expect(verifiedBuyerVerdict(input({ token }))).toEqual({ verified: true, orderId: token.o, via: "token", contactId: "contact_1" });
    expect(verifiedBuyerVerdict(input({ token: { ...token, c: null } }))).toMatchObject({ verified: true, contactId: null });
  });

  it("refuses a token for another shop or another product, with the reason", () => {
    expect(verifiedBuyerVerdict(input({ token: { ...token, s: "shop_2" } }))).toEqual({ verified: false, reason: "token_other_shop" });
    expect(verifiedBuyerVerdict(input({ token: { ...token, p: "8100000000000018" } }))).toEqual({ verified: false, reason: "token_other_product" });
  });

  it("compares product ids as strings (no precision lost above 2^53) and accepts a gid form", () => {
    // 9007199254740993 and 9007199254740992 are the same JavaScript number.
    const a = "9007199254740993";
    const b = "9007199254740992";
    expect(verifiedBuyerVerdict(input({ productId: a, token: { ...token, p: b } }))).toEqual({ verified: false, reason: "token_other_product" });
    expect(verifiedBuyerVerdict(input({ productId: a, token: { ...token, p: `gid://shopify/Product/${a}` } })).verified).toBe(true);
  });

  it("refuses the token when its order has since been cancelled or fully refunded", () => {
    expect(verifiedBuyerVerdict(input({ token, tokenOrder: { cancelled: true, refunded: false } }))).toEqual({ verified: false, reason: "order_cancelled" });
    expect(verifiedBuyerVerdict(input({ token, tokenOrder: { cancelled: false, refunded: true } }))).toEqual({ verified: false, reason: "order_refunded" });
    expect(verifiedBuyerVerdict(input({ token, tokenOrder: { cancelled: false, refunded: false } })).verified).toBe(true);
  });

  it("refuses a second review of the same order and product", () => {
    expect(verifiedBuyerVerdict(input({ token, reviewedOrderIds: [token.o] }))).toEqual({ verified: false, reason: "already_reviewed" });
  });
});

describe("verified buyer by logged-in customer", () => {
  it("verifies a customer with a kept order containing the product", () => {
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7000000000000001", customerOrders: [order()] }))).toEqual({
      verified: true,
      orderId: "5500000000000009",
      via: "customer",
      contactId: null,
    });
  });

  it("finds the product among several line items, in a gid or plain form", () => {
    const orders = [order({ productIds: ["1", `gid://shopify/Product/${PRODUCT}`, "2"] })];
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: orders })).verified).toBe(true);
  });

  it("does not count cancelled or fully refunded orders", () => {
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: [order({ cancelled: true })] }))).toEqual({ verified: false, reason: "order_cancelled" });
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: [order({ refunded: true })] }))).toEqual({ verified: false, reason: "order_refunded" });
    const mixed = [order({ shopifyOrderId: "1", refunded: true }), order({ shopifyOrderId: "2", cancelled: true }), order({ shopifyOrderId: "3" })];
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: mixed }))).toMatchObject({ verified: true, orderId: "3" });
  });

  it("refuses a customer whose orders are for other products", () => {
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: [order({ productIds: ["999"] })] }))).toEqual({ verified: false, reason: "no_matching_order" });
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: [] }))).toEqual({ verified: false, reason: "no_matching_order" });
  });

  it("links the first order not reviewed yet, and says so when all are", () => {
    const orders = [order({ shopifyOrderId: "new" }), order({ shopifyOrderId: "old" })];
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: orders }))).toMatchObject({ orderId: "new" });
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: orders, reviewedOrderIds: ["new"] }))).toMatchObject({ orderId: "old" });
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "7", customerOrders: orders, reviewedOrderIds: ["new", "old"] }))).toEqual({ verified: false, reason: "already_reviewed" });
  });

  it("ignores orders passed without a logged-in customer (they cannot be the shopper's)", () => {
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: null, customerOrders: [order()] }))).toEqual({ verified: false, reason: "not_identified" });
    expect(verifiedBuyerVerdict(input({ loggedInCustomerId: "", customerOrders: [order()] }))).toEqual({ verified: false, reason: "not_identified" });
  });
});

describe("token and customer together", () => {
  it("falls back to the customer's orders when the token is for another product", () => {
    const verdict = verifiedBuyerVerdict(input({ token: { ...token, p: "1" }, loggedInCustomerId: "7", customerOrders: [order()] }));
    expect(verdict).toMatchObject({ verified: true, via: "customer" });
  });

  it("reports the token's reason when neither proves the purchase", () => {
    expect(verifiedBuyerVerdict(input({ token: { ...token, s: "other" }, loggedInCustomerId: "7", customerOrders: [] }))).toEqual({ verified: false, reason: "token_other_shop" });
  });

  it("prefers the token when both prove it", () => {
    expect(verifiedBuyerVerdict(input({ token, loggedInCustomerId: "7", customerOrders: [order()] }))).toMatchObject({ via: "token", orderId: token.o });
  });

  it("is an ordinary web review with neither", () => {
    expect(verifiedBuyerVerdict(input())).toEqual({ verified: false, reason: "not_identified" });
  });
});
