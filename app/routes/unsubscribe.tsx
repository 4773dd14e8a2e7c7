import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ReplyLocale } from "~/domain/consent/keywords";
import { escapeHtml, localeFromRequest, shopOr, shopperPage } from "~/components/shopper-page";
import type { Channel } from "~/domain/ports";
import { unsubscribe, unsubscribePage, type LinkProblem } from "~/server/services/unsubscribe.server";

// GET  /unsubscribe?token=… — a small page in the shopper's language with one button (opening a
//      link never unsubscribes: mail scanners open links).
// POST /unsubscribe?token=… — the button, or a mail client's RFC 8058 one-click
//      (body List-Unsubscribe=One-Click): unsubscribes, idempotently.
// A broken or expired link gets a 400 page that says what to do instead. Plain HTML, no script.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const token = new URL(request.url).searchParams.get("token");
  const view = await unsubscribePage(token);
  if (!view.ok) return problemPage(view, localeFromRequest(request));
  const text = TEXT[view.locale];
  if (view.unsubscribed) return page(view.locale, text.doneTitle, [text.done(view.shopName, text.channels[view.channel])]);
  return page(view.locale, text.title, [text.question(view.shopName, text.channels[view.channel]), text.keep], { token, button: text.button });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const token = new URL(request.url).searchParams.get("token");
  const done = await unsubscribe(token);
  if (!done.ok) return problemPage(done, localeFromRequest(request));
  const text = TEXT[done.locale];
  return page(done.locale, text.doneTitle, [text.done(done.shopName, text.channels[done.channel]), text.keep]);
};

type Text = {
  title: string;
  channels: Record<Channel, string>;
  question: (shop: string, channel: string) => string;
  keep: string;
  button: string;
  doneTitle: string;
  done: (shop: string, channel: string) => string;
  invalidTitle: string;
  invalid: string;
  expiredTitle: string;
  expired: string;
};


const TEXT: Record<ReplyLocale, Text> = {
  en: {
    title: "Unsubscribe",
    channels: { email: "email", sms: "text message (SMS)", whatsapp: "WhatsApp" },
    question: (shop, channel) => `Stop receiving marketing from ${shopOr(shop, "this store")} by ${channel}?`,
    keep: "You will still get messages about your orders, such as confirmations and shipping updates.",
    button: "Unsubscribe",
    doneTitle: "You're unsubscribed",
    done: (shop, channel) => `You will no longer receive marketing from ${shopOr(shop, "this store")} by ${channel}.`,
    invalidTitle: "This link does not work",
    invalid:
      "The unsubscribe link is incomplete or was changed. Open it again from the latest message you received, reply STOP to a text message, or ask the store to remove you.",
    expiredTitle: "This link has expired",
    expired: "Use the unsubscribe link in a more recent message from the store, reply STOP to a text message, or ask the store to remove you.",
  },
  es: {
    title: "Cancelar suscripción",
    channels: { email: "correo electrónico", sms: "mensaje de texto (SMS)", whatsapp: "WhatsApp" },
    question: (shop, channel) => `¿Dejar de recibir promociones de ${shopOr(shop, "esta tienda")} por ${channel}?`,
    keep: "Seguirás recibiendo los mensajes sobre tus pedidos, como confirmaciones y avisos de envío.",
    button: "Cancelar suscripción",
    doneTitle: "Suscripción cancelada",
    done: (shop, channel) => `Ya no recibirás promociones de ${shopOr(shop, "esta tienda")} por ${channel}.`,
    invalidTitle: "Este enlace no funciona",
    invalid:
      "El enlace para cancelar la suscripción está incompleto o fue modificado. Ábrelo de nuevo desde el mensaje más reciente que recibiste, responde BAJA a un mensaje de texto o pide a la tienda que te dé de baja.",
    expiredTitle: "Este enlace ha caducado",
    expired: "Usa el enlace de un mensaje más reciente de la tienda, responde BAJA a un mensaje de texto o pide a la tienda que te dé de baja.",
  },
  "pt-BR": {
    title: "Cancelar inscrição",
    channels: { email: "e-mail", sms: "mensagem de texto (SMS)", whatsapp: "WhatsApp" },
    question: (shop, channel) => `Deixar de receber promoções de ${shopOr(shop, "esta loja")} por ${channel}?`,
    keep: "Você continuará recebendo as mensagens sobre seus pedidos, como confirmações e avisos de envio.",
    button: "Cancelar inscrição",
    doneTitle: "Inscrição cancelada",
    done: (shop, channel) => `Você não receberá mais promoções de ${shopOr(shop, "esta loja")} por ${channel}.`,
    invalidTitle: "Este link não funciona",
    invalid:
      "O link para cancelar a inscrição está incompleto ou foi alterado. Abra-o de novo a partir da mensagem mais recente que você recebeu, responda SAIR a uma mensagem de texto ou peça à loja para remover você.",
    expiredTitle: "Este link expirou",
    expired: "Use o link de uma mensagem mais recente da loja, responda SAIR a uma mensagem de texto ou peça à loja para remover você.",
  },
};

function problemPage(problem: LinkProblem, locale: ReplyLocale): Response {
  const text = TEXT[locale];
  return problem.reason === "expired"
    ? page(locale, text.expiredTitle, [text.expired], undefined, 400)
    : page(locale, text.invalidTitle, [text.invalid], undefined, 400);
}

function page(locale: ReplyLocale, title: string, paragraphs: string[], form?: { token: string | null; button: string }, status = 200): Response {
  const formHtml = form
    ? `<form method="post" action="/unsubscribe?token=${encodeURIComponent(form.token ?? "")}">` +
      `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
      `<button type="submit">${escapeHtml(form.button)}</button></form>`
    : "";
  return shopperPage({
    locale,
    title,
    paragraphs,
    body: formHtml,
    style: `button{font:inherit;font-weight:600;color:#fff;background:#1f5c4a;border:0;border-radius:8px;padding:.75rem 1.5rem;cursor:pointer;margin-top:.5rem}
button:hover{background:#174636}
button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}`,
    csp: "form-action 'self'",
    status,
  });
}
