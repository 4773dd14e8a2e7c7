// Records a store installing (or re-installing) Avisa, with what the admin needs to know
// about it: name, contact email, currency, time zone and primary language.
import { services } from "../container.server";
import { db } from "../db.server";

export const SHOP_DETAILS_QUERY = `#graphql
  query AvisaShopDetails {
    shop { name email currencyCode ianaTimezone }
    shopLocales(published: true) { locale primary }
  }`;

type ShopDetails = {
  shop: { name: string; email: string; currencyCode: string; ianaTimezone: string };
  shopLocales: Array<{ locale: string; primary: boolean }>;
};

export async function recordInstallation(shopDomain: string, graphql: (query: string) => Promise<{ data?: unknown }>) {
  const { data } = (await graphql(SHOP_DETAILS_QUERY)) as { data?: ShopDetails };
  const details = data?.shop;
  const primaryLocale = data?.shopLocales.find((l) => l.primary)?.locale ?? "en";
  const now = services().clock.now();
  const fields = {
    name: details?.name ?? shopDomain,
    email: details?.email ?? null,
    currency: details?.currencyCode ?? "USD",
    timeZone: details?.ianaTimezone ?? "UTC",
    primaryLocale,
  };
  const shop = await db().shop.upsert({
    where: { domain: shopDomain },
    create: { domain: shopDomain, ...fields, installedAt: now },
    update: { ...fields, installedAt: now, uninstalledAt: null },
  });
  const { scheduleReconciliation } = await import("../jobs.server");
  await scheduleReconciliation(shop.id, now);
  return shop;
}
