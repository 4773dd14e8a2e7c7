import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineGrid, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { notFoundBoundary } from "~/components/not-found-boundary";
import { useToast } from "~/components/admin-shell";
import { AutomationIssuesBanner, issueLines, issuesByControl, type IssueLike } from "~/components/automation-issues";
import { ChannelOrder, type ChannelChoice } from "~/components/channel-order";
import { useI18n } from "~/components/i18n-context";
import {
  AUTOMATION_RULES,
  AUTOMATION_TYPES,
  CART_RECOVERY_MIN_TEXT_DELAY_MINUTES,
  MAX_STEPS,
  type AutomationDefinition,
  type AutomationIssue,
} from "~/domain/automations/definitions";
import { englishSentence, englishWording } from "~/domain/automations/issues";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { saveAutomation, shopAutomations } from "~/server/services/automations.server";

function automationType(params: { type?: string }) {
  const parsed = z.enum(AUTOMATION_TYPES).safeParse(params.type);
  if (!parsed.success) throw new Response("There is no such automation.", { status: 404 });
  return parsed.data;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const type = automationType(params);
  const automation = (await shopAutomations(db(), shop.id)).find((candidate) => candidate.type === type)!;
  const rules = AUTOMATION_RULES[type];
  return json({
    automation,
    rules: { messageTypes: rules.messageTypes, anchors: rules.anchors, defaultAnchor: rules.defaultAnchor, channels: rules.channels, minDelayMinutes: rules.minDelayMinutes, sequential: rules.sequential },
    maxSteps: MAX_STEPS,
    minTextDelay: type === "cart_recovery" ? CART_RECOVERY_MIN_TEXT_DELAY_MINUTES : null,
  });
};

const saveSchema = z.object({ definition: z.string().max(100_000) });

