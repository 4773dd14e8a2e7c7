import { describe, expect, it } from "vitest";
import { classifyInbound, keywordOf, keywordReply, replyLocaleOf } from "../../../app/domain/consent/keywords";

describe("classifyInbound", () => {
  it.each(["STOP", "stop", " Stop ", "STOP.", "Stop!", "STOPALL", "stop all", "UNSUBSCRIBE", "cancel", "END", "quit", "REVOKE", "OPTOUT", "opt-out", "Opt out"])(
    "%j is an opt-out (Twilio's keywords)",
    (body) => expect(classifyInbound(body)).toBe("opt_out"),
  );

  it.each(["PARAR", "Para", "¡Alto!", "detener", "BAJA", "Dar de baja", "darse de baja", "Cancelar", "desuscribir", "SAIR", "Sair.", "pare", "Descadastrar", "PÁRÁ"])(
    "%j is an opt-out (Spanish / Portuguese)",
    (body) => expect(classifyInbound(body)).toBe("opt_out"),
  );

  it.each(["START", "yes", "Unstop", "Comenzar", "iniciar", "ALTA", "Começar", "começar!"])("%j is an opt-in", (body) =>
    expect(classifyInbound(body)).toBe("opt_in"),
  );

  it.each(["HELP", "help?", "Info", "AYUDA", "Ajuda", "información", "INFORMAÇÃO"])("%j is a help request", (body) =>
    expect(classifyInbound(body)).toBe("help"),
  );

  it.each([
    "stop sending me these",
    "Please stop",
    "Where is my order?",
    "Sí",
    "",
    "   ",
    "STOP 🙏",
    "Quiero cancelar mi pedido",
    "x".repeat(200),
  ])("%j is an ordinary message", (body) => expect(classifyInbound(body)).toBe("message"));

  it("treats a missing body as a message", () => {
    expect(classifyInbound(null)).toBe("message");
    expect(classifyInbound(undefined)).toBe("message");
  });

  it("normalises case, accents, surrounding punctuation and inner spaces", () => {
    expect(keywordOf("  ¿Información?  ")).toBe("INFORMACION");
    expect(keywordOf("Opt - Out")).toBe("OPTOUT");
  });
});

describe("keywordReply", () => {
  it("answers in the shopper's language, naming the store", () => {
    expect(keywordReply("opt_out", "en", "Lumen Candles")).toBe(
      "Lumen Candles: You're unsubscribed and will get no more messages from us. Reply START to subscribe again.",
    );
    expect(keywordReply("opt_out", "es-MX", "Lumen")).toBe(
      "Lumen: Te has dado de baja y no recibirás más mensajes nuestros. Responde START para volver a suscribirte.",
    );
    expect(keywordReply("opt_out", "pt-BR", "Lumen")).toMatch(/^Lumen: Seu cadastro foi cancelado/);
    expect(keywordReply("opt_in", "pt", "Lumen")).toMatch(/Responda AJUDA para ajuda, SAIR para sair\.$/);
    expect(keywordReply("opt_in", "es", "Lumen")).toMatch(/^Lumen: Te has vuelto a suscribir\./);
  });

  it("help says how to stop and how to reach the store", () => {
    expect(keywordReply("help", "en", "Lumen", { helpContact: "help@lumen.example" })).toBe(
      "Lumen: Order updates and offers. Msg & data rates may apply. Reply STOP to unsubscribe. Help: help@lumen.example",
    );
    expect(keywordReply("help", "es", "Lumen")).toMatch(/Responde BAJA para darte de baja\. Responde con tu pregunta y te contestaremos\.$/);
    expect(keywordReply("help", "pt-BR", "Lumen", { helpContact: "+55 11 3456-7890" })).toMatch(/Ajuda: \+55 11 3456-7890$/);
  });

  it("falls back to English for other languages", () => {
    expect(replyLocaleOf("fr")).toBe("en");
    expect(replyLocaleOf(null)).toBe("en");
    expect(replyLocaleOf("ES")).toBe("es");
    expect(replyLocaleOf("pt-PT")).toBe("pt-BR");
    expect(replyLocaleOf("esperanto")).toBe("en");
  });
});
