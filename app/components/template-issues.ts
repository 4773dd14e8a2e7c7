// Template validation issues in the merchant's language. The validator writes English sentences
// with structure beside them (code, line, variable name, suggestion); the structured ones are
// worded here from that structure, the rest keep the validator's explanation after a localized
// "Line N:".
import type { TemplateIssue } from "~/domain/templating/validate-template";
import type { AdminLocale, Translate } from "~/i18n";

/** The editor's fields: subject, the body (MJML or message text) and an email's plain-text part. */
export type TemplateField = "subject" | "source" | "text";

export function fieldOfIssue(issue: TemplateIssue, channel: string): TemplateField {
  if (issue.part === "subject") return "subject";
  if (issue.part === "html") return "source";
  return channel === "email" ? "text" : "source";
}

export function issueMessage(issue: TemplateIssue, locale: AdminLocale, t: Translate, messageLabel: string): string {
  if (locale === "en") return issue.message;
  const detail = issue.message.replace(/^Line \d+: /, "");
  const line = issue.line;
  switch (issue.code) {
    case "unknown_variable": {
      const suggestion = issue.suggestion ? ` ${t("templates.issue.didYouMean", { suggestion: issue.suggestion })}` : "";
      if (/is not a list/.test(issue.message)) break;
      if (/is not available in/.test(issue.message)) return t("templates.issue.unavailableVariable", { line, name: issue.name, message: messageLabel }) + suggestion;
      return t("templates.issue.unknownVariable", { line, name: issue.name, message: messageLabel }) + suggestion;
    }
    case "unsupported_tag":
      return t("templates.issue.unsupportedTag", { line, name: issue.name });
    case "missing_part":
      return t(issue.part === "subject" ? "templates.issue.missingSubject" : issue.part === "html" ? "templates.issue.missingBody" : "templates.issue.empty");
    case "too_long":
      return issue.segments !== undefined
        ? t("templates.issue.tooLongSms", { segments: issue.segments, characters: issue.characters })
        : t("templates.issue.tooLongWhatsapp", { characters: issue.characters });
  }
  return t("templates.issue.atLine", { line, detail });
}
