// Polaris + App Bridge for the admin. Same behaviour as AppProvider in
// @shopify/shopify-app-remix/react, written here because that module imports JSON with import
// attributes, which the Remix classic compiler's esbuild cannot parse for the browser bundle.
import { useNavigate, Link } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, type AppProviderProps } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { forwardRef, useEffect, type ReactNode } from "react";

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

/** Shopify's auth flow throws responses whose body must be rendered as-is (bounce pages, redirects). */
export function ShopifyErrorBoundary({ error }: { error: unknown }) {
  const name = (error as { constructor?: { name?: string } } | null)?.constructor?.name;
  if (name === "ErrorResponse" || name === "ErrorResponseImpl") {
    return <div dangerouslySetInnerHTML={{ __html: (error as { data?: string }).data || "Handling response" }} />;
  }
  throw error;
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
