import { describe, expect, it } from "vitest";
import {
  JUDGEME_COLUMNS,
  JUDGEME_CSV_MESSAGES,
  JUDGEME_CSV_PROBLEM_CODES,
  csvField,
  detectDelimiter,
  exportJudgeMeCsv,
  formatJudgeMeDate,
  judgeMeImportKey,
  neutraliseFormula,
  parseCsv,
  parseJudgeMeCsv,
  parseJudgeMeDate,
  type JudgeMeReview,
} from "../../../app/domain/reviews/judgeme-csv";
import { CSV_PROBLEM_KEYS, importProblemKey } from "../../../app/routes/app.reviews._index";
import { translator } from "../../../app/i18n";
import en from "../../../app/locales/en.json";
import es from "../../../app/locales/es.json";
import ptBR from "../../../app/locales/pt-BR.json";

const CATALOGUES: Record<string, Record<string, string>> = { en, es, "pt-BR": ptBR };

const HEADER = JUDGEME_COLUMNS.join(",");
// A row as Judge.me's export writes it (dates "YYYY-MM-DD HH:MM:SS UTC", pictures comma-separated).
const ROW = 'Top,"Très bonne qualité, livraison rapide.",5,2025-03-02 10:12:00 UTC,web,ok,Camille Rousseau,c@x.fr,7012345678,creme-visage,,,"https://judgeme.imgix.net/a.jpg,https://judgeme.imgix.net/b.jpg",1.1.1.1,FR';

const cells = (text: string) => parseCsv(text).records.map((record) => record.cells);

describe("parseCsv (RFC 4180)", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    expect(cells('a,b,c\n"x, y","say ""hi""","line1\nline2"\n')).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "line1\nline2"],
    ]);
  });

  it("handles CRLF, a lone CR, a BOM, a missing final newline and blank lines", () => {
    expect(cells("\ufeffa,b\r\n1,2\r\n\r\n3,4\r5,6")).toEqual([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]]);
  });

  it("keeps empty fields, and quoted empty fields", () => {
    expect(cells('a,,c\n"",x,""')).toEqual([["a", "", "c"], ["", "x", ""]]);
  });

  it("reports the physical line where each record starts", () => {
    const parsed = parseCsv('h1,h2\n"multi\nline\nvalue",x\nnext,row\n');
    expect(parsed.records.map((record) => record.line)).toEqual([1, 2, 5]);
  });

  it("is lenient with stray quotes and reports a quote that never closes", () => {
    expect(cells('a,b"c,d\n"x"y,z')).toEqual([["a", 'b"c', "d"], ["xy", "z"]]);
    const broken = parseCsv('a,b\n1,2\n"open,3\n4,5\n');
    expect(broken.records.map((record) => record.cells)).toEqual([["a", "b"], ["1", "2"]]);
    expect(broken.unclosedQuoteLine).toBe(3);
  });

  it("detects the delimiter from the header (Excel in es/pt-BR saves with ;)", () => {
    expect(detectDelimiter("title;body;rating\nA;B;5")).toBe(";");
    expect(detectDelimiter("title,body,rating")).toBe(",");
    expect(detectDelimiter("\ufefftitle\tbody\trating")).toBe("\t");
    expect(detectDelimiter('"a;b",c,d')).toBe(",");
    expect(detectDelimiter("single")).toBe(",");
  });

  it("quotes a field only when it has to", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
});

