// Planning: which messages a store event calls for, and when. Pure: the caller passes the event,
// the shop's automations and the facts (time, policy); the result is a list of planned messages
// the scheduler writes (one Message row per idempotency key) plus, for the activity log, the
// automations that chose not to send and why.
//
// Consent, quiet hours and caps are NOT decided here: they are re-checked when each message is
// due (a shopper can unsubscribe between now and then). `chooseChannel` picks the channel then.
import type { CanSend, ConsentPolicySettings, Purpose } from "../consent/consent-policy";
import type { Channel } from "../ports";
import {
  AUTOMATION_RULES,
  automationPurpose,
  duration,
  stepAnchor,
  type Anchor,
  type AutomationDefinition,
  type AutomationStep,
  type AutomationType,
  type CartRecoveryDiscount,
  type MessageType,
} from "./definitions";

// ————— Input: the facts planning needs, nothing more —————

export type LineItemFacts = { productId: string | null; productTags: string[] };

export type OrderFacts = {
  /** Shopify order id (a string: Shopify ids exceed 2^53). */
  id: string;
  name?: string;
  /** Decimal string in the shop's currency, e.g. "49.90". */
  totalPrice: string;
  tags: string[];
  customerTags: string[];
  lineItems: LineItemFacts[];
  placedAt: Date;
  cancelledAt?: Date | null;
};

export type CheckoutFacts = {
  /** Checkouts are keyed by token (they have no id in API 2026-04). */
  token: string;
  totalPrice: string;
  customerTags: string[];
  lineItems: LineItemFacts[];
  /** The checkout's last update: the recovery clock starts here and restarts on activity. */
  lastActivityAt: Date;
  completedAt?: Date | null;
};

export type FulfillmentFacts = { id: string; createdAt: Date };

/** Shopify's fulfilment shipment_status values (null until the carrier reports). */
export type ShipmentStatus =
  | "label_printed" | "label_purchased" | "confirmed" | "in_transit" | "out_for_delivery"
  | "attempted_delivery" | "ready_for_pickup" | "delivered" | "failure";

export type Trigger =
  | { kind: "order_created"; order: OrderFacts }
  | { kind: "checkout_abandoned"; checkout: CheckoutFacts }
  /** A fulfilment was created or its carrier status changed; `changedAt` is when (fulfilment updated_at). */
  | { kind: "fulfillment_changed"; order: OrderFacts; fulfillment: FulfillmentFacts; shipmentStatus: ShipmentStatus | string | null; changedAt: Date }
  | { kind: "order_delivered"; order: OrderFacts; deliveredAt: Date }
  | { kind: "contact_request"; request: { id: string; receivedAt: Date } };

export type PlanningFacts = {
  now: Date;
  consentPolicy?: Partial<ConsentPolicySettings> | null;
};

// ————— Output —————

/** What the dispatcher must re-check when the message is due; if true, the message is cancelled. */
export type CancelCondition = "checkout_completed" | "order_cancelled" | "review_submitted";

/**
 * What the scheduler does when a message with the same idempotency key already exists and is
 * still pending: keep it, move it to this plan's runAt (cart recovery: the shopper came back),
 * or move it only if this plan is earlier (a delivery brings forward a fulfilment-based fallback).
 */
export type WhenAlreadyScheduled = "keep" | "update_run_at" | "keep_earlier";

export type PlannedMessage = {
  automation: AutomationType;
  step: number;
  messageType: MessageType;
  /** In order of preference; the dispatcher uses the first that can be used (chooseChannel). */
  channels: Channel[];
  purpose: Purpose;
  audience: "shopper" | "merchant";
  runAt: Date;
  /** The idempotency subject: checkout token, order id, or fulfilment id + status. */
  subject: string;
  whenAlreadyScheduled: WhenAlreadyScheduled;
  cancelWhen: CancelCondition[];
  orderId?: string;
  checkoutToken?: string;
  fulfillmentId?: string;
  /** Cart recovery step that carries a discount code. */
  discount?: { percentage: number; expiresInHours: number };
  /** Care instructions: the ordered products carrying the required tag. */
  productIds?: string[];
  /** Merchant alerts: where to send (email null: the store's email). */
  to?: { email: string | null; phone: string | null };
};

export type SkippedPlan = { automation: AutomationType; step?: number; reason: string };

export type Plan = { planned: PlannedMessage[]; skipped: SkippedPlan[] };

