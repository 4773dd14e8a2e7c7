// Shopify's privacy webhooks: export what Avisa holds on a customer, erase a customer,
// erase a whole shop. Every query is scoped by the shop the webhook came from.
import {
  buildCustomerExport,
  eventMentionsCustomer,
  parseCustomerPrivacyRequest,
  type CustomerPrivacyRequest,
} from "../../domain/compliance/customer-privacy";
import { parseShopifyJson } from "../../domain/events/shopify-json";
import { services } from "../container.server";
import { db } from "../db.server";
import { dialectOf } from "../queue/job-queue.server";
import { scheduleMetafieldSync } from "./reviews.server";

const REDACTED_PAYLOAD = JSON.stringify({ redacted: true });

function parseOrLog(shopId: string, payload: unknown): CustomerPrivacyRequest | null {
  const parsed = parseCustomerPrivacyRequest(payload);
  if (!parsed.ok) {
    services().logger.warn("privacy request not understood", { shopId, reason: parsed.error });
    return null;
  }
  return parsed.value;
}

/** Everything held on one customer, found by Shopify id, email, phone or the orders named. */
async function findCustomerData(shopId: string, request: CustomerPrivacyRequest) {
  const identities = [
    request.customerId ? { shopifyCustomerId: request.customerId } : null,
    request.email ? { email: request.email } : null,
    request.phone ? { phone: request.phone } : null,
  ].filter((x) => x !== null);
  const contacts = await db().contact.findMany({ where: { shopId, OR: identities } });
  const contactIds = contacts.map((c) => c.id);
  const orders = await db().order.findMany({
    where: { shopId, OR: [{ contactId: { in: contactIds } }, { shopifyOrderId: { in: request.orderIds } }] },
  });
  const consentRecords = await db().consentRecord.findMany({ where: { shopId, contactId: { in: contactIds } } });
  const addresses = [request.email, request.phone, ...contacts.flatMap((c) => [c.email, c.phone])].filter(
    (a): a is string => Boolean(a),
  );
  const outboxMessages = await db().outboxMessage.findMany({ where: { shopId, toAddress: { in: addresses } } });
  const messages = await db().message.findMany({ where: { shopId, OR: [{ contactId: { in: contactIds } }, { recipient: { in: addresses } }] } });
  const checkouts = await db().checkout.findMany({
    where: { shopId, OR: [{ contactId: { in: contactIds } }, ...(request.email ? [{ email: request.email }] : [])] },
  });
  // Events are kept as delivered (JSON text, spacing and all): candidates are found by text (an
  // address in any case, or the customer id's digits), then confirmed on the parsed event.
  const texts = [...addresses, ...(request.customerId ? [request.customerId] : [])];
  const anyCase = dialectOf(db()).kind === "postgresql" ? { mode: "insensitive" as const } : {}; // SQLite's LIKE ignores ASCII case
  const candidates = texts.length
    ? await db().eventLedger.findMany({ where: { shopId, OR: texts.map((text) => ({ payload: { contains: text, ...anyCase } })) } })
    : [];
  const customer = { customerId: request.customerId, addresses };
  const events = candidates.filter((event) => {
    try {
      return eventMentionsCustomer(parseShopifyJson(event.payload), customer);
    } catch {
      return true; // text that does not parse, yet holds their address or id: erase rather than keep
    }
  });
  const reviews = await db().review.findMany({
    where: { shopId, OR: [{ contactId: { in: contactIds } }, ...(request.email ? [{ authorEmail: request.email }] : [])] },
    include: { photos: { select: { id: true, url: true, contentType: true, createdAt: true } } },
  });
  const tickets = await db().ticket.findMany({
    where: { shopId, OR: [{ contactId: { in: contactIds } }, { email: { in: addresses } }, { phone: { in: addresses } }] },
    include: { messages: true },
  });
  const surveyAnswers = await db().surveyAnswer.findMany({ where: { shopId, contactId: { in: contactIds } } });
  // What they wrote into someone else's conversation (joined by order number).
  const ownTickets = new Set(tickets.map((t) => t.id));
  const ticketMessagesElsewhere = (await db().ticketMessage.findMany({ where: { ticket: { shopId }, direction: "inbound", fromAddress: { in: addresses } } }))
    .filter((m) => !ownTickets.has(m.ticketId));
  // The merchant's alerts about their conversations repeat what they wrote.
  const alerts = tickets.length
    ? await db().message.findMany({ where: { shopId, automation: "merchant_alert", OR: tickets.map((t) => ({ idempotencyKey: { endsWith: `|contact_request:${t.id}` } })) } })
    : [];
  return {
    contacts, consentRecords, orders, checkouts, messages: [...messages, ...alerts], outboxMessages, events, reviews, tickets, surveyAnswers, ticketMessagesElsewhere,
  };
}

