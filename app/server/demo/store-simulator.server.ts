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
export type SimulatorResult = { summary: string; deliveries: SimulatorDelivery[] };

type SimulatorOptions = {
  store: DemoStore;
  clock: Clock;
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  /** Sends one HTTP request; `fetch` in the app, something in-process in tests. */
  send?: (request: Request) => Promise<Response>;
};

export class SimulatorError extends Error {}

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
    if (!path) throw new SimulatorError(`the simulator does not send ${topic}`);
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
    if (customers.length === 0) throw new SimulatorError("the demo store has no customers; run npm run demo to seed it");
    if (!customerId) {
      // Rotate through the customers so every language shows up.
      const orders = await this.options.store.count("order");
      const checkouts = await this.options.store.count("checkout");
      return customers[(orders + checkouts) % customers.length];
    }
    const found = customers.find((c) => c.id === customerId);
    if (!found) throw new SimulatorError(`no demo customer has id ${customerId}`);
    return found;
  }

  private async cart(productIds?: string[]): Promise<CartLine[]> {
    const products = await this.options.store.list("product");
    if (products.length === 0) throw new SimulatorError("the demo store has no products; run npm run demo to seed it");
    if (!productIds?.length) {
      const pick = (await this.options.store.count("order")) % products.length;
      return [{ product: products[pick], quantity: 1 }, { product: products[(pick + 3) % products.length], quantity: 1 }];
    }
    return productIds.map((id) => {
      const product = products.find((p) => p.id === id);
      if (!product) throw new SimulatorError(`no demo product has id ${id}`);
      return { product, quantity: 1 };
    });
  }

  private async nextOrderNumber(): Promise<number> {
    const orders = await this.options.store.list("order");
    return Math.max(1000, ...orders.map((o) => o.order_number)) + 1;
  }

  private async latestOrder(): Promise<DemoOrder> {
    const [order] = await this.options.store.list("order", { newestFirst: true, take: 1 });
    if (!order) throw new SimulatorError("the demo store has no orders yet; place one first");
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
    return { summary: `Order ${order.name} placed by ${customer.first_name} ${customer.last_name}`, deliveries: [delivery] };
  }

  async abandonCheckout(input: { customerId?: string; productIds?: string[] } = {}): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const customer = await this.customer(input.customerId);
    const checkout = buildCheckout({ customer, products: await this.cart(input.productIds), startedAt: clock.now(), shopDomain: store.shopDomain });
    await store.put("checkout", checkout.token, checkout, clock.now());
    // Shopify sends checkouts/create when the buyer gives an email, then checkouts/update.
    const created = await this.deliver("checkouts/create", checkout);
    const updated = await this.deliver("checkouts/update", checkout);
    return { summary: `Checkout abandoned by ${customer.first_name} ${customer.last_name}`, deliveries: [created, updated] };
  }

  /** The shopper comes back and buys: an order carrying the checkout's token. */
  async completeCheckout(token?: string): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const open = (await store.list("checkout", { newestFirst: true })).filter((c) => !c.completed_at);
    const checkout: DemoCheckout | undefined = token ? open.find((c) => c.token === token) : open[0];
    if (!checkout) throw new SimulatorError(token ? `no open checkout has token ${token}` : "there is no open checkout; abandon one first");
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
    return { summary: `Checkout completed as order ${order.name}`, deliveries: [delivery] };
  }

  async fulfilLatestOrder(): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const order = await this.latestOrder();
    if (order.fulfillment_status === "fulfilled") throw new SimulatorError(`order ${order.name} is already fulfilled`);
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
    return { summary: `Order ${order.name} fulfilled with ${fulfillment.tracking_company} ${fulfillment.tracking_number}`, deliveries };
  }

  async markLatestDelivered(): Promise<SimulatorResult> {
    return this.carrierUpdate("delivered", (name) => `Order ${name} delivered`);
  }

  /** The carrier tried and could not deliver (Shopify's shipment_status attempted_delivery). */
  async reportDeliveryProblem(): Promise<SimulatorResult> {
    return this.carrierUpdate("attempted_delivery", (name) => `The carrier could not deliver order ${name} (attempted delivery)`);
  }

  private async carrierUpdate(shipmentStatus: "delivered" | "attempted_delivery", summary: (orderName: string) => string): Promise<SimulatorResult> {
    const { store, clock } = this.options;
    const order = await this.latestOrder();
    const fulfillment = order.fulfillments.at(-1);
    if (!fulfillment) throw new SimulatorError(`order ${order.name} has not been fulfilled yet; fulfil it first`);
    const now = clock.now().toISOString();
    const updated = { ...fulfillment, shipment_status: shipmentStatus, updated_at: now };
    await store.put("order", order.id, { ...order, updated_at: now, fulfillments: [...order.fulfillments.slice(0, -1), updated] });
    const delivery = await this.deliver("fulfillments/update", updated);
    return { summary: summary(order.name), deliveries: [delivery] };
  }
}
