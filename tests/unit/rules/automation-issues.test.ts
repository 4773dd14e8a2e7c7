// Validation issues as data: every problem an automation definition can have comes back with the
// path of the value it is about, a stable code and its parameters (what the admin needs to put it
// on the right control in the merchant's language), plus the English sentence kept for logs.
import { describe, expect, it } from "vitest";
import { AUTOMATION_ISSUE_CODES, DEFAULT_AUTOMATIONS, checkAutomation, validateAutomation, type AutomationIssue } from "../../../app/domain/automations/definitions";
import { controlPath } from "../../../app/domain/automations/issues";
import { cases, draft } from "./automation-issue-cases";

const issuesOf = (input: unknown): AutomationIssue[] => {
  const result = checkAutomation(input);
  if (result.ok) throw new Error("expected validation issues");
  return result.error;
};

describe("checkAutomation: issues with path, code and parameters", () => {
  it.each(cases)("%s", (_name, input, expected) => {
    const issues = issuesOf(input);
    expect(issues).toContainEqual({ path: expected.path, code: expected.code, params: expected.params ?? expect.anything(), message: expect.any(String) });
    // The English sentences are the issues', in the same order, as validateAutomation gives them.
    const sentences = validateAutomation(input);
    expect(sentences.ok).toBe(false);
    if (!sentences.ok) expect(sentences.error).toEqual([...new Set(issues.map((issue) => issue.message))]);
  });

  it("covers every code the domain can give (the action adds form_unreadable)", () => {
    const covered = new Set(cases.map(([, , expected]) => expected.code));
    expect(AUTOMATION_ISSUE_CODES.filter((code) => code !== "form_unreadable" && !covered.has(code))).toEqual([]);
  });

  it("keeps the English sentence for logs, naming the step", () => {
    const [issue] = issuesOf(draft("cart_recovery", (a) => (a.steps[1].channels = [])));
    expect(issue).toEqual({ path: ["steps", 1, "channels"], code: "channels_empty", params: {}, message: "Step 2: choose at least one channel." });
    const [phone] = issuesOf(draft("merchant_alert", (a) => (a.settings.phone = "12")));
    expect(phone.message).toMatch(/^Alert phone: “12” has no country code/);
  });

  it("reports one problem once: two empty tags, two unknown channels", () => {
    const tags = issuesOf(draft("cart_recovery", (a) => (a.conditions.excludedTags = [" ", ""])));
    expect(tags.map((issue) => [issue.path, issue.code])).toEqual([[["conditions", "excludedTags", 0], "tag_empty"]]);
    const channels = issuesOf(draft("cart_recovery", (a) => (a.steps[1].channels = ["fax", "pigeon"])));
    expect(channels.map((issue) => issue.code)).toEqual(["channel_unknown"]);
  });

  it("gives every problem of one definition, each on its own value", () => {
    const issues = issuesOf(
      draft("cart_recovery", (a) => {
        a.steps[1].delayMinutes = 10; // before step 1, and too soon for a text
        a.conditions.minimumOrderValue = -5;
        a.settings.discount.percentage = 150;
      }),
    );
    expect(issues.map((issue) => [controlPath(issue.path).join("."), issue.code])).toEqual([
      ["conditions.minimumOrderValue", "minimum_order_value_negative"],
      ["settings.discount.percentage", "discount_percentage_out_of_range"],
      ["steps.1.delayMinutes", "delay_not_after_previous"],
      ["steps.1.delayMinutes", "text_delay_too_short"],
    ]);
  });

  it("passes a valid definition", () => {
    expect(checkAutomation(DEFAULT_AUTOMATIONS.review_request)).toEqual({ ok: true, value: DEFAULT_AUTOMATIONS.review_request });
  });
});
