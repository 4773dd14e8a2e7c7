import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import { useState } from "react";
import { shopify } from "~/server/shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

// Merchants who open the app outside Shopify's admin type their store's domain here.
async function login(request: Request) {
  const errors = await shopify().login(request);
  if (errors && "shop" in errors && errors.shop) {
    return { shop: errors.shop === "MISSING_SHOP" ? "Enter your store's domain, e.g. my-store.myshopify.com" : "That is not a valid Shopify store domain (my-store.myshopify.com)" };
  }
  return {};
}

export const loader = async ({ request }: LoaderFunctionArgs) => json({ errors: await login(request), polarisTranslations });
export const action = async ({ request }: ActionFunctionArgs) => json({ errors: await login(request) });

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const errors = actionData?.errors ?? loaderData.errors;
  return (
    <PolarisAppProvider i18n={loaderData.polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">Log in to Avisa</Text>
              <TextField type="text" name="shop" label="Shop domain" helpText="example.myshopify.com" value={shop} onChange={setShop} autoComplete="on" error={(errors as { shop?: string }).shop} />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
