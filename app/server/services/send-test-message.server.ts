// "Send a test message": the merchant sees exactly what a shopper would receive, through the
// same provider interface real messages use.
import { ProviderError } from "../../domain/errors";
import type { Channel, Clock } from "../../domain/ports";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import { renderMessage } from "../../domain/templating/liquid";
import { previewContext } from "../../domain/templating/preview-fixtures";
import { validateTemplate, type TemplateIssue } from "../../domain/templating/validate-template";
import { services } from "../container.server";
import type { Database } from "../db.server";
import { providersForShop } from "../providers/shop-providers.server";
import { compileEmailTemplate, compileIssues } from "../templating/compile-email.server";
import type { TemplateDraft } from "./template-editor.server";

export async function sendTestMessage(shop: { id: string; name: string; email: string | null }, channel: Channel, to: string | null) {
  const provider = services().outbox[channel];
  const recipient = to || (channel === "email" ? (shop.email ?? "merchant@example.com") : "+15555550100");
  const greeting = `This is a test message from Avisa for ${shop.name}.`;
  return provider.send({
    shopId: shop.id,
    channel,
    to: recipient,
    subject: channel === "email" ? `Avisa test email for ${shop.name}` : undefined,
    html: channel === "email" ? `<!doctype html><html><body style="font-family:sans-serif;padding:24px"><h1 style="font-size:20px">${escapeHtml(shop.name)}</h1><p>${escapeHtml(greeting)}</p><p>Messages to your shoppers will look like this, in their own language.</p></body></html>` : undefined,
    text: greeting,
    metadata: { kind: "test" },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// ---------------------------------------------------------------- "Send test to me" (template editor)

/**
 * Why a test was not sent, for the page to word: no recipient, the provider refused it
 * (`vendorCode` when the vendor gave one) or could not take it now (retriable), or anything else.
 */
export type TemplateTestFailure =
  | { code: "no_email" | "no_phone" }
  | { code: "provider_refused" | "provider_unavailable"; provider: string; vendorCode?: string }
  | { code: "failed" };

export type TemplateTestResult =
  | { ok: true; to: string; channel: Channel; externalId: string }
  | { ok: false; issues: TemplateIssue[] }
  | ({ ok: false; /** English, for logs. */ reason: string } & TemplateTestFailure);

/** Prefix that marks a test in the subject (email) or at the start of the text (SMS, WhatsApp). */
export const TEST_MARK = "[TEST]";

/**
 * Sends the template being edited (saved or not) to the merchant: the shop's alert email (else
 * the store's email) or alert phone, through the shop's providers — the outbox in the demo —
 * rendered with the sample data. Refused, with the same issues a save would show, when the
 * draft does not validate.
 */
export async function sendTemplateTest(database: Database, shopId: string, draft: TemplateDraft, clock: Clock): Promise<TemplateTestResult> {
  const email = draft.channel === "email";
  const parts = email ? { subject: draft.subject, html: draft.source, text: draft.text } : { text: draft.source };
  const validation = validateTemplate(draft.messageType, draft.channel, parts, { locale: draft.locale });
  if (!validation.ok) return { ok: false, issues: validation.issues };

  let html: string | undefined;
  if (email) {
    const compiled = await compileEmailTemplate(draft.source);
    if (!compiled.ok) return { ok: false, issues: compileIssues(compiled.errors) };
    html = compiled.html;
  }

  const to = (await testRecipients(database, shopId))[email ? "email" : "phone"];
  if (!to) {
    return {
      ok: false,
      code: email ? "no_email" : "no_phone",
      reason: email
        ? "Your store has no email address. Add an alert email in Settings > Merchant alerts, then send the test again."
        : "Avisa has no phone number for you. Add an alert phone in Settings > Merchant alerts, then send the test again.",
    };
  }

  const rendered = renderMessage({ subject: email ? draft.subject : undefined, html, text: (email ? draft.text : draft.source) ?? "" }, previewContext(draft.messageType, draft.locale));
  const provider = (await providersForShop(database, shopId, clock))[draft.channel];
  try {
    const { externalId } = await provider.send({
      shopId,
      channel: draft.channel,
      to,
      subject: email ? `${TEST_MARK} ${rendered.subject ?? ""}`.trim() : undefined,
      html: rendered.html,
      text: email ? rendered.text : `${TEST_MARK} ${rendered.text}`,
      metadata: { kind: "test", messageType: draft.messageType, locale: draft.locale },
    });
    return { ok: true, to, channel: draft.channel, externalId };
  } catch (error) {
    // A vendor's refusal (ProviderError) or any other failure: the merchant sees which, by code.
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof ProviderError) {
      const vendorCode = error.vendorCode ? { vendorCode: error.vendorCode } : {};
      return { ok: false, code: error.retriable || error.outcomeUnknown ? "provider_unavailable" : "provider_refused", provider: provider.id, ...vendorCode, reason };
    }
    return { ok: false, code: "failed", reason };
  }
}

/** Where the merchant's tests go: the alert email (else the store's email) and the alert phone. */
export async function testRecipients(database: Database, shopId: string): Promise<{ email: string | null; phone: string | null }> {
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { email: true, settings: true } });
  const settings = parseShopSettings(shop.settings);
  return { email: settings.merchantAlerts.email ?? shop.email, phone: settings.merchantAlerts.phone ?? null };
}
