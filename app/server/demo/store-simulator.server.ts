// The store simulator plays Shopify for the demo store: it changes the demo store's records
// and sends Avisa the webhooks Shopify would send, signed with the app's secret exactly as
// Shopify signs them (base64 HMAC-SHA256 of the raw body), over HTTP to the app itself.
import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "../../domain/ports";
import type { WebhookTopic } from "../../domain/events/webhook-topics";
import { WEBHOOK_TOPICS } from "../../domain/events/webhook-topics";
import type { DemoStore } from "./demo-store.server";
import type { DemoCheckout, DemoCustomer, DemoOrder } from "./demo-store-data";
import { buildCheckout, buildFulfillment, buildOrder, type CartLine } from "./shopify-payloads";

export type SimulatorDelivery = { topic: WebhookTopic; status: number; answer: string };

/** What happened, as a code and its values, so the admin can say it in the merchant's language. */
export type SimulatorOutcome =
  | { code: "order_placed"; params: { order: string; customer: string } }
  | { code: "checkout_abandoned"; params: { customer: string } }
  | { code: "checkout_completed"; params: { order: string } }
  | { code: "order_fulfilled"; params: { order: string; carrier: string; tracking: string } }
  | { code: "order_delivered"; params: { order: string } }
  | { code: "delivery_attempted"; params: { order: string } }
  | { code: "clock_moved"; params: { time: string } };
export type SimulatorOutcomeCode = SimulatorOutcome["code"];

/** `summary` is the English sentence (CLI, logs); `outcome` is the same fact for translation. */
export type SimulatorResult = { summary: string; outcome: SimulatorOutcome; deliveries: SimulatorDelivery[] };

type SimulatorOptions = {
  store: DemoStore;
  clock: Clock;
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  /** Sends one HTTP request; `fetch` in the app, something in-process in tests. */
  send?: (request: Request) => Promise<Response>;
};

/** Why the simulator refused; `message` stays English for the CLI and logs. */
export type SimulatorErrorCode =
  | "demo_only"
  | "topic_not_simulated"
  | "no_customers"
  | "unknown_customer"
  | "no_products"
  | "unknown_product"
  | "no_orders"
  | "no_open_checkout"
  | "unknown_checkout"
  | "already_fulfilled"
  | "not_fulfilled";

export class SimulatorError extends Error {
  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = "SimulatorError";
  }
}

