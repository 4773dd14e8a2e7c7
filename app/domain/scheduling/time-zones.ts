// A shopper's time zone from their address, for quiet hours. Countries with one zone map
// directly; the US, Mexico, Brazil and Spain go by state/province. Unknown → null (the shop's zone).

const COUNTRY_ZONES: Record<string, string> = {
  AR: "America/Argentina/Buenos_Aires", CL: "America/Santiago", CO: "America/Bogota", PE: "America/Lima",
  UY: "America/Montevideo", PY: "America/Asuncion", BO: "America/La_Paz", EC: "America/Guayaquil",
  VE: "America/Caracas", CR: "America/Costa_Rica", PA: "America/Panama", GT: "America/Guatemala",
  DO: "America/Santo_Domingo", PR: "America/Puerto_Rico", PT: "Europe/Lisbon", GB: "Europe/London",
  IE: "Europe/Dublin", FR: "Europe/Paris", DE: "Europe/Berlin", IT: "Europe/Rome", NL: "Europe/Amsterdam",
  SV: "America/El_Salvador", HN: "America/Tegucigalpa", NI: "America/Managua", CU: "America/Havana", JM: "America/Jamaica",
  BE: "Europe/Brussels", LU: "Europe/Luxembourg", CH: "Europe/Zurich", AT: "Europe/Vienna", DK: "Europe/Copenhagen",
  SE: "Europe/Stockholm", NO: "Europe/Oslo", FI: "Europe/Helsinki", PL: "Europe/Warsaw", CZ: "Europe/Prague", GR: "Europe/Athens",
  IL: "Asia/Jerusalem", AE: "Asia/Dubai", IN: "Asia/Kolkata", SG: "Asia/Singapore", HK: "Asia/Hong_Kong", JP: "Asia/Tokyo",
  KR: "Asia/Seoul", PH: "Asia/Manila", ZA: "Africa/Johannesburg", NZ: "Pacific/Auckland",
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

// Mexico dropped DST in 2022 except along the US border (America/Tijuana, America/Ciudad_Juarez, ...).
// Shopify writes Quintana Roo as "Q ROO"; the rest of Mexico is on America/Mexico_City.
const MX_ZONES: Record<string, string> = {
  BC: "America/Tijuana", BCS: "America/Mazatlan", SIN: "America/Mazatlan", NAY: "America/Mazatlan", SON: "America/Hermosillo",
  CHIH: "America/Chihuahua", QROO: "America/Cancun", "Q ROO": "America/Cancun",
};
const BR_ZONES: Record<string, string> = { MA: "America/Fortaleza", PI: "America/Fortaleza", RN: "America/Fortaleza", PB: "America/Fortaleza", AL: "America/Maceio", SE: "America/Maceio", TO: "America/Araguaina", AP: "America/Belem", AM: "America/Manaus", MT: "America/Cuiaba", MS: "America/Campo_Grande", RO: "America/Porto_Velho", RR: "America/Boa_Vista", AC: "America/Rio_Branco", PA: "America/Belem", CE: "America/Fortaleza", PE: "America/Recife", BA: "America/Bahia" };
const ES_ZONES: Record<string, string> = { TF: "Atlantic/Canary", GC: "Atlantic/Canary" };
const CA_ZONES: Record<string, string> = {
  ON: "America/Toronto", QC: "America/Toronto", NS: "America/Halifax", NB: "America/Moncton", PE: "America/Halifax",
  NL: "America/St_Johns", MB: "America/Winnipeg", SK: "America/Regina", AB: "America/Edmonton", BC: "America/Vancouver",
  YT: "America/Whitehorse", NT: "America/Yellowknife", NU: "America/Iqaluit",
};
const AU_ZONES: Record<string, string> = {
  NSW: "Australia/Sydney", ACT: "Australia/Sydney", VIC: "Australia/Melbourne", QLD: "Australia/Brisbane", SA: "Australia/Adelaide",
  WA: "Australia/Perth", TAS: "Australia/Hobart", NT: "Australia/Darwin",
};

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
    case "CA":
      return CA_ZONES[province] ?? null;
    case "AU":
      return AU_ZONES[province] ?? null;
    case undefined:
      return null;
    default:
      return COUNTRY_ZONES[country] ?? null;
  }
}
