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

export interface CompileError {
  line: number;
  message: string;
}

export type CompileEmailResult = { ok: true; html: string } | { ok: false; errors: CompileError[] };

const LIQUID = /{{|{%/;

/** MJML's complaint about an attribute whose value is Liquid: checkable only once rendered. */
function isLiquidAttributeComplaint(message: string): boolean {
  const match = message.match(/^Attribute [\w-]+ has invalid value: (.*) for type/s);
  return match !== null && LIQUID.test(match[1]);
}

export async function compileEmailTemplate(mjml: string): Promise<CompileEmailResult> {
  if (!/<mjml[\s>]/.test(mjml) || !/<mj-body[\s>]/.test(mjml)) {
    return { ok: false, errors: [{ line: 1, message: "This is not an MJML email: it must start with <mjml> and contain <mj-body>." }] };
  }
  if (/<mj-include[\s>/]/.test(mjml)) {
    const line = mjml.slice(0, mjml.indexOf("<mj-include")).split("\n").length;
    return { ok: false, errors: [{ line, message: `Line ${line}: <mj-include> can't be used in message templates.` }] };
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
    return { ok: false, errors: [{ line: 1, message: `The MJML could not be read: ${message}` }] };
  }

  const errors = result.errors
    .filter((error) => !isLiquidAttributeComplaint(error.message))
    .map((error) => ({ line: error.line, message: `Line ${error.line}: ${error.message.trim()} (<${error.tagName}>)` }));
  if (errors.length) return { ok: false, errors };

  try {
    parseTemplatePart(result.html, "html");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ line: 1, message: `The Liquid in this email did not survive compilation: ${message}` }] };
  }
  return { ok: true, html: result.html };
}
