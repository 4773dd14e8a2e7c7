// The seven automations as data. Each has ordered steps; a step says how long to wait after its
// anchor (the triggering event, the delivery or the fulfilment), which channels to try in order
// of preference (the next one is used when a channel can't be: no consent, no phone, ...), and
// which message (template) to send. Definitions are validated with zod, and every problem is
// reported as an issue: the path of the value, a code with parameters (worded by the admin in the
// merchant's language) and an English sentence for logs ("Step 2: choose at least one channel.").
import { z } from "zod";
import { normalisePhone } from "../contacts/phone";
import { reviewRequestPurpose, type ConsentPolicySettings, type Purpose } from "../consent/consent-policy";
import { err, ok, type Result } from "../errors";
import type { Channel } from "../ports";
import { MESSAGE_TYPES, type MessageType } from "../templating/message-types";
import {
  DISCOUNT_EXPIRY_HOURS,
  DISCOUNT_PERCENTAGE,
  ENGLISH_LABELS,
  FALLBACK_DAYS,
  MAX_DELAY_DAYS,
  MAX_EXCLUDED_TAGS,
  MAX_TAG_LENGTH,
  duration,
  englishSentence,
  controlPath,
  englishWording,
  isAutomationIssueCode,
  type AutomationIssue,
  type AutomationIssueCode,
  type AutomationIssueParams,
} from "./issues";

export { AUTOMATION_ISSUE_CODES, controlPath, type AutomationIssue, type AutomationIssueCode, type AutomationIssueParams } from "./issues";

export const AUTOMATION_TYPES = [
  "order_confirmation",
  "shipping_updates",
  "care_instructions",
  "cart_recovery",
  "review_request",
  "satisfaction_survey",
  "merchant_alert",
] as const;
export type AutomationType = (typeof AUTOMATION_TYPES)[number];

/** The message a step sends; with channel and locale it picks the template (one list, the templates'). */
export { MESSAGE_TYPES, type MessageType };

export const CHANNELS = ["email", "sms", "whatsapp"] as const satisfies readonly Channel[];

export const ANCHORS = ["event", "delivered", "fulfilled"] as const;
export type Anchor = (typeof ANCHORS)[number];

export const MAX_DELAY_MINUTES = MAX_DELAY_DAYS * 24 * 60; // 60 days
export const MAX_STEPS = 5;

const MINUTES_PER_DAY = 24 * 60;

/** What each automation may contain, and how it behaves. */
type TypeRules = {
  /** English, for logs and English messages; the admin shows its own translation (automation.<type>). */
  label: string;
  messageTypes: readonly MessageType[];
  anchors: readonly Anchor[];
  defaultAnchor: Anchor;
  channels: readonly Channel[];
  /** 0: may send at once (the shopper is waiting for it). 1: always a follow-up, never instant. */
  minDelayMinutes: 0 | 1;
  /** Steps follow one another (a sequence with reminders), so their delays must increase. */
  sequential: boolean;
};

export const AUTOMATION_RULES: Record<AutomationType, TypeRules> = {
  order_confirmation: { label: ENGLISH_LABELS.order_confirmation, messageTypes: ["order_confirmation"], anchors: ["event"], defaultAnchor: "event", channels: CHANNELS, minDelayMinutes: 0, sequential: false },
  shipping_updates: {
    label: ENGLISH_LABELS.shipping_updates,
    messageTypes: ["shipping_update", "out_for_delivery", "delivered", "delivery_problem"],
    anchors: ["event"], defaultAnchor: "event", channels: CHANNELS, minDelayMinutes: 0, sequential: false,
  },
  care_instructions: { label: ENGLISH_LABELS.care_instructions, messageTypes: ["care_instructions"], anchors: ["delivered", "fulfilled"], defaultAnchor: "delivered", channels: CHANNELS, minDelayMinutes: 1, sequential: false },
  cart_recovery: { label: ENGLISH_LABELS.cart_recovery, messageTypes: ["cart_recovery", "cart_recovery_discount"], anchors: ["event"], defaultAnchor: "event", channels: CHANNELS, minDelayMinutes: 1, sequential: true },
  review_request: { label: ENGLISH_LABELS.review_request, messageTypes: ["review_request", "review_reminder"], anchors: ["delivered", "fulfilled"], defaultAnchor: "delivered", channels: CHANNELS, minDelayMinutes: 1, sequential: true },
  satisfaction_survey: { label: ENGLISH_LABELS.satisfaction_survey, messageTypes: ["satisfaction_survey"], anchors: ["delivered", "fulfilled"], defaultAnchor: "delivered", channels: CHANNELS, minDelayMinutes: 1, sequential: false },
  merchant_alert: { label: ENGLISH_LABELS.merchant_alert, messageTypes: ["merchant_alert"], anchors: ["event"], defaultAnchor: "event", channels: ["email", "sms"], minDelayMinutes: 0, sequential: false },
};

