// The templates every shop starts with, for each message type × channel × locale.
//
// The locale files (en.ts, es.ts, pt-BR.ts) hold only words: an email's subject, heading,
// paragraphs and button label, the SMS and WhatsApp texts, and a few shared labels. This file
// lays the words out, once for all locales: the MJML email (logo, brand colour, product images,
// a button, a footer with the shop's address and, on marketing messages, the unsubscribe link)
// and its plain-text twin. A merchant who edits a template edits the resulting MJML/text.
import {
  MESSAGE_TYPES,
  TEMPLATE_LOCALES,
  channelsFor,
  purposeOf,
  supportsChannel,
  type Channel,
  type MessageType,
  type TemplateLocale,
} from "../message-types";
import en from "./en";
import es from "./es";
import ptBR from "./pt-BR";

// ---------------------------------------------------------------- what a locale file provides

/** One email's words. Liquid is welcome; text is plain (no HTML), paragraphs separated by a blank line. */
export interface EmailCopy {
  subject: string;
  /** The inbox preview line (preheader). */
  preview: string;
  heading: string;
  body: string;
  /** The call-to-action button's label; the link is chosen per message type. */
  button?: string;
  /** A closing paragraph after the details and button. */
  after?: string;
}

/** Labels the layout uses in every email. */
export interface CommonCopy {
  /** Opens customer emails, e.g. "Hi{% if customer.first_name %} {{ customer.first_name }}{% endif %}," */
  greeting: string;
  quantity: string;
  total: string;
  carrier: string;
  trackingNumber: string;
  estimatedDelivery: string;
  status: string;
  yourCode: string;
  /** Under the discount code, e.g. "Valid until {{ discount.expires_at }}. One use only." */
  codeTerms: string;
  careHeading: string;
  surveyLow: string;
  surveyHigh: string;
  from: string;
  email: string;
  phone: string;
  footerTransactional: string;
  footerMarketing: string;
  footerMerchant: string;
  unsubscribe: string;
}

export interface LocaleCopy {
  locale: TemplateLocale;
  common: CommonCopy;
  email: Record<MessageType, EmailCopy>;
  sms: Record<MessageType, string>;
  whatsapp: Record<Exclude<MessageType, "merchant_alert">, string>;
}

// ---------------------------------------------------------------- what callers get

export interface DefaultEmailTemplate {
  channel: "email";
  subject: string;
  /** MJML with Liquid inside; compile it (app/server/templating/compile-email.server.ts) for the HTML part. */
  mjml: string;
  text: string;
}

export interface DefaultTextTemplate {
  channel: "sms" | "whatsapp";
  text: string;
}

export type DefaultTemplate = DefaultEmailTemplate | DefaultTextTemplate;

const COPY: Record<TemplateLocale, LocaleCopy> = { en, es, "pt-BR": ptBR };

export function defaultTemplate(type: MessageType, channel: "email", locale: TemplateLocale): DefaultEmailTemplate;
export function defaultTemplate(type: MessageType, channel: "sms" | "whatsapp", locale: TemplateLocale): DefaultTextTemplate;
export function defaultTemplate(type: MessageType, channel: Channel, locale: TemplateLocale): DefaultTemplate;
/** The default template for a message type on a channel, in a locale. Throws for a channel the type does not use. */
export function defaultTemplate(type: MessageType, channel: Channel, locale: TemplateLocale): DefaultTemplate {
  if (!supportsChannel(type, channel)) throw new Error(`${type} has no ${channel} template`);
  const copy = COPY[locale];
  if (channel === "email") return { channel, ...emailTemplate(type, copy) };
  const text = channel === "sms" ? copy.sms[type] : copy.whatsapp[type as Exclude<MessageType, "merchant_alert">];
  return { channel, text };
}

/** Every default template, for seeding a new shop. */
export function allDefaultTemplates(locales: readonly TemplateLocale[] = TEMPLATE_LOCALES) {
  return locales.flatMap((locale) =>
    MESSAGE_TYPES.flatMap((type) => channelsFor(type).map((channel) => ({ type, channel, locale, template: defaultTemplate(type, channel, locale) }))),
  );
}

