// The demo store's local Admin GraphQL API: a real GraphQL executor (graphql-js) over a faithful
// subset of Shopify's Admin GraphQL API 2026-04, reading the demo store's records (REST webhook
// shapes, see demo-store-data.ts). Avisa talks to it exactly as it talks to a real store, so type
// and field names, nullability, connections, gid ids, money, search syntax and error bodies follow
// Shopify. What is not in the schema is absent: asking for it is a validation error, as on Shopify.
//
// Error wording marked "captured" was checked against responses recorded from a live 2026-04 store
// (airhorns/shopify-draft-proxy conformance fixtures); the rest follows the same conventions.
import { createHash, randomInt } from "node:crypto";
import {
  BREAK,
  buildSchema,
  execute,
  GraphQLError,
  Kind,
  parse,
  print,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLScalarType,
  type GraphQLSchema,
} from "graphql";
import type { AdminGraphql, Clock } from "../../domain/ports";
import type {
  DemoAddress,
  DemoCheckout,
  DemoCustomer,
  DemoDiscount,
  DemoFulfillment,
  DemoLineItem,
  DemoOrder,
  DemoProduct,
  DemoRecordKind,
  DemoRecordKinds,
  DemoShopInfo,
} from "./demo-store-data";
import type { DemoStore } from "./demo-store.server";

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

const PAGE_ARGS = "first: Int, after: String, last: Int, before: String";
const connectionOf = (node: string) => `
type ${node}Connection { edges: [${node}Edge!]! nodes: [${node}!]! pageInfo: PageInfo! }
type ${node}Edge { cursor: String! node: ${node}! }`;

export const DEMO_ADMIN_SCHEMA_SDL = /* GraphQL */ `
"""ISO 8601 date and time in UTC, e.g. 2026-01-01T00:00:00Z."""
scalar DateTime
"""A decimal number as a string, e.g. "24.0"."""
scalar Decimal
"""A monetary value without currency, e.g. "24.00"."""
scalar Money
scalar URL
scalar HTML
"""An unsigned 64-bit integer as a string: Shopify IDs exceed 2^53."""
scalar UnsignedInt64
"""ISO 4217 code. An enum in Shopify's schema; the JSON is the same string."""
scalar CurrencyCode
"""ISO 3166-1 alpha-2 code. An enum in Shopify's schema; the JSON is the same string."""
scalar CountryCode
"""Any JSON value (a metafield's jsonValue)."""
scalar JSON

schema { query: QueryRoot mutation: Mutation }

interface Node { id: ID! }

type QueryRoot {
  node(id: ID!): Node
  shop: Shop!
  shopLocales(published: Boolean = false): [ShopLocale!]!
  order(id: ID!): Order
  orders(${PAGE_ARGS}, query: String, sortKey: OrderSortKeys = PROCESSED_AT, reverse: Boolean = false): OrderConnection!
  abandonedCheckouts(${PAGE_ARGS}, query: String, sortKey: AbandonedCheckoutSortKeys = ID, reverse: Boolean = false): AbandonedCheckoutConnection!
  product(id: ID!): Product
  products(${PAGE_ARGS}, query: String, sortKey: ProductSortKeys = ID, reverse: Boolean = false): ProductConnection!
  customer(id: ID!): Customer
  customers(${PAGE_ARGS}, query: String, sortKey: CustomerSortKeys = ID, reverse: Boolean = false): CustomerConnection!
  codeDiscountNode(id: ID!): DiscountCodeNode
  codeDiscountNodeByCode(code: String!): DiscountCodeNode
}

type Mutation {
  discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
  metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  metafieldsDelete(metafields: [MetafieldIdentifierInput!]!): MetafieldsDeletePayload
}

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

type MailingAddress {
  address1: String address2: String city: String company: String country: String countryCodeV2: CountryCode
  firstName: String lastName: String name: String phone: String province: String provinceCode: String zip: String
}

# --- Shop -------------------------------------------------------------------------------------
type Shop {
  id: ID! name: String! email: String! contactEmail: String! currencyCode: CurrencyCode!
  ianaTimezone: String! myshopifyDomain: String! primaryDomain: Domain! url: URL!
}
type Domain { id: ID! host: String! url: URL! sslEnabled: Boolean! }
type ShopLocale { locale: String! name: String! primary: Boolean! published: Boolean! }

# --- Orders -----------------------------------------------------------------------------------
enum OrderSortKeys { CREATED_AT CUSTOMER_NAME ID ORDER_NUMBER PROCESSED_AT RELEVANCE TOTAL_PRICE UPDATED_AT }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderDisplayFulfillmentStatus {
  FULFILLED FULFILLMENT_NOT_REQUIRED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT RESTOCKED SCHEDULED UNFULFILLED
}
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }

type Order implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  email: String
  phone: String
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  cancelReason: OrderCancelReason
  closed: Boolean!
  closedAt: DateTime
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  customerLocale: String
  currencyCode: CurrencyCode!
  presentmentCurrencyCode: CurrencyCode!
  totalPriceSet: MoneyBag!
  subtotalPriceSet: MoneyBag
  totalTaxSet: MoneyBag
  tags: [String!]!
  customerAcceptsMarketing: Boolean!
  statusPageUrl: URL!
  customer: Customer
  lineItems(${PAGE_ARGS}, reverse: Boolean = false): LineItemConnection!
  fulfillments(first: Int): [Fulfillment!]!
  shippingAddress: MailingAddress
  billingAddress: MailingAddress
}
${connectionOf("Order")}

type LineItem implements Node {
  id: ID! name: String! title: String! quantity: Int! currentQuantity: Int! variantTitle: String sku: String
  product: Product variant: ProductVariant originalUnitPriceSet: MoneyBag! originalTotalSet: MoneyBag!
}
${connectionOf("LineItem")}

enum FulfillmentStatus { CANCELLED ERROR FAILURE SUCCESS }
enum FulfillmentDisplayStatus {
  ATTEMPTED_DELIVERY CANCELED CARRIER_PICKED_UP CONFIRMED DELAYED DELIVERED FAILURE FULFILLED IN_TRANSIT LABEL_PRINTED
  LABEL_PURCHASED LABEL_VOIDED MARKED_AS_FULFILLED NOT_DELIVERED OUT_FOR_DELIVERY PICKED_UP READY_FOR_PICKUP SUBMITTED
}
type Fulfillment implements Node {
  id: ID! legacyResourceId: UnsignedInt64! name: String! status: FulfillmentStatus! displayStatus: FulfillmentDisplayStatus
  createdAt: DateTime! updatedAt: DateTime! deliveredAt: DateTime
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
  fulfillmentLineItems(${PAGE_ARGS}, reverse: Boolean = false): FulfillmentLineItemConnection!
}
type FulfillmentTrackingInfo { company: String number: String url: URL }
type FulfillmentLineItem { id: ID! quantity: Int lineItem: LineItem! }
${connectionOf("FulfillmentLineItem")}

# --- Abandoned checkouts ----------------------------------------------------------------------
enum AbandonedCheckoutSortKeys { CHECKOUT_ID CREATED_AT CUSTOMER_NAME ID RELEVANCE TOTAL_PRICE }
type AbandonedCheckout implements Node {
  id: ID! name: String! abandonedCheckoutUrl: URL! createdAt: DateTime! updatedAt: DateTime! completedAt: DateTime
  customer: Customer discountCodes: [String!]! totalPriceSet: MoneyBag! subtotalPriceSet: MoneyBag!
  billingAddress: MailingAddress shippingAddress: MailingAddress
  lineItems(${PAGE_ARGS}, reverse: Boolean = false): AbandonedCheckoutLineItemConnection!
}
${connectionOf("AbandonedCheckout")}
type AbandonedCheckoutLineItem implements Node {
  id: ID! title: String variantTitle: String quantity: Int! sku: String product: Product variant: ProductVariant
  originalUnitPriceSet: MoneyBag! originalTotalPriceSet: MoneyBag!
}
${connectionOf("AbandonedCheckoutLineItem")}

# --- Products ---------------------------------------------------------------------------------
enum ProductSortKeys { CREATED_AT ID INVENTORY_TOTAL PRODUCT_TYPE RELEVANCE TITLE UPDATED_AT VENDOR }
enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum MediaContentType { EXTERNAL_VIDEO IMAGE MODEL_3D VIDEO }
enum MediaStatus { FAILED PROCESSING READY UPLOADED }
enum MediaPreviewImageStatus { FAILED PROCESSING READY UPLOADED }

type Product implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! handle: String! description(truncateAt: Int): String!
  descriptionHtml: HTML! vendor: String! productType: String! tags: [String!]! status: ProductStatus!
  createdAt: DateTime! updatedAt: DateTime! onlineStoreUrl: URL totalInventory: Int!
  featuredImage: Image @deprecated(reason: "Use featuredMedia instead.")
  featuredMedia: Media
  images(${PAGE_ARGS}, reverse: Boolean = false): ImageConnection!
  media(${PAGE_ARGS}, reverse: Boolean = false): MediaConnection!
  variants(${PAGE_ARGS}, reverse: Boolean = false): ProductVariantConnection!
  metafield(namespace: String, key: String!): Metafield
  metafields(${PAGE_ARGS}, namespace: String, reverse: Boolean = false): MetafieldConnection!
}
${connectionOf("Product")}
# --- Metafields (products only in the demo) ----------------------------------------------------
enum MetafieldOwnerType { PRODUCT }
type Metafield implements Node {
  id: ID! legacyResourceId: UnsignedInt64! namespace: String! key: String! type: String! value: String! jsonValue: JSON!
  ownerType: MetafieldOwnerType! compareDigest: String! createdAt: DateTime! updatedAt: DateTime!
}
${connectionOf("Metafield")}
input MetafieldsSetInput { ownerId: ID! namespace: String key: String! value: String! type: String compareDigest: String }
input MetafieldIdentifierInput { ownerId: ID! namespace: String! key: String! }
enum MetafieldsSetUserErrorCode {
  APP_NOT_AUTHORIZED BLANK CAPABILITY_VIOLATION INCLUSION INVALID INVALID_COMPARE_DIGEST INVALID_TYPE INVALID_VALUE
  LESS_THAN_OR_EQUAL_TO PRESENT STALE_OBJECT TAKEN TOO_LONG TOO_SHORT
}
type MetafieldsSetUserError { field: [String!] message: String! code: MetafieldsSetUserErrorCode elementIndex: Int }
type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }
type MetafieldIdentifier { ownerId: ID! namespace: String! key: String! }
type UserError { field: [String!] message: String! }
type MetafieldsDeletePayload { deletedMetafields: [MetafieldIdentifier] userErrors: [UserError!]! }
type Image { id: ID altText: String url: URL! width: Int height: Int }
${connectionOf("Image")}
interface Media { id: ID! alt: String mediaContentType: MediaContentType! status: MediaStatus! preview: MediaPreviewImage }
type MediaImage implements Media & Node {
  id: ID! alt: String mediaContentType: MediaContentType! status: MediaStatus! preview: MediaPreviewImage image: Image mimeType: String
}
type MediaPreviewImage { image: Image status: MediaPreviewImageStatus! }
${connectionOf("Media")}
type ProductVariant implements Node {
  id: ID! legacyResourceId: UnsignedInt64! title: String! displayName: String! price: Money! sku: String
  inventoryQuantity: Int product: Product!
}
${connectionOf("ProductVariant")}

# --- Customers --------------------------------------------------------------------------------
enum CustomerSortKeys { CREATED_AT ID NAME RELEVANCE UPDATED_AT }
enum CustomerState { DECLINED DISABLED ENABLED INVITED }
enum CustomerEmailAddressMarketingState { INVALID NOT_SUBSCRIBED PENDING SUBSCRIBED UNSUBSCRIBED }
enum CustomerSmsMarketingState { NOT_SUBSCRIBED PENDING REDACTED SUBSCRIBED UNSUBSCRIBED }
enum CustomerMarketingOptInLevel { CONFIRMED_OPT_IN SINGLE_OPT_IN UNKNOWN }

type Customer implements Node {
  id: ID! legacyResourceId: UnsignedInt64! firstName: String lastName: String displayName: String!
  email: String @deprecated(reason: "Use defaultEmailAddress.emailAddress instead.")
  phone: String @deprecated(reason: "Use defaultPhoneNumber.phoneNumber instead.")
  locale: String! tags: [String!]! state: CustomerState! verifiedEmail: Boolean!
  createdAt: DateTime! updatedAt: DateTime!
  defaultEmailAddress: CustomerEmailAddress defaultPhoneNumber: CustomerPhoneNumber defaultAddress: MailingAddress
}
${connectionOf("Customer")}
type CustomerEmailAddress {
  emailAddress: String marketingState: CustomerEmailAddressMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel marketingUpdatedAt: DateTime
}
type CustomerPhoneNumber {
  phoneNumber: String! marketingState: CustomerSmsMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel marketingUpdatedAt: DateTime
}

# --- Discounts --------------------------------------------------------------------------------
enum DiscountStatus { ACTIVE EXPIRED SCHEDULED }
enum DiscountClass { ORDER PRODUCT SHIPPING }
enum DiscountBuyerSelection { ALL }
enum DiscountErrorCode {
  ACTIVE_PERIOD_OVERLAP APPLIES_ON_NOTHING BLANK CONFLICT DUPLICATE END_DATE_BEFORE_START_DATE EQUAL_TO EXCEEDED_MAX
  GREATER_THAN GREATER_THAN_OR_EQUAL_TO IMPLICIT_DUPLICATE INCLUSION INTERNAL_ERROR INVALID LESS_THAN LESS_THAN_OR_EQUAL_TO
  MISSING_ARGUMENT PRESENT TAKEN TOO_LONG TOO_MANY_ARGUMENTS TOO_SHORT VALUE_OUTSIDE_RANGE
}

type DiscountCodeNode implements Node { id: ID! codeDiscount: DiscountCode! }
union DiscountCode = DiscountCodeBasic
type DiscountCodeBasic {
  title: String! status: DiscountStatus! summary: String! startsAt: DateTime! endsAt: DateTime
  createdAt: DateTime! updatedAt: DateTime! usageLimit: Int appliesOncePerCustomer: Boolean! asyncUsageCount: Int!
  discountClasses: [DiscountClass!]! combinesWith: DiscountCombinesWith!
  codes(${PAGE_ARGS}, reverse: Boolean = false): DiscountRedeemCodeConnection!
  context: DiscountContext! customerGets: DiscountCustomerGets! minimumRequirement: DiscountMinimumRequirement
}
type DiscountRedeemCode { id: ID! code: String! asyncUsageCount: Int! }
${connectionOf("DiscountRedeemCode")}
type DiscountCombinesWith { orderDiscounts: Boolean! productDiscounts: Boolean! shippingDiscounts: Boolean! }
union DiscountContext = DiscountBuyerSelectionAll | DiscountCustomers
type DiscountBuyerSelectionAll { all: DiscountBuyerSelection! }
type DiscountCustomers { customers: [Customer!]! }
type DiscountCustomerGets {
  value: DiscountCustomerGetsValue! items: DiscountItems! appliesOnOneTimePurchase: Boolean! appliesOnSubscription: Boolean!
}
union DiscountCustomerGetsValue = DiscountAmount | DiscountPercentage
type DiscountAmount { amount: MoneyV2! appliesOnEachItem: Boolean! }
type DiscountPercentage { percentage: Float! }
union DiscountItems = AllDiscountItems
type AllDiscountItems { allItems: Boolean! }
union DiscountMinimumRequirement = DiscountMinimumQuantity | DiscountMinimumSubtotal
type DiscountMinimumQuantity { greaterThanOrEqualToQuantity: UnsignedInt64! }
type DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal: MoneyV2! }
type DiscountUserError { code: DiscountErrorCode extraInfo: String field: [String!] message: String! }
type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }

input DiscountCodeBasicInput {
  appliesOncePerCustomer: Boolean code: String combinesWith: DiscountCombinesWithInput context: DiscountContextInput
  customerGets: DiscountCustomerGetsInput
  customerSelection: DiscountCustomerSelectionInput @deprecated(reason: "Use context instead.")
  endsAt: DateTime minimumRequirement: DiscountMinimumRequirementInput recurringCycleLimit: Int startsAt: DateTime
  title: String usageLimit: Int
}
input DiscountCombinesWithInput { orderDiscounts: Boolean productDiscounts: Boolean shippingDiscounts: Boolean }
input DiscountContextInput { all: DiscountBuyerSelection customers: DiscountCustomersInput }
input DiscountCustomerSelectionInput { all: Boolean customers: DiscountCustomersInput }
input DiscountCustomersInput { add: [ID!] remove: [ID!] }
input DiscountCustomerGetsInput {
  value: DiscountCustomerGetsValueInput items: DiscountItemsInput appliesOnOneTimePurchase: Boolean appliesOnSubscription: Boolean
}
input DiscountCustomerGetsValueInput { percentage: Float discountAmount: DiscountAmountInput }
input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
input DiscountItemsInput { all: Boolean }
input DiscountMinimumRequirementInput { quantity: DiscountMinimumQuantityInput subtotal: DiscountMinimumSubtotalInput }
input DiscountMinimumQuantityInput { greaterThanOrEqualToQuantity: UnsignedInt64 }
input DiscountMinimumSubtotalInput { greaterThanOrEqualToSubtotal: Decimal }
`;

