// Checks a template before it is saved, so a mistake shows up in the editor with its line
// number instead of as a broken or half-empty message to a shopper:
//   - Liquid syntax errors;
//   - variables the message type does not have (a typo, or `order` in a cart recovery),
//     with a suggestion when one is close;
//   - `include` / `render` / `layout`, which templates cannot use (there are no files to include);
//   - a missing subject or body, an SMS over 10 segments or a WhatsApp message over 1,600
//     characters once rendered with sample data.
//
// Variables are found with LiquidJS's static analysis; loop variables are followed back to
// their collection, so `item.title` inside `{% for item in order.items %}` is checked as
// `order.items[].title`.
import {
  ForTag,
  LiquidError,
  TablerowTag,
  TypeGuards,
  Variable,
  analyzeSync,
  toValueSync,
  type Template,
} from "liquidjs";
import { parseTemplatePart, renderPart, type OutputMode } from "./liquid";
import {
  MESSAGE_TYPE_SPECS,
  VARIABLE_GROUPS,
  VARIABLE_PATHS,
  allowedGroups,
  supportsChannel,
  type Channel,
  type MessageType,
  type TemplateContext,
  type TemplateLocale,
  type VariableGroup,
} from "./message-types";
import { previewContext } from "./preview-fixtures";
import { countSmsSegments } from "./sms-segments";

export type TemplatePart = "subject" | "html" | "text";

/** What the merchant edits. For email, `html` is the MJML source (line numbers refer to it). */
export interface TemplateParts {
  subject?: string;
  html?: string;
  text?: string;
}

interface IssueBase {
  part: TemplatePart;
  /** 1-based line in that part (1 for issues about the whole part). */
  line: number;
  /** English, for logs and the English admin: a sentence a merchant can act on, starting with "Line N:" where a line is known. */
  message: string;
}

/**
 * What a syntax error is, for the admin to word in the merchant's language. Our own explanations
 * of LiquidJS's messages, then the MJML compilation's (app/server/templating/compile-email.server.ts).
 * `liquid`, `mjml_unreadable`, `mjml_invalid` and `liquid_mangled` carry the engine's own words,
 * verbatim, in `params.detail`.
 */
export const SYNTAX_ERROR_REASONS = [
  "unknown_filter", // params.name
  "output_not_closed", // params.source: `{{ x` as written
  "tag_not_closed", // params.source: `{% if x` as written
  "block_not_closed", // params.source: the opening tag, e.g. {% if order.name %}
  "unknown_tag", // params.name
  "illegal_tag", // params.source
  "liquid", // params.detail: LiquidJS's message
  "not_mjml",
  "mj_include",
  "mjml_unreadable", // params.detail: MJML's message
  "mjml_invalid", // params.detail: MJML's message; params.tag: the element, without <>
  "liquid_mangled", // params.detail: LiquidJS's message about the compiled HTML
] as const;
export type SyntaxErrorReason = (typeof SYNTAX_ERROR_REASONS)[number];

/** Why a variable was refused; `options` lists what can be used instead (when there is no suggestion). */
export const UNKNOWN_VARIABLE_REASONS = ["unknown_root", "unknown_field", "unavailable_group", "not_a_list"] as const;
export type UnknownVariableReason = (typeof UNKNOWN_VARIABLE_REASONS)[number];

export type TemplateIssue =
  | (IssueBase & {
      code: "syntax_error";
      column: number;
      /** Absent only on issues made by older code: the admin then shows `message`. */
      reason?: SyntaxErrorReason;
      params?: Record<string, string>;
    })
  | (IssueBase & {
      code: "unknown_variable";
      column: number;
      name: string;
      suggestion?: string;
      reason: UnknownVariableReason;
      /** unknown_root, unavailable_group: the groups; unknown_field: the fields, in full; not_a_list: the lists. */
      options?: string[];
    })
  | (IssueBase & { code: "unsupported_tag"; column: number; name: string })
  | (IssueBase & { code: "missing_part" })
  | (IssueBase & { code: "too_long"; segments?: number; characters: number })
  | (IssueBase & { code: "render_error"; /** LiquidJS's message, verbatim. */ params: { detail: string } })
  | (IssueBase & { code: "unsupported_channel"; channel: Channel });

export interface TemplateValidation {
  ok: boolean;
  issues: TemplateIssue[];
}

