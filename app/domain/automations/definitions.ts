// The seven automations as data. Each has ordered steps; a step says how long to wait after its
// anchor (the triggering event, the delivery or the fulfilment), which channels to try in order
// of preference (the next one is used when a channel can't be: no consent, no phone, ...), and
// which message (template) to send. Definitions are validated with zod, and every problem is
// reported as a sentence a merchant can act on ("Step 2: choose at least one channel").
import { z } from "zod";
import { normalisePhone } from "../contacts/phone";
import { reviewRequestPurpose, type ConsentPolicySettings, type Purpose } from "../consent/consent-policy";
import { err, ok, type Result } from "../errors";
import type { Channel } from "../ports";
import { MESSAGE_TYPES, type MessageType } from "../templating/message-types";

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

export const MAX_DELAY_MINUTES = 60 * 24 * 60; // 60 days
export const MAX_STEPS = 5;

const MINUTES_PER_DAY = 24 * 60;

/** What each automation may contain, and how it behaves. */
type TypeRules = {
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
  order_confirmation: { label: "Order confirmation", messageTypes: ["order_confirmation"], anchors: ["event"], defaultAnchor: "event", channels: CHANNELS, minDelayMinutes: 0, sequential: false },
  shipping_updates: {
    label: "Shipping updates",
    messageTypes: ["shipping_update", "out_for_delivery", "delivered", "delivery_problem"],
    anchors: ["event"], defaultAnchor: "event", channels: CHANNELS, minDelayMinutes: 0, sequential: false,
  },
  care_instructions: { label: "Care instructions", messageTypes: ["care_instructions"], anchors: ["delivered", "fulfilled"], defaultAnchor: "delivered", channels: CHANNELS, minDelayMinutes: 1, sequential: false },
  cart_recovery: { label: "Cart recovery", messageTypes: ["cart_recovery", "cart_recovery_discount"], anchors: ["event"], defaultAnchor: "event", channels: CHANNELS, minDelayMinutes: 1, sequential: true },
  review_request: { label: "Review requests", messageTypes: ["review_request", "review_reminder"], anchors: ["delivered", "fulfilled"], defaultAnchor: "delivered", channels: CHANNELS, minDelayMinutes: 1, sequential: true },
  satisfaction_survey: { label: "Satisfaction survey", messageTypes: ["satisfaction_survey"], anchors: ["delivered", "fulfilled"], defaultAnchor: "delivered", channels: CHANNELS, minDelayMinutes: 1, sequential: false },
  merchant_alert: { label: "Merchant alerts", messageTypes: ["merchant_alert"], anchors: ["event"], defaultAnchor: "event", channels: ["email", "sms"], minDelayMinutes: 0, sequential: false },
};

/**
 * Shoppers still paying must not get a text: a recovery SMS/WhatsApp waits at least this long
 * after the checkout's last activity (an email is less intrusive and only needs 1 minute).
 */
export const CART_RECOVERY_MIN_TEXT_DELAY_MINUTES = 30;

// ————— Schema —————

const stepSchema = z.object({
  step: z.number({ invalid_type_error: "Steps must be numbered" }).int("Steps must be numbered 1, 2, 3…"),
  delayMinutes: z.number({ required_error: "Enter a delay", invalid_type_error: "The delay must be a number of minutes" }).int("The delay must be a whole number of minutes"),
  channels: z.array(z.enum(CHANNELS, { errorMap: () => ({ message: "Channels can be email, SMS or WhatsApp" }) })).min(1, "Choose at least one channel"),
  messageType: z.enum(MESSAGE_TYPES, { errorMap: () => ({ message: "Choose which message this step sends" }) }),
  anchor: z.enum(ANCHORS, { errorMap: () => ({ message: "A step starts from the event, the delivery or the fulfilment" }) }).optional(),
});
export type AutomationStep = z.infer<typeof stepSchema>;

const tag = z.string({ invalid_type_error: "Tags must be text" }).trim().min(1, "Tags can't be empty").max(255, "Tags can be at most 255 characters");

const conditionsSchema = z
  .object({
    minimumOrderValue: z.number({ invalid_type_error: "The minimum order value must be a number" }).min(0, "The minimum order value can't be negative").optional(),
    excludedTags: z.array(tag).max(50, "Exclude at most 50 tags").optional(),
    requiredProductTag: tag.optional(),
  })
  .default({});
export type AutomationConditions = z.infer<typeof conditionsSchema>;

const noSettings = z.object({}).default({});

