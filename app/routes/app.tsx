import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisEs from "@shopify/polaris/locales/es.json";
import polarisPtBR from "@shopify/polaris/locales/pt-BR.json";
import { AdminShell } from "~/components/admin-shell";
import { AdminAppProvider, ShopifyErrorBoundary, shopifyHeaders } from "~/components/app-provider";
import { I18nProvider } from "~/components/i18n-context";
import { catalogueFor } from "~/i18n";
import { localeCookie, requireAdmin } from "~/server/admin-context.server";
import { config } from "~/server/config.server";
import { services } from "~/server/container.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

const POLARIS_TRANSLATIONS = { en: polarisEn, es: polarisEs, "pt-BR": polarisPtBR };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request);
  const settings = config();
  const headers = new URL(request.url).searchParams.has("locale") ? { "Set-Cookie": localeCookie(admin.locale) } : undefined;
  return json(
    {
      apiKey: settings.shopify.apiKey,
      embedded: !admin.demoMode,
      demo: admin.demoMode ? { clock: services().clock.now().toISOString() } : null,
      shopName: admin.shop.name,
      timeZone: admin.shop.timeZone,
      locale: admin.locale,
      messages: catalogueFor(admin.locale),
      polarisTranslations: POLARIS_TRANSLATIONS[admin.locale],
    },
    { headers },
  );
};

export default function AdminLayout() {
  const data = useLoaderData<typeof loader>();
  return (
    <AdminAppProvider embedded={data.embedded} apiKey={data.apiKey} i18n={data.polarisTranslations}>
      <I18nProvider locale={data.locale} messages={data.messages}>
        <AdminShell embedded={data.embedded} demo={data.demo} shopName={data.shopName} timeZone={data.timeZone}>
          <Outlet />
        </AdminShell>
      </I18nProvider>
    </AdminAppProvider>
  );
}

// Shopify needs its own error boundary and headers for the embedded auth redirects.
export function ErrorBoundary() {
  return <ShopifyErrorBoundary error={useRouteError()} />;
}

export const headers: HeadersFunction = (headersArgs) => shopifyHeaders(headersArgs);
