import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/server/admin-context.server";
import { findDataRequestExport } from "~/server/services/admin-queries.server";

// Downloads one customer data export as a JSON file. Scoped by the signed-in shop: another
// shop's id answers 404, exactly like an id that does not exist.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const found = await findDataRequestExport(shop.id, params.id ?? "");
  if (!found) return new Response("No data request with that id for this shop.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(found.export, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="avisa-customer-export-${found.id}.json"`,
      // A customer's personal data: kept out of shared and browser caches.
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
