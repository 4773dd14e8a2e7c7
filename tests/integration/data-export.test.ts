// Settings > Data export on real SQLite and PostgreSQL: the contacts, consent ledger and messages
// CSV files through the real route loader (signed links and the admin session), exact rows with
// RFC 4180 quoting and formula neutralising, nothing of another shop, keyset pages of 1,000
// rows, and the links the Settings page's loader signs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as reviewsExportLoader } from "../../app/routes/app.reviews.export";
import { loader as exportLoader } from "../../app/routes/app.settings.export.$kind";
import { loader as settingsLoader } from "../../app/routes/app.settings";
import { DEMO_SHOP_DOMAIN } from "../../app/server/config.server";
import type { Database } from "../../app/server/db.server";
import { signAdminLink } from "../../app/server/services/admin-review-queries.server";
import { dataExportCsv, dataExportLinks, DATA_EXPORT_KINDS, type DataExportKind } from "../../app/server/services/data-export.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

const BASE = "https://avisa.example.com";
const BOM = "\ufeff";
const BULK = 2345;

async function call(handler: (args: LoaderFunctionArgs) => Promise<Response> | Response, path: string, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await handler({ request: new Request(`${BASE}${path}`), params, context: {} } as LoaderFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const exportOf = (path: string) => call(exportLoader, path, { kind: new URL(`${BASE}${path}`).pathname.split("/").at(-1)! });
const csv = (...lines: string[]) => `${BOM}${lines.map((line) => `${line}\r\n`).join("")}`;
const at = (iso: string) => new Date(iso);

async function collect(pieces: AsyncGenerator<string, void, undefined>): Promise<string> {
  let text = "";
  for await (const piece of pieces) text += piece;
  return text;
}

describe.each(databaseKinds())("data export on %s", (kind) => {
  let test: TestDatabase;
  let shopA: string; // the demo shop: the admin session without a link opens it
  let shopB: string;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    useDatabase(test.db);
    shopA = (await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Loja A" } })).id;
    shopB = (await test.db.shop.create({ data: { domain: "casa-b.myshopify.com", name: "Casa B" } })).id;

    await test.db.contact.createMany({
      data: [
        {
          id: "ct_ana", shopId: shopA, shopifyCustomerId: "7300000000000000001", firstName: 'Ana "Nina"', lastName: "Souza, Lima", email: "ana@example.com",
          phone: "+5511987654321", locale: "pt-BR", timeZone: "America/Sao_Paulo", countryCode: "BR", provinceCode: "SP", createdAt: at("2026-01-05T10:00:00Z"),
        },
        // Same created time as Lucía: the id breaks the tie.
        { id: "ct_lucia", shopId: shopA, firstName: "Lucía", lastName: "Hernández", email: "lucia@example.com", locale: "es", countryCode: "MX", createdAt: at("2026-01-06T09:30:00Z") },
        { id: "ct_evil", shopId: shopA, firstName: "=cmd|' /C calc'!A0", lastName: "Line one\nline two", email: "evil@example.com", createdAt: at("2026-01-06T09:30:00Z") },
        { id: "ct_bruno", shopId: shopB, firstName: "Bruno", email: "bruno@casa-b.example", createdAt: at("2026-01-04T08:00:00Z") },
      ],
    });
    // Recorded out of order on purpose: the file is oldest first.
    await test.db.consentRecord.createMany({
      data: [
        { shopId: shopA, contactId: "ct_ana", channel: "email", state: "unsubscribed", source: "unsubscribe_link", recordedAt: at("2026-01-08T18:00:00Z") },
        { shopId: shopA, contactId: "ct_ana", channel: "email", state: "subscribed", source: "checkout", recordedAt: at("2026-01-05T10:00:01Z") },
        { shopId: shopA, contactId: "ct_lucia", channel: "whatsapp", state: "subscribed", source: "inbound, keyword", recordedAt: at("2026-01-07T12:00:00Z") },
        { shopId: shopA, contactId: "ct_ana", channel: "sms", state: "subscribed", source: "checkout", recordedAt: at("2026-01-05T10:00:02Z") },
        { shopId: shopB, contactId: "ct_bruno", channel: "email", state: "subscribed", source: "checkout", recordedAt: at("2026-01-05T10:00:03Z") },
      ],
    });
    await test.db.message.createMany({
      data: [
        {
          shopId: shopA, contactId: "ct_ana", idempotencyKey: "a|1", automation: "order_confirmation", step: 0, purpose: "transactional", channel: "email", recipient: "ana@example.com",
          status: "delivered", runAt: at("2026-01-05T10:05:00Z"), sentAt: at("2026-01-05T10:05:03Z"), locale: "pt-BR", externalId: "sg-1", deliveredAt: at("2026-01-05T10:05:09Z"),
          openedAt: at("2026-01-05T11:00:00Z"), clickedAt: at("2026-01-05T11:01:00Z"), createdAt: at("2026-01-05T10:05:00Z"),
        },
        {
          shopId: shopA, contactId: "ct_lucia", idempotencyKey: "a|3", automation: "cart_recovery", step: 2, purpose: "marketing", channel: "sms", recipient: "+525512345678",
          status: "failed", error: 'Twilio 21610: "unsubscribed"', runAt: at("2026-01-06T13:00:00Z"), locale: "es", createdAt: at("2026-01-06T13:00:00Z"),
        },
        {
          shopId: shopA, contactId: "ct_lucia", idempotencyKey: "a|2", automation: "cart_recovery", step: 1, purpose: "marketing", channel: "whatsapp", recipient: "+525512345678",
          status: "deferred", statusReason: "quiet hours, recipient zone", error: "ignored when there is a reason", runAt: at("2026-01-07T09:00:00Z"), locale: "es", createdAt: at("2026-01-06T12:00:00Z"),
        },
        {
          shopId: shopB, contactId: "ct_bruno", idempotencyKey: "b|1", automation: "order_confirmation", purpose: "transactional", channel: "email", recipient: "bruno@casa-b.example",
          status: "sent", runAt: at("2026-01-05T09:00:00Z"), createdAt: at("2026-01-05T09:00:00Z"),
        },
      ],
    });
    // Shop B is big: more than two pages, with many contacts sharing a created time.
    await test.db.contact.createMany({
      data: Array.from({ length: BULK }, (_, i) => ({
        id: `bulk_${String(BULK - i).padStart(5, "0")}`,
        shopId: shopB,
        email: `shopper${i}@casa-b.example`,
        createdAt: new Date(Date.UTC(2026, 1, 1) + Math.floor(i / 7) * 1000),
      })),
    });
  });

  afterAll(async () => {
    await test?.drop();
  });

  const linksOf = (shopId: string) => dataExportLinks(shopId, new Date());

  it("exports the shop's contacts, quoted, neutralised and in created order, with a BOM and a dated file name", async () => {
    const response = await exportOf(linksOf(shopA).contacts);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="avisa-contacts-avisa-demo-${new Date().toISOString().slice(0, 10)}.csv"`);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text).toBe(
      csv(
        "id,shopify_customer_id,first_name,last_name,email,phone,locale,time_zone,country,province,created_at",
        `ct_ana,7300000000000000001,"Ana ""Nina""","Souza, Lima",ana@example.com,'+5511987654321,pt-BR,America/Sao_Paulo,BR,SP,2026-01-05T10:00:00.000Z`,
        `ct_evil,,'=cmd|' /C calc'!A0,"Line one\nline two",evil@example.com,,,,,,2026-01-06T09:30:00.000Z`,
        "ct_lucia,,Lucía,Hernández,lucia@example.com,,es,,MX,,2026-01-06T09:30:00.000Z",
      ),
    );
    expect(text).not.toContain("bruno");
    expect(text).not.toContain("casa-b");
  });

  it("exports the consent ledger oldest first, with each contact's email and phone", async () => {
    const response = await exportOf(linksOf(shopA).consent);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="avisa-consent-avisa-demo-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer())).toBe(
      csv(
        "contact_id,contact_email,contact_phone,channel,state,source,recorded_at",
        "ct_ana,ana@example.com,'+5511987654321,email,subscribed,checkout,2026-01-05T10:00:01.000Z",
        "ct_ana,ana@example.com,'+5511987654321,sms,subscribed,checkout,2026-01-05T10:00:02.000Z",
        `ct_lucia,lucia@example.com,,whatsapp,subscribed,"inbound, keyword",2026-01-07T12:00:00.000Z`,
        "ct_ana,ana@example.com,'+5511987654321,email,unsubscribed,unsubscribe_link,2026-01-08T18:00:00.000Z",
      ),
    );
  });

  it("exports the messages in created order, the reason falling back to the error", async () => {
    const response = await exportOf(linksOf(shopA).messages);
    expect(response.status).toBe(200);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer())).toBe(
      csv(
        "created_at,run_at,sent_at,automation,step,channel,recipient,status,reason,locale,external_id,delivered_at,opened_at,clicked_at",
        "2026-01-05T10:05:00.000Z,2026-01-05T10:05:00.000Z,2026-01-05T10:05:03.000Z,order_confirmation,0,email,ana@example.com,delivered,,pt-BR,sg-1,2026-01-05T10:05:09.000Z,2026-01-05T11:00:00.000Z,2026-01-05T11:01:00.000Z",
        `2026-01-06T12:00:00.000Z,2026-01-07T09:00:00.000Z,,cart_recovery,1,whatsapp,'+525512345678,deferred,"quiet hours, recipient zone",es,,,,`,
        `2026-01-06T13:00:00.000Z,2026-01-06T13:00:00.000Z,,cart_recovery,2,sms,'+525512345678,failed,"Twilio 21610: ""unsubscribed""",es,,,,`,
      ),
    );
  });

  it("reads a big shop in pages of 1,000 rows, every row once and in order", async () => {
    const takes: number[] = [];
    const counting = { contact: { findMany: (args: Parameters<Database["contact"]["findMany"]>[0]) => (takes.push(args?.take ?? -1), test.db.contact.findMany(args)) } } as unknown as Database;
    const text = await collect(dataExportCsv(counting, shopB, "contacts"));
    expect(takes).toEqual([1000, 1000, 1000]); // 1,000 + 1,000 + 346 (the last page comes back short)
    const ids = text.slice(1).split("\r\n").slice(1, -1).map((line) => line.split(",")[0]);
    const bulk = Array.from({ length: BULK }, (_, i) => ({ id: `bulk_${String(BULK - i).padStart(5, "0")}`, second: Math.floor(i / 7) }))
      .sort((a, b) => a.second - b.second || (a.id < b.id ? -1 : 1))
      .map((row) => row.id);
    expect(ids).toEqual(["ct_bruno", ...bulk]);
    expect(new Set(ids).size).toBe(BULK + 1);

    // The same file through the route, and none of it in shop A's.
    const response = await exportOf(linksOf(shopB).contacts);
    expect(response.headers.get("Content-Disposition")).toMatch(/filename="avisa-contacts-casa-b-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer())).toBe(text);
    expect(await (await exportOf(linksOf(shopA).contacts)).text()).not.toContain("bulk_");
  });

  it.each(DATA_EXPORT_KINDS)("gives the same %s file whatever the page size (the cursor of every kind)", async (exportKind: DataExportKind) => {
    // Shop B's 2,346 contacts in pages that end inside a group sharing one created time.
    for (const [shopId, sizes] of [[shopA, [1, 2]], [shopB, [2, 999, 1173]]] as const) {
      const whole = await collect(dataExportCsv(test.db, shopId, exportKind));
      for (const size of sizes) {
        if (shopId === shopB && exportKind === "contacts" && size < 100) continue;
        expect(await collect(dataExportCsv(test.db, shopId, exportKind, size)), `${size}`).toBe(whole);
      }
    }
  });

  it("answers 404 for an unknown kind", async () => {
    const token = new URL(`${BASE}${linksOf(shopA).contacts}`).searchParams.get("t")!;
    for (const unknown of ["orders", "reviews", "contacts.csv", ""]) {
      const response = await call(exportLoader, `/app/settings/export/${unknown}?t=${encodeURIComponent(token)}`, { kind: unknown });
      expect(response.status, unknown).toBe(404);
    }
  });

  it("answers 403 for a forged, altered, expired or misdirected link", async () => {
    const token = new URL(`${BASE}${linksOf(shopA).contacts}`).searchParams.get("t")!;
    const [body, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), d: { s: shopB, x: "contacts" } })).toString("base64url");
    const bad = [
      "nonsense",
      `${forged}.${signature}`, // shop B's rows with shop A's signature
      `${body}.${signature.slice(0, -2)}AA`,
      token.replace(/^./, (c) => (c === "e" ? "f" : "e")),
      signAdminLink("reviews-export", "export", shopA, new Date(Date.now() + 3_600_000)), // another purpose
    ];
    for (const t of bad) {
      const response = await call(exportLoader, `/app/settings/export/contacts?t=${encodeURIComponent(t)}`, { kind: "contacts" });
      expect(response.status, t).toBe(403);
      expect(await response.text()).toBe("This export link is not valid.");
    }
    // A link for contacts opens contacts only.
    const misdirected = await call(exportLoader, `/app/settings/export/messages?t=${encodeURIComponent(token)}`, { kind: "messages" });
    expect(misdirected.status).toBe(403);

    const expired = signAdminLink("data-export", "contacts", shopA, new Date(Date.now() - 60_000));
    const response = await call(exportLoader, `/app/settings/export/contacts?t=${encodeURIComponent(expired)}`, { kind: "contacts" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("expired");
  });

  it("without a link, exports the signed-in admin's shop", async () => {
    const response = await call(exportLoader, "/app/settings/export/contacts", { kind: "contacts" });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("ct_ana");
    expect(text).not.toContain("bruno");
  });

  it("the Settings page carries a signed link for every file, the reviews one included", async () => {
    const response = await call(settingsLoader, "/app/settings");
    const { exportLinks } = (await response.json()) as { exportLinks: Record<DataExportKind | "reviews", string> };
    expect(Object.keys(exportLinks).sort()).toEqual(["consent", "contacts", "messages", "reviews"]);
    for (const exportKind of DATA_EXPORT_KINDS) {
      expect(exportLinks[exportKind]).toMatch(new RegExp(`^/app/settings/export/${exportKind}\\?t=`));
      const file = await exportOf(exportLinks[exportKind]);
      expect(file.status).toBe(200);
      expect(await file.text()).toContain(exportKind === "messages" ? "order_confirmation" : "ana@example.com");
    }
    expect(exportLinks.reviews).toMatch(/^\/app\/reviews\/export\?t=/);
    const reviews = await call(reviewsExportLoader, exportLinks.reviews);
    expect(reviews.status).toBe(200);
    expect(reviews.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  });
});