/** How late (after its intended time) a message may still go out; later than that it is noise. */
const STALE_AFTER_MINUTES: Record<AutomationType, number> = {
  order_confirmation: 48 * 60,
  shipping_updates: 48 * 60,
  cart_recovery: 48 * 60,
  care_instructions: 30 * 24 * 60,
  review_request: 30 * 24 * 60,
  satisfaction_survey: 14 * 24 * 60,
  merchant_alert: 7 * 24 * 60,
};

export function planMessages(trigger: Trigger, automations: readonly AutomationDefinition[], facts: PlanningFacts): PlannedMessage[] {
  return planMessagesExplained(trigger, automations, facts).planned;
}

/** Like planMessages, and also says which enabled automations did not plan anything, and why. */
export function planMessagesExplained(trigger: Trigger, automations: readonly AutomationDefinition[], facts: PlanningFacts): Plan {
  const plan: Plan = { planned: [], skipped: [] };
  for (const automation of automations) {
    if (!automation.enabled) continue;
    const result = planOne(trigger, automation, facts);
    plan.planned.push(...result.planned);
    plan.skipped.push(...result.skipped);
  }
  return plan;
}

function planOne(trigger: Trigger, automation: AutomationDefinition, facts: PlanningFacts): Plan {
  switch (automation.type) {
    case "order_confirmation":
      if (trigger.kind !== "order_created") return nothing();
      return forOrder(automation, trigger.order, facts, () => ({ anchors: { event: trigger.order.placedAt }, subject: trigger.order.id }));
    case "cart_recovery":
      return trigger.kind === "checkout_abandoned" ? planCartRecovery(automation, trigger.checkout, facts) : nothing();
    case "shipping_updates":
      return trigger.kind === "fulfillment_changed" ? planShippingUpdate(automation, trigger, facts) : nothing();
    case "review_request":
    case "care_instructions":
    case "satisfaction_survey":
      return planAfterDelivery(automation, trigger, facts);
    case "merchant_alert":
      return planMerchantAlert(automation, trigger, facts);
  }
}

// ————— Per automation —————

function planCartRecovery(automation: Extract<AutomationDefinition, { type: "cart_recovery" }>, checkout: CheckoutFacts, facts: PlanningFacts): Plan {
  if (checkout.completedAt) return skipped(automation, "the checkout was completed");
  const refusal = conditionsRefusal(automation, { totalPrice: checkout.totalPrice, tags: checkout.customerTags, lineItems: checkout.lineItems });
  if (refusal) return skipped(automation, refusal.reason);
  const timed = timeSteps(automation, automation.steps, checkout.lastActivityAt, facts.now, "collapse");
  const discount = automation.settings.discount;
  return {
    skipped: timed.skipped,
    planned: timed.steps.map(({ step, runAt }) =>
      message(automation, step, facts, {
        runAt,
        subject: checkout.token,
        checkoutToken: checkout.token,
        whenAlreadyScheduled: "update_run_at",
        cancelWhen: ["checkout_completed"],
        ...(discount && discount.step === step.step ? { discount: discountOf(discount) } : {}),
      }),
    ),
  };
}

/** Shopify shipment statuses → the shipping update they call for. */
export function shippingUpdateFor(shipmentStatus: string | null): MessageType | null {
  switch (shipmentStatus) {
    case null:
    case "confirmed":
    case "label_printed":
    case "label_purchased":
    case "in_transit":
      return "shipping_update"; // one per fulfilment, whichever of these comes first
    case "out_for_delivery":
      return "out_for_delivery";
    case "delivered":
      return "delivered";
    case "attempted_delivery":
    case "failure":
      return "delivery_problem";
    default:
      return null; // ready_for_pickup and future statuses: no message of ours
  }
}

function planShippingUpdate(
  automation: Extract<AutomationDefinition, { type: "shipping_updates" }>,
  trigger: Extract<Trigger, { kind: "fulfillment_changed" }>,
  facts: PlanningFacts,
): Plan {
  const messageType = shippingUpdateFor(trigger.shipmentStatus);
  if (!messageType) return nothing();
  const step = automation.steps.find((candidate) => candidate.messageType === messageType);
  if (!step) return nothing(); // the merchant removed this update
  // A delivery problem can happen twice (attempted, then failed); every other update once.
  const what = messageType === "delivery_problem" ? trigger.shipmentStatus! : messageType;
  return forOrder(automation, trigger.order, facts, () => ({
    anchors: { event: trigger.changedAt },
    subject: `${trigger.fulfillment.id}:${what}`,
    steps: [step],
    fulfillmentId: trigger.fulfillment.id,
  }));
}

