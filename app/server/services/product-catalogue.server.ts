// Product facts messages need (title, link, image, tags, description) from the Admin GraphQL
// API, with a short in-memory cache: a burst of shipping updates for one bestseller costs one
// call. A failed lookup degrades to what the order itself says (title, no image), never
// stopping a send.
import type { AdminGraphql } from "../../domain/ports";

export type ProductFacts = { id: string; title: string; handle: string; url: string | null; imageUrl: string | null; tags: string[]; description: string };

const CACHE_MS = 10 * 60 * 1000;
const cache = new Map<string, { facts: ProductFacts | null; expiresAt: number }>();

const PRODUCT_FIELDS = "title handle onlineStoreUrl tags description(truncateAt: 600) featuredImage { url }";

export async function productFacts(shopDomain: string, productIds: string[], graphql: () => Promise<AdminGraphql>): Promise<Map<string, ProductFacts>> {
  const found = new Map<string, ProductFacts>();
  const missing: string[] = [];
  for (const id of new Set(productIds)) {
    const hit = cache.get(`${shopDomain}:${id}`);
    if (hit && hit.expiresAt > Date.now()) {
      if (hit.facts) found.set(id, hit.facts);
    } else missing.push(id);
  }
  if (missing.length === 0) return found;

  // One request, one alias per product: works the same on Shopify and on the demo store's API.
  const query = `query AvisaProducts { ${missing.map((id, i) => `p${i}: product(id: "gid://shopify/Product/${id.replace(/\D/g, "")}") { ${PRODUCT_FIELDS} }`).join(" ")} }`;
  type ProductNode = { title: string; handle: string; onlineStoreUrl: string | null; tags: string[]; description: string; featuredImage: { url: string } | null } | null;
  const response = await (await graphql())<Record<string, ProductNode>>(query);
  missing.forEach((id, i) => {
    const node = response.data?.[`p${i}`] ?? null;
    const facts = node
      ? { id, title: node.title, handle: node.handle, url: node.onlineStoreUrl, imageUrl: node.featuredImage?.url ?? null, tags: node.tags, description: node.description }
      : null;
    cache.set(`${shopDomain}:${id}`, { facts, expiresAt: Date.now() + CACHE_MS });
    if (facts) found.set(id, facts);
  });
  return found;
}
