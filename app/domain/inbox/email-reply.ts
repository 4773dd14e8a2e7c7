// Shoppers' emails as the inbox should show them: the new text of a reply without the quoted
// conversation below it, addresses as { name, email }, and HTML-only emails as plain text.
// Pure string work (no DOM, no vendor code): it runs on the server for every inbound email.

// ---------------------------------------------------------------------------------------------
// Quoted replies

/**
 * The new text of an email reply: drops the quoted previous message ("On … wrote:", "El …
 * escribió:", "Em … escreveu:", "-----Original Message-----", Outlook's From/Sent/To/Subject block,
 * lines starting with ">"), the signature after "-- " and "Sent from my iPhone"-style footers.
 * Inline answers between quoted lines are kept; a reply written below the quote is found too.
 * Forwarded messages are kept whole: what was forwarded is what the shopper wants read.
 * Returns "" when nothing new was written (callers may then show the full text).
 */
export function stripQuotedReply(text: string | null | undefined): string {
  if (!text) return "";
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const quote = findQuoteStart(lines);
  const head = quote ? lines.slice(0, quote.index) : lines;
  const kept = tidy(withoutMobileFooter(withoutSignature(head.filter((line) => !isQuotedLine(line)))));
  if (kept || !quote) return kept;
  // Bottom-posted: the shopper wrote under the quote. Keep what is neither quote nor attribution.
  const below = lines.slice(quote.index + quote.span).filter((line) => !isQuotedLine(line));
  return quote.kind === "attribution" ? tidy(withoutMobileFooter(withoutSignature(below))) : "";
}

type QuoteStart = { index: number; span: number; kind: "attribution" | "separator" | "header_block" };

// "On Tue, Jun 3, 2025 at 5:42 AM Casa Bonita <hola@casabonita.mx> wrote:" (Gmail, Apple Mail, Yahoo),
// "El mar, 3 jun 2025 a las 5:42, Casa Bonita (<hola@casabonita.mx>) escribió:",
// "Em ter., 3 de jun. de 2025 às 05:42, Casa Bonita <hola@casabonita.mx> escreveu:",
// "Le 3 juin 2025 à 05:42, … a écrit :". Gmail wraps long ones over two or three lines.
const ATTRIBUTION = /^(?:on|el|em|le)\s.{0,300}\s(?:wrote|escribi[oó]|escreveu|a\s+[ée]crit)\s*:$/i;

// "-----Original Message-----", "----- Mensaje original -----", "-------- Mensagem original --------".
const ORIGINAL_MESSAGE = /^-{2,}\s*(?:original message|mensaje original|mensagem original|message d'origine)\s*-{2,}$/i;

// Outlook quotes the previous message under a header block: From/De, Sent/Enviado/Date/Fecha/Data, Subject/Asunto/Assunto.
const HEADER_FROM = /^\*?(?:from|de)\s*:\*?\s*\S/i;
const HEADER_SENT = /^\*?(?:sent|date|enviado|enviada em|fecha|data)\s*:/i;
const HEADER_SUBJECT = /^\*?(?:subject|asunto|assunto)\s*:\*?\s*(.*)$/i;
const FORWARD_SUBJECT = /^(?:fwd?|rv|enc|tr)\s*:/i;
const FORWARD_MARKER = /(?:forwarded message|begin forwarded message|mensaje reenviado|inicio del mensaje reenviado|mensagem encaminhada|in[ií]cio da mensagem encaminhada)/i;
const RULE = /^(?:_{10,}|-{10,})$/;

function findQuoteStart(lines: string[]): QuoteStart | null {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (!line || isQuotedLine(line)) continue;
    for (let span = 1; span <= 3 && index + span <= lines.length; span++) {
      const joined = lines.slice(index, index + span).map((part) => part.trim()).join(" ");
      if (joined.length > 400) break;
      if (ATTRIBUTION.test(joined) && /\d/.test(joined)) return { index, span, kind: "attribution" };
    }
    if (ORIGINAL_MESSAGE.test(line)) return { index, span: 1, kind: "separator" };
    if (HEADER_FROM.test(line) && isReplyHeaderBlock(lines, index)) {
      const above = previousNonBlank(lines, index);
      return { index: above !== -1 && RULE.test(lines[above].trim()) ? above : index, span: 1, kind: "header_block" };
    }
  }
  return null;
}

function isReplyHeaderBlock(lines: string[], from: number): boolean {
  const block = lines.slice(from + 1, from + 6).map((line) => line.trim());
  const subject = block.map((line) => HEADER_SUBJECT.exec(line)).find(Boolean);
  if (!subject || !block.some((line) => HEADER_SENT.test(line))) return false;
  if (FORWARD_SUBJECT.test(subject[1].trim())) return false;
  const before = lines.slice(Math.max(0, from - 3), from).join(" ");
  return !FORWARD_MARKER.test(before);
}

