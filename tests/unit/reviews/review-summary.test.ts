import { describe, expect, it } from "vitest";
import {
  SNAPSHOT_MAX_BYTES,
  buildReviewSnapshot,
  dateInZone,
  displayAuthorName,
  fitSnapshot,
  productJsonLd,
  ratingMetafields,
  reviewMetafieldValues,
  reviewPage,
  scriptSafeJson,
  sortReviews,
  summarizeReviews,
  type PublishedReview,
} from "../../../app/domain/reviews/review-summary";

const PRODUCT = "8100000000000017";
let sequence = 0;
const review = (over: Partial<PublishedReview> = {}): PublishedReview => {
  sequence += 1;
  return {
    id: `r${String(sequence).padStart(3, "0")}`,
    rating: 5,
    title: null,
    body: "Good.",
    authorName: "Lucía Ramírez",
    verifiedBuyer: false,
    featured: false,
    createdAt: new Date(Date.UTC(2025, 0, sequence, 12)),
    replyBody: null,
    repliedAt: null,
    photos: [],
    ...over,
  };
};
const ratings = (...values: number[]) => values.map((rating) => review({ rating }));
const page = (reviews: PublishedReview[], over: Partial<Parameters<typeof reviewPage>[1]> = {}) =>
  reviewPage(reviews, { productId: PRODUCT, zone: "America/Mexico_City", productTitle: "Camisa de lino", productUrl: "https://tienda.example/products/camisa", ...over });

describe("summarizeReviews", () => {
  it("averages to one decimal and counts by star", () => {
    const summary = summarizeReviews(ratings(5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 3, 1));
    expect(summary.average).toBe(4.3); // 52 / 12 = 4.333…
    expect(summary.count).toBe(12);
    expect(summary.distribution.map((row) => [row.stars, row.count])).toEqual([[5, 8], [4, 2], [3, 1], [2, 0], [1, 1]]);
  });

  it("rounds halves up without floating-point surprises", () => {
    expect(summarizeReviews(ratings(5, 4)).average).toBe(4.5);
    expect(summarizeReviews(ratings(5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4)).average).toBe(4.1); // 4.05 → 4.1
    expect(summarizeReviews(ratings(1, 1, 2)).average).toBe(1.3);
  });

  it("gives whole percents that add up to 100", () => {
    const thirds = summarizeReviews(ratings(5, 4, 3));
    expect(thirds.distribution.map((row) => row.percent)).toEqual([34, 33, 33, 0, 0]);
    const spread = summarizeReviews(ratings(5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 3, 1));
    expect(spread.distribution.map((row) => row.percent)).toEqual([67, 17, 8, 0, 8]);
    for (let n = 1; n <= 40; n++) {
      const summary = summarizeReviews(Array.from({ length: n }, (_, i) => review({ rating: (i % 5) + 1 })));
      expect(summary.distribution.reduce((sum, row) => sum + row.percent, 0)).toBe(100);
      for (const row of summary.distribution) expect(Number.isInteger(row.percent)).toBe(true);
    }
  });

  it("is all zeros with no reviews", () => {
    expect(summarizeReviews([])).toEqual({
      average: 0,
      count: 0,
      distribution: [5, 4, 3, 2, 1].map((stars) => ({ stars, count: 0, percent: 0 })),
    });
  });
});

describe("displayAuthorName", () => {
  it.each([
    ["Lucía Ramírez", "Lucía R."],
    ["lucía ramírez", "lucía R."],
    ["María José García López", "María L."],
    ["Cher", "Cher"],
    ["  João   da   Silva ", "João S."],
    ["Ñandú Ñúñez", "Ñandú Ñ."],
    ["lucia@example.com", ""],
    ["Lucía lucia@example.com", "Lucía"],
    ["", ""],
    ["Ana (Óscar)", "Ana Ó."],
  ])("%j → %j", (name, shown) => {
    expect(displayAuthorName(name)).toBe(shown);
  });
});

