// The error boundary of a detail page: a 404 (an id that is not, or no longer, in this shop)
// gets a translated page that leads back to the list; anything else goes to the admin's
// shared error handling (Shopify's auth responses, then the translated error page).
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import type { MessageKey } from "~/i18n";
import { ShopifyErrorBoundary } from "./app-provider";
import { useI18n } from "./i18n-context";

export type NotFoundCopy = {
  /** The page's own keys: `${notFound}.title`, `${notFound}.body`, `${notFound}.back`. */
  notFound: string;
  /** The list the page belongs to: its title key and URL. */
  list: { title: MessageKey; url: string };
};

/** `export const ErrorBoundary = notFoundBoundary({ ... })` in a detail route. */
export function notFoundBoundary(copy: NotFoundCopy) {
  return function ErrorBoundary() {
    const error = useRouteError();
    if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage copy={copy} />;
    return <ShopifyErrorBoundary error={error} />;
  };
}

function NotFoundPage({ copy }: { copy: NotFoundCopy }) {
  const { t } = useI18n();
  const key = (part: "title" | "body" | "back") => `${copy.notFound}.${part}` as MessageKey;
  return (
    <Page title={t(key("title"))} backAction={{ content: t(copy.list.title), url: copy.list.url }}>
      <Card>
        <BlockStack gap="200">
          <Text as="p">{t(key("body"))}</Text>
          <InlineStack>
            <Button url={copy.list.url}>{t(key("back"))}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
