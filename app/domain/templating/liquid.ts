// Avisa's Liquid renderer. Templates are merchant-written, so the engine reads no files, refuses
// unknown filters when a template is parsed (not halfway through a send), and caps render
// time and memory. HTML bodies escape every output by default (`| raw` opts out); subjects,
// plain text and SMS are not HTML and are left as typed.
//
// Parsing costs far more than rendering, so a template is parsed once per version: the caller
// gives a cache key (template id + updatedAt, see `templateCacheKey`) and each send only renders.
//
// Rendering itself: LiquidJS drives every node through generators (so one engine serves sync and
// async rendering), which costs a few microseconds per output. A compiled MJML email has ~100
// nodes to evaluate, so bare LiquidJS tops out at a few thousand emails per second per core.
// `compile` below turns a parsed template into plain closures for the shapes emails are made of:
// text, `{{ path | filter: literal }}`, `{% if path %}` and `{% for x in path %}` over arrays. Each
// closure calls the same LiquidJS pieces (property reads, filter functions, truthiness) that
// LiquidJS would, so the output is identical; everything else (operators in conditions, `case`,
// `assign`, `forloop`, `break`, ranges...) is handed to LiquidJS node by node.
// tests/unit/templating/renderer.test.ts compares both paths on every default template and on
// templates written to hit each fallback.
import {
  Context,
  ForTag,
  IfTag,
  LiquidError,
  Output,
  RenderError,
  TypeGuards,
  UndefinedVariableError,
  analyzeSync,
  evalToken,
  isTruthy,
  toValue,
  toValueSync,
  type Emitter,
  type Filter,
  type Template,
  type Value,
  Liquid,
} from "liquidjs";
import type { TemplateContext } from "./message-types";

export type OutputMode = "html" | "text";

/** Options both engines share. Exported so a benchmark can build a bare engine on equal terms. */
export const LIQUID_OPTIONS = {
  strictFilters: true, // a typo in a filter name is a save-time error, not a silent no-op
  strictVariables: false, // optional values (a missing variant title) render as nothing
  ownPropertyOnly: true, // no reaching into prototypes of the objects we pass in
  templates: {}, // in-memory partials, none: `include`/`render`/`layout` never touch the file system
  jsTruthy: false,
  lenientIf: false,
  parseLimit: 500_000, // characters per template part
  renderLimit: 1_000, // ms per part: a runaway loop fails the send instead of blocking the worker
  memoryLimit: 20_000_000,
} as const;

const engines: Record<OutputMode, Liquid> = {
  html: new Liquid({ ...LIQUID_OPTIONS, outputEscape: "escape" }),
  text: new Liquid({ ...LIQUID_OPTIONS }),
};

/** The shared engine for a part: escaping for HTML, verbatim for subject, text and SMS. */
export function liquidEngine(mode: OutputMode): Liquid {
  return engines[mode];
}

/** Parses one template part. Throws the LiquidJS error (with line and column) on bad syntax. */
export function parseTemplatePart(source: string, mode: OutputMode): Template[] {
  return engines[mode].parse(source);
}

// ---------------------------------------------------------------- compiled rendering

/** Writes like LiquidJS's SimpleEmitter (nil → "", arrays joined, Drops unwrapped). */
class StringEmitter implements Emitter {
  buffer = "";
  write(html: unknown): void {
    this.buffer += stringify(html);
  }
}

function stringify(value: unknown): string {
  value = toValue(value);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(stringify).join("");
  return String(value);
}

type Step = (ctx: Context, out: StringEmitter) => void;
type Read = (ctx: Context) => unknown;

/** LiquidJS members the compiled path uses that its typings mark private. Checked once at startup. */
interface FilterInternals {
  handler: (this: unknown, ...args: unknown[]) => unknown;
  token: unknown;
  liquid: Liquid;
  args: Array<unknown>;
}
interface ContextInternals {
  findScope(key: unknown): unknown;
}

const isIterator = (value: unknown): value is Generator =>
  !!value && typeof (value as Generator).next === "function" && typeof (value as Generator).throw === "function";

/** A token whose value is fixed at parse time (identifier, string, number, literal). */
const isLiteral = (token: unknown): token is { content: unknown } => !!token && typeof token === "object" && "content" in token;