describe("parseJudgeMeDate", () => {
  it.each([
    ["2025-03-02", "2025-03-02T12:00:00.000Z"],
    ["2025-03-02 10:12:00 UTC", "2025-03-02T10:12:00.000Z"],
    ["2025-03-02 10:12 UTC", "2025-03-02T10:12:00.000Z"],
    ["2025-03-02T10:12:00Z", "2025-03-02T10:12:00.000Z"],
    ["2025-03-02T10:12:00.123Z", "2025-03-02T10:12:00.000Z"],
    ["2025-03-02T10:12:00-03:00", "2025-03-02T13:12:00.000Z"],
    ["2025-03-02 10:12:00 +0530", "2025-03-02T04:42:00.000Z"],
    ["2025-03-02 10:12:00", "2025-03-02T10:12:00.000Z"],
    ["02/03/2025", "2025-03-02T12:00:00.000Z"],
    ["2/3/2025", "2025-03-02T12:00:00.000Z"],
    ["25/12/2024 18:30", "2024-12-25T18:30:00.000Z"],
  ])("%j → %s", (raw, iso) => {
    expect(parseJudgeMeDate(raw)?.toISOString()).toBe(iso);
  });

  it.each(["", "yesterday", "2025-02-30", "2025-13-01", "03/25/2025", "31/02/2025", "2025-03-02 25:00:00", "2025-03-02T10:12:00+15:00", "1969-12-31", "2025/03/02", "1741000000"])("refuses %j", (raw) => {
    expect(parseJudgeMeDate(raw)).toBeNull();
  });

  it("formats like Judge.me's export", () => {
    expect(formatJudgeMeDate(new Date("2025-03-02T10:12:00.999Z"))).toBe("2025-03-02 10:12:00 UTC");
  });
});

