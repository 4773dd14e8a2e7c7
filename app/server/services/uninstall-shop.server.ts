// app/uninstalled: the shop's access token is already revoked, so its sessions go and its
// work stops. Its data stays until shop/redact (Shopify sends it 48 hours later).
import { services } from "../container.server";
import { db } from "../db.server";

export async function uninstallShop(shopId: string, shopDomain: string): Promise<void> {
  const now = services().clock.now();
  await db().$transaction([
    db().session.deleteMany({ where: { shop: shopDomain } }),
    db().shop.update({ where: { id: shopId }, data: { uninstalledAt: now } }),
  ]);
}