function previousNonBlank(lines: string[], index: number): number {
  for (let i = index - 1; i >= 0; i--) if (lines[i].trim()) return i;
  return -1;
}

function isQuotedLine(line: string): boolean {
  return /^\s*>/.test(line);
}

// The standard signature delimiter is "-- " (many clients trim the space).
function withoutSignature(lines: string[]): string[] {
  const at = lines.findIndex((line) => line === "-- " || line.trimEnd() === "--");
  return at === -1 ? lines : lines.slice(0, at);
}

const MOBILE_FOOTER =
  /^(?:sent from my|sent from|enviado desde mi|enviado desde|enviado do meu|enviado de meu|enviado a partir d[oe]|get outlook for|obtener outlook para|obtenha o outlook para|obter o outlook para|descargar outlook para|baixe o outlook para)\b.{0,60}$/i;

function withoutMobileFooter(lines: string[]): string[] {
  const end = lastNonBlank(lines);
  return end !== -1 && MOBILE_FOOTER.test(lines[end].trim()) ? lines.slice(0, end) : lines;
}

function lastNonBlank(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].trim()) return i;
  return -1;
}

/** Trailing spaces off, no blank lines at either end, at most one blank line in a row. */
function tidy(lines: string[]): string {
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!line && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(line);
  }
  while (out.length && out[out.length - 1] === "") out.pop();
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Addresses

export type EmailAddress = { name: string | null; email: string };

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\.]+$/;

/**
 * "Lucía Ramírez <Lucia@Example.com>" → { name: "Lucía Ramírez", email: "lucia@example.com" }.
 * Also "\"Ramírez, Lucía\" <…>", "<lucia@example.com>", "lucia@example.com", "lucia@example.com
 * (Lucía)", and MIME encoded names (=?UTF-8?B?…?=). No usable address → null.
 */
export function parseAddress(input: string | null | undefined): EmailAddress | null {
  const text = decodeMimeWords((input ?? "").trim());
  if (!text) return null;
  let name: string | null = null;
  let email: string;
  const open = text.lastIndexOf("<");
  const close = text.indexOf(">", open);
  if (open !== -1 && close !== -1) {
    email = text.slice(open + 1, close);
    name = unquote(text.slice(0, open));
  } else {
    const comment = /^(\S+)\s*\((.*)\)$/.exec(text);
    email = comment ? comment[1] : text;
    name = comment ? unquote(comment[2]) : null;
  }
  email = email.trim().replace(/^mailto:/i, "").toLowerCase();
  if (!EMAIL.test(email)) return null;
  // "lucia@example.com <lucia@example.com>": the name says nothing new.
  if (name && name.toLowerCase() === email) name = null;
  return { name, email };
}

/** "a@x.com, \"Ramírez, Lucía\" <l@y.com>; c@z.com" → each parsable address, in order. */
export function parseAddressList(input: string | null | undefined): EmailAddress[] {
  const text = input ?? "";
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  let angle = 0;
  let paren = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\" && quoted && i + 1 < text.length) {
      current += char + text[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === "<") angle++;
    else if (!quoted && char === ">") angle = Math.max(0, angle - 1);
    else if (!quoted && char === "(") paren++;
    else if (!quoted && char === ")") paren = Math.max(0, paren - 1);
    if (!quoted && !angle && !paren && (char === "," || char === ";")) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map(parseAddress).filter((address): address is EmailAddress => address !== null);
}

function unquote(raw: string): string | null {
  let name = raw.trim();
  if (name.length >= 2 && ((name.startsWith('"') && name.endsWith('"')) || (name.startsWith("'") && name.endsWith("'")))) {
    name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  name = name.replace(/\s+/g, " ").trim();
  return name || null;
}

/**
 * RFC 2047 encoded words in headers: "=?UTF-8?B?THVjw61h?=" → "Lucía", "=?ISO-8859-1?Q?Ram=EDrez?="
 * → "Ramírez". Unknown charsets fall back to UTF-8; malformed words are left as written.
 */
export function decodeMimeWords(text: string): string {
  if (!text.includes("=?")) return text;
  // Whitespace between two encoded words is not part of the text.
  const joined = text.replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?)/g, "$1");
  return joined.replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (word, charset: string, encoding: string, data: string) => {
    try {
      const bytes = encoding.toUpperCase() === "B" ? base64Bytes(data) : quotedPrintableWordBytes(data);
      return decodeBytes(bytes, charset.split("*")[0]);
    } catch {
      return word;
    }
  });
}

