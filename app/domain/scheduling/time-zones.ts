// A shopper's time zone from their address, for quiet hours. Countries with one zone map
// directly; the US, Mexico, Brazil and Spain go by state/province. Unknown → null (the shop's zone).

const COUNTRY_ZONES: Record<string, string> = {
  AR: "America/Argentina/Buenos_Aires", CL: "America/Santiago", CO: "America/Bogota", PE: "America/Lima",
  UY: "America/Montevideo", PY: "America/Asuncion", BO: "America/La_Paz", EC: "America/Guayaquil",
  VE: "America/Caracas", CR: "America/Costa_Rica", PA: "America/Panama", GT: "America/Guatemala",
  DO: "America/Santo_Domingo", PR: "America/Puerto_Rico", PT: "Europe/Lisbon", GB: "Europe/London",
  IE: "Europe/Dublin", FR: "Europe/Paris", DE: "Europe/Berlin", IT: "Europe/Rome", NL: "Europe/Amsterdam",
};

const US_ZONES: Record<string, string> = {
  // Eastern
  CT: "America/New_York", DE: "America/New_York", DC: "America/New_York", FL: "America/New_York", GA: "America/New_York",
  ME: "America/New_York", MD: "America/New_York", MA: "America/New_York", MI: "America/Detroit", NH: "America/New_York",
  NJ: "America/New_York", NY: "America/New_York", NC: "America/New_York", OH: "America/New_York", PA: "America/New_York",
  RI: "America/New_York", SC: "America/New_York", VT: "America/New_York", VA: "America/New_York", WV: "America/New_York",
  IN: "America/Indiana/Indianapolis", KY: "America/New_York",
  // Central
  AL: "America/Chicago", AR: "America/Chicago", IL: "America/Chicago", IA: "America/Chicago", KS: "America/Chicago",
  LA: "America/Chicago", MN: "America/Chicago", MS: "America/Chicago", MO: "America/Chicago", NE: "America/Chicago",
  ND: "America/Chicago", OK: "America/Chicago", SD: "America/Chicago", TN: "America/Chicago", TX: "America/Chicago",
  WI: "America/Chicago",
  // Mountain, Pacific and beyond
  AZ: "America/Phoenix", CO: "America/Denver", ID: "America/Boise", MT: "America/Denver", NM: "America/Denver",
  UT: "America/Denver", WY: "America/Denver", CA: "America/Los_Angeles", NV: "America/Los_Angeles",
  OR: "America/Los_Angeles", WA: "America/Los_Angeles", AK: "America/Anchorage", HI: "Pacific/Honolulu",
};

const MX_ZONES: Record<string, string> = { BC: "America/Tijuana", BCS: "America/Mazatlan", SIN: "America/Mazatlan", SON: "America/Hermosillo", CHIH: "America/Chihuahua", QROO: "America/Cancun" };
const BR_ZONES: Record<string, string> = { AM: "America/Manaus", MT: "America/Cuiaba", MS: "America/Campo_Grande", RO: "America/Porto_Velho", RR: "America/Boa_Vista", AC: "America/Rio_Branco", PA: "America/Belem", CE: "America/Fortaleza", PE: "America/Recife", BA: "America/Bahia" };
const ES_ZONES: Record<string, string> = { TF: "Atlantic/Canary", GC: "Atlantic/Canary" };

export function timeZoneOf(countryCode: string | null | undefined, provinceCode: string | null | undefined): string | null {
  const country = countryCode?.toUpperCase();
  const province = provinceCode?.toUpperCase() ?? "";
  switch (country) {
    case "US":
      return US_ZONES[province] ?? null;
    case "MX":
      return MX_ZONES[province] ?? "America/Mexico_City";
    case "BR":
      return BR_ZONES[province] ?? "America/Sao_Paulo";
    case "ES":
      return ES_ZONES[province] ?? "Europe/Madrid";
    case undefined:
      return null;
    default:
      return COUNTRY_ZONES[country] ?? null;
  }
}
