// The satisfaction survey's answer: the message carries five links, one per rating, each with
// a signed token { s: shop, m: message } (message-context's signedLink("survey", ...)). One
// answer per message: clicking another rating later changes it.
import { z } from "zod";
import { replyLocaleOf, type ReplyLocale } from "../../domain/consent/keywords";
import { services } from "../container.server";
import { verifyToken } from "../crypto/signed-token.server";
import type { Database } from "../db.server";
import { linkTokenKey } from "./message-context.server";

const tokenData = z.object({ s: z.string().min(1), m: z.string().min(1) });

export const surveyRating = z.coerce.number().int().min(1).max(5);

export type SurveyProblem = { ok: false; reason: "invalid" | "expired" | "not_found" };

export type SurveyAnswered = { ok: true; locale: ReplyLocale; shopName: string; rating: number; changed: boolean };

type Dependencies = { database: Database; now: Date };

const defaults = (): Dependencies => {
  const { database, clock } = services();
  return { database, now: clock.now() };
};

/** Records (or changes) the answer for the message the token names. `rating` is 1–5, checked by the caller. */
export async function answerSurvey(token: string | null | undefined, rating: number, deps: Dependencies = defaults()): Promise<SurveyAnswered | SurveyProblem> {
  const { database, now } = deps;
  if (!token) return { ok: false, reason: "invalid" };
  const checked = verifyToken<unknown>(linkTokenKey(), "survey", token, now);
  if (!checked.ok) return { ok: false, reason: checked.reason === "expired" ? "expired" : "invalid" };
  const data = tokenData.safeParse(checked.data);
  if (!data.success) return { ok: false, reason: "invalid" };
  const { s: shopId, m: messageId } = data.data;

  const message = await database.message.findFirst({ where: { id: messageId, shopId }, select: { id: true, orderId: true, contactId: true, locale: true } });
  if (!message) return { ok: false, reason: "not_found" };
  const shop = await database.shop.findUniqueOrThrow({ where: { id: shopId }, select: { name: true, primaryLocale: true } });
  const contact = message.contactId ? await database.contact.findFirst({ where: { id: message.contactId, shopId }, select: { locale: true } }) : null;

  const previous = await database.surveyAnswer.findUnique({ where: { messageId }, select: { rating: true } });
  const fields = { rating, answeredAt: now };
  try {
    await database.surveyAnswer.upsert({
      where: { messageId },
      create: { shopId, messageId, orderId: message.orderId, contactId: message.contactId, ...fields },
      update: fields,
    });
  } catch (error) {
    // Two clicks at once: the other request created the row first; this click still wins.
    if ((error as { code?: string }).code !== "P2002") throw error;
    await database.surveyAnswer.update({ where: { messageId }, data: fields });
  }
  return {
    ok: true,
    locale: replyLocaleOf(message.locale ?? contact?.locale ?? shop.primaryLocale),
    shopName: shop.name,
    rating,
    changed: !!previous && previous.rating !== rating,
  };
}