describe("parseJudgeMeCsv", () => {
  it("imports a Judge.me export row", () => {
    const result = parseJudgeMeCsv(`${HEADER}\n${ROW}\n`);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows).toEqual([
      {
        line: 2,
        importKey: expect.any(String),
        productId: "7012345678",
        productHandle: "creme-visage",
        rating: 5,
        title: "Top",
        body: "Très bonne qualité, livraison rapide.",
        authorName: "Camille Rousseau",
        authorEmail: "c@x.fr",
        createdAt: new Date("2025-03-02T10:12:00Z"),
        status: "published",
        source: "web",
        replyBody: null,
        repliedAt: null,
        pictureUrls: ["https://judgeme.imgix.net/a.jpg", "https://judgeme.imgix.net/b.jpg"],
      },
    ]);
  });

  it("matches headers case-insensitively, in any order, and ignores unknown columns", () => {
    const text = ["Product_Handle,RATING,Review Date,Body,Reviewer Name,metaobject_handle,favourite_colour", "camisa,4,02/03/2025,Buena,Ana,review-1,blue"].join("\r\n");
    const result = parseJudgeMeCsv(text);
    expect(result.errors).toEqual([]);
    expect(result.rows[0]).toMatchObject({ productId: null, productHandle: "camisa", rating: 4, body: "Buena", authorName: "Ana", status: "pending", createdAt: new Date("2025-03-02T12:00:00Z") });
  });

  it("reads a semicolon file with a BOM and CRLF, as Excel saves it in Spanish", () => {
    const text = "\ufefftitle;body;rating;review_date;reviewer_name;product_id\r\nGenial;\"Muy bien; llegó rápido\";5;2025-01-10;Pedro;123\r\n";
    const result = parseJudgeMeCsv(text);
    expect(result.errors).toEqual([]);
    expect(result.rows[0]).toMatchObject({ title: "Genial", body: "Muy bien; llegó rápido", productId: "123" });
  });

  it("keeps a quoted newline inside a body and normalises it to LF", () => {
    const text = `${HEADER}\r\n,"First line\r\nsecond line",4,2025-01-10,,ok,Ana,,123,,,,,,\r\n`;
    const result = parseJudgeMeCsv(text);
    expect(result.rows[0].body).toBe("First line\nsecond line");
    expect(result.rows[0].title).toBeNull();
  });

  it("names every missing required column in one file-level error", () => {
    const result = parseJudgeMeCsv("title,reviewer_name\nHi,Ana\n");
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([
      {
        line: 1,
        code: "missing_columns",
        params: { columns: "rating, body, review_date, product_id / product_handle" },
        message: expect.stringContaining("rating, body, review_date, product_id / product_handle"),
      },
    ]);
  });

  it("reports an empty file", () => {
    expect(parseJudgeMeCsv("").errors).toEqual([{ line: 1, code: "empty_file", params: {}, message: "The file has no reviews. Upload the CSV file exported from Judge.me." }]);
    expect(parseJudgeMeCsv("\ufeff\r\n\r\n").errors[0].code).toBe("empty_file");
    expect(parseJudgeMeCsv(`${HEADER}\r\n`).errors[0].code).toBe("empty_file");
  });

  it("validates each row and keeps importing after a bad one", () => {
    const rows = [
      HEADER,
      ",First good,5,2025-01-01,web,ok,Ana,,123,,,,,,", // line 2
      ",Bad rating,5.5,2025-01-02,web,ok,Bea,,123,,,,,,", // line 3
      ",,4,2025-01-03,web,ok,Caro,,123,,,,,,", // line 4: no title, no body
      ",Bad date,4,2025-02-30,web,ok,Dani,,123,,,,,,", // line 5
      ",Bad curated,4,2025-01-05,web,maybe,Eva,,123,,,,,,", // line 6
      ",No product,4,2025-01-06,web,ok,Fede,,,,,,,,", // line 7
      ",Bad product id,4,2025-01-07,web,ok,Gabi,,12ab,,,,,,", // line 8
      ",No date,4,,web,ok,Hugo,,123,,,,,,", // line 9
      "Only a title,,3,2025-01-09,web,not-yet,Ines,,,camisa,,,,,", // line 10
      ",Spam,1,2025-01-10,web,spam,Juan,,123,,,,,,", // line 11
      ",Too many,1,2025-01-11,web,ok,Kiko,,123,,,,,,,extra", // line 12
    ].join("\n");
    const result = parseJudgeMeCsv(rows);
    expect(result.errors.map((error) => [error.line, error.code])).toEqual([
      [3, "rating_invalid"],
      [4, "text_missing"],
      [5, "date_invalid"],
      [6, "curated_unknown"],
      [7, "product_missing"],
      [8, "product_id_invalid"],
      [9, "date_missing"],
      [12, "too_many_values"],
    ]);
    expect(result.rows.map((row) => [row.line, row.status])).toEqual([
      [2, "published"],
      [10, "pending"],
      [11, "rejected"],
    ]);
    expect(result.rows[1]).toMatchObject({ title: "Only a title", body: "", productHandle: "camisa" });
    expect(result.errors[0].message).toBe('The rating "5.5" is not a whole number from 1 to 5. Fix the rating.');
    // Each problem carries the values its sentence needs, for the admin to word it in any language.
    expect(result.errors.map((error) => error.params)).toEqual([
      { value: "5.5" },
      {},
      { column: "review_date", value: "2025-02-30" },
      { value: "maybe" },
      {},
      { value: "12ab" },
      { column: "review_date" },
      { count: 16, columns: 15 },
    ]);
  });

  it("is not fooled by cells naming built-in object properties", () => {
    const text = "rating,body,review_date,product_id,curated,__proto__,constructor\n5,ok,2025-01-01,1,constructor,x,y\n5,ok,2025-01-02,1,__proto__,x,y";
    const result = parseJudgeMeCsv(text);
    expect(result.rows).toEqual([]);
    expect(result.errors.map((error) => error.code)).toEqual(["curated_unknown", "curated_unknown"]);
  });

  it.each([
    ["5", 5],
    ["1", 1],
    [" 3 ", 3],
    ["4.0", 4],
  ])("accepts rating %j", (rating, expected) => {
    expect(parseJudgeMeCsv(`rating,body,review_date,product_id\n${rating},ok,2025-01-01,1`).rows[0]?.rating).toBe(expected);
  });

  it.each(["0", "6", "5.5", "", "five", "-1", "4.5"])("refuses rating %j", (rating) => {
    expect(parseJudgeMeCsv(`rating,body,review_date,product_id\n${rating},ok,2025-01-01,1`).errors[0]?.code).toBe("rating_invalid");
  });

  it("refuses text over the form's limits", () => {
    const long = "b".repeat(5001);
    expect(parseJudgeMeCsv(`rating,body,review_date,product_id\n5,${long},2025-01-01,1`).errors[0]).toMatchObject({ code: "body_too_long", params: { max: 5000 } });
    expect(parseJudgeMeCsv(`rating,body,review_date,product_id\n5,${"b".repeat(5000)},2025-01-01,1`).rows).toHaveLength(1);
  });

  it("refuses future dates when told the time", () => {
    const text = "rating,body,review_date,product_id\n5,ok,2030-01-01,1";
    expect(parseJudgeMeCsv(text, { now: new Date("2026-01-01T00:00:00Z") }).errors[0]).toMatchObject({ code: "date_future", params: { column: "review_date", value: "2030-01-01" } });
    expect(parseJudgeMeCsv(text).rows).toHaveLength(1);
  });

  it("keeps replies with their date", () => {
    const text = "rating,body,review_date,product_id,reply,reply_date\n5,ok,2025-01-01,1,Thanks!,2025-01-02 09:00:00 UTC\n4,ok,2025-01-01,2,Thanks!,not a date";
    const result = parseJudgeMeCsv(text);
    expect(result.rows[0]).toMatchObject({ replyBody: "Thanks!", repliedAt: new Date("2025-01-02T09:00:00Z") });
    expect(result.errors).toEqual([
      {
        line: 3,
        code: "date_invalid",
        params: { column: "reply_date", value: "not a date" },
        message: 'The reply_date "not a date" is not a date Avisa can read. Use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS UTC or dd/mm/yyyy.',
      },
    ]);
  });

  it("leaves out unsafe picture addresses, extra pictures and invalid emails, with warnings", () => {
    const pictures = ["javascript:alert(1)", ...Array.from({ length: 6 }, (_, i) => `https://cdn.example/${i}.jpg`)].join(",");
    const text = `rating,body,review_date,product_id,picture_urls,reviewer_email\n5,ok,2025-01-01,1,"${pictures}",not-an-email`;
    const result = parseJudgeMeCsv(text);
    expect(result.errors).toEqual([]);
    expect(result.rows[0].pictureUrls).toEqual(Array.from({ length: 5 }, (_, i) => `https://cdn.example/${i}.jpg`));
    expect(result.rows[0].authorEmail).toBeNull();
    expect(result.warnings.map((warning) => [warning.code, warning.params])).toEqual([
      ["email_invalid", { value: "not-an-email" }],
      ["picture_url_invalid", { value: "javascript:alert(1)" }],
      ["too_many_pictures", { count: 6, max: 5 }],
    ]);
  });

  it("cleans control characters out of imported text", () => {
    const result = parseJudgeMeCsv("rating,body,review_date,product_id,reviewer_name\n5,\"ok\u0000\u001b done\",2025-01-01,1,\"Ana\u0007\"");
    expect(result.rows[0]).toMatchObject({ body: "ok done", authorName: "Ana" });
  });

  it("reports an unclosed quote by its line and keeps the rows before it", () => {
    const text = `rating,body,review_date,product_id\n5,fine,2025-01-01,1\n4,"never closed,2025-01-01,1\n3,lost,2025-01-01,1\n`;
    const result = parseJudgeMeCsv(text);
    expect(result.rows.map((row) => row.body)).toEqual(["fine"]);
    expect(result.errors).toEqual([{ line: 3, code: "unclosed_quote", params: {}, message: expect.stringContaining("never closed") }]);
  });

  it("gives every row a deterministic key, so importing the same file twice adds nothing", () => {
    const text = `${HEADER}\n${ROW}\n${ROW.replace("Top", "Other title")}\n`;
    const first = parseJudgeMeCsv(text);
    const again = parseJudgeMeCsv(text.replace(/\n/g, "\r\n"));
    expect(first.rows.map((row) => row.importKey)).toEqual(again.rows.map((row) => row.importKey));
    // The second row differs only in its title: same product, email, date and body → a repeat.
    expect(first.rows).toHaveLength(1);
    expect(first.warnings).toEqual([{ line: 3, code: "duplicate_row", params: { line: 2 }, message: "This row repeats the review on line 2, so it was skipped." }]);
    expect(JSON.parse(first.rows[0].importKey)).toEqual(["judgeme", "id:7012345678", "c@x.fr", "2025-03-02T10:12:00.000Z", "Très bonne qualité, livraison rapide."]);
  });

  it("keys differ by product, email, date and text", () => {
    const base = { productId: "1", productHandle: null, authorEmail: "a@b.co", createdAt: new Date("2025-01-01T00:00:00Z"), body: "x".repeat(60), title: null };
    const key = judgeMeImportKey(base);
    expect(judgeMeImportKey({ ...base, productId: "2" })).not.toBe(key);
    expect(judgeMeImportKey({ ...base, authorEmail: "c@d.co" })).not.toBe(key);
    expect(judgeMeImportKey({ ...base, createdAt: new Date("2025-01-02T00:00:00Z") })).not.toBe(key);
    expect(judgeMeImportKey({ ...base, body: `y${base.body}` })).not.toBe(key);
    // Past the first 40 characters, and line-break style, do not matter.
    expect(judgeMeImportKey({ ...base, body: `${"x".repeat(40)}different ending` })).toBe(key);
    expect(judgeMeImportKey({ ...base, body: "a\r\nb" })).toBe(judgeMeImportKey({ ...base, body: "a\nb" }));
  });
});

