import { describe, expect, it } from "vitest";
import {
  DEFAULT_PUBLISH_RULE,
  MODERATION_ACTIONS,
  PUBLISH_RULES,
  REVIEW_STATUSES,
  initialReviewStatus,
  moderationActions,
  moderationTransition,
  parsePublishRule,
  reviewPublishRuleSchema,
} from "../../../app/domain/reviews/publish-rule";
import { shopSettingsSchema } from "../../../app/domain/settings/shop-settings";

describe("publish rule setting", () => {
  it("defaults to 'verified' and falls back to it for unknown stored values", () => {
    expect(DEFAULT_PUBLISH_RULE).toBe("verified");
    expect(reviewPublishRuleSchema.parse(undefined)).toBe("verified");
    expect(parsePublishRule(undefined)).toBe("verified");
    expect(parsePublishRule(null)).toBe("verified");
    expect(parsePublishRule("four_stars_and_up")).toBe("verified");
    for (const rule of PUBLISH_RULES) expect(parsePublishRule(rule)).toBe(rule);
  });

  it("has no rating-based option (no 'auto-publish 4 stars and up')", () => {
    expect([...PUBLISH_RULES].sort()).toEqual(["all", "manual", "verified"]);
    expect(reviewPublishRuleSchema.safeParse("min_rating_4").success).toBe(false);
  });

  it("is part of the shop's settings, defaulted", () => {
    expect(shopSettingsSchema.parse({}).reviews.autoPublish).toBe("verified");
  });
});

describe("initialReviewStatus", () => {
  it("follows the rule", () => {
    expect(initialReviewStatus("all", { verified: false })).toBe("published");
    expect(initialReviewStatus("all", { verified: true })).toBe("published");
    expect(initialReviewStatus("verified", { verified: true })).toBe("published");
    expect(initialReviewStatus("verified", { verified: false })).toBe("pending");
    expect(initialReviewStatus("manual", { verified: true })).toBe("pending");
    expect(initialReviewStatus("manual", { verified: false })).toBe("pending");
  });

  // FTC 16 CFR Part 465 (2024): reviews may not be held back because of their rating or sentiment.
  it("FTC: a 1-star and a 5-star review get the same status under every rule", () => {
    const base = { title: "x", authorName: "A", authorEmail: "a@example.com" };
    const oneStar = { ...base, rating: 1, body: "Terrible. It broke on day one and support never answered." };
    const fiveStar = { ...base, rating: 5, body: "Perfect, I love it!" };
    for (const rule of PUBLISH_RULES) {
      for (const verified of [true, false]) {
        // Even handed the whole review, the rule cannot see its rating or text: same answer.
        const whole = (review: typeof oneStar) => initialReviewStatus(rule, { ...review, verified } as unknown as { verified: boolean });
        expect(whole(oneStar), `${rule}/${verified}`).toBe(whole(fiveStar));
        expect(initialReviewStatus(rule, { verified })).toBe(whole(oneStar));
      }
    }
    // Two parameters only: the rule and the facts, no place for a rating.
    expect(initialReviewStatus.length).toBe(2);
  });

  it("FTC: the type does not accept a rating", () => {
    // @ts-expect-error the publish decision may not know the rating
    initialReviewStatus("all", { verified: true, rating: 1 });
    // @ts-expect-error nor the review text
    initialReviewStatus("all", { verified: true, body: "bad" });
  });
});

describe("moderationTransition", () => {
  it("allows the moderation moves", () => {
    expect(moderationTransition("pending", "publish")).toEqual({ ok: true, from: "pending", to: "published", affectsStorefront: true });
    expect(moderationTransition("pending", "reject")).toEqual({ ok: true, from: "pending", to: "rejected", affectsStorefront: false });
    expect(moderationTransition("published", "reject")).toEqual({ ok: true, from: "published", to: "rejected", affectsStorefront: true });
    expect(moderationTransition("published", "restore")).toEqual({ ok: true, from: "published", to: "pending", affectsStorefront: true });
    expect(moderationTransition("rejected", "restore")).toEqual({ ok: true, from: "rejected", to: "pending", affectsStorefront: false });
    expect(moderationTransition("rejected", "publish")).toEqual({ ok: true, from: "rejected", to: "published", affectsStorefront: true });
  });

  it("refuses moves to where the review already is", () => {
    for (const [from, action] of [["pending", "restore"], ["published", "publish"], ["rejected", "reject"]] as const) {
      const result = moderationTransition(from, action);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toBe("not_allowed");
        expect(result.params).toEqual({ from, to: from });
        expect(result.error).toMatch(/already/);
      }
    }
  });

  it("refuses unknown actions and statuses with a message", () => {
    expect(moderationTransition("pending", "delete")).toMatchObject({ ok: false, reason: "unknown_action", params: { action: "delete" } });
    expect(moderationTransition("archived", "publish")).toMatchObject({ ok: false, reason: "unknown_status", params: { status: "archived" } });
    expect(moderationTransition("pending", "__proto__")).toMatchObject({ ok: false, reason: "unknown_action" });
  });

  it("lists the actions the admin can offer, consistent with the transitions", () => {
    expect(moderationActions("pending")).toEqual(["publish", "reject"]);
    expect(moderationActions("published")).toEqual(["reject", "restore"]);
    expect(moderationActions("rejected")).toEqual(["publish", "restore"]);
    for (const status of REVIEW_STATUSES) {
      for (const action of MODERATION_ACTIONS) expect(moderationTransition(status, action).ok).toBe(moderationActions(status).includes(action));
    }
  });

  it("can reach every status from pending", () => {
    const reached = new Set<string>(["pending"]);
    const queue: string[] = ["pending"];
    while (queue.length) {
      const from = queue.pop()!;
      for (const action of MODERATION_ACTIONS) {
        const result = moderationTransition(from, action);
        if (result.ok && !reached.has(result.to)) (reached.add(result.to), queue.push(result.to));
      }
    }
    expect([...reached].sort()).toEqual([...REVIEW_STATUSES].sort());
  });
});
