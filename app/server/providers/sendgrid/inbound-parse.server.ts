// SendGrid Inbound Parse: SendGrid receives the mail for Avisa's inbound domain (MX → mx.sendgrid.net)
// and POSTs each message as multipart/form-data: from, to, cc, subject, text, html, headers (the raw
// header block), envelope (JSON: { to: [...], from }), charsets (JSON: field → charset), SPF, dkim
// ("{@gmail.com : pass}", not JSON), sender_ip, spam_score / spam_report (when spam check is on),
// attachments (a count), attachment-info (JSON) and the files attachment1…N.
//
// Trust. Inbound Parse posts carry no signature unless the parse setting has a webhook security
// policy with signature verification (POST /v3/user/webhooks/security/policies, then PATCH the
// parse setting's security_policy); SendGrid then signs like the Event Webhook (ECDSA P-256 over
// timestamp + raw body, in X-Twilio-Email-Event-Webhook-Signature / -Timestamp). Avisa always
// puts a secret ?key=… in the destination URL (verifyInboundParseRequest) and, when a policy's
// public key is configured, also checks the signature (verifyInboundParseSignature).
//
// Charsets. text and html arrive in the email's own charset (named in `charsets`), not UTF-8;
// readInboundParseRequest decodes each field with it, which request.formData() cannot do.
import { readBodyCapped } from "../../http/read-body.server";
import { createHash, timingSafeEqual } from "node:crypto";
import { err, ok, type Result } from "../../../domain/errors";
import { decodeBytes, decodeMimeWords, htmlToText, parseAddress, parseAddressList, stripQuotedReply, type EmailAddress } from "../../../domain/inbox/email-reply";
import { isValidEventWebhookSignature, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from "./event-webhook.server";

/** The query parameter of the destination URL that carries Avisa's inbound secret. */
export const INBOUND_PARSE_KEY_PARAM = "key";
/** A shorter key could be guessed. */
export const MIN_INBOUND_PARSE_KEY_LENGTH = 16;
/** SendGrid parses messages up to 30 MB including attachments; room for the form around them. */
export const MAX_INBOUND_PARSE_BYTES = 36 * 1024 * 1024;
/** Longer bodies are cut (a ticket message is read by a person, not archived whole). */
export const MAX_INBOUND_TEXT_CHARS = 100_000;
const MAX_HTML_CHARS = 2_000_000;
/** SpamAssassin's own threshold. */
const SPAM_SCORE_THRESHOLD = 5;

export type InboundEmail = {
  from: EmailAddress;
  /** Recipients, lowercased: the SMTP envelope's first (where SendGrid really received it), then the To header's. */
  to: string[];
  cc: string[];
  subject: string;
  /** Plain text: the text part, or the html part converted to text when there is no text part. */
  text: string;
  /** `text` without the quoted conversation and signature; "" when the shopper wrote nothing new. */
  strippedText: string;
  /** Message-ID without its angle brackets ("CAF=abc@mail.gmail.com"); null when absent. */
  messageId: string | null;
  inReplyTo: string | null;
  /** The References header's ids, oldest first. */
  references: string[];
  attachments: number;
  attachmentNames: string[];
  /** Likely forged or spam: store it, but do not alert the merchant or reopen a ticket for it. */
  spamFlag: boolean;
  /** Why spamFlag is set, in words a merchant can read. */
  spamReasons: string[];
  /** An out-of-office, bounce or other automatic message: never answer it automatically. */
  autoReply: boolean;
  /** The text was longer than MAX_INBOUND_TEXT_CHARS and was cut. */
  truncated: boolean;
};

// ---------------------------------------------------------------------------------------------
// Trust

/**
 * Checks the secret in the destination URL (…/inbound?key=…) in constant time. Several keys may
 * be given while one is being replaced.
 */
export function verifyInboundParseRequest(url: URL, expectedKey: string | readonly string[]): Result<true> {
  const keys = (typeof expectedKey === "string" ? [expectedKey] : [...expectedKey]).filter((key) => key.length > 0);
  if (keys.length === 0) return err("No Inbound Parse key is configured, so no inbound email can be trusted: configure one and put it in the destination URL's ?key=.");
  if (keys.some((key) => key.length < MIN_INBOUND_PARSE_KEY_LENGTH)) {
    return err(`The configured Inbound Parse key is shorter than ${MIN_INBOUND_PARSE_KEY_LENGTH} characters and could be guessed: configure a longer random one.`);
  }
  const given = url.searchParams.get(INBOUND_PARSE_KEY_PARAM);
  if (!given) return err("The Inbound Parse destination URL has no ?key=…: copy the full URL from Avisa's settings into SendGrid → Settings → Inbound Parse.");
  // Equal-length digests, and every key compared: the time taken says nothing about the key.
  const givenDigest = sha256(given);
  let matched = false;
  for (const key of keys) matched = timingSafeEqual(givenDigest, sha256(key)) || matched;
  return matched
    ? ok(true)
    : err("The ?key=… in the Inbound Parse destination URL does not match Avisa's: update the URL in SendGrid → Settings → Inbound Parse.");
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Checks SendGrid's signature of the raw body, for parse settings with a signing security policy.
 * `publicKey` is the policy's signature.public_key (base64 DER, as SendGrid returns it).
 */
export function verifyInboundParseSignature(options: {
  headers: Headers;
  rawBody: Uint8Array;
  publicKey: string;
  now?: Date;
  toleranceSeconds?: number;
}): Result<true> {
  const signature = options.headers.get(SENDGRID_SIGNATURE_HEADER);
  const timestamp = options.headers.get(SENDGRID_TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    return err("The inbound email is not signed, but a signing key is configured: attach the security policy to the Inbound Parse setting in SendGrid, or remove the key from Avisa.");
  }
  const rawBody = Buffer.isBuffer(options.rawBody) ? options.rawBody : Buffer.from(options.rawBody);
  const valid = isValidEventWebhookSignature({
    publicKey: options.publicKey, signature, timestamp, rawBody, now: options.now, toleranceSeconds: options.toleranceSeconds,
  });
  return valid ? ok(true) : err("The inbound email's signature does not match the configured public key (or it is too old).");
}

// ---------------------------------------------------------------------------------------------
// Reading the post

/**
 * Reads an Inbound Parse request: at most `maxBytes`, then the multipart form with each text field
 * decoded in the charset SendGrid names for it. The raw bytes come back too, for the signature.
 */
export async function readInboundParseRequest(
  request: Request,
  options: { maxBytes?: number } = {},
): Promise<Result<{ form: FormData; rawBody: Buffer }>> {
  const maxBytes = options.maxBytes ?? MAX_INBOUND_PARSE_BYTES;
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    return err(
      `Inbound Parse posts multipart/form-data, this post is ${contentType ? `"${contentType.split(";")[0]}"` : "without a Content-Type"}: is this URL configured as a SendGrid Inbound Parse destination?`,
    );
  }
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) return err(tooLarge(declared, maxBytes));
  const read = await readBodyCapped(request, maxBytes);
  if (!read.ok) return err(tooLarge(read.bytesSeen, maxBytes));
  const form = formDataFromMultipart(read.body, contentType);
  return form.ok ? ok({ form: form.value, rawBody: read.body }) : form;
}