describe("dateInZone", () => {
  it("uses the shop's calendar day", () => {
    const lateEvening = new Date("2025-03-02T03:30:00Z"); // 1 March, 21:30 in Mexico City
    expect(dateInZone(lateEvening, "America/Mexico_City")).toBe("2025-03-01");
    expect(dateInZone(lateEvening, "Europe/Madrid")).toBe("2025-03-02");
    expect(dateInZone(lateEvening, "UTC")).toBe("2025-03-02");
  });

  it("falls back to UTC for a missing or unknown zone", () => {
    const date = new Date("2025-03-02T03:30:00Z");
    expect(dateInZone(date, null)).toBe("2025-03-02");
    expect(dateInZone(date, "Mars/Olympus_Mons")).toBe("2025-03-02");
  });
});

describe("sorting and pages", () => {
  const list = [
    review({ id: "a", rating: 3, createdAt: new Date("2025-01-01T00:00:00Z") }),
    review({ id: "b", rating: 5, createdAt: new Date("2025-01-02T00:00:00Z"), photos: [{ id: "p1", url: null }] }),
    review({ id: "c", rating: 1, createdAt: new Date("2025-01-03T00:00:00Z") }),
    review({ id: "d", rating: 5, createdAt: new Date("2025-01-04T00:00:00Z") }),
    review({ id: "e", rating: 2, createdAt: new Date("2025-01-05T00:00:00Z"), photos: [{ id: "p2", url: null }] }),
  ];
  const ids = (reviews: PublishedReview[]) => reviews.map((r) => r.id);

  it("sorts every way", () => {
    expect(ids(sortReviews(list, "newest"))).toEqual(["e", "d", "c", "b", "a"]);
    expect(ids(sortReviews(list, "oldest"))).toEqual(["a", "b", "c", "d", "e"]);
    expect(ids(sortReviews(list, "highest"))).toEqual(["d", "b", "a", "e", "c"]);
    expect(ids(sortReviews(list, "lowest"))).toEqual(["c", "e", "a", "d", "b"]);
    expect(ids(sortReviews(list, "with_photos"))).toEqual(["e", "b", "d", "c", "a"]);
  });

  it("puts featured reviews first in the default sort only, at most one page of them, without repeating them later", () => {
    const many = Array.from({ length: 12 }, (_, i) => review({ id: `x${String(i).padStart(2, "0")}`, createdAt: new Date(Date.UTC(2025, 1, i + 1)), featured: i < 7 }));
    const first = page(many, { pageSize: 5 });
    expect(first.reviews.map((r) => r.id)).toEqual(["x06", "x05", "x04", "x03", "x02"]);
    expect(first.reviews.every((r) => r.featured)).toBe(true);
    const second = page(many, { pageSize: 5, page: 2 });
    const third = page(many, { pageSize: 5, page: 3 });
    const all = [...first.reviews, ...second.reviews, ...third.reviews].map((r) => r.id);
    expect(new Set(all).size).toBe(12);
    expect(second.reviews[0].id).toBe("x11"); // the rest by date, the extra featured ones in their place
    expect(page(many, { sort: "oldest" }).reviews[0].id).toBe("x00");
  });

  it("clamps the page and falls back to the default sort and page size", () => {
    const twelve = Array.from({ length: 12 }, () => review());
    expect(page(twelve).pages).toBe(3);
    expect(page(twelve).page_size).toBe(5);
    expect(page(twelve, { page: 0 }).page).toBe(1);
    expect(page(twelve, { page: -4 }).page).toBe(1);
    expect(page(twelve, { page: 99 }).page).toBe(3);
    expect(page(twelve, { page: "2" }).page).toBe(2);
    expect(page(twelve, { page: "abc" }).page).toBe(1);
    expect(page(twelve, { page: "1e9" }).page).toBe(1);
    expect(page(twelve, { page: 99 }).reviews).toHaveLength(2);
    expect(page(twelve, { sort: "random" }).sort).toBe("newest");
    expect(page(twelve, { pageSize: 1000 }).page_size).toBe(20);
    expect(page(twelve, { pageSize: 0 }).page_size).toBe(1);
    expect(page([], { page: 5 })).toMatchObject({ page: 1, pages: 1, count: 0, reviews: [] });
  });
});

