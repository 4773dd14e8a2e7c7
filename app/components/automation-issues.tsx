// The automation editor's validation issues in the merchant's language: each issue (path, code,
// params from app/domain/automations/issues.ts) becomes a sentence, is put on the control it is
// about, and is listed in the summary banner ("Step 2: choose at least one channel.").
import { Banner, List } from "@shopify/polaris";
import { controlPath, type AutomationIssueCode, type AutomationIssueParams } from "~/domain/automations/issues";
// Type only: the phone library's metadata stays out of the browser bundle.
import type { PhoneProblem } from "~/domain/contacts/phone";
import type { AdminLocale, MessageKey, Translate } from "~/i18n";
import { formatDelay } from "./automation-summary";

/** An issue as the action returns it (JSON): the English `message` is not used here. */
export type IssueLike = { path: ReadonlyArray<string | number>; code: AutomationIssueCode | string; params?: AutomationIssueParams };

const DAY = 24 * 60;

/** 60 → "1 h", 90 → "1 h 30 min", 1440 → "1 day", 45 → "45 minutes", in the admin's language. */
export function compactDuration(minutes: number, t: Translate, locale: AdminLocale): string {
  if (minutes >= 60 && !(minutes % DAY === 0)) {
    const hours = Math.floor(minutes / 60);
    return minutes % 60 === 0 ? t("automations.errors.hours", { hours }) : t("automations.errors.hoursMinutes", { hours, minutes: minutes % 60 });
  }
  return formatDelay(minutes, locale);
}

const UNIT_MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: DAY };
const minutesOf = (value: unknown, unit: unknown) => Number(value) * (UNIT_MINUTES[String(unit)] ?? 1);

const listOf = (items: string[], locale: AdminLocale, type: "conjunction" | "disjunction") => new Intl.ListFormat(locale, { style: "long", type }).format(items);
const arrayOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The label of the control a field name belongs to, for the generic field_* issues. */
const FIELD_LABELS: Record<string, MessageKey> = {
  enabled: "automations.enabled",
  step: "automations.step",
  delayMinutes: "automations.delay",
  channels: "automations.channels",
  messageType: "automations.message",
  anchor: "automations.anchor",
  minimumOrderValue: "automations.minimumOrderValue",
  excludedTags: "automations.excludedTags",
  requiredProductTag: "automations.requiredProductTag",
  discount: "automations.discount",
  percentage: "automations.discountPercentage",
  expiresInHours: "automations.discountExpires",
  fallbackDaysAfterFulfilment: "automations.fallbackDays",
  email: "automations.alertEmail",
  phone: "automations.alertPhone",
  contactRequests: "automations.alertContact",
  deliveryProblems: "automations.alertDelivery",
};

/**
 * Why a phone number was refused (the `code` of app/domain/contacts/phone.ts normalisePhone),
 * with the country's own sentence when the reason names one ("too short for Spain").
 */
export const PHONE_PROBLEM_KEYS: Record<PhoneProblem, { plain: MessageKey; inCountry?: MessageKey }> = {
  missing: { plain: "phone.problem.missing" },
  not_a_number: { plain: "phone.problem.not_a_number" },
  unknown_country_code: { plain: "phone.problem.unknown_country_code" },
  no_country_code: { plain: "phone.problem.no_country_code" },
  too_short: { plain: "phone.problem.too_short", inCountry: "phone.problem.too_short_in_country" },
  too_long: { plain: "phone.problem.too_long", inCountry: "phone.problem.too_long_in_country" },
  wrong_length: { plain: "phone.problem.wrong_length", inCountry: "phone.problem.wrong_length_in_country" },
  invalid: { plain: "phone.problem.invalid", inCountry: "phone.problem.invalid_in_country" },
};

/** A country's name in the admin's language ("ES" → "España"); the code itself when unknown. */
export function countryLabel(code: string, locale: AdminLocale): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The sentence for a refused phone number, or null for a code this page does not know. */
export function phoneProblemText(problem: unknown, phone: string, country: unknown, t: Translate, locale: AdminLocale): string | null {
  const keys = typeof problem === "string" && Object.hasOwn(PHONE_PROBLEM_KEYS, problem) ? PHONE_PROBLEM_KEYS[problem as PhoneProblem] : null;
  if (!keys) return null;
  if (keys.inCountry && typeof country === "string" && country) return t(keys.inCountry, { phone, country: countryLabel(country, locale) });
  return t(keys.plain, { phone });
}

