// Message reasons as codes: every code has an English sentence (the one Avisa has always stored)
// and words in en, es and pt-BR; the codes built from the domain's verdicts say exactly what the
// domain's own English says; stored codes read back, and rows without one keep their English.
import { describe, expect, it } from "vitest";
import { resolveLocalisable, translateReason } from "../../app/components/message-reason";
import { chooseChannel } from "../../app/domain/automations/evaluate";
import { canSend, CONSENT_SOURCES, currentConsent, type CanSendInput, type ConsentRecord, type Suppression } from "../../app/domain/consent/consent-policy";
import {
  displayedReason, englishReason, reasonColumns, reasonText, REASON_CODES, storedReason, TWILIO_EXPLAINED_ERRORS, type Localisable, type MessageReason, type ReasonCode,
  type ReasonParams,
} from "../../app/domain/messages/message-reason";
import { consentRefusal, frequencyCapReason, noChannelReason, quietHoursReason } from "../../app/domain/messages/reason-builders";
import type { Channel } from "../../app/domain/ports";
import { frequencyCapVerdict, type FrequencyCapInput } from "../../app/domain/scheduling/frequency-cap";
import { quietHoursVerdict } from "../../app/domain/scheduling/quiet-hours";
import { ADMIN_LOCALES, translator } from "../../app/i18n";
import en from "../../app/locales/en.json";
import es from "../../app/locales/es.json";
import ptBR from "../../app/locales/pt-BR.json";

const NOW = "2026-03-03T12:00:00.000Z";
const consent = { channel: "email" as const, review: false, followsSms: false };

/** One example per code (the compiler insists on every code). */
const EXAMPLES: { [C in ReasonCode]: ReasonParams[C] } = {
  order_cancelled: { order: "#1001" },
  order_refunded: { order: "#1002" },
  order_voided: { order: "#1003" },
  already_reviewed: {},
  open_conversation: {},
  first_request_not_sent: {},
  already_bought: {},
  already_bought_order: { order: "#9001" },
  shop_uninstalled: {},
  shop_data_gone: {},
  no_alert_address: {},
  contact_erased: {},
  no_channel_in_step: {},
  no_usable_channel: {
    refusals: [
      { channel: "email", reason: { code: "no_email_address", params: {} } },
      { channel: "sms", reason: { code: "sms_stopped", params: { since: "2026-02-01" } } },
    ],
  },
  no_email_address: {},
  no_phone_number: {},
  invalid_phone: { phone: "+1 555 0100", problem: "The number is too short." },
  address_bounced: { address: "email", since: "2026-02-01", detail: "550 5.1.1 user unknown" },
  spam_complaint: { channel: "email", since: "2026-02-01" },
  address_invalid: { address: "phone", detail: null },
  address_blocked: { address: "email", since: null, detail: "blocked by policy" },
  sms_stopped: { since: "2026-02-01" },
  whatsapp_stopped: { since: null },
  consent_revoked: { ...consent, on: "2026-02-01", source: "checkout" },
  consent_pending: consent,
  consent_missing: { ...consent, review: true },
  whatsapp_window_closed: {},
  quiet_hours: { zone: "America/Sao_Paulo", until: "2026-03-04T11:00:00.000Z" },
  frequency_cap: { count: 1, periodHours: 24, pooled: ["sms", "whatsapp"], sentAt: ["2026-03-03T10:00:00.000Z"], until: "2026-03-04T10:00:00.000Z", now: NOW },
  interrupted: {},
  compose_failed: { error: "The template cart_recovery has no email version." },
  provider_error: { provider: "sendgrid", error: "550 5.1.1 user unknown" },
  channel_switched: { from: "whatsapp", to: "sms" },
  bought_order: { order: "#1004" },
  checkout_completed: {},
  unsubscribed_by_link: {},
  sendgrid_processed: {},
  sendgrid_deferred: { detail: "421 4.7.0 try again later" },
  sendgrid_delivered: { email: "ana@example.com", detail: "250 2.0.0 OK" },
  sendgrid_opened: {},
  sendgrid_clicked: { url: "https://casa-aurora.example/review" },
  sendgrid_bounced: { email: "gone@example.com", detail: "550 5.1.1 user unknown" },
  sendgrid_blocked: { detail: "421 mailbox full" },
  sendgrid_dropped: { detail: "Bounced Address" },
  sendgrid_spam_report: { email: "ana@example.com" },
  sendgrid_unsubscribe: {},
  sendgrid_group_unsubscribe: {},
  sendgrid_group_resubscribe: {},
  twilio_status: { status: "undelivered", errorCode: "30003", error: "The phone is unreachable (switched off or out of coverage).", vendorWords: false },
  twilio_error: { errorCode: "30003", error: "The phone is unreachable (switched off or out of coverage).", vendorWords: false },
  twilio_failed_status: { status: "canceled" },
  carrier_opt_out: {},
  whatsapp_window_refused: {},
};
const example = (code: ReasonCode) => ({ code, params: EXAMPLES[code] }) as MessageReason;

