import { describe, expect, it } from "vitest";
import { countSmsSegments, isGsm7 } from "../../../app/domain/templating/sms-segments";

describe("SMS segments", () => {
  it("counts plain English in GSM-7: 160 in one segment, then 153 per segment", () => {
    expect(countSmsSegments("Casa Aurora: your order #1042 is on its way!")).toMatchObject({ encoding: "GSM-7", segments: 1, characters: 44 });
    expect(countSmsSegments("a".repeat(160))).toMatchObject({ segments: 1, units: 160, remainingInSegment: 0 });
    expect(countSmsSegments("a".repeat(161))).toMatchObject({ segments: 2, unitsPerSegment: 153 });
    expect(countSmsSegments("a".repeat(306)).segments).toBe(2);
    expect(countSmsSegments("a".repeat(307)).segments).toBe(3);
    expect(countSmsSegments("")).toMatchObject({ segments: 0, characters: 0 });
  });

  it("keeps Spanish in GSM-7 for é, ñ, ¿ and ¡, but á, í, ó, ú force UCS-2", () => {
    expect(isGsm7("¡Mañana! ¿Café?")).toBe(true);
    const spanish = countSmsSegments("¿Dónde está mi pedido?");
    expect(spanish.encoding).toBe("UCS-2");
    expect(spanish.nonGsmCharacters).toEqual(["ó", "á"]);
    expect(countSmsSegments("á".repeat(70))).toMatchObject({ segments: 1, unitsPerSegment: 70 });
    expect(countSmsSegments("á".repeat(71))).toMatchObject({ segments: 2, unitsPerSegment: 67 });
  });

  it("sends Brazilian Portuguese with ã or ç as UCS-2 (GSM-7 only has a capital Ç)", () => {
    const text = countSmsSegments("Atenção: seu pedido saiu para entrega");
    expect(text.encoding).toBe("UCS-2");
    expect(text.nonGsmCharacters).toEqual(["ç", "ã"]);
    expect(isGsm7("Ç")).toBe(true);
  });

  it("counts extension characters such as € twice and never splits them across segments", () => {
    expect(countSmsSegments("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1, characters: 80 });
    expect(countSmsSegments("€".repeat(81)).segments).toBe(2);
    expect(countSmsSegments("Total: 48,00 € [IVA incl.]")).toMatchObject({ encoding: "GSM-7", units: 29 });
    // 152 + € (2) + 152 = 306 septets: naively two segments, but € cannot straddle the first boundary.
    expect(countSmsSegments(`${"a".repeat(152)}€${"a".repeat(152)}`).segments).toBe(3);
  });

  it("counts emoji as two UTF-16 units and never splits a surrogate pair", () => {
    const thumbs = countSmsSegments("👍");
    expect(thumbs).toMatchObject({ encoding: "UCS-2", characters: 1, units: 2, nonGsmCharacters: ["👍"] });
    expect(countSmsSegments("😀".repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(countSmsSegments("😀".repeat(36)).segments).toBe(2);
    expect(countSmsSegments(`${"á".repeat(66)}😀${"á".repeat(66)}`).segments).toBe(3);
  });

  it("notices invisible culprits: a no-break space from Intl money formatting forces UCS-2", () => {
    const formatted = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "USD" }).format(48);
    expect(countSmsSegments(`Total ${formatted}`).nonGsmCharacters).toEqual(["\u00a0"]);
    expect(countSmsSegments("Total US$ 48,00").encoding).toBe("GSM-7");
  });
});
