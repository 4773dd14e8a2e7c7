// Webhook intake: one ledger row and its processing job per delivery (a retried delivery is a
// no-op), then the few effects that must happen at once (uninstall, privacy requests).
// No sending and no Admin API call happen here: the route answers in milliseconds.
import { isComplianceTopic } from "../../domain/events/webhook-topics";
import { services } from "../container.server";
import { db } from "../db.server";
import type { WebhookDelivery } from "../webhooks.server";
import { recordEvent } from "./record-event.server";
import { exportCustomerData, redactCustomer, redactShop } from "./customer-privacy.server";
import { uninstallShop } from "./uninstall-shop.server";

export type ReceiveOutcome = "recorded" | "duplicate" | "ignored";

export async function receiveWebhook(delivery: WebhookDelivery): Promise<ReceiveOutcome> {
  const { logger } = services();
  const shop = await db().shop.findUnique({ where: { domain: delivery.shopDomain } });
  // Privacy topics still apply after uninstall (shop/redact comes 48 hours later).
  if (!shop || (shop.uninstalledAt && !isComplianceTopic(delivery.topic))) {
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
      await uninstallShop(shop.id, shop.domain);
      break;
    case "customers/data_request":
      await exportCustomerData(shop.id, delivery.payload);
      break;
    case "customers/redact":
      await redactCustomer(shop.id, delivery.payload);
      break;
    case "shop/redact":
      await redactShop(shop.id, shop.domain);
      break;
  }
  return "recorded";
}
