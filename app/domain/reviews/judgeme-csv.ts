// Reviews in and out as Judge.me CSV, so merchants can move to Avisa (and away) without losing
// their reviews.
//
// Columns, as relied on here (checked 2026 against public material, since Judge.me's help
// pages were not reachable from the build): Judge.me's review export writes
//   title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,
//   product_handle,reply,reply_date,picture_urls,ip_address,location
// in that order (the same header appears in several independent projects that parse or
// generate Judge.me files; newer exports add metaobject_handle). Judge.me's import template
// ("Importing reviews using Judge.me template") is summarised by third parties as: body and
// rating required; product_id / product_handle identify the product (blank = a shop review,
// which Avisa does not have); review_date as dd/mm/yyyy; curated = ok | not-yet | spam;
// picture_urls = up to 5 public JPG/PNG addresses separated by commas. Exports write dates as
// "2025-03-02 10:12:00 UTC". Both date styles are read; Avisa writes the export style.
import {
  REVIEW_LIMITS,
  cleanLine,
  cleanText,
  codePointLength,
  normaliseEmail,
  normaliseProductId,
  sliceCodePoints,
} from "./review-submission";
import { isWebUrl } from "./review-photo";
import type { ReviewStatus } from "./publish-rule";

export const JUDGEME_COLUMNS = [
  "title",
  "body",
  "rating",
  "review_date",
  "source",
  "curated",
  "reviewer_name",
  "reviewer_email",
  "product_id",
  "product_handle",
  "reply",
  "reply_date",
  "picture_urls",
  "ip_address",
  "location",
] as const;
type Column = (typeof JUDGEME_COLUMNS)[number];

/** Judge.me imports at most 5 pictures per review; the same cap applies coming in. */
export const MAX_IMPORTED_PICTURES = 5;

/** A review as the CSV carries it (what export takes and, with a line and key, what import gives). */
export type JudgeMeReview = {
  /** Digits; null when the file only names the handle (the service resolves it). */
  productId: string | null;
  productHandle: string | null;
  rating: number;
  title: string | null;
  /** May be "" when the review has a title. */
  body: string;
  /** May be "" (Judge.me shows such reviews as anonymous). */
  authorName: string;
  authorEmail: string | null;
  createdAt: Date;
  status: ReviewStatus;
  /** Judge.me's source column (web, email, import, ...), kept for the record. */
  source: string | null;
  replyBody: string | null;
  repliedAt: Date | null;
  /** External http(s) picture addresses. */
  pictureUrls: string[];
};

export type ImportedReview = JudgeMeReview & {
  /** Physical line in the file where the row starts (the header is line 1). */
  line: number;
  /** Same row, same key: store it unique per shop and a second import of the file adds nothing. */
  importKey: string;
};

/**
 * A line that was not imported (or was, with something left out): a code with its values, which
 * the admin words in the merchant's language, and an English sentence for logs. Values are cell
 * text as written (`value`, shortened to 60 characters), column names (`column`, `columns`) and numbers.
 */
export type CsvProblem = { line: number; code: CsvProblemCode; params: CsvProblemParams; message: string };
export type CsvProblemParams = Record<string, string | number>;

export type JudgeMeParseResult = {
  rows: ImportedReview[];
  /** Rows (or the whole file, line 1) that were not imported, saying what to fix. */
  errors: CsvProblem[];
  /** Rows imported with something left out (a bad picture address, an invalid email, a repeat). */
  warnings: CsvProblem[];
};

// ---------------------------------------------------------------- RFC 4180

export type CsvRecord = { line: number; cells: string[] };
export type CsvParse = { records: CsvRecord[]; unclosedQuoteLine: number | null };

/**
 * RFC 4180 records: fields separated by `delimiter`, records by CRLF or LF (or a lone CR);
 * a field in double quotes may hold delimiters, line breaks and "" for one quote. Leniencies
 * (what spreadsheets produce): a leading BOM is dropped, a quote inside an unquoted field is a
 * plain character, text after a closing quote is kept. Blank lines are skipped. An unclosed
 * quote ends parsing at the record it opened in, reported by its line.
 */
