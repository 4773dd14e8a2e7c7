import { describe, expect, it } from "vitest";
import { MAX_REVIEW_PHOTO_BYTES, MAX_REVIEW_PHOTOS, isWebUrl, reviewPhotoPath, sniffImageType } from "../../../app/domain/reviews/review-photo";

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0x24, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20]);
const ascii = (text: string) => new TextEncoder().encode(text);

describe("sniffImageType", () => {
  it("recognises JPEG, PNG and WebP by their first bytes", () => {
    expect(sniffImageType(JPEG)).toBe("image/jpeg");
    expect(sniffImageType(PNG)).toBe("image/png");
    expect(sniffImageType(WEBP)).toBe("image/webp");
  });

  it("refuses everything else, whatever it claims to be", () => {
    expect(sniffImageType(ascii("<!DOCTYPE html><script>alert(1)</script>"))).toBeNull();
    expect(sniffImageType(ascii("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffImageType(ascii("GIF89a......"))).toBeNull();
    expect(sniffImageType(ascii("%PDF-1.7"))).toBeNull();
    // A RIFF container that is not WebP (a WAV file).
    expect(sniffImageType(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]))).toBeNull();
  });

  it("refuses truncated signatures and empty input", () => {
    expect(sniffImageType(new Uint8Array())).toBeNull();
    expect(sniffImageType(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(sniffImageType(PNG.slice(0, 7))).toBeNull();
    expect(sniffImageType(WEBP.slice(0, 11))).toBeNull();
  });

  it("exports its limits", () => {
    expect(MAX_REVIEW_PHOTOS).toBe(3);
    expect(MAX_REVIEW_PHOTO_BYTES).toBe(2 * 1024 * 1024);
  });
});

describe("photo addresses", () => {
  it("serves stored photos through the app proxy", () => {
    expect(reviewPhotoPath("clx123")).toBe("/apps/avisa/photos/clx123");
    expect(reviewPhotoPath("../admin")).toBe("/apps/avisa/photos/..%2Fadmin");
  });

  it("accepts only absolute http(s) addresses for external photos", () => {
    expect(isWebUrl("https://judgeme.imgix.net/a.jpg")).toBe(true);
    expect(isWebUrl("http://cdn.example.com/a.png")).toBe(true);
    expect(isWebUrl("javascript:alert(1)")).toBe(false);
    expect(isWebUrl("data:image/png;base64,AAAA")).toBe(false);
    expect(isWebUrl("//cdn.example.com/a.png")).toBe(false);
    expect(isWebUrl("/apps/avisa/photos/1")).toBe(false);
    expect(isWebUrl("https://")).toBe(false);
  });
});
