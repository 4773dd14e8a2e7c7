// When a new review goes live, and how a merchant moderates it afterwards.
//
// The FTC's rule on consumer reviews (16 CFR Part 465, in force since October 2024) forbids
// representing the reviews shown as all or most of those submitted while some are held back
// because of their rating or sentiment. So the publish decision never sees the rating or the
// text: `initialReviewStatus` takes only the rule and whether the buyer is verified. Merchants
// may still hold back a review for reasons that have nothing to do with its opinion (spam,
// abuse, unrelated to the product); that is done one review at a time, by a person, below.
import { z } from "zod";

export const PUBLISH_RULES = ["manual", "all", "verified"] as const;
export type PublishRule = (typeof PUBLISH_RULES)[number];

/**
 * Default 'verified': reviews from proven buyers (review-request link or a logged-in customer
 * with a kept order) appear at once, whatever they say, so the widget fills up without the
 * merchant hand-picking — hand-picking is where suppression by sentiment creeps in. Anonymous
 * web reviews, where spam and competitor attacks come from, wait for a look. 'manual' as the
 * default would leave every review, bad ones first, waiting on a merchant who may never come.
 */
export const DEFAULT_PUBLISH_RULE: PublishRule = "verified";

/** The setting as stored in ShopSettings.reviews.autoPublish. */
export const reviewPublishRuleSchema = z.enum(PUBLISH_RULES).default(DEFAULT_PUBLISH_RULE);

/** A stored rule, or the default when missing or unknown (an older or damaged setting). */
export function parsePublishRule(value: unknown): PublishRule {
  const parsed = reviewPublishRuleSchema.safeParse(value ?? undefined);
  return parsed.success ? parsed.data : DEFAULT_PUBLISH_RULE;
}

export const REVIEW_STATUSES = ["pending", "published", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export function isReviewStatus(value: string): value is ReviewStatus {
  return (REVIEW_STATUSES as readonly string[]).includes(value);
}

/** What the publish rule may know about a new review. Deliberately no rating and no text. */
export type PublishFacts = { verified: boolean };

export function initialReviewStatus(rule: PublishRule, facts: PublishFacts): "pending" | "published" {
  switch (rule) {
    case "all":
      return "published";
    case "verified":
      return facts.verified ? "published" : "pending";
    case "manual":
      return "pending";
  }
}

// ---------------------------------------------------------------------- moderation

export const MODERATION_ACTIONS = ["publish", "reject", "restore"] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
export const moderationActionSchema = z.enum(MODERATION_ACTIONS);

const TRANSITIONS: Record<ReviewStatus, Partial<Record<ModerationAction, ReviewStatus>>> = {
  pending: { publish: "published", reject: "rejected" },
  // Taking a review down, or back to the queue to look again.
  published: { reject: "rejected", restore: "pending" },
  // A rejection can be undone: straight to published, or back to the queue.
  rejected: { publish: "published", restore: "pending" },
};

/** Why a moderation is refused, for the admin to word in the merchant's language. */
export const MODERATION_REFUSALS = ["unknown_action", "unknown_status", "not_allowed"] as const;
export type ModerationRefusal = (typeof MODERATION_REFUSALS)[number];

export type ModerationResult =
  | {
      ok: true;
      from: ReviewStatus;
      to: ReviewStatus;
      /** Published reviews changed: rebuild the product's snapshot and rating metafields. */
      affectsStorefront: boolean;
    }
  | {
      ok: false;
      reason: ModerationRefusal;
      /** unknown_status: { status }; unknown_action: { action }; not_allowed: { from, to } (the review is at `to` already). */
      params: Record<string, string>;
      /** What is wrong, in English (logs, tests). */
      error: string;
    };

export function moderationTransition(from: string, action: string): ModerationResult {
  if (!isReviewStatus(from)) return { ok: false, reason: "unknown_status", params: { status: from }, error: `"${from}" is not a review status.` };
  const parsedAction = moderationActionSchema.safeParse(action);
  if (!parsedAction.success) {
    return { ok: false, reason: "unknown_action", params: { action }, error: `"${action}" is not a moderation action (publish, reject or restore).` };
  }
  const to = TRANSITIONS[from][parsedAction.data];
  if (!to) {
    return { ok: false, reason: "not_allowed", params: { from, to: ACTION_TARGET[parsedAction.data] }, error: `A ${from} review cannot be sent to ${ACTION_TARGET[parsedAction.data]}: it is there already.` };
  }
  return { ok: true, from, to, affectsStorefront: from === "published" || to === "published" };
}

const ACTION_TARGET: Record<ModerationAction, ReviewStatus> = { publish: "published", reject: "rejected", restore: "pending" };

/** The actions a merchant can take on a review in this status (for the admin's buttons). */
export function moderationActions(status: ReviewStatus): ModerationAction[] {
  return MODERATION_ACTIONS.filter((action) => TRANSITIONS[status][action] !== undefined);
}
