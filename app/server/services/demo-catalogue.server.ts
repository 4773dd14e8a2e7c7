// What the simulator page offers: the demo store's customers and products.
import { DEMO_SHOP_DOMAIN } from "../config.server";
import { db } from "../db.server";
import { DemoStore } from "../demo/demo-store.server";

export async function loadSimulatorChoices() {
  const store = new DemoStore(db(), DEMO_SHOP_DOMAIN);
  const [customers, products, checkouts, orders] = await Promise.all([
    store.list("customer"),
    store.list("product"),
    store.list("checkout", { newestFirst: true }),
    store.list("order", { newestFirst: true, take: 1 }),
  ]);
  return {
    customers: customers.map((c) => ({ id: c.id, label: `${c.first_name} ${c.last_name} (${c.locale}, ${c.default_address.province_code} ${c.default_address.country_code})` })),
    products: products.map((p) => ({ id: p.id, title: p.title, price: p.variants[0].price, image: p.image.src })),
    openCheckouts: checkouts.filter((c) => !c.completed_at).length,
    latestOrder: orders[0] ? { name: orders[0].name, fulfilled: orders[0].fulfillment_status === "fulfilled" } : null,
  };
}
