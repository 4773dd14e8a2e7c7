// Bad automation definitions, one per kind of problem, with the issue each must give. Shared by
// the domain's tests (automation-issues.test.ts) and the admin wording's (automation-issue-wording.test.ts).
import { DEFAULT_AUTOMATIONS, type AutomationIssueCode, type AutomationType } from "../../../app/domain/automations/definitions";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Draft = any;
export const draft = (type: AutomationType, change: (automation: Draft) => void = () => {}): Draft => {
  const automation = structuredClone(DEFAULT_AUTOMATIONS[type]) as Draft;
  change(automation);
  return automation;
};
export type Case = [name: string, input: unknown, expected: { path: Array<string | number>; code: AutomationIssueCode; params?: Record<string, unknown> }];

export const cases: Case[] = [
  // The whole definition
  ["unknown type", { type: "newsletter" }, { path: ["type"], code: "type_unknown", params: { type: "newsletter" } }],
  ["no on/off", { type: "cart_recovery", steps: DEFAULT_AUTOMATIONS.cart_recovery.steps }, { path: ["enabled"], code: "enabled_missing", params: {} }],
  ["no steps", draft("order_confirmation", (a) => (a.steps = [])), { path: ["steps"], code: "steps_missing" }],
  [
    "six steps",
    draft("shipping_updates", (a) => a.steps.push({ ...a.steps[0], step: 5, messageType: "out_for_delivery" }, { ...a.steps[0], step: 6 })),
    { path: ["steps"], code: "steps_too_many", params: { max: 5 } },
  ],
  ["steps out of order", draft("shipping_updates", (a) => (a.steps[2].step = 7)), { path: ["steps"], code: "steps_not_numbered" }],
  ["mixed anchors", draft("review_request", (a) => (a.steps[1].anchor = "fulfilled")), { path: ["steps"], code: "anchors_mixed", params: { automation: "review_request", anchors: ["delivered", "fulfilled"] } }],
  // One step
  ["step number as text", draft("order_confirmation", (a) => (a.steps[0].step = "one")), { path: ["steps", 0, "step"], code: "step_number_not_number" }],
  ["fractional step number", draft("order_confirmation", (a) => (a.steps[0].step = 1.5)), { path: ["steps", 0, "step"], code: "step_number_not_whole" }],
  ["no delay", draft("cart_recovery", (a) => delete a.steps[1].delayMinutes), { path: ["steps", 1, "delayMinutes"], code: "delay_missing" }],
  ["delay as text", draft("cart_recovery", (a) => (a.steps[1].delayMinutes = "soon")), { path: ["steps", 1, "delayMinutes"], code: "delay_not_number" }],
  ["fractional delay", draft("cart_recovery", (a) => (a.steps[1].delayMinutes = 90.5)), { path: ["steps", 1, "delayMinutes"], code: "delay_not_whole" }],
  [
    "negative delay where 0 is allowed",
    draft("order_confirmation", (a) => (a.steps[0].delayMinutes = -5)),
    { path: ["steps", 0, "delayMinutes"], code: "delay_too_short", params: { min: 0, unit: "minutes" } },
  ],
  ["instant follow-up", draft("satisfaction_survey", (a) => (a.steps[0].delayMinutes = 0)), { path: ["steps", 0, "delayMinutes"], code: "delay_too_short", params: { min: 1, unit: "minutes" } }],
  ["61 days", draft("satisfaction_survey", (a) => (a.steps[0].delayMinutes = 61 * 1440)), { path: ["steps", 0, "delayMinutes"], code: "delay_too_long", params: { max: 60, unit: "days" } }],
  [
    "a reminder before the message it follows",
    draft("cart_recovery", (a) => (a.steps[2].delayMinutes = 300)),
    { path: ["steps", 2, "delayMinutes"], code: "delay_not_after_previous", params: { previousStep: 2, previousDelayMinutes: 360 } },
  ],
  [
    "a recovery text too soon",
    draft("cart_recovery", (a) => ((a.steps[0].channels = ["sms", "whatsapp", "email"]), (a.steps[0].delayMinutes = 20))),
    { path: ["steps", 0, "delayMinutes"], code: "text_delay_too_short", params: { channels: ["sms", "whatsapp"], min: 30, unit: "minutes" } },
  ],
  ["no channel", draft("cart_recovery", (a) => (a.steps[1].channels = [])), { path: ["steps", 1, "channels"], code: "channels_empty" }],
  ["unknown channel", draft("cart_recovery", (a) => (a.steps[1].channels = ["sms", "fax"])), { path: ["steps", 1, "channels", 1], code: "channel_unknown" }],
  ["same channel twice", draft("cart_recovery", (a) => (a.steps[0].channels = ["email", "email"])), { path: ["steps", 0, "channels"], code: "channel_duplicate" }],
  [
    "WhatsApp for merchant alerts",
    draft("merchant_alert", (a) => (a.steps[0].channels = ["email", "whatsapp"])),
    { path: ["steps", 0, "channels"], code: "channel_not_allowed", params: { automation: "merchant_alert", channels: ["whatsapp"], allowed: ["email", "sms"] } },
  ],
  ["unknown message", draft("cart_recovery", (a) => (a.steps[0].messageType = "newsletter")), { path: ["steps", 0, "messageType"], code: "message_type_unknown" }],
  [
    "another automation's message",
    draft("review_request", (a) => (a.steps[0].messageType = "cart_recovery")),
    { path: ["steps", 0, "messageType"], code: "message_type_not_allowed", params: { automation: "review_request", messageType: "cart_recovery", allowed: ["review_request", "review_reminder"] } },
  ],
  [
    "a shipping update sent twice",
    draft("shipping_updates", (a) => (a.steps[3].messageType = "delivered")),
    { path: ["steps", 3, "messageType"], code: "message_type_repeated", params: { messageType: "delivered", firstStep: 3 } },
  ],
  ["a reminder first", draft("review_request", (a) => (a.steps[0].messageType = "review_reminder")), { path: ["steps", 0, "messageType"], code: "review_request_first" }],
  ["a second request", draft("review_request", (a) => (a.steps[1].messageType = "review_request")), { path: ["steps", 1, "messageType"], code: "review_reminder_later" }],
  ["unknown anchor", draft("review_request", (a) => (a.steps[0].anchor = "moon")), { path: ["steps", 0, "anchor"], code: "anchor_unknown" }],
  [
    "recovery counted from delivery",
    draft("cart_recovery", (a) => a.steps.forEach((step: Draft) => (step.anchor = "delivered"))),
    { path: ["steps", 0, "anchor"], code: "anchor_not_allowed", params: { automation: "cart_recovery", anchor: "delivered", allowed: ["event"] } },
  ],
  // Conditions
  ["minimum as text", draft("cart_recovery", (a) => (a.conditions.minimumOrderValue = "20")), { path: ["conditions", "minimumOrderValue"], code: "minimum_order_value_not_number" }],
  ["negative minimum", draft("cart_recovery", (a) => (a.conditions.minimumOrderValue = -1)), { path: ["conditions", "minimumOrderValue"], code: "minimum_order_value_negative" }],
  [
    "51 excluded tags",
    draft("cart_recovery", (a) => (a.conditions.excludedTags = Array.from({ length: 51 }, (_, i) => `tag-${i}`))),
    { path: ["conditions", "excludedTags"], code: "excluded_tags_too_many", params: { max: 50 } },
  ],
  ["a tag as number", draft("cart_recovery", (a) => (a.conditions.excludedTags = [5])), { path: ["conditions", "excludedTags", 0], code: "tag_not_text" }],
  ["an empty tag", draft("cart_recovery", (a) => (a.conditions.excludedTags = ["vip", " "])), { path: ["conditions", "excludedTags", 1], code: "tag_empty" }],
  ["a long tag", draft("care_instructions", (a) => (a.conditions.requiredProductTag = "x".repeat(256))), { path: ["conditions", "requiredProductTag"], code: "tag_too_long", params: { max: 255 } }],
  ["care without tag", draft("care_instructions", (a) => (a.conditions = {})), { path: ["conditions", "requiredProductTag"], code: "product_tag_required" }],
  // Settings
  ["discount step 2.5", draft("cart_recovery", (a) => (a.settings.discount.step = 2.5)), { path: ["settings", "discount", "step"], code: "discount_step_not_whole" }],
  ["discount on step 4 of 3", draft("cart_recovery", (a) => (a.settings.discount.step = 4)), { path: ["settings", "discount", "step"], code: "discount_step_missing", params: { step: 4, steps: 3 } }],
  ["discount as text", draft("cart_recovery", (a) => (a.settings.discount.percentage = "ten")), { path: ["settings", "discount", "percentage"], code: "discount_percentage_not_number" }],
  [
    "0% discount",
    draft("cart_recovery", (a) => (a.settings.discount.percentage = 0)),
    { path: ["settings", "discount", "percentage"], code: "discount_percentage_out_of_range", params: { min: 1, max: 100 } },
  ],
  ["expiry as text", draft("cart_recovery", (a) => (a.settings.discount.expiresInHours = "two days")), { path: ["settings", "discount", "expiresInHours"], code: "discount_expiry_not_number" }],
  ["fractional expiry", draft("cart_recovery", (a) => (a.settings.discount.expiresInHours = 1.5)), { path: ["settings", "discount", "expiresInHours"], code: "discount_expiry_not_whole" }],
  [
    "31-day expiry",
    draft("cart_recovery", (a) => (a.settings.discount.expiresInHours = 31 * 24)),
    { path: ["settings", "discount", "expiresInHours"], code: "discount_expiry_out_of_range", params: { min: 1, max: 720, unit: "hours" } },
  ],
  ["fallback as text", draft("review_request", (a) => (a.settings.fallbackDaysAfterFulfilment = "two weeks")), { path: ["settings", "fallbackDaysAfterFulfilment"], code: "fallback_days_not_number" }],
  ["fractional fallback", draft("review_request", (a) => (a.settings.fallbackDaysAfterFulfilment = 1.5)), { path: ["settings", "fallbackDaysAfterFulfilment"], code: "fallback_days_not_whole" }],
  [
    "61-day fallback",
    draft("review_request", (a) => (a.settings.fallbackDaysAfterFulfilment = 61)),
    { path: ["settings", "fallbackDaysAfterFulfilment"], code: "fallback_days_out_of_range", params: { min: 1, max: 60, unit: "days" } },
  ],
  ["alert email", draft("merchant_alert", (a) => (a.settings.email = "owner at store")), { path: ["settings", "email"], code: "alert_email_invalid" }],
  ["SMS alerts without phone", draft("merchant_alert", (a) => (a.steps[0].channels = ["email", "sms"])), { path: ["settings", "phone"], code: "alert_phone_required" }],
  ["alert phone", draft("merchant_alert", (a) => (a.settings.phone = "12")), { path: ["settings", "phone"], code: "alert_phone_invalid", params: { phone: "12", problem: "no_country_code" } }],
  // Shapes the form never sends
  ["no channels at all", draft("cart_recovery", (a) => delete a.steps[0].channels), { path: ["steps", 0, "channels"], code: "field_missing", params: { field: "channels" } }],
  ["conditions as a list", draft("cart_recovery", (a) => (a.conditions = [])), { path: ["conditions"], code: "field_malformed", params: { field: "conditions" } }],
  ["phone as a number", draft("merchant_alert", (a) => (a.settings.phone = 5)), { path: ["settings", "phone"], code: "field_invalid", params: { field: "phone" } }],
];

