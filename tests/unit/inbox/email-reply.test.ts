import { describe, expect, it } from "vitest";
import { decodeHtmlEntities, htmlToText, parseAddress, parseAddressList, stripQuotedReply } from "../../../app/domain/inbox/email-reply";

const lines = (...parts: string[]) => parts.join("\n");

describe("stripQuotedReply", () => {
  it("Gmail, English", () => {
    const body = lines(
      "Hi! The package arrived but the mug is broken. Can you send a new one?",
      "",
      "Thanks,",
      "Sam",
      "",
      "On Tue, Jun 3, 2025 at 5:42 AM Casa Bonita <hello@casabonita.com> wrote:",
      "",
      "> Hi Sam,",
      ">",
      "> Your order #1001 is on its way! Track it here: https://track.example/abc",
      ">",
      "> Casa Bonita",
      "",
    );
    expect(stripQuotedReply(body)).toBe("Hi! The package arrived but the mug is broken. Can you send a new one?\n\nThanks,\nSam");
  });

  it("Gmail, English, with the attribution wrapped over two lines and CRLF line ends", () => {
    const body = [
      "Size M, please.",
      "",
      "On Tue, Jun 3, 2025 at 5:42 AM Casa Bonita Artesanías Mexicanas <",
      "hello@casabonita.com> wrote:",
      "",
      "> Which size do you need?",
    ].join("\r\n");
    expect(stripQuotedReply(body)).toBe("Size M, please.");
  });

  it("Gmail, Spanish", () => {
    const body = lines(
      "Hola, todavía no me llega el pedido. ¿Me pueden ayudar?",
      "",
      "Saludos,",
      "Lucía",
      "",
      "El mar, 3 jun 2025 a las 5:42, Casa Bonita (<hola@casabonita.mx>) escribió:",
      "",
      "> Hola Lucía,",
      "> Tu pedido #1001 ya fue enviado.",
      "> ¡Gracias por tu compra!",
    );
    expect(stripQuotedReply(body)).toBe("Hola, todavía no me llega el pedido. ¿Me pueden ayudar?\n\nSaludos,\nLucía");
  });

  it("Gmail, Portuguese", () => {
    const body = lines(
      "Oi, posso trocar pelo tamanho G?",
      "",
      "Em ter., 3 de jun. de 2025 às 05:42, Casa Bonita <contato@casabonita.com.br> escreveu:",
      "",
      "> Olá Ana,",
      "> Sua encomenda nº 1001 foi enviada.",
    );
    expect(stripQuotedReply(body)).toBe("Oi, posso trocar pelo tamanho G?");
  });

  it("Apple Mail on iPhone, Portuguese (attribution inside the quote, mobile footer)", () => {
    const body = lines(
      "Oi! Recebi a encomenda, mas veio a cor errada.",
      "",
      "Enviado do meu iPhone",
      "",
      "> Em 3 de jun. de 2025, à(s) 05:42, Casa Bonita <contato@casabonita.com.br> escreveu:",
      "> ",
      "> Olá Ana,",
      "> Sua encomenda nº 1001 foi enviada.",
    );
    expect(stripQuotedReply(body)).toBe("Oi! Recebi a encomenda, mas veio a cor errada.");
  });

  it("Apple Mail on a Mac, English and Spanish", () => {
    expect(stripQuotedReply(lines("Perfect, thanks!", "", "> On 3 Jun 2025, at 05:42, Casa Bonita <hello@casabonita.com> wrote:", "> ", "> Shipped!"))).toBe(
      "Perfect, thanks!",
    );
    expect(
      stripQuotedReply(lines("¡Perfecto, gracias!", "", "Enviado desde mi iPhone", "", "El 3 jun 2025, a las 5:42, Casa Bonita <hola@casabonita.mx> escribió:", "", "> ¡Enviado!")),
    ).toBe("¡Perfecto, gracias!");
  });

  it("Outlook, Spanish (rule and De/Enviado/Para/Asunto block)", () => {
    const body = lines(
      "Buenos días, necesito cambiar la dirección de envío.",
      "",
      "Gracias",
      "Lucía Ramírez",
      "",
      "________________________________",
      "De: Casa Bonita <hola@casabonita.mx>",
      "Enviado: martes, 3 de junio de 2025 5:42",
      "Para: Lucía Ramírez <lucia@example.com>",
      "Asunto: Tu pedido #1001 fue enviado",
      "",
      "Hola Lucía, tu pedido #1001 ya va en camino.",
    );
    expect(stripQuotedReply(body)).toBe("Buenos días, necesito cambiar la dirección de envío.\n\nGracias\nLucía Ramírez");
  });

  it("Outlook, Portuguese, and 'Get Outlook for Android'", () => {
    const body = lines(
      "Bom dia, quero trocar o tamanho.",
      "",
      "Obter o Outlook para Android",
      "",
      "De: Casa Bonita <contato@casabonita.com.br>",
      "Enviado: terça-feira, 3 de junho de 2025 05:42",
      "Para: Ana Souza <ana@example.com.br>",
      "Assunto: Sua encomenda nº 1001 foi enviada",
      "",
      "Olá Ana, sua encomenda foi enviada.",
    );
    expect(stripQuotedReply(body)).toBe("Bom dia, quero trocar o tamanho.");
  });

  it("Outlook, English, -----Original Message-----", () => {
    const body = lines(
      "Please cancel the second item.",
      "",
      "-----Original Message-----",
      "From: Casa Bonita <hello@casabonita.com>",
      "Sent: Tuesday, June 3, 2025 5:42 AM",
      "To: Sam <sam@example.com>",
      "Subject: Your order #1001",
      "",
      "Thanks for your order!",
    );
    expect(stripQuotedReply(body)).toBe("Please cancel the second item.");
  });

  it("drops the signature after '-- '", () => {
    expect(stripQuotedReply(lines("Is it available in blue?", "", "-- ", "Sam Lee", "Acme Corp | +1 305 555 0142"))).toBe("Is it available in blue?");
  });

  it("keeps inline answers between quoted lines", () => {
    const body = lines("> Which size do you need?", "M, please.", "", "> And which colour?", "Blue.");
    expect(stripQuotedReply(body)).toBe("M, please.\n\nBlue.");
  });

  it("finds a reply written below the quote", () => {
    const body = lines("On Tue, Jun 3, 2025 at 5:42 AM Casa Bonita <hello@casabonita.com> wrote:", "> Which size?", "", "Size M please", "", "Sent from my iPhone");
    expect(stripQuotedReply(body)).toBe("Size M please");
  });

  it("keeps forwarded messages whole", () => {
    const body = lines(
      "See below, this is the confirmation I got.",
      "",
      "---------- Forwarded message ---------",
      "From: Casa Bonita <hello@casabonita.com>",
      "Date: Tue, Jun 3, 2025 at 5:42 AM",
      "Subject: Your order #1001",
      "To: <sam@example.com>",
      "",
      "Your order is confirmed.",
    );
    expect(stripQuotedReply(body)).toBe(body);
    const outlookForward = lines("FYI", "", "From: Casa Bonita <hello@casabonita.com>", "Sent: Tuesday, June 3, 2025 5:42 AM", "To: Sam", "Subject: FW: Your order #1001", "", "Body");
    expect(stripQuotedReply(outlookForward)).toBe(outlookForward);
  });

  it("does not take the shopper's own sentences for an attribution", () => {
    const body = lines("On Monday I wrote:", "the box was empty.", "De: mi parte, gracias.");
    expect(stripQuotedReply(body)).toBe(body);
  });

  it("returns an empty string when nothing new was written", () => {
    expect(stripQuotedReply(lines("On Tue, Jun 3, 2025 at 5:42 AM Casa Bonita <hello@casabonita.com> wrote:", "> Hi"))).toBe("");
    expect(stripQuotedReply("")).toBe("");
    expect(stripQuotedReply(null)).toBe("");
  });
});

