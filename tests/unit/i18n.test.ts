import { describe, expect, it } from "vitest";
import en from "../../app/locales/en.json";
import es from "../../app/locales/es.json";
import ptBR from "../../app/locales/pt-BR.json";
import { localeFromAcceptLanguage, resolveAdminLocale, translator } from "../../app/i18n";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("admin strings", () => {
  it.each([["es", es], ["pt-BR", ptBR]] as const)("%s has every English key, translated, with the same placeholders", (_locale, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(catalogue)) {
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(text), key).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it("maps language tags to the closest admin locale", () => {
    expect(resolveAdminLocale("es-MX")).toBe("es");
    expect(resolveAdminLocale("pt")).toBe("pt-BR");
    expect(resolveAdminLocale("pt-PT")).toBe("pt-BR");
    expect(resolveAdminLocale("fr")).toBeNull();
    expect(localeFromAcceptLanguage("fr-FR,fr;q=0.9,pt-BR;q=0.8")).toBe("pt-BR");
  });

  it("fills placeholders", () => {
    expect(translator("es")("simulator.sent", { topic: "orders/create", status: 200 })).toBe("orders/create enviado: Avisa respondió 200");
  });
});
