// Webhook intake: one ledger row and its processing job per delivery (a retried delivery is a
// no-op), then the few effects that must happen at once (uninstall, privacy requests).
// No sending and no Admin API call happen here: the route answers in milliseconds.
import { parseShopifyJson } from "../../domain/events/shopify-json";
import { isComplianceTopic } from "../../domain/events/webhook-topics";
import { services } from "../container.server";
import { db, perDatabase } from "../db.server";
import { fastSql } from "../fast-sql.server";
import type { WebhookDelivery } from "../webhooks.server";
import { recordEvent } from "./record-event.server";
import { exportCustomerData, redactCustomer, redactShop } from "./customer-privacy.server";
import { installedShopCache, type ShopRecord } from "./installed-shop-cache.server";
import { uninstallShop } from "./uninstall-shop.server";

export type ReceiveOutcome = "recorded" | "duplicate" | "ignored";

/** One cache per database client; the lookup is a fixed statement, off Prisma's pool (fast-sql.server.ts). */
const installedShopsOf = perDatabase((database) => {
  const sql = fastSql(database);
  const statement = { name: "avisa_intake_shop", text: `SELECT id, domain, "uninstalledAt" FROM ${sql.table("Shop")} WHERE domain = ${sql.param(1)}` };
  return installedShopCache(async (domain) => {
    const [row] = await sql.query<{ id: string; domain: string; uninstalledAt: unknown }>(statement, [domain]);
    return row ? { id: row.id, domain: row.domain, uninstalled: row.uninstalledAt != null } : null;
  });
});

async function installedShop(domain: string, topic: string): Promise<ShopRecord | null> {
  const shop = await installedShopsOf(db()).get(domain);
  // Privacy topics still apply after uninstall (shop/redact comes 48 hours later).
  return shop && (!shop.uninstalled || isComplianceTopic(topic)) ? shop : null;
}

/** Forget a shop's cached installation (it uninstalled, or its data is gone). */
export function forgetInstalledShop(domain: string): void {
  installedShopsOf(db()).forget(domain);
}

export async function receiveWebhook(delivery: WebhookDelivery): Promise<ReceiveOutcome> {
  const { logger } = services();
  const shop = await installedShop(delivery.shopDomain, delivery.topic);
  if (!shop) {
    logger.info("webhook ignored: shop is not installed", { shop: delivery.shopDomain, topic: delivery.topic, webhookId: delivery.webhookId });
    return "ignored";
  }
  const outcome = await recordEvent({ shopId: shop.id, ...delivery, source: "webhook" });
  if (outcome === "duplicate") {
    logger.info("webhook duplicate ignored", { shop: delivery.shopDomain, topic: delivery.topic, webhookId: delivery.webhookId });
    return "duplicate";
  }

  switch (delivery.topic) {
    case "app/uninstalled":
      forgetInstalledShop(shop.domain);
      await uninstallShop(shop.id, shop.domain);
      break;
    case "customers/data_request":
      await exportCustomerData(shop.id, parseShopifyJson(delivery.payloadJson));
      break;
    case "customers/redact":
      await redactCustomer(shop.id, parseShopifyJson(delivery.payloadJson));
      break;
    case "shop/redact":
      forgetInstalledShop(shop.domain);
      await redactShop(shop.id, shop.domain);
      break;
  }
  return "recorded";
}
