// app/uninstalled: the shop's access token is already revoked, so its sessions go and all of
// its pending work stops: waiting messages are cancelled and queued jobs are failed with the
// reason. Its data stays until shop/redact (Shopify sends it 48 hours later).
import { reason, statusReasonData } from "../../domain/messages/message-reason";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import { services } from "../container.server";
import { db } from "../db.server";

const REASON = statusReasonData(reason("shop_uninstalled"));

export async function uninstallShop(shopId: string, shopDomain: string): Promise<void> {
  const now = services().clock.now();
  await db().$transaction([
    db().session.deleteMany({ where: { shop: shopDomain } }),
    db().shop.update({ where: { id: shopId }, data: { uninstalledAt: now } }),
    db().message.updateMany({ where: { shopId, status: { in: [...PENDING_STATUSES] } }, data: { status: "cancelled", ...REASON } }),
    db().job.updateMany({ where: { shopId, status: "queued" }, data: { status: "failed", lastError: REASON.statusReason, finishedAt: now } }),
  ]);
}
