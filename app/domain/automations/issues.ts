// What can be wrong with an automation definition, as data: each issue has the path of the value
// it is about (["steps", 1, "delayMinutes"]), a stable code and its parameters, so the admin can
// put it on the right control in the merchant's language. Each also carries an English sentence
// ("Step 2: choose at least one channel.") for logs, tests and API callers.
import type { Channel } from "../ports";
import type { Anchor, AutomationType } from "./definitions";

export const AUTOMATION_ISSUE_CODES = [
  // The whole definition
  "type_unknown",
  "form_unreadable",
  "enabled_missing",
  "steps_missing",
  "steps_too_many",
  "steps_not_numbered",
  "anchors_mixed",
  // One step
  "step_number_not_number",
  "step_number_not_whole",
  "delay_missing",
  "delay_not_number",
  "delay_not_whole",
  "delay_too_short",
  "delay_too_long",
  "delay_not_after_previous",
  "text_delay_too_short",
  "channels_empty",
  "channel_unknown",
  "channel_duplicate",
  "channel_not_allowed",
  "message_type_unknown",
  "message_type_not_allowed",
  "message_type_repeated",
  "review_request_first",
  "review_reminder_later",
  "anchor_unknown",
  "anchor_not_allowed",
  // Conditions
  "minimum_order_value_not_number",
  "minimum_order_value_negative",
  "excluded_tags_too_many",
  "tag_not_text",
  "tag_empty",
  "tag_too_long",
  "product_tag_required",
  // Settings
  "discount_step_not_whole",
  "discount_step_missing",
  "discount_percentage_not_number",
  "discount_percentage_out_of_range",
  "discount_expiry_not_number",
  "discount_expiry_not_whole",
  "discount_expiry_out_of_range",
  "fallback_days_not_number",
  "fallback_days_not_whole",
  "fallback_days_out_of_range",
  "alert_email_invalid",
  "alert_phone_required",
  "alert_phone_invalid",
  // Shapes the form never sends (a hand-written request, an old stored definition)
  "field_missing",
  "field_malformed",
  "field_invalid",
] as const;
export type AutomationIssueCode = (typeof AUTOMATION_ISSUE_CODES)[number];

/** Parameters are plain data (identifiers, numbers, lists of identifiers): the reader words them. */
export type AutomationIssueParams = Record<string, string | number | readonly string[]>;

export type AutomationIssue = {
  /** Where, in the definition: ["steps", 1, "delayMinutes"], ["settings", "phone"], [] for the whole. */
  path: Array<string | number>;
  code: AutomationIssueCode;
  params: AutomationIssueParams;
  /** The issue in English, as one sentence: "Step 2: choose at least one channel." */
  message: string;
};

export function isAutomationIssueCode(value: unknown): value is AutomationIssueCode {
  return typeof value === "string" && (AUTOMATION_ISSUE_CODES as readonly string[]).includes(value);
}

/** Fixed parameters of the codes checked by the schema (the limits it was written with). */
export const MAX_TAG_LENGTH = 255;
export const MAX_EXCLUDED_TAGS = 50;
export const DISCOUNT_PERCENTAGE = { min: 1, max: 100 } as const;
export const DISCOUNT_EXPIRY_HOURS = { min: 1, max: 30 * 24 } as const;
export const FALLBACK_DAYS = { min: 1, max: 60 } as const;
export const MAX_DELAY_DAYS = 60;

export const ENGLISH_LABELS: Record<AutomationType, string> = {
  order_confirmation: "Order confirmation",
  shipping_updates: "Shipping updates",
  care_instructions: "Care instructions",
  cart_recovery: "Cart recovery",
  review_request: "Review requests",
  satisfaction_survey: "Satisfaction survey",
  merchant_alert: "Merchant alerts",
};

// ————— English —————

type P = AutomationIssueParams;
const text = (value: P[string] | undefined): string => (Array.isArray(value) ? value.join(", ") : String(value ?? ""));
const strings = (value: P[string] | undefined): string[] => (Array.isArray(value) ? [...value] : value === undefined ? [] : [String(value)]);
const label = (params: P) => ENGLISH_LABELS[params.automation as AutomationType] ?? text(params.automation);
const delayRange = (params: P) =>
  Number(params.min) === 0 ? `The delay must be between 0 minutes (at once) and ${MAX_DELAY_DAYS} days` : `The delay must be at least 1 minute and at most ${MAX_DELAY_DAYS} days`;

