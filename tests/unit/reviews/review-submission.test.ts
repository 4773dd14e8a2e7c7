import { describe, expect, it } from "vitest";
import {
  CONTACT_ERROR_CODES,
  CONTACT_LIMITS,
  FORM_ERROR_MESSAGES,
  HONEYPOT_FIELD,
  REVIEW_ERROR_CODES,
  REVIEW_LIMITS,
  cleanText,
  codePointLength,
  formErrorMessage,
  parseOrderNumberField,
  parseContactSubmission,
  parseReviewSubmission,
  safeReturnTo,
  type UploadedPhoto,
} from "../../../app/domain/reviews/review-submission";

// First bytes of real files (the rest does not matter to the checks).
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0x24, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);

const valid = {
  product_id: "8100000000000017",
  rating: "5",
  title: "Muy buena",
  body: "Me encantó, la tela es suave.",
  author_name: "Lucía Ramírez",
  author_email: "Lucia@Example.com",
};

const photo = (bytes: Uint8Array, overrides: Partial<UploadedPhoto> = {}): UploadedPhoto => ({ name: "photo.jpg", type: "image/jpeg", size: bytes.byteLength, bytes, ...overrides });
const padded = (head: Uint8Array, total: number) => {
  const bytes = new Uint8Array(total);
  bytes.set(head);
  return bytes;
};

const review = (fields: Record<string, string | undefined> = {}, photos: UploadedPhoto[] = [], locale = "en") => parseReviewSubmission({ ...valid, ...fields }, photos, locale);
const codesOf = (result: ReturnType<typeof review>) => (result.ok ? {} : result.codes);

describe("parseReviewSubmission: a valid review", () => {
  it("returns the cleaned values, ids as strings", () => {
    const result = review({ token: " abc.def ", return_to: "/products/camisa?variant=1#reviews" });
    expect(result).toEqual({
      ok: true,
      value: {
        productId: "8100000000000017",
        rating: 5,
        title: "Muy buena",
        body: "Me encantó, la tela es suave.",
        authorName: "Lucía Ramírez",
        authorEmail: "lucia@example.com",
        token: "abc.def",
        returnTo: "/products/camisa?variant=1#reviews",
        honeypotFilled: false,
        photos: [],
      },
    });
  });

  it("keeps product ids above 2^53 exactly, and reads a product gid", () => {
    const big = "9007199254740993123";
    expect(review({ product_id: big }).ok && (review({ product_id: big }) as { value: { productId: string } }).value.productId).toBe(big);
    const gid = review({ product_id: "gid://shopify/Product/8100000000000017" });
    expect(gid.ok && gid.value.productId).toBe("8100000000000017");
  });

  it("makes an empty title null and flags a filled honeypot", () => {
    const result = review({ title: "   ", [HONEYPOT_FIELD]: "http://spam.example" });
    expect(result.ok && result.value.title).toBeNull();
    expect(result.ok && result.value.honeypotFilled).toBe(true);
  });
});

describe("parseReviewSubmission: rating", () => {
  it.each(["1", "2", "3", "4", "5", " 5 ", "\t3\n"])("accepts %j", (rating) => {
    const result = review({ rating });
    expect(result.ok && result.value.rating).toBe(Number(rating.trim()));
  });

  it.each(["0", "6", "5.5", "4.0", "05", "-1", "", "five", "５", "1e0", "0x5", "5 stars", undefined])("refuses %j", (rating) => {
    expect(codesOf(review({ rating }))).toEqual({ rating: "rating_invalid" });
  });
});

describe("parseReviewSubmission: product id", () => {
  it.each(["", "abc", "0", "0123", "-5", "12.5", "123456789012345678901", "1 OR 1=1", "gid://shopify/Order/1", undefined])("refuses %j", (product_id) => {
    expect(codesOf(review({ product_id }))).toEqual({ product_id: "product_missing" });
  });
});