/** `a.b[0].c` with literal keys: read through Context.readProperty, exactly as LiquidJS's `_get`. */
function compilePath(token: unknown): Read | null {
  if (!TypeGuards.isPropertyAccessToken(token) || token.variable || !token.props.every(isLiteral)) return null;
  const keys = token.props.map((prop) => toValue((prop as { content: unknown }).content)) as Array<string | number>;
  return (ctx) => {
    try {
      let value = (ctx as unknown as ContextInternals).findScope(keys[0]);
      for (const key of keys) {
        value = ctx.readProperty(value as object, key);
        if (isIterator(value)) value = toValueSync(value); // a Drop method written as a generator
      }
      return value;
    } catch (error) {
      throw new UndefinedVariableError(error as Error, token);
    }
  };
}

/** Evaluates any token the LiquidJS way (the general fallback for expressions). */
const readToken =
  (token: Parameters<typeof evalToken>[0], lenient: boolean): Read =>
  (ctx) =>
    toValueSync(evalToken(token, ctx, lenient));

function compileFilter(filter: Filter): (value: unknown, ctx: Context) => unknown {
  const { handler, token, liquid, args } = filter as unknown as FilterInternals;
  const literal = args.every((arg) => !Array.isArray(arg) && isLiteral(arg));
  const fixed = literal ? args.map((arg) => (arg as { content: unknown }).content) : [];
  const evaluate = (ctx: Context) =>
    args.map((arg) =>
      Array.isArray(arg) ? [arg[0], toValueSync(evalToken(arg[1], ctx))] : toValueSync(evalToken(arg as Parameters<typeof evalToken>[0], ctx)),
    );
  return (value, ctx) => {
    const result = handler.apply({ context: ctx, token, liquid }, [value, ...(literal ? fixed : evaluate(ctx))]);
    return isIterator(result) ? toValueSync(result) : result;
  };
}

/** A Value (`path | filter: arg ...`): fast for a plain path, LiquidJS's own evaluation otherwise. */
function compileValue(value: Value, lenient: boolean): Read {
  const postfix = (value.initial as unknown as { postfix: unknown[] }).postfix;
  const path = postfix.length === 1 ? compilePath(postfix[0]) : null;
  if (!path) return (ctx) => toValueSync(value.value(ctx, lenient));
  const filters = value.filters.map(compileFilter);
  if (filters.length === 0) return path;
  return (ctx) => {
    let result = path(ctx);
    for (const filter of filters) result = filter(result, ctx);
    return result;
  };
}

/** Any node, rendered by LiquidJS itself, as `Render.renderTemplates` would for one template. */
function fallback(template: Template): Step {
  return (ctx, out) => {
    ctx.renderLimit.check(performance.now());
    try {
      const html = toValueSync(template.render(ctx, out));
      if (html) out.write(html);
    } catch (error) {
      throw LiquidError.is(error) ? error : new RenderError(error as Error, template);
    }
  };
}

/** Wraps a compiled step's errors the way LiquidJS wraps a template's. */
function guarded(template: Template, step: Step): Step {
  return (ctx, out) => {
    try {
      step(ctx, out);
    } catch (error) {
      throw LiquidError.is(error) ? error : new RenderError(error as Error, template);
    }
  };
}

function containsTag(templates: Template[], names: ReadonlySet<string>): boolean {
  return templates.some((template) => {
    if (names.has((template as { name?: string }).name ?? "")) return true;
    return template.children ? containsTag(toValueSync(template.children(false, true)), names) : false;
  });
}

const LOOP_CONTROL = new Set(["break", "continue"]);