// ---------------------------------------------------------------- email layout

const INK = "#1f2328";
const MUTED = "#6b7280";
const PAGE = "#f4f1ec";
const CARD = "#ffffff";
const BRAND = `{{ shop.brand_color | default: '${INK}' }}`;
const TRACKING_LINK = "{% if fulfillment.tracking_url %}{{ fulfillment.tracking_url }}{% else %}{{ order.status_url }}{% endif %}";

/** The details each message type shows, and where its button leads. */
type Block = "order_items" | "checkout_items" | "tracking" | "product" | "care" | "discount" | "survey" | "contact_request";
const LAYOUT: Record<MessageType, { blocks: Block[]; link?: string }> = {
  order_confirmation: { blocks: ["order_items"], link: "{{ order.status_url }}" },
  shipping_update: { blocks: ["tracking", "order_items"], link: TRACKING_LINK },
  out_for_delivery: { blocks: ["tracking"], link: TRACKING_LINK },
  delivered: { blocks: ["order_items"], link: "{{ order.status_url }}" },
  delivery_problem: { blocks: ["tracking"], link: TRACKING_LINK },
  care_instructions: { blocks: ["product", "care"], link: "{{ product.url }}" },
  cart_recovery: { blocks: ["checkout_items"], link: "{{ checkout.recovery_url }}" },
  cart_recovery_discount: { blocks: ["discount", "checkout_items"], link: "{{ checkout.recovery_url }}" },
  review_request: { blocks: ["product"], link: "{{ review.url }}" },
  review_reminder: { blocks: ["product"], link: "{{ review.url }}" },
  satisfaction_survey: { blocks: ["survey"] },
  merchant_alert: { blocks: ["contact_request"], link: "{{ contact_request.url }}" },
};

/** Escapes literal copy for HTML while leaving its Liquid alone (Liquid output is escaped when rendered). */
function html(copy: string): string {
  return copy
    .split(/({{[\s\S]*?}}|{%[\s\S]*?%})/)
    .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("");
}

const paragraphs = (copy: string) => copy.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
const indent = (text: string, spaces: number) => text.split("\n").map((line) => (line ? " ".repeat(spaces) + line : line)).join("\n");

function section(content: string, attributes = `background-color="${CARD}" padding="0 32px"`): string {
  return `<mj-section ${attributes}>\n  <mj-column>\n${indent(content, 4)}\n  </mj-column>\n</mj-section>`;
}

function itemsMjml(list: "order" | "checkout", c: CommonCopy): string {
  return [
    `<mj-raw>{% for item in ${list}.items %}</mj-raw>`,
    `<mj-section background-color="${CARD}" padding="8px 32px">`,
    `  <mj-group>`,
    `    <mj-column width="24%" vertical-align="middle">`,
    `      <mj-raw>{% if item.image_url %}</mj-raw>`,
    `      <mj-image src="{{ item.image_url }}" alt="{{ item.title }}" href="{{ item.url }}" width="88px" border-radius="6px" padding="0" />`,
    `      <mj-raw>{% endif %}</mj-raw>`,
    `    </mj-column>`,
    `    <mj-column width="76%" vertical-align="middle">`,
    `      <mj-text padding="0 0 0 16px"><strong>{{ item.title }}</strong>{% if item.variant_title %}<br /><span style="color:${MUTED}">{{ item.variant_title }}</span>{% endif %}<br /><span style="color:${MUTED}">${html(c.quantity)} {{ item.quantity }} · {{ item.price }}</span></mj-text>`,
    `    </mj-column>`,
    `  </mj-group>`,
    `</mj-section>`,
    `<mj-raw>{% endfor %}</mj-raw>`,
    section(`<mj-divider border-width="1px" border-color="#e5e7eb" padding="8px 0" />\n<mj-text align="right" padding="0 0 16px 0"><strong>${html(c.total)}: {{ ${list}.total }}</strong></mj-text>`),
  ].join("\n");
}