function tooLarge(bytes: number, maxBytes: number): string {
  return `The inbound email is ${Math.ceil(bytes / 1024 / 1024)} MB; Avisa reads at most ${Math.floor(maxBytes / 1024 / 1024)} MB.`;
}


type Part = { name: string; filename: string | null; contentType: string | null; data: Buffer };

/**
 * multipart/form-data bytes → FormData. Text fields are decoded with their part's charset, else
 * the one the `charsets` field names for them, else UTF-8; parts with a filename become Files.
 */
export function formDataFromMultipart(body: Buffer, contentType: string): Result<FormData> {
  const boundary = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!boundary) return err("The multipart post has no boundary in its Content-Type.");
  const parts = splitMultipart(body, boundary[1] ?? boundary[2]);
  if (!parts.ok) return parts;

  let charsets: Record<string, unknown> = {};
  const charsetPart = parts.value.find((part) => part.name === "charsets" && part.filename === null);
  if (charsetPart) charsets = parseJsonObject(charsetPart.data.toString("utf8")) ?? {};

  const form = new FormData();
  for (const part of parts.value) {
    if (part.filename !== null) {
      form.append(part.name, new File([new Uint8Array(part.data)], part.filename, { type: part.contentType ?? "application/octet-stream" }));
      continue;
    }
    const declared = /charset=(?:"([^"]+)"|([^\s;]+))/i.exec(part.contentType ?? "");
    const named = charsets[part.name];
    const charset = declared ? (declared[1] ?? declared[2]) : typeof named === "string" ? named : "utf-8";
    form.append(part.name, decodeBytes(part.data, charset));
  }
  return ok(form);
}