describe("the snapshot", () => {
  it("matches the storefront contract", () => {
    const reviews = [
      review({
        id: "rv1",
        rating: 4,
        title: "Muy buena",
        body: "La tela es suave.",
        authorName: "Lucía Ramírez",
        verifiedBuyer: true,
        createdAt: new Date("2025-03-02T03:30:00Z"),
        replyBody: "¡Gracias, Lucía!",
        repliedAt: new Date("2025-03-03T15:00:00Z"),
        photos: [{ id: "ph1", url: null }, { id: "ph2", url: "https://judgeme.imgix.net/a.jpg" }, { id: "ph3", url: "javascript:alert(1)" }],
      }),
    ];
    const snapshot = buildReviewSnapshot(reviews, { productId: PRODUCT, zone: "America/Mexico_City", productTitle: "Camisa", locale: "es" });
    expect(snapshot).toEqual({
      version: 1,
      product_id: PRODUCT,
      average: 4,
      count: 1,
      distribution: [
        { stars: 5, count: 0, percent: 0 },
        { stars: 4, count: 1, percent: 100 },
        { stars: 3, count: 0, percent: 0 },
        { stars: 2, count: 0, percent: 0 },
        { stars: 1, count: 0, percent: 0 },
      ],
      page: 1,
      page_size: 5,
      pages: 1,
      sort: "newest",
      reviews: [
        {
          id: "rv1",
          rating: 4,
          title: "Muy buena",
          body: "La tela es suave.",
          author: "Lucía R.",
          date: "2025-03-01",
          verified: true,
          featured: false,
          photos: [
            { url: "/apps/avisa/photos/ph1", alt: "Foto 1 de Lucía R." },
            { url: "https://judgeme.imgix.net/a.jpg", alt: "Foto 2 de Lucía R." },
          ],
          reply: { body: "¡Gracias, Lucía!", date: "2025-03-03" },
        },
      ],
      jsonld: expect.any(String),
    });
  });

  it("never shows the reviewer's email", () => {
    const snapshot = page([review({ authorName: "lucia@example.com" })]);
    expect(JSON.stringify(snapshot)).not.toContain("lucia@example.com");
    expect(snapshot.reviews[0].author).toBe("");
    expect(snapshot.reviews[0].photos).toEqual([]);
  });

  it("stays under Shopify's 128 KB JSON metafield cap with huge emoji reviews", () => {
    const huge = Array.from({ length: 12 }, () => review({ body: "🙂".repeat(5000), title: "🙂".repeat(150), replyBody: "🙂".repeat(2000), repliedAt: new Date() }));
    const raw = page(huge);
    expect(new TextEncoder().encode(JSON.stringify(raw)).byteLength).toBeGreaterThan(SNAPSHOT_MAX_BYTES);
    const fitted = buildReviewSnapshot(huge, { productId: PRODUCT, productTitle: "Camisa" });
    expect(new TextEncoder().encode(JSON.stringify(fitted)).byteLength).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES);
    expect(fitted.count).toBe(12);
    expect(JSON.parse(fitted.jsonld).aggregateRating.reviewCount).toBe(12);
    // A snapshot that already fits is returned unchanged.
    const small = page([review()]);
    expect(fitSnapshot(small)).toBe(small);
  });
});

