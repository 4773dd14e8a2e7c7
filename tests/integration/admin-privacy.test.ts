// The Privacy requests page on real SQLite and PostgreSQL: the list and the export download go
// through the real route loaders and stay in the signed-in shop — another shop's request is a
// 404 exactly like an id that does not exist — and the export is a JSON attachment kept out of caches.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as downloadLoader } from "../../app/routes/app.privacy.$id";
import { loader as listLoader } from "../../app/routes/app.privacy";
import { DEMO_SHOP_DOMAIN } from "../../app/server/config.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

const BASE = "https://avisa.example.com";

async function call(handler: (args: LoaderFunctionArgs) => Promise<Response>, path: string, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await handler({ request: new Request(`${BASE}${path}`), params, context: {} } as LoaderFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe.each(databaseKinds())("privacy requests on %s", (kind) => {
  let test: TestDatabase;
  let mine: { id: string };
  let older: { id: string };
  let theirs: { id: string };

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    // The demo shop is the one the admin session opens.
    const shopA = (await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Loja A" } })).id;
    const shopB = (await test.db.shop.create({ data: { domain: "casa-b.myshopify.com", name: "Casa B" } })).id;
    older = await test.db.dataRequest.create({
      data: { shopId: shopA, shopifyCustomerId: "7300000000000000001", phone: "+5511987654321", export: '{"customer":"ana"}', createdAt: new Date("2026-02-01T10:00:00Z") },
    });
    mine = await test.db.dataRequest.create({
      data: { shopId: shopA, shopifyCustomerId: "7300000000000000002", email: "lucia@example.com", export: '{"customer":"lucia"}', createdAt: new Date("2026-03-01T10:00:00Z") },
    });
    theirs = await test.db.dataRequest.create({
      data: { shopId: shopB, shopifyCustomerId: "7300000000000000003", email: "bruno@casa-b.example", export: '{"customer":"bruno"}', createdAt: new Date("2026-03-02T10:00:00Z") },
    });
  });
  afterAll(async () => test?.drop());

  it("lists the signed-in shop's requests only, newest first, without the exports themselves", async () => {
    const response = await call(listLoader, "/app/privacy");
    expect(response.status).toBe(200);
    const { requests } = (await response.json()) as { requests: Array<Record<string, unknown>> };
    expect(requests.map((r) => r.id)).toEqual([mine.id, older.id]);
    expect(requests[0]).toEqual({ id: mine.id, shopifyCustomerId: "7300000000000000002", email: "lucia@example.com", phone: null, createdAt: "2026-03-01T10:00:00.000Z" });
    expect(JSON.stringify(requests)).not.toContain("bruno");
  });

  it("downloads the shop's own export as a JSON attachment that no cache keeps", async () => {
    const response = await call(downloadLoader, `/app/privacy/${mine.id}`, { id: mine.id });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="avisa-customer-export-${mine.id}.json"`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(await response.text()).toBe('{"customer":"lucia"}');
  });

  it("answers 404 for another shop's request, exactly as for an id that does not exist", async () => {
    const other = await call(downloadLoader, `/app/privacy/${theirs.id}`, { id: theirs.id });
    const missing = await call(downloadLoader, "/app/privacy/no-such-id", { id: "no-such-id" });
    for (const response of [other, missing]) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("No data request with that id for this shop.");
    }
  });
});
