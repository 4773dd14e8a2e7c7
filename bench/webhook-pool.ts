// Pre-signed orders/create deliveries for bench/intake.ts, built before any measurement so
// neither payload building nor signing runs while a server is being measured.
// Every entry has its own order (id, number, line items), X-Shopify-Webhook-Id and
// X-Shopify-Event-Id, so the app records each one instead of answering "duplicate".
import { createHmac, randomUUID } from "node:crypto";
import { demoCustomers, demoProducts } from "../app/server/demo/seed.server";
import { buildOrder, randomToken, type CartLine } from "../app/server/demo/shopify-payloads";

export type SignedDelivery = {
  webhookId: string;
  headers: Record<string, string>;
  body: Buffer;
};

export type PoolOptions = { secret: string; shop: string; topic: string; apiVersion: string };

export class SignedWebhookPool {
  private readonly entries: SignedDelivery[] = [];
  private cursor = 0;
  private cycleCursor = 0;
  private orderNumber: number;
  private readonly customers = demoCustomers(new Date(Date.now() - 90 * 86_400_000).toISOString());
  private readonly products = demoProducts(new Date(Date.now() - 90 * 86_400_000).toISOString(), "https://avisa.example.com");
  /** Deliveries signed during a run because the pre-signed ones ran out (should stay 0). */
  signedLate = 0;

  constructor(private readonly options: PoolOptions) {
    // Order numbers far apart between runs, so ids never collide with an earlier run's rows.
    this.orderNumber = 100_000 + Math.floor(Math.random() * 1_000_000) * 100;
  }

  get size(): number {
    return this.entries.length;
  }

  get used(): number {
    return this.cursor;
  }

  /** Signs deliveries until the pool holds at least `count` that have not been taken. */
  fill(count: number): void {
    while (this.entries.length - this.cursor < count) this.entries.push(this.sign());
  }

  /** The next unused delivery. Never repeats one; signs a fresh one if the pool is empty. */
  take(): SignedDelivery {
    if (this.cursor >= this.entries.length) {
      this.signedLate++;
      this.entries.push(this.sign());
    }
    return this.entries[this.cursor++];
  }

  /**
   * For the bare server, which does not care about repeats: cycles through everything signed
   * so far, independently of take(), so it never causes signing during a measurement.
   */
  cycle(): SignedDelivery {
    const entry = this.entries[this.cycleCursor % this.entries.length];
    this.cycleCursor++;
    return entry;
  }

  bodySizes(): { min: number; max: number; mean: number } {
    let min = Infinity;
    let max = 0;
    let sum = 0;
    for (const { body } of this.entries) {
      min = Math.min(min, body.length);
      max = Math.max(max, body.length);
      sum += body.length;
    }
    return { min, max, mean: this.entries.length ? Math.round(sum / this.entries.length) : 0 };
  }

  private sign(): SignedDelivery {
    const n = this.orderNumber++;
    const customer = this.customers[n % this.customers.length];
    const lines: CartLine[] = [];
    const lineCount = 1 + (n % 4);
    for (let i = 0; i < lineCount; i++) {
      lines.push({ product: this.products[(n + i * 5) % this.products.length], quantity: 1 + ((n >> i) % 3) });
    }
    const placedAt = new Date(Date.now() - (n % 600) * 1000);
    const order = buildOrder({
      orderNumber: n,
      customer,
      products: lines,
      placedAt,
      checkoutToken: n % 5 === 0 ? null : randomToken(16),
      shopDomain: this.options.shop,
    });
    const body = Buffer.from(JSON.stringify(order));
    const webhookId = randomUUID();
    return {
      webhookId,
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": this.options.topic,
        "X-Shopify-Hmac-Sha256": createHmac("sha256", this.options.secret).update(body).digest("base64"),
        "X-Shopify-Shop-Domain": this.options.shop,
        "X-Shopify-API-Version": this.options.apiVersion,
        "X-Shopify-Webhook-Id": webhookId,
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": placedAt.toISOString(),
        "User-Agent": "Shopify-Captain-Hook",
      },
    };
  }
}