describe("parseReviewSubmission: lengths (code points)", () => {
  it("accepts a body of exactly 5000 and refuses 5001", () => {
    expect(review({ body: "a".repeat(5000) }).ok).toBe(true);
    expect(codesOf(review({ body: "a".repeat(5001) }))).toEqual({ body: "body_too_long" });
  });

  it("counts an emoji as one character (a code point), not two UTF-16 units", () => {
    const emoji = "😀".repeat(5000);
    expect(emoji.length).toBe(10000);
    expect(codePointLength(emoji)).toBe(5000);
    expect(review({ body: emoji }).ok).toBe(true);
    expect(codesOf(review({ body: `${emoji}😀` }))).toEqual({ body: "body_too_long" });
    // Composed and decomposed accents count the same after NFC.
    expect(codePointLength(cleanText("e\u0301"))).toBe(1);
  });

  it("measures after trimming, and refuses a body that is only white space or control characters", () => {
    expect(review({ body: `   ${"a".repeat(5000)}   \n\n` }).ok).toBe(true);
    expect(codesOf(review({ body: " \n\t \u0000\u0007 " }))).toEqual({ body: "body_missing" });
    expect(codesOf(review({ body: undefined }))).toEqual({ body: "body_missing" });
  });

  it("limits title to 150 and name to 80", () => {
    expect(review({ title: "t".repeat(150) }).ok).toBe(true);
    expect(codesOf(review({ title: "t".repeat(151) }))).toEqual({ title: "title_too_long" });
    expect(review({ author_name: "n".repeat(80) }).ok).toBe(true);
    expect(codesOf(review({ author_name: "n".repeat(81) }))).toEqual({ author_name: "name_too_long" });
    expect(codesOf(review({ author_name: "  " }))).toEqual({ author_name: "name_missing" });
  });
});

describe("parseReviewSubmission: text cleaning", () => {
  it("normalises CRLF and CR, strips control characters but keeps newlines", () => {
    const result = review({ body: "Line one\r\nLine two\rLine three\u0000\u0007\u001b[31m\u007f\u0085 end" });
    expect(result.ok && result.value.body).toBe("Line one\nLine two\nLine three[31m end");
  });

  it("collapses runs of blank lines and keeps single-line fields on one line", () => {
    const result = review({ body: "a\n\n\n\n\nb", title: "Great\nproduct\t here", author_name: " Lucía \r\n Ramírez " });
    expect(result.ok && result.value.body).toBe("a\n\nb");
    expect(result.ok && result.value.title).toBe("Great product here");
    expect(result.ok && result.value.authorName).toBe("Lucía Ramírez");
  });
});

describe("parseReviewSubmission: email", () => {
  it.each(["a@b.co", "first.last+tag@sub.example.com.br", "ÑANDU@EXAMPLE.COM".replace("Ñ", "N"), "x@xn--bcher-kva.example"])("accepts %s", (author_email) => {
    expect(review({ author_email }).ok).toBe(true);
  });

  it.each(["", "plain", "a@b", "a@@b.com", "a b@c.com", ".a@b.com", "a.@b.com", "a..b@c.com", "a@-b.com", "a@b.c", "<script>@x.com", `${"a".repeat(65)}@b.com`, `a@${"b".repeat(250)}.com`])(
    "refuses %j",
    (author_email) => {
      expect(codesOf(review({ author_email }))).toEqual({ author_email: author_email ? "email_invalid" : "email_missing" });
    },
  );

  it("allows up to 254 characters", () => {
    const domain = `${"d".repeat(60)}.${"e".repeat(60)}.${"f".repeat(60)}.com`; // 185
    const local = "l".repeat(64);
    const email = `${local}@${domain}`;
    expect(email.length).toBeLessThanOrEqual(254);
    expect(review({ author_email: email }).ok).toBe(true);
    const tooLong = `${local}@${"d".repeat(60)}.${"e".repeat(60)}.${"f".repeat(60)}.${"g".repeat(60)}.com`;
    expect(tooLong.length).toBeGreaterThan(254);
    expect(codesOf(review({ author_email: tooLong }))).toEqual({ author_email: "email_invalid" });
  });
});

describe("parseReviewSubmission: return_to", () => {
  it.each([
    ["/products/camisa", "/products/camisa"],
    ["/", "/"],
    ["/a?b=c#d", "/a?b=c#d"],
    ["//evil.example", null],
    ["/\\evil.example", null],
    ["\\\\evil.example", null],
    ["/\t/evil.example", null],
    ["/\n/evil.example", null],
    ["https://evil.example/", null],
    ["javascript:alert(1)", null],
    ["products/camisa", null],
    ["", null],
    ["/" + "a".repeat(3000), null],
  ])("%j → %j", (return_to, expected) => {
    const result = review({ return_to });
    expect(result.ok && result.value.returnTo).toBe(expected);
    expect(safeReturnTo(return_to)).toBe(expected);
  });
});

