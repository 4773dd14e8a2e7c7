import type { LoaderFunctionArgs } from "@remix-run/node";
import { escapeHtml, localeFromRequest, shopOr, shopperPage } from "~/components/shopper-page";
import type { ReplyLocale } from "~/domain/consent/keywords";
import { answerSurvey, surveyRating, type SurveyProblem } from "~/server/services/survey.server";

// GET /survey?token=…&rating=1..5 — the five rating links of the satisfaction survey. Records
// the answer (one per message; another click changes it) and thanks the shopper in their
// language, with the other ratings one tap away. A rating outside 1–5 or a broken link: 400.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const token = url.searchParams.get("token");
  const rating = surveyRating.safeParse(url.searchParams.get("rating"));
  const fallback = localeFromRequest(request);
  if (!rating.success) return page(fallback, TEXT[fallback].badRatingTitle, [TEXT[fallback].badRating], null, 400);
  const answered = await answerSurvey(token, rating.data);
  if (!answered.ok) return problemPage(answered, fallback);
  const text = TEXT[answered.locale];
  return page(answered.locale, text.thanksTitle, [text.thanks(answered.shopName, answered.rating), text.change], { token: token ?? "", rating: answered.rating, label: text.ratingsLabel, ratingName: text.ratingName });
};

type Text = {
  thanksTitle: string;
  thanks: (shop: string, rating: number) => string;
  change: string;
  ratingsLabel: string;
  ratingName: (rating: number) => string;
  badRatingTitle: string;
  badRating: string;
  invalidTitle: string;
  invalid: string;
  expiredTitle: string;
  expired: string;
  goneTitle: string;
  gone: string;
};


const TEXT: Record<ReplyLocale, Text> = {
  en: {
    thanksTitle: "Thank you!",
    thanks: (shop, rating) => `You rated your experience with ${shopOr(shop, "the store")} ${rating} out of 5. Your answer helps the store get better.`,
    change: "Changed your mind? Choose another rating:",
    ratingsLabel: "Change your rating",
    ratingName: (rating) => `${rating} out of 5`,
    badRatingTitle: "Choose a rating from 1 to 5",
    badRating: "This link has no rating between 1 and 5. Open the survey in the message again and choose one of the five ratings.",
    invalidTitle: "This link does not work",
    invalid: "The survey link is incomplete or was changed. Open it again from the message you received.",
    expiredTitle: "This survey has closed",
    expired: "The link has expired, so your answer was not recorded. If you want to tell the store something, reply to one of its messages.",
    goneTitle: "This survey is no longer available",
    gone: "The message this survey belonged to no longer exists, so your answer was not recorded.",
  },
  es: {
    thanksTitle: "¡Gracias!",
    thanks: (shop, rating) => `Calificaste tu experiencia con ${shopOr(shop, "la tienda")} con ${rating} de 5. Tu respuesta ayuda a la tienda a mejorar.`,
    change: "¿Cambiaste de opinión? Elige otra calificación:",
    ratingsLabel: "Cambiar tu calificación",
    ratingName: (rating) => `${rating} de 5`,
    badRatingTitle: "Elige una calificación del 1 al 5",
    badRating: "Este enlace no tiene una calificación entre 1 y 5. Abre de nuevo la encuesta del mensaje y elige una de las cinco calificaciones.",
    invalidTitle: "Este enlace no funciona",
    invalid: "El enlace de la encuesta está incompleto o fue modificado. Ábrelo de nuevo desde el mensaje que recibiste.",
    expiredTitle: "Esta encuesta ya cerró",
    expired: "El enlace caducó, así que tu respuesta no se guardó. Si quieres decirle algo a la tienda, responde a uno de sus mensajes.",
    goneTitle: "Esta encuesta ya no está disponible",
    gone: "El mensaje de esta encuesta ya no existe, así que tu respuesta no se guardó.",
  },
  "pt-BR": {
    thanksTitle: "Obrigado!",
    thanks: (shop, rating) => `Você avaliou sua experiência com ${shopOr(shop, "a loja")} com nota ${rating} de 5. Sua resposta ajuda a loja a melhorar.`,
    change: "Mudou de ideia? Escolha outra nota:",
    ratingsLabel: "Mudar sua nota",
    ratingName: (rating) => `${rating} de 5`,
    badRatingTitle: "Escolha uma nota de 1 a 5",
    badRating: "Este link não tem uma nota entre 1 e 5. Abra de novo a pesquisa da mensagem e escolha uma das cinco notas.",
    invalidTitle: "Este link não funciona",
    invalid: "O link da pesquisa está incompleto ou foi alterado. Abra-o de novo a partir da mensagem que você recebeu.",
    expiredTitle: "Esta pesquisa foi encerrada",
    expired: "O link expirou, então sua resposta não foi registrada. Se quiser dizer algo à loja, responda a uma das mensagens dela.",
    goneTitle: "Esta pesquisa não está mais disponível",
    gone: "A mensagem desta pesquisa não existe mais, então sua resposta não foi registrada.",
  },
};

function problemPage(problem: SurveyProblem, locale: ReplyLocale): Response {
  const text = TEXT[locale];
  if (problem.reason === "expired") return page(locale, text.expiredTitle, [text.expired], null, 400);
  if (problem.reason === "not_found") return page(locale, text.goneTitle, [text.gone], null, 404);
  return page(locale, text.invalidTitle, [text.invalid], null, 400);
}

type Ratings = { token: string; rating: number; label: string; ratingName: (rating: number) => string };

function page(locale: ReplyLocale, title: string, paragraphs: string[], ratings: Ratings | null, status = 200): Response {
  const stars = ratings
    ? `<p class="stars" aria-hidden="true">${"★".repeat(ratings.rating)}${"☆".repeat(5 - ratings.rating)}</p>`
    : "";
  const links = ratings
    ? `<nav aria-label="${escapeHtml(ratings.label)}"><ul>` +
      [1, 2, 3, 4, 5]
        .map((value) => {
          const current = value === ratings.rating ? ` aria-current="true"` : "";
          return `<li><a href="/survey?token=${encodeURIComponent(ratings.token)}&amp;rating=${value}"${current} aria-label="${escapeHtml(ratings.ratingName(value))}">${value}</a></li>`;
        })
        .join("") +
      `</ul></nav>`
    : "";
  return shopperPage({
    locale,
    title,
    paragraphs,
    lead: stars,
    body: links,
    style: `.stars{font-size:2rem;color:#b7791f;margin:0 0 .5rem;letter-spacing:.15em}
ul{list-style:none;display:flex;gap:.5rem;padding:0;margin:.5rem 0 0}
a{display:inline-block;min-width:2.75rem;padding:.5rem 0;text-align:center;border:1px solid #8c9196;border-radius:8px;color:#1f5c4a;font-weight:600;text-decoration:none}
a[aria-current]{background:#1f5c4a;border-color:#1f5c4a;color:#fff}
a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}`,
    status,
  });
}
