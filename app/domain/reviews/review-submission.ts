// The storefront's review form and contact form, as posted through the app proxy. The proxy
// signs the query string, not the body, so every field here is whatever the sender typed or
// forged: it is cleaned, measured and checked before anything is stored. Errors come back per
// field, in the shopper's language, saying what to change.
//
// Lengths count Unicode code points after NFC normalisation: "é" is 1 whether typed composed or
// decomposed, and an emoji such as 😀 is 1 (a UTF-16 `.length` would say 2). Emoji built from
// several code points (👍🏽 = 2, 👨‍👩‍👧 = 5) count each part, so a limit can be reached a little
// before the number of symbols a shopper sees; the limits are generous enough for that not to
// matter, and code points are what the database and every later step measure the same way.
import { resolveTemplateLocale, type TemplateLocale } from "../templating/message-types";
import { MAX_REVIEW_PHOTO_BYTES, MAX_REVIEW_PHOTOS, sniffImageType, type ReviewPhotoType } from "./review-photo";

export const REVIEW_LIMITS = {
  titleMax: 150,
  bodyMax: 5000,
  authorNameMax: 80,
  emailMax: 254,
  photosMax: MAX_REVIEW_PHOTOS,
  photoBytesMax: MAX_REVIEW_PHOTO_BYTES,
} as const;

export const CONTACT_LIMITS = {
  nameMax: 80,
  emailMax: 254,
  phoneMax: 30,
  orderNumberMax: 40,
  messageMax: 5000,
} as const;

/** Longest return_to path kept; anything longer is dropped (no real page needs more). */
export const RETURN_TO_MAX = 2048;
/** A signed review token is a few hundred characters; a longer one is not ours. */
export const TOKEN_MAX = 4096;
/** Hidden field people never see: filled in means a bot filled in every field. */
export const HONEYPOT_FIELD = "website";

export type ReviewLocale = TemplateLocale;

// ------------------------------------------------------------------------------ text

/** Code points, the unit every length limit here uses. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The first `max` code points (never splits a surrogate pair). */
export function sliceCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join("");
}

/**
 * Multi-line text: NFC, CRLF/CR → LF, tabs → a space, other control characters (C0, DEL, C1)
 * removed, trailing spaces on each line and blank lines at both ends trimmed, and more than
 * one empty line in a row collapsed to one.
 */
