// Signed, expiring tokens for links in messages (unsubscribe, review, survey): the link carries
// what it is about, so no lookup table is needed, and nobody can forge or alter one. Format:
// base64url(JSON payload) + "." + base64url(HMAC-SHA256(purpose + "." + payload)).
import { createHmac, timingSafeEqual } from "node:crypto";

/** Shopper links in messages, and admin links an <img> or a download must carry (no session token there). */
export type TokenPurpose = "unsubscribe" | "review" | "survey" | "review-photo" | "reviews-export" | "data-export";

type Envelope<T> = { p: TokenPurpose; exp: number; d: T };

function mac(key: Buffer, purpose: TokenPurpose, body: string): Buffer {
  return createHmac("sha256", key).update(`${purpose}.${body}`).digest();
}

export function signToken<T>(key: Buffer, purpose: TokenPurpose, data: T, expiresAt: Date): string {
  const body = Buffer.from(JSON.stringify({ p: purpose, exp: Math.floor(expiresAt.getTime() / 1000), d: data } satisfies Envelope<T>)).toString("base64url");
  return `${body}.${mac(key, purpose, body).toString("base64url")}`;
}

export type TokenCheck<T> = { ok: true; data: T } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export function verifyToken<T>(key: Buffer, purpose: TokenPurpose, token: string, now: Date): TokenCheck<T> {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
  const given = Buffer.from(signature, "base64url");
  const expected = mac(key, purpose, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  let envelope: Envelope<T>;
  try {
    envelope = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Envelope<T>;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (envelope.p !== purpose) return { ok: false, reason: "bad_signature" };
  if (envelope.exp * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, data: envelope.d };
}
