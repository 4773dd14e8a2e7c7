import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, ChoiceList, Divider, FormLayout, InlineGrid, InlineStack, Layout, List, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";
import { z } from "zod";
import { useToast } from "~/components/admin-shell";
import { useI18n } from "~/components/i18n-context";
import { LANGUAGE_NAMES } from "~/components/language-names";
import type { ShopSettings } from "~/domain/settings/shop-settings";
import type { MessageKey } from "~/i18n";
import { requireAdmin } from "~/server/admin-context.server";
import { services } from "~/server/container.server";
import { db } from "~/server/db.server";
import { dataExportLinks } from "~/server/services/data-export.server";
import type { CredentialCheckCode, CredentialCheckParams } from "~/server/providers/credential-check.server";
import { checkCredentials, loadSettings, removeCredentials, saveSettings, settingsInputFromForm, type FieldErrors } from "~/server/services/settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  // Signed download links: a download inside Shopify's admin cannot carry the session token.
  return json({ ...(await loadSettings(db(), shop.id)), exportLinks: dataExportLinks(shop.id, new Date()) });
};

const removeSchema = z.object({ provider: z.enum(["sendgrid", "twilio"]) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "save": {
      const input = settingsInputFromForm(form);
      if (!input) return json({ intent: "save" as const, ok: false as const, fieldErrors: { settings: "The settings form could not be read. Reload the page." } as FieldErrors }, { status: 400 });
      const result = await saveSettings(db(), shop.id, input);
      return json({ intent: "save" as const, ...result }, { status: result.ok ? 200 : 422 });
    }
    case "remove": {
      const parsed = removeSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) return json({ intent: "remove" as const, ok: false as const, errorKey: "settings.errors.removeFailed" as MessageKey }, { status: 400 });
      await removeCredentials(db(), shop.id, parsed.data.provider);
      return json({ intent: "remove" as const, ok: true as const, provider: parsed.data.provider });
    }
    case "check":
      return json({ intent: "check" as const, ok: true as const, report: await checkCredentials(db(), shop.id, services().clock) });
    default:
      return json({ intent: "unknown" as const, ok: false as const }, { status: 400 });
  }
};

// ---------------------------------------------------------------- form state

type Form = Record<string, string>;

function formOf(settings: ShopSettings, whatsappTypes: readonly string[]): Form {
  const caps = settings.frequencyCaps;
  return {
    "sender.fromName": settings.sender.fromName ?? "",
    "sender.fromEmail": settings.sender.fromEmail ?? "",
    "sender.replyTo": settings.sender.replyTo ?? "",
    "sender.smsFrom": settings.sender.smsFrom ?? "",
    "sender.whatsappFrom": settings.sender.whatsappFrom ?? "",
    "brand.logoUrl": settings.brand.logoUrl ?? "",
    "brand.color": settings.brand.color,
    "quietHours.start": settings.quietHours.start,
    "quietHours.end": settings.quietHours.end,
    "frequencyCaps.sms.count": String(caps.sms.count),
    "frequencyCaps.sms.periodHours": String(caps.sms.periodHours),
    "frequencyCaps.email.count": String(caps.email.count),
    "frequencyCaps.email.periodHours": String(caps.email.periodHours),
    "frequencyCaps.whatsapp.count": String(caps.whatsapp?.count ?? 1),
    "frequencyCaps.whatsapp.periodHours": String(caps.whatsapp?.periodHours ?? 24),
    "consentPolicy.reviewRequests": settings.consentPolicy.reviewRequests,
    "locales.primary": settings.locales.primary,
    "merchantAlerts.email": settings.merchantAlerts.email ?? "",
    "merchantAlerts.phone": settings.merchantAlerts.phone ?? "",
    ...Object.fromEntries(whatsappTypes.map((type) => [`whatsappTemplates.${type}`, settings.whatsappTemplates[type] ?? ""])),
  };
}

const EMPTY_SECRETS = { "credentials.sendgrid.apiKey": "", "credentials.twilio.accountSid": "", "credentials.twilio.authToken": "" };

