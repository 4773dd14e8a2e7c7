// Composes a message's content at send time from what was captured when it was scheduled.
// The recipient is re-read from the contact, so a changed address is honoured.
// (Liquid templates per locale replace the captured text with the messaging work.)
import type { Channel, OutgoingMessage } from "../../domain/ports";
import type { Database } from "../db.server";
import type { MessageComposer, MessageRow } from "./dispatch-message.server";

type CapturedContent = { subject?: string; text?: string; html?: string };

export function capturedContentComposer(database: Database): MessageComposer {
  return async (message: MessageRow): Promise<OutgoingMessage> => {
    const content = JSON.parse(message.variables) as CapturedContent;
    if (!content.text) throw new Error("the message has no text");
    const contact = message.contactId ? await database.contact.findFirst({ where: { id: message.contactId, shopId: message.shopId } }) : null;
    const channel = message.channel as Channel;
    const to = (channel === "email" ? contact?.email : contact?.phone) ?? message.recipient;
    if (!to) throw new Error(`no ${channel === "email" ? "email address" : "phone number"} for this shopper`);
    return { shopId: message.shopId, channel, to, subject: content.subject, html: content.html, text: content.text, metadata: { messageId: message.id } };
  };
}