describe("parseAddress", () => {
  it.each([
    ["Lucía Ramírez <lucia@example.com>", { name: "Lucía Ramírez", email: "lucia@example.com" }],
    ['"Ramírez, Lucía" <Lucia.Ramirez@Example.COM>', { name: "Ramírez, Lucía", email: "lucia.ramirez@example.com" }],
    ['"Lucía \\"Lu\\" Ramírez" <lucia@example.com>', { name: 'Lucía "Lu" Ramírez', email: "lucia@example.com" }],
    ["'Ana Souza' <ana@example.com.br>", { name: "Ana Souza", email: "ana@example.com.br" }],
    ["<lucia@example.com>", { name: null, email: "lucia@example.com" }],
    ["  LUCIA@EXAMPLE.COM  ", { name: null, email: "lucia@example.com" }],
    ["lucia@example.com (Lucía Ramírez)", { name: "Lucía Ramírez", email: "lucia@example.com" }],
    ['"" <lucia@example.com>', { name: null, email: "lucia@example.com" }],
    ["lucia@example.com <lucia@example.com>", { name: null, email: "lucia@example.com" }],
    ["mailto:sam+orders@example.co.uk", { name: null, email: "sam+orders@example.co.uk" }],
  ])("%j", (input, expected) => {
    expect(parseAddress(input)).toEqual(expected);
  });

  it("decodes MIME encoded names", () => {
    const b64 = Buffer.from("Lucía Ramírez", "utf8").toString("base64");
    expect(parseAddress(`=?UTF-8?B?${b64}?= <lucia@example.com>`)).toEqual({ name: "Lucía Ramírez", email: "lucia@example.com" });
    expect(parseAddress("=?ISO-8859-1?Q?Luc=EDa_Ram=EDrez?= <lucia@example.com>")).toEqual({ name: "Lucía Ramírez", email: "lucia@example.com" });
    expect(parseAddress("=?utf-8?q?Jo=C3=A3o?= =?utf-8?q?_Silva?= <joao@example.com.br>")).toEqual({ name: "João Silva", email: "joao@example.com.br" });
  });

  it.each(["", "Lucía Ramírez", "lucia@", "<>", "Lucía <not an address>", "lucia@example", "a b@example.com", null])("%j → null", (input) => {
    expect(parseAddress(input)).toBeNull();
  });

  it("parses lists, with commas inside quoted names and Outlook's semicolons", () => {
    expect(parseAddressList('"Ramírez, Lucía" <lucia@example.com>, sam@example.com; Ana <ana@example.com.br>, undisclosed-recipients:;')).toEqual([
      { name: "Ramírez, Lucía", email: "lucia@example.com" },
      { name: null, email: "sam@example.com" },
      { name: "Ana", email: "ana@example.com.br" },
    ]);
  });
});