describe("CSV problems in the merchant's language", () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

  it("have an English sentence (for logs) for every code, filled with the params the parser gives", () => {
    expect(Object.keys(JUDGEME_CSV_MESSAGES).sort()).toEqual([...JUDGEME_CSV_PROBLEM_CODES].sort());
    const result = parseJudgeMeCsv("rating,body,review_date,product_id\n9,ok,2025-01-01,1");
    expect(result.errors[0]).toEqual({ line: 2, code: "rating_invalid", params: { value: "9" }, message: 'The rating "9" is not a whole number from 1 to 5. Fix the rating.' });
  });

  it("have a key for every code in en, es and pt-BR, with the English sentence's placeholders", () => {
    expect(Object.keys(CSV_PROBLEM_KEYS).sort()).toEqual([...JUDGEME_CSV_PROBLEM_CODES].sort());
    for (const code of JUDGEME_CSV_PROBLEM_CODES) {
      const key = CSV_PROBLEM_KEYS[code];
      expect(importProblemKey(code)).toBe(key);
      for (const [locale, catalogue] of Object.entries(CATALOGUES)) {
        expect(catalogue[key], `${locale}: ${key}`).toBeTruthy();
        expect(placeholders(catalogue[key]), `${locale}: ${key}`).toEqual(placeholders(JUDGEME_CSV_MESSAGES[code]));
      }
      expect(es[key as keyof typeof es], key).not.toBe(en[key as keyof typeof en]);
      expect(ptBR[key as keyof typeof ptBR], key).not.toBe(en[key as keyof typeof en]);
    }
    expect(importProblemKey("unknown_handle")).toBe("reviews.errors.unknownHandle");
    expect(importProblemKey("no_such_code")).toBeUndefined();
  });

  it("are worded from their code and params, cell text kept as written", () => {
    const [problem] = parseJudgeMeCsv("rating,body,review_date,product_id\n5,ok,2025-01-01,12ab").errors;
    const key = importProblemKey(problem.code)!;
    expect(translator("en")(key, problem.params)).toBe("The product_id “12ab” is not a Shopify product ID (digits only). Fix it, or leave it empty and fill in product_handle.");
    expect(translator("es")(key, problem.params)).toBe("El product_id «12ab» no es un ID de producto de Shopify (solo dígitos). Corrígelo, o déjalo vacío y rellena product_handle.");
    expect(translator("pt-BR")(key, problem.params)).toBe("O product_id “12ab” não é um ID de produto da Shopify (só dígitos). Corrija-o, ou deixe-o vazio e preencha product_handle.");
    const [duplicate] = parseJudgeMeCsv(`${HEADER}\n${ROW}\n${ROW}\n`).warnings;
    expect(translator("pt-BR")(importProblemKey(duplicate.code)!, duplicate.params)).toBe("Esta linha repete a avaliação da linha 2, por isso foi ignorada.");
  });
});

