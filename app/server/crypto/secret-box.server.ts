// Shop credentials at rest: AES-256-GCM with a random 96-bit nonce per value and the shop id as
// associated data, so a ciphertext copied onto another shop's row does not decrypt. The key
// comes from AVISA_ENCRYPTION_KEY; the stored form is "v1:" + base64(nonce | ciphertext | tag).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";

export function sealSecret(plaintext: string, key: Buffer, associatedData: string): string {
  if (key.length !== 32) throw new Error("the encryption key must be 32 bytes");
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString("base64")}`;
}

export function openSecret(sealed: string, key: Buffer, associatedData: string): string {
  const [version, body] = sealed.split(":");
  if (version !== VERSION || !body) throw new Error("stored credentials are not in a format this version of Avisa can read");
  const bytes = Buffer.from(body, "base64");
  if (bytes.length < 12 + 16) throw new Error("stored credentials are truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("stored credentials cannot be decrypted: AVISA_ENCRYPTION_KEY changed, or the value was tampered with");
  }
}
