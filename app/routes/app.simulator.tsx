import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, Card, InlineGrid, InlineStack, Layout, Page, Select, Text, Thumbnail } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { useToast } from "~/components/admin-shell";
import { EmptyNote } from "~/components/empty-note";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { translator, type AdminLocale, type MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { loadSimulatorChoices } from "~/server/services/demo-catalogue.server";
import { runSimulatorCommand, simulatorCommandSchema } from "~/server/services/run-simulator.server";
import { SimulatorError, type SimulatorErrorCode, type SimulatorOutcomeCode } from "~/server/demo/store-simulator.server";

const notFound = (locale: AdminLocale) =>
  new Response(translator(locale)("simulator.notFound"), { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request);
  if (!admin.demoMode) throw notFound(admin.locale);
  return json({ currency: admin.shop.currency, ...(await loadSimulatorChoices()) });
};

/** The form fields a refused command names, in the order the page shows them. */
const SIMULATOR_FIELDS = ["action", "customerId", "productIds", "token", "seconds"] as const;
type SimulatorField = (typeof SIMULATOR_FIELDS)[number];
type SimulatorFailure = { code: SimulatorErrorCode | "invalid_input"; params: Record<string, string>; fields?: SimulatorField[] };

export const action = async ({ request }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request);
  if (!admin.demoMode) throw notFound(admin.locale);
  const form = Object.fromEntries(await request.formData());
  const parsed = simulatorCommandSchema.safeParse({
    ...form,
    productIds: typeof form.productId === "string" && form.productId ? [form.productId] : undefined,
    customerId: form.customerId || undefined,
  });
  if (!parsed.success) {
    const named = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? "action")));
    const fields = SIMULATOR_FIELDS.filter((field) => named.has(field));
    const error: SimulatorFailure = { code: "invalid_input", params: {}, fields: fields.length ? fields : ["action"] };
    return json({ ok: false as const, error }, { status: 400 });
  }
  try {
    return json({ ok: true as const, ...(await runSimulatorCommand(parsed.data)) });
  } catch (thrown) {
    if (thrown instanceof SimulatorError) {
      const error: SimulatorFailure = { code: thrown.code, params: thrown.params };
      return json({ ok: false as const, error }, { status: 409 });
    }
    throw thrown;
  }
};

const ERROR_KEYS: Record<SimulatorFailure["code"], MessageKey> = {
  invalid_input: "simulator.error.invalidInput",
  demo_only: "simulator.error.demoOnly",
  topic_not_simulated: "simulator.error.topicNotSimulated",
  no_customers: "simulator.error.noCustomers",
  unknown_customer: "simulator.error.unknownCustomer",
  no_products: "simulator.error.noProducts",
  unknown_product: "simulator.error.unknownProduct",
  no_orders: "simulator.error.noOrders",
  no_open_checkout: "simulator.error.noOpenCheckout",
  unknown_checkout: "simulator.error.unknownCheckout",
  already_fulfilled: "simulator.error.alreadyFulfilled",
  not_fulfilled: "simulator.error.notFulfilled",
};

const FIELD_KEYS: Record<SimulatorField, MessageKey> = {
  action: "simulator.field.action",
  customerId: "simulator.customer",
  productIds: "simulator.product",
  token: "simulator.field.checkout",
  seconds: "simulator.field.seconds",
};

const OUTCOME_KEYS: Record<Exclude<SimulatorOutcomeCode, "clock_moved">, MessageKey> = {
  order_placed: "simulator.outcome.orderPlaced",
  checkout_abandoned: "simulator.outcome.checkoutAbandoned",
  checkout_completed: "simulator.outcome.checkoutCompleted",
  order_fulfilled: "simulator.outcome.orderFulfilled",
  order_delivered: "simulator.outcome.orderDelivered",
  delivery_attempted: "simulator.outcome.deliveryAttempted",
};

/** Prices in the shop's currency, in the merchant's language. */
function useMoney(currency: string) {
  const { locale } = useI18n();
  return useMemo(() => {
    try {
      const format = new Intl.NumberFormat(locale, { style: "currency", currency });
      return (amount: string) => format.format(Number(amount));
    } catch {
      // Not an ISO 4217 code Intl knows: the amount and the code as stored.
      const number = new Intl.NumberFormat(locale, { minimumFractionDigits: 2 });
      return (amount: string) => `${number.format(Number(amount))} ${currency}`;
    }
  }, [locale, currency]);
}

