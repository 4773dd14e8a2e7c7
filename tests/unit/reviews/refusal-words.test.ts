// Every refusal of the reviews services (moderation, reply, import) has words in every admin
// language: the Reviews page maps each code to a catalogue key (app/routes/app.reviews._index.tsx).
import { describe, expect, it } from "vitest";
import en from "../../../app/locales/en.json";
import es from "../../../app/locales/es.json";
import ptBR from "../../../app/locales/pt-BR.json";
import { translator, type AdminLocale, type MessageKey } from "../../../app/i18n";
import { MODERATION_REFUSALS, REVIEW_STATUSES } from "../../../app/domain/reviews/publish-rule";
import { IMPORT_PROBLEM_CODES, IMPORT_REFUSAL_CODES } from "../../../app/server/services/review-import.server";
import { REVIEW_REFUSAL_CODES } from "../../../app/server/services/reviews.server";
import { IMPORT_PROBLEM_KEYS, IMPORT_REFUSAL_KEYS, REVIEW_REFUSAL_KEYS, reviewRefusalKey } from "../../../app/routes/app.reviews._index";

const CATALOGUES: Record<AdminLocale, Record<string, string>> = { en, es, "pt-BR": ptBR };

function expectWords(key: MessageKey, values: Record<string, string> = {}) {
  for (const [locale, catalogue] of Object.entries(CATALOGUES) as [AdminLocale, Record<string, string>][]) {
    expect(catalogue[key], `${locale}: ${key}`).toBeTruthy();
    expect(translator(locale)(key, values), `${locale}: ${key}`).not.toMatch(/\{\w+\}/);
  }
}

describe("review refusals in the merchant's language", () => {
  it("maps exactly the services' codes, the moderation rule's included", () => {
    expect(Object.keys(REVIEW_REFUSAL_KEYS).sort()).toEqual([...REVIEW_REFUSAL_CODES].sort());
    for (const reason of MODERATION_REFUSALS) expect(REVIEW_REFUSAL_CODES).toContain(reason);
    expect(Object.keys(IMPORT_REFUSAL_KEYS).sort()).toEqual([...IMPORT_REFUSAL_CODES].sort());
    expect(Object.keys(IMPORT_PROBLEM_KEYS).sort()).toEqual([...IMPORT_PROBLEM_CODES].sort());
  });

  it.each(REVIEW_REFUSAL_CODES.filter((code) => code !== "not_allowed"))("%s has words in en, es and pt-BR", (code) => {
    expectWords(reviewRefusalKey(code, { status: "archived", action: "delete" }), { status: "archived", action: "delete" });
  });

  it.each(REVIEW_STATUSES)("a review already %s says so, in en, es and pt-BR", (to) => {
    const key = reviewRefusalKey("not_allowed", { from: to, to });
    expect(key).not.toBe(reviewRefusalKey("not_allowed", { from: "x", to: to === "pending" ? "published" : "pending" }));
    expectWords(key);
  });

  it("words the import's refusals and problems, with the handle", () => {
    expectWords(IMPORT_REFUSAL_KEYS.too_large);
    expectWords(IMPORT_REFUSAL_KEYS.no_reviews.empty);
    expectWords(IMPORT_REFUSAL_KEYS.no_reviews.problems);
    for (const code of IMPORT_PROBLEM_CODES) expectWords(IMPORT_PROBLEM_KEYS[code], { handle: "linen-dress" });
    expect(translator("es")(IMPORT_PROBLEM_KEYS.unknown_handle, { handle: "linen-dress" })).toContain("«linen-dress»");
  });
});