function base64Bytes(data: string): Uint8Array {
  const binary = atob(data);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function quotedPrintableWordBytes(data: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const char = data[i];
    if (char === "_") bytes.push(0x20);
    else if (char === "=" && /^[0-9a-fA-F]{2}$/.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(char.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(bytes);
}

/** Bytes in a named charset → text; a charset the runtime does not know is read as UTF-8. */
export function decodeBytes(bytes: Uint8Array, charset: string | null | undefined): string {
  try {
    return new TextDecoder((charset ?? "utf-8").trim() || "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// HTML → text

// Elements whose content is never shown as text (raw text in HTML parsing, or not text at all).
const SKIPPED = new Set(["script", "style", "title", "template", "iframe", "noscript", "object", "noembed", "noframes", "xmp"]);
const BLOCKS = new Set([
  "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3", "h4", "h5", "h6",
  "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "pre", "address", "form", "fieldset",
  "figure", "figcaption", "center", "caption", "hr", "html", "body",
]);
// Paragraph-like blocks are set apart by a blank line, whatever whitespace the source had.
const PARAGRAPHS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre"]);
const QUOTE_OPEN = "\u0002";
const QUOTE_CLOSE = "\u0003";
// A block boundary: a line break unless already at the start of a line (so <div>a</div><div>b</div>
// is two lines, not three). A paragraph boundary: a blank line.
const BLOCK_BREAK = "\u0004";
const PARAGRAPH_BREAK = "\u0005";

/**
 * Visible text of an HTML email: tags removed, <script>/<style>/<title>… dropped with their
 * content, entities decoded once, line breaks kept (<br>, blocks, list items), <blockquote>
 * lines prefixed with "> " so stripQuotedReply can remove them. A single pass over the input
 * (no backtracking regular expressions), so hostile HTML costs linear time.
 */
export function htmlToText(html: string | null | undefined): string {
  const source = html ?? "";
  const out: string[] = [];
  let preDepth = 0;
  const text = (raw: string) => {
    if (!raw) return;
    // Control characters are never text (and QUOTE_OPEN/CLOSE are our own markers).
    const clean = decodeHtmlEntities(raw.replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, ""));
    // Inside <pre> spaces are kept: written as no-break spaces they survive the line trimming below.
    out.push(preDepth > 0 ? clean.replace(/\r\n?/g, "\n").replace(/[ \t]/g, "\u00a0") : clean.replace(/[ \t\n\r\f]+/g, " "));
  };
  let i = 0;
  const n = source.length;
  while (i < n) {
    const lt = source.indexOf("<", i);
    if (lt === -1) {
      text(source.slice(i));
      break;
    }
    text(source.slice(i, lt));
    if (source.startsWith("<!--", lt)) {
      i = after(source, "-->", lt + 4);
      continue;
    }
    if (source[lt + 1] === "!" || source[lt + 1] === "?") {
      // <!DOCTYPE …>, <![CDATA[…]]> (not used in HTML email bodies), <?xml …?>
      i = startsWithAt(source, lt, "<![cdata[") ? after(source, "]]>", lt + 9) : after(source, ">", lt + 2);
      continue;
    }
    const closing = source[lt + 1] === "/";
    const nameStart = lt + (closing ? 2 : 1);
    if (!/[a-zA-Z]/.test(source[nameStart] ?? "")) {
      text("<"); // "a < b", "<3": a lone "<" is text
      i = lt + 1;
      continue;
    }
    let j = nameStart;
    while (j < n && !/[\s/>]/.test(source[j])) j++;
    const name = source.slice(nameStart, j).toLowerCase();
    i = endOfTag(source, j);
    if (closing) {
      if (name === "blockquote") out.push(`\n${QUOTE_CLOSE}\n`);
      else if (name === "pre") preDepth = Math.max(0, preDepth - 1);
      if (PARAGRAPHS.has(name)) out.push(PARAGRAPH_BREAK);
      else if (BLOCKS.has(name)) out.push(BLOCK_BREAK);
      continue;
    }
    if (SKIPPED.has(name)) {
      i = endOfRawElement(source, i, name);
      continue;
    }
    if (name === "br") out.push("\n");
    else if (name === "blockquote") out.push(`\n${QUOTE_OPEN}\n`);
    else if (name === "li") out.push(`${BLOCK_BREAK}- `);
    else if (name === "td" || name === "th") out.push(" ");
    else if (PARAGRAPHS.has(name)) out.push(PARAGRAPH_BREAK);
    else if (BLOCKS.has(name)) out.push(BLOCK_BREAK);
    if (name === "pre") preDepth++;
  }
  return finishText(out.join(""));
}

/** Index just after `marker` searched from `from`; the end of the string when it is missing. */
function after(source: string, marker: string, from: number): number {
  const at = source.indexOf(marker, from);
  return at === -1 ? source.length : at + marker.length;
}

/** Case-insensitive (ASCII) "does `source` have `needle` (lowercase) at `at`". */
function startsWithAt(source: string, at: number, needle: string): boolean {
  if (at + needle.length > source.length) return false;
  for (let k = 0; k < needle.length; k++) {
    const code = source.charCodeAt(at + k);
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    if (lower !== needle.charCodeAt(k)) return false;
  }
  return true;
}

// The ">" ending a tag, honouring quoted attribute values (<img alt="a>b">).
function endOfTag(source: string, from: number): number {
  let quote: string | null = null;
  for (let k = from; k < source.length; k++) {
    const char = source[k];
    if (quote) {
      if (char === quote) quote = null;
    } else if ((char === '"' || char === "'") && /=\s*$/.test(source.slice(Math.max(from, k - 8), k))) quote = char;
    else if (char === ">") return k + 1;
  }
  return source.length;
}

// Raw text elements end at the first "</name" (as browsers parse them); unclosed → the end.
function endOfRawElement(source: string, from: number, name: string): number {
  let at = source.indexOf("</", from);
  while (at !== -1) {
    if (startsWithAt(source, at + 2, name) && /[\s/>]|^$/.test(source[at + 2 + name.length] ?? "")) return endOfTag(source, at + 2 + name.length);
    at = source.indexOf("</", at + 2);
  }
  return source.length;
}

function finishText(joined: string): string {
  const lines: string[] = [];
  let depth = 0;
  const broken = joined.replace(/[ \u0004\u0005]*[\u0004\u0005][ \u0004\u0005]*/g, (run: string, offset: number) => {
    const atLineStart = offset === 0 || joined[offset - 1] === "\n";
    if (run.includes(PARAGRAPH_BREAK)) return atLineStart ? "\n" : "\n\n";
    return atLineStart ? "" : "\n";
  });
  for (let raw of broken.split("\n")) {
    if (raw.includes(QUOTE_OPEN) || raw.includes(QUOTE_CLOSE)) {
      for (const char of raw) depth += char === QUOTE_OPEN ? 1 : char === QUOTE_CLOSE ? -1 : 0;
      depth = Math.max(0, depth);
      raw = raw.replace(/[\u0002\u0003]/g, "");
      if (!raw.trim()) continue;
    }
    // Collapsed source whitespace leaves a space at line starts; no-break spaces are meant.
    const line = raw.replace(/^ +| +$/g, "").replace(/\u00a0/g, " ");
    lines.push(depth > 0 && line ? `${"> ".repeat(depth)}${line}` : line);
  }
  return tidy(lines);
}

// Named entities: the Latin-1 range (160–255, in code point order) and the common others.
const LATIN1_NAMES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml".split(" ");
const NAMED_ENTITIES: Record<string, string> = {
  ...Object.fromEntries(LATIN1_NAMES.map((entity, index) => [entity, String.fromCharCode(160 + index)])),
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'",
  euro: "€", hellip: "…", mdash: "—", ndash: "–", lsquo: "‘", rsquo: "’", sbquo: "‚", ldquo: "“", rdquo: "”", bdquo: "„",
  bull: "•", trade: "™", dagger: "†", Dagger: "‡", permil: "‰", lsaquo: "‹", rsaquo: "›", OElig: "Œ", oelig: "œ",
  Scaron: "Š", scaron: "š", Yuml: "Ÿ", fnof: "ƒ", circ: "ˆ", tilde: "˜", ensp: " ", emsp: " ", thinsp: " ",
  zwnj: "\u200c", zwj: "\u200d", lrm: "\u200e", rlm: "\u200f", larr: "←", rarr: "→", check: "✓", hearts: "♥", star: "☆",
};
// Legacy entities browsers decode even without the ";".
const WITHOUT_SEMICOLON = new Set(["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]);
// &#128;–&#159; mean Windows-1252 characters in practice (as browsers read them).
const WINDOWS_1252: Record<number, string> = {
  128: "€", 130: "‚", 131: "ƒ", 132: "„", 133: "…", 134: "†", 135: "‡", 136: "ˆ", 137: "‰", 138: "Š", 139: "‹", 140: "Œ",
  142: "Ž", 145: "‘", 146: "’", 147: "“", 148: "”", 149: "•", 150: "–", 151: "—", 152: "˜", 153: "™", 154: "š", 155: "›",
  156: "œ", 158: "ž", 159: "Ÿ",
};

/** "&aacute;", "&#225;", "&#xE1;" → "á". Unknown names stay as written; invalid code points → U+FFFD. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31})(;?)/g, (whole, body: string, semicolon: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (WINDOWS_1252[code]) return WINDOWS_1252[code];
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      if (code < 32 && code !== 9 && code !== 10 && code !== 13) return "";
      return String.fromCodePoint(code);
    }
    const value = NAMED_ENTITIES[body];
    if (value === undefined || (!semicolon && !WITHOUT_SEMICOLON.has(body))) return whole;
    return value;
  });
}