export function parseCsv(text: string, delimiter = ","): CsvParse {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = "";
  let quoted = false; // this field began with a quote
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endRecord = () => {
    cells.push(field);
    if (cells.some((cell) => cell !== "")) records.push({ line: recordLine, cells });
    cells = [];
    field = "";
    quoted = false;
  };

  while (i < text.length) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          inQuotes = false;
          i += 1;
        }
        continue;
      }
      if (char === "\n" || (char === "\r" && text[i + 1] !== "\n")) line += 1;
      field += char;
      i += 1;
      continue;
    }
    if (char === '"' && field === "" && !quoted) {
      inQuotes = true;
      quoted = true;
      quoteLine = line;
      i += 1;
    } else if (char === delimiter) {
      cells.push(field);
      field = "";
      quoted = false;
      i += 1;
    } else if (char === "\r" || char === "\n") {
      endRecord();
      i += char === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line += 1;
      recordLine = line;
    } else {
      field += char;
      i += 1;
    }
  }
  if (inQuotes) return { records, unclosedQuoteLine: quoteLine };
  if (field !== "" || cells.length > 0) endRecord();
  return { records, unclosedQuoteLine: null };
}

/** The delimiter of the header line: Excel saves CSV with ";" in Spanish and Portuguese settings. */
export function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\ufeff/, "").split(/\r\n|\n|\r/, 1)[0] ?? "";
  const outsideQuotes = firstLine.replace(/"[^"]*"/g, "");
  const counts = [",", ";", "\t"].map((delimiter) => ({ delimiter, count: outsideQuotes.split(delimiter).length - 1 }));
  const best = counts.reduce((a, b) => (b.count > a.count ? b : a));
  return best.count > 0 ? best.delimiter : ",";
}

