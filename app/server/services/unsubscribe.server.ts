// The unsubscribe link in marketing messages (and the List-Unsubscribe header of marketing
// email, RFC 8058 one-click). The link carries a signed token { s: shop, c: contact, ch: channel }
// made by message-context's signedLink("unsubscribe", ...), so no lookup table is needed.
// Opening the link only shows a page (mail scanners open links); the POST unsubscribes:
// a consent record (state "unsubscribed", source "unsubscribe_link") and the contact's pending
// marketing messages that could only go on that channel are cancelled. Doing it twice changes
// nothing. Messages that may fall back to another channel are left to the send-time consent
// check, which routes around the unsubscribed channel.
import { z } from "zod";
import { CONSENT_SOURCES, currentConsent } from "../../domain/consent/consent-policy";
import { replyLocaleOf, type ReplyLocale } from "../../domain/consent/keywords";
import { reason, statusReasonData } from "../../domain/messages/message-reason";
import { PENDING_STATUSES } from "../../domain/messages/message-status";
import type { Channel } from "../../domain/ports";
import { services } from "../container.server";
import { verifyToken } from "../crypto/signed-token.server";
import type { Database } from "../db.server";
import { linkTokenKey } from "./message-context.server";
import { appendConsentRecord } from "./record-delivery.server";
import { recordMessageEvent } from "./schedule-message.server";

const tokenData = z.object({ s: z.string().min(1), c: z.string().min(1), ch: z.enum(["email", "sms", "whatsapp"]) });

export type LinkProblem = { ok: false; reason: "invalid" | "expired" };

export type UnsubscribeView = {
  ok: true;
  locale: ReplyLocale;
  shopName: string;
  channel: Channel;
  /** The shopper's current choice on the channel is already "no". */
  unsubscribed: boolean;
};

export type UnsubscribeDone = UnsubscribeView & { recorded: boolean; cancelled: number };

type Dependencies = { database: Database; now: Date };

const defaults = (): Dependencies => {
  const { database, clock } = services();
  return { database, now: clock.now() };
};

function readToken(token: string | null | undefined, now: Date): { ok: true; data: z.infer<typeof tokenData> } | LinkProblem {
  if (!token) return { ok: false, reason: "invalid" };
  const checked = verifyToken<unknown>(linkTokenKey(), "unsubscribe", token, now);
  if (!checked.ok) return { ok: false, reason: checked.reason === "expired" ? "expired" : "invalid" };
  const data = tokenData.safeParse(checked.data);
  return data.success ? { ok: true, data: data.data } : { ok: false, reason: "invalid" };
}

async function viewFor(database: Database, data: z.infer<typeof tokenData>) {
  const shop = await database.shop.findUnique({ where: { id: data.s }, select: { name: true, primaryLocale: true } });
  const contact = shop ? await database.contact.findFirst({ where: { id: data.c, shopId: data.s }, select: { id: true, locale: true } }) : null;
  const records = contact
    ? await database.consentRecord.findMany({
        where: { shopId: data.s, contactId: contact.id },
        orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
        select: { channel: true, state: true, source: true, recordedAt: true },
      })
    : [];
  const consent = currentConsent(records, data.ch);
  return {
    contact,
    view: {
      ok: true as const,
      locale: replyLocaleOf(contact?.locale ?? shop?.primaryLocale),
      shopName: shop?.name ?? "",
      channel: data.ch,
      // A shopper whose details were erased gets nothing more: they are as good as unsubscribed.
      unsubscribed: !contact || (consent.standing === "revoked" && !consent.followsSms),
    },
  };
}

/** GET: what the page shows (nothing is changed). */
export async function unsubscribePage(token: string | null | undefined, deps: Dependencies = defaults()): Promise<UnsubscribeView | LinkProblem> {
  const read = readToken(token, deps.now);
  if (!read.ok) return read;
  return (await viewFor(deps.database, read.data)).view;
}

/** POST (the page's button, or a mail client's one-click): unsubscribe, once. */
export async function unsubscribe(token: string | null | undefined, deps: Dependencies = defaults()): Promise<UnsubscribeDone | LinkProblem> {
  const { database, now } = deps;
  const read = readToken(token, now);
  if (!read.ok) return read;
  const { s: shopId, c: contactId, ch: channel } = read.data;
  const { contact, view } = await viewFor(database, read.data);
  if (!contact) return { ...view, unsubscribed: true, recorded: false, cancelled: 0 };

  const why = reason("unsubscribed_by_link");
  const cancelledBy = statusReasonData(why);
  return database.$transaction(async (tx) => {
    const recorded = await appendConsentRecord(tx, {
      shopId, contactId, channel, state: "unsubscribed", source: CONSENT_SOURCES.unsubscribeLink, recordedAt: now,
      evidence: { link: "unsubscribe", at: now.toISOString() },
    });
    const pending = await tx.message.findMany({
      where: { shopId, contactId, purpose: "marketing", status: { in: [...PENDING_STATUSES] } },
      select: { id: true, channel: true, channels: true },
    });
    let cancelled = 0;
    for (const message of pending) {
      const channels = parseChannels(message.channels, message.channel);
      if (!channels.every((each) => each === channel)) continue;
      const { count } = await tx.message.updateMany({ where: { id: message.id, status: { in: [...PENDING_STATUSES] } }, data: { status: "cancelled", ...cancelledBy } });
      if (count) {
        cancelled++;
        await recordMessageEvent(tx, { shopId, messageId: message.id, type: "cancelled", detail: cancelledBy.statusReason, reason: why, at: now });
      }
    }
    return { ...view, unsubscribed: true, recorded, cancelled };
  });
}

function parseChannels(json: string, fallback: string): string[] {
  try {
    const channels = JSON.parse(json) as unknown;
    return Array.isArray(channels) && channels.length ? channels.map(String) : [fallback];
  } catch {
    return [fallback];
  }
}
