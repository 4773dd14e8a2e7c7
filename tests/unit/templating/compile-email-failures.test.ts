// The MJML compiler's rarer refusals, with MJML itself replaced: MJML throwing (unreadable input)
// and compiled HTML whose Liquid no longer parses. Each has a code and MJML's or LiquidJS's own
// words verbatim in `detail`, and a sentence in en, es and pt-BR.
import { describe, expect, it, vi } from "vitest";
import { issueMessage, translateIssue } from "../../../app/components/template-issues";
import { translator } from "../../../app/i18n";
import { compileEmailTemplate, compileIssues } from "../../../app/server/templating/compile-email.server";

const mjml = vi.hoisted(() => ({ next: (): unknown => ({ html: "", errors: [] }) }));
vi.mock("mjml", () => ({ default: async () => mjml.next() }));

const SOURCE = "<mjml><mj-body></mj-body></mjml>";

describe("compileEmailTemplate when MJML fails", () => {
  it("says MJML could not read the file, in MJML's words", async () => {
    mjml.next = () => {
      throw new Error("Malformed MJML at <mj-section");
    };
    const result = await compileEmailTemplate(SOURCE);
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 1, code: "mjml_unreadable", params: { detail: "Malformed MJML at <mj-section" }, message: "The MJML could not be read: Malformed MJML at <mj-section" }],
    });
    if (result.ok) return;
    const [issue] = compileIssues(result.errors);
    expect(translateIssue(issue, translator("en"), "x")).toBe(issue.message);
    expect(issueMessage(issue, "es", translator("es"), "x")).toBe("No se pudo leer el MJML. MJML indica (en inglés): Malformed MJML at <mj-section");
  });

  it("refuses HTML whose Liquid did not survive, in LiquidJS's words", async () => {
    mjml.next = () => ({ html: "<p>{{ order.name</p>", errors: [] });
    const result = await compileEmailTemplate(SOURCE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 1, code: "liquid_mangled", params: { detail: expect.stringContaining("not closed") } });
    const [issue] = compileIssues(result.errors);
    expect(translateIssue(issue, translator("en"), "x")).toBe(issue.message);
    const portuguese = issueMessage(issue, "pt-BR", translator("pt-BR"), "x");
    expect(portuguese).toBe(`O Liquid deste e-mail não se manteve ao converter o MJML. O Liquid informa (em inglês): ${result.errors[0].params.detail}`);
  });
});
