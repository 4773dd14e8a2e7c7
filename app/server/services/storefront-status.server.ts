import { db } from "../db.server";

/** The shop a storefront request is for, if Avisa is installed there. */
export async function findInstalledShop(shopDomain: string) {
  const shop = await db().shop.findUnique({ where: { domain: shopDomain }, select: { name: true, primaryLocale: true, uninstalledAt: true } });
  return shop && !shop.uninstalledAt ? shop : null;
}