/** The English wording of each code, without the "Step N: " lead and the final full stop. */
const ENGLISH: Record<AutomationIssueCode, (params: P) => string> = {
  type_unknown: (p) => `Unknown automation type${p.type !== undefined ? ` “${text(p.type)}”` : ""}`,
  form_unreadable: () => "The automation form could not be read. Reload the page and try again",
  enabled_missing: () => "Choose whether the automation is on or off",
  steps_missing: () => "Add at least one step",
  steps_too_many: (p) => `An automation can have at most ${text(p.max)} steps`,
  steps_not_numbered: () => "Steps must be numbered 1, 2, 3… in order",
  anchors_mixed: (p) => `All steps of ${label(p).toLowerCase()} must start from the same moment`,
  step_number_not_number: () => "Steps must be numbered",
  step_number_not_whole: () => "Steps must be numbered 1, 2, 3…",
  delay_missing: () => "Enter a delay",
  delay_not_number: () => "The delay must be a number of minutes",
  delay_not_whole: () => "The delay must be a whole number of minutes",
  delay_too_short: delayRange,
  delay_too_long: delayRange,
  delay_not_after_previous: (p) =>
    `The delay must be longer than step ${text(p.previousStep)}'s (${duration(Number(p.previousDelayMinutes))}), so this step comes after it`,
  text_delay_too_short: (p) =>
    `${list(strings(p.channels).map(channelName), "and")} steps of cart recovery need a delay of at least ${text(p.min)} minutes, so shoppers who are still paying are not texted`,
  channels_empty: () => "Choose at least one channel",
  channel_unknown: () => "Channels can be email, SMS or WhatsApp",
  channel_duplicate: () => "Each channel can be chosen only once",
  channel_not_allowed: (p) => `${label(p)} can be sent by ${list(strings(p.allowed).map(channelName), "or")} only`,
  message_type_unknown: () => "Choose which message this step sends",
  message_type_not_allowed: (p) =>
    `“${text(p.messageType)}” is not a message of ${label(p).toLowerCase()}; choose ${list(strings(p.allowed).map((type) => `“${type}”`), "or")}`,
  message_type_repeated: (p) => `“${text(p.messageType)}” is already sent by step ${text(p.firstStep)}`,
  review_request_first: () => "The first step sends the review request; later steps are reminders",
  review_reminder_later: () => "Later steps can only be reminders",
  anchor_unknown: () => "A step starts from the event, the delivery or the fulfilment",
  anchor_not_allowed: (p) => `${label(p)} can only start from ${list(strings(p.allowed).map(anchorName), "or")}`,
  minimum_order_value_not_number: () => "The minimum order value must be a number",
  minimum_order_value_negative: () => "The minimum order value can't be negative",
  excluded_tags_too_many: (p) => `Exclude at most ${text(p.max)} tags`,
  tag_not_text: () => "Tags must be text",
  tag_empty: () => "Tags can't be empty",
  tag_too_long: (p) => `Tags can be at most ${text(p.max)} characters`,
  product_tag_required: () => "Care instructions need a product tag (e.g. care-guide) to know which products have a guide",
  discount_step_not_whole: () => "The discount step must be a step number",
  discount_step_missing: (p) => `The discount is set for step ${text(p.step)}, but cart recovery has ${text(p.steps)} step${Number(p.steps) === 1 ? "" : "s"}`,
  discount_percentage_not_number: () => "The discount must be a percentage",
  discount_percentage_out_of_range: (p) => `The discount must be between ${text(p.min)}% and ${text(p.max)}%`,
  discount_expiry_not_number: () => "Enter when the discount expires, in hours",
  discount_expiry_not_whole: () => "The discount's expiry must be a whole number of hours",
  discount_expiry_out_of_range: (p) =>
    `The discount must expire between ${text(p.min)} hour${Number(p.min) === 1 ? "" : "s"} and ${duration(Number(p.max) * 60)} after it is sent`,
  fallback_days_not_number: () => "The fallback must be a number of days",
  fallback_days_not_whole: () => "The fallback must be a whole number of days",
  fallback_days_out_of_range: (p) => `Without delivery tracking, ask between ${text(p.min)} and ${text(p.max)} days after fulfilment`,
  alert_email_invalid: () => "The alert email is not an email address",
  alert_phone_required: () => "SMS alerts need a phone number: add one or remove SMS",
  alert_phone_invalid: (p) => `Alert phone: “${text(p.phone)}” is not a valid phone number`,
  field_missing: (p) => `${humanField(p.field)} is missing`,
  field_malformed: (p) => `${humanField(p.field)} is not in the expected shape`,
  field_invalid: (p) => `${humanField(p.field)} is not valid`,
};

/** The English wording of one issue, without the "Step N: " lead and the full stop. */
export function englishWording(code: AutomationIssueCode, params: AutomationIssueParams): string {
  return ENGLISH[code](params);
}

/**
 * The English sentence of an issue: "Step 2: choose at least one channel." Steps are named by the
 * number the definition gave them when it is a whole number, else by their position.
 */
export function englishSentence(path: Array<string | number>, wording: string, steps: unknown[] = []): string {
  const [first, index] = path;
  if (first === "steps" && typeof index === "number") {
    const number = (steps[index] as { step?: unknown } | undefined)?.step;
    const stepLabel = typeof number === "number" && Number.isInteger(number) ? number : index + 1;
    // "Choose …" → "choose …", but acronyms stay: "SMS and WhatsApp steps …".
    const lead = /^[A-Z](?:[a-z]| )/.test(wording) ? wording.charAt(0).toLowerCase() + wording.slice(1) : wording;
    return `Step ${stepLabel}: ${lead}.`;
  }
  return `${wording}.`;
}

/** The value an issue is about, without list positions inside it: ["steps", 0, "channels", 2] → ["steps", 0, "channels"]. */
export function controlPath(path: ReadonlyArray<string | number>): Array<string | number> {
  const control = [...path];
  while (control.length > 2 && typeof control[control.length - 1] === "number") control.pop();
  return control;
}

/** "minimumOrderValue" → "Minimum order value". */
function humanField(field: P[string] | undefined): string {
  const last = typeof field === "string" && field ? field : "A value";
  const words = last.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function channelName(channel: Channel | string): string {
  return channel === "sms" ? "SMS" : channel === "whatsapp" ? "WhatsApp" : "email";
}

export function anchorName(anchor: Anchor | string): string {
  return anchor === "event" ? "the triggering event" : anchor === "delivered" ? "the delivery" : "the fulfilment";
}

export function list(items: string[], conjunction: "and" | "or"): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

const DAY = 24 * 60;

/** 90 → "1 h 30 min", 1440 → "1 day", 10080 → "7 days". */
export function duration(minutes: number): string {
  if (minutes >= DAY && minutes % DAY === 0) return `${minutes / DAY} day${minutes === DAY ? "" : "s"}`;
  if (minutes >= 60) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