let schemaInstance: GraphQLSchema | undefined;

/** Built on first use: the SDL is parsed once per process. */
export function demoAdminSchema(): GraphQLSchema {
  if (!schemaInstance) {
    const schema = buildSchema(DEMO_ADMIN_SCHEMA_SDL);
    configureScalars(schema);
    schemaInstance = schema;
  }
  return schemaInstance;
}

// Shopify serializes times as UTC seconds and decimals without trailing zeros ("24.0"); the
// records keep REST strings, so the scalars do the conversion once for every field.
function configureScalars(schema: GraphQLSchema): void {
  const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;
  const literal = (parseValue: (value: unknown) => unknown) => (node: ASTNode) => {
    if (node.kind !== Kind.STRING && node.kind !== Kind.INT && node.kind !== Kind.FLOAT) throw new GraphQLError("expected a string");
    return parseValue(node.value);
  };

  const dateTime = scalar("DateTime");
  dateTime.serialize = (value) => toDateTime(value);
  dateTime.parseValue = (value) => {
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw new GraphQLError(`invalid date-time '${String(value)}'`);
    return value;
  };
  dateTime.parseLiteral = literal(dateTime.parseValue);

  const decimal = scalar("Decimal");
  decimal.serialize = (value) => toDecimal(String(value));
  decimal.parseValue = (value) => {
    const text = typeof value === "number" ? String(value) : value;
    if (typeof text !== "string" || !DECIMAL.test(text.trim())) throw new GraphQLError(`invalid decimal '${String(value)}'`); // captured
    return text.trim();
  };
  decimal.parseLiteral = literal(decimal.parseValue);

  const unsigned = scalar("UnsignedInt64");
  unsigned.serialize = (value) => String(value);
  unsigned.parseValue = (value) => {
    if ((typeof value !== "string" && typeof value !== "number") || !/^\d+$/.test(String(value))) {
      throw new GraphQLError(`invalid unsigned integer '${String(value)}'`);
    }
    return String(value);
  };
  unsigned.parseLiteral = literal(unsigned.parseValue);
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function toDateTime(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new TypeError(`not a date-time: ${String(value)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function toDecimal(value: string): string {
  if (!DECIMAL.test(value)) return value;
  const [whole, fraction = ""] = value.split(".");
  return `${whole}.${fraction.replace(/0+$/, "") || "0"}`;
}

// ---------------------------------------------------------------------------------------------
// Ids and cursors
// ---------------------------------------------------------------------------------------------

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

/** The record id inside a gid of the expected type; null for another type (Shopify answers null). */
function idFromGid(value: string, type: string): string | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/([^/?#]+)/.exec(value);
  if (!match) {
    throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" } });
  }
  return match[1] === type ? match[2] : null;
}

/** A stable numeric-looking id (16 digits, no leading zero) for things the records key otherwise. */
function numericId(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex").slice(0, 13);
  return (BigInt(`0x${hex}`) + 10n ** 15n).toString();
}

const checkoutIdOf = (checkout: DemoCheckout) => numericId(`checkout:${checkout.token}`);

const encodeCursor = (id: string) => Buffer.from(id, "utf8").toString("base64");
function decodeCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, "base64").toString("utf8");
  return encodeCursor(id) === cursor ? id : null;
}

/** Orders numeric strings of any length (ids beyond 2^53) without losing precision. */
function compareNumeric(a: string, b: string): number | null {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return Number.isNaN(x) || Number.isNaN(y) ? null : x - y;
}
const compareIds = (a: string, b: string) => compareNumeric(a, b) ?? a.localeCompare(b);

// ---------------------------------------------------------------------------------------------
// Connections: Relay pagination with Shopify's rules (first or last required, at most 250)
// ---------------------------------------------------------------------------------------------

type ConnectionArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null; reverse?: boolean | null };
type ListArgs = ConnectionArgs & { query?: string | null; sortKey?: string | null };
type Gql = Record<string, unknown>;

const MAX_PAGE_SIZE = 250;
const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });

function connection<T>(
  field: string,
  args: ConnectionArgs,
  sorted: readonly T[],
  keyOf: (record: T) => string,
  toNode: (record: T) => unknown,
  include: (record: T) => boolean = () => true,
): Gql {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first === null && last === null) throw badRequest("you must provide one of first or last"); // captured
  if (first !== null && last !== null) throw badRequest("providing both first and last is not supported"); // captured
  for (const [name, size] of [["first", first], ["last", last]] as const) {
    if (size !== null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw badRequest(`The '${name}' argument on '${field}' must be between 0 and ${MAX_PAGE_SIZE}, got ${size}.`);
    }
  }

  // Cursors point into the sorted list before filtering, so a page boundary stays put even
  // when the record it names no longer matches the query.
  const position = (cursor: string) => {
    const id = decodeCursor(cursor);
    const index = id === null ? -1 : sorted.findIndex((record) => keyOf(record) === id);
    if (index < 0) throw badRequest(`Invalid cursor for '${field}'.`);
    return index;
  };
  const from = args.after ? position(args.after) + 1 : 0;
  const to = args.before ? position(args.before) : sorted.length;
  const window: number[] = [];
  for (let i = from; i < to; i++) if (include(sorted[i])) window.push(i);
  let page = window;
  if (first !== null) page = page.slice(0, first);
  if (last !== null) page = page.slice(Math.max(page.length - last, 0));

  const anyIncluded = (start: number, end: number) => {
    for (let i = start; i < end; i++) if (include(sorted[i])) return true;
    return false;
  };
  const edges = page.map((i) => ({ cursor: encodeCursor(keyOf(sorted[i])), node: toNode(sorted[i]) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasPreviousPage: anyIncluded(0, page.length ? page[0] : from),
      hasNextPage: page.length ? anyIncluded(page[page.length - 1] + 1, sorted.length) : anyIncluded(from, sorted.length),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A nested connection over a record's own list (line items, images, variants...). */
function listConnection<T>(field: string, args: ConnectionArgs, items: readonly T[], keyOf: (r: T) => string, toNode: (r: T) => unknown): Gql {
  return connection(field, args, args.reverse ? [...items].reverse() : items, keyOf, toNode);
}

// ---------------------------------------------------------------------------------------------
// Search syntax (the `query` argument): `field:value`, `field:>=value`, quotes, `-field:x`,
// `NOT`, `AND`, `OR`, bare words as free text. Unknown fields are ignored, as Shopify does.
// ---------------------------------------------------------------------------------------------

type FieldKind = "text" | "date" | "number";
type SearchField<T> = { kind: FieldKind; get: (record: T) => string | null | undefined | Array<string | null | undefined> };
type Compare<T> = (a: T, b: T) => number;
type ListSpec<T> = {
  idOf: (record: T) => string;
  fields: Record<string, SearchField<T>>;
  text: (record: T) => Array<string | null | undefined>;
  sorts: Record<string, Compare<T>>;
};
type Term = { field: string | null; op: "=" | ">" | ">=" | "<" | "<="; value: string; negate: boolean };

function parseSearch(query: string): Term[][] {
  const groups: Term[][] = [[]];
  let negateNext = false;
  const pattern = /(-)?(?:([A-Za-z_][\w.]*):)?(>=|<=|>|<)?("[^"]*"|'[^']*'|[^\s()]+)/g;
  for (const [, minus, field, op, raw] of query.replace(/[()]/g, " ").matchAll(pattern)) {
    if (!minus && !field && !op) {
      if (raw === "OR") {
        groups.push([]);
        continue;
      }
      if (raw === "AND") continue;
      if (raw === "NOT") {
        negateNext = true;
        continue;
      }
    }
    const value = raw.replace(/^(["'])([\s\S]*)\1$/, "$2");
    groups[groups.length - 1].push({ field: field?.toLowerCase() ?? null, op: (op ?? "=") as Term["op"], value, negate: Boolean(minus) || negateNext });
    negateNext = false;
  }
  return groups.filter((group) => group.length > 0);
}

function compileSearch<T>(query: string | null | undefined, spec: ListSpec<T>): (record: T) => boolean {
  const groups = query?.trim() ? parseSearch(query) : [];
  if (groups.length === 0) return () => true;
  return (record) =>
    groups.some((group) =>
      group.every((term) => {
        const matched = termMatches(term, record, spec);
        return matched === null || matched !== term.negate;
      }),
    );
}

function termMatches<T>(term: Term, record: T, spec: ListSpec<T>): boolean | null {
  if (term.field === null) {
    const needle = term.value.replace(/\*$/, "").toLowerCase();
    return spec.text(record).some((text) => text?.toLowerCase().includes(needle));
  }
  const field = spec.fields[term.field];
  if (!field) return null;
  const raw = field.get(record);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === "string" && value !== "");
  if (term.value === "*") return values.length > 0;
  return values.some((value) => compareTerm(field.kind, value, term));
}

function compareTerm(kind: FieldKind, actual: string, term: Term): boolean {
  let order: number | null;
  if (kind === "date") {
    const at = Date.parse(actual);
    const bound = Date.parse(term.value);
    if (Number.isNaN(at) || Number.isNaN(bound)) return false;
    // A bare date means that whole day (UTC), as in `created_at:2026-01-01`.
    if (term.op === "=" && /^\d{4}-\d{2}-\d{2}$/.test(term.value)) return toDateTime(at).startsWith(term.value);
    order = at - bound;
  } else if (kind === "number") {
    order = compareNumeric(actual, term.value);
  } else {
    const haystack = actual.toLowerCase();
    const needle = term.value.toLowerCase();
    if (term.op === "=") {
      if (needle.endsWith("*")) return haystack.startsWith(needle.slice(0, -1)) || haystack.split(/\s+/).some((word) => word.startsWith(needle.slice(0, -1)));
      return haystack === needle || haystack.split(/\s+/).includes(needle);
    }
    order = haystack.localeCompare(needle);
  }
  if (order === null) return false;
  switch (term.op) {
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    default:
      return order === 0;
  }
}

const byDate =
  <T>(get: (r: T) => string | null): Compare<T> =>
  (a, b) =>
    (Date.parse(get(a) ?? "") || 0) - (Date.parse(get(b) ?? "") || 0);
const byText =
  <T>(get: (r: T) => string): Compare<T> =>
  (a, b) =>
    get(a).localeCompare(get(b), "en", { sensitivity: "base" });
const byNumber =
  <T>(get: (r: T) => string | number): Compare<T> =>
  (a, b) =>
    compareNumeric(String(get(a)), String(get(b))) ?? 0;

function searchConnection<T>(field: string, args: ListArgs, records: readonly T[], spec: ListSpec<T>, toNode: (r: T) => unknown): Gql {
  const compare = spec.sorts[args.sortKey ?? "ID"] ?? spec.sorts.ID;
  const sorted = [...records].sort((a, b) => compare(a, b) || compareIds(spec.idOf(a), spec.idOf(b)));
  if (args.reverse) sorted.reverse();
  return connection(field, args, sorted, spec.idOf, toNode, compileSearch(args.query, spec));
}

const tagsOf = (tags: string) =>
  tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean)
    .sort((a, b) => a.localeCompare(b));
const fullName = (person: { first_name?: string | null; last_name?: string | null }) => [person.first_name, person.last_name].filter(Boolean).join(" ");

const ORDER_SPEC: ListSpec<DemoOrder> = {
  idOf: (o) => o.id,
  fields: {
    id: { kind: "number", get: (o) => o.id },
    created_at: { kind: "date", get: (o) => o.created_at },
    updated_at: { kind: "date", get: (o) => o.updated_at },
    processed_at: { kind: "date", get: (o) => o.processed_at },
    name: { kind: "text", get: (o) => [o.name, o.name.replace(/^#/, "")] },
    email: { kind: "text", get: (o) => o.email },
    customer_id: { kind: "number", get: (o) => o.customer?.id },
    financial_status: { kind: "text", get: (o) => o.financial_status },
    fulfillment_status: { kind: "text", get: (o) => o.fulfillment_status ?? ["unfulfilled", "unshipped"] },
    status: { kind: "text", get: (o) => (o.cancelled_at ? "cancelled" : o.closed_at ? "closed" : "open") },
    tag: { kind: "text", get: (o) => tagsOf(o.tags) },
    checkout_token: { kind: "text", get: (o) => o.checkout_token },
    sku: { kind: "text", get: (o) => o.line_items.map((li) => li.sku) },
  },
  text: (o) => [o.name, o.email, o.customer ? fullName(o.customer) : null],
  sorts: {
    ID: byNumber((o) => o.id),
    RELEVANCE: byNumber((o) => o.id),
    CREATED_AT: byDate((o) => o.created_at),
    UPDATED_AT: byDate((o) => o.updated_at),
    PROCESSED_AT: byDate((o) => o.processed_at),
    ORDER_NUMBER: byNumber((o) => o.order_number),
    TOTAL_PRICE: byNumber((o) => o.total_price),
    CUSTOMER_NAME: byText((o) => (o.customer ? fullName(o.customer) : "")),
  },
};

const CHECKOUT_SPEC: ListSpec<DemoCheckout> = {
  idOf: checkoutIdOf,
  fields: {
    id: { kind: "number", get: checkoutIdOf },
    created_at: { kind: "date", get: (c) => c.created_at },
    updated_at: { kind: "date", get: (c) => c.updated_at },
    email: { kind: "text", get: (c) => c.email },
    status: { kind: "text", get: (c) => (c.completed_at ? "closed" : "open") },
  },
  text: (c) => [c.email, c.customer ? fullName(c.customer) : null],
  sorts: {
    ID: byNumber(checkoutIdOf),
    CHECKOUT_ID: byNumber(checkoutIdOf),
    RELEVANCE: byNumber(checkoutIdOf),
    CREATED_AT: byDate((c) => c.created_at),
    TOTAL_PRICE: byNumber((c) => c.total_price),
    CUSTOMER_NAME: byText((c) => (c.customer ? fullName(c.customer) : "")),
  },
};

const totalInventory = (p: DemoProduct) => p.variants.reduce((sum, v) => sum + v.inventory_quantity, 0);
const PRODUCT_SPEC: ListSpec<DemoProduct> = {
  idOf: (p) => p.id,
  fields: {
    id: { kind: "number", get: (p) => p.id },
    title: { kind: "text", get: (p) => p.title },
    handle: { kind: "text", get: (p) => p.handle },
    vendor: { kind: "text", get: (p) => p.vendor },
    product_type: { kind: "text", get: (p) => p.product_type },
    tag: { kind: "text", get: (p) => tagsOf(p.tags) },
    status: { kind: "text", get: (p) => p.status },
    sku: { kind: "text", get: (p) => p.variants.map((v) => v.sku) },
    created_at: { kind: "date", get: (p) => p.created_at },
    updated_at: { kind: "date", get: (p) => p.updated_at },
  },
  text: (p) => [p.title, p.vendor, p.product_type, ...tagsOf(p.tags)],
  sorts: {
    ID: byNumber((p) => p.id),
    RELEVANCE: byNumber((p) => p.id),
    CREATED_AT: byDate((p) => p.created_at),
    UPDATED_AT: byDate((p) => p.updated_at),
    TITLE: byText((p) => p.title),
    VENDOR: byText((p) => p.vendor),
    PRODUCT_TYPE: byText((p) => p.product_type),
    INVENTORY_TOTAL: byNumber(totalInventory),
  },
};

const CUSTOMER_SPEC: ListSpec<DemoCustomer> = {
  idOf: (c) => c.id,
  fields: {
    id: { kind: "number", get: (c) => c.id },
    email: { kind: "text", get: (c) => c.email },
    phone: { kind: "text", get: (c) => c.phone },
    first_name: { kind: "text", get: (c) => c.first_name },
    last_name: { kind: "text", get: (c) => c.last_name },
    tag: { kind: "text", get: (c) => tagsOf(c.tags) },
    country: { kind: "text", get: (c) => [c.default_address?.country, c.default_address?.country_code] },
    state: { kind: "text", get: (c) => c.state },
    created_at: { kind: "date", get: (c) => c.created_at },
    updated_at: { kind: "date", get: (c) => c.updated_at },
  },
  text: (c) => [fullName(c), c.email, c.phone],
  sorts: {
    ID: byNumber((c) => c.id),
    RELEVANCE: byNumber((c) => c.id),
    CREATED_AT: byDate((c) => c.created_at),
    UPDATED_AT: byDate((c) => c.updated_at),
    NAME: byText((c) => fullName(c)),
  },
};

// ---------------------------------------------------------------------------------------------
// Per-request context: memoised reads, so a page of orders loads each product once
// ---------------------------------------------------------------------------------------------

class RequestContext {
  private readonly lists = new Map<DemoRecordKind, Promise<unknown[]>>();
  private readonly records = new Map<string, Promise<unknown>>();

  constructor(
    readonly store: DemoStore,
    readonly clock: Clock,
  ) {}

  list<K extends DemoRecordKind>(kind: K): Promise<DemoRecordKinds[K][]> {
    let pending = this.lists.get(kind);
    if (!pending) {
      pending = this.store.list(kind);
      this.lists.set(kind, pending);
    }
    return pending as Promise<DemoRecordKinds[K][]>;
  }

  get<K extends DemoRecordKind>(kind: K, id: string): Promise<DemoRecordKinds[K] | null> {
    const key = `${kind}/${id}`;
    let pending = this.records.get(key);
    if (!pending) {
      pending = this.store.get(kind, id);
      this.records.set(key, pending);
    }
    return pending as Promise<DemoRecordKinds[K] | null>;
  }

  async put<K extends DemoRecordKind>(kind: K, id: string, data: DemoRecordKinds[K]): Promise<void> {
    await this.store.put(kind, id, data, this.clock.now());
    this.lists.delete(kind);
    this.records.delete(`${kind}/${id}`);
  }

  async remove(kind: DemoRecordKind, id: string): Promise<boolean> {
    const removed = await this.store.delete(kind, id);
    this.lists.delete(kind);
    this.records.delete(`${kind}/${id}`);
    return removed;
  }

  async shop(): Promise<DemoShopInfo> {
    const shop = await this.get("shop", "shop");
    if (!shop) {
      throw new GraphQLError("The demo store has no shop record yet. Run `npm run demo` to seed it.", {
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      });
    }
    return shop;
  }
}

// ---------------------------------------------------------------------------------------------
// REST record -> GraphQL object. Fields that need arguments or more reads are functions, which
// graphql-js calls only when the query selects them.
// ---------------------------------------------------------------------------------------------

type MoneyBag = { shopMoney: { amount: string; currencyCode: string }; presentmentMoney: { amount: string; currencyCode: string } };
// Demo orders are single-currency (presentment = shop currency), so both sides carry one amount.
const moneyBag = (amount: string, shopCurrency: string, presentmentCurrency = shopCurrency): MoneyBag => ({
  shopMoney: { amount, currencyCode: shopCurrency },
  presentmentMoney: { amount, currencyCode: presentmentCurrency },
});
const times = (price: string, quantity: number) => ((Math.round(Number(price) * 100) * quantity) / 100).toFixed(2);

function toAddress(address: DemoAddress | null | undefined): Gql | null {
  if (!address) return null;
  return {
    address1: address.address1,
    address2: null,
    city: address.city,
    company: null,
    country: address.country,
    countryCodeV2: address.country_code,
    firstName: address.first_name,
    lastName: address.last_name,
    name: fullName(address),
    phone: address.phone,
    province: address.province,
    provinceCode: address.province_code,
    zip: address.zip,
  };
}

async function shopNode(ctx: RequestContext): Promise<Gql> {
  const info = await ctx.shop();
  const domain = ctx.store.shopDomain;
  const primary = new URL(info.primaryDomain.includes("://") ? info.primaryDomain : `https://${info.primaryDomain || domain}`);
  return {
    id: gid("Shop", numericId(`shop:${domain}`)),
    name: info.name,
    email: info.email,
    contactEmail: info.email,
    currencyCode: info.currencyCode,
    ianaTimezone: info.ianaTimezone,
    myshopifyDomain: domain,
    url: primary.origin,
    primaryDomain: { id: gid("Domain", numericId(`domain:${primary.host}`)), host: primary.host, url: primary.origin, sslEnabled: primary.protocol === "https:" },
  };
}

const localeNames = new Intl.DisplayNames(["en"], { type: "language", languageDisplay: "standard" });
function localeName(locale: string): string {
  try {
    return localeNames.of(locale) ?? locale;
  } catch {
    return locale;
  }
}

type CustomerLike = Omit<DemoCustomer, "email_marketing_consent" | "sms_marketing_consent"> &
  Partial<Pick<DemoCustomer, "email_marketing_consent" | "sms_marketing_consent">>;

/** Orders and checkouts embed a customer without consent; the full record has it. */
async function customerOf(embedded: CustomerLike | null | undefined, ctx: RequestContext): Promise<Gql | null> {
  if (!embedded) return null;
  return toCustomer((await ctx.get("customer", embedded.id)) ?? embedded);
}

function toCustomer(c: CustomerLike): Gql {
  const email = c.email_marketing_consent;
  const sms = c.sms_marketing_consent;
  const upper = (value: string | null | undefined) => (value ? value.toUpperCase() : null);
  return {
    __typename: "Customer",
    id: gid("Customer", c.id),
    legacyResourceId: c.id,
    firstName: c.first_name || null,
    lastName: c.last_name || null,
    displayName: fullName(c) || c.email || c.phone || "",
    email: c.email || null,
    phone: c.phone || null,
    locale: c.locale,
    tags: tagsOf(c.tags),
    state: upper(c.state) ?? "ENABLED",
    verifiedEmail: c.verified_email,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    defaultEmailAddress: c.email
      ? {
          emailAddress: c.email,
          marketingState: upper(email?.state) ?? "NOT_SUBSCRIBED",
          marketingOptInLevel: upper(email?.opt_in_level),
          marketingUpdatedAt: email?.consent_updated_at ?? null,
        }
      : null,
    defaultPhoneNumber: c.phone
      ? {
          phoneNumber: c.phone,
          marketingState: upper(sms?.state) ?? "NOT_SUBSCRIBED",
          marketingOptInLevel: upper(sms?.opt_in_level),
          marketingUpdatedAt: sms?.consent_updated_at ?? null,
        }
      : null,
    defaultAddress: toAddress(c.default_address),
  };
}

function toImage(image: DemoProduct["image"] | undefined): Gql | null {
  if (!image) return null;
  return { id: gid("ProductImage", image.id), altText: image.alt || null, url: image.src, width: null, height: null };
}

function toMediaImage(image: DemoProduct["image"]): Gql {
  const picture = toImage(image);
  return {
    __typename: "MediaImage",
    id: gid("MediaImage", image.id),
    alt: image.alt || null,
    mediaContentType: "IMAGE",
    status: "READY",
    preview: { image: picture, status: "READY" },
    image: picture,
    mimeType: /\.svg(\?|$)/.test(image.src) ? "image/svg+xml" : /\.png(\?|$)/.test(image.src) ? "image/png" : "image/jpeg",
  };
}

function toProduct(p: DemoProduct, ctx: RequestContext): Gql {
  const featured = p.image ?? p.images[0];
  return {
    __typename: "Product",
    id: gid("Product", p.id),
    legacyResourceId: p.id,
    title: p.title,
    handle: p.handle,
    description: ({ truncateAt }: { truncateAt?: number | null }) => {
      const text = p.body_html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
      return truncateAt && text.length > truncateAt ? `${text.slice(0, Math.max(truncateAt - 3, 0))}...` : text;
    },
    descriptionHtml: p.body_html,
    vendor: p.vendor,
    productType: p.product_type,
    tags: tagsOf(p.tags),
    status: p.status.toUpperCase(),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    onlineStoreUrl: null,
    totalInventory: totalInventory(p),
    featuredImage: toImage(featured),
    featuredMedia: featured ? toMediaImage(featured) : null,
    images: (args: ConnectionArgs) => listConnection("images", args, p.images, (i) => i.id, toImage),
    media: (args: ConnectionArgs) => listConnection("media", args, p.images, (i) => i.id, toMediaImage),
    variants: (args: ConnectionArgs) => listConnection("variants", args, p.variants, (v) => v.id, (v) => toVariant(v, p, ctx)),
    metafield: async ({ namespace, key }: { namespace?: string | null; key: string }) => {
      const record = await ctx.get("metafield", metafieldKey(p.id, namespace ?? "app", key));
      return record && toMetafield(record);
    },
    metafields: async (args: ConnectionArgs & { namespace?: string | null }) => {
      const own = (await ctx.list("metafield")).filter((m) => m.owner_id === p.id && (!args.namespace || m.namespace === args.namespace));
      return listConnection("metafields", args, own, (m) => m.id, toMetafield);
    },
  };
}

function toVariant(v: DemoProduct["variants"][number], p: DemoProduct, ctx: RequestContext): Gql {
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", v.id),
    legacyResourceId: v.id,
    title: v.title,
    displayName: `${p.title} - ${v.title}`,
    price: v.price,
    sku: v.sku || null,
    inventoryQuantity: v.inventory_quantity,
    product: () => toProduct(p, ctx),
  };
}

/** Line items point at the catalogue; the product may since have been removed (then null). */
function catalogueLinks(line: { product_id: string; variant_id: string }, ctx: RequestContext) {
  return {
    product: async () => {
      const product = await ctx.get("product", line.product_id);
      return product ? toProduct(product, ctx) : null;
    },
    variant: async () => {
      const product = await ctx.get("product", line.product_id);
      const variant = product?.variants.find((v) => v.id === line.variant_id);
      return product && variant ? toVariant(variant, product, ctx) : null;
    },
  };
}

function toLineItem(li: DemoLineItem, o: DemoOrder, ctx: RequestContext): Gql {
  const bag = (amount: string) => moneyBag(amount, o.currency, o.presentment_currency);
  const variantTitle = li.variant_title && li.variant_title !== "Default Title" ? li.variant_title : null;
  return {
    __typename: "LineItem",
    id: gid("LineItem", li.id),
    name: variantTitle ? `${li.title} - ${variantTitle}` : li.title,
    title: li.title,
    quantity: li.quantity,
    currentQuantity: li.quantity,
    variantTitle: li.variant_title || null,
    sku: li.sku || null,
    ...catalogueLinks(li, ctx),
    originalUnitPriceSet: bag(li.price),
    originalTotalSet: bag(times(li.price, li.quantity)),
  };
}

const DISPLAY_FULFILLMENT_STATUS: Record<string, string> = { fulfilled: "FULFILLED", partial: "PARTIALLY_FULFILLED" };
const SHIPMENT_DISPLAY_STATUS: Record<string, string> = {
  confirmed: "CONFIRMED",
  in_transit: "IN_TRANSIT",
  out_for_delivery: "OUT_FOR_DELIVERY",
  delivered: "DELIVERED",
  failure: "FAILURE",
  attempted_delivery: "ATTEMPTED_DELIVERY",
};
const CANCEL_REASONS = new Set(["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"]);

function toFulfillment(f: DemoFulfillment, index: number, o: DemoOrder, ctx: RequestContext): Gql {
  const numbers = f.tracking_numbers.length ? f.tracking_numbers : f.tracking_number ? [f.tracking_number] : [];
  const tracking = numbers.map((number, i) => ({
    company: f.tracking_company || null,
    number,
    url: f.tracking_urls[i] ?? (i === 0 ? f.tracking_url || null : null),
  }));
  return {
    __typename: "Fulfillment",
    id: gid("Fulfillment", f.id),
    legacyResourceId: f.id,
    name: `${o.name}.${index + 1}`,
    status: f.status.toUpperCase(),
    displayStatus: f.shipment_status ? (SHIPMENT_DISPLAY_STATUS[f.shipment_status] ?? "FULFILLED") : "FULFILLED",
    createdAt: f.created_at,
    updatedAt: f.updated_at,
    deliveredAt: f.shipment_status === "delivered" ? f.updated_at : null,
    trackingInfo: ({ first }: { first?: number | null }) => (first == null ? tracking : tracking.slice(0, first)),
    fulfillmentLineItems: (args: ConnectionArgs) =>
      listConnection("fulfillmentLineItems", args, f.line_items, (li) => li.id, (li) => ({
        id: gid("FulfillmentLineItem", li.id),
        quantity: li.quantity,
        lineItem: toLineItem(li, o, ctx),
      })),
  };
}

function toOrder(o: DemoOrder, ctx: RequestContext): Gql {
  const bag = (amount: string) => moneyBag(amount, o.currency, o.presentment_currency);
  const cancelReason = o.cancel_reason?.toUpperCase() ?? null;
  return {
    __typename: "Order",
    id: gid("Order", o.id),
    legacyResourceId: o.id,
    name: o.name,
    email: o.email || null,
    phone: o.phone || null,
    createdAt: o.created_at,
    updatedAt: o.updated_at,
    processedAt: o.processed_at,
    cancelledAt: o.cancelled_at,
    cancelReason: cancelReason === null ? null : CANCEL_REASONS.has(cancelReason) ? cancelReason : "OTHER",
    closed: o.closed_at !== null,
    closedAt: o.closed_at,
    displayFinancialStatus: o.financial_status.toUpperCase(),
    displayFulfillmentStatus: DISPLAY_FULFILLMENT_STATUS[o.fulfillment_status ?? ""] ?? "UNFULFILLED",
    customerLocale: o.customer_locale || null,
    currencyCode: o.currency,
    presentmentCurrencyCode: o.presentment_currency,
    totalPriceSet: bag(o.total_price),
    subtotalPriceSet: bag(o.subtotal_price),
    totalTaxSet: bag(o.total_tax),
    tags: tagsOf(o.tags),
    customerAcceptsMarketing: o.buyer_accepts_marketing,
    statusPageUrl: o.order_status_url,
    customer: () => customerOf(o.customer, ctx),
    lineItems: (args: ConnectionArgs) => listConnection("lineItems", args, o.line_items, (li) => li.id, (li) => toLineItem(li, o, ctx)),
    fulfillments: ({ first }: { first?: number | null }) =>
      o.fulfillments.slice(0, first ?? undefined).map((f, index) => toFulfillment(f, index, o, ctx)),
    shippingAddress: toAddress(o.shipping_address),
    billingAddress: toAddress(o.billing_address),
  };
}

function toCheckout(c: DemoCheckout, ctx: RequestContext): Gql {
  const id = checkoutIdOf(c);
  const bag = (amount: string) => moneyBag(amount, c.currency, c.presentment_currency);
  type CheckoutLine = DemoCheckout["line_items"][number];
  const lineId = (line: CheckoutLine) => numericId(`checkout-line:${c.token}:${line.key}`);
  return {
    __typename: "AbandonedCheckout",
    id: gid("AbandonedCheckout", id),
    name: `#${id}`,
    abandonedCheckoutUrl: c.abandoned_checkout_url,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    completedAt: c.completed_at,
    customer: () => customerOf(c.customer, ctx),
    discountCodes: [],
    totalPriceSet: bag(c.total_price),
    subtotalPriceSet: bag(c.subtotal_price),
    billingAddress: toAddress(c.billing_address),
    shippingAddress: toAddress(c.shipping_address),
    lineItems: (args: ConnectionArgs) =>
      listConnection("lineItems", args, c.line_items, lineId, (line) => ({
        __typename: "AbandonedCheckoutLineItem",
        id: gid("AbandonedCheckoutLineItem", lineId(line)),
        title: line.title,
        variantTitle: line.variant_title || null,
        quantity: line.quantity,
        sku: line.sku || null,
        ...catalogueLinks(line, ctx),
        originalUnitPriceSet: bag(line.price),
        originalTotalPriceSet: bag(times(line.price, line.quantity)),
      })),
  };
}

// ---------------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------------

/**
 * A discount as the demo store keeps it: DemoDiscount (percentage as Shopify's fraction, 0.1 =
 * 10%) plus what the basic-code input carries beyond it. A fixed-amount discount keeps
 * percentage 0 and its `amount` in the shop's currency.
 */
type StoredDiscount = DemoDiscount & {
  updated_at?: string;
  amount?: string;
  applies_on_each_item?: boolean;
  applies_once_per_customer?: boolean;
  combines_with?: { order: boolean; product: boolean; shipping: boolean };
  customer_ids?: string[];
  minimum_subtotal?: string;
  minimum_quantity?: string;
};

type CustomersInput = { add?: string[] | null; remove?: string[] | null } | null;
type DiscountCodeBasicInput = {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  recurringCycleLimit?: number | null;
  combinesWith?: { orderDiscounts?: boolean | null; productDiscounts?: boolean | null; shippingDiscounts?: boolean | null } | null;
  context?: { all?: string | null; customers?: CustomersInput } | null;
  customerSelection?: { all?: boolean | null; customers?: CustomersInput } | null;
  customerGets?: {
    value?: { percentage?: number | null; discountAmount?: { amount?: string | null; appliesOnEachItem?: boolean | null } | null } | null;
    items?: { all?: boolean | null } | null;
    appliesOnOneTimePurchase?: boolean | null;
    appliesOnSubscription?: boolean | null;
  } | null;
  minimumRequirement?: {
    quantity?: { greaterThanOrEqualToQuantity?: string | null } | null;
    subtotal?: { greaterThanOrEqualToSubtotal?: string | null } | null;
  } | null;
};
type DiscountUserError = { field: string[]; message: string; code: string; extraInfo: null };

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
const userError = (field: string[], message: string, code: string): DiscountUserError => ({
  field: ["basicCodeDiscount", ...field],
  message,
  code,
  extraInfo: null,
});

/** Conflicts Shopify rejects before validating the discount: a top-level error, payload null (captured). */
function assertNoInputConflicts(input: DiscountCodeBasicInput): void {
  const value = input.customerGets?.value;
  if (value && present(value.percentage) && present(value.discountAmount)) {
    throw badRequest("A discount can only have one of percentage, discountOnQuantity or discountAmount.");
  }
  const selection = input.customerSelection;
  if (selection?.all === true && present(selection.customers)) {
    throw badRequest("A discount cannot have customerSelection set to all, when customers or customerSavedSearches is specified.");
  }
  for (const customers of [input.context?.customers, selection?.customers]) {
    const removed = new Set(customers?.remove ?? []);
    if ((customers?.add ?? []).some((id) => removed.has(id))) throw badRequest("A customer id is present in `add` and `remove` fields");
  }
}

function validateDiscount(input: DiscountCodeBasicInput, existing: StoredDiscount[]): DiscountUserError[] {
  const errors: DiscountUserError[] = [];
  const code = input.code;
  // Code: the wording and codes below were captured from Shopify 2026-04.
  if (!present(code) || (code.length > 0 && code.trim() === "")) errors.push(userError(["code"], "Code can't be blank", "BLANK"));
  else if (code.length === 0) errors.push(userError(["code"], "Code is too short (minimum is 1 character)", "TOO_SHORT"));
  else if (/[\r\n]/.test(code)) errors.push(userError(["code"], "Code cannot contain newline characters.", "INVALID"));
  else if (code.length > 255) errors.push(userError(["code"], "Code is too long (maximum is 255 characters)", "TOO_LONG"));

  if (present(input.context) && present(input.customerSelection)) {
    errors.push(userError(["context"], "Only one of context or customerSelection can be provided.", "INVALID"));
  }
  if (errors.length === 0 && present(code)) {
    // Redeem codes are case-insensitive at checkout, so uniqueness is too.
    const taken = existing.some((discount) => discount.code.toLowerCase() === code.toLowerCase());
    if (taken) errors.push(userError(["code"], "Code must be unique. Please try a different code.", "TAKEN"));
  }

  const value = input.customerGets?.value;
  if (!present(value) || (!present(value.percentage) && !present(value.discountAmount))) {
    errors.push(userError(["customerGets", "value"], "Discount value must be defined.", "BLANK"));
  } else if (present(value.percentage) && (value.percentage < 0 || value.percentage > 1)) {
    errors.push(userError(["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE"));
  } else if (present(value.discountAmount) && Number(value.discountAmount.amount ?? "0") < 0) {
    // (sic) Shopify's wording for a negative amount, as captured.
    errors.push(userError(["customerGets", "value", "discountAmount", "amount"], "Value must be less than or equal to 0", "LESS_THAN_OR_EQUAL_TO"));
  }

  // The demo shop sells no subscriptions, so Shopify refuses the subscription fields.
  if (present(input.customerGets?.appliesOnSubscription)) {
    errors.push(userError(["customerGets", "appliesOnSubscription"], "Customer gets applies on subscription is not permitted for this shop.", "INVALID"));
  }
  if (present(input.customerGets?.appliesOnOneTimePurchase)) {
    errors.push(
      userError(["customerGets", "appliesOnOneTimePurchase"], "Customer gets applies on one time purchase is not permitted for this shop.", "INVALID"),
    );
  }
  if (present(input.recurringCycleLimit)) {
    errors.push(userError(["recurringCycleLimit"], "Recurring cycle limit is not permitted for this shop.", "INVALID"));
  }

  if (present(input.startsAt) && present(input.endsAt) && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
    errors.push(userError(["endsAt"], "Ends at needs to be after starts_at", "INVALID"));
  }
  return errors;
}

async function createBasicCodeDiscount(ctx: RequestContext, input: DiscountCodeBasicInput): Promise<Gql> {
  assertNoInputConflicts(input);
  const existing = (await ctx.list("discount")) as StoredDiscount[];
  const userErrors = validateDiscount(input, existing);
  if (userErrors.length > 0) return { codeDiscountNode: null, userErrors };

  const customerIds = (input.context?.customers?.add ?? input.customerSelection?.customers?.add ?? [])
    .map((id) => idFromGid(id, "Customer"))
    .filter((id): id is string => id !== null);
  const value = input.customerGets?.value;
  const amount = value?.discountAmount?.amount;
  const combines = input.combinesWith;
  const minimum = input.minimumRequirement;
  const now = toDateTime(ctx.clock.now());
  // Shopify-sized ids (13-15 digits); the demo store never holds enough discounts to collide.
  const id = String(1_000_000_000_000 + randomInt(0, 2 ** 47));
  const record: StoredDiscount = {
    id,
    code: input.code ?? "",
    title: input.title ?? input.code ?? "",
    percentage: value?.percentage ?? 0,
    starts_at: toDateTime(input.startsAt ?? now),
    ends_at: input.endsAt ? toDateTime(input.endsAt) : null,
    usage_limit: input.usageLimit ?? null,
    customer_id: customerIds[0] ?? null,
    created_at: now,
    updated_at: now,
    applies_once_per_customer: input.appliesOncePerCustomer ?? false,
    combines_with: { order: combines?.orderDiscounts ?? false, product: combines?.productDiscounts ?? false, shipping: combines?.shippingDiscounts ?? false },
    ...(present(amount) ? { amount, applies_on_each_item: value?.discountAmount?.appliesOnEachItem ?? false } : {}),
    ...(customerIds.length > 1 ? { customer_ids: customerIds } : {}),
    ...(minimum?.subtotal?.greaterThanOrEqualToSubtotal ? { minimum_subtotal: minimum.subtotal.greaterThanOrEqualToSubtotal } : {}),
    ...(minimum?.quantity?.greaterThanOrEqualToQuantity ? { minimum_quantity: minimum.quantity.greaterThanOrEqualToQuantity } : {}),
  };
  await ctx.put("discount", id, record);
  return { codeDiscountNode: toDiscountNode(record, ctx), userErrors: [] };
}

// --- Metafields ---------------------------------------------------------------------------------

type MetafieldsSetInput = { ownerId: string; namespace?: string | null; key: string; value: string; type?: string | null; compareDigest?: string | null };
type MetafieldIdentifierInput = { ownerId: string; namespace: string; key: string };
type DemoMetafieldRecord = DemoRecordKinds["metafield"];

const METAFIELDS_SET_LIMIT = 25;
const metafieldKey = (ownerId: string, namespace: string, key: string) => `product/${ownerId}/${namespace}/${key}`;
const digestOf = (m: DemoMetafieldRecord) => createHash("sha256").update(`${m.updated_at}|${m.value}`).digest("hex");

function toMetafield(m: DemoMetafieldRecord): Gql {
  return {
    __typename: "Metafield", id: gid("Metafield", m.id), legacyResourceId: m.id, namespace: m.namespace, key: m.key, type: m.type, value: m.value,
    jsonValue: metafieldJsonValue(m.type, m.value), ownerType: "PRODUCT", compareDigest: digestOf(m), createdAt: m.created_at, updatedAt: m.updated_at,
  };
}

function metafieldJsonValue(type: string, value: string): unknown {
  if (type === "number_integer") return Number.parseInt(value, 10);
  if (type === "number_decimal") return value;
  if (type === "boolean") return value === "true";
  if (type === "json" || type === "rating") return JSON.parse(value);
  return value;
}

/** The value checks Shopify makes for the types the demo supports; null when the value is fine. */
function metafieldValueProblem(type: string, value: string): string | null {
  switch (type) {
    case "single_line_text_field":
      return value.includes("\n") ? "Value must be a single line of text." : null;
    case "multi_line_text_field":
      return null;
    case "number_integer":
      return /^-?\d+$/.test(value) && Math.abs(Number(value)) <= 9007199254740991 ? null : "Value must be an integer.";
    case "number_decimal":
      return /^-?\d+(\.\d+)?$/.test(value) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "json":
      try {
        JSON.parse(value);
        return value.length > 2_000_000 ? "Value is too long." : null;
      } catch {
        return "Value is invalid JSON.";
      }
    case "rating": {
      let rating: { value?: unknown; scale_min?: unknown; scale_max?: unknown };
      try {
        rating = JSON.parse(value);
      } catch {
        return "Value is invalid JSON.";
      }
      const [v, min, max] = [rating.value, rating.scale_min, rating.scale_max].map((x) => (typeof x === "string" && /^-?\d+(\.\d+)?$/.test(x) ? Number(x) : NaN));
      if ([v, min, max].some(Number.isNaN)) return "Value must have the keys value, scale_min and scale_max, each a decimal in a string.";
      if (min >= max) return "Value scale_min must be less than scale_max.";
      return v < min || v > max ? `Value must be between ${rating.scale_min} and ${rating.scale_max}.` : null;
    }
    default:
      return `Type '${type}' is not a valid metafield type in the demo store.`;
  }
}

async function setMetafields(ctx: RequestContext, inputs: MetafieldsSetInput[]): Promise<Gql> {
  const errors: Gql[] = [];
  if (inputs.length > METAFIELDS_SET_LIMIT) {
    return { metafields: [], userErrors: [{ field: ["metafields"], message: `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`, code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }] };
  }
  const planned: { input: MetafieldsSetInput; existing: DemoMetafieldRecord | null; productId: string; namespace: string; type: string }[] = [];
  for (const [index, input] of inputs.entries()) {
    const error = (field: string, message: string, code: string) => errors.push({ field: ["metafields", String(index), field], message, code, elementIndex: index });
    const productId = idFromGid(input.ownerId, "Product");
    const product = productId ? await ctx.get("product", productId) : null;
    if (!productId || !product) {
      error("ownerId", "Owner does not exist.", "INVALID");
      continue;
    }
    const namespace = input.namespace ?? "app";
    if (!/^[A-Za-z0-9_-]{3,255}$/.test(namespace)) error("namespace", "Namespace must be 3-255 characters long and can contain alphanumeric, hyphen, and underscore characters.", "INVALID");
    if (!/^[A-Za-z0-9_-]{2,64}$/.test(input.key)) error("key", "Key must be 2-64 characters long and can only contain alphanumeric, hyphen, and underscore characters.", "INVALID");
    const existing = await ctx.get("metafield", metafieldKey(productId, namespace, input.key));
    const type = input.type ?? existing?.type;
    if (!type) {
      error("type", "Type can't be blank.", "BLANK");
      continue;
    }
    if (existing && input.compareDigest && input.compareDigest !== digestOf(existing)) {
      error("compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", "STALE_OBJECT");
    }
    const problem = metafieldValueProblem(type, input.value);
    if (problem) error("value", problem, problem.startsWith("Type") ? "INVALID_TYPE" : "INVALID_VALUE");
    planned.push({ input, existing, productId, namespace, type });
  }
  // metafieldsSet is atomic: one error and nothing is written.
  if (errors.length > 0) return { metafields: [], userErrors: errors };
  const now = toDateTime(ctx.clock.now());
  const saved: Gql[] = [];
  for (const { input, existing, productId, namespace, type } of planned) {
    const record: DemoMetafieldRecord = {
      id: existing?.id ?? String(20_000_000_000_000 + randomInt(0, 2 ** 40)),
      owner_resource: "product", owner_id: productId, namespace, key: input.key, type, value: input.value,
      created_at: existing?.created_at ?? now, updated_at: now,
    };
    await ctx.put("metafield", metafieldKey(productId, namespace, input.key), record);
    saved.push(toMetafield(record));
  }
  return { metafields: saved, userErrors: [] };
}

async function deleteMetafields(ctx: RequestContext, inputs: MetafieldIdentifierInput[]): Promise<Gql> {
  const deleted: (Gql | null)[] = [];
  for (const input of inputs) {
    const productId = idFromGid(input.ownerId, "Product");
    const removed = productId ? await ctx.remove("metafield", metafieldKey(productId, input.namespace, input.key)) : false;
    // Shopify answers null for an identifier that had no metafield.
    deleted.push(removed ? { ownerId: input.ownerId, namespace: input.namespace, key: input.key } : null);
  }
  return { deletedMetafields: deleted, userErrors: [] };
}

function discountStatus(d: StoredDiscount, now: Date): string {
  if (Date.parse(d.starts_at) > now.getTime()) return "SCHEDULED";
  if (d.ends_at && Date.parse(d.ends_at) <= now.getTime()) return "EXPIRED";
  return "ACTIVE";
}

function toDiscountNode(d: StoredDiscount, ctx: RequestContext): Gql {
  const redeemCodeId = numericId(`redeem-code:${d.id}`);
  const currency = async () => (await ctx.shop()).currencyCode;
  const money = async (amount: string) => new Intl.NumberFormat("en-US", { style: "currency", currency: await currency() }).format(Number(amount));
  const customerIds = d.customer_ids ?? (d.customer_id ? [d.customer_id] : []);
  return {
    __typename: "DiscountCodeNode",
    id: gid("DiscountCodeNode", d.id),
    codeDiscount: {
      __typename: "DiscountCodeBasic",
      title: d.title,
      status: discountStatus(d, ctx.clock.now()),
      // Shopify's summary, e.g. "10% off one-time purchase products • Minimum purchase of $1.00" (captured).
      summary: async () => {
        const parts = [
          d.amount !== undefined ? `${await money(d.amount)} off one-time purchase products` : `${Math.round(d.percentage * 10_000) / 100}% off one-time purchase products`,
        ];
        if (d.minimum_subtotal) parts.push(`Minimum purchase of ${await money(d.minimum_subtotal)}`);
        if (d.minimum_quantity) parts.push(`Minimum quantity of ${d.minimum_quantity} items`);
        if (d.applies_once_per_customer) parts.push("One use per customer");
        return parts.join(" • ");
      },
      startsAt: d.starts_at,
      endsAt: d.ends_at,
      createdAt: d.created_at,
      updatedAt: d.updated_at ?? d.created_at,
      usageLimit: d.usage_limit,
      appliesOncePerCustomer: d.applies_once_per_customer ?? false,
      asyncUsageCount: 0,
      discountClasses: ["ORDER"],
      combinesWith: {
        orderDiscounts: d.combines_with?.order ?? false,
        productDiscounts: d.combines_with?.product ?? false,
        shippingDiscounts: d.combines_with?.shipping ?? false,
      },
      codes: (args: ConnectionArgs) =>
        listConnection("codes", args, [d], () => redeemCodeId, () => ({ id: gid("DiscountRedeemCode", redeemCodeId), code: d.code, asyncUsageCount: 0 })),
      context: customerIds.length
        ? {
            __typename: "DiscountCustomers",
            customers: async () => {
              const found = await Promise.all(customerIds.map((id) => ctx.get("customer", id)));
              return found.filter((c): c is DemoCustomer => c !== null).map(toCustomer);
            },
          }
        : { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
      customerGets: {
        value:
          d.amount !== undefined
            ? { __typename: "DiscountAmount", amount: async () => ({ amount: d.amount, currencyCode: await currency() }), appliesOnEachItem: d.applies_on_each_item ?? false }
            : { __typename: "DiscountPercentage", percentage: d.percentage },
        items: { __typename: "AllDiscountItems", allItems: true },
        appliesOnOneTimePurchase: true,
        appliesOnSubscription: false,
      },
      minimumRequirement: d.minimum_subtotal
        ? { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: async () => ({ amount: d.minimum_subtotal, currencyCode: await currency() }) }
        : d.minimum_quantity
          ? { __typename: "DiscountMinimumQuantity", greaterThanOrEqualToQuantity: d.minimum_quantity }
          : null,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Root fields
// ---------------------------------------------------------------------------------------------

async function findById<K extends "order" | "product" | "customer">(ctx: RequestContext, kind: K, type: string, id: string) {
  const key = idFromGid(id, type);
  return key === null ? null : ctx.get(kind, key);
}

async function nodeById(ctx: RequestContext, id: string): Promise<Gql | null> {
  const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1];
  if (!type) idFromGid(id, "Node"); // throws Shopify's invalid-id error
  switch (type) {
    case "Order": {
      const order = await findById(ctx, "order", type, id);
      return order && toOrder(order, ctx);
    }
    case "Product": {
      const product = await findById(ctx, "product", type, id);
      return product && toProduct(product, ctx);
    }
    case "Customer": {
      const customer = await findById(ctx, "customer", type, id);
      return customer && toCustomer(customer);
    }
    case "ProductVariant": {
      const key = idFromGid(id, type);
      for (const product of await ctx.list("product")) {
        const variant = product.variants.find((v) => v.id === key);
        if (variant) return toVariant(variant, product, ctx);
      }
      return null;
    }
    case "AbandonedCheckout": {
      const key = idFromGid(id, type);
      const checkout = (await ctx.list("checkout")).find((c) => checkoutIdOf(c) === key);
      return checkout ? toCheckout(checkout, ctx) : null;
    }
    case "DiscountCodeNode": {
      const discount = await ctx.get("discount", idFromGid(id, type) ?? "");
      return discount && toDiscountNode(discount, ctx);
    }
    default:
      return null;
  }
}

function rootValue(ctx: RequestContext): Gql {
  return {
    node: ({ id }: { id: string }) => nodeById(ctx, id),
    shop: () => shopNode(ctx),
    shopLocales: async ({ published }: { published?: boolean | null }) => {
      // The demo store publishes every locale it has, so `published: true` changes nothing.
      const locales = (await ctx.shop()).locales.map((l) => ({ locale: l.locale, name: localeName(l.locale), primary: l.primary, published: true }));
      return published ? locales.filter((l) => l.published) : locales;
    },
    order: async ({ id }: { id: string }) => {
      const order = await findById(ctx, "order", "Order", id);
      return order && toOrder(order, ctx);
    },
    orders: async (args: ListArgs) => searchConnection("orders", args, await ctx.list("order"), ORDER_SPEC, (o) => toOrder(o, ctx)),
    // Shopify lists a checkout here only while it is abandoned: a completed one became an order.
    abandonedCheckouts: async (args: ListArgs) => {
      const open = (await ctx.list("checkout")).filter((c) => c.completed_at === null);
      return searchConnection("abandonedCheckouts", args, open, CHECKOUT_SPEC, (c) => toCheckout(c, ctx));
    },
    product: async ({ id }: { id: string }) => {
      const product = await findById(ctx, "product", "Product", id);
      return product && toProduct(product, ctx);
    },
    products: async (args: ListArgs) => searchConnection("products", args, await ctx.list("product"), PRODUCT_SPEC, (p) => toProduct(p, ctx)),
    customer: async ({ id }: { id: string }) => {
      const customer = await findById(ctx, "customer", "Customer", id);
      return customer && toCustomer(customer);
    },
    customers: async (args: ListArgs) => searchConnection("customers", args, await ctx.list("customer"), CUSTOMER_SPEC, toCustomer),
    codeDiscountNode: async ({ id }: { id: string }) => {
      const key = idFromGid(id, "DiscountCodeNode");
      const discount = key === null ? null : await ctx.get("discount", key);
      return discount && toDiscountNode(discount, ctx);
    },
    codeDiscountNodeByCode: async ({ code }: { code: string }) => {
      const discount = (await ctx.list("discount")).find((d) => d.code.toLowerCase() === code.toLowerCase());
      return discount ? toDiscountNode(discount, ctx) : null;
    },
    discountCodeBasicCreate: ({ basicCodeDiscount }: { basicCodeDiscount: DiscountCodeBasicInput }) =>
      createBasicCodeDiscount(ctx, basicCodeDiscount),
    metafieldsSet: ({ metafields }: { metafields: MetafieldsSetInput[] }) => setMetafields(ctx, metafields),
    metafieldsDelete: ({ metafields }: { metafields: MetafieldIdentifierInput[] }) => deleteMetafields(ctx, metafields),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors in Shopify's shape (graphql-ruby wording). The common validation failures are mapped;
// anything else keeps graphql-js's message.
// ---------------------------------------------------------------------------------------------

export type DemoAdminGraphqlError = { message: string; locations?: unknown; path?: unknown; extensions?: unknown };
// `data` is untyped JSON, as the body of Shopify's endpoint is.
export type DemoAdminGraphqlResponse = { data?: any; errors?: DemoAdminGraphqlError[] };

/** Shopify's validation errors carry the document path: ["query Name", "orders", "nodes", "foo"]. */
function documentPath(document: DocumentNode, target: ASTNode | undefined): string[] | undefined {
  if (!target) return undefined;
  let found: string[] | undefined;
  const label = (node: ASTNode | readonly ASTNode[]): string[] => {
    if (Array.isArray(node) || !("kind" in node)) return [];
    switch (node.kind) {
      case Kind.OPERATION_DEFINITION:
        return [node.name ? `${node.operation} ${node.name.value}` : node.operation];
      case Kind.FRAGMENT_DEFINITION:
        return [`fragment ${node.name.value}`];
      case Kind.INLINE_FRAGMENT:
        return node.typeCondition ? [`... on ${node.typeCondition.name.value}`] : ["..."];
      case Kind.FIELD:
      case Kind.ARGUMENT:
        return [node.name.value];
      default:
        return [];
    }
  };
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node !== target) return undefined;
      // `ancestors` stops short of the parent, which is a field when the node is its selection set.
      found = [...ancestors, ...(parent ? [parent] : []), node].flatMap(label);
      return BREAK;
    },
  });
  return found;
}

const locationsOf = (error: GraphQLError) => (error.locations ? error.locations.map(({ line, column }) => ({ line, column })) : undefined);

function validationError(error: GraphQLError, document: DocumentNode): DemoAdminGraphqlError {
  const locations = locationsOf(error);
  const node = error.nodes?.[0];
  const path = documentPath(document, node);
  let m: RegExpExecArray | null;
  if ((m = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message))) {
    // captured
    return { message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, locations, path, extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] } };
  }
  if ((m = /^Field "(\w+)" of type "\[*(\w+)[\]!]*" must have a selection of subfields/.exec(error.message))) {
    // captured
    return {
      message: `Field must have selections (field '${m[1]}' returns ${m[2]} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      locations,
      path,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2] },
    };
  }
  if ((m = /^Field "(\w+)" must not have a selection since type "\[*(\w+)[\]!]*" has no subfields/.exec(error.message))) {
    // graphql-js points at the unwanted selection set; graphql-ruby lists what it selects.
    const selections = node?.kind === Kind.SELECTION_SET ? node.selections : node?.kind === Kind.FIELD ? (node.selectionSet?.selections ?? []) : [];
    const selected = selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : print(s)));
    return {
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]} but has selections [${selected.join(", ")}])`,
      locations,
      path,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2] },
    };
  }
  if ((m = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"\./.exec(error.message))) {
    return {
      message: `Field '${m[2]}' doesn't accept argument '${m[1]}'`,
      locations,
      path,
      extensions: { code: "argumentNotAccepted", name: m[2], typeName: "Field", argumentName: m[1] },
    };
  }
  if ((m = /^Field "(\w+)" argument "(\w+)" of type ".+" is required, but it was not provided\./.exec(error.message))) {
    return {
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      locations,
      path,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
    };
  }
  return { message: error.message, locations, path, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

/** Variable coercion failures: "Variable $input of type T! was provided invalid value for a.b (why)" (captured). */
function variableError(error: GraphQLError, document: DocumentNode, variables: Record<string, unknown>): DemoAdminGraphqlError {
  const locations = locationsOf(error);
  const typeOf = (name: string) => {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const variable = definition.variableDefinitions?.find((v) => v.variable.name.value === name);
      if (variable) return print(variable.type);
    }
    return "unknown";
  };
  let m = /^Variable "\$(\w+)" of required type "(.+)" was not provided\.$/.exec(error.message);
  if (m) {
    return {
      message: `Variable $${m[1]} of type ${m[2]} was provided invalid value`,
      locations,
      extensions: { code: "INVALID_VARIABLE", value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
    };
  }
  m = /^Variable "\$(\w+)" got invalid value [\s\S]*?(?: at "\$?\w+((?:\.\w+|\[\d+\])*)")?; ([\s\S]*)$/.exec(error.message);
  if (!m) return { message: error.message, locations, extensions: { code: "INVALID_VARIABLE" } };
  const [, name, at = "", rawExplanation] = m;
  const problemPath: Array<string | number> = [...at.matchAll(/\.(\w+)|\[(\d+)\]/g)].map(([, key, index]) => (key ?? Number(index)));
  let explanation = rawExplanation;
  let n: RegExpExecArray | null;
  if ((n = /^Field "(\w+)" of required type ".+" was not provided\.$/.exec(explanation))) {
    problemPath.push(n[1]);
    explanation = "Expected value to not be null";
  } else if ((n = /^Field "(\w+)" is not defined by type "(\w+)"/.exec(explanation))) {
    problemPath.push(n[1]);
    explanation = `Field is not defined on ${n[2]}`;
  } else if (/^Expected non-nullable type ".+" not to be null\.$/.test(explanation)) {
    explanation = "Expected value to not be null";
  }
  const where = problemPath.length ? ` for ${problemPath.join(".")} (${explanation})` : "";
  return {
    message: `Variable $${name} of type ${typeOf(name)} was provided invalid value${where}`,
    locations,
    extensions: { code: "INVALID_VARIABLE", value: variables[name] ?? null, problems: [{ path: problemPath, explanation }] },
  };
}

function executionError(error: GraphQLError): DemoAdminGraphqlError {
  const { message, locations, path, extensions } = error.toJSON();
  const internal = error.originalError && !(error.originalError instanceof GraphQLError);
  return { message, locations, path, extensions: internal ? { code: "INTERNAL_SERVER_ERROR" } : extensions };
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** Runs one Admin GraphQL operation against the demo store; the body is Shopify's `{ data, errors }`. */
export async function executeDemoAdminGraphql(
  store: DemoStore,
  clock: Clock,
  query: string,
  variables?: Record<string, unknown>,
): Promise<DemoAdminGraphqlResponse> {
  const schema = demoAdminSchema();
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const [line, column] = [error.locations?.[0]?.line ?? 1, error.locations?.[0]?.column ?? 1];
    const reason = error.message.replace(/^Syntax Error: /, "").replace(/\.$/, "");
    return {
      errors: [
        {
          message: `syntax error, ${reason.charAt(0).toLowerCase()}${reason.slice(1)} at [${line}, ${column}]`,
          locations: [{ line, column }],
          extensions: { code: "PARSE_ERROR" },
        },
      ],
    };
  }

  const invalid = validate(schema, document);
  if (invalid.length > 0) return { errors: invalid.map((error) => validationError(error, document)) };

  const ctx = new RequestContext(store, clock);
  const result = await execute({ schema, document, rootValue: rootValue(ctx), contextValue: ctx, variableValues: variables ?? {} });
  // Variable coercion fails before execution: Shopify answers with errors and no data.
  if (!("data" in result) || result.data === undefined) {
    return { errors: (result.errors ?? []).map((error) => variableError(error, document, variables ?? {})) };
  }
  const data = result.data as Record<string, unknown> | null;
  return result.errors?.length ? { data, errors: result.errors.map(executionError) } : { data };
}

/** The demo store's `AdminGraphql` port, wired like `admin.graphql` for a real shop. */
export function createDemoAdminGraphql(store: DemoStore, clock: Clock): AdminGraphql {
  return async <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => {
    const response = await executeDemoAdminGraphql(store, clock, query, variables);
    return response as { data?: T; errors?: Array<{ message: string }> };
  };
}