describe("exportJudgeMeCsv", () => {
  const reviews: JudgeMeReview[] = [
    {
      productId: "8100000000000017",
      productHandle: "camisa-de-lino",
      rating: 5,
      title: "Perfecta",
      body: 'Tela suave, "muy" fresca,\nideal para el verano.',
      authorName: "Lucía Ramírez",
      authorEmail: "lucia@example.com",
      createdAt: new Date("2025-03-02T10:12:00Z"),
      status: "published",
      source: "web",
      replyBody: "¡Gracias!",
      repliedAt: new Date("2025-03-03T08:00:00Z"),
      pictureUrls: ["https://cdn.example/a.jpg", "https://cdn.example/b.png"],
    },
    {
      productId: null,
      productHandle: "sombrero",
      rating: 1,
      title: null,
      body: "=HYPERLINK(\"http://evil.example\",\"click\")",
      authorName: "@attacker",
      authorEmail: null,
      createdAt: new Date("2024-12-31T23:59:59Z"),
      status: "rejected",
      source: null,
      replyBody: null,
      repliedAt: null,
      pictureUrls: [],
    },
    {
      productId: "42",
      productHandle: null,
      rating: 3,
      title: "-10% off? +1",
      body: "Ok 😀 emoji y ñ",
      authorName: "",
      authorEmail: null,
      createdAt: new Date("2025-06-15T00:00:00Z"),
      status: "pending",
      source: "email",
      replyBody: null,
      repliedAt: null,
      pictureUrls: [],
    },
  ];

  it("writes Judge.me's columns, CRLF line ends and its date format", () => {
    const csv = exportJudgeMeCsv(reviews);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location");
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv).toContain("2025-03-02 10:12:00 UTC");
    expect(csv).toContain(',ok,');
    expect(csv).toContain(',spam,');
    expect(csv).toContain(',not-yet,');
    expect(exportJudgeMeCsv([], { bom: true })).toBe(`\ufeff${JUDGEME_COLUMNS.join(",")}\r\n`);
  });

  it("neutralises spreadsheet formulas (OWASP CSV injection)", () => {
    for (const dangerous of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(neutraliseFormula(dangerous)).toBe(`'${dangerous}`);
    expect(neutraliseFormula("fine = ok")).toBe("fine = ok");
    const records = parseCsv(exportJudgeMeCsv(reviews)).records.map((record) => record.cells);
    const dataCells = records.slice(1).flat();
    for (const cell of dataCells) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(records[2][1]).toBe("'=HYPERLINK(\"http://evil.example\",\"click\")");
    expect(records[2][6]).toBe("'@attacker");
    expect(records[3][0]).toBe("'-10% off? +1");
  });

  it("round-trips: export then import gives the same reviews", () => {
    const result = parseJudgeMeCsv(exportJudgeMeCsv(reviews, { bom: true }));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rows.map(({ line: _line, importKey: _key, ...review }) => review)).toEqual(reviews);
    expect(result.rows.map((row) => row.line)).toEqual([2, 4, 5]); // the first body spans two lines
  });

  it("gives the same import keys on every round trip", () => {
    const once = parseJudgeMeCsv(exportJudgeMeCsv(reviews)).rows;
    const twice = parseJudgeMeCsv(exportJudgeMeCsv(once)).rows;
    expect(twice.map((row) => row.importKey)).toEqual(once.map((row) => row.importKey));
  });
});