export const MAX_SMS_SEGMENTS = 10;
/** Twilio's limit for a WhatsApp message body. */
export const MAX_WHATSAPP_CHARACTERS = 1_600;

export interface ValidateOptions {
  /** Sample data for the length checks; defaults to the preview fixture for `locale`. */
  sample?: TemplateContext;
  locale?: TemplateLocale;
}

export function validateTemplate(type: MessageType, channel: Channel, parts: TemplateParts, options: ValidateOptions = {}): TemplateValidation {
  const label = MESSAGE_TYPE_SPECS[type].label;
  const issues: TemplateIssue[] = [];
  if (!supportsChannel(type, channel)) {
    const message = `The ${label} message cannot be sent by ${channel}.`;
    return { ok: false, issues: [{ code: "unsupported_channel", part: "text", line: 1, channel, message }] };
  }

  const partsToCheck: Array<[TemplatePart, OutputMode]> =
    channel === "email" ? [["subject", "text"], ["html", "html"], ["text", "text"]] : [["text", "text"]];

  if (channel === "email" && !parts.subject?.trim()) {
    issues.push({ code: "missing_part", part: "subject", line: 1, message: "An email needs a subject." });
  }
  if (channel === "email" && !parts.html?.trim()) {
    issues.push({ code: "missing_part", part: "html", line: 1, message: "An email needs a body." });
  }
  if (channel !== "email" && !parts.text?.trim()) {
    issues.push({ code: "missing_part", part: "text", line: 1, message: "The message is empty." });
  }

  const sample = options.sample ?? previewContext(type, options.locale ?? "en");
  for (const [part, mode] of partsToCheck) {
    const source = parts[part];
    if (!source?.trim()) continue;
    let templates: Template[];
    try {
      templates = parseTemplatePart(source, mode);
    } catch (error) {
      issues.push(syntaxIssue(part, error));
      continue; // nothing more can be said about a part that does not parse
    }
    const partIssues = checkVariables(templates, type, part);
    issues.push(...partIssues);
    if (partIssues.length === 0 && part === "text" && channel !== "email") issues.push(...lengthIssues(source, channel, sample));
    if (partIssues.length === 0) issues.push(...renderIssues(source, mode, part, sample));
  }
  return { ok: issues.length === 0, issues };
}

// ---------------------------------------------------------------- syntax

function syntaxIssue(part: TemplatePart, error: unknown): TemplateIssue {
  const [line, column] = error instanceof LiquidError && error.token ? error.token.getPosition() : [1, 1];
  const raw = error instanceof Error ? error.message : String(error);
  const { reason, params, english } = explainSyntaxError(raw);
  return { code: "syntax_error", part, line, column, reason, params, message: `Line ${line}: ${english}` };
}

/** LiquidJS messages, reworded for people who did not write LiquidJS: a reason with its values, and the English sentence. */
function explainSyntaxError(raw: string): { reason: SyntaxErrorReason; params: Record<string, string>; english: string } {
  const message = raw.replace(/, line:\d+, col:\d+$/, "").replace(/^[A-Za-z]*Error: /, "");
  let match: RegExpMatchArray | null;
  if ((match = message.match(/^undefined filter: (.+)$/))) {
    return { reason: "unknown_filter", params: { name: match[1] }, english: `\`${match[1]}\` is not a Liquid filter. Check its spelling.` };
  }
  // `{{ x` / `{% if x` without their closing delimiter (quoted), before blocks without their end tag.
  if ((match = message.match(/^output "(.*)" not closed$/s))) {
    const source = match[1].trim();
    return { reason: "output_not_closed", params: { source }, english: `\`${source}\` is missing its closing \`}}\`.` };
  }
  if ((match = message.match(/^tag "(.*)" not closed$/s))) {
    const source = match[1].trim();
    return { reason: "tag_not_closed", params: { source }, english: `\`${source}\` is missing its closing \`%}\`.` };
  }
  if ((match = message.match(/^tag (.+) not closed$/))) {
    return { reason: "block_not_closed", params: { source: match[1] }, english: `${match[1]} is opened but never closed.` };
  }
  if ((match = message.match(/^tag "(.+)" not found$/))) {
    return {
      reason: "unknown_tag",
      params: { name: match[1] },
      english: `There is no Liquid tag called \`${match[1]}\` here. Check its spelling, or that its opening tag comes first.`,
    };
  }
  if ((match = message.match(/^illegal tag: (.+)$/))) return { reason: "illegal_tag", params: { source: match[1] }, english: `${match[1]} is not written correctly.` };
  // LiquidJS's own words (its position suffix and error class removed), kept verbatim for the admin.
  const english = message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith(".") ? "" : ".");
  return { reason: "liquid", params: { detail: message }, english };
}