function compileFor(loop: InstanceType<typeof ForTag>): Step | null {
  const body = [...loop.templates, ...loop.elseTemplates];
  // Loops that need LiquidJS's own machinery stay with LiquidJS: modifiers (limit, offset,
  // reversed), `forloop`, and `break`/`continue` (which stop the rest of the body).
  if (Object.keys(loop.hash.hash).length > 0) return null;
  if ("forloop" in analyzeSync(body, { partials: false }).variables) return null;
  if (containsTag(body, LOOP_CONTROL)) return null;

  const collection = compilePath(loop.collection) ?? readToken(loop.collection, false);
  const each = compileSequence(loop.templates);
  const otherwise = compileSequence(loop.elseTemplates);
  const whole = fallback(loop);
  const variable = loop.variable;
  const continueKey = `continue-${variable}-${loop.collection.getText()}`;
  return (ctx, out) => {
    const items = toValue(collection(ctx));
    if (!Array.isArray(items)) return whole(ctx, out); // strings, hashes, iterables: LiquidJS enumerates them
    if (items.length === 0) return otherwise(ctx, out);
    ctx.setRegister(continueKey, items.length); // what a later `offset: continue` would read
    const scope: Record<string, unknown> = Object.create(null);
    ctx.push(scope);
    for (const item of items) {
      ctx.renderLimit.check(performance.now());
      scope[variable] = item;
      ctx.continueCalled = ctx.breakCalled = false;
      each(ctx, out);
      if (ctx.breakCalled) break;
    }
    ctx.continueCalled = ctx.breakCalled = false;
    ctx.pop();
  };
}

function compileNode(template: Template): Step | string {
  if (TypeGuards.isHTMLToken(template.token)) return template.token.getContent(); // literal text
  if (template instanceof Output) {
    const read = compileValue(template.value, false);
    return guarded(template, (ctx, out) => out.write(toValue(read(ctx))));
  }
  if (template instanceof IfTag) {
    // `lenientIf` is off in every engine this compiles for (see compilePart), so conditions are not lenient.
    const branches = template.branches.map(({ value, templates }) => ({ test: compileValue(value, false), render: compileSequence(templates) }));
    const otherwise = compileSequence(template.elseTemplates ?? []);
    return guarded(template, (ctx, out) => {
      for (const branch of branches) {
        if (isTruthy(toValue(branch.test(ctx)), ctx)) return branch.render(ctx, out);
      }
      otherwise(ctx, out);
    });
  }
  if (template instanceof ForTag) {
    const loop = compileFor(template);
    if (loop) return guarded(template, loop);
  }
  return fallback(template);
}

/**
 * A list of nodes, with neighbouring text merged, stopping where LiquidJS would (break/continue).
 * The render time limit is checked where time can run away: each loop iteration, each node
 * LiquidJS renders, and the start of a render (not in every `if` body, as LiquidJS does).
 */
function compileSequence(templates: Template[]): Step {
  const steps: Array<Step | string> = [];
  for (const template of templates) {
    const step = compileNode(template);
    const last = steps.length - 1;
    if (typeof step === "string" && typeof steps[last] === "string") steps[last] += step;
    else steps.push(step);
  }
  return (ctx, out) => {
    for (const step of steps) {
      if (typeof step === "string") out.buffer += step;
      else {
        step(ctx, out);
        if (ctx.breakCalled || ctx.continueCalled) return;
      }
    }
  };
}

/** The compiled path depends on LiquidJS internals; if an upgrade moved them, render the plain way. */
const COMPILED_PATH_WORKS: boolean = (() => {
  try {
    const [output] = engines.html.parse("{{ a | default: 'x' }}") as Output[];
    const filter = output.value.filters[0] as unknown as FilterInternals;
    const ctx = new Context({}, engines.html.options, { sync: true }, { liquid: engines.html });
    const [loop] = engines.html.parse("{% for i in a %}{% endfor %}") as Array<InstanceType<typeof ForTag>>;
    return (
      typeof (ctx as unknown as ContextInternals).findScope === "function" &&
      typeof filter.handler === "function" &&
      Array.isArray(filter.args) &&
      Array.isArray((output.value.initial as unknown as { postfix: unknown[] }).postfix) &&
      loop instanceof ForTag &&
      typeof loop.hash?.hash === "object"
    );
  } catch {
    return false;
  }
})();

/** Whether renders take the compiled path (false only if a LiquidJS upgrade moved what it relies on). */
export function compiledRenderingAvailable(): boolean {
  return COMPILED_PATH_WORKS;
}

/** A parsed part ready to render many times. */
export interface CompiledPart {
  render(context: object): string;
}

/**
 * Compiles a parsed part for `engine`. With `compiled: false`, renders with `engine.renderSync` (for comparison).
 * Each render gets a shallow copy of the context: `{% increment %}` writes into the object it is given,
 * and one part (or one recipient) must not see another's counters.
 */