/** The catalogue key that words a field's error in the merchant's language. */
function errorKey(path: string): string {
  if (path === "settings") return "settings.errors.formUnreadable";
  if (path === "quietHours") return "settings.error.quietHours.window";
  if (/^locales\.enabled\.\d+$/.test(path)) return "settings.errors.localeUnsupported";
  const cap = /^frequencyCaps\.\w+\.(count|periodHours)$/.exec(path);
  if (cap) return `settings.error.frequencyCaps.${cap[1]}`;
  if (path.startsWith("whatsappTemplates.")) return "settings.error.whatsappTemplates";
  return `settings.error.${path}`;
}

/**
 * The field an error is shown on: its own, else the closest field above it (locales.enabled.0 →
 * locales.enabled), else the first field below it (frequencyCaps.sms → frequencyCaps.sms.count).
 * Null: no field on the page can show it (the banner lists it).
 */
export function nearestField(path: string, fields: readonly string[]): string | null {
  if (path === "quietHours" && fields.includes("quietHours.end")) return "quietHours.end"; // the window: under its end
  if (fields.includes(path)) return path;
  const above = fields.filter((field) => path.startsWith(`${field}.`)).sort((a, b) => b.length - a.length)[0];
  return above ?? fields.find((field) => field.startsWith(`${path}.`)) ?? null;
}

/** Brand names; the outbox is named in the merchant's language. */
const PROVIDER_NAMES: Record<string, string> = {
  sendgrid: "SendGrid",
  "twilio-sms": "Twilio SMS",
  "twilio-whatsapp": "Twilio WhatsApp",
};

/** The words for each credential check refusal (app/server/providers/credential-check.server.ts). */
export const CREDENTIAL_CHECK_KEYS: Record<CredentialCheckCode, MessageKey> = {
  credentials_unreadable: "settings.check.credentialsUnreadable",
  sendgrid_key_missing: "settings.check.sendgridKeyMissing",
  sender_email_missing: "settings.check.senderEmailMissing",
  twilio_account_missing: "settings.check.twilioAccountMissing",
  sms_sender_missing: "settings.check.smsSenderMissing",
  whatsapp_sender_missing: "settings.check.whatsappSenderMissing",
  sendgrid_no_mail_send: "settings.check.sendgridNoMailSend",
  sendgrid_key_refused: "settings.check.sendgridKeyRefused",
  sendgrid_unavailable: "settings.check.sendgridUnavailable",
  sendgrid_check_failed: "settings.check.sendgridCheckFailed",
  twilio_bad_account_sid: "settings.check.twilioBadAccountSid",
  twilio_account_inactive: "settings.check.twilioAccountInactive",
  twilio_credentials_refused: "settings.check.twilioCredentialsRefused",
  twilio_unavailable: "settings.check.twilioUnavailable",
  twilio_check_failed: "settings.check.twilioCheckFailed",
  check_failed: "settings.check.checkFailed",
};

type Translate = ReturnType<typeof useI18n>["t"];

/** What a failed check says, in the merchant's language (a channel by its name, the vendor's own words as they came). */
export function checkReasonText(t: Translate, check: { code: CredentialCheckCode; params?: CredentialCheckParams }): string {
  const { channel, ...rest } = check.params ?? {};
  return t(CREDENTIAL_CHECK_KEYS[check.code] ?? "settings.check.checkFailed", { ...rest, ...(channel ? { channel: t(`channel.${channel}`) } : {}) });
}

const EXPORTS = [
  { kind: "contacts", name: "settings.export.contacts", help: "settings.export.contactsHelp" },
  { kind: "consent", name: "settings.export.consent", help: "settings.export.consentHelp" },
  { kind: "messages", name: "settings.export.messages", help: "settings.export.messagesHelp" },
  { kind: "reviews", name: "settings.export.reviews", help: "settings.export.reviewsHelp" },
] as const satisfies readonly { kind: string; name: MessageKey; help: MessageKey }[];