/**
 * Shoppers still paying must not get a text: a recovery SMS/WhatsApp waits at least this long
 * after the checkout's last activity (an email is less intrusive and only needs 1 minute).
 */
export const CART_RECOVERY_MIN_TEXT_DELAY_MINUTES = 30;

// ————— Schema —————
// Messages are issue codes (./issues.ts): the code says what is wrong, the reader words it.

const stepSchema = z.object({
  step: z.number({ invalid_type_error: code("step_number_not_number") }).int(code("step_number_not_whole")),
  delayMinutes: z.number({ required_error: code("delay_missing"), invalid_type_error: code("delay_not_number") }).int(code("delay_not_whole")),
  channels: z.array(z.enum(CHANNELS, { errorMap: () => ({ message: code("channel_unknown") }) })).min(1, code("channels_empty")),
  messageType: z.enum(MESSAGE_TYPES, { errorMap: () => ({ message: code("message_type_unknown") }) }),
  anchor: z.enum(ANCHORS, { errorMap: () => ({ message: code("anchor_unknown") }) }).optional(),
});
export type AutomationStep = z.infer<typeof stepSchema>;

const tag = z.string({ invalid_type_error: code("tag_not_text") }).trim().min(1, code("tag_empty")).max(MAX_TAG_LENGTH, code("tag_too_long"));

const conditionsSchema = z
  .object({
    minimumOrderValue: z.number({ invalid_type_error: code("minimum_order_value_not_number") }).min(0, code("minimum_order_value_negative")).optional(),
    excludedTags: z.array(tag).max(MAX_EXCLUDED_TAGS, code("excluded_tags_too_many")).optional(),
    requiredProductTag: tag.optional(),
  })
  .default({});
export type AutomationConditions = z.infer<typeof conditionsSchema>;

const noSettings = z.object({}).default({});

const discountSchema = z.object({
  /** The step whose message carries the discount code. */
  step: z.number().int(code("discount_step_not_whole")),
  percentage: z
    .number({ invalid_type_error: code("discount_percentage_not_number") })
    .min(DISCOUNT_PERCENTAGE.min, code("discount_percentage_out_of_range"))
    .max(DISCOUNT_PERCENTAGE.max, code("discount_percentage_out_of_range")),
  expiresInHours: z
    .number({ invalid_type_error: code("discount_expiry_not_number") })
    .int(code("discount_expiry_not_whole"))
    .min(DISCOUNT_EXPIRY_HOURS.min, code("discount_expiry_out_of_range"))
    .max(DISCOUNT_EXPIRY_HOURS.max, code("discount_expiry_out_of_range")),
});

const cartRecoverySettings = z.object({ discount: discountSchema.nullable().default(null) }).default({});

const reviewRequestSettings = z
  .object({
    /** Without a delivery event (no carrier tracking), ask this many days after fulfilment. null: wait for delivery. */
    fallbackDaysAfterFulfilment: z
      .number({ invalid_type_error: code("fallback_days_not_number") })
      .int(code("fallback_days_not_whole"))
      .min(FALLBACK_DAYS.min, code("fallback_days_out_of_range"))
      .max(FALLBACK_DAYS.max, code("fallback_days_out_of_range"))
      .nullable()
      .default(14),
  })
  .default({});

const merchantAlertSettings = z
  .object({
    /** Where alerts go; null: the store's email. */
    email: z.string().trim().email(code("alert_email_invalid")).nullable().default(null),
    /** Needed for SMS alerts. */
    phone: z.string().trim().nullable().default(null),
    notifyOn: z.object({ contactRequests: z.boolean().default(true), deliveryProblems: z.boolean().default(true) }).default({}),
  })
  .default({});

const base = {
  enabled: z.boolean({ required_error: code("enabled_missing"), invalid_type_error: code("enabled_missing") }),
  steps: z.array(stepSchema, { required_error: code("steps_missing"), invalid_type_error: code("steps_missing") }).min(1, code("steps_missing")).max(MAX_STEPS, code("steps_too_many")),
  conditions: conditionsSchema,
};

const automationSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("order_confirmation"), ...base, settings: noSettings }),
    z.object({ type: z.literal("shipping_updates"), ...base, settings: noSettings }),
    z.object({ type: z.literal("care_instructions"), ...base, settings: noSettings }),
    z.object({ type: z.literal("cart_recovery"), ...base, settings: cartRecoverySettings }),
    z.object({ type: z.literal("review_request"), ...base, settings: reviewRequestSettings }),
    z.object({ type: z.literal("satisfaction_survey"), ...base, settings: noSettings }),
    z.object({ type: z.literal("merchant_alert"), ...base, settings: merchantAlertSettings }),
  ])
  .superRefine((automation, context) => {
    for (const problem of automationProblems(automation)) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: problem.path,
        message: problem.english ?? englishWording(problem.code, problem.params),
        params: { issue: { code: problem.code, params: problem.params } },
      });
    }
  });

export type AutomationDefinition = z.infer<typeof automationSchema>;
export type AutomationOf<T extends AutomationType> = Extract<AutomationDefinition, { type: T }>;
export type CartRecoveryDiscount = z.infer<typeof discountSchema>;

/** A schema message that is an issue code (typed, so a misspelt code does not compile). */
function code(value: AutomationIssueCode): string {
  return value;
}

/** Parameters of the codes the schema checks: the limits it was written with. */
const SCHEMA_PARAMS: Partial<Record<AutomationIssueCode, AutomationIssueParams>> = {
  steps_too_many: { max: MAX_STEPS },
  tag_too_long: { max: MAX_TAG_LENGTH },
  excluded_tags_too_many: { max: MAX_EXCLUDED_TAGS },
  discount_percentage_out_of_range: { ...DISCOUNT_PERCENTAGE },
  discount_expiry_out_of_range: { ...DISCOUNT_EXPIRY_HOURS, unit: "hours" },
  fallback_days_out_of_range: { ...FALLBACK_DAYS, unit: "days" },
};

type Problem = { path: Array<string | number>; code: AutomationIssueCode; params: AutomationIssueParams; english?: string };

/** The rules zod's shapes can't say: numbering, order, per-type channels, messages and settings. */
function automationProblems(automation: AutomationDefinition): Problem[] {
  const rules = AUTOMATION_RULES[automation.type];
  const problems: Problem[] = [];
  const add = (path: Problem["path"], code: AutomationIssueCode, params: AutomationIssueParams = {}, english?: string) => problems.push({ path, code, params, english });
  const { steps } = automation;
  const automationType = automation.type;

  if (steps.some((step, index) => step.step !== index + 1)) add(["steps"], "steps_not_numbered");
  steps.forEach((step, index) => {
    const at = (field: string) => ["steps", index, field];
    if (step.delayMinutes < rules.minDelayMinutes) add(at("delayMinutes"), "delay_too_short", { min: rules.minDelayMinutes, unit: "minutes" });
    else if (step.delayMinutes > MAX_DELAY_MINUTES) {
      // The English sentence gives the whole range, as for a delay too short.
      add(at("delayMinutes"), "delay_too_long", { max: MAX_DELAY_DAYS, unit: "days" }, englishWording("delay_too_short", { min: rules.minDelayMinutes }));
    }
    if (new Set(step.channels).size !== step.channels.length) add(at("channels"), "channel_duplicate");
    const foreign = step.channels.filter((channel) => !rules.channels.includes(channel));
    if (foreign.length > 0) add(at("channels"), "channel_not_allowed", { automation: automationType, channels: foreign, allowed: rules.channels });
    if (!rules.messageTypes.includes(step.messageType)) {
      add(at("messageType"), "message_type_not_allowed", { automation: automationType, messageType: step.messageType, allowed: rules.messageTypes });
    }
    const anchor = step.anchor ?? rules.defaultAnchor;
    if (!rules.anchors.includes(anchor)) add(at("anchor"), "anchor_not_allowed", { automation: automationType, anchor, allowed: rules.anchors });
  });

  const anchors = new Set(steps.map((step) => step.anchor ?? rules.defaultAnchor));
  if (anchors.size > 1) add(["steps"], "anchors_mixed", { automation: automationType, anchors: [...anchors] });

  if (rules.sequential) {
    for (let index = 1; index < steps.length; index++) {
      const previous = steps[index - 1];
      if (steps[index].delayMinutes <= previous.delayMinutes) {
        add(["steps", index, "delayMinutes"], "delay_not_after_previous", { previousStep: index, previousDelayMinutes: previous.delayMinutes });
      }
    }
  }

  switch (automation.type) {
    case "shipping_updates": {
      const seen = new Map<string, number>();
      steps.forEach((step, index) => {
        const first = seen.get(step.messageType);
        if (first !== undefined) add(["steps", index, "messageType"], "message_type_repeated", { messageType: step.messageType, firstStep: first + 1 });
        else seen.set(step.messageType, index);
      });
      break;
    }
    case "cart_recovery": {
      steps.forEach((step, index) => {
        const texts = step.channels.filter((channel) => channel !== "email");
        if (texts.length > 0 && step.delayMinutes < CART_RECOVERY_MIN_TEXT_DELAY_MINUTES) {
          add(["steps", index, "delayMinutes"], "text_delay_too_short", { channels: texts, min: CART_RECOVERY_MIN_TEXT_DELAY_MINUTES, unit: "minutes" });
        }
      });
      const discount = automation.settings.discount;
      if (discount && (discount.step < 1 || discount.step > steps.length)) {
        add(["settings", "discount", "step"], "discount_step_missing", { step: discount.step, steps: steps.length });
      }
      break;
    }
    case "review_request":
      steps.forEach((step, index) => {
        const expected: MessageType = index === 0 ? "review_request" : "review_reminder";
        if (step.messageType !== expected && rules.messageTypes.includes(step.messageType)) {
          add(["steps", index, "messageType"], index === 0 ? "review_request_first" : "review_reminder_later", { expected });
        }
      });
      break;
    case "care_instructions":
      if (!automation.conditions.requiredProductTag) add(["conditions", "requiredProductTag"], "product_tag_required");
      break;
    case "merchant_alert": {
      const { phone } = automation.settings;
      if (steps.some((step) => step.channels.includes("sms")) && !phone) add(["settings", "phone"], "alert_phone_required");
      if (phone) {
        const normalised = normalisePhone(phone);
        // `problem` (and `country` when the reason names one) lets the editor say "too short for Spain".
        if (!normalised.ok) {
          const why = { phone, problem: normalised.code, ...(normalised.country ? { country: normalised.country } : {}) };
          add(["settings", "phone"], "alert_phone_invalid", why, `Alert phone: ${normalised.error.replace(/\.$/, "")}`);
        }
      }
      break;
    }
  }
  return problems;
}