export async function exportCustomerData(shopId: string, payload: unknown) {
  const request = parseOrLog(shopId, payload);
  if (!request) return null;
  const held = await findCustomerData(shopId, request);
  const document = buildCustomerExport(
    request,
    { ...held, events: held.events.map((e) => ({ ...e, payload: parseShopifyJson(e.payload) })) },
    services().clock.now(),
  );
  return db().dataRequest.create({
    data: {
      shopId,
      shopifyCustomerId: request.customerId,
      email: request.email,
      phone: request.phone,
      shopifyRequestId: request.requestId,
      export: JSON.stringify(document, null, 2),
    },
  });
}

export async function redactCustomer(shopId: string, payload: unknown): Promise<void> {
  const request = parseOrLog(shopId, payload);
  if (!request) return;
  const held = await findCustomerData(shopId, request);
  const contactIds = held.contacts.map((c) => c.id);
  await db().$transaction([
    // Orders keep their totals (recovered revenue) but lose every link to the person.
    db().order.updateMany({
      where: { shopId, id: { in: held.orders.map((o) => o.id) } },
      data: { contactId: null, checkoutToken: null, lineItems: "[]" },
    }),
    db().consentRecord.deleteMany({ where: { shopId, contactId: { in: contactIds } } }),
    db().contact.deleteMany({ where: { shopId, id: { in: contactIds } } }),
    db().outboxMessage.deleteMany({ where: { shopId, id: { in: held.outboxMessages.map((m) => m.id) } } }),
    // Sent messages stay as counts for the merchant's reports, without anyone's details.
    db().message.updateMany({ where: { shopId, id: { in: held.messages.map((m) => m.id) } }, data: { contactId: null, recipient: null, variables: "{}", content: null } }),
    // Conversations and reviews are the shopper's own words: they go (photos and messages cascade).
    db().ticket.deleteMany({ where: { shopId, id: { in: held.tickets.map((t) => t.id) } } }),
    db().review.deleteMany({ where: { shopId, id: { in: held.reviews.map((r) => r.id) } } }),
    db().surveyAnswer.deleteMany({ where: { shopId, id: { in: held.surveyAnswers.map((a) => a.id) } } }),
    db().ticketMessage.deleteMany({ where: { id: { in: held.ticketMessagesElsewhere.map((m) => m.id) }, ticket: { shopId } } }),
    db().checkout.deleteMany({ where: { shopId, id: { in: held.checkouts.map((c) => c.id) } } }),
    db().eventLedger.updateMany({
      where: { shopId, id: { in: held.events.map((e) => e.id) } },
      data: { payload: REDACTED_PAYLOAD },
    }),
    db().dataRequest.deleteMany({
      where: {
        shopId,
        OR: [
          ...(request.customerId ? [{ shopifyCustomerId: request.customerId }] : []),
          ...(request.email ? [{ email: request.email }] : []),
        ],
      },
    }),
  ]);
}

/** shop/redact: everything about the shop goes. Rows cascade from the Shop row. */
export async function redactShop(shopId: string, shopDomain: string): Promise<void> {
  await db().$transaction([
    db().session.deleteMany({ where: { shop: shopDomain } }),
    db().shop.delete({ where: { id: shopId } }),
  ]);
}
