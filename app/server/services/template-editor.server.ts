// What the template pages need besides load / save / reset (templates.server.ts): the list of
// every template with the ones the shop edited, and a live preview of an unsaved draft rendered
// with the sample data (previewContext) — the email compiled from MJML, an SMS with its segments.
import { reviewRequestPurpose } from "../../domain/consent/consent-policy";
import { parseShopSettings } from "../../domain/settings/shop-settings";
import { renderMessage, type RenderedMessage } from "../../domain/templating/liquid";
import {
  MESSAGE_TYPES,
  TEMPLATE_LOCALES,
  allowedVariables,
  channelsFor,
  purposeOf,
  type Channel,
  type MessageType,
  type TemplateLocale,
} from "../../domain/templating/message-types";
import { previewContext } from "../../domain/templating/preview-fixtures";
import { countSmsSegments, type SmsEncoding } from "../../domain/templating/sms-segments";
import { MAX_SMS_SEGMENTS, MAX_WHATSAPP_CHARACTERS, validateTemplate, type TemplateIssue } from "../../domain/templating/validate-template";
import type { Database } from "../db.server";
import { compileEmailTemplate, compileIssues } from "../templating/compile-email.server";
import type { SaveTemplateInput } from "./templates.server";

export type TemplateDraft = SaveTemplateInput;

export type TemplateOverview = {
  /** Purpose under the shop's consent policy (review requests may be declared transactional); merchant: to the merchant. */
  types: Array<{ messageType: MessageType; channels: readonly Channel[]; purpose: "marketing" | "transactional" | "merchant" }>;
  locales: readonly TemplateLocale[];
  /** The shop's edited templates; every other one is the shipped default. */
  edited: Array<{ messageType: string; channel: string; locale: string; updatedAt: Date }>;
};

export async function templateOverview(database: Database, shopId: string): Promise<TemplateOverview> {
  const edited = await database.template.findMany({
    where: { shopId },
    select: { messageType: true, channel: true, locale: true, updatedAt: true },
    orderBy: { updatedAt: "desc" },
  });
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
  const policy = parseShopSettings(shop.settings).consentPolicy;
  const purpose = (type: MessageType) =>
    type === "merchant_alert" ? "merchant" : type === "review_request" || type === "review_reminder" ? reviewRequestPurpose(policy) : purposeOf(type);
  return { types: MESSAGE_TYPES.map((messageType) => ({ messageType, channels: channelsFor(messageType), purpose: purpose(messageType) })), locales: TEMPLATE_LOCALES, edited };
}

export type TextLength = {
  characters: number;
  /** SMS only. */
  encoding?: SmsEncoding;
  segments?: number;
  nonGsmCharacters?: string[];
  /** The most this channel allows: segments (SMS) or characters (WhatsApp). */
  limit: number;
};

export type TemplatePreview = {
  /** Everything the save would refuse (or warn about), with line numbers. */
  issues: TemplateIssue[];
  /** Null when the draft cannot be rendered at all (a syntax error, MJML that does not compile). */
  rendered: RenderedMessage | null;
  length: TextLength | null;
};

/** The draft rendered with sample data, plus what validation says about it. Nothing is stored. */
export async function previewTemplate(draft: TemplateDraft): Promise<TemplatePreview> {
  const email = draft.channel === "email";
  const parts = email ? { subject: draft.subject, html: draft.source, text: draft.text } : { text: draft.source };
  const { issues } = validateTemplate(draft.messageType, draft.channel, parts, { locale: draft.locale });

  let html: string | undefined;
  if (email) {
    const compiled = await compileEmailTemplate(draft.source);
    if (!compiled.ok) {
      return { issues: [...issues, ...compileIssues(compiled.errors)], rendered: null, length: null };
    }
    html = compiled.html;
  }

  let rendered: RenderedMessage;
  try {
    rendered = renderMessage({ subject: email ? (draft.subject ?? "") : undefined, html, text: (email ? draft.text : draft.source) ?? "" }, previewContext(draft.messageType, draft.locale));
  } catch {
    return { issues, rendered: null, length: null }; // the reason is among the issues (syntax or render error)
  }
  return { issues, rendered, length: textLength(draft.channel, rendered.text) };
}

function textLength(channel: Channel, text: string): TextLength | null {
  if (channel === "sms") {
    const count = countSmsSegments(text);
    return { characters: count.characters, encoding: count.encoding, segments: count.segments, nonGsmCharacters: count.nonGsmCharacters, limit: MAX_SMS_SEGMENTS };
  }
  if (channel === "whatsapp") return { characters: Array.from(text).length, limit: MAX_WHATSAPP_CHARACTERS };
  return null;
}

/** The variables the editor offers for a message type, as written in a template. */
export function variablesFor(type: MessageType): string[] {
  return [...allowedVariables(type)];
}
