import { describe, expect, it } from "vitest";
import { defaultAutomations, type AutomationDefinition } from "../../../app/domain/automations/definitions";
import {
  chooseChannel,
  isWhatsappWindowOpen,
  planMessages,
  planMessagesExplained,
  shippingUpdateFor,
  type CheckoutFacts,
  type OrderFacts,
  type Trigger,
} from "../../../app/domain/automations/evaluate";
import type { CanSend } from "../../../app/domain/consent/consent-policy";
import type { Channel } from "../../../app/domain/ports";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T = new Date("2026-03-10T15:00:00Z");
const plus = (ms: number, from = T) => new Date(from.getTime() + ms);

/** Every default automation, all switched on. */
function automations(edit?: (all: Record<string, any>) => void): AutomationDefinition[] {
  const all = defaultAutomations().map((automation) => ({ ...automation, enabled: true }));
  if (edit) edit(Object.fromEntries(all.map((automation) => [automation.type, automation])));
  return all;
}

const order = (overrides: Partial<OrderFacts> = {}): OrderFacts => ({
  id: "5500000000000000001", // beyond 2^53: a string end to end
  name: "#1001",
  totalPrice: "64.00",
  tags: [],
  customerTags: [],
  lineItems: [
    { productId: "801", productTags: ["candle", "Care-Guide"] },
    { productId: "802", productTags: ["gift"] },
  ],
  placedAt: T,
  ...overrides,
});

const checkout = (overrides: Partial<CheckoutFacts> = {}): CheckoutFacts => ({
  token: "c0ffee42",
  totalPrice: "64.00",
  customerTags: [],
  lineItems: [{ productId: "801", productTags: [] }],
  lastActivityAt: T,
  ...overrides,
});

const fulfillmentChanged = (shipmentStatus: string | null, changedAt = plus(DAY)): Trigger => ({
  kind: "fulfillment_changed",
  order: order(),
  fulfillment: { id: "4400000000000000007", createdAt: plus(DAY) },
  shipmentStatus,
  changedAt,
});

const summary = (trigger: Trigger, now: Date, all = automations()) =>
  planMessages(trigger, all, { now }).map((m) => ({ automation: m.automation, step: m.step, messageType: m.messageType, runAt: m.runAt.toISOString(), subject: m.subject }));

describe("planMessages: order confirmation", () => {
  it("plans the confirmation at once, by SMS then WhatsApp, transactional", () => {
    expect(planMessages({ kind: "order_created", order: order() }, automations(), { now: plus(MINUTE) })).toEqual([
      {
        automation: "order_confirmation",
        step: 1,
        messageType: "order_confirmation",
        channels: ["sms", "whatsapp"],
        purpose: "transactional",
        audience: "shopper",
        runAt: plus(MINUTE),
        subject: "5500000000000000001",
        orderId: "5500000000000000001",
        whenAlreadyScheduled: "keep",
        cancelWhen: [],
      },
    ]);
  });

  it("plans nothing for disabled automations", () => {
    expect(planMessages({ kind: "order_created", order: order() }, defaultAutomations().map((a) => ({ ...a, enabled: false })), { now: T })).toEqual([]);
  });

  it("skips a cancelled order, and one that arrives more than 48 h late", () => {
    expect(planMessagesExplained({ kind: "order_created", order: order({ cancelledAt: T }) }, automations(), { now: T })).toEqual({
      planned: [],
      skipped: [{ automation: "order_confirmation", reason: "order #1001 was cancelled" }],
    });
    expect(planMessagesExplained({ kind: "order_created", order: order() }, automations(), { now: plus(3 * DAY) }).skipped).toEqual([
      { automation: "order_confirmation", step: 1, reason: "the event arrived 3 days after this message was due" },
    ]);
  });
});