function blockMjml(block: Block, c: CommonCopy): string {
  const box = (content: string) =>
    section(`<mj-text container-background-color="#f8f6f3" padding="16px 20px">${content}</mj-text>`, `background-color="${CARD}" padding="0 32px 16px"`);
  switch (block) {
    case "order_items":
      return itemsMjml("order", c);
    case "checkout_items":
      return itemsMjml("checkout", c);
    case "tracking":
      return section(
        [
          `<mj-text padding="16px 20px" container-background-color="#f8f6f3">`,
          `  {% if fulfillment.status %}<strong>${html(c.status)}:</strong> {{ fulfillment.status }}<br />{% endif %}`,
          `  {% if fulfillment.tracking_company %}<strong>${html(c.carrier)}:</strong> {{ fulfillment.tracking_company }}<br />{% endif %}`,
          `  {% if fulfillment.tracking_number %}<strong>${html(c.trackingNumber)}:</strong> {{ fulfillment.tracking_number }}<br />{% endif %}`,
          `  {% if fulfillment.estimated_delivery %}<strong>${html(c.estimatedDelivery)}:</strong> {{ fulfillment.estimated_delivery }}{% endif %}`,
          `</mj-text>`,
        ].join("\n"),
        `background-color="${CARD}" padding="0 32px 16px"`,
      );
    case "product":
      return [
        `<mj-section background-color="${CARD}" padding="0 32px 16px">`,
        `  <mj-column>`,
        `    <mj-raw>{% if product.image_url %}</mj-raw>`,
        `    <mj-image src="{{ product.image_url }}" alt="{{ product.title }}" href="{{ product.url }}" width="240px" border-radius="8px" padding="0 0 12px 0" />`,
        `    <mj-raw>{% endif %}</mj-raw>`,
        `    <mj-text align="center" font-size="17px" padding="0"><a href="{{ product.url }}" style="color:${INK};text-decoration:none"><strong>{{ product.title }}</strong></a></mj-text>`,
        `  </mj-column>`,
        `</mj-section>`,
      ].join("\n");
    case "care":
      // Instructions are plain text: escape them, then keep their line breaks.
      return box(`<strong>${html(c.careHeading)}</strong><br />{{ care.instructions | escape | newline_to_br | raw }}`);
    case "discount":
      return section(
        [
          `<mj-text align="center" padding="20px" container-background-color="#f8f6f3" font-size="14px" color="${MUTED}">`,
          `  ${html(c.yourCode)}<br />`,
          `  <span style="display:inline-block;margin:8px 0;padding:10px 18px;border:2px dashed ${BRAND};border-radius:6px;font-size:24px;font-weight:700;letter-spacing:2px;color:${INK}">{{ discount.code }}</span><br />`,
          `  ${html(c.codeTerms)}`,
          `</mj-text>`,
        ].join("\n"),
        `background-color="${CARD}" padding="0 32px 16px"`,
      );
    case "survey":
      return [
        `<mj-section background-color="${CARD}" padding="8px 32px 0">`,
        `  <mj-group>`,
        ...[1, 2, 3, 4, 5].map(
          (score) =>
            `    <mj-column width="20%"><mj-button href="{{ survey.url_${score} }}" background-color="${BRAND}" width="52px" inner-padding="12px 0" padding="0 4px">${score}</mj-button></mj-column>`,
        ),
        `  </mj-group>`,
        `</mj-section>`,
        `<mj-section background-color="${CARD}" padding="4px 32px 24px">`,
        `  <mj-group>`,
        `    <mj-column width="50%"><mj-text font-size="13px" color="${MUTED}" padding="0">1 = ${html(c.surveyLow)}</mj-text></mj-column>`,
        `    <mj-column width="50%"><mj-text font-size="13px" color="${MUTED}" align="right" padding="0">5 = ${html(c.surveyHigh)}</mj-text></mj-column>`,
        `  </mj-group>`,
        `</mj-section>`,
      ].join("\n");
    case "contact_request":
      return box(
        [
          `<em>“{{ contact_request.message | escape | newline_to_br | raw }}”</em><br /><br />`,
          `<strong>${html(c.from)}:</strong> {{ contact_request.name }}<br />`,
          `{% if contact_request.email %}<strong>${html(c.email)}:</strong> <a href="mailto:{{ contact_request.email }}" style="color:${INK}">{{ contact_request.email }}</a><br />{% endif %}`,
          `{% if contact_request.phone %}<strong>${html(c.phone)}:</strong> {{ contact_request.phone }}{% endif %}`,
        ].join("\n"),
      );
  }
}

