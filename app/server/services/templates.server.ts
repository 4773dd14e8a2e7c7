// Templates as the dispatcher and the admin see them: a shop's edited template when it saved
// one, the shipped default otherwise. Email MJML is compiled to HTML when saved (and, for the
// defaults, once per process), so a send only renders Liquid over ready HTML.
import { defaultTemplate } from "../../domain/templating/default-templates";
import { templateCacheKey, type RenderableTemplate } from "../../domain/templating/liquid";
import { supportsChannel, type Channel, type MessageType, type TemplateLocale } from "../../domain/templating/message-types";
import { validateTemplate, type TemplateIssue } from "../../domain/templating/validate-template";
import type { Database } from "../db.server";
import { compileEmailTemplate, compileIssues } from "../templating/compile-email.server";

export type EditableTemplate = {
  messageType: MessageType;
  channel: Channel;
  locale: TemplateLocale;
  subject?: string;
  /** MJML for email, the message text for SMS / WhatsApp. */
  source: string;
  /** Email only: the plain-text part. */
  text?: string;
  isDefault: boolean;
  updatedAt: Date | null;
};

const compiledDefaults = new Map<string, Promise<string>>();

async function compiledDefaultHtml(type: MessageType, locale: TemplateLocale): Promise<string> {
  const key = `${type}:${locale}`;
  let html = compiledDefaults.get(key);
  if (!html) {
    html = compileEmailTemplate(defaultTemplate(type, "email", locale).mjml).then((result) => {
      if (!result.ok) throw new Error(`the default ${type} email (${locale}) does not compile: ${result.errors.map((e) => e.message).join("; ")}`);
      return result.html;
    });
    compiledDefaults.set(key, html);
  }
  return html;
}

/** The template a message of this type, channel and locale is rendered with. */
export async function renderableTemplate(database: Database, shopId: string, type: MessageType, channel: Channel, locale: TemplateLocale): Promise<RenderableTemplate> {
  const saved = await database.template.findUnique({ where: { shopId_messageType_channel_locale: { shopId, messageType: type, channel, locale } } });
  if (saved) {
    return { cacheKey: templateCacheKey(saved.id, saved.updatedAt), subject: saved.subject ?? undefined, html: saved.html ?? undefined, text: saved.text };
  }
  const shipped = defaultTemplate(type, channel, locale);
  if (shipped.channel === "email") {
    return { cacheKey: `default:${type}:email:${locale}`, subject: shipped.subject, html: await compiledDefaultHtml(type, locale), text: shipped.text };
  }
  return { cacheKey: `default:${type}:${channel}:${locale}`, text: shipped.text };
}

/** The template as the merchant edits it. */
export async function editableTemplate(database: Database, shopId: string, type: MessageType, channel: Channel, locale: TemplateLocale): Promise<EditableTemplate> {
  const saved = await database.template.findUnique({ where: { shopId_messageType_channel_locale: { shopId, messageType: type, channel, locale } } });
  if (saved) {
    return { messageType: type, channel, locale, subject: saved.subject ?? undefined, source: saved.source, text: channel === "email" ? saved.text : undefined, isDefault: false, updatedAt: saved.updatedAt };
  }
  const shipped = defaultTemplate(type, channel, locale);
  return shipped.channel === "email"
    ? { messageType: type, channel, locale, subject: shipped.subject, source: shipped.mjml, text: shipped.text, isDefault: true, updatedAt: null }
    : { messageType: type, channel, locale, source: shipped.text, isDefault: true, updatedAt: null };
}

export type SaveTemplateInput = { messageType: MessageType; channel: Channel; locale: TemplateLocale; subject?: string; source: string; text?: string };

export type SaveTemplateResult = { ok: true; updatedAt: Date } | { ok: false; issues: TemplateIssue[] };

/**
 * Validates (Liquid syntax, variables this message type has, length) and, for email, compiles
 * the MJML; only a template that passes both is stored. Nothing stored changes on refusal.
 */
export async function saveTemplate(database: Database, shopId: string, input: SaveTemplateInput): Promise<SaveTemplateResult> {
  if (!supportsChannel(input.messageType, input.channel)) {
    return { ok: false, issues: [{ code: "unsupported_channel", part: "text", line: 1, channel: input.channel, message: `This message cannot be sent by ${input.channel}.` }] };
  }
  const email = input.channel === "email";
  const parts = email ? { subject: input.subject, html: input.source, text: input.text } : { text: input.source };
  const validation = validateTemplate(input.messageType, input.channel, parts, { locale: input.locale });
  if (!validation.ok) return { ok: false, issues: validation.issues };

  let html: string | null = null;
  if (email) {
    const compiled = await compileEmailTemplate(input.source);
    if (!compiled.ok) {
      return { ok: false, issues: compileIssues(compiled.errors) };
    }
    html = compiled.html;
  }
  const key = { shopId, messageType: input.messageType, channel: input.channel, locale: input.locale };
  const fields = { subject: email ? (input.subject ?? null) : null, source: input.source, html, text: email ? (input.text ?? "") : input.source };
  const saved = await database.template.upsert({ where: { shopId_messageType_channel_locale: key }, create: { ...key, ...fields }, update: fields });
  return { ok: true, updatedAt: saved.updatedAt };
}

/** Back to the shipped default: the shop's edited copy is removed. */
export async function resetTemplate(database: Database, shopId: string, type: MessageType, channel: Channel, locale: TemplateLocale): Promise<void> {
  await database.template.deleteMany({ where: { shopId, messageType: type, channel, locale } });
}
