// "Verified buyer" is a claim shown to other shoppers, so it is only made with evidence of a
// purchase of this very product in this very shop: a review-request token (signed by us when
// the order was fulfilled) or the logged-in customer's own orders. A cancelled or fully
// refunded order is not a purchase the shopper kept, so it proves nothing.

/** The data inside a review-request token (see signed-token.server.ts, purpose "review"). */
export type ReviewTokenData = {
  /** Shop id. */
  s: string;
  /** Shopify order id. */
  o: string;
  /** Shopify product id. */
  p: string;
  /** Contact id, when the order had one. */
  c: string | null;
};

export type CustomerOrder = {
  shopifyOrderId: string;
  productIds: string[];
  cancelled: boolean;
  /** Fully refunded. A partial refund (one item of several) still leaves a purchase. */
  refunded: boolean;
};

export type VerifiedBuyerInput = {
  shopId: string;
  productId: string;
  /** Decoded token data. Only pass a token whose signature and expiry the caller has checked. */
  token: ReviewTokenData | null;
  /** The token's order as stored now, when known: an order cancelled since the request no longer counts. */
  tokenOrder?: { cancelled: boolean; refunded: boolean } | null;
  /** `logged_in_customer_id` from the signed app-proxy query (null or "" when not logged in). */
  loggedInCustomerId: string | null;
  /** That customer's orders in this shop, newest first (the first usable one is linked). */
  customerOrders: readonly CustomerOrder[];
  /** Orders that already have a review of this product (one review per order and product). */
  reviewedOrderIds?: readonly string[];
};

export type VerifiedBuyerRefusal =
  | "token_other_shop" // a genuine token, for another shop: never trusted here
  | "token_other_product" // a genuine token, for another product of this shop
  | "order_cancelled"
  | "order_refunded"
  | "already_reviewed" // the only qualifying order(s) already carry a review of this product
  | "no_matching_order" // logged in, but no kept order contains this product
  | "not_identified"; // no token and not logged in: an ordinary web review

export type VerifiedBuyerVerdict =
  | { verified: true; orderId: string; via: "token" | "customer"; contactId: string | null }
  | { verified: false; reason: VerifiedBuyerRefusal };

const PRODUCT_GID = /^gid:\/\/shopify\/Product\//;
const sameProduct = (a: string, b: string) => a.replace(PRODUCT_GID, "") === b.replace(PRODUCT_GID, "");

/**
 * Decides whether a review comes from a verified buyer. The token is tried first (it names the
 * order); when it does not prove this purchase, a logged-in customer's own orders still can — a
 * shopper who followed a review link for one product and then reviewed another is still a buyer
 * of the second if they bought it. When neither proves it, the token's reason is reported, since
 * it is the more specific one.
 */
export function verifiedBuyerVerdict(input: VerifiedBuyerInput): VerifiedBuyerVerdict {
  const reviewed = new Set(input.reviewedOrderIds ?? []);
  const byToken = input.token ? tokenVerdict(input, input.token, reviewed) : null;
  if (byToken?.verified) return byToken;

  const byCustomer = input.loggedInCustomerId ? customerVerdict(input, input.customerOrders, reviewed) : null;
  if (byCustomer?.verified) return byCustomer;

  return byToken ?? byCustomer ?? { verified: false, reason: "not_identified" };
}

function tokenVerdict(input: VerifiedBuyerInput, token: ReviewTokenData, reviewed: Set<string>): VerifiedBuyerVerdict {
  if (token.s !== input.shopId) return { verified: false, reason: "token_other_shop" };
  if (!sameProduct(token.p, input.productId)) return { verified: false, reason: "token_other_product" };
  if (input.tokenOrder?.cancelled) return { verified: false, reason: "order_cancelled" };
  if (input.tokenOrder?.refunded) return { verified: false, reason: "order_refunded" };
  if (reviewed.has(token.o)) return { verified: false, reason: "already_reviewed" };
  return { verified: true, orderId: token.o, via: "token", contactId: token.c ?? null };
}

function customerVerdict(input: VerifiedBuyerInput, orders: readonly CustomerOrder[], reviewed: Set<string>): VerifiedBuyerVerdict {
  const withProduct = orders.filter((order) => order.productIds.some((id) => sameProduct(id, input.productId)));
  const kept = withProduct.filter((order) => !order.cancelled && !order.refunded);
  const usable = kept.find((order) => !reviewed.has(order.shopifyOrderId));
  if (usable) return { verified: true, orderId: usable.shopifyOrderId, via: "customer", contactId: null };
  if (kept.length > 0) return { verified: false, reason: "already_reviewed" };
  if (withProduct.some((order) => order.cancelled)) return { verified: false, reason: "order_cancelled" };
  if (withProduct.some((order) => order.refunded)) return { verified: false, reason: "order_refunded" };
  return { verified: false, reason: "no_matching_order" };
}