/** The other shapes a code's words take (variants of a key, optional parts, every source and channel). */
const VARIANTS: MessageReason[] = [
  ...(["email", "phone"] as const).flatMap((address): MessageReason[] => [
    { code: "address_bounced", params: { address, since: null, detail: null } },
    { code: "address_invalid", params: { address, detail: "no such domain" } },
    { code: "address_blocked", params: { address, since: "2026-01-01", detail: null } },
  ]),
  ...(["email", "sms", "whatsapp"] as const).flatMap((channel): MessageReason[] => [
    { code: "spam_complaint", params: { channel, since: null } },
    { code: "consent_pending", params: { channel, review: false, followsSms: channel === "sms" } },
  ]),
  ...Object.values(CONSENT_SOURCES).map((source): MessageReason => ({ code: "consent_revoked", params: { ...consent, on: "2026-01-01", source } })),
  { code: "consent_revoked", params: { ...consent, on: "2026-01-01", source: "something_new" } },
  { code: "consent_revoked", params: { ...consent, on: "2026-01-01", source: null } },
  ...[["email"], ["sms"], ["whatsapp"], ["sms", "whatsapp"]].flatMap((pooled) => [1, 3].map((count): MessageReason => ({
    code: "frequency_cap", params: { count, periodHours: 7 * 24, pooled: pooled as Channel[], sentAt: ["2026-03-01T09:00:00.000Z", "2026-03-03T11:00:00.000Z"], until: "2026-03-08T09:00:00.000Z", now: NOW },
  }))),
  { code: "provider_error", params: { provider: null, error: "Connection reset" } },
  // Vendor events without their optional words.
  { code: "sendgrid_deferred", params: { detail: null } },
  { code: "sendgrid_delivered", params: { email: "ana@example.com", detail: null } },
  { code: "sendgrid_clicked", params: { url: null } },
  { code: "sendgrid_bounced", params: { email: "gone@example.com", detail: null } },
  { code: "sendgrid_blocked", params: { detail: null } },
  { code: "sendgrid_dropped", params: { detail: null } },
  // Every Twilio status Avisa words, one it does not; an error Twilio explained, one Avisa explains, one nobody does.
  ...["sent", "delivered", "undelivered", "failed", "read", "canceled", "partially_delivered"].map((status): MessageReason => ({
    code: "twilio_status", params: { status, errorCode: null, error: null, vendorWords: false },
  })),
  { code: "twilio_status", params: { status: "failed", errorCode: "30450", error: "Message delivery blocked by carrier", vendorWords: true } },
  { code: "twilio_status", params: { status: "failed", errorCode: "12345", error: "Twilio error 12345", vendorWords: false } },
  ...TWILIO_EXPLAINED_ERRORS.map((errorCode): MessageReason => ({ code: "twilio_error", params: { errorCode, error: "(Avisa's English)", vendorWords: false } })),
  { code: "twilio_error", params: { errorCode: "30450", error: "Message delivery blocked by carrier", vendorWords: true } },
  { code: "twilio_error", params: { errorCode: "12345", error: "Twilio error 12345", vendorWords: false } },
  { code: "twilio_failed_status", params: { status: "partially_delivered" } },
];
const ALL = [...REASON_CODES.map(example), ...VARIANTS];

const CATALOGUES = { en, es, "pt-BR": ptBR } as Record<string, Record<string, string>>;