export default function Settings() {
  const view = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const toast = useToast();
  const saveFetcher = useFetcher<typeof action>();
  const removeFetcher = useFetcher<typeof action>();
  const checkFetcher = useFetcher<typeof action>();

  const [form, setForm] = useState<Form>(() => formOf(view.settings as ShopSettings, view.whatsappMessageTypes));
  const [enabledLocales, setEnabledLocales] = useState<string[]>(view.settings.locales.enabled);
  const [whatsappCap, setWhatsappCap] = useState(!!view.settings.frequencyCaps.whatsapp);
  const [secrets, setSecrets] = useState<Record<string, string>>(EMPTY_SECRETS);
  const [replacing, setReplacing] = useState({ sendgrid: false, twilio: false });
  const [errors, setErrors] = useState<FieldErrors>({});
  /** The provider whose credentials the merchant asked to remove, until they confirm or cancel. */
  const [confirmRemove, setConfirmRemove] = useState<"sendgrid" | "twilio" | null>(null);

  useEffect(() => {
    const result = saveFetcher.data;
    if (saveFetcher.state !== "idle" || !result || result.intent !== "save") return;
    if (result.ok) {
      setErrors({});
      setSecrets(EMPTY_SECRETS);
      setReplacing({ sendgrid: false, twilio: false });
      toast(t("settings.saved"));
    } else {
      setErrors("fieldErrors" in result ? result.fieldErrors : {});
      toast(t("settings.notSaved"), { isError: true });
    }
  }, [saveFetcher.state, saveFetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const result = removeFetcher.data;
    if (removeFetcher.state !== "idle" || !result) return;
    setConfirmRemove(null);
    if (result.intent === "remove" && result.ok) toast(t("settings.credentialsRemoved", { provider: result.provider === "sendgrid" ? "SendGrid" : "Twilio" }));
    else toast(t("errorKey" in result && result.errorKey ? result.errorKey : "settings.errors.removeFailed"), { isError: true });
  }, [removeFetcher.state, removeFetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const field = (name: string) => ({
    name,
    value: form[name] ?? "",
    onChange: (value: string) => setForm((current) => ({ ...current, [name]: value })),
    error: errorFor(name),
    autoComplete: "off",
  });
  /** An error's words: the merchant's language when the catalogue has them, else as the service said it. */
  function errorText(path: string): string {
    const key = errorKey(path);
    const localized = t(key as MessageKey);
    return localized === key ? errors[path] : localized;
  }
  // Each error goes under the field nearest to its path; those no field can show go in the banner.
  const fieldPaths = [...Object.keys(form), "locales.enabled", ...Object.keys(EMPTY_SECRETS)];
  const placed: Record<string, string[]> = {};
  const unplaced: string[] = [];
  for (const path of Object.keys(errors)) {
    const nearest = path === "settings" ? null : nearestField(path, fieldPaths);
    if (nearest) (placed[nearest] ??= []).push(path);
    else if (path !== "settings") unplaced.push(path);
  }
  function errorFor(name: string): string | undefined {
    const path = placed[name]?.[0];
    return path ? errorText(path) : undefined;
  }
  const secret = (name: keyof typeof EMPTY_SECRETS) => ({
    value: secrets[name],
    onChange: (value: string) => setSecrets((current) => ({ ...current, [name]: value })),
    error: errorFor(name),
  });

  const save = () => {
    const data = new FormData();
    data.set("intent", "save");
    for (const [name, value] of Object.entries(form)) data.set(name, value);
    for (const locale of enabledLocales) data.append("locales.enabled", locale);
    if (whatsappCap) data.set("frequencyCaps.whatsapp.enabled", "on");
    for (const [name, value] of Object.entries(secrets)) if (value.trim()) data.set(name, value);
    saveFetcher.submit(data, { method: "post" });
  };
  const remove = (provider: "sendgrid" | "twilio") => setConfirmRemove(provider);
  const removingNow = removeFetcher.state !== "idle" ? removeFetcher.formData?.get("provider") : null;
  const providerName = (provider: "sendgrid" | "twilio") => (provider === "sendgrid" ? "SendGrid" : "Twilio");
  const hasErrors = Object.keys(errors).length > 0;
  const report = checkFetcher.data?.intent === "check" ? checkFetcher.data.report : null;
  const { sendgrid, twilio } = view.credentials;

  return (
    <Page title={t("settings.title")} subtitle={t("settings.subtitle")} primaryAction={{ content: t("settings.save"), onAction: save, loading: saveFetcher.state !== "idle" }}>
      <Layout>
        {hasErrors && (
          <Layout.Section>
            <Banner tone="critical" title={t("settings.refusedTitle")}>
              <BlockStack gap="200">
                <span data-testid="settings-refused">{errors.settings ? errorText("settings") : t("settings.refusedBody")}</span>
                {unplaced.length > 0 && (
                  <List>
                    {unplaced.map((path) => <List.Item key={path}>{errorText(path)}</List.Item>)}
                  </List>
                )}
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}

        <Layout.AnnotatedSection title={t("settings.providers")} description={t("settings.providersHelp")}>
          <Card>
            <BlockStack gap="400">
              {view.delivery === "outbox" && <Banner tone="info">{t("settings.outboxMode")}</Banner>}
              {view.credentials.unreadable && <Banner tone="warning">{t("settings.credentialsUnreadable")}</Banner>}
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">SendGrid</Text>
                <SecretField
                  label={t("settings.sendgridApiKey")}
                  hint={sendgrid.apiKey?.last4 ?? null}
                  replacing={replacing.sendgrid}
                  onReplace={(on) => setReplacing((current) => ({ ...current, sendgrid: on }))}
                  onRemove={() => remove("sendgrid")}
                  removing={removingNow === "sendgrid"}
                  {...secret("credentials.sendgrid.apiKey")}
                />
              </BlockStack>
              <Divider />
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">Twilio</Text>
                {twilio.accountSid && !replacing.twilio ? (
                  <SavedSecret
                    text={t("settings.twilioSaved", { sid: twilio.accountSid.last4, token: twilio.authToken?.last4 ?? "" })}
                    onReplace={() => setReplacing((current) => ({ ...current, twilio: true }))}
                    onRemove={() => remove("twilio")}
                    removing={removingNow === "twilio"}
                  />
                ) : (
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField label={t("settings.twilioAccountSid")} placeholder="AC…" autoComplete="off" {...secret("credentials.twilio.accountSid")} />
                      <TextField label={t("settings.twilioAuthToken")} type="password" autoComplete="new-password" {...secret("credentials.twilio.authToken")} />
                    </FormLayout.Group>
                    {twilio.accountSid && (
                      <Button variant="plain" onClick={() => setReplacing((current) => ({ ...current, twilio: false }))}>{t("settings.keepSaved")}</Button>
                    )}
                  </FormLayout>
                )}
              </BlockStack>
              <Divider />
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="p" tone="subdued">{t("settings.checkHelp")}</Text>
                  <Button onClick={() => checkFetcher.submit({ intent: "check" }, { method: "post" })} loading={checkFetcher.state !== "idle"}>{t("settings.check")}</Button>
                </InlineStack>
                {report && (
                  <BlockStack gap="200">
                    {report.checks.map((check) => (
                      <InlineStack key={check.channel} gap="200" blockAlign="start" wrap={false}>
                        <Box minWidth="90px">
                          <Badge tone={check.ok ? "success" : "critical"}>{check.ok ? t("settings.checkOk") : t("settings.checkFailed")}</Badge>
                        </Box>
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="semibold">
                            <span data-testid={`check-${check.channel}`}>{`${t(`channel.${check.channel}` as "channel.email")} · ${check.provider.startsWith("outbox") ? t("nav.outbox") : (PROVIDER_NAMES[check.provider] ?? check.provider)}`}</span>
                          </Text>
                          {!check.ok && <Text as="span" tone="subdued"><span data-testid={`check-reason-${check.channel}`}>{checkReasonText(t, check)}</span></Text>}
                        </BlockStack>
                      </InlineStack>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.sender")} description={t("settings.senderHelp")}>
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField label={t("settings.fromName")} {...field("sender.fromName")} />
                <TextField label={t("settings.fromEmail")} type="email" {...field("sender.fromEmail")} />
              </FormLayout.Group>
              <TextField label={t("settings.replyTo")} type="email" {...field("sender.replyTo")} />
              <FormLayout.Group>
                <TextField label={t("settings.smsFrom")} placeholder="+15551234567" helpText={t("settings.smsFromHelp")} {...field("sender.smsFrom")} />
                <TextField label={t("settings.whatsappFrom")} placeholder="+15551234567" {...field("sender.whatsappFrom")} />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField label={t("settings.brandColor")} placeholder="#1F5C4A" {...field("brand.color")} />
                <TextField label={t("settings.logoUrl")} type="url" placeholder="https://" {...field("brand.logoUrl")} />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.quietHours")} description={t("settings.quietHoursHelp")}>
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField label={t("settings.sendFrom")} type="time" {...field("quietHours.start")} />
                <TextField label={t("settings.sendUntil")} type="time" {...field("quietHours.end")} />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.frequencyCaps")} description={t("settings.frequencyCapsHelp")}>
          <Card>
            <BlockStack gap="400">
              {(["sms", "email", "whatsapp"] as const).map((channel) => {
                const on = channel !== "whatsapp" || whatsappCap;
                return (
                  <BlockStack gap="200" key={channel}>
                    {channel === "whatsapp" ? (
                      <Checkbox label={t("settings.capWhatsapp")} checked={whatsappCap} onChange={setWhatsappCap} />
                    ) : (
                      <Text as="h3" variant="headingSm">{t(`channel.${channel}`)}</Text>
                    )}
                    {on && (
                      <InlineGrid columns={2} gap="300">
                        <TextField label={t("settings.capCount")} type="number" min={1} {...field(`frequencyCaps.${channel}.count`)} />
                        <TextField label={t("settings.capPeriod")} type="number" min={1} suffix={t("settings.hours")} {...field(`frequencyCaps.${channel}.periodHours`)} />
                      </InlineGrid>
                    )}
                  </BlockStack>
                );
              })}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.consent")} description={t("settings.consentHelp")}>
          <Card>
            <ChoiceList
              title={t("settings.reviewRequests")}
              choices={[
                { value: "marketing", label: t("settings.reviewMarketing"), helpText: t("settings.reviewMarketingHelp") },
                { value: "transactional", label: t("settings.reviewTransactional"), helpText: t("settings.reviewTransactionalHelp") },
              ]}
              selected={[form["consentPolicy.reviewRequests"]]}
              onChange={([value]) => setForm((current) => ({ ...current, "consentPolicy.reviewRequests": value }))}
              error={errorFor("consentPolicy.reviewRequests")}
            />
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.languages")} description={t("settings.languagesHelp")}>
          <Card>
            <FormLayout>
              <Select
                label={t("settings.primaryLanguage")}
                options={Object.entries(LANGUAGE_NAMES).map(([value, label]) => ({ value, label }))}
                value={form["locales.primary"]}
                onChange={(value) => setForm((current) => ({ ...current, "locales.primary": value }))}
                error={errorFor("locales.primary")}
              />
              <ChoiceList
                allowMultiple
                title={t("settings.enabledLanguages")}
                choices={Object.entries(LANGUAGE_NAMES).map(([value, label]) => ({ value, label }))}
                selected={enabledLocales}
                onChange={setEnabledLocales}
                error={errorFor("locales.enabled")}
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.whatsappTemplates")} description={t("settings.whatsappTemplatesHelp")}>
          <Card>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
              {view.whatsappMessageTypes.map((type) => (
                <TextField key={type} label={t(`messageType.${type}` as "messageType.order_confirmation")} placeholder="HX…" monospaced {...field(`whatsappTemplates.${type}`)} />
              ))}
            </InlineGrid>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.alerts")} description={t("settings.alertsHelp")}>
          <Card>
            <FormLayout>
              <FormLayout.Group>
                <TextField label={t("settings.alertEmail")} type="email" {...field("merchantAlerts.email")} />
                <TextField label={t("settings.alertPhone")} type="tel" placeholder="+15551234567" {...field("merchantAlerts.phone")} />
              </FormLayout.Group>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection title={t("settings.export.title")} description={t("settings.export.help")}>
          <Card>
            <BlockStack gap="300">
              {EXPORTS.map(({ kind, name, help }, index) => (
                <BlockStack gap="300" key={kind}>
                  {index > 0 && <Divider />}
                  <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                    <BlockStack gap="050">
                      <Text as="h3" variant="headingSm">{t(name)}</Text>
                      <Text as="p" tone="subdued">{t(help)}</Text>
                    </BlockStack>
                    {/* A new browsing context, so the router leaves the link alone and the browser downloads the file. */}
                    <Box minWidth="max-content">
                      <Button url={view.exportLinks[kind]} download target="_blank" accessibilityLabel={t("settings.export.downloadLabel", { name: t(name) })}>
                        {t("settings.export.download")}
                      </Button>
                    </Box>
                  </InlineStack>
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.Section>
          <InlineStack align="end">
            <Button variant="primary" onClick={save} loading={saveFetcher.state !== "idle"}>{t("settings.save")}</Button>
          </InlineStack>
          <Box paddingBlockEnd="800" />
        </Layout.Section>
      </Layout>
      {confirmRemove && (
        <Modal
          open
          onClose={() => setConfirmRemove(null)}
          title={t("settings.check.removeTitle", { provider: providerName(confirmRemove) })}
          primaryAction={{
            content: t("settings.remove"),
            destructive: true,
            loading: removeFetcher.state !== "idle",
            onAction: () => removeFetcher.submit({ intent: "remove", provider: confirmRemove }, { method: "post" }),
          }}
          secondaryActions={[{ content: t("common.cancel"), onAction: () => setConfirmRemove(null), disabled: removeFetcher.state !== "idle" }]}
        >
          <Modal.Section>
            <Text as="p">{t("settings.check.removeBody", { provider: providerName(confirmRemove) })}</Text>
          </Modal.Section>
        </Modal>
      )}
    </Page>
  );
}

function SavedSecret({ text, onReplace, onRemove, removing }: { text: ReactNode; onReplace: () => void; onRemove: () => void; removing?: boolean }) {
  const { t } = useI18n();
  return (
    <InlineStack align="space-between" blockAlign="center" gap="200">
      <Text as="span"><span data-testid="saved-secret">{text}</span></Text>
      <InlineStack gap="200">
        <Button onClick={onReplace}>{t("settings.replace")}</Button>
        <Button tone="critical" onClick={onRemove} loading={removing}>{t("settings.remove")}</Button>
      </InlineStack>
    </InlineStack>
  );
}

/** A secret field that never shows the saved value: "Saved ••••1234", Replace, Remove. */
function SecretField(props: { label: string; hint: string | null; replacing: boolean; onReplace: (on: boolean) => void; onRemove: () => void; removing?: boolean; value: string; onChange: (value: string) => void; error?: string }) {
  const { t } = useI18n();
  if (props.hint && !props.replacing) {
    return <SavedSecret text={`${props.label}: ${t("settings.savedSecret", { last4: props.hint })}`} onReplace={() => props.onReplace(true)} onRemove={props.onRemove} removing={props.removing} />;
  }
  return (
    <BlockStack gap="100">
      <TextField label={props.label} type="password" autoComplete="new-password" value={props.value} onChange={props.onChange} error={props.error} placeholder="SG.…" />
      {props.hint && (
        <InlineStack>
          <Button variant="plain" onClick={() => props.onReplace(false)}>{t("settings.keepSaved")}</Button>
        </InlineStack>
      )}
    </BlockStack>
  );
}
