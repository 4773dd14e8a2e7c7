import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, IndexTable, Link, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { useToast } from "~/components/admin-shell";
import { stepSummary } from "~/components/automation-summary";
import { useI18n } from "~/components/i18n-context";
import { ToggleSwitch } from "~/components/toggle-switch";
import { AUTOMATION_RULES, AUTOMATION_TYPES } from "~/domain/automations/definitions";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { services } from "~/server/container.server";
import { automationResults, setAutomationEnabled, shopAutomations } from "~/server/services/automations.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const [automations, results] = await Promise.all([shopAutomations(db(), shop.id), automationResults(db(), shop.id, services().clock.now())]);
  return json({
    results,
    automations: automations.map((automation) => ({
      type: automation.type,
      enabled: automation.enabled,
      steps: automation.steps.map((step) => ({ ...step, anchor: step.anchor ?? AUTOMATION_RULES[automation.type].defaultAnchor })),
    })),
  });
};

const toggleSchema = z.object({ type: z.enum(AUTOMATION_TYPES), enabled: z.enum(["true", "false"]).transform((value) => value === "true") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const parsed = toggleSchema.safeParse(Object.fromEntries(await request.formData()));
  // A code, worded by the page in the merchant's language (automations.errors.toggle_invalid).
  if (!parsed.success) return json({ ok: false as const, error: "toggle_invalid" as const }, { status: 400 });
  await setAutomationEnabled(db(), shop.id, parsed.data.type, parsed.data.enabled);
  return json({ ok: true as const, type: parsed.data.type, enabled: parsed.data.enabled });
};

export default function Automations() {
  const { automations, results } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <Page title={t("automations.title")} subtitle={t("automations.subtitle")}>
      <Card padding="0">
        <IndexTable
          resourceName={{ singular: t("automations.resource.singular"), plural: t("automations.resource.plural") }}
          itemCount={automations.length}
          selectable={false}
          headings={[{ title: t("automations.automation") }, { title: t("automations.steps") }, { title: t("automations.last30") }, { title: t("automations.status") }]}
        >
          {automations.map((automation, index) => (
            <IndexTable.Row id={automation.type} key={automation.type} position={index}>
              <IndexTable.Cell>
                <BlockStack gap="100">
                  <Link url={`/app/automations/${automation.type}`} removeUnderline>
                    <Text as="span" fontWeight="semibold">{t(`automation.${automation.type}` as "automation.order_confirmation")}</Text>
                  </Link>
                  <div style={{ whiteSpace: "normal", maxWidth: 460 }}>
                    <Text as="span" tone="subdued" variant="bodySm">{t(`automation.${automation.type}.description` as "automation.order_confirmation.description")}</Text>
                  </div>
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="050">
                  {automation.steps.map((step) => (
                    <Text as="span" variant="bodySm" key={step.step}>{stepSummary(step, t, locale)}</Text>
                  ))}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <AutomationResultsCell results={results[automation.type]} />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <AutomationSwitch type={automation.type} enabled={automation.enabled} />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}

function AutomationSwitch({ type, enabled }: { type: string; enabled: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const fetcher = useFetcher<typeof action>();
  // Shown at once; the loader confirms once the change is stored.
  const pending = fetcher.formData ? fetcher.formData.get("enabled") === "true" : null;
  const name = t(`automation.${type}` as "automation.order_confirmation");
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.ok) toast(t(fetcher.data.enabled ? "automations.turnedOn" : "automations.turnedOff", { name }));
    else toast(t(`automations.errors.${fetcher.data.error}`), { isError: true });
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <ToggleSwitch
      checked={pending ?? enabled}
      label={name}
      onText={t("automations.on")}
      offText={t("automations.off")}
      disabled={fetcher.state !== "idle"}
      onChange={(checked) => fetcher.submit({ type, enabled: String(checked) }, { method: "post" })}
    />
  );
}

function AutomationResultsCell({ results }: { results?: { sent: number; problems: number; notSent: number; recoveredOrders: number } }) {
  const { t } = useI18n();
  if (!results) return <Text as="span" tone="subdued" variant="bodySm">{t("automations.results.none")}</Text>;
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm">{t("automations.results.sent", { count: results.sent })}</Text>
      {results.recoveredOrders > 0 && <Text as="span" variant="bodySm" tone="success">{t("automations.results.recovered", { count: results.recoveredOrders })}</Text>}
      {results.notSent > 0 && <Text as="span" variant="bodySm" tone="subdued">{t("automations.results.notSent", { count: results.notSent })}</Text>}
      {results.problems > 0 && <Link url="/app/messages?status=problems" removeUnderline><Text as="span" variant="bodySm" tone="critical">{t("automations.results.problems", { count: results.problems })}</Text></Link>}
    </BlockStack>
  );
}
