import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "../../../app/server/crypto/secret-box.server";
import { signToken, verifyToken } from "../../../app/server/crypto/signed-token.server";

const key = randomBytes(32);

describe("secret box (AES-256-GCM)", () => {
  it("round-trips, with a fresh nonce each time", () => {
    const a = sealSecret('{"apiKey":"SG.secret"}', key, "shop_1");
    const b = sealSecret('{"apiKey":"SG.secret"}', key, "shop_1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("SG.secret");
    expect(openSecret(a, key, "shop_1")).toBe('{"apiKey":"SG.secret"}');
  });

  it("refuses another shop's ciphertext, a changed byte and another key", () => {
    const sealed = sealSecret("token", key, "shop_1");
    expect(() => openSecret(sealed, key, "shop_2")).toThrow(/cannot be decrypted/);
    const bytes = Buffer.from(sealed.slice(3), "base64");
    bytes[14] ^= 1;
    expect(() => openSecret(`v1:${bytes.toString("base64")}`, key, "shop_1")).toThrow(/cannot be decrypted/);
    expect(() => openSecret(sealed, randomBytes(32), "shop_1")).toThrow(/AVISA_ENCRYPTION_KEY changed/);
    expect(() => openSecret("plain", key, "shop_1")).toThrow(/format/);
  });
});

describe("signed tokens", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const later = new Date("2026-12-23T12:00:00Z");

  it("carries its data and checks purpose, signature and expiry", () => {
    const token = signToken(key, "unsubscribe", { contactId: "c1", channel: "email" }, later);
    expect(verifyToken(key, "unsubscribe", token, now)).toEqual({ ok: true, data: { contactId: "c1", channel: "email" } });
    expect(verifyToken(key, "review", token, now)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyToken(key, "unsubscribe", token, new Date("2027-01-01T00:00:00Z"))).toEqual({ ok: false, reason: "expired" });
    expect(verifyToken(randomBytes(32), "unsubscribe", token, now)).toEqual({ ok: false, reason: "bad_signature" });
    const [body, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ p: "unsubscribe", exp: 9e9, d: { contactId: "c2", channel: "email" } })).toString("base64url");
    expect(verifyToken(key, "unsubscribe", `${forged}.${signature}`, now)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyToken(key, "unsubscribe", body, now)).toEqual({ ok: false, reason: "malformed" });
  });
});