describe("planMessages: conditions", () => {
  const withConditions = (conditions: object) => automations((all) => (all.order_confirmation.conditions = conditions));
  const explain = (facts: Partial<OrderFacts>, conditions: object) =>
    planMessagesExplained({ kind: "order_created", order: order(facts) }, withConditions(conditions), { now: T });

  it("minimum order value compares the decimal total", () => {
    expect(explain({ totalPrice: "49.99" }, { minimumOrderValue: 50 }).skipped).toEqual([
      { automation: "order_confirmation", reason: "the total 49.99 is below the minimum of 50" },
    ]);
    expect(explain({ totalPrice: "50.00" }, { minimumOrderValue: 50 }).planned).toHaveLength(1);
    expect(explain({ totalPrice: "n/a" }, { minimumOrderValue: 50 }).skipped[0].reason).toMatch(/is not a number/);
  });

  it("excluded tags match order and customer tags, ignoring case", () => {
    expect(explain({ customerTags: ["Wholesale"] }, { excludedTags: ["wholesale"] }).skipped).toEqual([
      { automation: "order_confirmation", reason: "tagged “wholesale”, which this automation excludes" },
    ]);
    expect(explain({ tags: ["no-sms"] }, { excludedTags: ["No-SMS"] }).planned).toEqual([]);
    expect(explain({ tags: ["vip"] }, { excludedTags: ["wholesale"] }).planned).toHaveLength(1);
  });

  it("a required product tag needs one ordered product carrying it", () => {
    expect(explain({ lineItems: [{ productId: "9", productTags: ["mug"] }] }, { requiredProductTag: "care-guide" }).skipped).toEqual([
      { automation: "order_confirmation", reason: "no product is tagged “care-guide”" },
    ]);
    expect(explain({}, { requiredProductTag: "care-guide" }).planned).toHaveLength(1);
  });
});

describe("planMessages: cart recovery", () => {
  it("plans the three steps from the checkout's last activity, the discount on step 3", () => {
    const planned = planMessages({ kind: "checkout_abandoned", checkout: checkout() }, automations(), { now: plus(MINUTE) });
    expect(planned.map((m) => [m.step, m.channels, m.runAt.toISOString(), m.discount])).toEqual([
      [1, ["email"], "2026-03-10T16:00:00.000Z", undefined],
      [2, ["sms"], "2026-03-10T21:00:00.000Z", undefined],
      [3, ["email"], "2026-03-11T15:00:00.000Z", { percentage: 10, expiresInHours: 48 }],
    ]);
    expect(planned.map((m) => m.messageType)).toEqual(["cart_recovery", "cart_recovery", "cart_recovery_discount"]);
    for (const message of planned) {
      expect(message).toMatchObject({
        automation: "cart_recovery",
        purpose: "marketing",
        subject: "c0ffee42",
        checkoutToken: "c0ffee42",
        whenAlreadyScheduled: "update_run_at",
        cancelWhen: ["checkout_completed"],
      });
    }
  });

  it("plans nothing for a completed checkout", () => {
    expect(planMessagesExplained({ kind: "checkout_abandoned", checkout: checkout({ completedAt: plus(HOUR) }) }, automations(), { now: T })).toEqual({
      planned: [],
      skipped: [{ automation: "cart_recovery", reason: "the checkout was completed" }],
    });
  });

  it("when the event arrives late, sends only the latest overdue step, now", () => {
    const now = plus(7 * HOUR);
    const plan = planMessagesExplained({ kind: "checkout_abandoned", checkout: checkout() }, automations(), { now });
    expect(plan.planned.map((m) => [m.step, m.runAt.toISOString()])).toEqual([
      [2, now.toISOString()],
      [3, "2026-03-11T15:00:00.000Z"],
    ]);
    expect(plan.skipped).toEqual([{ automation: "cart_recovery", step: 1, reason: "step 2 is already due, so this earlier step is not sent" }]);
  });

  it("drops recovery more than 48 h overdue", () => {
    const plan = planMessagesExplained({ kind: "checkout_abandoned", checkout: checkout() }, automations(), { now: plus(4 * DAY) });
    expect(plan.planned).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      "step 3 is already due, so this earlier step is not sent",
      "step 3 is already due, so this earlier step is not sent",
      "the event arrived 3 days after this message was due",
    ]);
  });
});

