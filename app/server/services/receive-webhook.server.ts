// Webhook intake: one ledger row per delivery (a retried delivery is a no-op), then the
// few effects that must happen at once (uninstall, privacy requests).
import { isComplianceTopic } from "../../domain/events/webhook-topics";
import { services } from "../container.server";
import { db } from "../db.server";
import type { WebhookDelivery } from "../webhooks.server";
import { exportCustomerData, redactCustomer, redactShop } from "./customer-privacy.server";
import { uninstallShop } from "./uninstall-shop.server";

export type ReceiveOutcome = "recorded" | "duplicate" | "ignored";

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export async function receiveWebhook(delivery: WebhookDelivery): Promise<ReceiveOutcome> {
  const { logger, clock } = services();
  const shop = await db().shop.findUnique({ where: { domain: delivery.shopDomain } });
  // Privacy topics still apply after uninstall (shop/redact comes 48 hours later).
  if (!shop || (shop.uninstalledAt && !isComplianceTopic(delivery.topic))) {
    logger.info("webhook ignored: shop is not installed", { shop: delivery.shopDomain, topic: delivery.topic, webhookId: delivery.webhookId });
    return "ignored";
  }
  try {
    await db().eventLedger.create({
      data: {
        shopId: shop.id,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId,
        apiVersion: delivery.apiVersion,
        triggeredAt: delivery.triggeredAt,
        payload: JSON.stringify(delivery.payload),
        receivedAt: clock.now(),
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      logger.info("webhook duplicate ignored", { shop: delivery.shopDomain, topic: delivery.topic, webhookId: delivery.webhookId });
      return "duplicate";
    }
    throw error;
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