describe("htmlToText", () => {
  it("keeps line breaks from <br>, paragraphs and list items", () => {
    const html = "<div>Hola,<br>mi pedido:</div><ul><li>Taza azul</li><li>Plato</li></ul><p>Gracias</p>";
    expect(htmlToText(html)).toBe("Hola,\nmi pedido:\n\n- Taza azul\n- Plato\n\nGracias");
  });

  it("renders adjacent blocks as one line break, and Gmail's <div><br></div> as a blank line", () => {
    expect(htmlToText("<div>Saludos,</div><div>Lucía</div>")).toBe("Saludos,\nLucía");
    expect(htmlToText("<div>Hola</div><div><br></div><div>Saludos,</div>")).toBe("Hola\n\nSaludos,");
    expect(htmlToText("<div><div><div>Deep</div></div></div>Tail")).toBe("Deep\nTail");
    expect(htmlToText("<table><tr><td>Taza</td><td>x2</td></tr><tr><td>Plato</td><td>x1</td></tr></table>")).toBe("Taza x2\nPlato x1");
  });

  it("collapses source whitespace like a browser, except in <pre>", () => {
    expect(htmlToText("<p>  Hola\n   mundo  </p>\n\n\n<pre>a\n  b</pre>")).toBe("Hola mundo\n\na\n  b");
  });

  it("drops scripts, styles, titles and comments with their content", () => {
    const html = [
      "<html><head><title>Secret title</title><style>p { color: red }</style></head><body>",
      "<p>Hola</p>",
      '<script>alert("x")</script>',
      "<SCRIPT type='text/javascript'>document.cookie</SCRIPT >",
      "<!-- hidden comment -->",
      '<img src=x onerror="alert(1)" alt="a>b">',
      "<p>Chau</p>",
      "</body></html>",
    ].join("");
    const text = htmlToText(html);
    expect(text).toBe("Hola\n\nChau");
    for (const leaked of ["alert", "cookie", "color", "Secret", "hidden", "onerror", "b\""]) expect(text).not.toContain(leaked);
  });

  it("drops everything after an unclosed <script>", () => {
    expect(htmlToText("Before<script>steal()")).toBe("Before");
  });

  it("decodes entities exactly once", () => {
    expect(htmlToText("Ma&ntilde;ana &aacute; &#233; &#xE9; &amp;lt; &euro;&nbsp;5 &#150; &bogus;")).toBe("Mañana á é é &lt; € 5 – &bogus;");
    expect(decodeHtmlEntities("&lt;b&gt; &#0; &#x110000;")).toBe("<b> \ufffd \ufffd");
  });

  it("marks blockquotes with '> ' so the quoted reply can be stripped", () => {
    const gmail =
      '<div dir="ltr">Hola, todavía no llega.<div><br></div><div>Lucía</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">' +
      'El mar, 3 jun 2025 a las 5:42, Casa Bonita (&lt;<a href="mailto:hola@casabonita.mx">hola@casabonita.mx</a>&gt;) escribió:<br></div>' +
      '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex"><div>Tu pedido #1001 ya fue enviado.</div><blockquote>Nested</blockquote></blockquote></div>';
    const text = htmlToText(gmail);
    expect(text).toContain("> Tu pedido #1001 ya fue enviado.");
    expect(text).toContain("> > Nested");
    expect(stripQuotedReply(text)).toBe("Hola, todavía no llega.\n\nLucía");
  });

  it("treats a lone '<' as text", () => {
    expect(htmlToText("<p>1 < 2 and I <3 it</p>")).toBe("1 < 2 and I <3 it");
  });

  it("stays fast on hostile input", () => {
    const hostile = "<".repeat(100_000) + '<a title="'.repeat(20_000) + "&".repeat(100_000) + "<script>".repeat(20_000);
    const started = Date.now();
    htmlToText(hostile);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