const discountSchema = z.object({
  /** The step whose message carries the discount code. */
  step: z.number().int("The discount step must be a step number"),
  percentage: z.number({ invalid_type_error: "The discount must be a percentage" }).min(1, "The discount must be between 1% and 100%").max(100, "The discount must be between 1% and 100%"),
  expiresInHours: z
    .number({ invalid_type_error: "Enter when the discount expires, in hours" })
    .int("The discount's expiry must be a whole number of hours")
    .min(1, "The discount must expire between 1 hour and 30 days after it is sent")
    .max(30 * 24, "The discount must expire between 1 hour and 30 days after it is sent"),
});

const cartRecoverySettings = z.object({ discount: discountSchema.nullable().default(null) }).default({});

const reviewRequestSettings = z
  .object({
    /** Without a delivery event (no carrier tracking), ask this many days after fulfilment. null: wait for delivery. */
    fallbackDaysAfterFulfilment: z
      .number({ invalid_type_error: "The fallback must be a number of days" })
      .int("The fallback must be a whole number of days")
      .min(1, "Without delivery tracking, ask between 1 and 60 days after fulfilment")
      .max(60, "Without delivery tracking, ask between 1 and 60 days after fulfilment")
      .nullable()
      .default(14),
  })
  .default({});

const merchantAlertSettings = z
  .object({
    /** Where alerts go; null: the store's email. */
    email: z.string().trim().email("The alert email is not an email address").nullable().default(null),
    /** Needed for SMS alerts. */
    phone: z.string().trim().nullable().default(null),
    notifyOn: z.object({ contactRequests: z.boolean().default(true), deliveryProblems: z.boolean().default(true) }).default({}),
  })
  .default({});

const base = {
  enabled: z.boolean({ required_error: "Choose whether the automation is on or off", invalid_type_error: "Choose whether the automation is on or off" }),
  steps: z.array(stepSchema, { required_error: "Add at least one step", invalid_type_error: "Add at least one step" }).min(1, "Add at least one step").max(MAX_STEPS, `An automation can have at most ${MAX_STEPS} steps`),
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
    for (const problem of automationProblems(automation)) context.addIssue({ code: z.ZodIssueCode.custom, ...problem });
  });

export type AutomationDefinition = z.infer<typeof automationSchema>;
export type AutomationOf<T extends AutomationType> = Extract<AutomationDefinition, { type: T }>;
export type CartRecoveryDiscount = z.infer<typeof discountSchema>;

type Problem = { path: Array<string | number>; message: string };

/** The rules zod's shapes can't say: numbering, order, per-type channels, messages and settings. */
function automationProblems(automation: AutomationDefinition): Problem[] {
  const rules = AUTOMATION_RULES[automation.type];
  const problems: Problem[] = [];
  const { steps } = automation;

  if (steps.some((step, index) => step.step !== index + 1)) {
    problems.push({ path: ["steps"], message: "Steps must be numbered 1, 2, 3… in order" });
  }
  steps.forEach((step, index) => {
    const at = (field: string) => ["steps", index, field];
    if (step.delayMinutes < rules.minDelayMinutes || step.delayMinutes > MAX_DELAY_MINUTES) {
      problems.push({
        path: at("delayMinutes"),
        message: rules.minDelayMinutes === 0 ? "The delay must be between 0 minutes (at once) and 60 days" : "The delay must be at least 1 minute and at most 60 days",
      });
    }
    if (new Set(step.channels).size !== step.channels.length) problems.push({ path: at("channels"), message: "Each channel can be chosen only once" });
    const foreign = step.channels.filter((channel) => !rules.channels.includes(channel));
    if (foreign.length > 0) problems.push({ path: at("channels"), message: `${rules.label} can be sent by ${list(rules.channels.map(channelName), "or")} only` });
    if (!rules.messageTypes.includes(step.messageType)) {
      problems.push({ path: at("messageType"), message: `“${step.messageType}” is not a message of ${rules.label.toLowerCase()}; choose ${list(rules.messageTypes.map((t) => `“${t}”`), "or")}` });
    }
    const anchor = step.anchor ?? rules.defaultAnchor;
    if (!rules.anchors.includes(anchor)) {
      problems.push({ path: at("anchor"), message: `${rules.label} can only start from ${list(rules.anchors.map(anchorName), "or")}` });
    }
  });

  const anchors = new Set(steps.map((step) => step.anchor ?? rules.defaultAnchor));
  if (anchors.size > 1) problems.push({ path: ["steps"], message: `All steps of ${rules.label.toLowerCase()} must start from the same moment` });

  if (rules.sequential) {
    for (let index = 1; index < steps.length; index++) {
      const previous = steps[index - 1];
      if (steps[index].delayMinutes <= previous.delayMinutes) {
        problems.push({ path: ["steps", index, "delayMinutes"], message: `The delay must be longer than step ${index}'s (${duration(previous.delayMinutes)}), so this step comes after it` });
      }
    }
  }

  switch (automation.type) {
    case "shipping_updates": {
      const seen = new Map<string, number>();
      steps.forEach((step, index) => {
        const first = seen.get(step.messageType);
        if (first !== undefined) problems.push({ path: ["steps", index, "messageType"], message: `“${step.messageType}” is already sent by step ${first + 1}` });
        else seen.set(step.messageType, index);
      });
      break;
    }
    case "cart_recovery": {
      steps.forEach((step, index) => {
        const texts = step.channels.filter((channel) => channel !== "email");
        if (texts.length > 0 && step.delayMinutes < CART_RECOVERY_MIN_TEXT_DELAY_MINUTES) {
          problems.push({
            path: ["steps", index, "delayMinutes"],
            message: `${list(texts.map(channelName), "and")} steps of cart recovery need a delay of at least ${CART_RECOVERY_MIN_TEXT_DELAY_MINUTES} minutes, so shoppers who are still paying are not texted`,
          });
        }
      });
      const discount = automation.settings.discount;
      if (discount && (discount.step < 1 || discount.step > steps.length)) {
        problems.push({ path: ["settings", "discount", "step"], message: `The discount is set for step ${discount.step}, but cart recovery has ${steps.length} step${steps.length === 1 ? "" : "s"}` });
      }
      break;
    }
    case "review_request":
      steps.forEach((step, index) => {
        const expected: MessageType = index === 0 ? "review_request" : "review_reminder";
        if (step.messageType !== expected && rules.messageTypes.includes(step.messageType)) {
          problems.push({
            path: ["steps", index, "messageType"],
            message: index === 0 ? "The first step sends the review request; later steps are reminders" : "Later steps can only be reminders",
          });
        }
      });
      break;
    case "care_instructions":
      if (!automation.conditions.requiredProductTag) {
        problems.push({ path: ["conditions", "requiredProductTag"], message: "Care instructions need a product tag (e.g. care-guide) to know which products have a guide" });
      }
      break;
    case "merchant_alert": {
      const { phone } = automation.settings;
      if (steps.some((step) => step.channels.includes("sms")) && !phone) {
        problems.push({ path: ["settings", "phone"], message: "SMS alerts need a phone number: add one or remove SMS" });
      }
      if (phone) {
        const normalised = normalisePhone(phone);
        if (!normalised.ok) problems.push({ path: ["settings", "phone"], message: `Alert phone: ${normalised.error.replace(/\.$/, "")}` });
      }
      break;
    }
  }
  return problems;
}