function footerReason(type: MessageType, c: CommonCopy): string {
  if (type === "merchant_alert") return c.footerMerchant;
  return purposeOf(type) === "marketing" ? c.footerMarketing : c.footerTransactional;
}

function emailMjml(type: MessageType, copy: LocaleCopy): string {
  const e = copy.email[type];
  const c = copy.common;
  const { blocks, link } = LAYOUT[type];
  const marketing = purposeOf(type) === "marketing";
  const greeting = type === "merchant_alert" ? [] : [`<mj-text padding="0 0 16px 0">${html(c.greeting)}</mj-text>`];
  const intro = [
    `<mj-text font-size="24px" font-weight="700" line-height="1.3" padding="0 0 16px 0">${html(e.heading)}</mj-text>`,
    ...greeting,
    ...paragraphs(e.body).map((p) => `<mj-text padding="0 0 16px 0">${html(p)}</mj-text>`),
  ].join("\n");
  const button =
    e.button && link
      ? section(`<mj-button href="${link}" background-color="${BRAND}" padding="8px 0 24px 0">${html(e.button)}</mj-button>`, `background-color="${CARD}" padding="0 32px"`)
      : "";
  const after = e.after ? section(paragraphs(e.after).map((p) => `<mj-text padding="0 0 16px 0">${html(p)}</mj-text>`).join("\n"), `background-color="${CARD}" padding="0 32px 16px"`) : "";
  const unsubscribe = marketing ? ` <a href="{{ unsubscribe_url }}" style="color:${MUTED}">${html(c.unsubscribe)}</a>` : "";

  const body = [
    // Header: the shop's logo (or its name), on the page background.
    `<mj-section padding="28px 32px 16px">`,
    `  <mj-column>`,
    `    <mj-raw>{% if shop.logo_url %}</mj-raw>`,
    `    <mj-image src="{{ shop.logo_url }}" alt="{{ shop.name }}" href="{{ shop.url }}" width="140px" align="left" padding="0" />`,
    `    <mj-raw>{% else %}</mj-raw>`,
    `    <mj-text font-size="22px" font-weight="700" padding="0"><a href="{{ shop.url }}" style="color:${INK};text-decoration:none">{{ shop.name }}</a></mj-text>`,
    `    <mj-raw>{% endif %}</mj-raw>`,
    `  </mj-column>`,
    `</mj-section>`,
    // The card: a brand-coloured rule, then heading, words, details, button.
    section(intro, `background-color="${CARD}" border-top="4px solid ${BRAND}" border-radius="8px 8px 0 0" padding="32px 32px 8px"`),
    ...blocks.map((block) => blockMjml(block, c)),
    button,
    after,
    `<mj-section background-color="${CARD}" border-radius="0 0 8px 8px" padding="0 0 8px"><mj-column></mj-column></mj-section>`,
    // Footer: who sent this, how to reach them and, for marketing, how to stop.
    section(
      [
        `<mj-text align="center" font-size="13px" line-height="1.6" color="${MUTED}" padding="0">`,
        `  <strong>{{ shop.name }}</strong>{% if shop.address %} · {{ shop.address }}{% endif %}<br />`,
        `  <a href="mailto:{{ shop.email }}" style="color:${MUTED}">{{ shop.email }}</a>{% if shop.phone %} · {{ shop.phone }}{% endif %}<br /><br />`,
        `  ${html(footerReason(type, c))}${unsubscribe}`,
        `</mj-text>`,
      ].join("\n"),
      `padding="24px 32px 40px"`,
    ),
  ]
    .filter(Boolean)
    .join("\n");

  return [
    `<mjml lang="${copy.locale}">`,
    `  <mj-head>`,
    `    <mj-title>${html(e.subject)}</mj-title>`,
    `    <mj-preview>{% if message.preview_text %}{{ message.preview_text }}{% else %}${html(e.preview)}{% endif %}</mj-preview>`,
    `    <mj-attributes>`,
    `      <mj-all font-family="-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif" />`,
    `      <mj-text font-size="16px" line-height="1.6" color="${INK}" />`,
    `      <mj-button font-size="16px" font-weight="600" color="#ffffff" border-radius="6px" inner-padding="14px 28px" />`,
    `    </mj-attributes>`,
    `  </mj-head>`,
    `  <mj-body background-color="${PAGE}" width="600px">`,
    indent(body, 4),
    `  </mj-body>`,
    `</mjml>`,
  ].join("\n");
}

