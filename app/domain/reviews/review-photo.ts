// Shoppers' review photos. What a file is comes from its first bytes, never from the name or
// the declared Content-Type: both are chosen by the sender, so "photo.png" / image/png can be
// an HTML page that would run as a page on the shop's domain if it were served back as-is.

export const REVIEW_PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ReviewPhotoType = (typeof REVIEW_PHOTO_TYPES)[number];

/** At most this many photos on one review. */
export const MAX_REVIEW_PHOTOS = 3;
/** Bytes per photo (2 MiB): a phone photo re-encoded by the browser fits; a RAW file does not. */
export const MAX_REVIEW_PHOTO_BYTES = 2 * 1024 * 1024;

/** Where the app proxy serves a stored photo; the storefront reaches it on the shop's own domain. */
export const REVIEW_PHOTO_PATH = "/apps/avisa/photos/";

export function reviewPhotoPath(photoId: string): string {
  return `${REVIEW_PHOTO_PATH}${encodeURIComponent(photoId)}`;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

/**
 * The image type the bytes really are, or null. JPEG: FF D8 FF. PNG: the 8-byte signature
 * 89 "PNG" 0D 0A 1A 0A. WebP: a RIFF container whose form type (bytes 8–11) is "WEBP".
 */
export function sniffImageType(bytes: Uint8Array): ReviewPhotoType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

/** True for an absolute http(s) URL: the only kind of external photo address a page may load. */
export function isWebUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}
