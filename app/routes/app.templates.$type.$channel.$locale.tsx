import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, InlineStack, Layout, List, Modal, Page, Text, TextField } from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import { notFoundBoundary } from "~/components/not-found-boundary";
import { useToast } from "~/components/admin-shell";
import { EmailPreview } from "~/components/email-preview";
import { useFormatDateTime, useI18n } from "~/components/i18n-context";
import { LANGUAGE_NAMES } from "~/components/language-names";
import { fieldOfIssue, issueMessage, type TemplateField } from "~/components/template-issues";
import { TextPreview } from "~/components/text-preview";
import { VariablePicker } from "~/components/variable-picker";
import { CHANNELS, MESSAGE_TYPES, TEMPLATE_LOCALES, supportsChannel, type Channel } from "~/domain/templating/message-types";
import type { Translate } from "~/i18n";
import type { TemplateIssue } from "~/domain/templating/validate-template";
import { requireAdmin } from "~/server/admin-context.server";
import { services } from "~/server/container.server";
import { db } from "~/server/db.server";
import { sendTemplateTest, testRecipients, type TemplateTestFailure } from "~/server/services/send-test-message.server";
import { previewTemplate, variablesFor, type TemplatePreview } from "~/server/services/template-editor.server";
import { editableTemplate, resetTemplate, saveTemplate } from "~/server/services/templates.server";

const paramsSchema = z
  .object({ type: z.enum(MESSAGE_TYPES), channel: z.enum(CHANNELS as [Channel, ...Channel[]]), locale: z.enum(TEMPLATE_LOCALES) })
  .refine((params) => supportsChannel(params.type, params.channel));

function templateKey(params: unknown) {
  const parsed = paramsSchema.safeParse(params);
  // English for logs; the page's ErrorBoundary shows the merchant a translated NotFound.
  if (!parsed.success) throw new Response("There is no such template.", { status: 404 });
  return parsed.data;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { type, channel, locale } = templateKey(params);
  const template = await editableTemplate(db(), shop.id, type, channel, locale);
  const preview = await previewTemplate({ messageType: type, channel, locale, subject: template.subject, source: template.source, text: template.text });
  return json({ template, preview, variables: variablesFor(type), recipients: await testRecipients(db(), shop.id), timeZone: shop.timeZone });
};

const DRAFT_LIMITS = { subject: 2_000, source: 500_000, text: 500_000 } as const;

const draftSchema = z.object({
  subject: z.string().max(DRAFT_LIMITS.subject).optional(),
  source: z.string().max(DRAFT_LIMITS.source),
  text: z.string().max(DRAFT_LIMITS.text).optional(),
});

type DraftField = keyof typeof DRAFT_LIMITS;

/** A draft that cannot even be checked (too long, or a field missing): said on its field, nothing stored or sent. */
export type DraftError = { field: DraftField; code: "too_long"; max: number } | { field: DraftField; code: "missing" };

function draftError(error: z.ZodError): DraftError {
  const issue = error.issues[0];
  const field = (issue?.path[0] as DraftField | undefined) ?? "source";
  return issue?.code === "too_big" ? { field, code: "too_long", max: DRAFT_LIMITS[field] ?? DRAFT_LIMITS.source } : { field, code: "missing" };
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { type, channel, locale } = templateKey(params);
  const form = Object.fromEntries(await request.formData());
  const key = { messageType: type, channel, locale };
  const intent = form.intent;
  if (intent === "reset") {
    await resetTemplate(db(), shop.id, type, channel, locale);
    return json({ intent: "reset" as const, ok: true });
  }
  if (intent !== "preview" && intent !== "save" && intent !== "send-test") {
    return json({ intent: "unknown" as const, code: "unknown_intent" as const }, { status: 400 });
  }
  const parsed = draftSchema.safeParse(form);
  if (!parsed.success) {
    const error = draftError(parsed.error);
    return json({ intent: "invalid-draft" as const, for: intent, error }, { status: error.code === "too_long" ? 422 : 400 });
  }
  const draft = channel === "email" ? { ...key, ...parsed.data } : { ...key, source: parsed.data.source };
  switch (intent) {
    case "preview":
      return json({ intent: "preview" as const, preview: await previewTemplate(draft) });
    case "save": {
      const result = await saveTemplate(db(), shop.id, draft);
      return json({ intent: "save" as const, ok: result.ok, issues: result.ok ? [] : result.issues }, { status: result.ok ? 200 : 422 });
    }
    case "send-test": {
      const result = await sendTemplateTest(db(), shop.id, draft, services().clock);
      return json({ intent: "send-test" as const, ...result }, { status: result.ok ? 200 : 422 });
    }
  }
};

