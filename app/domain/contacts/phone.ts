// Phone numbers as shoppers and merchants type them → E.164 (+14155552671), the one form
// Avisa stores, compares and hands to Twilio. Uses libphonenumber-js with its full metadata
// ("max"), so `isValid()` checks real number ranges, not just lengths, and the line type is known.
import { isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode, type PhoneNumber } from "libphonenumber-js/max";

export type PhoneLineType = "mobile" | "fixed_line" | "fixed_line_or_mobile" | "other" | "unknown";

/**
 * Why a number was refused, as a code the admin words in the merchant's language (the English
 * `error` beside it is for logs). `country` is set on the codes that name one (too_short,
 * too_long, wrong_length, invalid) when the number's or the default country is known.
 */
export const PHONE_PROBLEMS = [
  "missing",
  "not_a_number",
  "unknown_country_code",
  "no_country_code",
  "too_short",
  "too_long",
  "wrong_length",
  "invalid",
] as const;
export type PhoneProblem = (typeof PHONE_PROBLEMS)[number];

export type NormalisedPhone =
  | {
      ok: true;
      /** E.164, e.g. "+5511987654321". */
      value: string;
      /** ISO 3166-1 alpha-2, e.g. "BR"; null for non-geographic numbers (+800 ...). */
      country: string | null;
      /** "fixed_line" numbers usually cannot receive SMS or WhatsApp. */
      lineType: PhoneLineType;
    }
  | {
      ok: false;
      code: PhoneProblem;
      /** ISO 3166-1 alpha-2 the problem is about ("too short for Spain"), or null. */
      country: string | null;
      /** English, for logs: "“123” is too short for United States." */
      error: string;
    };

/**
 * Normalises one phone number. `defaultCountry` (the address's or the store's country) is used
 * only when the number is written without its country code.
 */
export function normalisePhone(raw: string | null | undefined, defaultCountry?: string | null): NormalisedPhone {
  const written = (raw ?? "").trim();
  if (!written) return { ok: false, code: "missing", country: null, error: "No phone number given." };
  const country = knownCountry(defaultCountry);
  const text = repairLegacyFormats(stripChannelPrefix(written), country);

  let parsed = parsePhoneNumberFromString(text, country);
  // Brazilian mobiles gained a 9th digit (2012–2016); old contacts and WhatsApp IDs still lack it.
  if (parsed && parsed.country === "BR" && !parsed.isValid()) parsed = withBrazilianNinthDigit(parsed) ?? parsed;

  if (parsed?.isValid()) {
    return { ok: true, value: parsed.number, country: parsed.country ?? null, lineType: lineTypeOf(parsed) };
  }
  return { ok: false, ...whyInvalid(written, text, country, parsed) };
}

// "whatsapp:+34612345678" (Twilio's WhatsApp addresses), "tel:", "sms:".
function stripChannelPrefix(text: string): string {
  return text.replace(/^(whatsapp|tel|sms):\s*/i, "").trim();
}

/**
 * Mexico removed its mobile prefixes in August 2019: "+52 1 55 …" (still used by WhatsApp IDs)
 * and the national "044"/"045"/"01" prefixes are gone; the number is the 10 digits after them.
 */
function repairLegacyFormats(text: string, defaultCountry: CountryCode | undefined): string {
  const digits = text.replace(/[^\d+]/g, "");
  const international = /^\+521(\d{10})$/.exec(digits);
  if (international) return `+52${international[1]}`;
  if (defaultCountry === "MX" && !digits.startsWith("+")) {
    const national = /^(?:044|045|01)(\d{10})$/.exec(digits);
    if (national) return national[1];
  }
  return text;
}

/** Old 8-digit Brazilian mobiles (first digit 6–9) get the 9 the numbering plan now requires. */
function withBrazilianNinthDigit(parsed: PhoneNumber): PhoneNumber | null {
  const national = String(parsed.nationalNumber);
  const match = /^(\d{2})([6-9]\d{7})$/.exec(national);
  if (!match) return null;
  const repaired = parsePhoneNumberFromString(`+55${match[1]}9${match[2]}`);
  return repaired?.isValid() ? repaired : null;
}

function lineTypeOf(parsed: PhoneNumber): PhoneLineType {
  switch (parsed.getType()) {
    case "MOBILE":
      return "mobile";
    case "FIXED_LINE":
      return "fixed_line";
    case "FIXED_LINE_OR_MOBILE":
      return "fixed_line_or_mobile";
    case undefined:
      return "unknown";
    default:
      return "other";
  }
}

type Refusal = { code: PhoneProblem; country: string | null; error: string };

function whyInvalid(written: string, text: string, country: CountryCode | undefined, parsed: PhoneNumber | undefined): Refusal {
  const quoted = `“${written}”`;
  const where = parsed?.country ?? country ?? null;
  const inCountry = where ? ` for ${countryName(where)}` : "";
  switch (validatePhoneNumberLength(text, country)) {
    case "NOT_A_NUMBER":
      return { code: "not_a_number", country: null, error: `${quoted} is not a phone number.` };
    case "INVALID_COUNTRY":
      return text.startsWith("+")
        ? { code: "unknown_country_code", country: null, error: `${quoted} starts with a country code that does not exist.` }
        : {
            code: "no_country_code",
            country: null,
            error: `${quoted} has no country code. Write it with + and the country code, e.g. +1 for the United States or +52 for Mexico.`,
          };
    case "TOO_SHORT":
      return { code: "too_short", country: where, error: `${quoted} is too short${inCountry}.` };
    case "TOO_LONG":
      return { code: "too_long", country: where, error: `${quoted} is too long${inCountry}.` };
    case "INVALID_LENGTH":
      return { code: "wrong_length", country: where, error: `${quoted} has the wrong number of digits${inCountry}.` };
    default:
      return { code: "invalid", country: where, error: where ? `${quoted} is not a valid phone number in ${countryName(where)}.` : `${quoted} is not a valid phone number.` };
  }
}

function knownCountry(code: string | null | undefined): CountryCode | undefined {
  const upper = code?.trim().toUpperCase();
  return upper && /^[A-Z]{2}$/.test(upper) && isSupportedCountry(upper) ? upper : undefined;
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
