// Webhook intake: one ledger row and its processing job per delivery (a retried delivery is a
// no-op), then the few effects that must happen at once (uninstall, privacy requests).
// No sending and no Admin API call happen here: the route answers in milliseconds.
import { isComplianceTopic } from "../../domain/events/webhook-topics";
import { services } from "../container.server";
import { db, perDatabase } from "../db.server";
import type { WebhookDelivery } from "../webhooks.server";
import { recordEvent } from "./record-event.server";
import { exportCustomerData, redactCustomer, redactShop } from "./customer-privacy.server";
import { uninstallShop } from "./uninstall-shop.server";

export type ReceiveOutcome = "recorded" | "duplicate" | "ignored";

type InstalledShop = { id: string; domain: string; expiresAt: number };

// Installed shops are remembered for a few seconds so a burst of deliveries costs one lookup,
// not one each. Only installed shops are cached: a new installation is seen at once, and an
// uninstall in another process is seen within the TTL — events recorded meanwhile are
// harmless, since nothing is sent for an uninstalled shop (see shopInstalledCheck).
const INSTALLED_SHOP_TTL_MS = 5_000;
const installedShopsOf = perDatabase(() => new Map<string, InstalledShop>());

async function installedShop(domain: string, topic: string): Promise<InstalledShop | null> {
  const installedShops = installedShopsOf(db());
  const cached = installedShops.get(domain);
  if (cached && cached.expiresAt > Date.now()) return cached;
  installedShops.delete(domain);
  const shop = await db().shop.findUnique({ where: { domain }, select: { id: true, domain: true, uninstalledAt: true } });
  if (!shop) return null;
  const found = { id: shop.id, domain: shop.domain, expiresAt: Date.now() + INSTALLED_SHOP_TTL_MS };
  if (!shop.uninstalledAt) installedShops.set(domain, found);
  // Privacy topics still apply after uninstall (shop/redact comes 48 hours later).
  return !shop.uninstalledAt || isComplianceTopic(topic) ? found : null;
}

/** Forget a shop's cached installation (it uninstalled, or its data is gone). */
export function forgetInstalledShop(domain: string): void {
  installedShopsOf(db()).delete(domain);
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
      await exportCustomerData(shop.id, delivery.payload);
      break;
    case "customers/redact":
      await redactCustomer(shop.id, delivery.payload);
      break;
    case "shop/redact":
      forgetInstalledShop(shop.domain);
      await redactShop(shop.id, shop.domain);
      break;
  }
  return "recorded";
}