// ---------------------------------------------------------------- variables

/** The variable catalogue as a tree: fields by name, and `item` for the elements of an array. */
interface SchemaNode {
  fields: Map<string, SchemaNode>;
  item?: SchemaNode;
}

const newNode = (): SchemaNode => ({ fields: new Map() });

/** Roots of the catalogue (`shop`, `order`, `unsubscribe_url`, ...), each a group of the same name. */
const SCHEMA: SchemaNode = (() => {
  const root = newNode();
  for (const group of VARIABLE_GROUPS) {
    for (const path of VARIABLE_PATHS[group]) {
      let node = root;
      for (const segment of path.split(".")) {
        const isArray = segment.endsWith("[]");
        const name = isArray ? segment.slice(0, -2) : segment;
        if (!node.fields.has(name)) node.fields.set(name, newNode());
        node = node.fields.get(name)!;
        if (isArray) node = node.item ??= newNode();
      }
    }
  }
  return root;
})();

type Segment = string | number | Variable;

/** What a name in scope stands for: an element of a collection (loop variable), or a template-made value. */
type Binding = { kind: "element"; path: Segment[] } | { kind: "local" };

class Scopes {
  private readonly stack: Array<Map<string, Binding>> = [new Map()];
  push(bindings: Map<string, Binding>) {
    this.stack.push(bindings);
  }
  pop() {
    this.stack.pop();
  }
  /** `assign`, `capture`, `increment`: Liquid keeps these for the rest of the template. */
  defineGlobal(name: string) {
    this.stack[0].set(name, { kind: "local" });
  }
  find(name: string): Binding | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const binding = this.stack[i].get(name);
      if (binding) return binding;
    }
    return undefined;
  }
}

type Resolution =
  | { ok: true; node: SchemaNode | null } // null: reached something we cannot follow statically
  | { ok: false; reason: "unknown_root" | "unavailable_group" | "unknown_field"; at: number; candidates: string[] };

const ELEMENT_ACCESS = new Set(["first", "last"]);

/** Follows a canonical path (loop variables already replaced by their collection) through the catalogue. */
function resolve(segments: Segment[], allowed: ReadonlySet<string>): Resolution {
  const root = segments[0] as string;
  if (!SCHEMA.fields.has(root)) return { ok: false, reason: "unknown_root", at: 0, candidates: [...allowed] };
  if (!allowed.has(root)) return { ok: false, reason: "unavailable_group", at: 0, candidates: [...allowed] };
  let node = SCHEMA.fields.get(root)!;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === "size") return { ok: true, node: null }; // strings and arrays both have a size
    if (node.item && (typeof segment === "number" || segment instanceof Variable || ELEMENT_ACCESS.has(segment))) {
      node = node.item;
      continue;
    }
    if (segment instanceof Variable) return { ok: true, node: null }; // a computed key: cannot check
    const child = typeof segment === "string" ? node.fields.get(segment) : undefined;
    if (!child) {
      const candidates = [...node.fields.keys(), ...(node.item ? ["first", "last", "size"] : [])];
      return { ok: false, reason: "unknown_field", at: i, candidates };
    }
    node = child;
  }
  return { ok: true, node };
}

/** The variables a single tag or output reads (its own arguments, not its children's). */
function variablesReadBy(template: Template): Variable[] {
  const own = { token: template.token, render: () => "", arguments: () => template.arguments!() } as Template;
  const analysis = analyzeSync([own], { partials: false });
  return Object.values(analysis.variables)
    .flat()
    .filter((variable) => typeof variable.segments[0] === "string");
}

const UNSUPPORTED_TAGS = new Set(["include", "render", "layout"]);