export function compilePart(templates: Template[], engine: Liquid, options: { compiled?: boolean } = {}): CompiledPart {
  const { strictVariables, lenientIf, keepOutputType, catchAllErrors } = engine.options;
  // Options that change how values are read or written are left to LiquidJS (Avisa uses none of them).
  const plain = options.compiled === false || !COMPILED_PATH_WORKS || strictVariables || lenientIf || keepOutputType || catchAllErrors;
  if (plain) return { render: (context) => engine.renderSync(templates, { ...context }) as string };
  const steps = compileSequence(templates);
  return {
    render(context) {
      const ctx = new Context({ ...context }, engine.options, { sync: true }, { liquid: engine });
      const out = new StringEmitter();
      ctx.renderLimit.check(performance.now());
      steps(ctx, out);
      return out.buffer;
    },
  };
}

// ---------------------------------------------------------------- the message renderer

/** A template ready to render: `html` is the compiled email body (MJML already turned into HTML). */
export interface RenderableTemplate {
  /** Template id + version (`templateCacheKey`). Without one (an unsaved preview) nothing is cached. */
  cacheKey?: string;
  subject?: string;
  html?: string;
  text: string;
}

export interface RenderedMessage {
  subject?: string;
  html?: string;
  text: string;
}

export function templateCacheKey(templateId: string, updatedAt: Date | string | number): string {
  const version = updatedAt instanceof Date ? updatedAt.getTime() : updatedAt;
  return `${templateId}@${version}`;
}

interface PreparedTemplate {
  source: RenderableTemplate;
  subject?: CompiledPart;
  html?: CompiledPart;
  text: CompiledPart;
}

/** Prepared templates by cache key, least recently used first. Old versions simply age out. */
const cache = new Map<string, PreparedTemplate>();
let cacheLimit = 1_000;

function sameSource(a: RenderableTemplate, b: RenderableTemplate): boolean {
  return a.text === b.text && a.html === b.html && a.subject === b.subject;
}

function prepare(source: RenderableTemplate): PreparedTemplate {
  const part = (text: string | undefined, mode: OutputMode) =>
    text === undefined ? undefined : compilePart(engines[mode].parse(text), engines[mode]);
  return {
    source: { subject: source.subject, html: source.html, text: source.text },
    subject: part(source.subject, "text"),
    html: part(source.html, "html"),
    text: part(source.text, "text")!,
  };
}

function prepared(source: RenderableTemplate): PreparedTemplate {
  const key = source.cacheKey;
  if (key === undefined) return prepare(source);
  const hit = cache.get(key);
  // A reused key with different source (a version the caller forgot to bump) is re-parsed,
  // never rendered from the stale entry. Comparing strings is cheap next to rendering them.
  if (hit && sameSource(hit.source, source)) {
    cache.delete(key); // move to the most recently used end
    cache.set(key, hit);
    return hit;
  }
  const fresh = prepare(source);
  cache.set(key, fresh);
  if (cache.size > cacheLimit) cache.delete(cache.keys().next().value!);
  return fresh;
}

/** A subject is one header line: whitespace left by tags collapses to single spaces. */
function tidySubject(subject: string): string {
  return subject.replace(/\s+/g, " ").trim();
}

/** Plain text and SMS: no blank runs left by tags, no leading or trailing whitespace. */
function tidyText(text: string): string {
  return text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
}

/**
 * Renders a message's parts with one context. Synchronous: parsing happened once, rendering
 * does no I/O. Throws a LiquidJS RenderError when a template fails at render time (a limit hit).
 */
export function renderMessage(template: RenderableTemplate, context: TemplateContext | object): RenderedMessage {
  const parts = prepared(template);
  const rendered: RenderedMessage = { text: tidyText(parts.text.render(context)) };
  if (parts.subject) rendered.subject = tidySubject(parts.subject.render(context));
  if (parts.html) rendered.html = parts.html.render(context);
  return rendered;
}

/** Renders one part from source, uncached (validation, previews of a single field). */
export function renderPart(source: string, mode: OutputMode, context: TemplateContext | object): string {
  const output = compilePart(engines[mode].parse(source), engines[mode]).render(context);
  return mode === "html" ? output : tidyText(output);
}

/** For tests and memory-conscious callers. */
export function clearTemplateCache(options: { limit?: number } = {}): void {
  cache.clear();
  if (options.limit !== undefined) cacheLimit = Math.max(1, options.limit);
}

export function templateCacheSize(): number {
  return cache.size;
}
