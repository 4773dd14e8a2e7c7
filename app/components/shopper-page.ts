// The plain HTML pages shoppers open from a message (unsubscribe, survey): no JavaScript, no
// framework, readable on a phone, in the shopper's language, never cached, indexed or framed.
import type { ReplyLocale } from "~/domain/consent/keywords";
import { localeFromAcceptLanguage } from "~/i18n";

export const shopOr = (shop: string, fallback: string) => shop.trim() || fallback;

/** No token to tell the shopper's language: the browser's, else English. */
export function localeFromRequest(request: Request): ReplyLocale {
  return localeFromAcceptLanguage(request.headers.get("accept-language")) ?? "en";
}

export const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export type ShopperPage = {
  locale: ReplyLocale;
  title: string;
  paragraphs: string[];
  /** Already-escaped HTML placed before the paragraphs (e.g. a star rating). */
  lead?: string;
  /** Already-escaped HTML placed after the paragraphs (a form, links). */
  body?: string;
  /** CSS for the page's own elements. */
  style?: string;
  /** Extra CSP directives, e.g. "form-action 'self'". */
  csp?: string;
  status?: number;
};

export function shopperPage(page: ShopperPage): Response {
  const html = `<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)}</title>
<style>
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f6f7}
main{max-width:32rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin:0 0 1rem}
${page.style ?? ""}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
${page.lead ?? ""}
${page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join("\n")}
${page.body ?? ""}
</main>
</body>
</html>`;
  return new Response(html, {
    status: page.status ?? 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
      "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; ${page.csp ? `${page.csp}; ` : ""}frame-ancestors 'none'; base-uri 'none'`,
    },
  });
}
