// What Avisa can send, on which channels, and which Liquid variables each message may use.
// One template exists per message type × channel × locale. A message type's variables are
// its own groups plus the shared ones, so a template can never reach for data the message
// does not have (a cart recovery has no order yet; a shipping update has no discount).
import type { Purpose } from "../consent/consent-policy";
import type { Channel } from "../ports";

export type { Channel };

export const MESSAGE_TYPES = [
  "order_confirmation",
  "shipping_update",
  "out_for_delivery",
  "delivered",
  "delivery_problem", // failure or attempted delivery: an honest apology with next steps
  "care_instructions", // after delivery: how to use / care for tagged products
  "cart_recovery", // reminder, recovery steps 1 and 2
  "cart_recovery_discount", // recovery step 3, with a unique expiring discount code
  "review_request",
  "review_reminder",
  "satisfaction_survey", // one question, scored 1–5
  "merchant_alert", // to the merchant when a contact request arrives
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const CHANNELS: readonly Channel[] = ["email", "sms", "whatsapp"];

/**
 * Transactional messages answer something the shopper did; marketing needs marketing consent.
 * (A shop may declare review requests transactional: see reviewRequestPurpose in consent-policy.)
 */
export type MessagePurpose = Purpose;

/** Locales Avisa ships templates for. Every template exists in each of them. */
export const TEMPLATE_LOCALES = ["en", "es", "pt-BR"] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

/** Maps any language tag (es-MX, pt, pt-PT, en-GB) to a template locale; English otherwise. */
export function resolveTemplateLocale(tag: string | null | undefined): TemplateLocale {
  const lower = (tag ?? "").trim().toLowerCase();
  if (lower.startsWith("pt")) return "pt-BR";
  if (lower.startsWith("es")) return "es";
  return "en";
}

// ---------------------------------------------------------------- variables

/** Groups of variables. The shared ones are available to every message type. */
export const VARIABLE_GROUPS = [
  "shop",
  "customer",
  "unsubscribe_url",
  "message",
  "order",
  "fulfillment",
  "checkout",
  "discount",
  "review",
  "product",
  "care",
  "survey",
  "contact_request",
] as const;
export type VariableGroup = (typeof VARIABLE_GROUPS)[number];
export const SHARED_GROUPS = ["shop", "customer", "unsubscribe_url", "message"] as const satisfies readonly VariableGroup[];
export type SharedGroup = (typeof SHARED_GROUPS)[number];

const ITEM_FIELDS = ["title", "variant_title", "quantity", "price", "image_url", "url"] as const;
const items = (root: string) => [`${root}.items`, ...ITEM_FIELDS.map((field) => `${root}.items[].${field}`)];

/**
 * Every variable path, by group. `x.items[]` marks an array: `x.items[].title` is the title of
 * any item (`item.title` inside `{% for item in x.items %}`, or `x.items[0].title`, `x.items.first.title`).
 */
export const VARIABLE_PATHS: Record<VariableGroup, readonly string[]> = {
  shop: ["shop.name", "shop.url", "shop.email", "shop.phone", "shop.address", "shop.logo_url", "shop.brand_color"],
  customer: ["customer.first_name", "customer.last_name", "customer.name"],
  unsubscribe_url: ["unsubscribe_url"],
  message: ["message.preview_text"],
  order: ["order.name", "order.total", "order.status_url", ...items("order")],
  fulfillment: [
    "fulfillment.tracking_company",
    "fulfillment.tracking_number",
    "fulfillment.tracking_url",
    "fulfillment.status",
    "fulfillment.estimated_delivery",
  ],
  checkout: ["checkout.total", "checkout.recovery_url", ...items("checkout")],
  discount: ["discount.code", "discount.value", "discount.expires_at"],
  review: ["review.url"],
  product: ["product.title", "product.url", "product.image_url"],
  care: ["care.instructions"],
  survey: ["survey.url_1", "survey.url_2", "survey.url_3", "survey.url_4", "survey.url_5"],
  contact_request: ["contact_request.name", "contact_request.email", "contact_request.phone", "contact_request.message", "contact_request.url"],
};

// ---------------------------------------------------------------- message types

export interface MessageTypeSpec {
  /** How a merchant calls it: "Shipping update". Used in validation messages. */
  readonly label: string;
  readonly purpose: MessagePurpose;
  readonly channels: readonly Channel[];
  /** Groups of variables besides the shared ones. */
  readonly groups: readonly Exclude<VariableGroup, SharedGroup>[];
}

const ALL_CHANNELS = ["email", "sms", "whatsapp"] as const;

export const MESSAGE_TYPE_SPECS = {
  order_confirmation: { label: "Order confirmation", purpose: "transactional", channels: ALL_CHANNELS, groups: ["order"] },
  shipping_update: { label: "Shipping update", purpose: "transactional", channels: ALL_CHANNELS, groups: ["order", "fulfillment"] },
  out_for_delivery: { label: "Out for delivery", purpose: "transactional", channels: ALL_CHANNELS, groups: ["order", "fulfillment"] },
  delivered: { label: "Delivered", purpose: "transactional", channels: ALL_CHANNELS, groups: ["order", "fulfillment"] },
  delivery_problem: { label: "Delivery problem", purpose: "transactional", channels: ALL_CHANNELS, groups: ["order", "fulfillment"] },
  care_instructions: { label: "Care instructions", purpose: "marketing", channels: ALL_CHANNELS, groups: ["order", "product", "care"] },
  cart_recovery: { label: "Cart recovery", purpose: "marketing", channels: ALL_CHANNELS, groups: ["checkout"] },
  cart_recovery_discount: { label: "Cart recovery with discount", purpose: "marketing", channels: ALL_CHANNELS, groups: ["checkout", "discount"] },
  review_request: { label: "Review request", purpose: "marketing", channels: ALL_CHANNELS, groups: ["order", "product", "review"] },
  review_reminder: { label: "Review reminder", purpose: "marketing", channels: ALL_CHANNELS, groups: ["order", "product", "review"] },
  satisfaction_survey: { label: "Satisfaction survey", purpose: "marketing", channels: ALL_CHANNELS, groups: ["order", "survey"] },
  merchant_alert: { label: "Merchant alert", purpose: "transactional", channels: ["email", "sms"], groups: ["contact_request"] },
} as const satisfies Record<MessageType, MessageTypeSpec>;

export function isMessageType(value: string): value is MessageType {
  return (MESSAGE_TYPES as readonly string[]).includes(value);
}

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

export function channelsFor(type: MessageType): readonly Channel[] {
  return MESSAGE_TYPE_SPECS[type].channels;
}

export function supportsChannel(type: MessageType, channel: Channel): boolean {
  return channelsFor(type).includes(channel);
}

export function purposeOf(type: MessageType): MessagePurpose {
  return MESSAGE_TYPE_SPECS[type].purpose;
}

export function messageTypeLabel(type: MessageType): string {
  return MESSAGE_TYPE_SPECS[type].label;
}

/** The groups a message type may use: the shared ones first, then its own. */
export function allowedGroups(type: MessageType): readonly VariableGroup[] {
  return [...SHARED_GROUPS, ...MESSAGE_TYPE_SPECS[type].groups];
}

/** Every variable path a message type may use, e.g. `order.items[].title`. */
export function allowedVariables(type: MessageType): readonly string[] {
  return allowedGroups(type).flatMap((group) => VARIABLE_PATHS[group]);
}

// ---------------------------------------------------------------- context types
// Values arrive formatted for the recipient's locale (money, dates, statuses), so templates
// only place them. Optional fields may be missing: templates guard them with `{% if %}`.

export interface ShopVariables {
  name: string;
  url: string;
  email: string;
  phone?: string;
  /** One-line postal address; marketing email footers need it (CAN-SPAM). */
  address?: string;
  logo_url?: string;
  /** A CSS colour such as "#b5603a". */
  brand_color?: string;
}

export interface CustomerVariables {
  first_name?: string;
  last_name?: string;
  name?: string;
}

export interface LineItemVariables {
  title: string;
  variant_title?: string;
  quantity: number;
  /** Unit price, formatted. */
  price: string;
  image_url?: string;
  url?: string;
}

export interface OrderVariables {
  /** "#1042" */
  name: string;
  total: string;
  status_url: string;
  items: LineItemVariables[];
}

export interface FulfillmentVariables {
  tracking_company?: string;
  tracking_number?: string;
  tracking_url?: string;
  /** Shipment status label in the recipient's language ("In transit", "Delivery attempted"). */
  status?: string;
  estimated_delivery?: string;
}

export interface CheckoutVariables {
  total: string;
  recovery_url: string;
  items: LineItemVariables[];
}

export interface DiscountVariables {
  code: string;
  /** "10%" or "$5.00" */
  value: string;
  expires_at: string;
}

export interface ReviewVariables {
  /** The review form link, carrying its signed token. */
  url: string;
}

export interface ProductVariables {
  title: string;
  url: string;
  image_url?: string;
}

export interface CareVariables {
  /** Plain text; line breaks are kept. */
  instructions: string;
}

export interface SurveyVariables {
  url_1: string;
  url_2: string;
  url_3: string;
  url_4: string;
  url_5: string;
}

export interface ContactRequestVariables {
  name: string;
  email?: string;
  phone?: string;
  message: string;
  /** The conversation in Avisa's admin inbox. */
  url: string;
}

/** Variables every message has. */
export interface SharedContext {
  shop: ShopVariables;
  customer: CustomerVariables;
  /** Present on marketing messages. */
  unsubscribe_url?: string;
  message?: { preview_text?: string };
}

/** The per-type groups and their shapes. */
export interface GroupContexts {
  order: OrderVariables;
  fulfillment: FulfillmentVariables;
  checkout: CheckoutVariables;
  discount: DiscountVariables;
  review: ReviewVariables;
  product: ProductVariables;
  care: CareVariables;
  survey: SurveyVariables;
  contact_request: ContactRequestVariables;
}

/** Any message's context: the shared groups plus whatever groups its type uses. */
export type TemplateContext = SharedContext & Partial<GroupContexts>;

/** The exact context a message type renders with, e.g. `ContextFor<"cart_recovery">` has `checkout`, no `order`. */
export type ContextFor<T extends MessageType> = SharedContext & Pick<GroupContexts, (typeof MESSAGE_TYPE_SPECS)[T]["groups"][number]>;