describe("JSON-LD", () => {
  it("describes the product with its aggregate rating and up to 10 reviews", () => {
    const reviews = Array.from({ length: 12 }, (_, i) => review({ rating: i % 2 ? 4 : 5, title: i === 0 ? "Top" : null, createdAt: new Date(Date.UTC(2025, 2, i + 1, 12)) }));
    const data = JSON.parse(page(reviews).jsonld);
    expect(data).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Product",
      name: "Camisa de lino",
      url: "https://tienda.example/products/camisa",
      aggregateRating: { "@type": "AggregateRating", ratingValue: 4.5, reviewCount: 12, bestRating: 5, worstRating: 1 },
    });
    expect(data.review).toHaveLength(10);
    expect(data.review[0]).toEqual({
      "@type": "Review",
      author: { "@type": "Person", name: "Lucía R." },
      datePublished: "2025-03-12",
      reviewBody: "Good.",
      reviewRating: { "@type": "Rating", ratingValue: 4, bestRating: 5, worstRating: 1 },
    });
    expect(data.review.at(-1).name).toBeUndefined();
    expect(JSON.parse(page(reviews, { sort: "oldest", page: 2 }).jsonld)).toEqual(data); // same whatever page is asked
  });

  it("is empty without reviews or without a product name, and drops an unsafe url", () => {
    expect(page([]).jsonld).toBe("");
    expect(page([review()], { productTitle: null }).jsonld).toBe("");
    expect(JSON.parse(page([review()], { productUrl: "javascript:alert(1)" }).jsonld).url).toBeUndefined();
  });

  it("leaves out reviews whose author cannot be shown but still counts them", () => {
    const data = JSON.parse(page([review({ authorName: "x@example.com" }), review()]).jsonld);
    expect(data.aggregateRating.reviewCount).toBe(2);
    expect(data.review).toHaveLength(1);
  });

  it("is safe to print raw inside a script element", () => {
    const body = 'Great </script><script>alert("x")</script> & <!-- --> \u2028\u2029 done';
    const jsonld = page([review({ body, title: "<b>Bold</b>", authorName: "Ana <img src=x onerror=alert(1)> Lopez" })]).jsonld;
    expect(jsonld).not.toMatch(/[<>&\u2028\u2029]/);
    const data = JSON.parse(jsonld);
    expect(data.review[0].reviewBody).toBe(body);
    expect(data.review[0].name).toBe("<b>Bold</b>");
    expect(scriptSafeJson({ a: "</script>" })).toBe('{"a":"\\u003c/script\\u003e"}');
    expect(JSON.parse(scriptSafeJson({ a: "</script>&\u2028" }))).toEqual({ a: "</script>&\u2028" });
  });

  it("shortens very long bodies", () => {
    const ordered = [review({ body: "a".repeat(3000) })];
    const data = JSON.parse(productJsonLd(ordered, summarizeReviews(ordered), { productTitle: "P" }));
    expect(data.review[0].reviewBody).toBe(`${"a".repeat(1000)}…`);
  });
});

describe("metafields", () => {
  it("writes Shopify's standard rating and count", () => {
    expect(ratingMetafields({ average: 4.6, count: 12 })).toEqual({
      rating: { namespace: "reviews", key: "rating", type: "rating", value: '{"value":"4.6","scale_min":"1.0","scale_max":"5.0"}' },
      ratingCount: { namespace: "reviews", key: "rating_count", type: "number_integer", value: "12" },
    });
    expect(ratingMetafields({ average: 4, count: 1 }).rating?.value).toBe('{"value":"4.0","scale_min":"1.0","scale_max":"5.0"}');
  });

  it("says there is no rating when nothing is published: count 0, rating deleted", () => {
    expect(ratingMetafields({ average: 0, count: 0 })).toEqual({
      rating: null,
      ratingCount: { namespace: "reviews", key: "rating_count", type: "number_integer", value: "0" },
    });
    const values = reviewMetafieldValues(page([]));
    expect(values.delete).toEqual([{ namespace: "reviews", key: "rating" }]);
    expect(values.set.map((field) => `${field.namespace}.${field.key}`)).toEqual(["avisa.reviews", "reviews.rating_count"]);
  });

  it("writes the snapshot, the count and the rating for a reviewed product", () => {
    const snapshot = page(ratings(5, 4));
    const values = reviewMetafieldValues(snapshot);
    expect(values.delete).toEqual([]);
    expect(values.set).toEqual([
      { namespace: "avisa", key: "reviews", type: "json", value: JSON.stringify(snapshot) },
      { namespace: "reviews", key: "rating_count", type: "number_integer", value: "2" },
      { namespace: "reviews", key: "rating", type: "rating", value: '{"value":"4.5","scale_min":"1.0","scale_max":"5.0"}' },
    ]);
  });
});
