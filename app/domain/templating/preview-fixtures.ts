// Sample data for previews, validation (SMS length with real-looking values) and tests: a
// homeware shop, Casa Aurora, selling in USD to shoppers in English, Spanish and Portuguese.
// Values are formatted the way the sending code formats them: money and dates with Intl for
// the recipient's locale, statuses and product names in the recipient's language.
//
// Links are the short tracked links Avisa puts in messages (through the app proxy); a raw
// Shopify cart-recovery URL alone is ~150 characters, more than two UCS-2 SMS segments.
import { formatMoneyIn } from "./format";
import {
  MESSAGE_TYPE_SPECS,
  purposeOf,
  type ContextFor,
  type GroupContexts,
  type LineItemVariables,
  type MessageType,
  type SharedContext,
  type TemplateLocale,
} from "./message-types";

const SHOP_CURRENCY = "USD";
/** Fixed dates so previews and tests do not change from day to day. */
const ESTIMATED_DELIVERY = new Date("2025-06-13T12:00:00Z");
const DISCOUNT_EXPIRY = new Date("2025-06-20T12:00:00Z");

/**
 * Intl separates amount and currency with a no-break space (48,00 US$). That character is not
 * GSM-7 and would make every SMS UCS-2, so sending code replaces it with a plain space, as here.
 */
function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, " ");
}

export function formatMoney(amount: number, locale: TemplateLocale, currency = SHOP_CURRENCY): string {
  return formatMoneyIn(amount, currency, locale);
}

