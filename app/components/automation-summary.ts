// One line per automation step, in the merchant's language: "Cart recovery: after 1 hour · Email → SMS".
import type { AdminLocale, Translate } from "~/i18n";

export type StepLike = { delayMinutes: number; channels: readonly string[]; messageType: string; anchor?: string | null };

const DAY = 24 * 60;

/** 90 → "90 minutes", 360 → "6 hours", 4320 → "3 days", in the admin's language. */
export function formatDelay(minutes: number, locale: AdminLocale): string {
  const [value, unit] = minutes >= DAY && minutes % DAY === 0 ? [minutes / DAY, "day"] : minutes >= 60 && minutes % 60 === 0 ? [minutes / 60, "hour"] : [minutes, "minute"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

export function stepWhen(step: StepLike, t: Translate, locale: AdminLocale): string {
  const anchor = step.anchor ?? "event";
  const delay = formatDelay(step.delayMinutes, locale);
  if (anchor === "delivered") return step.delayMinutes === 0 ? t("automations.when.onDelivery") : t("automations.when.afterDelivery", { delay });
  if (anchor === "fulfilled") return step.delayMinutes === 0 ? t("automations.when.onFulfilment") : t("automations.when.afterFulfilment", { delay });
  return step.delayMinutes === 0 ? t("automations.when.immediately") : t("automations.when.after", { delay });
}

export function stepSummary(step: StepLike, t: Translate, locale: AdminLocale): string {
  const channels = step.channels.map((channel) => t(`channel.${channel}` as "channel.email")).join(" → ");
  return `${t(`messageType.${step.messageType}` as "messageType.order_confirmation")}: ${stepWhen(step, t, locale)} · ${channels}`;
}
