// "Send a test message": the merchant sees exactly what a shopper would receive, through the
// same provider interface real messages use.
import type { Channel } from "../../domain/ports";
import { services } from "../container.server";

export async function sendTestMessage(shop: { id: string; name: string; email: string | null }, channel: Channel, to: string | null) {
  const provider = services().outbox[channel];
  const recipient = to || (channel === "email" ? (shop.email ?? "merchant@example.com") : "+15555550100");
  const greeting = `This is a test message from Avisa for ${shop.name}.`;
  return provider.send({
    shopId: shop.id,
    channel,
    to: recipient,
    subject: channel === "email" ? `Avisa test email for ${shop.name}` : undefined,
    html: channel === "email" ? `<!doctype html><html><body style="font-family:sans-serif;padding:24px"><h1 style="font-size:20px">${escapeHtml(shop.name)}</h1><p>${escapeHtml(greeting)}</p><p>Messages to your shoppers will look like this, in their own language.</p></body></html>` : undefined,
    text: greeting,
    metadata: { kind: "test" },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