export function signShopifyWebhook(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

export class StoreSimulator {
  private readonly send: (request: Request) => Promise<Response>;

  constructor(private readonly options: SimulatorOptions) {
    this.send = options.send ?? ((request) => fetch(request));
  }

  /** One webhook delivery, with Shopify's headers. `eventId` is shared by one merchant action. */
  async deliver(topic: WebhookTopic, payload: unknown, eventId = randomUUID()): Promise<SimulatorDelivery> {
    const { appUrl, apiSecret, apiVersion, store, clock } = this.options;
    const rawBody = JSON.stringify(payload);
    const path = (WEBHOOK_TOPICS as Record<string, string>)[topic];
    if (!path) throw new SimulatorError("topic_not_simulated", `the simulator does not send ${topic}`, { topic });
    const response = await this.send(
      new Request(new URL(path, appUrl), {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": topic,
          "X-Shopify-Hmac-Sha256": signShopifyWebhook(apiSecret, rawBody),
          "X-Shopify-Shop-Domain": store.shopDomain,
          "X-Shopify-API-Version": apiVersion,
          "X-Shopify-Webhook-Id": randomUUID(),
          "X-Shopify-Event-Id": eventId,
          "X-Shopify-Triggered-At": clock.now().toISOString(),
          "User-Agent": "Shopify-Captain-Hook",
        },
        body: rawBody,
      }),
    );
    return { topic, status: response.status, answer: (await response.text()).slice(0, 500) };
  }

  private async customer(customerId?: string): Promise<DemoCustomer> {
    const customers = await this.options.store.list("customer");
    if (customers.length === 0) throw new SimulatorError("no_customers", "the demo store has no customers; run npm run demo to seed it");
    if (!customerId) {
      // Rotate through the customers so every language shows up.
      const orders = await this.options.store.count("order");
      const checkouts = await this.options.store.count("checkout");
      return customers[(orders + checkouts) % customers.length];
    }
    const found = customers.find((c) => c.id === customerId);
    if (!found) throw new SimulatorError("unknown_customer", `no demo customer has id ${customerId}`, { id: customerId });
    return found;
  }

  private async cart(productIds?: string[]): Promise<CartLine[]> {
    const products = await this.options.store.list("product");
    if (products.length === 0) throw new SimulatorError("no_products", "the demo store has no products; run npm run demo to seed it");
    if (!productIds?.length) {
      const pick = (await this.options.store.count("order")) % products.length;
      return [{ product: products[pick], quantity: 1 }, { product: products[(pick + 3) % products.length], quantity: 1 }];
    }
    return productIds.map((id) => {
      const product = products.find((p) => p.id === id);
      if (!product) throw new SimulatorError("unknown_product", `no demo product has id ${id}`, { id });
      return { product, quantity: 1 };
    });
  }

  private async nextOrderNumber(): Promise<number> {
    const orders = await this.options.store.list("order");
    return Math.max(1000, ...orders.map((o) => o.order_number)) + 1;
  }

  private async latestOrder(): Promise<DemoOrder> {
    const [order] = await this.options.store.list("order", { newestFirst: true, take: 1 });
    if (!order) throw new SimulatorError("no_orders", "the demo store has no orders yet; place one first");
    return order;
  }

  async placeOrder(input: { customerId?: string; productIds?: string[] } = {}): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const customer = await this.customer(input.customerId);
    const order = buildOrder({
      orderNumber: await this.nextOrderNumber(),
      customer,
      products: await this.cart(input.productIds),
      placedAt: clock.now(),
      checkoutToken: null,
      shopDomain: store.shopDomain,
    });
    await store.put("order", order.id, order, clock.now());
    const delivery = await this.deliver("orders/create", order);
    const name = `${customer.first_name} ${customer.last_name}`;
    return { summary: `Order ${order.name} placed by ${name}`, outcome: { code: "order_placed", params: { order: order.name, customer: name } }, deliveries: [delivery] };
  }

  async abandonCheckout(input: { customerId?: string; productIds?: string[] } = {}): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const customer = await this.customer(input.customerId);
    const checkout = buildCheckout({ customer, products: await this.cart(input.productIds), startedAt: clock.now(), shopDomain: store.shopDomain });
    await store.put("checkout", checkout.token, checkout, clock.now());
    // Shopify sends checkouts/create when the buyer gives an email, then checkouts/update.
    const created = await this.deliver("checkouts/create", checkout);
    const updated = await this.deliver("checkouts/update", checkout);
    const name = `${customer.first_name} ${customer.last_name}`;
    return { summary: `Checkout abandoned by ${name}`, outcome: { code: "checkout_abandoned", params: { customer: name } }, deliveries: [created, updated] };
  }

  /** The shopper comes back and buys: an order carrying the checkout's token. */
  async completeCheckout(token?: string): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const open = (await store.list("checkout", { newestFirst: true })).filter((c) => !c.completed_at);
    const checkout: DemoCheckout | undefined = token ? open.find((c) => c.token === token) : open[0];
    if (!checkout) {
      throw token
        ? new SimulatorError("unknown_checkout", `no open checkout has token ${token}`, { token })
        : new SimulatorError("no_open_checkout", "there is no open checkout; abandon one first");
    }
    const customer = await this.customer(checkout.customer.id);
    const products = await store.list("product");
    const lines = checkout.line_items.map((line) => ({ product: products.find((p) => p.id === line.product_id)!, quantity: line.quantity }));
    const now = clock.now();
    const order = buildOrder({
      orderNumber: await this.nextOrderNumber(),
      customer,
      products: lines,
      placedAt: now,
      checkoutToken: checkout.token,
      shopDomain: store.shopDomain,
    });
    await store.put("checkout", checkout.token, { ...checkout, completed_at: now.toISOString(), updated_at: now.toISOString() });
    await store.put("order", order.id, order, now);
    const delivery = await this.deliver("orders/create", order);
    return { summary: `Checkout completed as order ${order.name}`, outcome: { code: "checkout_completed", params: { order: order.name } }, deliveries: [delivery] };
  }

  async fulfilLatestOrder(): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const order = await this.latestOrder();
    if (order.fulfillment_status === "fulfilled") throw new SimulatorError("already_fulfilled", `order ${order.name} is already fulfilled`, { order: order.name });
    const now = clock.now();
    const fulfillment = buildFulfillment(order, now);
    const fulfilled: DemoOrder = { ...order, fulfillment_status: "fulfilled", updated_at: now.toISOString(), fulfillments: [fulfillment] };
    await store.put("order", order.id, fulfilled);
    const eventId = randomUUID();
    const deliveries = [
      await this.deliver("fulfillments/create", fulfillment, eventId),
      await this.deliver("orders/fulfilled", fulfilled, eventId),
      await this.deliver("orders/updated", fulfilled, eventId),
    ];
    const params = { order: order.name, carrier: fulfillment.tracking_company, tracking: fulfillment.tracking_number };
    return { summary: `Order ${order.name} fulfilled with ${params.carrier} ${params.tracking}`, outcome: { code: "order_fulfilled", params }, deliveries };
  }

  async markLatestDelivered(): Promise<SimulatorResult> {
    return this.carrierUpdate("delivered", (order) => ({ summary: `Order ${order} delivered`, outcome: { code: "order_delivered", params: { order } } }));
  }

  /** The carrier tried and could not deliver (Shopify's shipment_status attempted_delivery). */
  async reportDeliveryProblem(): Promise<SimulatorResult> {
    return this.carrierUpdate("attempted_delivery", (order) => ({
      summary: `The carrier could not deliver order ${order} (attempted delivery)`,
      outcome: { code: "delivery_attempted", params: { order } },
    }));
  }

  private async carrierUpdate(
    shipmentStatus: "delivered" | "attempted_delivery",
    describe: (orderName: string) => Pick<SimulatorResult, "summary" | "outcome">,
  ): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const order = await this.latestOrder();
    const fulfillment = order.fulfillments.at(-1);
    if (!fulfillment) throw new SimulatorError("not_fulfilled", `order ${order.name} has not been fulfilled yet; fulfil it first`, { order: order.name });
    const now = clock.now().toISOString();
    const updated = { ...fulfillment, shipment_status: shipmentStatus, updated_at: now };
    await store.put("order", order.id, { ...order, updated_at: now, fulfillments: [...order.fulfillments.slice(0, -1), updated] });
    const delivery = await this.deliver("fulfillments/update", updated);
    return { ...describe(order.name), deliveries: [delivery] };
  }
}