const unreadable = (): AutomationIssue => ({ path: [], code: "form_unreadable", params: {}, message: englishSentence([], englishWording("form_unreadable", {})) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const type = automationType(params);
  const parsed = saveSchema.safeParse(Object.fromEntries(await request.formData()));
  let definition: unknown;
  try {
    definition = parsed.success ? JSON.parse(parsed.data.definition) : null;
  } catch {
    definition = null;
  }
  if (!definition || typeof definition !== "object" || Array.isArray(definition)) return json({ ok: false as const, issues: [unreadable()] }, { status: 400 });
  // The URL says which automation; a type in the body cannot point elsewhere. Validated once, by the save.
  const saved = await saveAutomation(db(), shop.id, { ...definition, type });
  if (!saved.ok) return json({ ok: false as const, issues: saved.error }, { status: 422 });
  return json({ ok: true as const, issues: [] as AutomationIssue[] });
};

// ---------------------------------------------------------------- the form's own state

type Unit = "minutes" | "hours" | "days";
const UNIT_MINUTES: Record<Unit, number> = { minutes: 1, hours: 60, days: 24 * 60 };

type StepForm = { key: number; delayValue: string; delayUnit: Unit; messageType: string; channels: ChannelChoice[] };
type FormState = {
  enabled: boolean;
  anchor: string;
  steps: StepForm[];
  minimumOrderValue: string;
  excludedTags: string;
  requiredProductTag: string;
  discount: { enabled: boolean; step: string; percentage: string; expiresInHours: string };
  fallback: { enabled: boolean; days: string };
  alerts: { email: string; phone: string; contactRequests: boolean; deliveryProblems: boolean };
};
type Rules = { messageTypes: readonly string[]; anchors: readonly string[]; defaultAnchor: string; channels: readonly string[]; minDelayMinutes: number; sequential: boolean };

let nextKey = 1;

function delayParts(minutes: number): [string, Unit] {
  if (minutes > 0 && minutes % UNIT_MINUTES.days === 0) return [String(minutes / UNIT_MINUTES.days), "days"];
  if (minutes > 0 && minutes % UNIT_MINUTES.hours === 0) return [String(minutes / UNIT_MINUTES.hours), "hours"];
  return [String(minutes), "minutes"];
}

function channelChoices(used: readonly string[], allowed: readonly string[]): ChannelChoice[] {
  return [...used.map((channel) => ({ channel, used: true })), ...allowed.filter((channel) => !used.includes(channel)).map((channel) => ({ channel, used: false }))];
}

function formOf(automation: AutomationDefinition, rules: Rules): FormState {
  const discount = automation.type === "cart_recovery" ? automation.settings.discount : null;
  const fallback = automation.type === "review_request" ? automation.settings.fallbackDaysAfterFulfilment : null;
  const alerts = automation.type === "merchant_alert" ? automation.settings : null;
  return {
    enabled: automation.enabled,
    anchor: automation.steps[0]?.anchor ?? rules.defaultAnchor,
    steps: automation.steps.map((step) => {
      const [delayValue, delayUnit] = delayParts(step.delayMinutes);
      return { key: nextKey++, delayValue, delayUnit, messageType: step.messageType, channels: channelChoices(step.channels, rules.channels) };
    }),
    minimumOrderValue: automation.conditions.minimumOrderValue?.toString() ?? "",
    excludedTags: (automation.conditions.excludedTags ?? []).join(", "),
    requiredProductTag: automation.conditions.requiredProductTag ?? "",
    discount: { enabled: !!discount, step: String(discount?.step ?? automation.steps.length), percentage: String(discount?.percentage ?? 10), expiresInHours: String(discount?.expiresInHours ?? 48) },
    fallback: { enabled: fallback !== null && fallback !== undefined, days: String(fallback ?? 14) },
    alerts: {
      email: alerts?.email ?? "",
      phone: alerts?.phone ?? "",
      contactRequests: alerts?.notifyOn.contactRequests ?? true,
      deliveryProblems: alerts?.notifyOn.deliveryProblems ?? true,
    },
  };
}

/** A number typed in a field: undefined when empty, null when not a number (the server says so). */
const numberOf = (text: string): number | null | undefined => (text.trim() === "" ? undefined : Number.isFinite(Number(text.trim())) ? Number(text.trim()) : null);

function definitionOf(type: string, form: FormState): Record<string, unknown> {
  const steps = form.steps.map((step, index) => {
    const value = numberOf(step.delayValue);
    return {
      step: index + 1,
      delayMinutes: typeof value === "number" ? Math.round(value * UNIT_MINUTES[step.delayUnit] * 1000) / 1000 : value,
      channels: step.channels.filter((choice) => choice.used).map((choice) => choice.channel),
      messageType: step.messageType,
      anchor: form.anchor,
    };
  });
  const tags = form.excludedTags.split(",").map((tag) => tag.trim()).filter(Boolean);
  const conditions = {
    minimumOrderValue: numberOf(form.minimumOrderValue),
    excludedTags: tags.length ? tags : undefined,
    requiredProductTag: form.requiredProductTag.trim() || undefined,
  };
  let settings: Record<string, unknown> = {};
  if (type === "cart_recovery") {
    settings = {
      discount: form.discount.enabled
        ? { step: Number(form.discount.step), percentage: numberOf(form.discount.percentage), expiresInHours: numberOf(form.discount.expiresInHours) }
        : null,
    };
  }
  if (type === "review_request") settings = { fallbackDaysAfterFulfilment: form.fallback.enabled ? numberOf(form.fallback.days) : null };
  if (type === "merchant_alert") {
    settings = {
      email: form.alerts.email.trim() || null,
      phone: form.alerts.phone.trim() || null,
      notifyOn: { contactRequests: form.alerts.contactRequests, deliveryProblems: form.alerts.deliveryProblems },
    };
  }
  return { type, enabled: form.enabled, steps, conditions, settings };
}

export default function AutomationEditor() {
  const { automation, rules, maxSteps, minTextDelay } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const toast = useToast();
  const fetcher = useFetcher<typeof action>();
  const [form, setForm] = useState<FormState>(() => formOf(automation as AutomationDefinition, rules));
  const [issues, setIssues] = useState<IssueLike[]>([]);
  const name = t(`automation.${automation.type}` as "automation.order_confirmation");
  const messageName = (type: string) => t(`messageType.${type}` as "messageType.order_confirmation");

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    setIssues(fetcher.data.issues);
    if (fetcher.data.ok) toast(t("automations.saved", { name }));
    else toast(t("automations.notSaved"), { isError: true });
  }, [fetcher.state, fetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (patch: Partial<FormState>) => setForm((current) => ({ ...current, ...patch }));
  const setStep = (index: number, patch: Partial<StepForm>) => setForm((current) => ({ ...current, steps: current.steps.map((step, i) => (i === index ? { ...step, ...patch } : step)) }));
  const addStep = () =>
    setForm((current) => {
      const last = current.steps[current.steps.length - 1];
      const usedTypes = current.steps.map((step) => step.messageType);
      const messageType = rules.messageTypes.find((type) => !usedTypes.includes(type)) ?? rules.messageTypes[rules.messageTypes.length - 1];
      const step: StepForm = {
        key: nextKey++,
        delayValue: last && rules.sequential ? String(Number(last.delayValue) + 1 || 1) : (last?.delayValue ?? "0"),
        delayUnit: last?.delayUnit ?? "days",
        messageType,
        channels: channelChoices([rules.channels[0]], rules.channels),
      };
      return { ...current, steps: [...current.steps, step] };
    });
  const removeStep = (index: number) => {
    setForm((current) => ({ ...current, steps: current.steps.filter((_, i) => i !== index) }));
    // The issues name steps by position: after a removal they would point at the wrong step.
    setIssues([]);
  };

  const save = () => fetcher.submit({ definition: JSON.stringify(definitionOf(automation.type, form)) }, { method: "post" });
  const lines = issueLines(issues, t, locale);
  const byControl = issuesByControl(issues, t, locale);
  /** The sentences for one control (see issueControl), or undefined when it has none. */
  const errorOf = (...controls: string[]): string | undefined => {
    const texts = controls.flatMap((control) => byControl.get(control) ?? []);
    return texts.length > 0 ? texts.join(" ") : undefined;
  };
  const unitOptions = (["minutes", "hours", "days"] as const).map((unit) => ({ value: unit, label: t(`automations.unit.${unit}` as "automations.unit.minutes") }));

  return (
    <Page
      title={name}
      subtitle={t(`automation.${automation.type}.description` as "automation.order_confirmation.description")}
      backAction={{ content: t("automations.title"), url: "/app/automations" }}
      primaryAction={{ content: t("automations.save"), onAction: save, loading: fetcher.state !== "idle" }}
    >
      <Layout>
        {lines.length > 0 && (
          <Layout.Section>
            <AutomationIssuesBanner title={t("automations.errorsTitle")} lines={lines} />
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Checkbox label={t("automations.enabled")} checked={form.enabled} onChange={(enabled) => set({ enabled })} error={errorOf("enabled")} />
                {rules.anchors.length > 1 && (
                  <Select
                    label={t("automations.anchor")}
                    options={rules.anchors.map((anchor) => ({ value: anchor, label: t(`automations.anchor.${anchor}` as "automations.anchor.event") }))}
                    value={form.anchor}
                    onChange={(anchor) => set({ anchor })}
                    helpText={t("automations.anchorHelp")}
                    error={errorOf("anchor")}
                  />
                )}
              </BlockStack>
            </Card>
            {form.steps.map((step, index) => {
              const delayError = errorOf(`steps.${index}.delayMinutes`);
              const messageError = errorOf(`steps.${index}.messageType`);
              // Issues about the step as a whole, and about its message when there is no choice to mark.
              const stepErrors = [...(byControl.get(`steps.${index}`) ?? []), ...(rules.messageTypes.length > 1 ? [] : (byControl.get(`steps.${index}.messageType`) ?? []))];
              return (
                <Card key={step.key}>
                  <BlockStack gap="300">
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h2" variant="headingMd">{t("automations.step", { number: index + 1 })}</Text>
                      <Button variant="plain" tone="critical" disabled={form.steps.length <= 1} onClick={() => removeStep(index)}>{t("automations.removeStep")}</Button>
                    </InlineStack>
                    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                      <BlockStack gap="300">
                        <InlineGrid columns={2} gap="200">
                          <TextField
                            label={t("automations.delay")}
                            type="number"
                            min={0}
                            value={step.delayValue}
                            onChange={(delayValue) => setStep(index, { delayValue })}
                            autoComplete="off"
                            helpText={rules.minDelayMinutes === 0 ? t("automations.delayZeroHelp") : undefined}
                            error={delayError}
                          />
                          <Select
                            label={t("automations.unit")}
                            options={unitOptions}
                            value={step.delayUnit}
                            onChange={(unit) => setStep(index, { delayUnit: unit as Unit })}
                            error={delayError !== undefined}
                          />
                        </InlineGrid>
                        {rules.messageTypes.length > 1 && (
                          <Select
                            label={t("automations.message")}
                            options={rules.messageTypes.map((type) => ({ value: type, label: messageName(type) }))}
                            value={step.messageType}
                            onChange={(messageType) => setStep(index, { messageType })}
                            error={messageError}
                          />
                        )}
                        {rules.messageTypes.length === 1 && (
                          <Text as="p" tone="subdued">{t("automations.sends", { message: messageName(step.messageType) })}</Text>
                        )}
                      </BlockStack>
                      <ChannelOrder
                        label={t("automations.channels")}
                        choices={step.channels}
                        onChange={(channels) => setStep(index, { channels })}
                        error={errorOf(`steps.${index}.channels`)}
                      />
                    </InlineGrid>
                    {stepErrors.length > 0 && (
                      <Box>
                        {stepErrors.map((error) => (
                          <Text as="p" tone="critical" key={error}>{error}</Text>
                        ))}
                      </Box>
                    )}
                  </BlockStack>
                </Card>
              );
            })}
            <InlineStack gap="300" blockAlign="center">
              <Button onClick={addStep} disabled={form.steps.length >= maxSteps}>{t("automations.addStep")}</Button>
              {minTextDelay !== null && <Text as="span" tone="subdued">{t("automations.minTextDelay", { minutes: minTextDelay })}</Text>}
            </InlineStack>
            {errorOf("steps") && <Text as="p" tone="critical">{errorOf("steps")}</Text>}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("automations.conditions")}</Text>
                <FormLayout>
                  <TextField
                    label={t("automations.minimumOrderValue")}
                    type="number"
                    min={0}
                    value={form.minimumOrderValue}
                    onChange={(minimumOrderValue) => set({ minimumOrderValue })}
                    autoComplete="off"
                    helpText={t("automations.minimumOrderValueHelp")}
                    error={errorOf("conditions.minimumOrderValue")}
                  />
                  <TextField
                    label={t("automations.excludedTags")}
                    value={form.excludedTags}
                    onChange={(excludedTags) => set({ excludedTags })}
                    autoComplete="off"
                    helpText={t("automations.excludedTagsHelp")}
                    error={errorOf("conditions.excludedTags")}
                  />
                  <TextField
                    label={t("automations.requiredProductTag")}
                    value={form.requiredProductTag}
                    onChange={(requiredProductTag) => set({ requiredProductTag })}
                    autoComplete="off"
                    helpText={t("automations.requiredProductTagHelp")}
                    error={errorOf("conditions.requiredProductTag")}
                  />
                </FormLayout>
              </BlockStack>
            </Card>
            {automation.type === "cart_recovery" && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">{t("automations.discount")}</Text>
                  <Checkbox
                    label={t("automations.discountEnabled")}
                    checked={form.discount.enabled}
                    onChange={(enabled) => set({ discount: { ...form.discount, enabled } })}
                    error={errorOf("settings.discount", "settings")}
                  />
                  {form.discount.enabled && (
                    <FormLayout>
                      <Select
                        label={t("automations.discountStep")}
                        options={form.steps.map((_, index) => ({ value: String(index + 1), label: t("automations.step", { number: index + 1 }) }))}
                        value={form.discount.step}
                        onChange={(step) => set({ discount: { ...form.discount, step } })}
                        error={errorOf("settings.discount.step")}
                      />
                      <TextField
                        label={t("automations.discountPercentage")}
                        type="number"
                        suffix="%"
                        value={form.discount.percentage}
                        onChange={(percentage) => set({ discount: { ...form.discount, percentage } })}
                        autoComplete="off"
                        error={errorOf("settings.discount.percentage")}
                      />
                      <TextField
                        label={t("automations.discountExpires")}
                        type="number"
                        value={form.discount.expiresInHours}
                        onChange={(expiresInHours) => set({ discount: { ...form.discount, expiresInHours } })}
                        autoComplete="off"
                        error={errorOf("settings.discount.expiresInHours")}
                      />
                    </FormLayout>
                  )}
                </BlockStack>
              </Card>
            )}
            {automation.type === "review_request" && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">{t("automations.fallback")}</Text>
                  <Checkbox
                    label={t("automations.fallbackEnabled")}
                    checked={form.fallback.enabled}
                    onChange={(enabled) => set({ fallback: { ...form.fallback, enabled } })}
                    error={errorOf("settings")}
                  />
                  {form.fallback.enabled && (
                    <TextField
                      label={t("automations.fallbackDays")}
                      type="number"
                      value={form.fallback.days}
                      onChange={(days) => set({ fallback: { ...form.fallback, days } })}
                      autoComplete="off"
                      error={errorOf("settings.fallbackDaysAfterFulfilment")}
                    />
                  )}
                </BlockStack>
              </Card>
            )}
            {automation.type === "merchant_alert" && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">{t("automations.alerts")}</Text>
                  <FormLayout>
                    <TextField
                      label={t("automations.alertEmail")}
                      type="email"
                      value={form.alerts.email}
                      onChange={(email) => set({ alerts: { ...form.alerts, email } })}
                      autoComplete="email"
                      helpText={t("automations.alertEmailHelp")}
                      error={errorOf("settings.email")}
                    />
                    <TextField
                      label={t("automations.alertPhone")}
                      type="tel"
                      value={form.alerts.phone}
                      onChange={(phone) => set({ alerts: { ...form.alerts, phone } })}
                      autoComplete="tel"
                      error={errorOf("settings.phone")}
                    />
                    <Checkbox
                      label={t("automations.alertContact")}
                      checked={form.alerts.contactRequests}
                      onChange={(contactRequests) => set({ alerts: { ...form.alerts, contactRequests } })}
                      error={errorOf("settings.notifyOn.contactRequests", "settings.notifyOn", "settings")}
                    />
                    <Checkbox
                      label={t("automations.alertDelivery")}
                      checked={form.alerts.deliveryProblems}
                      onChange={(deliveryProblems) => set({ alerts: { ...form.alerts, deliveryProblems } })}
                      error={errorOf("settings.notifyOn.deliveryProblems")}
                    />
                  </FormLayout>
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = notFoundBoundary({ notFound: "automations.notFound", list: { title: "automations.title", url: "/app/automations" } });
