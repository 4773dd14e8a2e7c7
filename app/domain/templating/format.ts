// Values formatted for the recipient's locale before they reach a template, so templates only
// place them. Intl's no-break spaces become plain spaces: they are not GSM-7 and would make an
// SMS twice as expensive (UCS-2).
import type { TemplateLocale } from "./message-types";

const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

export function formatMoneyIn(amount: string | number, currency: string, locale: TemplateLocale): string {
  const value = typeof amount === "number" ? amount : Number.parseFloat(amount);
  if (!Number.isFinite(value)) return String(amount);
  try {
    return plainSpaces(new Intl.NumberFormat(locale, { style: "currency", currency }).format(value));
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

export function formatDateIn(date: Date, locale: TemplateLocale, timeZone: string): string {
  return plainSpaces(new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(date));
}

const SHIPMENT_STATUS_LABELS: Record<TemplateLocale, Record<string, string>> = {
  en: {
    label_printed: "Label created", label_purchased: "Label created", confirmed: "Confirmed by the carrier", in_transit: "In transit",
    out_for_delivery: "Out for delivery", attempted_delivery: "Delivery attempted", ready_for_pickup: "Ready for pickup",
    delivered: "Delivered", failure: "Delivery problem",
  },
  es: {
    label_printed: "Etiqueta creada", label_purchased: "Etiqueta creada", confirmed: "Confirmado por la paquetería", in_transit: "En camino",
    out_for_delivery: "En reparto", attempted_delivery: "Intento de entrega", ready_for_pickup: "Listo para recoger",
    delivered: "Entregado", failure: "Problema con la entrega",
  },
  "pt-BR": {
    label_printed: "Etiqueta criada", label_purchased: "Etiqueta criada", confirmed: "Confirmado pela transportadora", in_transit: "Em trânsito",
    out_for_delivery: "Saiu para entrega", attempted_delivery: "Tentativa de entrega", ready_for_pickup: "Pronto para retirada",
    delivered: "Entregue", failure: "Problema na entrega",
  },
};

export function shipmentStatusLabel(status: string | null | undefined, locale: TemplateLocale): string | undefined {
  return status ? (SHIPMENT_STATUS_LABELS[locale][status] ?? status.replaceAll("_", " ")) : undefined;
}