describe("planMessages: shipping updates and what follows delivery", () => {
  it("maps Shopify's shipment statuses", () => {
    expect([null, "confirmed", "label_printed", "in_transit", "out_for_delivery", "delivered", "attempted_delivery", "failure", "ready_for_pickup"].map(shippingUpdateFor)).toEqual([
      "shipping_update", "shipping_update", "shipping_update", "shipping_update",
      "out_for_delivery", "delivered", "delivery_problem", "delivery_problem", null,
    ]);
  });

  it("a new fulfilment: the shipping confirmation now, and the review request's fallback 14 days later", () => {
    const planned = planMessages(fulfillmentChanged(null), automations(), { now: plus(DAY + MINUTE) });
    expect(planned.map((m) => [m.automation, m.step, m.messageType, m.runAt.toISOString(), m.subject, m.whenAlreadyScheduled])).toEqual([
      ["shipping_updates", 1, "shipping_update", plus(DAY + MINUTE).toISOString(), "4400000000000000007:shipping_update", "keep"],
      ["review_request", 1, "review_request", plus(15 * DAY).toISOString(), "5500000000000000001", "keep_earlier"],
      ["review_request", 2, "review_reminder", plus(20 * DAY).toISOString(), "5500000000000000001", "keep_earlier"],
    ]);
    expect(planned[0]).toMatchObject({ channels: ["email", "sms"], purpose: "transactional", fulfillmentId: "4400000000000000007", orderId: "5500000000000000001" });
    expect(planned[1]).toMatchObject({ purpose: "marketing", cancelWhen: ["order_cancelled", "review_submitted"] });
  });

  it("in_transit after the confirmation plans the same (idempotent) shipping confirmation", () => {
    const first = planMessages(fulfillmentChanged(null), automations(), { now: plus(DAY) })[0];
    const again = planMessages(fulfillmentChanged("in_transit", plus(2 * DAY)), automations(), { now: plus(2 * DAY) })[0];
    expect([again.automation, again.step, again.subject]).toEqual([first.automation, first.step, first.subject]);
  });

  it("without a delivery fallback, shipping plans no review request", () => {
    const noFallback = automations((all) => (all.review_request.settings.fallbackDaysAfterFulfilment = null));
    expect(summary(fulfillmentChanged("in_transit"), plus(DAY), noFallback).map((m) => m.automation)).toEqual(["shipping_updates"]);
  });

  it("out for delivery", () => {
    expect(summary(fulfillmentChanged("out_for_delivery", plus(3 * DAY)), plus(3 * DAY))).toEqual([
      { automation: "shipping_updates", step: 2, messageType: "out_for_delivery", runAt: plus(3 * DAY).toISOString(), subject: "4400000000000000007:out_for_delivery" },
    ]);
  });

  it("delivered: the update, then review (7 d, reminder 12 d), care guide (3 d) and survey (2 d) from the delivery", () => {
    const deliveredAt = plus(4 * DAY);
    const planned = planMessages(fulfillmentChanged("delivered", deliveredAt), automations(), { now: deliveredAt });
    expect(planned.map((m) => [m.automation, m.step, m.runAt.toISOString()])).toEqual([
      ["shipping_updates", 3, deliveredAt.toISOString()],
      ["care_instructions", 1, plus(3 * DAY, deliveredAt).toISOString()],
      ["review_request", 1, plus(7 * DAY, deliveredAt).toISOString()],
      ["review_request", 2, plus(12 * DAY, deliveredAt).toISOString()],
      ["satisfaction_survey", 1, plus(2 * DAY, deliveredAt).toISOString()],
    ]);
    expect(planned.find((m) => m.automation === "care_instructions")).toMatchObject({ productIds: ["801"], purpose: "transactional", subject: "5500000000000000001" });
    expect(planned.find((m) => m.automation === "satisfaction_survey")).toMatchObject({ purpose: "marketing" });
    // The delivery brings forward a fallback scheduled at fulfilment (+14 d): keep the earlier.
    expect(planned.find((m) => m.automation === "review_request")?.whenAlreadyScheduled).toBe("keep_earlier");
  });

  it("order_delivered plans the same follow-ups as a delivered fulfilment (but no shipping update)", () => {
    const deliveredAt = plus(4 * DAY);
    expect(summary({ kind: "order_delivered", order: order(), deliveredAt }, deliveredAt).map((m) => `${m.automation}:${m.step}`)).toEqual([
      "care_instructions:1", "review_request:1", "review_request:2", "satisfaction_survey:1",
    ]);
  });

  it("care instructions skip orders without a tagged product", () => {
    const plan = planMessagesExplained({ kind: "order_delivered", order: order({ lineItems: [{ productId: "9", productTags: [] }]}), deliveredAt: T }, automations(), { now: T });
    expect(plan.skipped).toEqual([{ automation: "care_instructions", reason: "no product is tagged “care-guide”" }]);
  });

  it("a late delivery event shifts the request and its reminder together", () => {
    const deliveredAt = T;
    const now = plus(10 * DAY);
    expect(summary({ kind: "order_delivered", order: order(), deliveredAt }, now).filter((m) => m.automation === "review_request").map((m) => m.runAt)).toEqual([
      now.toISOString(),
      plus(5 * DAY, now).toISOString(),
    ]);
    const plan = planMessagesExplained({ kind: "order_delivered", order: order(), deliveredAt }, automations(), { now: plus(40 * DAY) });
    expect(plan.skipped.filter((s) => s.automation === "review_request")).toEqual([
      { automation: "review_request", step: 1, reason: "the event arrived 33 days after this message was due" },
      { automation: "review_request", step: 2, reason: "the event arrived 33 days after this message was due" },
    ]);
  });

  it("review requests are transactional when the merchant's policy says so", () => {
    const planned = planMessages({ kind: "order_delivered", order: order(), deliveredAt: T }, automations(), { now: T, consentPolicy: { reviewRequests: "transactional" } });
    expect(planned.find((m) => m.automation === "review_request")?.purpose).toBe("transactional");
  });

  it("a delivery problem tells the shopper and alerts the merchant", () => {
    const planned = planMessages(fulfillmentChanged("attempted_delivery", plus(3 * DAY)), automations(), { now: plus(3 * DAY) });
    expect(planned.map((m) => [m.automation, m.messageType, m.subject, m.audience])).toEqual([
      ["shipping_updates", "delivery_problem", "4400000000000000007:attempted_delivery", "shopper"],
      ["merchant_alert", "merchant_alert", "delivery_problem:4400000000000000007:attempted_delivery", "merchant"],
    ]);
    // A later failure of the same parcel is a new problem.
    expect(planMessages(fulfillmentChanged("failure", plus(4 * DAY)), automations(), { now: plus(4 * DAY) })[0].subject).toBe("4400000000000000007:failure");
  });

  it("ignores statuses we have no message for, and updates the merchant removed", () => {
    expect(planMessages(fulfillmentChanged("ready_for_pickup"), automations(), { now: plus(DAY) })).toEqual([]);
    const withoutOutForDelivery = automations((all) => {
      all.shipping_updates.steps = all.shipping_updates.steps.filter((s: { messageType: string }) => s.messageType !== "out_for_delivery");
    });
    expect(planMessages(fulfillmentChanged("out_for_delivery"), withoutOutForDelivery, { now: plus(DAY) })).toEqual([]);
  });
});