function formatDate(date: Date, locale: TemplateLocale, style: "long" | "weekday"): string {
  const options: Intl.DateTimeFormatOptions =
    style === "long" ? { dateStyle: "long", timeZone: "UTC" } : { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" };
  return plainSpaces(new Intl.DateTimeFormat(locale, options).format(date));
}

/** Avisa's tracked short links, served through the shop's app proxy (`/a/avisa`). */
const LINK = "https://casaaurora.com/a/avisa";
const CDN = "https://cdn.shopify.com/s/files/1/0612/4785/2042/files";

interface LocaleSamples {
  customer: { first_name: string; last_name: string };
  products: { mug: string; tote: string; board: string };
  variants: { mug: string; tote: string; board: string };
  status: { in_transit: string; out_for_delivery: string; delivered: string; attempted: string };
  care: string;
  contactMessage: string;
  contactName: string;
}

const SAMPLES: Record<TemplateLocale, LocaleSamples> = {
  en: {
    customer: { first_name: "Emily", last_name: "Carter" },
    products: { mug: "Speckled Ceramic Mug", tote: "Linen Tote Bag", board: "Olive Wood Serving Board" },
    variants: { mug: "Sand", tote: "Natural", board: "Large" },
    status: { in_transit: "In transit", out_for_delivery: "Out for delivery", delivered: "Delivered", attempted: "Delivery attempted" },
    care:
      "Wash by hand with warm water and a little mild soap, then dry it straight away.\nNever leave it soaking or put it in the dishwasher.\nOnce a month, rub in a thin coat of food-safe mineral oil and let it rest overnight.",
    contactMessage: "Hi! Is the speckled mug microwave safe? I'd like to order four as a gift.",
    contactName: "Emily Carter",
  },
  es: {
    customer: { first_name: "Lucía", last_name: "Fernández" },
    products: { mug: "Taza de cerámica moteada", tote: "Bolsa tote de lino", board: "Tabla de madera de olivo" },
    variants: { mug: "Arena", tote: "Natural", board: "Grande" },
    status: { in_transit: "En tránsito", out_for_delivery: "En ruta de entrega", delivered: "Entregado", attempted: "Intento de entrega fallido" },
    care:
      "Lávala a mano con agua tibia y un poco de jabón neutro, y sécala enseguida.\nNo la dejes en remojo ni la metas en el lavavajillas.\nUna vez al mes, aplícale una capa fina de aceite mineral apto para alimentos y déjala reposar toda la noche.",
    contactMessage: "¡Hola! ¿La taza moteada se puede usar en el microondas? Quiero pedir cuatro para regalar.",
    contactName: "Lucía Fernández",
  },
  "pt-BR": {
    customer: { first_name: "João", last_name: "Silva" },
    products: { mug: "Caneca de cerâmica salpicada", tote: "Bolsa tote de linho", board: "Tábua de madeira de oliveira" },
    variants: { mug: "Areia", tote: "Natural", board: "Grande" },
    status: { in_transit: "Em trânsito", out_for_delivery: "Saiu para entrega", delivered: "Entregue", attempted: "Tentativa de entrega sem sucesso" },
    care:
      "Lave à mão com água morna e um pouco de sabão neutro, e seque logo em seguida.\nNão deixe de molho nem coloque na lava-louças.\nUma vez por mês, passe uma camada fina de óleo mineral próprio para alimentos e deixe descansar durante a noite.",
    contactMessage: "Oi! A caneca salpicada pode ir ao micro-ondas? Quero comprar quatro para dar de presente.",
    contactName: "João Silva",
  },
};

/** Which fulfillment status each message type is about. */
const FULFILLMENT_STATUS: Partial<Record<MessageType, keyof LocaleSamples["status"]>> = {
  shipping_update: "in_transit",
  out_for_delivery: "out_for_delivery",
  delivered: "delivered",
  delivery_problem: "attempted",
};

function sampleGroups(type: MessageType, locale: TemplateLocale): SharedContext & GroupContexts {
  const s = SAMPLES[locale];
  const money = (amount: number) => formatMoney(amount, locale);
  const item = (key: keyof LocaleSamples["products"], quantity: number, price: number, image: string, linkId: string): LineItemVariables => ({
    title: s.products[key],
    variant_title: s.variants[key],
    quantity,
    price: money(price),
    image_url: `${CDN}/${image}?v=1718031200&width=240`,
    url: `${LINK}/${linkId}`,
  });
  const mug = item("mug", 2, 24, "speckled-ceramic-mug.jpg", "Mg7Tz4");
  const tote = item("tote", 1, 32, "linen-tote-bag.jpg", "Tb2Wq8");
  const board = item("board", 1, 58, "olive-wood-serving-board.jpg", "Pr5Kd2");
  const customer = { ...s.customer, name: `${s.customer.first_name} ${s.customer.last_name}` };

  return {
    shop: {
      name: "Casa Aurora",
      url: "https://casaaurora.com",
      email: "hello@casaaurora.com",
      phone: "+1 512-555-0142",
      address: "1208 E 6th St, Austin, TX 78702, United States",
      logo_url: `${CDN}/casa-aurora-logo.png?v=1718031200&width=240`,
      brand_color: "#b5603a",
    },
    customer,
    unsubscribe_url: purposeOf(type) === "marketing" ? `${LINK}/Q7mZ2kR9` : undefined,
    order: { name: "#1042", total: money(142), status_url: `${LINK}/Xk4Q9m`, items: [mug, tote, board] },
    fulfillment: {
      tracking_company: "UPS",
      tracking_number: "1Z8A02W10345678901",
      tracking_url: `${LINK}/Hq2Lx9`,
      status: s.status[FULFILLMENT_STATUS[type] ?? "in_transit"],
      estimated_delivery: formatDate(ESTIMATED_DELIVERY, locale, "weekday"),
    },
    checkout: { total: money(106), recovery_url: `${LINK}/P3vN8c`, items: [mug, board] },
    discount: { code: "AURORA-7KQ2MX", value: "10%", expires_at: formatDate(DISCOUNT_EXPIRY, locale, "long") },
    review: { url: `${LINK}/R8sT4w` },
    product: { title: board.title, url: board.url!, image_url: board.image_url },
    care: { instructions: s.care },
    survey: {
      url_1: `${LINK}/Fk93a1`,
      url_2: `${LINK}/Fk93a2`,
      url_3: `${LINK}/Fk93a3`,
      url_4: `${LINK}/Fk93a4`,
      url_5: `${LINK}/Fk93a5`,
    },
    contact_request: {
      name: s.contactName,
      email: locale === "en" ? "emily.carter@example.com" : locale === "es" ? "lucia.fernandez@example.com" : "joao.silva@example.com",
      phone: locale === "en" ? "+1 415-555-0198" : locale === "es" ? "+52 55 5555 0123" : "+55 11 95555-0123",
      message: s.contactMessage,
      url: "https://admin.shopify.com/store/casa-aurora/apps/avisa/app/inbox/128",
    },
  };
}

/** Sample context for a message type in a locale: the shared groups plus exactly the type's own. */
export function previewContext<T extends MessageType>(type: T, locale: TemplateLocale): ContextFor<T> {
  const all = sampleGroups(type, locale);
  const context: Record<string, unknown> = { shop: all.shop, customer: all.customer };
  if (all.unsubscribe_url) context.unsubscribe_url = all.unsubscribe_url;
  for (const group of MESSAGE_TYPE_SPECS[type].groups) context[group] = all[group];
  return context as ContextFor<T>;
}
