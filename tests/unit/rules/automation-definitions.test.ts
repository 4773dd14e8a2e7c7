import { describe, expect, it } from "vitest";
import {
  AUTOMATION_TYPES,
  DEFAULT_AUTOMATIONS,
  automationPurpose,
  defaultAutomations,
  duration,
  validateAutomation,
} from "../../../app/domain/automations/definitions";

const copy = <T>(value: T): any => structuredClone(value);
const errors = (input: unknown): string[] => {
  const result = validateAutomation(input);
  if (result.ok) throw new Error("expected validation errors");
  return result.error;
};

describe("default automations", () => {
  it("are all valid, one per type, in display order", () => {
    const all = defaultAutomations();
    expect(all.map((automation) => automation.type)).toEqual([...AUTOMATION_TYPES]);
    for (const automation of all) expect(validateAutomation(automation)).toEqual({ ok: true, value: automation });
  });

  it("match the product's defaults", () => {
    const d = DEFAULT_AUTOMATIONS;
    expect(d.order_confirmation).toMatchObject({ enabled: true, steps: [{ delayMinutes: 0, channels: ["sms", "whatsapp"] }] });
    expect(d.shipping_updates.steps.map((s) => s.messageType)).toEqual(["shipping_update", "out_for_delivery", "delivered", "delivery_problem"]);
    expect(d.shipping_updates.steps.every((s) => s.channels.join() === "email,sms")).toBe(true);
    expect(d.care_instructions).toMatchObject({ enabled: false, steps: [{ delayMinutes: 3 * 1440, anchor: "delivered" }], conditions: { requiredProductTag: "care-guide" } });
    expect(d.cart_recovery.steps.map((s) => [s.delayMinutes, s.channels])).toEqual([[60, ["email"]], [360, ["sms"]], [1440, ["email"]]]);
    expect(d.cart_recovery.settings.discount).toEqual({ step: 3, percentage: 10, expiresInHours: 48 });
    expect(d.review_request.steps.map((s) => [s.delayMinutes / 1440, s.messageType])).toEqual([[7, "review_request"], [12, "review_reminder"]]);
    expect(d.review_request.settings.fallbackDaysAfterFulfilment).toBe(14);
    expect(d.satisfaction_survey).toMatchObject({ enabled: false, steps: [{ delayMinutes: 2 * 1440 }] });
    expect(d.merchant_alert).toMatchObject({ enabled: true, steps: [{ channels: ["email"] }], settings: { email: null, phone: null } });
  });

  it("are copies: editing one does not change the defaults", () => {
    const [first] = defaultAutomations();
    first.steps[0].delayMinutes = 99;
    expect(DEFAULT_AUTOMATIONS.order_confirmation.steps[0].delayMinutes).toBe(0);
  });

  it("fills settings and conditions left out", () => {
    const result = validateAutomation({ type: "cart_recovery", enabled: true, steps: [{ step: 1, delayMinutes: 60, channels: ["email"], messageType: "cart_recovery" }] });
    expect(result).toMatchObject({ ok: true, value: { conditions: {}, settings: { discount: null } } });
  });
});