function splitMultipart(body: Buffer, boundary: string): Result<Part[]> {
  const truncated = "The multipart post ends before its closing boundary (it was cut off on the way).";
  const delimiter = Buffer.from(`--${boundary}`, "latin1");
  // Delimiters start a line; CRLF is the rule, a bare LF is tolerated.
  const nextDelimiter = Buffer.from(`\n--${boundary}`, "latin1");
  let pos = body.indexOf(delimiter);
  if (pos === -1) return err("The multipart post does not contain its boundary: it is not a form post.");
  pos += delimiter.length;
  const parts: Part[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return ok(parts); // "--boundary--"
    const lineEnd = body.indexOf(0x0a, pos);
    if (lineEnd === -1) return err(truncated);
    pos = lineEnd + 1;
    const headers = new Map<string, string>();
    for (;;) {
      const end = body.indexOf(0x0a, pos);
      if (end === -1) return err(truncated);
      const line = body.subarray(pos, end).toString("utf8").replace(/\r$/, "");
      pos = end + 1;
      if (line === "") break;
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const next = body.indexOf(nextDelimiter, pos - 1 > 0 ? pos - 1 : 0);
    if (next === -1) return err(truncated);
    const dataEnd = next > pos && body[next - 1] === 0x0d ? next - 1 : Math.max(next, pos);
    const disposition = dispositionParams(headers.get("content-disposition") ?? "");
    const name = disposition.get("name");
    if (name !== undefined) {
      parts.push({
        name,
        filename: disposition.get("filename*") ?? disposition.get("filename") ?? null,
        contentType: headers.get("content-type") ?? null,
        data: body.subarray(pos, dataEnd),
      });
    }
    pos = next + nextDelimiter.length;
  }
}

function dispositionParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of value.matchAll(/;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const key = match[1].toLowerCase();
    let param = match[2].trim();
    if (param.startsWith('"')) param = param.slice(1, -1).replace(/\\(.)/g, "$1");
    if (key === "filename*") {
      // RFC 5987: charset'language'percent-encoded
      const extended = /^([^']*)'[^']*'(.*)$/.exec(param);
      try {
        param = extended ? decodeURIComponent(extended[2]) : param;
      } catch {
        // keep as written
      }
    }
    params.set(key, param);
  }
  return params;
}

function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The email

export function parseInboundEmail(form: FormData): Result<InboundEmail> {
  const field = (name: string): string | null => {
    const value = form.get(name);
    return typeof value === "string" ? value : null;
  };

  const fromField = field("from")?.trim() ?? "";
  if (!fromField) {
    return err("The post has no 'from' field: is this URL configured as a SendGrid Inbound Parse destination?");
  }
  const plain = field("text");
  const html = field("html");
  if (!plain && !html && field("email") !== null) {
    return err(
      "SendGrid posted the raw MIME message instead of parsed fields: uncheck 'POST the raw, full MIME message' for this host in SendGrid → Settings → Inbound Parse.",
    );
  }
  const envelope = parseJsonObject(field("envelope")) ?? {};
  const from = parseAddress(fromField) ?? parseAddress(typeof envelope.from === "string" ? envelope.from : null);
  if (!from) return err(`The sender "${fromField.slice(0, 120)}" has no email address Avisa could answer.`);

  const envelopeTo = Array.isArray(envelope.to) ? envelope.to : typeof envelope.to === "string" ? [envelope.to] : [];
  const to = unique([
    ...envelopeTo.map((address) => (typeof address === "string" ? parseAddress(address)?.email : undefined)),
    ...parseAddressList(field("to")).map((address) => address.email),
  ]);
  const cc = unique(parseAddressList(field("cc")).map((address) => address.email));

  const headers = parseHeaders(field("headers") ?? "");
  const header = (name: string) => headers.get(name)?.[0] ?? null;

  let text = (plain && plain.trim() ? plain : html ? htmlToText(html.slice(0, MAX_HTML_CHARS)) : "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
  const truncated = text.length > MAX_INBOUND_TEXT_CHARS;
  if (truncated) text = text.slice(0, MAX_INBOUND_TEXT_CHARS);

  const attachmentInfo = parseJsonObject(field("attachment-info")) ?? {};
  const attachmentNames = Object.values(attachmentInfo)
    .map((info) => (info && typeof info === "object" ? ((info as Record<string, unknown>).filename ?? (info as Record<string, unknown>).name) : null))
    .filter((name): name is string => typeof name === "string" && name.length > 0);
  const counted = Number.parseInt(field("attachments") ?? "", 10);
  const files = [...form.values()].filter((value) => typeof value !== "string").length;
  const attachments = Number.isFinite(counted) && counted >= 0 ? counted : Math.max(Object.keys(attachmentInfo).length, files);

  const spamReasons = spamReasonsFor({
    fromDomain: from.email.slice(from.email.lastIndexOf("@") + 1),
    envelopeFrom: typeof envelope.from === "string" ? envelope.from : null,
    spf: field("SPF") ?? field("spf"),
    dkim: field("dkim"),
    spamScore: field("spam_score"),
    spamFlagHeader: header("x-spam-flag"),
  });

  return ok({
    from,
    to,
    cc,
    // SendGrid posts the subject decoded; the raw header (MIME encoded words) is the fallback.
    subject: (field("subject") ?? decodeMimeWords(header("subject") ?? "")).replace(/\s+/g, " ").trim(),
    text,
    strippedText: stripQuotedReply(text),
    messageId: messageIds(header("message-id"))[0] ?? null,
    inReplyTo: messageIds(header("in-reply-to"))[0] ?? null,
    references: messageIds(header("references")),
    attachments,
    attachmentNames,
    spamFlag: spamReasons.length > 0,
    spamReasons,
    autoReply: isAutomatic(header, from.email),
    truncated,
  });
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => !!value))];
}

/** The raw header block → lowercase name → values, with folded lines joined. */
function parseHeaders(raw: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: { name: string; index: number } | null = null;
  for (const line of raw.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^[ \t]/.test(line) && last) {
      const values = headers.get(last.name)!;
      values[last.index] = `${values[last.index]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      last = null;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
    last = { name, index: values.length - 1 };
  }
  return headers;
}

/** "<a@b> <c@d>" → ["a@b", "c@d"]; a lone id without brackets is taken as written. */
function messageIds(value: string | null): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]);
  if (bracketed.length) return bracketed;
  const bare = value.trim();
  return bare && !/\s/.test(bare) ? [bare] : [];
}

// SPF fails for forwarded mail all the time; a DKIM signature from the From domain that passed
// still proves the sender. So: flagged when SPF fails and nothing vouches for the From domain,
// when SpamAssassin's score reaches its threshold, or when a server on the way said "spam".
function spamReasonsFor(input: {
  fromDomain: string;
  envelopeFrom: string | null;
  spf: string | null;
  dkim: string | null;
  spamScore: string | null;
  spamFlagHeader: string | null;
}): string[] {
  const reasons: string[] = [];
  const spf = (input.spf ?? "").trim().split(/\s/)[0].toLowerCase();
  const dkimPasses = [...(input.dkim ?? "").matchAll(/@([^\s:,{}]+)\s*:\s*([a-z]+)/gi)]
    .filter((match) => match[2].toLowerCase() === "pass")
    .map((match) => match[1].toLowerCase());
  const aligned = dkimPasses.some((domain) => domain === input.fromDomain || input.fromDomain.endsWith(`.${domain}`) || domain.endsWith(`.${input.fromDomain}`));
  if (spf === "fail" && !aligned) {
    const envelopeDomain = input.envelopeFrom?.split("@")[1] ?? input.fromDomain;
    reasons.push(`The sending server is not allowed to send for ${envelopeDomain} (SPF fail) and no DKIM signature from ${input.fromDomain} vouches for it: the sender may be forged.`);
  }
  const score = Number.parseFloat(input.spamScore ?? "");
  if (Number.isFinite(score) && score >= SPAM_SCORE_THRESHOLD) reasons.push(`SpamAssassin scored it ${score} (${SPAM_SCORE_THRESHOLD} or more is spam).`);
  if (/^\s*yes\b/i.test(input.spamFlagHeader ?? "")) reasons.push("A mail server on the way marked it as spam (X-Spam-Flag: YES).");
  return reasons;
}

// RFC 3834 Auto-Submitted, the common vendor headers, bounces and delivery reports.
function isAutomatic(header: (name: string) => string | null, fromEmail: string): boolean {
  const autoSubmitted = header("auto-submitted");
  if (autoSubmitted && !/^\s*no\b/i.test(autoSubmitted)) return true;
  if (header("x-autoreply") !== null || header("x-autorespond") !== null || header("x-auto-response") !== null) return true;
  if (/^\s*(?:auto_reply|bulk|junk)\s*$/i.test(header("precedence") ?? "")) return true;
  if (/^multipart\/report\b/i.test(header("content-type") ?? "")) return true;
  return /^(?:mailer-daemon|postmaster)@/i.test(fromEmail);
}

// ---------------------------------------------------------------------------------------------
// Which shop

/**
 * Avisa's inbound addresses are `<shop-handle>@<inboundDomain>` (the shop's own address, which a
 * merchant can forward their support mailbox to) and `reply+<shop-handle>@<inboundDomain>` (the
 * Reply-To of Avisa's emails). The handle is the store's myshopify subdomain ("casa-bonita" for
 * casa-bonita.myshopify.com). Any other domain or shape → null.
 */
export function shopHandleFromRecipient(address: string, inboundDomain: string): string | null {
  const parsed = parseAddress(address);
  const domain = inboundDomain.trim().toLowerCase().replace(/\.$/, "");
  if (!parsed || !domain) return null;
  const at = parsed.email.lastIndexOf("@");
  if (parsed.email.slice(at + 1).replace(/\.$/, "") !== domain) return null;
  const handle = /^(?:reply\+)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$/.exec(parsed.email.slice(0, at));
  return handle ? handle[1] : null;
}