/** One CSV field: quoted when it holds a quote, delimiter or line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV Injection"):
// such a cell gets a leading apostrophe, which they show as plain text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text cell for export: an apostrophe in front of anything a spreadsheet would run as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Reverse of neutraliseFormula, so an exported file imports to the same text. */
function restoreFormulaText(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

// ---------------------------------------------------------------- messages

/** Every problem the parser reports; `params` names, per code, are listed beside each. */
export const JUDGEME_CSV_PROBLEM_CODES = [
  "empty_file",
  "missing_columns", // columns
  "unclosed_quote",
  "too_many_values", // count, columns
  "rating_invalid", // value
  "text_missing",
  "title_too_long", // max
  "body_too_long", // max
  "name_too_long", // max
  "date_missing", // column
  "date_invalid", // column, value
  "date_future", // column, value
  "curated_unknown", // value
  "product_missing",
  "product_id_invalid", // value
  "duplicate_row", // line (the first one)
  "picture_url_invalid", // value
  "too_many_pictures", // count, max
  "email_invalid", // value
] as const;
export type CsvProblemCode = (typeof JUDGEME_CSV_PROBLEM_CODES)[number];

type Params = CsvProblemParams;

/** English, for logs (the admin words each code from app/locales: reviews.errors.csv.*). */
const CSV_MESSAGES: Record<CsvProblemCode, string> = {
  empty_file: "The file has no reviews. Upload the CSV file exported from Judge.me.",
  missing_columns: "The first row is missing these columns: {columns}. Upload the CSV exported from Judge.me, or add the columns to the first row.",
  unclosed_quote: "A quoted value that starts on this line is never closed, so the rest of the file could not be read. Add the missing \" and upload the file again.",
  too_many_values: "This row has {count} values but the first row names {columns} columns. Put quotes around any value that contains a comma.",
  rating_invalid: "The rating \"{value}\" is not a whole number from 1 to 5. Fix the rating.",
  text_missing: "The review has neither a title nor a body. Add at least one of them.",
  title_too_long: "The title is longer than {max} characters. Shorten it.",
  body_too_long: "The body is longer than {max} characters. Shorten it.",
  name_too_long: "The reviewer_name is longer than {max} characters. Shorten it.",
  date_missing: "The {column} is empty. Add the date the review was written, such as 2025-03-02 or 02/03/2025.",
  date_invalid: "The {column} \"{value}\" is not a date Avisa can read. Use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS UTC or dd/mm/yyyy.",
  date_future: "The {column} \"{value}\" is in the future. Fix the date.",
  curated_unknown: "The curated value \"{value}\" is unknown. Use ok (published), not-yet (waiting for moderation) or spam (rejected).",
  product_missing: "The row has no product_id or product_handle. Add one so Avisa knows which product the review is for.",
  product_id_invalid: "The product_id \"{value}\" is not a Shopify product ID (digits only). Fix it, or leave it empty and fill in product_handle.",
  duplicate_row: "This row repeats the review on line {line}, so it was skipped.",
  picture_url_invalid: "The picture address \"{value}\" is not a web address starting with https://, so it was left out.",
  too_many_pictures: "The review has {count} pictures; only the first {max} were kept.",
  email_invalid: "The reviewer_email \"{value}\" is not a valid address, so it was left out.",
};

/** Every CSV message, in English (for tests). */
export const JUDGEME_CSV_MESSAGES = CSV_MESSAGES;

function message(code: CsvProblemCode, params: Params = {}): string {
  return CSV_MESSAGES[code].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A cell's text inside a message: short, on one line. */
const quoteValue = (value: string) => {
  const line = cleanLine(value);
  return codePointLength(line) > 60 ? `${sliceCodePoints(line, 60)}…` : line;
};

// ---------------------------------------------------------------- dates

/** A date-only value is placed at 12:00 UTC, which is the same calendar day from UTC−11 to UTC+11. */
const DATE_ONLY_HOUR_UTC = 12;

function utcDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date | null {
  if (year < 1970 || year > 9999 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2025-02-30 over to March; a real date survives the round trip.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/**
 * Dates as Judge.me files carry them: "2025-03-02", "2025-03-02 10:12:00 UTC",
 * "2025-03-02T10:12:00Z" / "+02:00" (no zone = UTC), and the import template's "02/03/2025"
 * (day first; "03/25/2025" is refused rather than guessed).
 */
export function parseJudgeMeDate(raw: string): Date | null {
  const text = raw.trim();
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) return utcDate(+match[1], +match[2], +match[3], DATE_ONLY_HOUR_UTC);

  match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (match) {
    const base = utcDate(+match[1], +match[2], +match[3], +match[4], +match[5], +(match[6] ?? 0));
    if (!base) return null;
    const zone = (match[7] ?? "UTC").toUpperCase();
    if (zone === "Z" || zone === "UTC" || zone === "GMT") return base;
    const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const minutes = (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
    if (Math.abs(minutes) > 14 * 60) return null;
    return new Date(base.getTime() - minutes * 60_000);
  }

  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (match) {
    if (match[4] === undefined) return utcDate(+match[3], +match[2], +match[1], DATE_ONLY_HOUR_UTC);
    return utcDate(+match[3], +match[2], +match[1], +match[4], +match[5], +(match[6] ?? 0));
  }
  return null;
}

/** "2025-03-02 10:12:00 UTC", the form Judge.me's export writes. Seconds precision. */
export function formatJudgeMeDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

// ---------------------------------------------------------------- import

/** A plain-object lookup that a cell saying "constructor" or "__proto__" cannot reach past. */
const own = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

const HEADER_ALIASES: Record<string, Column> = { review_title: "title", review_body: "body" };

function headerKey(raw: string): string {
  return raw.replace(/^\ufeff/, "").trim().toLowerCase().replace(/[\s-]+/g, "_");
}

const CURATED: Record<string, ReviewStatus> = {
  ok: "published",
  published: "published",
  "not-yet": "pending",
  not_yet: "pending",
  "not yet": "pending",
  pending: "pending",
  "": "pending",
  spam: "rejected",
  hidden: "rejected",
  rejected: "rejected",
};

export type JudgeMeParseOptions = {
  /** When given, a review_date after this moment is refused. */
  now?: Date;
};

/**
 * Reads a Judge.me CSV. Header names match case-insensitively (spaces and hyphens count as
 * underscores); unknown columns are ignored; missing required columns are one file-level error
 * naming all of them. Each row is checked on its own: a bad row is reported by its line and
 * the rest still import. Nothing is stored here; the service writes `rows` (upsert on importKey).
 */
export function parseJudgeMeCsv(text: string, options: JudgeMeParseOptions = {}): JudgeMeParseResult {
  const errors: CsvProblem[] = [];
  const warnings: CsvProblem[] = [];
  const problem = (list: CsvProblem[], line: number, code: CsvProblemCode, params: Params = {}) => list.push({ line, code, params, message: message(code, params) });

  const { records, unclosedQuoteLine } = parseCsv(text, detectDelimiter(text));
  const [header, ...dataRecords] = records;
  if (!header) {
    problem(errors, 1, unclosedQuoteLine === null ? "empty_file" : "unclosed_quote");
    return { rows: [], errors, warnings };
  }

  const index = new Map<Column, number>();
  header.cells.forEach((cell, position) => {
    const key = headerKey(cell);
    const column = (JUDGEME_COLUMNS as readonly string[]).includes(key) ? (key as Column) : own(HEADER_ALIASES, key);
    if (column && !index.has(column)) index.set(column, position);
  });
  const missing: string[] = (["rating", "body", "review_date"] as const).filter((column) => !index.has(column));
  if (!index.has("product_id") && !index.has("product_handle")) missing.push("product_id / product_handle");
  if (missing.length > 0) {
    problem(errors, header.line, "missing_columns", { columns: missing.join(", ") });
    return { rows: [], errors, warnings };
  }

  const rows: ImportedReview[] = [];
  const seen = new Map<string, number>();
  for (const record of dataRecords) {
    if (record.cells.length > header.cells.length && record.cells.slice(header.cells.length).some((cell) => cell.trim() !== "")) {
      problem(errors, record.line, "too_many_values", { count: record.cells.length, columns: header.cells.length });
      continue;
    }
    const cell = (column: Column) => {
      const position = index.get(column);
      return position === undefined ? "" : restoreFormulaText(record.cells[position] ?? "");
    };
    const rowErrors = errors.length;
    const rowError = (code: CsvProblemCode, params?: Params) => problem(errors, record.line, code, params);
    const rowWarning = (code: CsvProblemCode, params?: Params) => problem(warnings, record.line, code, params);
    const readDate = (raw: string, column: "review_date" | "reply_date", required: boolean): Date | null => {
      const value = raw.trim();
      if (!value) {
        if (required) rowError("date_missing", { column });
        return null;
      }
      const date = parseJudgeMeDate(value);
      if (!date) rowError("date_invalid", { column, value: quoteValue(value) });
      else if (options.now && date.getTime() > options.now.getTime()) rowError("date_future", { column, value: quoteValue(value) });
      return date;
    };

    const ratingText = cell("rating").trim();
    const rating = /^[1-5](?:\.0+)?$/.test(ratingText) ? Math.trunc(Number(ratingText)) : null;
    if (rating === null) rowError("rating_invalid", { value: quoteValue(ratingText) });

    const title = cleanLine(cell("title"));
    const body = cleanText(cell("body"));
    if (!title && !body) rowError("text_missing");
    if (codePointLength(title) > REVIEW_LIMITS.titleMax) rowError("title_too_long", { max: REVIEW_LIMITS.titleMax });
    if (codePointLength(body) > REVIEW_LIMITS.bodyMax) rowError("body_too_long", { max: REVIEW_LIMITS.bodyMax });

    const authorName = cleanLine(cell("reviewer_name"));
    if (codePointLength(authorName) > REVIEW_LIMITS.authorNameMax) rowError("name_too_long", { max: REVIEW_LIMITS.authorNameMax });

    const emailText = cleanLine(cell("reviewer_email"));
    const authorEmail = emailText ? normaliseEmail(emailText) : null;
    if (emailText && !authorEmail) rowWarning("email_invalid", { value: quoteValue(emailText) });

    const createdAt = readDate(cell("review_date"), "review_date", true);
    const replyBody = cleanText(cell("reply")) || null;
    const repliedAt = replyBody ? readDate(cell("reply_date"), "reply_date", false) : null;

    const curated = cell("curated").trim().toLowerCase();
    const status = own(CURATED, curated);
    if (!status) rowError("curated_unknown", { value: quoteValue(curated) });

    const productIdText = cell("product_id").trim();
    const productId = productIdText ? normaliseProductId(productIdText) : null;
    const productHandle = cleanLine(cell("product_handle")).toLowerCase() || null;
    if (productIdText && !productId) rowError("product_id_invalid", { value: quoteValue(productIdText) });
    else if (!productId && !productHandle) rowError("product_missing");

    const pictureUrls = readPictures(cell("picture_urls"), rowWarning);

    if (errors.length > rowErrors) continue;
    const review: JudgeMeReview = {
      productId,
      productHandle,
      rating: rating!,
      title: title || null,
      body,
      authorName,
      authorEmail,
      createdAt: createdAt!,
      status: status!,
      source: cleanLine(cell("source")) || null,
      replyBody,
      repliedAt: repliedAt ?? null,
      pictureUrls,
    };
    const importKey = judgeMeImportKey(review);
    const firstLine = seen.get(importKey);
    if (firstLine !== undefined) {
      rowWarning("duplicate_row", { line: firstLine });
      continue;
    }
    seen.set(importKey, record.line);
    rows.push({ ...review, line: record.line, importKey });
  }
  if (unclosedQuoteLine !== null) problem(errors, unclosedQuoteLine, "unclosed_quote");
  if (rows.length === 0 && errors.length === 0 && warnings.length === 0) problem(errors, header.line, "empty_file");
  return { rows, errors, warnings };
}

function readPictures(raw: string, warn: (code: CsvProblemCode, params?: Params) => void): string[] {
  // Judge.me separates addresses with commas; spaces and line breaks are tolerated too.
  const candidates = raw
    .split(/[,\s]+/)
    .map((value) => value.trim())
    .filter(Boolean);
  const urls: string[] = [];
  for (const candidate of candidates) {
    if (isWebUrl(candidate)) urls.push(candidate);
    else warn("picture_url_invalid", { value: quoteValue(candidate) });
  }
  if (urls.length > MAX_IMPORTED_PICTURES) {
    warn("too_many_pictures", { count: urls.length, max: MAX_IMPORTED_PICTURES });
    return urls.slice(0, MAX_IMPORTED_PICTURES);
  }
  return urls;
}

/**
 * Deterministic, hash-free identity of an imported review: product, reviewer email, review
 * date and the first 40 code points of the text (white space collapsed, so CRLF vs LF or a
 * re-wrapped cell does not make a new review). JSON array form: no separator can be forged.
 */
export function judgeMeImportKey(review: Pick<JudgeMeReview, "productId" | "productHandle" | "authorEmail" | "createdAt" | "body" | "title">): string {
  const product = review.productId ? `id:${review.productId}` : `handle:${review.productHandle ?? ""}`;
  const text = sliceCodePoints((review.body || review.title || "").replace(/\s+/g, " ").trim(), 40);
  return JSON.stringify(["judgeme", product, review.authorEmail ?? "", review.createdAt.toISOString(), text]);
}

// ---------------------------------------------------------------- export

const CURATED_OUT: Record<ReviewStatus, string> = { published: "ok", pending: "not-yet", rejected: "spam" };

/**
 * Judge.me CSV of `reviews`: the export's columns in its order, CRLF line ends, dates as
 * "YYYY-MM-DD HH:MM:SS UTC". ip_address and location stay empty (Avisa keeps neither).
 * `bom: true` adds a UTF-8 BOM so Excel opens accents correctly; the importer here accepts both.
 */
export function exportJudgeMeCsv(reviews: readonly JudgeMeReview[], options: { bom?: boolean } = {}): string {
  const text = (value: string | null) => csvField(neutraliseFormula(value ?? ""));
  const lines = [JUDGEME_COLUMNS.join(",")];
  for (const review of reviews) {
    const cells: Record<Column, string> = {
      title: text(review.title),
      body: text(review.body),
      rating: String(review.rating),
      review_date: formatJudgeMeDate(review.createdAt),
      source: text(review.source),
      curated: CURATED_OUT[review.status],
      reviewer_name: text(review.authorName),
      reviewer_email: text(review.authorEmail),
      product_id: review.productId ?? "",
      product_handle: text(review.productHandle),
      reply: text(review.replyBody),
      reply_date: review.repliedAt ? formatJudgeMeDate(review.repliedAt) : "",
      picture_urls: text(review.pictureUrls.slice(0, MAX_IMPORTED_PICTURES).join(",")),
      ip_address: "",
      location: "",
    };
    lines.push(JUDGEME_COLUMNS.map((column) => cells[column]).join(","));
  }
  return `${options.bom ? "\ufeff" : ""}${lines.join("\r\n")}\r\n`;
}