describe("validateAutomation: merchant-readable messages", () => {
  it("names the step: delays, channels", () => {
    const recovery = copy(DEFAULT_AUTOMATIONS.cart_recovery);
    recovery.steps[1].channels = [];
    recovery.steps[2].delayMinutes = 61 * 1440;
    recovery.steps[0].channels = ["email", "email"];
    expect(errors(recovery)).toEqual([
      "Step 2: choose at least one channel.",
      "Step 1: each channel can be chosen only once.",
      "Step 3: the delay must be at least 1 minute and at most 60 days.",
    ]);
  });

  it("immediate automations may send at once, but not later than 60 days", () => {
    const confirmation = copy(DEFAULT_AUTOMATIONS.order_confirmation);
    confirmation.steps[0].delayMinutes = -5;
    expect(errors(confirmation)).toEqual(["Step 1: the delay must be between 0 minutes (at once) and 60 days."]);
  });

  it("sequences must move forward in time", () => {
    const recovery = copy(DEFAULT_AUTOMATIONS.cart_recovery);
    recovery.steps[2].delayMinutes = 300;
    expect(errors(recovery)).toEqual(["Step 3: the delay must be longer than step 2's (6 h), so this step comes after it."]);
  });

  it("SMS steps of cart recovery wait at least 30 minutes", () => {
    const recovery = copy(DEFAULT_AUTOMATIONS.cart_recovery);
    recovery.steps[0].channels = ["sms", "whatsapp", "email"];
    recovery.steps[0].delayMinutes = 20;
    expect(errors(recovery)).toEqual([
      "Step 1: SMS and WhatsApp steps of cart recovery need a delay of at least 30 minutes, so shoppers who are still paying are not texted.",
    ]);
  });

  it("checks the discount", () => {
    const recovery = copy(DEFAULT_AUTOMATIONS.cart_recovery);
    recovery.settings.discount = { step: 4, percentage: 0, expiresInHours: 24 * 31 };
    expect(errors(recovery)).toEqual([
      "The discount must be between 1% and 100%.",
      "The discount must expire between 1 hour and 30 days after it is sent.",
      "The discount is set for step 4, but cart recovery has 3 steps.",
    ]);
  });

  it("checks numbering and duplicate shipping updates", () => {
    const shipping = copy(DEFAULT_AUTOMATIONS.shipping_updates);
    shipping.steps[3].messageType = "delivered";
    expect(errors(shipping)).toEqual(["Step 4: “delivered” is already sent by step 3."]);
    shipping.steps[3].messageType = "delivery_problem";
    shipping.steps[2].step = 7;
    expect(errors(shipping)).toEqual(["Steps must be numbered 1, 2, 3… in order."]);
  });

  it("checks which messages and anchors belong to the automation", () => {
    const review = copy(DEFAULT_AUTOMATIONS.review_request);
    review.steps[0].messageType = "cart_recovery";
    expect(errors(review)).toEqual(["Step 1: “cart_recovery” is not a message of review requests; choose “review_request” or “review_reminder”."]);
    review.steps[0].messageType = "review_reminder";
    expect(errors(review)).toEqual(["Step 1: the first step sends the review request; later steps are reminders."]);

    const recovery = copy(DEFAULT_AUTOMATIONS.cart_recovery);
    recovery.steps.forEach((step: { anchor?: string }) => (step.anchor = "delivered"));
    expect(errors(recovery)).toContain("Step 1: cart recovery can only start from the triggering event.");

    const mixed = copy(DEFAULT_AUTOMATIONS.review_request);
    mixed.steps[1].anchor = "fulfilled";
    expect(errors(mixed)).toEqual(["All steps of review requests must start from the same moment."]);
  });

  it("checks the settings of merchant alerts and care instructions", () => {
    const alert = copy(DEFAULT_AUTOMATIONS.merchant_alert);
    alert.steps[0].channels = ["email", "sms", "whatsapp"];
    alert.settings.email = "owner at store";
    expect(errors(alert)).toEqual([
      "The alert email is not an email address.",
      "Step 1: merchant alerts can be sent by email or SMS only.",
      "SMS alerts need a phone number: add one or remove SMS.",
    ]);
    alert.steps[0].channels = ["email", "sms"];
    alert.settings.email = "owner@store.example";
    alert.settings.phone = "12";
    expect(errors(alert)).toEqual([expect.stringMatching(/^Alert phone: “12” has no country code/)]);
    alert.settings.phone = "+34 612 345 678";
    expect(validateAutomation(alert).ok).toBe(true);

    const care = copy(DEFAULT_AUTOMATIONS.care_instructions);
    care.conditions = { minimumOrderValue: -1, excludedTags: [" ", "vip"] };
    expect(errors(care)).toEqual([
      "The minimum order value can't be negative.",
      "Tags can't be empty.",
      "Care instructions need a product tag (e.g. care-guide) to know which products have a guide.",
    ]);
  });

  it("explains missing or malformed basics", () => {
    expect(errors({ type: "newsletter" })).toEqual(["Unknown automation type “newsletter”."]);
    expect(errors(null)).toEqual(["Unknown automation type."]);
    expect(errors({ type: "cart_recovery" })).toEqual(["Choose whether the automation is on or off.", "Add at least one step."]);
    expect(errors({ ...DEFAULT_AUTOMATIONS.order_confirmation, steps: [] })).toEqual(["Add at least one step."]);
    expect(
      errors({ type: "review_request", enabled: true, steps: [{ step: 1, delayMinutes: "soon", channels: ["fax"], messageType: "review_request", anchor: "moon" }] }),
    ).toEqual([
      "Step 1: the delay must be a number of minutes.",
      "Step 1: channels can be email, SMS or WhatsApp.",
      "Step 1: a step starts from the event, the delivery or the fulfilment.",
    ]);
    const six = copy(DEFAULT_AUTOMATIONS.shipping_updates);
    six.steps.push({ ...six.steps[0], step: 5, messageType: "out_for_delivery" }, { ...six.steps[0], step: 6 });
    expect(errors(six)).toContain("An automation can have at most 5 steps.");
  });
});

describe("automationPurpose", () => {
  it("marks marketing and transactional automations", () => {
    expect(automationPurpose("order_confirmation")).toBe("transactional");
    expect(automationPurpose("shipping_updates")).toBe("transactional");
    expect(automationPurpose("care_instructions")).toBe("transactional");
    expect(automationPurpose("merchant_alert")).toBe("transactional");
    expect(automationPurpose("cart_recovery")).toBe("marketing");
    expect(automationPurpose("satisfaction_survey")).toBe("marketing");
    expect(automationPurpose("review_request")).toBe("marketing");
    expect(automationPurpose("review_request", { reviewRequests: "transactional" })).toBe("transactional");
  });

  it("writes durations the way merchants read them", () => {
    expect([1, 45, 60, 90, 1440, 10080].map(duration)).toEqual(["1 minute", "45 minutes", "1 h", "1 h 30 min", "1 day", "7 days"]);
  });
});
