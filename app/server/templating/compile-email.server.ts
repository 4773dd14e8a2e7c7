// Turns an email template's MJML (with Liquid inside) into responsive HTML, once, when the
// template is saved. Sends then only render Liquid over the stored HTML.
//
// Liquid survives MJML because MJML passes `<mj-raw>` and the content of `<mj-text>`/`<mj-button>`
// through untouched, and copies attribute values (`src="{{ item.image_url }}"`) as they are.
// Two things need help:
//   - MJML checks attribute types, so `background-color="{{ shop.brand_color }}"` is "not a colour".
//     Values holding Liquid cannot be checked before sending; those complaints are dropped and
//     every other validation error refuses the template (strict, apart from Liquid).
//   - To be sure nothing was mangled, the compiled HTML is parsed as Liquid before it is accepted.
//
// mjml 5's `mjml2html` returns a Promise, hence async.
import mjml2html from "mjml";
import { parseTemplatePart } from "../../domain/templating/liquid";
import type { SyntaxErrorReason, TemplateIssue } from "../../domain/templating/validate-template";

/** Why MJML compilation refused a template (the admin words it; `message` is English for logs). */
export type CompileErrorCode = Extract<SyntaxErrorReason, "not_mjml" | "mj_include" | "mjml_unreadable" | "mjml_invalid" | "liquid_mangled">;

export interface CompileError {
  line: number;
  code: CompileErrorCode;
  /** `detail`: MJML's or LiquidJS's own message, verbatim; `tag`: the MJML element (mjml_invalid). */
  params: Record<string, string>;
  message: string;
}

export type CompileEmailResult = { ok: true; html: string } | { ok: false; errors: CompileError[] };

/**
 * Compile errors as template issues on the email body (what the editor shows): syntax errors whose
 * reason is the compile error's code, with its params (MJML's or LiquidJS's own words in `detail`).
 */
export function compileIssues(errors: readonly CompileError[]): TemplateIssue[] {
  return errors.map((error) => ({ code: "syntax_error", part: "html", line: error.line, column: 1, reason: error.code, params: error.params, message: error.message }));
}

const LIQUID = /{{|{%/;

/** MJML's complaint about an attribute whose value is Liquid: checkable only once rendered. */
function isLiquidAttributeComplaint(message: string): boolean {
  const match = message.match(/^Attribute [\w-]+ has invalid value: (.*) for type/s);
  return match !== null && LIQUID.test(match[1]);
}

export async function compileEmailTemplate(mjml: string): Promise<CompileEmailResult> {
  if (!/<mjml[\s>]/.test(mjml) || !/<mj-body[\s>]/.test(mjml)) {
    return { ok: false, errors: [{ line: 1, code: "not_mjml", params: {}, message: "This is not an MJML email: it must start with <mjml> and contain <mj-body>." }] };
  }
  if (/<mj-include[\s>/]/.test(mjml)) {
    const line = mjml.slice(0, mjml.indexOf("<mj-include")).split("\n").length;
    return { ok: false, errors: [{ line, code: "mj_include", params: {}, message: `Line ${line}: <mj-include> can't be used in message templates.` }] };
  }

  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(mjml, {
      validationLevel: "soft", // collect every error, then decide which ones matter (see above)
      keepComments: false,
      fonts: {}, // no web-font links: system fonts only, and no third-party request when opened
      ignoreIncludes: true,
      minify: false, // minifiers rewrite CSS and attributes; Liquid must come out exactly as it went in
      beautify: false,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ line: 1, code: "mjml_unreadable", params: { detail: message }, message: `The MJML could not be read: ${message}` }] };
  }

  const errors: CompileError[] = result.errors
    .filter((error) => !isLiquidAttributeComplaint(error.message))
    .map((error) => {
      const detail = error.message.trim();
      return { line: error.line, code: "mjml_invalid", params: { detail, tag: error.tagName }, message: `Line ${error.line}: ${detail} (<${error.tagName}>)` };
    });
  if (errors.length) return { ok: false, errors };

  try {
    parseTemplatePart(result.html, "html");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ line: 1, code: "liquid_mangled", params: { detail: message }, message: `The Liquid in this email did not survive compilation: ${message}` }] };
  }
  return { ok: true, html: result.html };
}
