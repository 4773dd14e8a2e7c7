import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisEs from "@shopify/polaris/locales/es.json";
import polarisPtBR from "@shopify/polaris/locales/pt-BR.json";
import { AdminShell } from "~/components/admin-shell";
import { AdminAppProvider, AdminErrorPage, ShopifyAuthResponse, shopifyHeaders } from "~/components/app-provider";
import { isShopifyAuthResponse } from "~/components/error-copy";
import { I18nProvider } from "~/components/i18n-context";
import { catalogueFor } from "~/i18n";
import type { loader as rootLoader } from "~/root";
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

/**
 * Errors of the admin pages without a boundary of their own, and of this layout's loader.
 * Shopify's auth responses (App Bridge bounce pages, 401s asking App Bridge to re-authorize,
 * whose headers `headers` below keeps) render as Shopify intends. Anything else is a translated
 * Polaris page: inside the admin's frame and navigation when this layout's data loaded (a page
 * below failed), on its own otherwise, in the language the root loader found (?locale=, the
 * admin's cookie, the browser) with the error strings it sends.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const layout = useRouteLoaderData<typeof loader>("routes/app");
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const locale = layout?.locale ?? root?.locale ?? "en";
  const messages: Record<string, string> = layout?.messages ?? root?.messages ?? {};

  if (isShopifyAuthResponse(error)) return <ShopifyAuthResponse error={error} fallback={messages["errors.handlingResponse"] ?? "…"} />;
  return (
    // Without the layout's data there are no Polaris strings either: the page alone uses none.
    <AdminAppProvider embedded={layout?.embedded ?? false} apiKey={layout?.apiKey ?? ""} i18n={layout?.polarisTranslations ?? {}}>
      <I18nProvider locale={locale} messages={messages}>
        {layout ? (
          <AdminShell embedded={layout.embedded} demo={layout.demo} shopName={layout.shopName} timeZone={layout.timeZone}>
            <AdminErrorPage error={error} />
          </AdminShell>
        ) : (
          <AdminErrorPage error={error} />
        )}
      </I18nProvider>
    </AdminAppProvider>
  );
}

export const headers: HeadersFunction = (headersArgs) => shopifyHeaders(headersArgs);