// ---------------------------------------------------------------- plain-text layout

function blockText(block: Block, c: CommonCopy): string {
  const items = (list: "order" | "checkout") =>
    [
      `{% for item in ${list}.items %}- {{ item.title }}{% if item.variant_title %} ({{ item.variant_title }}){% endif %}, ${c.quantity} {{ item.quantity }} · {{ item.price }}`,
      `{% endfor %}${c.total}: {{ ${list}.total }}`,
    ].join("\n");
  switch (block) {
    case "order_items":
      return items("order");
    case "checkout_items":
      return items("checkout");
    case "tracking":
      return [
        `{% if fulfillment.status %}${c.status}: {{ fulfillment.status }}`,
        `{% endif %}{% if fulfillment.tracking_company %}${c.carrier}: {{ fulfillment.tracking_company }}`,
        `{% endif %}{% if fulfillment.tracking_number %}${c.trackingNumber}: {{ fulfillment.tracking_number }}`,
        `{% endif %}{% if fulfillment.estimated_delivery %}${c.estimatedDelivery}: {{ fulfillment.estimated_delivery }}{% endif %}`,
      ].join("\n");
    case "product":
      return "{{ product.title }}";
    case "care":
      return `${c.careHeading}:\n{{ care.instructions }}`;
    case "discount":
      return `${c.yourCode}: {{ discount.code }}\n${c.codeTerms}`;
    case "survey":
      return [1, 2, 3, 4, 5].map((score) => `${score}${score === 1 ? ` (${c.surveyLow})` : score === 5 ? ` (${c.surveyHigh})` : ""}: {{ survey.url_${score} }}`).join("\n");
    case "contact_request":
      return [
        `"{{ contact_request.message }}"`,
        ``,
        `${c.from}: {{ contact_request.name }}`,
        `{% if contact_request.email %}${c.email}: {{ contact_request.email }}`,
        `{% endif %}{% if contact_request.phone %}${c.phone}: {{ contact_request.phone }}{% endif %}`,
      ].join("\n");
  }
}

function emailText(type: MessageType, copy: LocaleCopy): string {
  const e = copy.email[type];
  const c = copy.common;
  const { blocks, link } = LAYOUT[type];
  const parts = [
    e.heading,
    type === "merchant_alert" ? "" : c.greeting,
    ...paragraphs(e.body),
    ...blocks.map((block) => blockText(block, c)),
    e.button && link ? `${e.button}: ${link}` : "",
    ...(e.after ? paragraphs(e.after) : []),
    [
      "--",
      "{{ shop.name }}{% if shop.address %} · {{ shop.address }}{% endif %}",
      "{{ shop.email }}{% if shop.phone %} · {{ shop.phone }}{% endif %}",
      footerReason(type, c),
      purposeOf(type) === "marketing" ? `${c.unsubscribe}: {{ unsubscribe_url }}` : "",
    ]
      .filter(Boolean)
      .join("\n"),
  ];
  return parts.filter(Boolean).join("\n\n") + "\n";
}

function emailTemplate(type: MessageType, copy: LocaleCopy): Omit<DefaultEmailTemplate, "channel"> {
  return { subject: copy.email[type].subject, mjml: emailMjml(type, copy), text: emailText(type, copy) };
}
