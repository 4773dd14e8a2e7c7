// What the app proxy says back to a shopper after a form post, in the shopper's language.
// (Field-level validation messages come from the domain parsers; these are the outcomes.)
export const STOREFRONT_LOCALES = ["en", "es", "pt-BR"] as const;
export type StorefrontLocale = (typeof STOREFRONT_LOCALES)[number];

const MESSAGES = {
  reviewPublished: {
    en: "Thank you! Your review is now on the product page.",
    es: "¡Gracias! Tu reseña ya aparece en la página del producto.",
    "pt-BR": "Obrigado! Sua avaliação já aparece na página do produto.",
  },
  reviewPending: {
    en: "Thank you! Your review will appear once the store has checked it.",
    es: "¡Gracias! Tu reseña aparecerá cuando la tienda la haya revisado.",
    "pt-BR": "Obrigado! Sua avaliação vai aparecer assim que a loja conferir.",
  },
  reviewNotConfirmed: {
    en: "We could not confirm the purchase from your review link, so the review is not marked as a verified purchase.",
    es: "No pudimos confirmar la compra con tu enlace para reseñar, así que la reseña no se marca como compra verificada.",
    "pt-BR": "Não conseguimos confirmar a compra pelo seu link de avaliação, então a avaliação não foi marcada como compra verificada.",
  },
  reviewLinkExpired: {
    en: "Your review link had expired, so the review is not marked as a verified purchase.",
    es: "Tu enlace para reseñar había caducado, así que la reseña no se marca como compra verificada.",
    "pt-BR": "Seu link de avaliação tinha expirado, então a avaliação não foi marcada como compra verificada.",
  },
  reviewDuplicate: {
    en: "You have already reviewed this product for this order. Thank you!",
    es: "Ya reseñaste este producto para este pedido. ¡Gracias!",
    "pt-BR": "Você já avaliou este produto neste pedido. Obrigado!",
  },
  contactReceived: {
    en: "Thank you! We got your message and will answer you soon.",
    es: "¡Gracias! Recibimos tu mensaje y te responderemos pronto.",
    "pt-BR": "Obrigado! Recebemos sua mensagem e vamos responder em breve.",
  },
  tooMany: {
    en: "You have sent several forms in a short time. Please wait an hour and try again.",
    es: "Enviaste varios formularios en poco tiempo. Espera una hora y vuelve a intentarlo.",
    "pt-BR": "Você enviou vários formulários em pouco tempo. Aguarde uma hora e tente de novo.",
  },
  unknownProduct: {
    en: "This product is not in the store any more, so it cannot be reviewed.",
    es: "Este producto ya no está en la tienda, así que no se puede reseñar.",
    "pt-BR": "Este produto não está mais na loja, então não pode ser avaliado.",
  },
  notInstalled: {
    en: "Reviews and contact forms are not available in this store right now.",
    es: "Las reseñas y el formulario de contacto no están disponibles en esta tienda ahora.",
    "pt-BR": "Avaliações e formulário de contato não estão disponíveis nesta loja agora.",
  },
  fixFields: {
    en: "Please check the highlighted fields.",
    es: "Revisa los campos marcados.",
    "pt-BR": "Confira os campos destacados.",
  },
  tooLarge: {
    en: "The form is too large: photos can be at most 2 MB each, 3 in all.",
    es: "El formulario es demasiado grande: cada foto puede tener como máximo 2 MB, y 3 en total.",
    "pt-BR": "O formulário é grande demais: cada foto pode ter no máximo 2 MB, e 3 no total.",
  },
  backToStore: { en: "Back to the store", es: "Volver a la tienda", "pt-BR": "Voltar para a loja" },
} as const;

export type StorefrontMessageKey = keyof typeof MESSAGES;

export function storefrontLocaleOf(value: string | null | undefined): StorefrontLocale {
  const normalised = (value ?? "").replace("_", "-").toLowerCase();
  if (normalised.startsWith("pt")) return "pt-BR";
  if (normalised.startsWith("es")) return "es";
  return "en";
}

export function storefrontMessage(key: StorefrontMessageKey, locale: StorefrontLocale): string {
  return MESSAGES[key][locale];
}
