import { describe, expect, it } from "vitest";
import { PHONE_PROBLEMS, normalisePhone } from "../../../app/domain/contacts/phone";
import { PHONE_PROBLEM_KEYS, phoneProblemText } from "../../../app/components/automation-issues";
import { ADMIN_LOCALES, translator } from "../../../app/i18n";
import en from "../../../app/locales/en.json";
import es from "../../../app/locales/es.json";
import ptBR from "../../../app/locales/pt-BR.json";

const value = (raw: string, country?: string) => {
  const result = normalisePhone(raw, country);
  if (!result.ok) throw new Error(result.error);
  return result.value;
};
const error = (raw: string | null, country?: string) => {
  const result = normalisePhone(raw, country);
  if (result.ok) throw new Error(`expected ${raw} to be refused, got ${result.value}`);
  return result.error;
};

describe("normalisePhone", () => {
  it("United States: national formats with the default country, international without", () => {
    expect(normalisePhone("(415) 555-2671", "US")).toEqual({ ok: true, value: "+14155552671", country: "US", lineType: "fixed_line_or_mobile" });
    expect(value("415.555.2671", "us")).toBe("+14155552671");
    expect(value("+1 415 555 2671")).toBe("+14155552671");
    expect(value("  +1-415-555-2671  ", "MX")).toBe("+14155552671"); // the written country code wins
  });

  it("strips Twilio's whatsapp: prefix and tel: links", () => {
    expect(value("whatsapp:+14155552671")).toBe("+14155552671");
    expect(value("WhatsApp: +34 612 345 678")).toBe("+34612345678");
    expect(value("tel:+34612345678")).toBe("+34612345678");
  });

  it("Spain: mobiles, landlines, and the 00 international prefix", () => {
    expect(normalisePhone("612 345 678", "ES")).toEqual({ ok: true, value: "+34612345678", country: "ES", lineType: "mobile" });
    expect(normalisePhone("+34 912 345 678")).toMatchObject({ ok: true, value: "+34912345678", lineType: "fixed_line" });
    expect(value("0034 612 345 678", "ES")).toBe("+34612345678");
  });

  it("Mexico: 10-digit numbers, and the mobile prefixes dropped in 2019 (+52 1, 044, 045, 01)", () => {
    expect(normalisePhone("55 1234 5678", "MX")).toMatchObject({ ok: true, value: "+525512345678", country: "MX" });
    expect(value("+52 1 55 1234 5678")).toBe("+525512345678");
    expect(value("whatsapp:+5215512345678")).toBe("+525512345678");
    expect(value("044 55 1234 5678", "MX")).toBe("+525512345678");
    expect(value("045 33 1234 5678", "MX")).toBe("+523312345678");
  });

  it("Brazil: mobiles with the 9th digit, old 8-digit mobiles repaired, landlines untouched", () => {
    expect(normalisePhone("+55 11 98765-4321")).toEqual({ ok: true, value: "+5511987654321", country: "BR", lineType: "mobile" });
    expect(value("(21) 99876-5432", "BR")).toBe("+5521998765432");
    // WhatsApp IDs of older Brazilian accounts lack the 9.
    expect(value("whatsapp:+551187654321")).toBe("+5511987654321");
    expect(value("11 8765-4321", "BR")).toBe("+5511987654321");
    expect(normalisePhone("+55 11 3456-7890")).toMatchObject({ ok: true, value: "+551134567890", lineType: "fixed_line" });
  });

  it("refuses what is not a phone number, saying why", () => {
    expect(error("")).toBe("No phone number given.");
    expect(error(null)).toBe("No phone number given.");
    expect(error("call me", "US")).toBe("“call me” is not a phone number.");
    expect(error("5551234")).toBe("“5551234” has no country code. Write it with + and the country code, e.g. +1 for the United States or +52 for Mexico.");
    expect(error("123", "US")).toBe("“123” is too short for United States.");
    expect(error("+1 415 555 2671 1234")).toMatch(/^“\+1 415 555 2671 1234” is too long/);
    expect(error("+1 212 000 0000")).toBe("“+1 212 000 0000” is not a valid phone number.");
    expect(error("+34 412 345 678")).toBe("“+34 412 345 678” is not a valid phone number in Spain.");
    expect(error("+55 11 1234 5678")).toBe("“+55 11 1234 5678” is not a valid phone number in Brazil.");
    expect(error("+52 12 3456 7890")).toBe("“+52 12 3456 7890” is not a valid phone number in Mexico.");
    expect(error("+999 1234 5678")).toBe("“+999 1234 5678” starts with a country code that does not exist.");
  });

  it("ignores a default country that is not a country code", () => {
    expect(error("612 345 678", "Spain")).toMatch(/has no country code/);
    expect(error("612 345 678", "ZZ")).toMatch(/has no country code/);
  });
});

