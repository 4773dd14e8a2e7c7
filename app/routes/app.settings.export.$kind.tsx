import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/server/admin-context.server";
import { db } from "~/server/db.server";
import { csvStream, dataExportCsv, dataExportFileName, isDataExportKind, verifyDataExportLink } from "~/server/services/data-export.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

// GET /app/settings/export/:kind?t=… — the shop's contacts, consent ledger or messages as a CSV
// file, streamed page by page. A download link inside Shopify's admin cannot send a session
// token, so the Settings page's loader signs each link for its shop and kind (?t=); without one
// the admin session is asked for.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const kind = params.kind;
  if (!isDataExportKind(kind)) return text("There is no such export. Use the links on the Settings page.", 404);
  const token = new URL(request.url).searchParams.get("t");
  let shopId: string;
  if (token) {
    // Links expire by the wall clock, not the demo clock.
    const checked = verifyDataExportLink(kind, token, new Date());
    if (!checked.ok) return text(checked.reason === "expired" ? "This export link has expired: reload the Settings page and download the file again." : "This export link is not valid.", 403);
    shopId = checked.shopId;
  } else {
    shopId = (await requireAdmin(request)).shop.id;
  }
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  if (!shop) return text("This store is not installed any more.", 404);
  return new Response(csvStream(dataExportCsv(db(), shopId, kind)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${dataExportFileName(kind, shop.domain, new Date())}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