// A live preview changes nothing stored: the page's data need not be reloaded after it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

type Draft = { subject: string; source: string; text: string };

const FIELD_IDS: Record<TemplateField, string> = { subject: "template-subject", source: "template-source", text: "template-text" };

export default function TemplateEditorPage() {
  const { template } = useLoaderData<typeof loader>();
  // Another template is another editor: no state carries over.
  return <TemplateEditor key={`${template.messageType}/${template.channel}/${template.locale}`} />;
}

function TemplateEditor() {
  const data = useLoaderData<typeof loader>();
  const { template, variables, recipients, timeZone } = data;
  const { t, locale: adminLocale } = useI18n();
  const format = useFormatDateTime();
  const toast = useToast();
  const email = template.channel === "email";
  const messageLabel = t(`messageType.${template.messageType}` as "messageType.order_confirmation");
  const channelLabel = t(`channel.${template.channel}` as "channel.email");

  const fromTemplate = (): Draft => ({ subject: template.subject ?? "", source: template.source, text: template.text ?? "" });
  const [draft, setDraft] = useState<Draft>(fromTemplate);
  const saved = useMemo(fromTemplate, [template]); // eslint-disable-line react-hooks/exhaustive-deps
  const dirty = draft.subject !== saved.subject || draft.source !== saved.source || draft.text !== saved.text;

  // After a save or a reset the loader's template is the stored one: the form shows it.
  useEffect(() => {
    const stored = fromTemplate();
    setDraft((current) => (current.subject === stored.subject && current.source === stored.source && current.text === stored.text ? current : stored));
  }, [template.isDefault, template.updatedAt]); // eslint-disable-line react-hooks/exhaustive-deps

  const previewFetcher = useFetcher<typeof action>();
  const saveFetcher = useFetcher<typeof action>();
  const resetFetcher = useFetcher<typeof action>();
  const testFetcher = useFetcher<typeof action>();
  const [confirmReset, setConfirmReset] = useState(false);

  // The preview and the issues on screen: the loader's, then the latest preview's or save's.
  const [preview, setPreview] = useState<TemplatePreview>(data.preview as unknown as TemplatePreview);
  const [lastRendered, setLastRendered] = useState(data.preview.rendered);
  const [issues, setIssues] = useState<TemplateIssue[]>(data.preview.issues as TemplateIssue[]);
  const [refused, setRefused] = useState(false);
  // A draft too long to be checked at all: said on its field until the next answer that checked one.
  const [draftError, setDraftError] = useState<DraftError | null>(null);

  const formFor = (intent: string) => {
    const values: Record<string, string> = { intent, source: draft.source };
    if (email) Object.assign(values, { subject: draft.subject, text: draft.text });
    return values;
  };

  // Live preview: re-rendered on the server a moment after typing stops.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(() => previewFetcher.submit(formFor("preview"), { method: "post" }), 350);
    return () => clearTimeout(timer);
  }, [draft]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const result = previewFetcher.data;
    if (previewFetcher.state !== "idle" || !result) return;
    if (result.intent === "invalid-draft") {
      setDraftError(result.error);
      return;
    }
    if (result.intent !== "preview") return;
    setDraftError(null);
    const next = result.preview as unknown as TemplatePreview;
    setPreview(next);
    setIssues(next.issues);
    if (next.rendered) setLastRendered(next.rendered);
  }, [previewFetcher.state, previewFetcher.data]);

  useEffect(() => {
    const result = saveFetcher.data;
    if (saveFetcher.state !== "idle" || !result) return;
    if (result.intent === "invalid-draft") {
      setDraftError(result.error);
      toast(t("templates.notSaved"), { isError: true });
      return;
    }
    if (result.intent !== "save") return;
    setDraftError(null);
    if (result.ok) {
      setRefused(false);
      setIssues([]);
      toast(t("templates.saved"));
    } else {
      setRefused(true);
      setIssues(result.issues as TemplateIssue[]);
      toast(t("templates.notSaved"), { isError: true });
    }
  }, [saveFetcher.state, saveFetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (resetFetcher.state === "idle" && resetFetcher.data?.intent === "reset") {
      setRefused(false);
      setDraftError(null);
      setConfirmReset(false);
      toast(t("templates.resetDone"));
    }
  }, [resetFetcher.state, resetFetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const result = testFetcher.data;
    if (testFetcher.state !== "idle" || !result) return;
    if (result.intent === "invalid-draft") {
      setDraftError(result.error);
      toast(t("templates.testRefused"), { isError: true });
      return;
    }
    if (result.intent !== "send-test") return;
    setDraftError(null);
    if (result.ok) toast(t("templates.testSent", { to: result.to }));
    else if ("issues" in result) {
      setIssues(result.issues as TemplateIssue[]);
      toast(t("templates.testRefused"), { isError: true });
    } else toast(testFailureMessage(result, t), { isError: true });
  }, [testFetcher.state, testFetcher.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const errorsFor = (field: TemplateField) => {
    const messages = issues.filter((issue) => fieldOfIssue(issue, template.channel) === field).map((issue) => issueMessage(issue, adminLocale, t, messageLabel));
    if (draftError?.field === field) {
      messages.unshift(
        draftError.code === "too_long"
          ? t("templates.draft.tooLong", { max: new Intl.NumberFormat(adminLocale).format(draftError.max) })
          : t("templates.draft.missing"),
      );
    }
    if (messages.length === 0) return undefined;
    return (
      <span data-testid={`error-${field}`} style={{ display: "block" }}>
        {messages.map((message, index) => (
          <span key={index} style={{ display: "block" }}>{message}</span>
        ))}
      </span>
    );
  };

  // Where a picked variable goes: the field edited last, at its cursor.
  const lastField = useRef<TemplateField>("source");
  const insert = useCallback((snippet: string) => {
    const field = lastField.current;
    const element = document.getElementById(FIELD_IDS[field]) as HTMLTextAreaElement | HTMLInputElement | null;
    setDraft((current) => {
      const value = current[field];
      const start = element?.selectionStart ?? value.length;
      const end = element?.selectionEnd ?? value.length;
      const next = value.slice(0, start) + snippet + value.slice(end);
      requestAnimationFrame(() => {
        element?.focus();
        element?.setSelectionRange(start + snippet.length, start + snippet.length);
      });
      return { ...current, [field]: next };
    });
  }, []);

  const update = (field: TemplateField) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));
  const resetting = resetFetcher.state !== "idle";
  const busy = saveFetcher.state !== "idle" || resetting;
  const rendered = preview.rendered ?? lastRendered;
  const testTo = email ? recipients.email : recipients.phone;

  const previewCard = (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">{t("templates.preview.title")}</Text>
          <Text as="span" tone="subdued" variant="bodySm">
            {previewFetcher.state !== "idle" ? t("templates.preview.updating") : t("templates.preview.sample")}
          </Text>
        </InlineStack>
        {!preview.rendered && lastRendered && <Banner tone="warning">{t("templates.preview.stale")}</Banner>}
        {rendered ? (
          email ? (
            <EmailPreview subject={rendered.subject ?? ""} html={rendered.html ?? ""} />
          ) : (
            <TextPreview channel={template.channel as "sms" | "whatsapp"} text={rendered.text} length={preview.length ?? null} />
          )
        ) : (
          <Box padding="400"><Text as="p" tone="subdued">{t("templates.preview.none")}</Text></Box>
        )}
        {email && rendered && (
          <details>
            <summary style={{ cursor: "pointer" }}><Text as="span" variant="bodySm">{t("templates.preview.plainText")}</Text></summary>
            <Box paddingBlockStart="200">
              <pre data-testid="preview-text" style={{ whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" }}>{rendered.text}</pre>
            </Box>
          </details>
        )}
      </BlockStack>
    </Card>
  );

  return (
    <Page
      title={`${messageLabel} · ${channelLabel}`}
      subtitle={LANGUAGE_NAMES[template.locale]}
      titleMetadata={
        <InlineStack gap="100">
          {template.isDefault ? <Badge>{t("templates.default")}</Badge> : <Badge tone="success">{t("templates.edited")}</Badge>}
          {dirty && <Badge tone="attention">{t("templates.unsaved")}</Badge>}
        </InlineStack>
      }
      backAction={{ content: t("templates.title"), url: `/app/templates?language=${template.locale}` }}
      primaryAction={{ content: t("templates.save"), loading: saveFetcher.state !== "idle", disabled: busy, onAction: () => saveFetcher.submit(formFor("save"), { method: "post" }) }}
      secondaryActions={[
        { content: t("templates.sendTest"), loading: testFetcher.state !== "idle", onAction: () => testFetcher.submit(formFor("send-test"), { method: "post" }) },
        { content: t("templates.reset"), destructive: true, loading: resetting, disabled: template.isDefault || busy, onAction: () => setConfirmReset(true) },
      ]}
    >
      <Layout>
        {refused && issues.length > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={t("templates.refusedTitle")} onDismiss={() => setRefused(false)}>
              <List>
                {issues.map((issue, index) => (
                  <List.Item key={index}>{issueMessage(issue, adminLocale, t, messageLabel)}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="400">
                {email && (
                  <div onFocus={() => (lastField.current = "subject")}>
                    <TextField id={FIELD_IDS.subject} label={t("templates.subject")} value={draft.subject} onChange={update("subject")} autoComplete="off" error={errorsFor("subject")} />
                  </div>
                )}
                <div onFocus={() => (lastField.current = "source")}>
                  <TextField
                    id={FIELD_IDS.source}
                    label={email ? t("templates.mjml") : t("templates.messageText")}
                    helpText={email ? t("templates.mjmlHelp") : undefined}
                    value={draft.source}
                    onChange={update("source")}
                    multiline={email ? 18 : 6}
                    maxHeight={email ? 520 : undefined}
                    monospaced
                    spellCheck={!email}
                    autoComplete="off"
                    error={errorsFor("source")}
                  />
                </div>
                {email && (
                  <div onFocus={() => (lastField.current = "text")}>
                    <TextField
                      id={FIELD_IDS.text}
                      label={t("templates.plainText")}
                      helpText={t("templates.plainTextHelp")}
                      value={draft.text}
                      onChange={update("text")}
                      multiline={6}
                      maxHeight={260}
                      monospaced
                      autoComplete="off"
                      error={errorsFor("text")}
                    />
                  </div>
                )}
                {template.updatedAt && (
                  <Text as="p" tone="subdued" variant="bodySm">{t("templates.savedAt", { date: format(template.updatedAt, timeZone) })}</Text>
                )}
              </BlockStack>
            </Card>
            {!email && previewCard}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("templates.variables.title")}</Text>
                <VariablePicker variables={variables} onInsert={insert} />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">{t("templates.sendTest")}</Text>
                <Text as="p" tone="subdued">
                  {testTo ? t("templates.testTo", { to: testTo }) : t(email ? "templates.testNoEmail" : "templates.testNoPhone")}
                </Text>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        {email && <Layout.Section>{previewCard}</Layout.Section>}
      </Layout>
      <Modal
        open={confirmReset}
        onClose={() => !resetting && setConfirmReset(false)}
        title={t("templates.resetTitle")}
        primaryAction={{
          content: t("templates.reset"),
          destructive: true,
          // The dialog stays open, its button spinning, until the reset is done (then a toast says so).
          loading: resetting,
          onAction: () => resetFetcher.submit({ intent: "reset" }, { method: "post" }),
        }}
        secondaryActions={[{ content: t("common.cancel"), disabled: resetting, onAction: () => setConfirmReset(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("templates.resetBody")}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

const PROVIDER_NAMES: Record<string, string> = { sendgrid: "SendGrid", "twilio-sms": "Twilio", "twilio-whatsapp": "Twilio" };

/** Why a test was not sent, in the merchant's language (the service's `reason` is English, for logs). */
function testFailureMessage(failure: TemplateTestFailure, t: Translate): string {
  switch (failure.code) {
    case "no_email":
      return t("templates.testError.noEmail");
    case "no_phone":
      return t("templates.testError.noPhone");
    case "provider_refused": {
      const provider = PROVIDER_NAMES[failure.provider] ?? failure.provider;
      return failure.vendorCode
        ? t("templates.testError.providerRefusedCode", { provider, code: failure.vendorCode })
        : t("templates.testError.providerRefused", { provider });
    }
    case "provider_unavailable":
      return t("templates.testError.providerUnavailable", { provider: PROVIDER_NAMES[failure.provider] ?? failure.provider });
    case "failed":
      return t("templates.testError.failed");
  }
}

// ---------------------------------------------------------------- errors

export const ErrorBoundary = notFoundBoundary({ notFound: "templates.notFound", list: { title: "templates.title", url: "/app/templates" } });