function checkVariables(templates: Template[], type: MessageType, part: TemplatePart): TemplateIssue[] {
  const allowed = new Set<string>(allowedGroups(type));
  const label = MESSAGE_TYPE_SPECS[type].label;
  const issues: TemplateIssue[] = [];
  const seen = new Set<string>();
  const scopes = new Scopes();

  const report = (issue: TemplateIssue & { column: number }) => {
    const key = `${issue.code}:${issue.line}:${issue.column}:${"name" in issue ? issue.name : ""}`;
    if (!seen.has(key)) (seen.add(key), issues.push(issue));
  };

  /** Checks one variable occurrence against the catalogue, following loop variables to their collection. */
  const check = (variable: Variable): void => {
    const written = variable.segments as Segment[];
    const binding = scopes.find(written[0] as string);
    if (binding?.kind === "local") return; // made by the template itself: nothing to check
    const prefix = binding?.kind === "element" ? binding.path : [written[0]];
    const canonical = [...prefix, ...written.slice(1)];
    const result = resolve(canonical, allowed);
    if (result.ok) return;
    // Map the failing position back onto what the merchant wrote (`item.titel`, not `order.items[].titel`).
    const at = Math.max(0, result.at - (prefix.length - 1));
    const name = variable.toString();
    const { row: line, col: column } = variable.location;
    const suggestion = suggest(written, at, result, canonical);
    const options = suggestion ? undefined : alternatives(result, written, at, allowed);
    const message = unknownVariableMessage(line, name, label, result.reason, suggestion, options);
    report({ code: "unknown_variable", reason: result.reason, part, line, column, name, suggestion, ...(options ? { options } : {}), message });
  };

  const visit = (template: Template) => {
    if (template.arguments) for (const variable of variablesReadBy(template)) check(variable);

    const tagName = (template as { name?: string }).name;
    if (tagName && UNSUPPORTED_TAGS.has(tagName)) {
      const [line, column] = template.token.getPosition();
      report({
        code: "unsupported_tag",
        part,
        line,
        column,
        name: tagName,
        message: `Line ${line}: \`{% ${tagName} %}\` can't be used in message templates. Put the content in this template instead.`,
      });
      return;
    }
    if (template.localScope) for (const ident of template.localScope()) scopes.defineGlobal(ident.content);
    if (!template.children) return;

    const bindings = new Map<string, Binding>();
    for (const name of template.blockScope?.() ?? []) bindings.set(name, { kind: "local" });
    if (template instanceof ForTag || template instanceof TablerowTag) {
      bindings.set(template.variable, loopBinding(template));
    }
    scopes.push(bindings);
    for (const child of toValueSync(template.children(false, true))) visit(child);
    scopes.pop();
  };

  /** `for item in order.items`: `item` stands for `order.items[]`, when that is a list we know. */
  const loopBinding = (loop: InstanceType<typeof ForTag> | InstanceType<typeof TablerowTag>): Binding => {
    if (!TypeGuards.isPropertyAccessToken(loop.collection)) return { kind: "local" }; // a range such as (1..5)
    const [collection] = variablesReadBy({ token: loop.token, render: () => "", arguments: () => [loop.collection] } as Template);
    if (!collection) return { kind: "local" };
    const binding = scopes.find(collection.segments[0] as string);
    if (binding?.kind === "local") return { kind: "local" };
    const prefix = binding?.kind === "element" ? binding.path : [collection.segments[0] as Segment];
    const canonical = [...prefix, ...(collection.segments.slice(1) as Segment[])];
    const result = resolve(canonical, allowed);
    if (!result.ok) return { kind: "local" }; // already reported as an unknown variable
    if (!result.node?.item) {
      if (result.node) {
        const { row: line, col: column } = collection.location;
        const name = collection.toString();
        const options = listsOf(allowed);
        report({
          code: "unknown_variable",
          reason: "not_a_list",
          part,
          line,
          column,
          name,
          options,
          message: `Line ${line}: \`${name}\` is not a list, so \`for\` cannot loop over it.${options.length ? ` Lists you can loop over: ${quoted(options)}.` : ""}`,
        });
      }
      return { kind: "local" };
    }
    return { kind: "element", path: [...canonical, 0] };
  };

  for (const template of templates) visit(template);
  return issues.sort((a, b) => a.line - b.line);
}

/** The collections a message type can loop over, for the "not a list" message. */
function listsOf(allowed: ReadonlySet<string>): string[] {
  const paths = [...allowed].flatMap((group) => VARIABLE_PATHS[group as VariableGroup]);
  return paths.filter((path) => paths.some((other) => other.startsWith(`${path}[]`)));
}