/** Review requests, care instructions and surveys: after delivery (or, failing that, fulfilment). */
function planAfterDelivery(
  automation: Extract<AutomationDefinition, { type: "review_request" | "care_instructions" | "satisfaction_survey" }>,
  trigger: Trigger,
  facts: PlanningFacts,
): Plan {
  const moment = deliveryMoment(trigger);
  if (!moment) return nothing();
  const anchor = stepAnchor(automation, automation.steps[0]);
  const fallbackDays = automation.type === "review_request" ? automation.settings.fallbackDaysAfterFulfilment : null;

  let start: Date;
  let whenAlreadyScheduled: WhenAlreadyScheduled = "keep";
  if (anchor === "delivered" && moment.delivered) {
    start = moment.delivered;
    // A fulfilment-based fallback may already be waiting: the delivery brings it forward.
    if (fallbackDays) whenAlreadyScheduled = "keep_earlier";
  } else if (anchor === "fulfilled" && moment.fulfilled) {
    start = moment.fulfilled;
  } else if (anchor === "delivered" && moment.fulfilled && fallbackDays) {
    // No delivery event yet (many carriers never send one): ask fallbackDays after fulfilment,
    // unless a delivery arrives first and brings the request forward.
    start = new Date(moment.fulfilled.getTime() + fallbackDays * DAY_MS - automation.steps[0].delayMinutes * MINUTE_MS);
    whenAlreadyScheduled = "keep_earlier";
  } else {
    return nothing();
  }

  const order = moment.order;
  return forOrder(automation, order, facts, (matched) => ({
    anchors: { [anchor]: start },
    subject: order.id,
    whenAlreadyScheduled,
    cancelWhen: automation.type === "review_request" ? ["order_cancelled", "review_submitted"] : ["order_cancelled"],
    ...(automation.type === "care_instructions" ? { productIds: matched } : {}),
  }));
}

type DeliveryMoment = { order: OrderFacts; delivered?: Date; fulfilled?: Date };

function deliveryMoment(trigger: Trigger): DeliveryMoment | null {
  if (trigger.kind === "order_delivered") return { order: trigger.order, delivered: trigger.deliveredAt };
  if (trigger.kind !== "fulfillment_changed") return null;
  const update = shippingUpdateFor(trigger.shipmentStatus);
  if (update === "delivered") return { order: trigger.order, delivered: trigger.changedAt };
  if (update === "shipping_update") return { order: trigger.order, fulfilled: trigger.fulfillment.createdAt };
  return null;
}

function planMerchantAlert(automation: Extract<AutomationDefinition, { type: "merchant_alert" }>, trigger: Trigger, facts: PlanningFacts): Plan {
  const { notifyOn, email, phone } = automation.settings;
  let subject: string;
  let at: Date;
  if (trigger.kind === "contact_request" && notifyOn.contactRequests) {
    subject = `contact_request:${trigger.request.id}`;
    at = trigger.request.receivedAt;
  } else if (trigger.kind === "fulfillment_changed" && notifyOn.deliveryProblems && shippingUpdateFor(trigger.shipmentStatus) === "delivery_problem") {
    subject = `delivery_problem:${trigger.fulfillment.id}:${trigger.shipmentStatus}`;
    at = trigger.changedAt;
  } else {
    return nothing();
  }
  const timed = timeSteps(automation, automation.steps, at, facts.now, "independent");
  return {
    skipped: timed.skipped,
    planned: timed.steps.map(({ step, runAt }) =>
      message(automation, step, facts, {
        runAt, subject, audience: "merchant", to: { email, phone },
        ...(trigger.kind === "fulfillment_changed" ? { orderId: trigger.order.id, fulfillmentId: trigger.fulfillment.id } : {}),
      }),
    ),
  };
}

// ————— Shared planning for order-based automations —————

type OrderPlanShape = {
  anchors: Partial<Record<Anchor, Date>>;
  subject: string;
  steps?: AutomationStep[];
  whenAlreadyScheduled?: WhenAlreadyScheduled;
  cancelWhen?: CancelCondition[];
  fulfillmentId?: string;
  productIds?: string[];
};