// ————— Validation —————

/**
 * Validates one automation. A refusal lists every issue with its path, code and parameters (for
 * the admin, which words it in the merchant's language) and an English sentence (for logs).
 */
export function checkAutomation(input: unknown): Result<AutomationDefinition, AutomationIssue[]> {
  const type = (input as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !(AUTOMATION_TYPES as readonly string[]).includes(type)) {
    const params: AutomationIssueParams = typeof type === "string" ? { type } : {};
    return err([{ path: ["type"], code: "type_unknown", params, message: englishSentence(["type"], englishWording("type_unknown", params)) }]);
  }
  const parsed = automationSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const rawSteps = (input as { steps?: unknown }).steps;
  const steps = Array.isArray(rawSteps) ? rawSteps : [];
  const issues: AutomationIssue[] = [];
  const seen = new Set<string>();
  for (const zodIssue of parsed.error.issues) {
    const issue = issueOf(zodIssue, steps);
    // Two bad tags, or two unknown channels in one step, are one thing to fix.
    const key = `${controlPath(issue.path).join(".")}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return err(issues);
}

/** Validates one automation; errors are English sentences ("Step 2: choose at least one channel."). */
export function validateAutomation(input: unknown): Result<AutomationDefinition, string[]> {
  const checked = checkAutomation(input);
  return checked.ok ? checked : err([...new Set(checked.error.map((issue) => issue.message))]);
}

/** One zod issue as an automation issue: our codes as they are, zod's own wording as field_*. */
function issueOf(issue: z.ZodIssue, steps: unknown[]): AutomationIssue {
  const path = [...issue.path];
  const wrap = (code: AutomationIssueCode, params: AutomationIssueParams, english: string): AutomationIssue => ({
    path,
    code,
    params,
    message: englishSentence(path, english, steps),
  });
  if (issue.code === z.ZodIssueCode.custom) {
    const custom = (issue.params as { issue?: { code?: unknown; params?: AutomationIssueParams } } | undefined)?.issue;
    if (custom && isAutomationIssueCode(custom.code)) return wrap(custom.code, custom.params ?? {}, issue.message);
  }
  if (isAutomationIssueCode(issue.message)) {
    const params = SCHEMA_PARAMS[issue.message] ?? {};
    return wrap(issue.message, params, englishWording(issue.message, params));
  }
  // zod's own wording: a value left out or of another shape than the form sends.
  const field = [...path].reverse().find((part): part is string => typeof part === "string") ?? "";
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === "undefined") {
    return wrap("field_missing", { field }, englishWording("field_missing", { field }));
  }
  if (issue.code === z.ZodIssueCode.unrecognized_keys || (issue.code === z.ZodIssueCode.invalid_type && issue.expected === "object" && issue.received === "array")) {
    return wrap("field_malformed", { field }, englishWording("field_malformed", { field }));
  }
  return wrap("field_invalid", { field }, issue.message);
}

// ————— Defaults —————

const DAY = MINUTES_PER_DAY;

export const DEFAULT_AUTOMATIONS: { readonly [T in AutomationType]: AutomationOf<T> } = {
  // Shopify already emails the order confirmation; Avisa adds the text. Email can be added.
  order_confirmation: {
    type: "order_confirmation",
    enabled: true,
    steps: [{ step: 1, delayMinutes: 0, channels: ["sms", "whatsapp"], messageType: "order_confirmation" }],
    conditions: {},
    settings: {},
  },
  shipping_updates: {
    type: "shipping_updates",
    enabled: true,
    steps: [
      { step: 1, delayMinutes: 0, channels: ["email", "sms"], messageType: "shipping_update" },
      { step: 2, delayMinutes: 0, channels: ["email", "sms"], messageType: "out_for_delivery" },
      { step: 3, delayMinutes: 0, channels: ["email", "sms"], messageType: "delivered" },
      { step: 4, delayMinutes: 0, channels: ["email", "sms"], messageType: "delivery_problem" },
    ],
    conditions: {},
    settings: {},
  },
  care_instructions: {
    type: "care_instructions",
    enabled: false,
    steps: [{ step: 1, delayMinutes: 3 * DAY, channels: ["email"], messageType: "care_instructions", anchor: "delivered" }],
    conditions: { requiredProductTag: "care-guide" },
    settings: {},
  },
  cart_recovery: {
    type: "cart_recovery",
    enabled: true,
    steps: [
      { step: 1, delayMinutes: 60, channels: ["email"], messageType: "cart_recovery" },
      { step: 2, delayMinutes: 6 * 60, channels: ["sms"], messageType: "cart_recovery" },
      { step: 3, delayMinutes: 24 * 60, channels: ["email"], messageType: "cart_recovery_discount" },
    ],
    conditions: {},
    settings: { discount: { step: 3, percentage: 10, expiresInHours: 48 } },
  },
  // The reminder goes 5 days after the request (12 days after delivery) if no review came in.
  review_request: {
    type: "review_request",
    enabled: true,
    steps: [
      { step: 1, delayMinutes: 7 * DAY, channels: ["email", "sms"], messageType: "review_request", anchor: "delivered" },
      { step: 2, delayMinutes: 12 * DAY, channels: ["email", "sms"], messageType: "review_reminder", anchor: "delivered" },
    ],
    conditions: {},
    settings: { fallbackDaysAfterFulfilment: 14 },
  },
  satisfaction_survey: {
    type: "satisfaction_survey",
    enabled: false,
    steps: [{ step: 1, delayMinutes: 2 * DAY, channels: ["email"], messageType: "satisfaction_survey", anchor: "delivered" }],
    conditions: {},
    settings: {},
  },
  merchant_alert: {
    type: "merchant_alert",
    enabled: true,
    steps: [{ step: 1, delayMinutes: 0, channels: ["email"], messageType: "merchant_alert" }],
    conditions: {},
    settings: { email: null, phone: null, notifyOn: { contactRequests: true, deliveryProblems: true } },
  },
};

/** A fresh copy of every default automation, in display order. */
export function defaultAutomations(): AutomationDefinition[] {
  return AUTOMATION_TYPES.map((type) => structuredClone(DEFAULT_AUTOMATIONS[type]) as AutomationDefinition);
}

/**
 * Whether an automation's messages are marketing (need consent, count against caps). Order and
 * shipping updates are transactional; care instructions are product-use information about a
 * purchase (transactional, as CAN-SPAM's "relationship" messages); review requests follow the
 * merchant's consent policy; alerts go to the merchant.
 */
export function automationPurpose(type: AutomationType, policy?: Partial<ConsentPolicySettings> | null): Purpose {
  switch (type) {
    case "cart_recovery":
    case "satisfaction_survey":
      return "marketing";
    case "review_request":
      return reviewRequestPurpose(policy);
    default:
      return "transactional";
  }
}

export function stepAnchor(automation: AutomationDefinition, step: AutomationStep): Anchor {
  return step.anchor ?? AUTOMATION_RULES[automation.type].defaultAnchor;
}

// ————— Wording —————

export { duration };