/** `a`, `b`, `c`: names as code, for English messages. */
const quoted = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(", ");

function segmentsToString(segments: Segment[]): string {
  return new Variable(segments, { row: 0, col: 0 }).toString();
}

/** A close match for the segment that failed, in the merchant's own spelling of the rest. */
function suggest(written: Segment[], at: number, result: Extract<Resolution, { ok: false }>, canonical: Segment[]): string | undefined {
  const failed = written[at];
  if (result.reason === "unavailable_group") {
    // `order.total` in a cart recovery: does an available group have the same field? (`checkout.total`)
    const rest = canonical.slice(1);
    for (const group of result.candidates) {
      if (group === canonical[0]) continue;
      if (rest.length && resolve([group, ...rest], new Set([group])).ok) return segmentsToString([group, ...written.slice(1)]);
    }
    return undefined;
  }
  if (typeof failed !== "string") return undefined;
  const best = closest(failed, result.candidates);
  if (!best) return undefined;
  const fixed = [...written];
  fixed[at] = best;
  return segmentsToString(fixed);
}

/** What can be written instead, when there is no single suggestion: groups, or the fields of the parent. */
function alternatives(result: Extract<Resolution, { ok: false }>, written: Segment[], at: number, allowed: ReadonlySet<string>): string[] | undefined {
  if (result.reason === "unknown_field") {
    if (!result.candidates.length) return undefined;
    const parent = segmentsToString(written.slice(0, at));
    return result.candidates.map((field) => `${parent}.${field}`);
  }
  return [...allowed];
}

function unknownVariableMessage(
  line: number,
  name: string,
  label: string,
  reason: Extract<Resolution, { ok: false }>["reason"],
  suggestion: string | undefined,
  options: string[] | undefined,
): string {
  const didYouMean = suggestion ? ` Did you mean \`${suggestion}\`?` : "";
  if (reason === "unavailable_group") {
    return `Line ${line}: \`${name}\` is not available in the ${label} message.${didYouMean || ` You can use ${quoted(options ?? [])} here.`}`;
  }
  let hint = "";
  if (options && reason === "unknown_field") hint = ` You can use: ${quoted(options)}.`;
  if (options && reason === "unknown_root") hint = ` Variables here start with ${quoted(options)}.`;
  return `Line ${line}: \`${name}\` is not a variable of the ${label} message.${didYouMean}${hint}`;
}

/** The candidate within a small edit distance (typos, swapped letters), if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) (best = candidate), (bestDistance = distance);
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("nmae" → "name" is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------- sample rendering

function lengthIssues(source: string, channel: Channel, sample: TemplateContext): TemplateIssue[] {
  let text: string;
  try {
    text = renderPart(source, "text", sample);
  } catch {
    return []; // reported by renderIssues
  }
  if (channel === "sms") {
    const count = countSmsSegments(text);
    if (count.segments > MAX_SMS_SEGMENTS) {
      const message = `With sample data this SMS is ${count.segments} segments long (${count.characters} characters, ${count.encoding}); the limit is ${MAX_SMS_SEGMENTS}. Shorten it.`;
      return [{ code: "too_long", part: "text", line: 1, segments: count.segments, characters: count.characters, message }];
    }
  }
  if (channel === "whatsapp") {
    const characters = Array.from(text).length;
    if (characters > MAX_WHATSAPP_CHARACTERS) {
      const message = `With sample data this WhatsApp message is ${characters} characters long; the limit is ${MAX_WHATSAPP_CHARACTERS}. Shorten it.`;
      return [{ code: "too_long", part: "text", line: 1, characters, message }];
    }
  }
  return [];
}

function renderIssues(source: string, mode: OutputMode, part: TemplatePart, sample: TemplateContext): TemplateIssue[] {
  try {
    renderPart(source, mode, sample);
    return [];
  } catch (error) {
    const [line] = error instanceof LiquidError && error.token ? error.token.getPosition() : [1];
    const raw = (error instanceof Error ? error.message : String(error)).replace(/, line:\d+, col:\d+$/, "");
    return [{ code: "render_error", part, line, params: { detail: raw }, message: `Line ${line}: with sample data this fails: ${raw}.` }];
  }
}
