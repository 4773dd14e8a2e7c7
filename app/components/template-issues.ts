// Template validation issues in the merchant's language. The validator writes an English sentence
// beside the structure (code, reason, line, variable name, suggestion, params); the sentence is
// shown as it is in English and worded here from the structure otherwise. What LiquidJS or MJML
// said in their own words (`params.detail`) is kept verbatim, presented as theirs.
import type { SyntaxErrorReason, TemplateIssue, UnknownVariableReason } from "~/domain/templating/validate-template";
import type { AdminLocale, MessageKey, Translate } from "~/i18n";

/** The editor's fields: subject, the body (MJML or message text) and an email's plain-text part. */
export type TemplateField = "subject" | "source" | "text";

export function fieldOfIssue(issue: TemplateIssue, channel: string): TemplateField {
  if (issue.part === "subject") return "subject";
  if (issue.part === "html") return "source";
  return channel === "email" ? "text" : "source";
}

/** The sentence for each kind of syntax error; its params fill it, with `line` beside them. */
export const SYNTAX_ERROR_KEYS: Record<SyntaxErrorReason, MessageKey> = {
  unknown_filter: "templates.issue.unknownFilter",
  output_not_closed: "templates.issue.outputNotClosed",
  tag_not_closed: "templates.issue.tagNotClosed",
  block_not_closed: "templates.issue.blockNotClosed",
  unknown_tag: "templates.issue.unknownTag",
  illegal_tag: "templates.issue.illegalTag",
  liquid: "templates.issue.liquidError",
  not_mjml: "templates.issue.notMjml",
  mj_include: "templates.issue.mjInclude",
  mjml_unreadable: "templates.issue.mjmlUnreadable",
  mjml_invalid: "templates.issue.mjmlInvalid",
  liquid_mangled: "templates.issue.liquidMangled",
};

/** The sentence for each kind of refused variable, and the hint listing what can be used instead. */
export const UNKNOWN_VARIABLE_KEYS: Record<UnknownVariableReason, { sentence: MessageKey; options: MessageKey }> = {
  unknown_root: { sentence: "templates.issue.unknownVariable", options: "templates.issue.rootsHint" },
  unknown_field: { sentence: "templates.issue.unknownVariable", options: "templates.issue.fieldsHint" },
  unavailable_group: { sentence: "templates.issue.unavailableVariable", options: "templates.issue.groupsHint" },
  not_a_list: { sentence: "templates.issue.notAList", options: "templates.issue.listsHint" },
};

/** `a`, `b`, `c`: names as they are written in a template. */
const codeList = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(", ");

export function issueMessage(issue: TemplateIssue, locale: AdminLocale, t: Translate, messageLabel: string): string {
  if (locale === "en") return issue.message;
  return translateIssue(issue, t, messageLabel);
}

/** The issue worded from its structure alone, in the language of `t` (English included, for tests). */
export function translateIssue(issue: TemplateIssue, t: Translate, messageLabel: string): string {
  const line = issue.line;
  switch (issue.code) {
    case "syntax_error": {
      const key = issue.reason ? SYNTAX_ERROR_KEYS[issue.reason] : undefined;
      // An issue made by code that gives no reason: its English sentence after a localized "Line N:".
      if (!key) return t("templates.issue.atLine", { line, detail: issue.message.replace(/^Line \d+: /, "") });
      return t(key, { ...issue.params, line });
    }
    case "unknown_variable": {
      const keys = UNKNOWN_VARIABLE_KEYS[issue.reason];
      let text = t(keys.sentence, { line, name: issue.name, message: messageLabel });
      if (issue.suggestion) text += ` ${t("templates.issue.didYouMean", { suggestion: issue.suggestion })}`;
      if (issue.options?.length) text += ` ${t(keys.options, { names: codeList(issue.options) })}`;
      return text;
    }
    case "unsupported_tag":
      return t("templates.issue.unsupportedTag", { line, name: issue.name });
    case "missing_part":
      return t(issue.part === "subject" ? "templates.issue.missingSubject" : issue.part === "html" ? "templates.issue.missingBody" : "templates.issue.empty");
    case "too_long":
      return issue.segments !== undefined
        ? t("templates.issue.tooLongSms", { segments: issue.segments, characters: issue.characters })
        : t("templates.issue.tooLongWhatsapp", { characters: issue.characters });
    case "render_error":
      return t("templates.issue.renderFailed", { line, detail: issue.params.detail });
    case "unsupported_channel":
      return t("templates.issue.unsupportedChannel", { message: messageLabel, channel: t(`channel.${issue.channel}` as MessageKey) });
  }
}