describe("parseReviewSubmission: photos", () => {
  it("accepts up to 3 photos of JPEG, PNG and WebP, typed by their bytes", () => {
    const result = review({}, [photo(JPEG), photo(PNG, { type: "image/jpeg", name: "x.jpg" }), photo(WEBP, { type: "application/octet-stream", name: "x" })]);
    expect(result.ok && result.value.photos.map((p) => p.type)).toEqual(["image/jpeg", "image/png", "image/webp"]);
  });

  it("refuses a fourth photo", () => {
    expect(codesOf(review({}, [photo(JPEG), photo(JPEG), photo(JPEG), photo(JPEG)]))).toEqual({ photos: "photos_too_many" });
  });

  it("refuses a declared image/png that is really HTML", () => {
    const html = new TextEncoder().encode("<html><script>document.cookie</script></html>");
    expect(codesOf(review({}, [photo(html, { name: "cat.png", type: "image/png" })]))).toEqual({ photos: "photo_not_image" });
  });

  it("takes 2 MB exactly and refuses one byte more, whatever size was declared", () => {
    expect(review({}, [photo(padded(JPEG, REVIEW_LIMITS.photoBytesMax))]).ok).toBe(true);
    expect(codesOf(review({}, [photo(padded(JPEG, REVIEW_LIMITS.photoBytesMax + 1), { size: 10 })]))).toEqual({ photos: "photo_too_large" });
  });

  it("ignores the empty part a file input sends when no file was chosen", () => {
    const result = review({}, [{ name: "", type: "application/octet-stream", size: 0, bytes: new Uint8Array() }]);
    expect(result.ok && result.value.photos).toEqual([]);
  });
});

describe("parseReviewSubmission: errors", () => {
  it("reports every field at once, in the shopper's language", () => {
    const result = parseReviewSubmission({}, [], "es-MX");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["author_email", "author_name", "body", "product_id", "rating"]);
    expect(result.errors.rating).toBe("Elige una calificación de 1 a 5 estrellas.");
    expect(parseReviewSubmission({ ...valid, rating: "9" }, [], "pt").ok === false && (parseReviewSubmission({ ...valid, rating: "9" }, [], "pt") as { errors: { rating: string } }).errors.rating).toBe(
      "Escolha uma nota de 1 a 5 estrelas.",
    );
    expect(formErrorMessage("rating_invalid", "fr-FR")).toBe("Choose a rating from 1 to 5 stars.");
  });
});

describe("localized messages", () => {
  const locales = ["en", "es", "pt-BR"] as const;
  const allCodes = [...new Set([...REVIEW_ERROR_CODES, ...CONTACT_ERROR_CODES])];

  it("exist for every error code in en, es and pt-BR, and are really translated", () => {
    for (const locale of locales) {
      expect(Object.keys(FORM_ERROR_MESSAGES[locale]).sort()).toEqual([...allCodes].sort());
      for (const code of allCodes) expect(FORM_ERROR_MESSAGES[locale][code].trim(), `${locale}.${code}`).not.toBe("");
    }
    for (const code of allCodes) {
      expect(FORM_ERROR_MESSAGES.es[code], code).not.toBe(FORM_ERROR_MESSAGES.en[code]);
      expect(FORM_ERROR_MESSAGES["pt-BR"][code], code).not.toBe(FORM_ERROR_MESSAGES.en[code]);
      expect(FORM_ERROR_MESSAGES["pt-BR"][code], code).not.toBe(FORM_ERROR_MESSAGES.es[code]);
    }
  });

  it("keep the same numbers in every language", () => {
    const numbers = (text: string) => (text.match(/\d+/g) ?? []).join(",").replace(/5,000|5\.000/g, "5000");
    for (const code of allCodes) {
      const en = numbers(FORM_ERROR_MESSAGES.en[code].replace(/5,000/g, "5000"));
      expect(numbers(FORM_ERROR_MESSAGES.es[code]), code).toBe(en);
      expect(numbers(FORM_ERROR_MESSAGES["pt-BR"][code].replace(/5\.000/g, "5000")), code).toBe(en);
    }
  });

  it("are what every failing review field returns, in each language", () => {
    const failing = { product_id: "x", rating: "0", title: "t".repeat(200), body: "b".repeat(6000), author_name: "n".repeat(100), author_email: "nope" };
    for (const locale of locales) {
      const result = parseReviewSubmission(failing, [photo(new Uint8Array([1, 2, 3]))], locale);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      for (const [field, code] of Object.entries(result.codes)) expect(result.errors[field as keyof typeof result.errors]).toBe(FORM_ERROR_MESSAGES[locale][code!]);
      expect(Object.keys(result.codes)).toHaveLength(7);
    }
  });
});

