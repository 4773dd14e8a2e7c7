// Inbound SMS / WhatsApp keywords. Only a message that IS the keyword counts ("Stop", " stop! ",
// "Opt-out"); "stop sending me the blue one" is a message for the inbox, not an opt-out.
// Matching ignores case, accents, surrounding punctuation and inner spaces/hyphens.
//
// English: Twilio's standard keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, plus REVOKE
// and OPTOUT added in 2025 for the FCC's revocation rule; START, YES, UNSTOP; HELP, INFO). Twilio
// itself blocks further SMS after those, so our ledger must agree with it.
// Spanish and Portuguese: the words shoppers in Mexico, Spain, the US and Brazil actually send.
// Twilio does not act on them, so Avisa records them itself. "CANCELAR" may also mean "cancel
// my order": it is still an opt-out, and the caller should show the message in the inbox too.

export type InboundKind = "opt_out" | "opt_in" | "help" | "message";

const KEYWORDS: Record<Exclude<InboundKind, "message">, string[]> = {
  opt_out: [
    // English (Twilio)
    "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
    // Spanish
    "PARAR", "PARA", "ALTO", "DETENER", "BAJA", "DARDEBAJA", "DARSEDEBAJA", "CANCELAR", "DESUSCRIBIR", "DESUSCRIBIRME",
    // Portuguese (Brazil)
    "PARE", "SAIR", "DESCADASTRAR", "DESCADASTRE",
  ],
  opt_in: [
    "START", "YES", "UNSTOP",
    "COMENZAR", "EMPEZAR", "INICIAR", "ALTA", "SUSCRIBIR", "SUSCRIBIRME",
    "COMECAR", "ASSINAR",
  ],
  help: ["HELP", "INFO", "AYUDA", "INFORMACION", "AJUDA", "INFORMACAO"],
};

const BY_WORD = new Map<string, InboundKind>(
  (Object.entries(KEYWORDS) as Array<[InboundKind, string[]]>).flatMap(([kind, words]) => words.map((word) => [word, kind] as const)),
);

/** "  ¡Párá! " → "PARA"; "Opt-out" → "OPTOUT". */
export function keywordOf(body: string): string {
  return body
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, "")
    .replace(/[\s\-_]+/g, "")
    .toUpperCase();
}

export function classifyInbound(body: string | null | undefined): InboundKind {
  if (!body || body.length > 40) return "message"; // keywords are short; skip normalising essays
  return BY_WORD.get(keywordOf(body)) ?? "message";
}

export type ReplyLocale = "en" | "es" | "pt-BR";

/** "es-MX" → "es", "pt" / "pt-PT" → "pt-BR", anything else → "en". */
export function replyLocaleOf(locale: string | null | undefined): ReplyLocale {
  const tag = (locale ?? "").toLowerCase();
  if (tag === "es" || tag.startsWith("es-")) return "es";
  if (tag === "pt" || tag.startsWith("pt-")) return "pt-BR";
  return "en";
}

type Replies = Record<Exclude<InboundKind, "message">, (shop: string, contact: string | null) => string>;

// START works everywhere: it is our keyword and the one that lifts Twilio's block after a STOP.
const REPLIES: Record<ReplyLocale, Replies> = {
  en: {
    opt_out: (shop) => `${shop}: You're unsubscribed and will get no more messages from us. Reply START to subscribe again.`,
    opt_in: (shop) => `${shop}: You're subscribed again. Msg & data rates may apply. Reply HELP for help, STOP to unsubscribe.`,
    help: (shop, contact) =>
      `${shop}: Order updates and offers. Msg & data rates may apply. Reply STOP to unsubscribe. ${contact ? `Help: ${contact}` : "Reply with your question and we'll get back to you."}`,
  },
  es: {
    opt_out: (shop) => `${shop}: Te has dado de baja y no recibirás más mensajes nuestros. Responde START para volver a suscribirte.`,
    opt_in: (shop) => `${shop}: Te has vuelto a suscribir. Pueden aplicarse cargos por mensajes y datos. Responde AYUDA para ayuda, BAJA para darte de baja.`,
    help: (shop, contact) =>
      `${shop}: Avisos de pedidos y ofertas. Pueden aplicarse cargos por mensajes y datos. Responde BAJA para darte de baja. ${contact ? `Ayuda: ${contact}` : "Responde con tu pregunta y te contestaremos."}`,
  },
  "pt-BR": {
    opt_out: (shop) => `${shop}: Seu cadastro foi cancelado e você não receberá mais mensagens nossas. Responda START para voltar a receber.`,
    opt_in: (shop) => `${shop}: Você voltou a receber nossas mensagens. Podem ser cobradas tarifas de mensagens e dados. Responda AJUDA para ajuda, SAIR para sair.`,
    help: (shop, contact) =>
      `${shop}: Avisos de pedidos e ofertas. Podem ser cobradas tarifas de mensagens e dados. Responda SAIR para sair. ${contact ? `Ajuda: ${contact}` : "Responda com sua pergunta e retornaremos."}`,
  },
};

/**
 * The confirmation for a keyword, in the shopper's language. Send it only where the provider does
 * not answer by itself (Twilio auto-replies to its English keywords on US long codes and
 * Messaging Services with default opt-out handling).
 */
export function keywordReply(
  kind: Exclude<InboundKind, "message">,
  locale: string | null | undefined,
  shopName: string,
  options: { helpContact?: string | null } = {},
): string {
  return REPLIES[replyLocaleOf(locale)][kind](shopName.trim() || "Avisa", options.helpContact?.trim() || null);
}
