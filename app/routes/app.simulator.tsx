import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, Card, InlineGrid, InlineStack, Layout, Page, Select, Text, Thumbnail } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useToast } from "~/components/admin-shell";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { requireAdmin } from "~/server/admin-context.server";
import { loadSimulatorChoices } from "~/server/services/demo-catalogue.server";
import { runSimulatorCommand, simulatorCommandSchema } from "~/server/services/run-simulator.server";
import { SimulatorError } from "~/server/demo/store-simulator.server";

const notFound = () => new Response("The store simulator only exists in the demo store (npm run demo).", { status: 404 });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request);
  if (!admin.demoMode) throw notFound();
  return json(await loadSimulatorChoices());
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request);
  if (!admin.demoMode) throw notFound();
  const form = Object.fromEntries(await request.formData());
  const parsed = simulatorCommandSchema.safeParse({
    ...form,
    productIds: typeof form.productId === "string" && form.productId ? [form.productId] : undefined,
    customerId: form.customerId || undefined,
  });
  if (!parsed.success) {
    return json({ ok: false as const, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  }
  try {
    return json({ ok: true as const, ...(await runSimulatorCommand(parsed.data)) });
  } catch (error) {
    if (error instanceof SimulatorError) return json({ ok: false as const, error: error.message }, { status: 409 });
    throw error;
  }
};

export default function Simulator() {
  const { customers, products, latestOrder, openCheckouts } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const format = useFormatDateTime();
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  const [customerId, setCustomerId] = useState(customers[0]?.id ?? "");
  const [productId, setProductId] = useState(products[0]?.id ?? "");

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (!fetcher.data.ok) toast(t("simulator.failed", { reason: fetcher.data.error }), { isError: true });
    else if (fetcher.data.deliveries.length === 0) toast(t("simulator.clockMoved", { time: format(fetcher.data.clock) }));
    else toast(fetcher.data.summary);
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const run = (action: string, extra: Record<string, string> = {}) => fetcher.submit({ action, ...extra }, { method: "post" });
  const busy = fetcher.state !== "idle";
  const last = fetcher.data?.ok ? fetcher.data : null;

  return (
    <Page title={t("simulator.title")} subtitle={t("simulator.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineGrid columns={2} gap="400">
                <Select label={t("simulator.customer")} options={customers.map((c) => ({ value: c.id, label: c.label }))} value={customerId} onChange={setCustomerId} />
                <Select label={t("simulator.product")} options={products.map((p) => ({ value: p.id, label: `${p.title} — $${p.price}` }))} value={productId} onChange={setProductId} />
              </InlineGrid>
              <InlineStack gap="200">
                <Button variant="primary" loading={busy} onClick={() => run("place-order", { customerId, productId })}>{t("simulator.placeOrder")}</Button>
                <Button loading={busy} onClick={() => run("abandon-checkout", { customerId, productId })}>{t("simulator.abandonCheckout")}</Button>
                <Button disabled={busy || openCheckouts === 0} onClick={() => run("complete-checkout")}>{t("simulator.completeCheckout", { count: openCheckouts })}</Button>
              </InlineStack>
              <InlineStack gap="200">
                <Button disabled={busy || !latestOrder || latestOrder.fulfilled} onClick={() => run("fulfil")}>{`${t("simulator.fulfil")}${latestOrder ? ` (${latestOrder.name})` : ""}`}</Button>
                <Button disabled={busy || !latestOrder?.fulfilled} onClick={() => run("deliver")}>{t("simulator.deliver")}</Button>
                <Button disabled={busy || !latestOrder?.fulfilled} onClick={() => run("delivery-problem")}>{t("simulator.deliveryProblem")}</Button>
              </InlineStack>
              {last && last.deliveries.length > 0 && (
                <BlockStack gap="100">
                  <Text as="p" fontWeight="semibold">{last.summary}</Text>
                  {last.deliveries.map((delivery, index) => (
                    <Text as="p" tone="subdued" key={index}>
                      <span data-testid="simulator-delivery">{t("simulator.sent", { topic: delivery.topic, status: String(delivery.status) })}</span>
                    </Text>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("simulator.clock")}</Text>
              <Text as="p" tone="subdued">{t("simulator.clockHelp")}</Text>
              <ButtonGroup>
                <Button disabled={busy} onClick={() => run("advance-clock", { seconds: "3600" })}>{t("simulator.plusHour")}</Button>
                <Button disabled={busy} onClick={() => run("advance-clock", { seconds: "86400" })}>{t("simulator.plusDay")}</Button>
              </ButtonGroup>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 3, md: 6 }} gap="300">
            {products.map((product) => (
              <Card key={product.id}>
                <BlockStack gap="200" inlineAlign="center">
                  <Thumbnail source={product.image} alt={product.title} size="large" />
                  <Text as="p" variant="bodySm" alignment="center">{product.title}</Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