// ————— Validation with merchant-readable messages —————

/** Validates one automation; errors are sentences ("Step 2: choose at least one channel."). */
export function validateAutomation(input: unknown): Result<AutomationDefinition, string[]> {
  const type = (input as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !(AUTOMATION_TYPES as readonly string[]).includes(type)) {
    return err([`Unknown automation type${typeof type === "string" ? ` “${type}”` : ""}.`]);
  }
  const parsed = automationSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const steps = (input as { steps?: unknown }).steps;
  return err([...new Set(parsed.error.issues.map((issue) => sentence(issue, Array.isArray(steps) ? steps : [])))]);
}

function sentence(issue: z.ZodIssue, steps: unknown[]): string {
  let message = issue.message;
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === "undefined" && message === "Required") {
    message = `${humanField(issue.path)} is missing`;
  } else if (issue.code === z.ZodIssueCode.unrecognized_keys || message === "Expected object, received array") {
    message = `${humanField(issue.path)} is not in the expected shape`;
  }
  const [first, index] = issue.path;
  if (first === "steps" && typeof index === "number") {
    const number = (steps[index] as { step?: unknown } | undefined)?.step;
    const label = typeof number === "number" && Number.isInteger(number) ? number : index + 1;
    // "Choose …" → "choose …", but acronyms stay: "SMS and WhatsApp steps …".
    const lead = /^[A-Z](?:[a-z]| )/.test(message) ? message.charAt(0).toLowerCase() + message.slice(1) : message;
    return `Step ${label}: ${lead}.`;
  }
  return `${message}.`;
}

function humanField(path: Array<string | number>): string {
  const last = [...path].reverse().find((part) => typeof part === "string") ?? "A value";
  const words = String(last).replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
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

function channelName(channel: Channel): string {
  return channel === "sms" ? "SMS" : channel === "whatsapp" ? "WhatsApp" : "email";
}

function anchorName(anchor: Anchor): string {
  return anchor === "event" ? "the triggering event" : anchor === "delivered" ? "the delivery" : "the fulfilment";
}

function list(items: string[], conjunction: "and" | "or"): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

/** 90 → "1 h 30 min", 1440 → "1 day", 10080 → "7 days". */
export function duration(minutes: number): string {
  if (minutes >= DAY && minutes % DAY === 0) return `${minutes / DAY} day${minutes === DAY ? "" : "s"}`;
  if (minutes >= 60) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