describe("planMessages: merchant alerts", () => {
  it("a contact request alerts the merchant by email", () => {
    const receivedAt = T;
    expect(planMessages({ kind: "contact_request", request: { id: "tkt_1", receivedAt } }, automations(), { now: T })).toEqual([
      {
        automation: "merchant_alert",
        step: 1,
        messageType: "merchant_alert",
        channels: ["email"],
        purpose: "transactional",
        audience: "merchant",
        runAt: T,
        subject: "contact_request:tkt_1",
        to: { email: null, phone: null },
        whenAlreadyScheduled: "keep",
        cancelWhen: [],
      },
    ]);
  });

  it("respects what the merchant wants to be alerted about", () => {
    const quiet = automations((all) => (all.merchant_alert.settings.notifyOn = { contactRequests: false, deliveryProblems: false }));
    expect(planMessages({ kind: "contact_request", request: { id: "tkt_1", receivedAt: T } }, quiet, { now: T })).toEqual([]);
    expect(planMessages(fulfillmentChanged("failure"), quiet, { now: plus(DAY) }).map((m) => m.automation)).toEqual(["shipping_updates"]);
  });
});

describe("chooseChannel", () => {
  const allowed: CanSend = { allowed: true };
  const consent = (refused: Partial<Record<Channel, string>> = {}) => (channel: Channel): CanSend =>
    refused[channel] ? { allowed: false, reason: refused[channel]! } : allowed;
  const contact = { email: "ana@example.com", phone: "+34612345678" };
  const base = { contact, consentFor: consent(), whatsappWindowOpen: false, whatsappTemplateAvailable: false };

  it("takes the first usable channel in the step's order", () => {
    expect(chooseChannel({ ...base, channels: ["email", "sms"] })).toEqual({ channel: "email" });
    expect(chooseChannel({ ...base, channels: ["sms", "email"] })).toEqual({ channel: "sms" });
  });

  it("falls back when the contact has no address for a channel", () => {
    expect(chooseChannel({ ...base, contact: { email: null, phone: "+34612345678" }, channels: ["email", "sms"] })).toEqual({ channel: "sms" });
  });

  it("falls back when consent refuses a channel", () => {
    expect(chooseChannel({ ...base, consentFor: consent({ email: "The shopper has not agreed to receive marketing emails." }), channels: ["email", "sms"] })).toEqual({ channel: "sms" });
  });

  it("WhatsApp: free-form inside the 24-hour window, a template outside it, else the next channel", () => {
    expect(chooseChannel({ ...base, channels: ["whatsapp", "sms"], whatsappWindowOpen: true })).toEqual({ channel: "whatsapp", whatsapp: "free_form" });
    expect(chooseChannel({ ...base, channels: ["whatsapp", "sms"], whatsappTemplateAvailable: true })).toEqual({ channel: "whatsapp", whatsapp: "template" });
    expect(chooseChannel({ ...base, channels: ["whatsapp", "sms", "email"] })).toEqual({ channel: "sms" });
    expect(chooseChannel({ ...base, channels: ["whatsapp", "sms", "email"], consentFor: consent({ sms: "The shopper replied STOP." }) })).toEqual({ channel: "email" });
  });

  it("says why no channel can be used", () => {
    expect(
      chooseChannel({
        ...base,
        contact: { email: "", phone: "+34612345678" },
        consentFor: consent({ sms: "The shopper replied STOP to your texts on 2026-03-03. Carriers refuse every SMS to them until they text START." }),
        channels: ["email", "sms", "whatsapp"],
      }),
    ).toEqual({
      none:
        "No channel can be used. Email: no email address on the contact. " +
        "SMS: The shopper replied STOP to your texts on 2026-03-03. Carriers refuse every SMS to them until they text START. " +
        "WhatsApp: the shopper has not written in the last 24 hours and there is no approved WhatsApp template for this message.",
    });
    expect(chooseChannel({ ...base, channels: [] })).toEqual({ none: "The step has no channel." });
  });

  it("the WhatsApp window is open for exactly 24 hours after the shopper's last message", () => {
    const last = new Date("2026-03-10T10:00:00Z");
    expect(isWhatsappWindowOpen(last, new Date(last.getTime() + DAY - 1))).toBe(true);
    expect(isWhatsappWindowOpen(last, new Date(last.getTime() + DAY))).toBe(false);
    expect(isWhatsappWindowOpen(null, last)).toBe(false);
  });
});