export default function Simulator() {
  const { customers, products, latestOrder, openCheckouts, currency } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const format = useFormatDateTime();
  const money = useMoney(currency);
  const fetcher = useFetcher<typeof action>();
  const toast = useToast();
  const [customerId, setCustomerId] = useState(customers[0]?.id ?? "");
  const [productId, setProductId] = useState(products[0]?.id ?? "");

  const failureText = (error: SimulatorFailure) => {
    const fields = new Intl.ListFormat(locale, { type: "conjunction" }).format((error.fields ?? []).map((field) => t(FIELD_KEYS[field])));
    return t(ERROR_KEYS[error.code], { ...error.params, fields });
  };
  const outcomeText = (outcome: { code: SimulatorOutcomeCode; params: Record<string, string> }) =>
    outcome.code === "clock_moved" ? t("simulator.clockMoved", { time: format(outcome.params.time) }) : t(OUTCOME_KEYS[outcome.code], outcome.params);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (!fetcher.data.ok) toast(failureText(fetcher.data.error), { isError: true });
    else toast(outcomeText(fetcher.data.outcome));
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const run = (action: string, extra: Record<string, string> = {}) => fetcher.submit({ action, ...extra }, { method: "post" });
  const busy = fetcher.state !== "idle";
  // The command on its way, so the button pressed spins and the others wait.
  const pending = busy ? String(fetcher.formData?.get("action") ?? "") : null;
  const pendingSeconds = busy ? String(fetcher.formData?.get("seconds") ?? "") : null;
  const last = fetcher.data?.ok ? fetcher.data : null;
  const seeded = customers.length > 0 && products.length > 0;

  return (
    <Page title={t("simulator.title")} subtitle={t("simulator.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            {!seeded ? (
              <EmptyNote heading={t("simulator.empty.heading")}>{t("simulator.empty.body")}</EmptyNote>
            ) : (
              <BlockStack gap="400">
                <InlineGrid columns={2} gap="400">
                  <Select label={t("simulator.customer")} options={customers.map((c) => ({ value: c.id, label: c.label }))} value={customerId} onChange={setCustomerId} />
                  <Select label={t("simulator.product")} options={products.map((p) => ({ value: p.id, label: `${p.title} — ${money(p.price)}` }))} value={productId} onChange={setProductId} />
                </InlineGrid>
                <InlineStack gap="200">
                  <Button variant="primary" loading={pending === "place-order"} disabled={busy} onClick={() => run("place-order", { customerId, productId })}>{t("simulator.placeOrder")}</Button>
                  <Button loading={pending === "abandon-checkout"} disabled={busy} onClick={() => run("abandon-checkout", { customerId, productId })}>{t("simulator.abandonCheckout")}</Button>
                  <Button loading={pending === "complete-checkout"} disabled={busy || openCheckouts === 0} onClick={() => run("complete-checkout")}>{t("simulator.completeCheckout", { count: openCheckouts })}</Button>
                </InlineStack>
                <InlineStack gap="200">
                  <Button loading={pending === "fulfil"} disabled={busy || !latestOrder || latestOrder.fulfilled} onClick={() => run("fulfil")}>{`${t("simulator.fulfil")}${latestOrder ? ` (${latestOrder.name})` : ""}`}</Button>
                  <Button loading={pending === "deliver"} disabled={busy || !latestOrder?.fulfilled} onClick={() => run("deliver")}>{t("simulator.deliver")}</Button>
                  <Button loading={pending === "delivery-problem"} disabled={busy || !latestOrder?.fulfilled} onClick={() => run("delivery-problem")}>{t("simulator.deliveryProblem")}</Button>
                </InlineStack>
                {last && last.deliveries.length > 0 && (
                  <BlockStack gap="100">
                    <Text as="p" fontWeight="semibold">{outcomeText(last.outcome)}</Text>
                    {last.deliveries.map((delivery, index) => (
                      <Text as="p" tone="subdued" key={index}>
                        <span data-testid="simulator-delivery">{t("simulator.sent", { topic: delivery.topic, status: String(delivery.status) })}</span>
                      </Text>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("simulator.clock")}</Text>
              <Text as="p" tone="subdued">{t("simulator.clockHelp")}</Text>
              <ButtonGroup>
                <Button loading={pending === "advance-clock" && pendingSeconds === "3600"} disabled={busy} onClick={() => run("advance-clock", { seconds: "3600" })}>{t("simulator.plusHour")}</Button>
                <Button loading={pending === "advance-clock" && pendingSeconds === "86400"} disabled={busy} onClick={() => run("advance-clock", { seconds: "86400" })}>{t("simulator.plusDay")}</Button>
              </ButtonGroup>
            </BlockStack>
          </Card>
        </Layout.Section>
        {products.length > 0 && (
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
        )}
      </Layout>
    </Page>
  );
}
