// The demo store's records, in the shapes Shopify's webhooks use (REST field names).
// The store simulator builds payloads from them; the local Admin GraphQL API reads them.
// Shopify IDs are strings end to end: real ones exceed 2^53.

export type DemoProduct = {
  id: string;
  title: string;
  handle: string;
  body_html: string;
  vendor: string;
  product_type: string;
  tags: string;
  status: "active";
  created_at: string;
  updated_at: string;
  variants: Array<{ id: string; product_id: string; title: string; price: string; sku: string; inventory_quantity: number }>;
  images: Array<{ id: string; product_id: string; src: string; alt: string }>;
  image: { id: string; product_id: string; src: string; alt: string };
};

export type MarketingConsent = {
  state: "subscribed" | "not_subscribed" | "unsubscribed" | "pending";
  opt_in_level: "single_opt_in" | "confirmed_opt_in" | "unknown" | null;
  consent_updated_at: string | null;
};

export type DemoAddress = {
  first_name: string;
  last_name: string;
  address1: string;
  city: string;
  province: string;
  province_code: string;
  country: string;
  country_code: string;
  zip: string;
  phone: string | null;
};

export type DemoCustomer = {
  id: string;
  email: string;
  phone: string | null;
  first_name: string;
  last_name: string;
  locale: string;
  tags: string;
  state: "enabled";
  verified_email: boolean;
  currency: string;
  created_at: string;
  updated_at: string;
  default_address: DemoAddress;
  email_marketing_consent: MarketingConsent;
  sms_marketing_consent: MarketingConsent | null;
};

export type DemoLineItem = {
  id: string;
  product_id: string;
  variant_id: string;
  title: string;
  variant_title: string;
  quantity: number;
  price: string;
  sku: string;
};

export type DemoFulfillment = {
  id: string;
  order_id: string;
  status: "success";
  shipment_status: "confirmed" | "in_transit" | "out_for_delivery" | "delivered" | "failure" | "attempted_delivery" | null;
  tracking_company: string;
  tracking_number: string;
  tracking_url: string;
  tracking_numbers: string[];
  tracking_urls: string[];
  created_at: string;
  updated_at: string;
  line_items: DemoLineItem[];
};

export type DemoOrder = {
  id: string;
  admin_graphql_api_id: string;
  name: string;
  order_number: number;
  email: string;
  phone: string | null;
  contact_email: string;
  customer_locale: string;
  currency: string;
  presentment_currency: string;
  total_price: string;
  subtotal_price: string;
  total_tax: string;
  financial_status: "paid" | "pending" | "refunded";
  fulfillment_status: "fulfilled" | "partial" | null;
  checkout_token: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  closed_at: string | null;
  buyer_accepts_marketing: boolean;
  tags: string;
  created_at: string;
  updated_at: string;
  processed_at: string;
  customer: Omit<DemoCustomer, "email_marketing_consent" | "sms_marketing_consent">;
  billing_address: DemoAddress;
  shipping_address: DemoAddress;
  line_items: DemoLineItem[];
  fulfillments: DemoFulfillment[];
  order_status_url: string;
};

export type DemoCheckout = {
  token: string;
  cart_token: string;
  email: string;
  phone: string | null;
  customer_locale: string;
  currency: string;
  presentment_currency: string;
  total_price: string;
  subtotal_price: string;
  buyer_accepts_marketing: boolean;
  buyer_accepts_sms_marketing: boolean;
  sms_marketing_phone: string | null;
  abandoned_checkout_url: string;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  customer: Omit<DemoCustomer, "email_marketing_consent" | "sms_marketing_consent">;
  billing_address: DemoAddress;
  shipping_address: DemoAddress;
  line_items: Array<Omit<DemoLineItem, "id"> & { key: string }>;
};

export type DemoDiscount = {
  id: string;
  code: string;
  title: string;
  percentage: number;
  starts_at: string;
  ends_at: string | null;
  usage_limit: number | null;
  customer_id: string | null;
  created_at: string;
};

export type DemoShopInfo = {
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  primaryDomain: string;
  locales: Array<{ locale: string; primary: boolean }>;
};

/** A metafield on a demo record (products only: what the storefront blocks read). */
export type DemoMetafield = {
  id: string;
  owner_resource: "product";
  owner_id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  created_at: string;
  updated_at: string;
};

export type DemoRecordKinds = {
  product: DemoProduct;
  customer: DemoCustomer;
  order: DemoOrder;
  checkout: DemoCheckout;
  discount: DemoDiscount;
  metafield: DemoMetafield;
  shop: DemoShopInfo;
};
export type DemoRecordKind = keyof DemoRecordKinds;
