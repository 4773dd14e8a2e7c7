// Every refusal the inbox service can return has words in every admin language: the ticket
// page maps each code to a catalogue key (app/routes/app.inbox.$id.tsx), and a code without
// one — or a key missing in Spanish or Portuguese — would show the merchant a bare key.
import { describe, expect, it } from "vitest";
import en from "../../../app/locales/en.json";
import es from "../../../app/locales/es.json";
import ptBR from "../../../app/locales/pt-BR.json";
import { translator, type AdminLocale } from "../../../app/i18n";
import { SPLIT_REFUSAL_CODES } from "../../../app/domain/inbox/ticket-routing";
import { INBOX_REFUSAL_CODES, type InboxRefusalCode } from "../../../app/server/services/inbox.server";
import { INBOX_REFUSAL_KEYS, inboxRefusalSaid, type Said } from "../../../app/routes/app.inbox.$id";

const CATALOGUES: Record<AdminLocale, Record<string, string>> = { en, es, "pt-BR": ptBR };

/** The params each code comes with (inbox.server.ts): every placeholder of its words must be among them. */
const PARAMS: Partial<Record<InboxRefusalCode, Record<string, string | number>>> = {
  no_email: { channel: "email" },
  no_phone: { channel: "sms" },
  suppressed_hard_bounce: { channel: "email" },
  suppressed_spam_complaint: { channel: "email" },
  suppressed_invalid_address: { channel: "sms" },
  suppressed_blocked: { channel: "whatsapp" },
  stopped: { channel: "sms" },
  consent_refused: { channel: "whatsapp" },
  whatsapp_window_closed: { channel: "whatsapp" },
  unknown_status: { status: "archived" },
  unknown_messages: { count: 2 },
};

function say(locale: AdminLocale, said: Said): string {
  const t = translator(locale);
  const values = Object.fromEntries(Object.entries(said.values ?? {}).map(([name, value]) => [name, typeof value === "object" ? t(value.key) : value]));
  return t(said.key, values);
}

describe("inbox refusals in the merchant's language", () => {
  it("maps exactly the service's codes, the split's included", () => {
    expect(Object.keys(INBOX_REFUSAL_KEYS).sort()).toEqual([...INBOX_REFUSAL_CODES].sort());
    for (const code of SPLIT_REFUSAL_CODES) expect(INBOX_REFUSAL_CODES).toContain(code);
  });

  it.each(INBOX_REFUSAL_CODES)("%s has words in en, es and pt-BR, with every placeholder filled", (code) => {
    const said = inboxRefusalSaid({ code, params: PARAMS[code] });
    for (const [locale, catalogue] of Object.entries(CATALOGUES) as [AdminLocale, Record<string, string>][]) {
      expect(catalogue[said.key], `${locale}: ${said.key}`).toBeTruthy();
      for (const value of Object.values(said.values ?? {})) {
        if (typeof value === "object") expect(catalogue[value.key], `${locale}: ${value.key}`).toBeTruthy();
      }
      const text = say(locale, said);
      expect(text, `${locale}: ${code}`).not.toMatch(/\{\w+\}/);
    }
  });

  it("names the channel in the merchant's language", () => {
    expect(say("es", inboxRefusalSaid({ code: "stopped", params: { channel: "email" } }))).toContain(es["inbox.channel.email"]);
    expect(say("pt-BR", inboxRefusalSaid({ code: "unknown_messages", params: { count: 3 } }))).toContain("(3)");
  });
});
