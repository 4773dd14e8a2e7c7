// Polaris + App Bridge for the admin. Same behaviour as AppProvider in
// @shopify/shopify-app-remix/react, written here because that module imports JSON with import
// attributes, which the Remix classic compiler's esbuild cannot parse for the browser bundle.
import { useLocation, useNavigate, Link } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, BlockStack, Button, Card, InlineStack, Page, Text, type AppProviderProps } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { forwardRef, useEffect, type ReactNode } from "react";
import { authResponseHtml, errorCopy, isShopifyAuthResponse } from "./error-copy";
import { useI18n } from "./i18n-context";

// Loaded from Shopify's CDN inside the admin; never in the demo store.
export const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

const RemixPolarisLink = forwardRef<HTMLAnchorElement, LinkLikeComponentProps>(function RemixPolarisLink({ url, ...rest }, ref) {
  return <Link {...rest} to={url} ref={ref} />;
});

export function AdminAppProvider(props: { embedded: boolean; apiKey: string; i18n: AppProviderProps["i18n"]; children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => {
    // App Bridge's navigation menu dispatches shopify:navigate; Remix does the routing.
    const onNavigate = (event: Event) => {
      const href = (event.target as HTMLElement | null)?.getAttribute("href");
      if (href) navigate(href);
    };
    addEventListener("shopify:navigate", onNavigate);
    return () => removeEventListener("shopify:navigate", onNavigate);
  }, [navigate]);
  return (
    <>
      {props.embedded && <script src={APP_BRIDGE_URL} data-api-key={props.apiKey} />}
      <PolarisAppProvider i18n={props.i18n} linkComponent={RemixPolarisLink}>
        {props.children}
      </PolarisAppProvider>
    </>
  );
}

/** A Shopify auth response's body rendered as-is (App Bridge bounce / exit-iframe page), else a short note. */
export function ShopifyAuthResponse({ error, fallback }: { error: { data: unknown }; fallback: string }) {
  const html = authResponseHtml(error);
  return html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <div>{fallback}</div>;
}

/**
 * A route's error, inside the admin (needs the layout's I18nProvider): Shopify's auth responses
 * (bounce pages, reauthorisation) render as Shopify intends; anything else, thrown Response or
 * error, is a translated Polaris page saying what happened and what to do. It never re-throws:
 * a boundary that throws during the server render ends in Remix's last-resort English 500.
 */
export function ShopifyErrorBoundary({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (isShopifyAuthResponse(error)) return <ShopifyAuthResponse error={error} fallback={t("errors.handlingResponse")} />;
  return <AdminErrorPage error={error} />;
}

/** The translated error page: what went wrong, the status, "Try again" and "Go to the dashboard". */
export function AdminErrorPage({ error }: { error: unknown }) {
  const { t } = useI18n();
  const location = useLocation();
  const copy = errorCopy(error);
  return (
    <Page title={t(copy.title)}>
      <Card>
        <BlockStack gap="300">
          <Text as="p"><span data-testid="error-body">{t(copy.body)}</span></Text>
          {copy.status !== null && <Text as="p" tone="subdued" variant="bodySm">{t("errors.status", { status: copy.status })}</Text>}
          <InlineStack gap="200">
            {copy.tryAgain && <Button variant="primary" url={`${location.pathname}${location.search}`}>{t("errors.tryAgain")}</Button>}
            <Button variant={copy.tryAgain ? undefined : "primary"} url="/app">{t("errors.home")}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}

/** Keeps Shopify's headers (e.g. the reauthorize header) on error responses. */
export function shopifyHeaders(args: { parentHeaders?: Headers; loaderHeaders?: Headers; actionHeaders?: Headers; errorHeaders?: Headers }): Headers {
  const { parentHeaders, loaderHeaders, actionHeaders, errorHeaders } = args;
  if (errorHeaders && Array.from(errorHeaders.entries()).length > 0) return errorHeaders;
  return new Headers([
    ...(parentHeaders ? Array.from(parentHeaders.entries()) : []),
    ...(loaderHeaders ? Array.from(loaderHeaders.entries()) : []),
    ...(actionHeaders ? Array.from(actionHeaders.entries()) : []),
  ]);
}