describe("parseContactSubmission", () => {
  const contact = (fields: Record<string, string | undefined>, locale = "en") => parseContactSubmission({ email: "ana@example.com", message: "¿Dónde está mi pedido?", ...fields }, locale);

  it("needs only an email and a message", () => {
    expect(contact({})).toEqual({
      ok: true,
      value: { name: null, email: "ana@example.com", phone: null, orderNumber: null, message: "¿Dónde está mi pedido?", returnTo: null, honeypotFilled: false },
    });
  });

  it("cleans and returns every field", () => {
    const result = contact({ name: " Ana  Souza ", phone: "+55 (11) 98765-4321", order_number: "Pedido #1001", return_to: "/pages/contact", website: "x", message: "Oi\r\nTudo bem?" });
    expect(result).toEqual({
      ok: true,
      value: { name: "Ana Souza", email: "ana@example.com", phone: "+55 (11) 98765-4321", orderNumber: "#1001", message: "Oi\nTudo bem?", returnTo: "/pages/contact", honeypotFilled: true },
    });
  });

  it.each([
    ["#1001", "#1001"],
    ["1001", "#1001"],
    ["Pedido #1001", "#1001"],
    ["pedido nº 1001", "#1001"],
    ["Order no. 1001", "#1001"],
    ["Orden: 1001", "#1001"],
    ["encomenda 1001", "#1001"],
    [" # 1001 ", "#1001"],
    ["MX-1001", "MX-1001"],
    ["#1001-B", "#1001-B"],
  ])("order number %j → %j", (raw, expected) => {
    expect(parseOrderNumberField(raw)).toBe(expected);
    const result = contact({ order_number: raw });
    expect(result.ok && result.value.orderNumber).toBe(expected);
  });

  it.each(["pedido", "#", "0", "#0001", "my order from last week", "<script>", "1".repeat(41)])("refuses order number %j", (order_number) => {
    const result = contact({ order_number });
    expect(result.ok ? null : result.codes).toEqual({ order_number: "order_number_invalid" });
  });

  it.each(["+1 (415) 555-2671", "011.34.612.345.678", "1234"])("accepts phone %j", (phone) => {
    expect(contact({ phone }).ok).toBe(true);
  });

  it.each([
    ["call me", "phone_invalid"],
    ["123", "phone_invalid"],
    ["+34 612 345 678 ext 9", "phone_invalid"],
    ["()-+.", "phone_invalid"],
    ["1".repeat(31), "phone_too_long"],
  ])("refuses phone %j", (phone, code) => {
    const result = contact({ phone });
    expect(result.ok ? null : result.codes).toEqual({ phone: code });
  });

  it("limits the message to 5000 and the name to 80", () => {
    expect(contact({ message: "m".repeat(CONTACT_LIMITS.messageMax) }).ok).toBe(true);
    expect(contact({ message: "m".repeat(5001) }).ok ? null : (contact({ message: "m".repeat(5001) }) as { codes: object }).codes).toEqual({ message: "message_too_long" });
    expect(contact({ name: "n".repeat(81) }).ok).toBe(false);
  });

  it("reports missing email and message in Portuguese", () => {
    const result = parseContactSubmission({ return_to: "//evil.example" }, "pt-BR");
    expect(result).toEqual({
      ok: false,
      errors: { email: "Informe seu e-mail.", message: "Escreva sua mensagem." },
      codes: { email: "email_missing", message: "message_missing" },
    });
  });

  it("drops an unsafe return_to", () => {
    const result = contact({ return_to: "https://evil.example" });
    expect(result.ok && result.value.returnTo).toBeNull();
  });
});