function forOrder(automation: AutomationDefinition, order: OrderFacts, facts: PlanningFacts, shape: (matchedProductIds: string[]) => OrderPlanShape): Plan {
  if (order.cancelledAt) return skipped(automation, `order ${order.name ?? order.id} was cancelled`);
  const refusal = conditionsRefusal(automation, { totalPrice: order.totalPrice, tags: [...order.tags, ...order.customerTags], lineItems: order.lineItems });
  if (refusal) return skipped(automation, refusal.reason);
  const plan = shape(matchedProducts(automation, order.lineItems));
  const steps = plan.steps ?? automation.steps;
  const anchor = stepAnchor(automation, steps[0]);
  const start = plan.anchors[anchor];
  if (!start) return nothing();
  const mode = AUTOMATION_RULES[automation.type].sequential ? "shift" : "independent";
  const timed = timeSteps(automation, steps, start, facts.now, mode);
  return {
    skipped: timed.skipped,
    planned: timed.steps.map(({ step, runAt }) =>
      message(automation, step, facts, {
        runAt,
        subject: plan.subject,
        orderId: order.id,
        whenAlreadyScheduled: plan.whenAlreadyScheduled ?? "keep",
        cancelWhen: plan.cancelWhen ?? [],
        ...(plan.fulfillmentId ? { fulfillmentId: plan.fulfillmentId } : {}),
        ...(plan.productIds ? { productIds: plan.productIds } : {}),
      }),
    ),
  };
}

// ————— Conditions —————

type ConditionFacts = { totalPrice: string; tags: string[]; lineItems: LineItemFacts[] };

/** The first condition the order or checkout fails, in words; null when it qualifies. */
export function conditionsRefusal(automation: AutomationDefinition, subject: ConditionFacts): { reason: string } | null {
  const { minimumOrderValue, excludedTags, requiredProductTag } = automation.conditions;
  if (minimumOrderValue !== undefined && minimumOrderValue > 0) {
    const total = decimal(subject.totalPrice);
    if (total === null) return { reason: `the order total “${subject.totalPrice}” is not a number, so the minimum of ${minimumOrderValue} can't be checked` };
    if (total < minimumOrderValue) return { reason: `the total ${subject.totalPrice} is below the minimum of ${minimumOrderValue}` };
  }
  const tags = new Set(subject.tags.map(normaliseTag));
  const excluded = (excludedTags ?? []).find((tag) => tags.has(normaliseTag(tag)));
  if (excluded) return { reason: `tagged “${excluded}”, which this automation excludes` };
  if (requiredProductTag && matchedProducts(automation, subject.lineItems).length === 0) {
    return { reason: `no product is tagged “${requiredProductTag}”` };
  }
  return null;
}

/** The ordered products carrying the automation's required product tag (none when no tag is required). */
function matchedProducts(automation: AutomationDefinition, lineItems: LineItemFacts[]): string[] {
  const required = automation.conditions.requiredProductTag;
  if (!required) return [];
  const wanted = normaliseTag(required);
  const ids = lineItems
    .filter((item) => item.productTags.some((tag) => normaliseTag(tag) === wanted))
    .map((item) => item.productId)
    .filter((id): id is string => id !== null);
  return [...new Set(ids)];
}

/** Shopify tags compare case-insensitively and are trimmed. */
function normaliseTag(tag: string): string {
  return tag.trim().toLowerCase();
}

/** "49.90" → 49.9; rejects anything that is not a plain decimal. */
function decimal(text: string): number | null {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : null;
}

// ————— Timing —————

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Each step's runAt from the anchor and its delay, allowing for events that arrive late:
 *  - independent: each step on its own; an overdue step goes now.
 *  - shift (a request and its reminders): if the first step is overdue, the whole sequence moves
 *    by that lateness, so a reminder never arrives without (or together with) its request.
 *  - collapse (cart recovery): of the steps already overdue only the latest goes, now; three
 *    recovery messages at once would be spam.
 * A step more than STALE_AFTER_MINUTES late is dropped.
 */