/** One issue as a sentence in the admin's language, as shown under its control. */
export function issueText(issue: IssueLike, t: Translate, locale: AdminLocale): string {
  const p = issue.params ?? {};
  const key = `automations.errors.${issue.code}` as MessageKey;
  const channel = (name: string) => t(`channel.${name}` as MessageKey);
  const message = (type: string) => t(`messageType.${type}` as MessageKey);
  switch (issue.code) {
    case "delay_too_short":
      return Number(p.min) <= 0 ? t("automations.errors.delay_too_short_zero") : t(key, { min: formatDelay(minutesOf(p.min, p.unit), locale) });
    case "delay_too_long":
      return t(key, { max: formatDelay(minutesOf(p.max, p.unit), locale) });
    case "delay_not_after_previous":
      return t(key, { previous: Number(p.previousStep), delay: compactDuration(Number(p.previousDelayMinutes), t, locale) });
    case "text_delay_too_short":
      return t(key, { channels: listOf(arrayOf(p.channels).map(channel), locale, "conjunction"), min: formatDelay(minutesOf(p.min, p.unit), locale) });
    case "channel_not_allowed":
      return t(key, { channels: listOf(arrayOf(p.channels).map(channel), locale, "conjunction"), allowed: listOf(arrayOf(p.allowed).map(channel), locale, "disjunction") });
    case "message_type_not_allowed":
      return t(key, { message: message(String(p.messageType)), allowed: listOf(arrayOf(p.allowed).map((type) => `“${message(type)}”`), locale, "disjunction") });
    case "message_type_repeated":
      return t(key, { message: message(String(p.messageType)), first: Number(p.firstStep) });
    case "anchor_not_allowed":
      return t(key, { allowed: listOf(arrayOf(p.allowed).map((anchor) => t(`automations.errors.fromAnchor.${anchor}` as MessageKey)), locale, "disjunction") });
    case "alert_phone_invalid":
      // Precise when the server said why (params.problem); the general sentence otherwise.
      return phoneProblemText(p.problem, String(p.phone ?? ""), p.country, t, locale) ?? t(key, { phone: String(p.phone ?? "") });
    case "discount_expiry_out_of_range":
      return t(key, { min: formatDelay(minutesOf(p.min, "hours"), locale), max: formatDelay(minutesOf(p.max, "hours"), locale) });
    case "field_missing":
    case "field_malformed":
    case "field_invalid": {
      const label = FIELD_LABELS[String(p.field)];
      return t(key, { field: label ? t(label, { number: "" }).trim() : t("automations.errors.aValue") });
    }
    default: {
      const values: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(p)) values[name] = Array.isArray(value) ? value.join(", ") : (value as string | number);
      const text = t(key, values);
      // A code this page does not know yet (newer server): say so rather than show a key.
      return text === key ? t("automations.errors.field_invalid", { field: t("automations.errors.aValue") }) : text;
    }
  }
}

/** The step an issue is about (1, 2, …), or null for the whole automation. */
export function issueStep(issue: IssueLike): number | null {
  const [first, index] = issue.path;
  return first === "steps" && typeof index === "number" ? index + 1 : null;
}

/** The summary line: "Step 2: choose at least one channel." or the sentence alone. */
export function issueLine(issue: IssueLike, t: Translate, locale: AdminLocale): string {
  const text = issueText(issue, t, locale);
  const step = issueStep(issue);
  if (step === null) return text;
  // "Choose …" → "choose …", only when the sentence starts with the translation's own word (not
  // a channel name such as "WhatsApp", not an acronym such as "SMS").
  const template = t(`automations.errors.${issue.code}` as MessageKey);
  const lower = /^\p{Lu}(?:\p{Ll}|\s)/u.test(template) && text.charAt(0) === template.charAt(0) ? text.charAt(0).toLocaleLowerCase(locale) + text.slice(1) : text;
  return t("automations.errors.inStep", { step, message: lower });
}

/**
 * The control an issue belongs on: "steps.1.delayMinutes", "steps.1.channels", "steps.1.messageType",
 * "anchor" (one choice for every step), "steps.1" (the step's card), "conditions.excludedTags",
 * "settings.discount.percentage", "settings.phone", … or "" for the banner only.
 */
export function issueControl(issue: IssueLike): string {
  const path = controlPath(issue.path);
  const [first, index, field] = path;
  if (first === "steps" && typeof index === "number") {
    if (field === "anchor") return "anchor";
    if (field === "delayMinutes" || field === "channels" || field === "messageType") return `steps.${index}.${field}`;
    return `steps.${index}`;
  }
  if (first === "steps") return issue.code === "anchors_mixed" ? "anchor" : "steps";
  if (first === "settings" && index === "discount" && field === undefined) return "settings.discount";
  return path.join(".");
}

/** The sentences for each control, without repeats. */
export function issuesByControl(issues: readonly IssueLike[], t: Translate, locale: AdminLocale): Map<string, string[]> {
  const byControl = new Map<string, string[]>();
  for (const issue of issues) {
    const control = issueControl(issue);
    const text = issueText(issue, t, locale);
    const known = byControl.get(control) ?? [];
    if (!known.includes(text)) byControl.set(control, [...known, text]);
  }
  return byControl;
}

/** Every issue, one line each, without repeats: the banner above the form. */
export function issueLines(issues: readonly IssueLike[], t: Translate, locale: AdminLocale): string[] {
  return [...new Set(issues.map((issue) => issueLine(issue, t, locale)))];
}

export function AutomationIssuesBanner({ title, lines }: { title: string; lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <Banner tone="critical" title={title}>
      <span data-testid="automation-errors">
        <List>
          {lines.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      </span>
    </Banner>
  );
}