export function cleanText(raw: string | null | undefined): string {
  return (raw ?? "")
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "")
    .replace(/[ \u00a0]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** One-line text (names, titles, emails): cleanText, then every run of white space → one space. */
export function cleanLine(raw: string | null | undefined): string {
  return cleanText(raw).replace(/\s+/g, " ").trim();
}

// ------------------------------------------------------------------------- values

// Pragmatic address check: one @, a dot-atom local part of at most 64, and a domain of
// LDH labels with a letter TLD. Quoted local parts and IP-literal domains are valid per
// RFC 5321 but never typed into a shop's form; refusing them costs nobody.
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** A lowercased, valid email address, or null. */
export function normaliseEmail(raw: string | null | undefined): string | null {
  const email = cleanLine(raw).toLowerCase();
  if (!email || email.length > REVIEW_LIMITS.emailMax) return null;
  const at = email.lastIndexOf("@");
  if (at <= 0 || email.indexOf("@") !== at) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return local.length <= 64 && EMAIL_LOCAL.test(local) && EMAIL_DOMAIN.test(domain) ? email : null;
}

/**
 * A path on the shop's own site to send the shopper back to, or null. Only "/something": not
 * "//evil.example" or "/\evil.example" (browsers read both as another host), no scheme, no
 * white space or control characters (browsers drop tabs and newlines inside URLs, which would
 * turn "/\t/evil.example" into "//evil.example").
 */
export function safeReturnTo(raw: string | null | undefined): string | null {
  const path = (raw ?? "").trim();
  if (!path || path.length > RETURN_TO_MAX) return null;
  if (!path.startsWith("/") || path.startsWith("//")) return null;
  if (/[\\\s\u0000-\u001f\u007f-\u009f]/.test(path)) return null;
  try {
    const base = "https://return-to.invalid";
    if (new URL(path, base).origin !== base) return null;
  } catch {
    return null;
  }
  return path;
}

/** A Shopify product id as digits ("8100000000000017"; a gid is accepted). Kept a string: ids exceed 2^53. */
export function normaliseProductId(raw: string | null | undefined): string | null {
  const text = (raw ?? "").trim().replace(/^gid:\/\/shopify\/Product\//, "");
  return /^[1-9]\d{0,19}$/.test(text) ? text : null;
}

/** A whole number of stars, 1–5. Surrounding spaces are forgiven; "5.0", "05", "4.5" are not ratings a form sends. */
export function parseRating(raw: string | null | undefined): number | null {
  const text = (raw ?? "").trim();
  return /^[1-5]$/.test(text) ? Number(text) : null;
}

// ------------------------------------------------------------------------ messages

export const REVIEW_ERROR_CODES = [
  "product_missing",
  "rating_invalid",
  "title_too_long",
  "body_missing",
  "body_too_long",
  "name_missing",
  "name_too_long",
  "email_missing",
  "email_invalid",
  "photos_too_many",
  "photo_too_large",
  "photo_not_image",
] as const;
export type ReviewErrorCode = (typeof REVIEW_ERROR_CODES)[number];

export const CONTACT_ERROR_CODES = [
  "name_too_long",
  "email_missing",
  "email_invalid",
  "phone_invalid",
  "phone_too_long",
  "order_number_invalid",
  "message_missing",
  "message_too_long",
] as const;
export type ContactErrorCode = (typeof CONTACT_ERROR_CODES)[number];

type FormErrorCode = ReviewErrorCode | ContactErrorCode;

/** Every message in every shipped language; the type makes a missing translation a compile error. */
export const FORM_ERROR_MESSAGES: Record<ReviewLocale, Record<FormErrorCode, string>> = {
  en: {
    product_missing: "This review isn't linked to a product. Reload the page and try again.",
    rating_invalid: "Choose a rating from 1 to 5 stars.",
    title_too_long: `Keep the title to ${REVIEW_LIMITS.titleMax} characters or fewer.`,
    body_missing: "Write a few words about the product.",
    body_too_long: "Your review can be up to 5,000 characters. Please shorten it a little.",
    name_missing: "Enter your name.",
    name_too_long: `Keep your name to ${REVIEW_LIMITS.authorNameMax} characters or fewer.`,
    email_missing: "Enter your email address.",
    email_invalid: "Enter a valid email address, like name@example.com.",
    photos_too_many: `You can add up to ${REVIEW_LIMITS.photosMax} photos. Remove one and try again.`,
    photo_too_large: "Each photo must be 2 MB or smaller. Choose a smaller photo.",
    photo_not_image: "Photos must be JPEG, PNG or WebP images. Choose a different file.",
    phone_invalid: "Enter a phone number using digits, and spaces, +, ( ), - or dots if you like.",
    phone_too_long: `Keep the phone number to ${CONTACT_LIMITS.phoneMax} characters or fewer.`,
    order_number_invalid: "Enter the order number as it appears in your confirmation, like #1001.",
    message_missing: "Write your message.",
    message_too_long: "Your message can be up to 5,000 characters. Please shorten it a little.",
  },
  es: {
    product_missing: "Esta reseña no está vinculada a ningún producto. Recarga la página e inténtalo de nuevo.",
    rating_invalid: "Elige una calificación de 1 a 5 estrellas.",
    title_too_long: `El título puede tener como máximo ${REVIEW_LIMITS.titleMax} caracteres.`,
    body_missing: "Escribe unas palabras sobre el producto.",
    body_too_long: "Tu reseña puede tener hasta 5000 caracteres. Acórtala un poco.",
    name_missing: "Escribe tu nombre.",
    name_too_long: `El nombre puede tener como máximo ${REVIEW_LIMITS.authorNameMax} caracteres.`,
    email_missing: "Escribe tu correo electrónico.",
    email_invalid: "Escribe un correo electrónico válido, por ejemplo nombre@ejemplo.com.",
    photos_too_many: `Puedes añadir hasta ${REVIEW_LIMITS.photosMax} fotos. Quita una e inténtalo de nuevo.`,
    photo_too_large: "Cada foto puede pesar como máximo 2 MB. Elige una foto más ligera.",
    photo_not_image: "Las fotos deben ser imágenes JPEG, PNG o WebP. Elige otro archivo.",
    phone_invalid: "Escribe un número de teléfono con dígitos y, si quieres, espacios, +, ( ), - o puntos.",
    phone_too_long: `El teléfono puede tener como máximo ${CONTACT_LIMITS.phoneMax} caracteres.`,
    order_number_invalid: "Escribe el número de pedido tal como aparece en tu confirmación, por ejemplo #1001.",
    message_missing: "Escribe tu mensaje.",
    message_too_long: "Tu mensaje puede tener hasta 5000 caracteres. Acórtalo un poco.",
  },
  "pt-BR": {
    product_missing: "Esta avaliação não está vinculada a nenhum produto. Recarregue a página e tente novamente.",
    rating_invalid: "Escolha uma nota de 1 a 5 estrelas.",
    title_too_long: `O título pode ter no máximo ${REVIEW_LIMITS.titleMax} caracteres.`,
    body_missing: "Escreva algumas palavras sobre o produto.",
    body_too_long: "Sua avaliação pode ter até 5.000 caracteres. Encurte um pouco o texto.",
    name_missing: "Informe seu nome.",
    name_too_long: `O nome pode ter no máximo ${REVIEW_LIMITS.authorNameMax} caracteres.`,
    email_missing: "Informe seu e-mail.",
    email_invalid: "Informe um e-mail válido, como nome@exemplo.com.",
    photos_too_many: `Você pode adicionar até ${REVIEW_LIMITS.photosMax} fotos. Remova uma e tente novamente.`,
    photo_too_large: "Cada foto pode ter no máximo 2 MB. Escolha uma foto menor.",
    photo_not_image: "As fotos precisam ser imagens JPEG, PNG ou WebP. Escolha outro arquivo.",
    phone_invalid: "Informe um telefone usando números e, se quiser, espaços, +, ( ), - ou pontos.",
    phone_too_long: `O telefone pode ter no máximo ${CONTACT_LIMITS.phoneMax} caracteres.`,
    order_number_invalid: "Informe o número do pedido como aparece na confirmação, por exemplo #1001.",
    message_missing: "Escreva sua mensagem.",
    message_too_long: "Sua mensagem pode ter até 5.000 caracteres. Encurte um pouco o texto.",
  },
};

/** The shopper's language among the shipped ones (es-MX → es, pt-PT → pt-BR, fr → en). */
export function formLocale(tag: string | null | undefined): ReviewLocale {
  return resolveTemplateLocale(tag);
}

export function formErrorMessage(code: FormErrorCode, locale: string | null | undefined): string {
  return FORM_ERROR_MESSAGES[formLocale(locale)][code];
}

type Failure<Field extends string, Code extends string> = {
  ok: false;
  /** What to fix, per form field, in the shopper's language. */
  errors: Partial<Record<Field, string>>;
  /** The same, as codes (for tests, logs and clients that carry their own strings). */
  codes: Partial<Record<Field, Code>>;
};

function collector<Field extends string, Code extends FormErrorCode>(locale: string | null | undefined) {
  const lang = formLocale(locale);
  const errors: Partial<Record<Field, string>> = {};
  const codes: Partial<Record<Field, Code>> = {};
  return {
    add(field: Field, code: Code) {
      if (codes[field]) return; // the first problem with a field is the one to fix first
      codes[field] = code;
      errors[field] = FORM_ERROR_MESSAGES[lang][code];
    },
    failed: () => Object.keys(codes).length > 0,
    failure: (): Failure<Field, Code> => ({ ok: false, errors, codes }),
  };
}

// --------------------------------------------------------------------- review form

export type ReviewField = "product_id" | "rating" | "title" | "body" | "author_name" | "author_email" | "photos";

export type UploadedPhoto = { name: string; type: string; size: number; bytes: Uint8Array };

export type ReviewSubmission = {
  productId: string;
  rating: number;
  title: string | null;
  body: string;
  authorName: string;
  authorEmail: string;
  /** The signed review-request token as posted; the caller verifies it (see verified-buyer). */
  token: string | null;
  returnTo: string | null;
  /** A bot filled the hidden field: answer as if it worked, store nothing. */
  honeypotFilled: boolean;
  /** Photos that passed, with the type their bytes prove (store and serve with this type). */
  photos: AcceptedPhoto[];
};

/** `type` is what the bytes are (sniffed), not what the sender declared. */
export type AcceptedPhoto = { type: ReviewPhotoType; bytes: Uint8Array };

export type ReviewSubmissionResult = { ok: true; value: ReviewSubmission } | Failure<ReviewField, ReviewErrorCode>;

export function parseReviewSubmission(
  fields: Record<string, string | undefined>,
  photos: UploadedPhoto[],
  locale: string | null | undefined,
): ReviewSubmissionResult {
  const problems = collector<ReviewField, ReviewErrorCode>(locale);

  const productId = normaliseProductId(fields.product_id);
  if (!productId) problems.add("product_id", "product_missing");

  const rating = parseRating(fields.rating);
  if (rating === null) problems.add("rating", "rating_invalid");

  const title = cleanLine(fields.title);
  if (codePointLength(title) > REVIEW_LIMITS.titleMax) problems.add("title", "title_too_long");

  const body = cleanText(fields.body);
  if (!body) problems.add("body", "body_missing");
  else if (codePointLength(body) > REVIEW_LIMITS.bodyMax) problems.add("body", "body_too_long");

  const authorName = cleanLine(fields.author_name);
  if (!authorName) problems.add("author_name", "name_missing");
  else if (codePointLength(authorName) > REVIEW_LIMITS.authorNameMax) problems.add("author_name", "name_too_long");

  const emailText = cleanLine(fields.author_email);
  const authorEmail = normaliseEmail(emailText);
  if (!emailText) problems.add("author_email", "email_missing");
  else if (!authorEmail) problems.add("author_email", "email_invalid");

  const accepted = checkPhotos(photos, (code) => problems.add("photos", code));

  if (problems.failed()) return problems.failure();
  const token = (fields.token ?? "").trim();
  return {
    ok: true,
    value: {
      productId: productId!,
      rating: rating!,
      title: title || null,
      body,
      authorName,
      authorEmail: authorEmail!,
      token: token && token.length <= TOKEN_MAX ? token : null,
      returnTo: safeReturnTo(fields.return_to),
      honeypotFilled: (fields[HONEYPOT_FIELD] ?? "").trim() !== "",
      photos: accepted,
    },
  };
}

function checkPhotos(
  photos: UploadedPhoto[],
  refuse: (code: "photos_too_many" | "photo_too_large" | "photo_not_image") => void,
): AcceptedPhoto[] {
  // A file input left empty still posts one part with no name and no bytes: that is "no photo".
  const given = photos.filter((photo) => !(photo.bytes.byteLength === 0 && !photo.name));
  if (given.length > REVIEW_LIMITS.photosMax) {
    refuse("photos_too_many");
    return [];
  }
  const accepted: AcceptedPhoto[] = [];
  for (const photo of given) {
    // The bytes decide, not the declared size: the sender writes that too.
    if (photo.bytes.byteLength > REVIEW_LIMITS.photoBytesMax) {
      refuse("photo_too_large");
      return [];
    }
    const type = sniffImageType(photo.bytes);
    if (!type) {
      refuse("photo_not_image");
      return [];
    }
    accepted.push({ type, bytes: photo.bytes });
  }
  return accepted;
}

// -------------------------------------------------------------------- contact form

export type ContactField = "name" | "email" | "phone" | "order_number" | "message";

export type ContactSubmission = {
  name: string | null;
  email: string;
  /** As typed (cleaned); normalise to E.164 with the shop's country in the service (contacts/phone). */
  phone: string | null;
  /** "#1001" for a plain number; a custom order name ("MX-1001") is kept as typed. */
  orderNumber: string | null;
  message: string;
  returnTo: string | null;
  honeypotFilled: boolean;
};

export type ContactSubmissionResult = { ok: true; value: ContactSubmission } | Failure<ContactField, ContactErrorCode>;

export function parseContactSubmission(fields: Record<string, string | undefined>, locale: string | null | undefined): ContactSubmissionResult {
  const problems = collector<ContactField, ContactErrorCode>(locale);

  const name = cleanLine(fields.name);
  if (codePointLength(name) > CONTACT_LIMITS.nameMax) problems.add("name", "name_too_long");

  const emailText = cleanLine(fields.email);
  const email = normaliseEmail(emailText);
  if (!emailText) problems.add("email", "email_missing");
  else if (!email) problems.add("email", "email_invalid");

  const phone = cleanLine(fields.phone);
  if (phone) {
    if (codePointLength(phone) > CONTACT_LIMITS.phoneMax) problems.add("phone", "phone_too_long");
    // At least 4 digits: the shortest national numbers in use have 4.
    else if (!/^[\d +().-]+$/.test(phone) || (phone.match(/\d/g)?.length ?? 0) < 4) problems.add("phone", "phone_invalid");
  }

  const orderText = cleanLine(fields.order_number);
  const orderNumber = orderText ? parseOrderNumberField(orderText) : null;
  if (orderText && !orderNumber) problems.add("order_number", "order_number_invalid");

  const message = cleanText(fields.message);
  if (!message) problems.add("message", "message_missing");
  else if (codePointLength(message) > CONTACT_LIMITS.messageMax) problems.add("message", "message_too_long");

  if (problems.failed()) return problems.failure();
  return {
    ok: true,
    value: {
      name: name || null,
      email: email!,
      phone: phone || null,
      orderNumber,
      message,
      returnTo: safeReturnTo(fields.return_to),
      honeypotFilled: (fields[HONEYPOT_FIELD] ?? "").trim() !== "",
    },
  };
}

// Words shoppers put before the number, in the three languages ("Pedido nº 1001", "Order no. 1001").
const ORDER_WORDS = /^(?:(?:order|orden|pedido|encomenda|compra|n[úu]mero|number|num|nro|no|n[º°o]?|#)[\s.:º°#-]*)+/i;

/**
 * The contact form's order-number field: "#1001", "1001", "Pedido #1001", "order no. 1001" →
 * "#1001" (Shopify's default order name). Shops can add a prefix or suffix to order names
 * ("MX-1001", "1001-B"); such a name is kept as typed (match it with inbox/order-number's
 * orderNameKey). Null when it cannot be an order name.
 */
export function parseOrderNumberField(raw: string): string | null {
  const text = cleanLine(raw);
  if (!text || codePointLength(text) > CONTACT_LIMITS.orderNumberMax) return null;
  const rest = text.replace(ORDER_WORDS, "").trim();
  if (/^[1-9]\d{0,11}$/.test(rest)) return `#${rest}`;
  // A custom name has letters around its number ("MX-1001", "1001-B"); digits alone were handled above.
  if (/^#?[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(text) && /\d/.test(text) && /[A-Za-z]/.test(text)) return text;
  return null;
}
