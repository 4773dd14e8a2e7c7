// Builds the multipart/form-data post SendGrid's Inbound Parse Webhook makes for one received
// email, independently of the app's parser: the fields SendGrid documents (headers, dkim, to,
// from, text, html, sender_ip, spam_report, envelope, attachments, subject, spam_score, charsets,
// SPF) in the order SendGrid sends them, each part with only a Content-Disposition header, and
// text/html encoded in the email's own charset as named in `charsets` (SendGrid does not
// re-encode bodies to UTF-8).
import { randomBytes } from "node:crypto";

export type InboundEmailOptions = {
  /** The From header, e.g. `Lucía Ramírez <lucia@example.com>`. */
  from: string;
  /** The To header. */
  to: string;
  subject: string;
  text?: string;
  html?: string;
  /** Without angle brackets; a random one when omitted (null: no Message-ID header). */
  messageId?: string | null;
  /** SMTP envelope; defaults: from = the From address, to = [the To address]. */
  envelopeFrom?: string;
  envelopeTo?: string[];
  /** Charset of text and html ("UTF-8", "iso-8859-1"). */
  bodyCharset?: string;
  spf?: string;
  dkim?: string;
  spamScore?: number;
  spamReport?: string;
  senderIp?: string;
  extraHeaders?: string[];
};

const bare = (address: string) => /<([^>]+)>/.exec(address)?.[1] ?? address.trim();

/** The raw header block SendGrid copies into the `headers` field. */
function headerBlock(options: InboundEmailOptions, messageId: string | null, boundary: string): string {
  return [
    "Received: by mx0047p1mdw1.sendgrid.net with SMTP id 2fN4cXyQh5 Mon, 24 Nov 2026 14:05:11 +0000 (UTC)",
    `Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [${options.senderIp ?? "209.85.220.41"}]) by mx0047p1mdw1.sendgrid.net (Postfix) with ESMTPS id 4B1F2A0123 for <${bare(options.to)}>; Mon, 24 Nov 2026 14:05:11 +0000 (UTC)`,
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${bare(options.from).split("@")[1]}; s=20230601; h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=Zm9vYmFy`,
    "MIME-Version: 1.0",
    `From: ${options.from}`,
    "Date: Mon, 24 Nov 2026 11:05:00 -0300",
    ...(messageId ? [`Message-ID: <${messageId}>`] : []),
    `Subject: ${options.subject}`,
    `To: ${options.to}`,
    ...(options.extraHeaders ?? []),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
  ].join("\n");
}

/** The fields of the post, in SendGrid's order. Values are strings (UTF-8) or already-encoded bytes. */
export function inboundParseFields(options: InboundEmailOptions): Array<[string, string | Buffer]> {
  const messageId = options.messageId === undefined ? `CAF${randomBytes(12).toString("hex")}@mail.gmail.com` : options.messageId;
  const charset = options.bodyCharset ?? "UTF-8";
  const encode = (value: string) => (/^(?:iso-8859-1|latin1|windows-1252)$/i.test(charset) ? Buffer.from(value, "latin1") : Buffer.from(value, "utf8"));
  const fields: Array<[string, string | Buffer]> = [
    ["headers", headerBlock(options, messageId, `000000000000${randomBytes(8).toString("hex")}`)],
    ["dkim", options.dkim ?? `{@${bare(options.from).split("@")[1]} : pass}`],
    ["to", options.to],
    ["from", options.from],
  ];
  if (options.html !== undefined) fields.push(["html", encode(options.html)]);
  fields.push(["sender_ip", options.senderIp ?? "209.85.220.41"]);
  if (options.spamReport !== undefined) fields.push(["spam_report", options.spamReport]);
  fields.push(["envelope", JSON.stringify({ to: options.envelopeTo ?? [bare(options.to)], from: options.envelopeFrom ?? bare(options.from) })]);
  fields.push(["attachments", "0"]);
  fields.push(["subject", options.subject]);
  if (options.spamScore !== undefined) fields.push(["spam_score", options.spamScore.toFixed(3)]);
  const charsets: Record<string, string> = { to: "UTF-8", subject: "UTF-8", from: "UTF-8" };
  if (options.html !== undefined) charsets.html = charset;
  if (options.text !== undefined) charsets.text = charset;
  fields.push(["charsets", JSON.stringify(charsets)]);
  fields.push(["SPF", options.spf ?? "pass"]);
  if (options.text !== undefined) fields.push(["text", encode(options.text)]);
  return fields;
}

/** multipart/form-data bytes for the fields, CRLF line endings, one boundary. */
export function multipartBody(fields: Array<[string, string | Buffer]>): { body: Buffer; contentType: string } {
  const boundary = `xYzZY${randomBytes(10).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`, "utf8"));
    chunks.push(typeof value === "string" ? Buffer.from(value, "utf8") : value);
    chunks.push(Buffer.from("\r\n", "utf8"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, "utf8"));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The POST SendGrid makes to the destination URL (which carries Avisa's ?key=…). */
export function inboundParseRequest(url: string, options: InboundEmailOptions): Request {
  const { body, contentType } = multipartBody(inboundParseFields(options));
  return new Request(url, {
    method: "POST",
    headers: { "content-type": contentType, "content-length": String(body.byteLength), "user-agent": "Sendlib/1.0 mx0047p1mdw1.sendgrid.net" },
    body: new Uint8Array(body),
  });
}