describe("normalisePhone's refusal codes", () => {
  const refusal = (raw: string | null, country?: string) => {
    const result = normalisePhone(raw, country);
    if (result.ok) throw new Error(`expected ${raw} to be refused, got ${result.value}`);
    return { code: result.code, country: result.country };
  };

  it("gives a code (and the country the reason names) beside the English reason", () => {
    expect(refusal("")).toEqual({ code: "missing", country: null });
    expect(refusal("call me", "US")).toEqual({ code: "not_a_number", country: null });
    expect(refusal("5551234")).toEqual({ code: "no_country_code", country: null });
    expect(refusal("+999 1234 5678")).toEqual({ code: "unknown_country_code", country: null });
    expect(refusal("123", "US")).toEqual({ code: "too_short", country: "US" });
    expect(refusal("+1 415 555 2671 1234")).toMatchObject({ code: "too_long" });
    expect(refusal("+34 412 345 678")).toEqual({ code: "invalid", country: "ES" });
    expect(refusal("+1 212 000 0000")).toEqual({ code: "invalid", country: null });
    expect(normalisePhone("123", "US")).toMatchObject({ ok: false, code: "too_short", error: "“123” is too short for United States." });
  });

  it("finds a wrong number of digits", () => {
    // +44 numbers come in lengths around this one but not this one; the number names no single country.
    expect(normalisePhone("+44 2333 3333")).toEqual({ ok: false, code: "wrong_length", country: null, error: "“+44 2333 3333” has the wrong number of digits." });
  });

  it("has a sentence for every code in en, es and pt-BR", () => {
    expect(Object.keys(PHONE_PROBLEM_KEYS).sort()).toEqual([...PHONE_PROBLEMS].sort());
    const catalogues: Record<string, Record<string, string>> = { en, es, "pt-BR": ptBR };
    for (const keys of Object.values(PHONE_PROBLEM_KEYS)) {
      for (const key of [keys.plain, keys.inCountry].filter(Boolean) as string[]) {
        for (const locale of ADMIN_LOCALES) expect(catalogues[locale][key], `${locale}: ${key}`).toBeTruthy();
      }
    }
    for (const locale of ADMIN_LOCALES) {
      for (const problem of PHONE_PROBLEMS) {
        for (const country of [undefined, "ES"]) {
          const text = phoneProblemText(problem, "+34 6", country, translator(locale), locale);
          expect(text, `${locale} ${problem}`).toBeTruthy();
          expect(text!, `${locale} ${problem}`).not.toMatch(/\{\w+\}|phone\.problem/);
        }
      }
    }
  });

  it("words a refusal with the country's name in the admin's language", () => {
    const refused = normalisePhone("+34 412 345 678");
    if (refused.ok) throw new Error("expected a refusal");
    expect(phoneProblemText(refused.code, "+34 412 345 678", refused.country, translator("es"), "es")).toBe(
      "“+34 412 345 678” no es un número de teléfono válido en España: revisa el número y su código de país.",
    );
    expect(phoneProblemText("too_short", "123", "US", translator("en"), "en")).toBe("“123” is too short for its country (United States): check that no digit is missing.");
    expect(phoneProblemText("no_such_code", "123", null, translator("en"), "en")).toBeNull();
  });
});