function timeSteps(
  automation: AutomationDefinition,
  steps: AutomationStep[],
  anchorAt: Date,
  now: Date,
  mode: "independent" | "shift" | "collapse",
): { steps: Array<{ step: AutomationStep; runAt: Date }>; skipped: SkippedPlan[] } {
  const staleMs = STALE_AFTER_MINUTES[automation.type] * MINUTE_MS;
  const due = (step: AutomationStep) => anchorAt.getTime() + step.delayMinutes * MINUTE_MS;
  const skippedSteps: SkippedPlan[] = [];
  const tooLate = (step: AutomationStep, lateMs: number) =>
    skippedSteps.push({ automation: automation.type, step: step.step, reason: `the event arrived ${duration(Math.round(lateMs / MINUTE_MS))} after this message was due` });

  if (mode === "shift") {
    const lateMs = Math.max(0, now.getTime() - due(steps[0]));
    if (lateMs > staleMs) {
      steps.forEach((step) => tooLate(step, lateMs));
      return { steps: [], skipped: skippedSteps };
    }
    return { steps: steps.map((step) => ({ step, runAt: new Date(due(step) + lateMs) })), skipped: [] };
  }

  const overdue = steps.filter((step) => due(step) <= now.getTime());
  const timed: Array<{ step: AutomationStep; runAt: Date }> = [];
  for (const step of steps) {
    const lateMs = now.getTime() - due(step);
    if (lateMs <= 0) {
      timed.push({ step, runAt: new Date(due(step)) });
    } else if (mode === "collapse" && step !== overdue[overdue.length - 1]) {
      skippedSteps.push({ automation: automation.type, step: step.step, reason: `step ${overdue[overdue.length - 1].step} is already due, so this earlier step is not sent` });
    } else if (lateMs > staleMs) {
      tooLate(step, lateMs);
    } else {
      timed.push({ step, runAt: now });
    }
  }
  return { steps: timed, skipped: skippedSteps };
}

// ————— Building messages —————

function message(
  automation: AutomationDefinition,
  step: AutomationStep,
  facts: PlanningFacts,
  fields: Partial<PlannedMessage> & { runAt: Date; subject: string },
): PlannedMessage {
  return {
    automation: automation.type,
    step: step.step,
    messageType: step.messageType,
    channels: [...step.channels],
    purpose: automationPurpose(automation.type, facts.consentPolicy),
    audience: "shopper",
    whenAlreadyScheduled: "keep",
    cancelWhen: [],
    ...fields,
  };
}

function discountOf(discount: CartRecoveryDiscount): { percentage: number; expiresInHours: number } {
  return { percentage: discount.percentage, expiresInHours: discount.expiresInHours };
}

function nothing(): Plan {
  return { planned: [], skipped: [] };
}

function skipped(automation: AutomationDefinition, reason: string): Plan {
  return { planned: [], skipped: [{ automation: automation.type, reason }] };
}

// ————— Channel choice at send time —————

export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** WhatsApp's customer-service window: free-form messages only within 24 h of the shopper's last message. */
export function isWhatsappWindowOpen(lastInboundAt: Date | null | undefined, now: Date): boolean {
  if (!lastInboundAt) return false;
  const elapsed = now.getTime() - lastInboundAt.getTime();
  return elapsed >= 0 && elapsed < WHATSAPP_WINDOW_MS;
}

export type ChooseChannelInput = {
  channels: readonly Channel[];
  contact: { email?: string | null; phone?: string | null };
  /** canSend for this contact, purpose and channel (consent, suppression, STOP). */
  consentFor: (channel: Channel) => CanSend;
  whatsappWindowOpen: boolean;
  /** An approved WhatsApp (Twilio Content) template exists for this message and locale. */
  whatsappTemplateAvailable: boolean;
};

export type ChannelChoice =
  | { channel: Channel; whatsapp?: "free_form" | "template" }
  | { none: string };

/**
 * The first channel in the step's order of preference that can be used. WhatsApp needs the
 * 24-hour window for free-form text; outside it, only an approved template may be sent (Twilio
 * error 63016 otherwise). Quiet hours and caps defer rather than switch channel, so they are not here.
 */
export function chooseChannel(input: ChooseChannelInput): ChannelChoice {
  const refusals: string[] = [];
  for (const channel of input.channels) {
    const name = CHANNEL_NAMES[channel];
    const address = channel === "email" ? input.contact.email : input.contact.phone;
    if (!address?.trim()) {
      refusals.push(`${name}: no ${channel === "email" ? "email address" : "phone number"} on the contact`);
      continue;
    }
    const consent = input.consentFor(channel);
    if (!consent.allowed) {
      refusals.push(`${name}: ${consent.reason}`);
      continue;
    }
    if (channel === "whatsapp") {
      if (input.whatsappWindowOpen) return { channel, whatsapp: "free_form" };
      if (input.whatsappTemplateAvailable) return { channel, whatsapp: "template" };
      refusals.push(`${name}: the shopper has not written in the last 24 hours and there is no approved WhatsApp template for this message`);
      continue;
    }
    return { channel };
  }
  if (input.channels.length === 0) return { none: "The step has no channel." };
  return { none: `No channel can be used. ${refusals.map((refusal) => (/[.!]$/.test(refusal) ? refusal : `${refusal}.`)).join(" ")}` };
}

const CHANNEL_NAMES: Record<Channel, string> = { email: "Email", sms: "SMS", whatsapp: "WhatsApp" };
