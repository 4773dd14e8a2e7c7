// The merchant's data as CSV files (Settings > Data export): contacts, the consent ledger and
// messages of one shop. Rows are read in pages of EXPORT_PAGE_SIZE with a keyset cursor (time,
// id) and written out as they come, so a big shop's export never sits in memory at once.
// Every cell goes through the reviews export's RFC 4180 quoting and formula neutralising; the
// file starts with a UTF-8 BOM so Excel reads accents; times are ISO 8601 in UTC.
import { csvField, neutraliseFormula } from "../../domain/reviews/judgeme-csv";
import type { Database } from "../db.server";
import { signAdminLink, verifyAdminLink, type AdminLinkCheck } from "./admin-review-queries.server";

export const DATA_EXPORT_KINDS = ["contacts", "consent", "messages"] as const;
export type DataExportKind = (typeof DATA_EXPORT_KINDS)[number];

export function isDataExportKind(value: unknown): value is DataExportKind {
  return typeof value === "string" && (DATA_EXPORT_KINDS as readonly string[]).includes(value);
}

export const EXPORT_PAGE_SIZE = 1000;

// ------------------------------------------------------------------ links

const HOUR_MS = 60 * 60 * 1000;

/** The end of the next whole hour, like the Reviews page's links: stable for an hour, then refused. */
function linkExpiry(now: Date): Date {
  return new Date((Math.floor(now.getTime() / HOUR_MS) + 2) * HOUR_MS);
}

export type DataExportLinks = Record<DataExportKind | "reviews", string>;

/**
 * Download links for the Settings page. Inside Shopify's admin a download cannot carry the
 * session token, so each link is signed for its shop and its kind (the reviews one exactly as
 * the Reviews page signs it).
 */
export function dataExportLinks(shopId: string, now: Date): DataExportLinks {
  const expiresAt = linkExpiry(now);
  const link = (kind: DataExportKind) => `/app/settings/export/${kind}?t=${encodeURIComponent(signAdminLink("data-export", kind, shopId, expiresAt))}`;
  return {
    contacts: link("contacts"),
    consent: link("consent"),
    messages: link("messages"),
    reviews: `/app/reviews/export?t=${encodeURIComponent(signAdminLink("reviews-export", "export", shopId, expiresAt))}`,
  };
}

/** A link signed for one kind opens no other kind (nor any review photo or the reviews export). */
export function verifyDataExportLink(kind: DataExportKind, token: string, now: Date): AdminLinkCheck {
  return verifyAdminLink("data-export", kind, token, now);
}

/** avisa-<kind>-<shop handle>-<YYYY-MM-DD>.csv (the date in UTC). */
export function dataExportFileName(kind: DataExportKind, shopDomain: string, now: Date): string {
  const handle = shopDomain.replace(/\.myshopify\.com$/i, "").replace(/[^\w-]/g, "-");
  return `avisa-${kind}-${handle}-${now.toISOString().slice(0, 10)}.csv`;
}

// ------------------------------------------------------------------ sheets

type Cell = string | number | Date | null;
type Cursor = { at: Date; id: string };
type Page = { rows: Cell[][]; last: Cursor | null };

type Sheet = {
  columns: readonly string[];
  /** Up to `take` rows after `cursor` (oldest first, ties broken by id), and the cursor of the last one. */
  page(database: Database, shopId: string, cursor: Cursor | null, take: number): Promise<Page>;
};

/** Rows strictly after the cursor in (time, id) order. Values, not a row reference: a row deleted mid-export changes nothing. */
function after<F extends string>(field: F, cursor: Cursor | null) {
  if (!cursor) return {};
  return { OR: [{ [field]: { gt: cursor.at } }, { [field]: cursor.at, id: { gt: cursor.id } }] } as Record<string, unknown>;
}

function pageOf<T extends { id: string }>(rows: T[], at: (row: T) => Date, cells: (row: T) => Cell[]): Page {
  const last = rows.at(-1);
  return { rows: rows.map(cells), last: last ? { at: at(last), id: last.id } : null };
}

const SHEETS: Record<DataExportKind, Sheet> = {
  contacts: {
    columns: ["id", "shopify_customer_id", "first_name", "last_name", "email", "phone", "locale", "time_zone", "country", "province", "created_at"],
    async page(database, shopId, cursor, take) {
      const rows = await database.contact.findMany({
        where: { shopId, ...after("createdAt", cursor) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
        select: { id: true, shopifyCustomerId: true, firstName: true, lastName: true, email: true, phone: true, locale: true, timeZone: true, countryCode: true, provinceCode: true, createdAt: true },
      });
      return pageOf(rows, (row) => row.createdAt, (row) => [
        row.id, row.shopifyCustomerId, row.firstName, row.lastName, row.email, row.phone, row.locale, row.timeZone, row.countryCode, row.provinceCode, row.createdAt,
      ]);
    },
  },
  consent: {
    // The ledger is append-only: its history as recorded, oldest first. contact_id joins it to the contacts file.
    columns: ["contact_id", "contact_email", "contact_phone", "channel", "state", "source", "recorded_at"],
    async page(database, shopId, cursor, take) {
      const rows = await database.consentRecord.findMany({
        where: { shopId, ...after("recordedAt", cursor) },
        orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
        take,
        select: { id: true, contactId: true, channel: true, state: true, source: true, recordedAt: true, contact: { select: { email: true, phone: true } } },
      });
      return pageOf(rows, (row) => row.recordedAt, (row) => [row.contactId, row.contact.email, row.contact.phone, row.channel, row.state, row.source, row.recordedAt]);
    },
  },
  messages: {
    columns: [
      "created_at", "run_at", "sent_at", "automation", "step", "channel", "recipient", "status", "reason", "locale", "external_id", "delivered_at", "opened_at", "clicked_at",
    ],
    async page(database, shopId, cursor, take) {
      const rows = await database.message.findMany({
        where: { shopId, ...after("createdAt", cursor) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
        select: {
          id: true, createdAt: true, runAt: true, sentAt: true, automation: true, step: true, channel: true, recipient: true, status: true, statusReason: true, error: true,
          locale: true, externalId: true, deliveredAt: true, openedAt: true, clickedAt: true,
        },
      });
      return pageOf(rows, (row) => row.createdAt, (row) => [
        row.createdAt, row.runAt, row.sentAt, row.automation, row.step, row.channel, row.recipient, row.status, row.statusReason ?? row.error,
        row.locale, row.externalId, row.deliveredAt, row.openedAt, row.clickedAt,
      ]);
    },
  },
};

export function dataExportColumns(kind: DataExportKind): readonly string[] {
  return SHEETS[kind].columns;
}

function cell(value: Cell): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return String(value);
  return csvField(neutraliseFormula(value));
}

/**
 * The CSV file of one kind for one shop, in pieces: the BOM and header, then one piece per page
 * of rows (CRLF line ends). Stops after a short page, so the last query is the one that comes back short.
 */
export async function* dataExportCsv(database: Database, shopId: string, kind: DataExportKind, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<string, void, undefined> {
  const sheet = SHEETS[kind];
  yield `\ufeff${sheet.columns.join(",")}\r\n`;
  let cursor: Cursor | null = null;
  for (;;) {
    const { rows, last }: Page = await sheet.page(database, shopId, cursor, pageSize);
    if (rows.length > 0) yield rows.map((row) => `${row.map(cell).join(",")}\r\n`).join("");
    if (rows.length < pageSize || !last) return;
    cursor = last;
  }
}

/** A response body that asks the database for the next page only when the client has taken the previous one. */
export function csvStream(pieces: AsyncGenerator<string, void, undefined>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}