/** Every locale key a reason's words use. */
function keysOf(value: Localisable): string[] {
  if (typeof value !== "object") return [];
  if ("key" in value) return [value.key, ...Object.values(value.values ?? {}).flatMap(keysOf)];
  if ("list" in value) return value.list.flatMap(keysOf);
  if ("join" in value) return value.join.flatMap(keysOf);
  return [];
}

describe("message reasons", () => {
  it("lists every code once, with an example", () => {
    expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
    expect(Object.keys(EXAMPLES).sort()).toEqual([...REASON_CODES].sort());
  });

  it("renders every code in English", () => {
    for (const reason of ALL) {
      const text = englishReason(reason);
      expect(text.trim(), reason.code).not.toBe("");
      expect(text, reason.code).not.toMatch(/undefined|null|\[object|\{\w+\}/);
    }
  });

  it("keeps the English Avisa has always written", () => {
    expect(englishReason(example("already_bought_order"))).toBe("the shopper already bought (order #9001)");
    expect(englishReason(example("already_bought"))).toBe("the shopper already bought");
    expect(englishReason(example("shop_uninstalled"))).toBe("the store uninstalled Avisa");
    expect(englishReason(example("already_reviewed"))).toBe("the shopper already reviewed this order");
    expect(englishReason(example("order_cancelled"))).toBe("order #1001 was cancelled");
    expect(englishReason(example("order_refunded"))).toBe("order #1002 was refunded");
    expect(englishReason(example("no_alert_address"))).toBe("the store has no alert address: add one in Settings");
    expect(englishReason(example("interrupted"))).toBe(
      "The app stopped while the provider call was under way, so it is not known whether the shopper got this message. It will not be re-sent automatically.",
    );
    expect(englishReason(example("compose_failed"))).toBe("could not be composed: The template cart_recovery has no email version.");
    expect(englishReason(example("provider_error"))).toBe("550 5.1.1 user unknown");
    expect(englishReason(example("channel_switched"))).toBe("sent by sms instead of whatsapp");
    expect(englishReason(example("no_usable_channel"))).toBe(
      "No channel can be used. Email: no email address on the contact. SMS: The shopper replied STOP to your texts on 2026-02-01. Carriers refuse every SMS to them until they text START.",
    );
    expect(englishReason(example("quiet_hours"))).toBe("Quiet hours (America/Sao_Paulo): deferred to 8:00 local time");
  });

  it("keeps the English the order, unsubscribe and vendor callbacks have always written", () => {
    const english = (reason: MessageReason) => englishReason(reason);
    expect(english(example("bought_order"))).toBe("the shopper bought (order #1004)");
    expect(english(example("checkout_completed"))).toBe("the checkout was completed");
    expect(english(example("unsubscribed_by_link"))).toBe("the shopper unsubscribed with the link in a message");
    expect(english(example("sendgrid_processed"))).toBe("SendGrid accepted the email");
    expect(english(example("sendgrid_deferred"))).toBe("The receiving server asked SendGrid to try again later: 421 4.7.0 try again later");
    expect(english({ code: "sendgrid_deferred", params: { detail: null } })).toBe("The receiving server asked SendGrid to try again later");
    expect(english(example("sendgrid_delivered"))).toBe("Delivered to ana@example.com: 250 2.0.0 OK");
    expect(english({ code: "sendgrid_delivered", params: { email: "ana@example.com", detail: null } })).toBe("Delivered to ana@example.com");
    expect(english(example("sendgrid_opened"))).toBe("Opened");
    expect(english(example("sendgrid_clicked"))).toBe("Clicked https://casa-aurora.example/review");
    expect(english({ code: "sendgrid_clicked", params: { url: null } })).toBe("Clicked a link");
    expect(english(example("sendgrid_bounced"))).toBe("Bounced: the address does not accept email: 550 5.1.1 user unknown. No more email goes to gone@example.com.");
    expect(english({ code: "sendgrid_bounced", params: { email: "gone@example.com", detail: null } })).toBe("Bounced: the address does not accept email. No more email goes to gone@example.com.");
    expect(english(example("sendgrid_blocked"))).toBe("Blocked by the receiving server: 421 mailbox full");
    expect(english(example("sendgrid_dropped"))).toBe("SendGrid did not send it: Bounced Address");
    expect(english({ code: "sendgrid_dropped", params: { detail: null } })).toBe("SendGrid did not send it");
    expect(english(example("sendgrid_spam_report"))).toBe("The shopper marked it as spam. No more email goes to ana@example.com.");
    expect(english(example("sendgrid_unsubscribe"))).toBe("The shopper unsubscribed through SendGrid");
    expect(english(example("sendgrid_group_unsubscribe"))).toBe("The shopper unsubscribed from this kind of email through SendGrid");
    expect(english(example("sendgrid_group_resubscribe"))).toBe("The shopper subscribed again to this kind of email through SendGrid");
    expect(english({ code: "twilio_status", params: { status: "delivered", errorCode: null, error: null, vendorWords: false } })).toBe("Twilio: delivered");
    expect(english(example("twilio_status"))).toBe("Twilio: undelivered (error 30003: The phone is unreachable (switched off or out of coverage).)");
    expect(english(example("twilio_error"))).toBe("The phone is unreachable (switched off or out of coverage). (Twilio error 30003)");
    expect(english(example("twilio_failed_status"))).toBe("Twilio reported the message canceled");
    expect(english(example("carrier_opt_out"))).toBe(
      "The shopper has replied STOP to this number: recorded in their consent, nothing more is texted to them until they reply START.",
    );
    expect(english(example("whatsapp_window_refused"))).toBe(
      "WhatsApp refused a free-form message: the shopper has not written to the store in the last 24 hours. Outside that window only approved WhatsApp templates can be sent: add one for this message type in Settings > WhatsApp templates.",
    );
  });

  it("translates what the vendors reported, quoting their own words and explaining bare Twilio error codes", () => {
    const es = (reason: MessageReason) => translateReason(reason, null, translator("es"), { locale: "es" });
    const pt = (reason: MessageReason) => translateReason(reason, null, translator("pt-BR"), { locale: "pt-BR" });
    expect(es(example("bought_order"))).toBe("El cliente compró (pedido #1004).");
    expect(pt(example("unsubscribed_by_link"))).toBe("O cliente cancelou a inscrição pelo link de uma mensagem.");
    expect(es(example("sendgrid_bounced"))).toBe("Rebotó: la dirección no acepta correos: «550 5.1.1 user unknown». No se envían más correos a gone@example.com.");
    expect(pt({ code: "sendgrid_delivered", params: { email: "ana@example.com", detail: null } })).toBe("Entregue para ana@example.com.");
    expect(es(example("sendgrid_clicked"))).toBe("Hizo clic en https://casa-aurora.example/review");
    // Avisa's explanation of a bare code is translated; Twilio's own message stays as Twilio wrote it.
    expect(es(example("twilio_error"))).toBe("El teléfono no está disponible (apagado o sin cobertura). (error 30003 de Twilio)");
    expect(pt({ code: "twilio_error", params: { errorCode: "30450", error: "Message delivery blocked by carrier", vendorWords: true } })).toBe(
      "“Message delivery blocked by carrier” (erro 30450 do Twilio)",
    );
    expect(es({ code: "twilio_error", params: { errorCode: "12345", error: "Twilio error 12345", vendorWords: false } })).toBe("Error 12345 de Twilio.");
    expect(pt(example("twilio_status"))).toBe("O Twilio informou: não entregue (erro 30003: O telefone está inacessível (desligado ou sem cobertura).)");
    expect(es({ code: "twilio_status", params: { status: "partially_delivered", errorCode: "12345", error: "Twilio error 12345", vendorWords: false } })).toBe(
      "Twilio informó: partially_delivered (error 12345)",
    );
    expect(es(example("twilio_failed_status"))).toBe("Twilio informó el mensaje como cancelado.");
  });

  it.each(ADMIN_LOCALES)("has words for every code in %s", (locale) => {
    const t = translator(locale);
    for (const reason of ALL) {
      for (const key of keysOf(reasonText(reason))) expect(CATALOGUES[locale][key], `${locale} ${key}`).toBeTypeOf("string");
      const text = translateReason(reason, null, t, { locale, timeZone: "America/Mexico_City" });
      expect(text, `${locale} ${reason.code}`).toBeTruthy();
      expect(text, `${locale} ${reason.code}`).not.toMatch(/\{\w+\}|messageReasons\.|undefined|null/);
    }
  });

  it("uses every messageReasons key it defines", () => {
    const used = new Set(ALL.flatMap((reason) => keysOf(reasonText(reason))));
    expect(Object.keys(en).filter((key) => key.startsWith("messageReasons.") && !used.has(key))).toEqual([]);
  });

  it("speaks the merchant's language and keeps a provider's words verbatim, labelled as theirs", () => {
    const format = { locale: "es", timeZone: "America/Mexico_City" };
    expect(translateReason(example("already_bought_order"), "the shopper already bought (order #9001)", translator("es"), format)).toBe("El cliente ya compró (pedido #9001).");
    expect(translateReason(example("provider_error"), null, translator("pt-BR"), { locale: "pt-BR" })).toBe("sendgrid respondeu: “550 5.1.1 user unknown”");
    expect(translateReason(example("quiet_hours"), null, translator("es"), format)).toBe("Fuera del horario de envío del cliente (America/Sao_Paulo): aplazado hasta las 8:00, hora local.");
    expect(translateReason(example("consent_missing"), null, translator("pt-BR"), { locale: "pt-BR" })).toBe(
      "Nas suas configurações, os pedidos de avaliação contam como marketing, e o cliente não aceitou receber e-mails de marketing.",
    );
    expect(translateReason(example("no_usable_channel"), null, translator("es"), format)).toMatch(
      /^No se puede usar ningún canal\. Correo: el contacto no tiene correo electrónico\. SMS: El cliente respondió STOP a tus SMS el 1 feb 2026\./,
    );
  });

  it("falls back to the stored English when a row has no code, or its code cannot be shown", () => {
    const t = translator("es");
    expect(translateReason(null, "the shopper bought (order #1004)", t, { locale: "es" })).toBe("the shopper bought (order #1004)");
    expect(translateReason(null, null, t, { locale: "es" })).toBeNull();
    const broken = { code: "no_usable_channel", params: {} } as unknown as MessageReason; // written by some other version
    expect(translateReason(broken, "No channel can be used.", t, { locale: "es" })).toBe("No channel can be used.");
    expect(() => resolveLocalisable({ key: "messageReasons.nope" }, t, { locale: "es" })).toThrow();
  });

  it("stores a code and its params, and reads them back", () => {
    const reason = example("frequency_cap");
    const text = englishReason(reason);
    const columns = reasonColumns(reason, text);
    expect(columns.code).toBe("frequency_cap");
    expect(storedReason(columns.code, columns.params, text)).toEqual(reason);
    expect(storedReason(columns.code, columns.params)).toEqual(reason);
    expect(storedReason(columns.code, reasonColumns(reason, null).params, "anything")).toEqual(reason);
    expect(reasonColumns(null, null)).toEqual({ code: null, params: null });
    expect(storedReason("already_bought", null)).toEqual({ code: "already_bought", params: {} });
    expect(storedReason("not_a_code", "{}")).toBeNull();
    expect(storedReason("already_bought_order", "{not json")).toBeNull();
    expect(storedReason("already_bought_order", "[1]")).toBeNull();
    expect(storedReason(null, null)).toBeNull();
  });

  it("drops a code whose English was rewritten by code that knows nothing of codes", () => {
    const reason = example("quiet_hours");
    const columns = reasonColumns(reason, "Quiet hours (8:00–21:00, America/Sao_Paulo): deferred to 8:00 local time");
    // e.g. an order arrives for a deferred recovery message and only statusReason is rewritten.
    expect(storedReason(columns.code, columns.params, "the shopper bought (order #1004)")).toBeNull();
    expect(storedReason(columns.code, columns.params, "Quiet hours (8:00–21:00, America/Sao_Paulo): deferred to 8:00 local time")).toEqual(reason);
    const row = { statusReason: "the shopper bought (order #1004)", statusReasonCode: columns.code, statusReasonParams: columns.params, error: null, errorCode: null, errorParams: null };
    expect(displayedReason(row)).toEqual({ text: "the shopper bought (order #1004)", coded: null });
  });

  it("shows the status reason, else the last error, each with its own code", () => {
    const empty = { statusReason: null, statusReasonCode: null, statusReasonParams: null, error: null, errorCode: null, errorParams: null };
    expect(displayedReason(empty)).toEqual({ text: null, coded: null });
    const failed = { ...empty, error: "550 5.1.1 user unknown", errorCode: "provider_error", errorParams: reasonColumns(example("provider_error"), "550 5.1.1 user unknown").params };
    expect(displayedReason(failed)).toEqual({ text: "550 5.1.1 user unknown", coded: example("provider_error") });
    // A status reason written before codes existed is not described by the error's code.
    expect(displayedReason({ ...failed, statusReason: "quiet hours" })).toEqual({ text: "quiet hours", coded: null });
  });
});

describe("reasons built from the domain's verdicts say what the domain says", () => {
  const at = (day: string) => new Date(`${day}T10:00:00Z`);
  const record = (channel: string, state: string, source: string, day: string): ConsentRecord => ({ channel, state, source, recordedAt: at(day) });
  const ledgers: Record<string, ConsentRecord[]> = {
    empty: [],
    granted: [record("email", "subscribed", "shopify", "2026-01-01"), record("sms", "subscribed", "checkout", "2026-01-01")],
    ...Object.fromEntries(Object.values(CONSENT_SOURCES).map((source) => [`revoked by ${source}`, [
      record("email", "unsubscribed", source, "2026-01-02"), record("sms", "revoked", source, "2026-01-03"), record("whatsapp", "revoked", source, "2026-01-04"),
    ]])),
    "revoked, unknown source": [record("email", "redacted", "gdpr_tool", "2026-01-02"), record("sms", "unsubscribed", "gdpr_tool", "2026-01-02")],
    pending: [record("email", "pending", "shopify", "2026-01-02"), record("sms", "pending", "shopify", "2026-01-02")],
    "not subscribed": [record("email", "not_subscribed", "checkout", "2026-01-02"), record("sms", "invalid", "shopify", "2026-01-02")],
    "sms STOP, then Shopify says subscribed": [record("sms", "revoked", "keyword", "2026-01-02"), record("sms", "subscribed", "shopify", "2026-01-05")],
    "whatsapp STOP": [record("sms", "subscribed", "checkout", "2026-01-01"), record("whatsapp", "revoked", "keyword", "2026-01-02")],
  };
  const suppressions: (Suppression | null)[] = [
    null,
    ...(["hard_bounce", "spam_complaint", "invalid_address", "blocked"] as const).flatMap((reason) => [
      { reason },
      { reason, since: at("2026-02-01"), detail: "550 5.1.1 mailbox does not exist" },
    ]),
  ];
  const inputs: CanSendInput[] = Object.values(ledgers).flatMap((records) =>
    (["email", "sms", "whatsapp"] as const).flatMap((channel) =>
      (["transactional", "marketing", "review_request"] as const).flatMap((purpose) =>
        (["marketing", "transactional"] as const).flatMap((reviewRequests) =>
          suppressions.map((suppressed) => ({ channel, purpose, consent: currentConsent(records, channel), suppressed, policy: { reviewRequests } })),
        ),
      ),
    ),
  );

  it(`consent: canSend's refusal, in ${inputs.length} cases`, () => {
    let refused = 0;
    for (const input of inputs) {
      const verdict = canSend(input);
      const reason = consentRefusal(input);
      if (verdict.allowed) expect(reason, JSON.stringify(input)).toBeNull();
      else {
        refused++;
        expect(reason && englishReason(reason), JSON.stringify(input)).toBe(verdict.reason);
      }
    }
    expect(refused).toBeGreaterThan(inputs.length / 2);
  });

  it("channel choice: chooseChannel's 'no channel can be used'", () => {
    const orders: Channel[][] = [[], ["email"], ["sms", "email"], ["whatsapp", "sms", "email"], ["whatsapp"]];
    const contacts = [{ email: "ana@example.com", phone: "+5511987654321" }, { email: null, phone: "+5511987654321" }, { email: "ana@example.com", phone: "  " }, {}];
    const refusals: Record<string, (channel: Channel) => MessageReason | null> = {
      none: () => null,
      all: (channel) => consentRefusal({ channel, purpose: "marketing", consent: currentConsent(ledgers["revoked by keyword"], channel) }),
      "invalid phone": (channel) => (channel === "email" ? null : { code: "invalid_phone", params: { phone: "+55 11", problem: "The number is too short." } }),
    };
    let none = 0;
    for (const channels of orders) {
      for (const contact of contacts) {
        for (const refusalFor of Object.values(refusals)) {
          for (const [whatsappWindowOpen, whatsappTemplateAvailable] of [[false, false], [true, false], [false, true]]) {
            const consentFor = (channel: Channel) => {
              const refusal = refusalFor(channel);
              return refusal ? { allowed: false as const, reason: englishReason(refusal) } : { allowed: true as const };
            };
            const choice = chooseChannel({ channels, contact, consentFor, whatsappWindowOpen, whatsappTemplateAvailable });
            const reason = noChannelReason({ channels, contact, refusalFor, whatsappWindowOpen, whatsappTemplateAvailable });
            const label = JSON.stringify({ channels, contact, whatsappWindowOpen, whatsappTemplateAvailable });
            if ("none" in choice) {
              none++;
              expect(reason && englishReason(reason), label).toBe(choice.none);
            } else expect(reason, label).toBeNull();
          }
        }
      }
    }
    expect(none).toBeGreaterThan(10);
  });

  it("frequency cap: frequencyCapVerdict's deferral", () => {
    const now = new Date(NOW);
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const cases: FrequencyCapInput[] = [
      { now, channel: "sms", purpose: "marketing", recentSends: [{ channel: "sms", purpose: "marketing", sentAt: hoursAgo(2) }] },
      { now, channel: "whatsapp", purpose: "marketing", recentSends: [{ channel: "sms", purpose: "marketing", sentAt: hoursAgo(20) }, { channel: "email", purpose: "marketing", sentAt: hoursAgo(1) }] },
      {
        now, channel: "email", purpose: "marketing",
        recentSends: [30, 60, 100, 200].map((hours) => ({ channel: "email" as const, purpose: "marketing", sentAt: hoursAgo(hours) })),
      },
      {
        now, channel: "whatsapp", purpose: "marketing", caps: { whatsapp: { count: 2, periodHours: 48 } },
        recentSends: [{ channel: "whatsapp", purpose: "marketing", sentAt: hoursAgo(13) }, { channel: "whatsapp", purpose: "marketing", sentAt: hoursAgo(1) }, { channel: "sms", purpose: "marketing", sentAt: hoursAgo(1) }],
      },
      { now, channel: "email", purpose: "marketing", caps: { email: { count: 1, periodHours: 30 } }, recentSends: [{ channel: "email", purpose: "transactional", sentAt: hoursAgo(3) }, { channel: "email", purpose: "marketing", sentAt: hoursAgo(29) }] },
    ];
    for (const input of cases) {
      const verdict = frequencyCapVerdict(input);
      expect(verdict.allowed, JSON.stringify(input)).toBe(false);
      if (!verdict.allowed) expect(englishReason(frequencyCapReason(input, verdict.until))).toBe(verdict.reason);
    }
  });

  it("quiet hours: the zone and the local time the message waits for", () => {
    const verdict = quietHoursVerdict({ now: new Date("2026-01-15T02:00:00Z"), channel: "sms", recipient: { timeZone: "Europe/Madrid" }, shopTimeZone: "UTC" });
    expect(verdict.allowed).toBe(false);
    if (verdict.allowed) return;
    const reason = quietHoursReason(verdict);
    expect(reason).toEqual({ code: "quiet_hours", params: { zone: "Europe/Madrid", until: "2026-01-15T07:00:00.000Z" } });
    expect(englishReason(reason)).toBe("Quiet hours (Europe/Madrid): deferred to 8:00 local time");
    expect(verdict.reason).toMatch(/^Quiet hours \(8:00–21:00, Europe\/Madrid\): deferred to 8:00 local time$/);
  });
});

describe("Twilio error codes Avisa explains", () => {
  it("are the ones the status-callback parser words in English, so both stay in step", async () => {
    const { CALLBACK_ERRORS } = await import("../../app/server/providers/twilio/twilio-callbacks.server");
    expect(Object.keys(CALLBACK_ERRORS).sort()).toEqual([...TWILIO_EXPLAINED_ERRORS].sort());
  });
});
