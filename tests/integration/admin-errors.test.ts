// The admin's error states on real databases, through the routes as the admin calls them (demo
// mode: the demo shop): an unknown template is a 404 the editor's boundary shows as a translated
// "Template not found"; a draft too long to check is a field error on its field and stores or
// sends nothing; a test with nowhere to go says why by code; the activity list gets structured
// summaries. The error boundaries are rendered on the server with React Router's static router,
// as Remix renders a document: a page that fails inside the admin keeps the admin's frame and
// navigation; a layout that fails (demo shop not seeded) still speaks the visitor's language.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { Outlet } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCopy } from "../../app/components/error-copy";
import { loader as rootLoader } from "../../app/root";
import { loader as activityLoader } from "../../app/routes/app.activity";
import AdminLayout, { ErrorBoundary as AdminErrorBoundary, loader as layoutLoader } from "../../app/routes/app";
import TemplateEditor, {
  action as templateAction,
  ErrorBoundary as TemplateErrorBoundary,
  loader as templateLoader,
} from "../../app/routes/app.templates.$type.$channel.$locale";
import { DEMO_SHOP_DOMAIN, resetConfigForTests } from "../../app/server/config.server";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../helpers/database";
import { useDatabase } from "../helpers/use-database";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TEMPLATE = { type: "shipping_update", channel: "sms", locale: "en" };

async function call<A extends LoaderFunctionArgs | ActionFunctionArgs>(handler: (args: A) => Promise<Response>, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await handler({ request, params, context: {} } as A);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });
const post = (path: string, fields: Record<string, string>) => new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields) });

/** Renders a document request the way Remix does (loaders, then the matched routes and their boundaries). */
async function render(path: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const failing = async () => {
    throw new Error("the database went away");
  };
  const routes = [
    {
      id: "root",
      path: "/",
      loader: rootLoader,
      element: createElement(Outlet),
      children: [
        {
          id: "routes/app",
          path: "app",
          loader: layoutLoader,
          Component: AdminLayout,
          ErrorBoundary: AdminErrorBoundary,
          children: [
            { id: "routes/app.templates.$type.$channel.$locale", path: "templates/:type/:channel/:locale", loader: templateLoader, Component: TemplateEditor, ErrorBoundary: TemplateErrorBoundary },
            // A page without a boundary of its own whose loader fails.
            { id: "routes/app.broken", path: "broken", loader: failing, Component: () => null },
          ],
        },
      ],
    },
  ];
  const handler = createStaticHandler(routes as Parameters<typeof createStaticHandler>[0]);
  const context = await handler.query(get(path, headers));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
  return { status: context.statusCode, html };
}

/** The visible text of rendered HTML, entities decoded. */
const textOf = (html: string) =>
  html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");

describe.each(databaseKinds())("admin error states on %s", (kind) => {
  let test: TestDatabase;
  let empty: TestDatabase;
  let shopId: string;

  beforeAll(async () => {
    resetConfigForTests();
    test = await createTestDatabase(kind);
    empty = await createTestDatabase(kind);
    useDatabase(test.db);
    // No alert phone and no store email: a test SMS has nowhere to go.
    shopId = (await test.db.shop.create({ data: { domain: DEMO_SHOP_DOMAIN, name: "Casa Aurora", timeZone: "America/Mexico_City" } })).id;
  });
  afterAll(async () => {
    await test?.drop();
    await empty?.drop();
  });

  describe("the template editor", () => {
    it("answers 404 for a template that does not exist, and for a channel the message has no template for", async () => {
      expect((await call(templateLoader, get("/app/templates/birthday/sms/en"), { type: "birthday", channel: "sms", locale: "en" })).status).toBe(404);
      expect((await call(templateLoader, get("/app/templates/shipping_update/sms/fr"), { ...TEMPLATE, locale: "fr" })).status).toBe(404);
      expect((await call(templateLoader, get("/app/templates/shipping_update/sms/en"), TEMPLATE)).status).toBe(200);
    });

    it("shows the 404 as a translated 'Template not found' inside the admin, with its navigation", async () => {
      const { status, html } = await render("/app/templates/birthday/sms/es?locale=es");
      expect(status).toBe(404);
      const text = textOf(html);
      expect(text).toContain("Plantilla no encontrada");
      expect(text).toContain("Volver a las plantillas");
      expect(text).toContain("Panel"); // the admin's navigation is still there
      expect(text).not.toContain("There is no such template");
    });

    it("refuses a draft too long to check as a field error on `source`, storing nothing", async () => {
      const path = "/app/templates/shipping_update/sms/en";
      const tooLong = "x".repeat(500_001);
      const saved = await call(templateAction, post(path, { intent: "save", source: tooLong }), TEMPLATE);
      expect(saved.status).toBe(422);
      expect(await saved.json()).toEqual({ intent: "invalid-draft", for: "save", error: { field: "source", code: "too_long", max: 500_000 } });
      expect(await test.db.template.count({ where: { shopId } })).toBe(0);

      const preview = await call(templateAction, post(path, { intent: "preview", source: tooLong }), TEMPLATE);
      expect(await preview.json()).toMatchObject({ intent: "invalid-draft", for: "preview", error: { field: "source", code: "too_long" } });

      const emailPath = "/app/templates/shipping_update/email/en";
      const subject = await call(templateAction, post(emailPath, { intent: "send-test", subject: "s".repeat(2_001), source: "<mjml><mj-body></mj-body></mjml>" }), { ...TEMPLATE, channel: "email" });
      expect(await subject.json()).toMatchObject({ intent: "invalid-draft", error: { field: "subject", code: "too_long", max: 2_000 } });
      expect(await test.db.outboxMessage.count({ where: { shopId } })).toBe(0);

      const missing = await call(templateAction, post(path, { intent: "save" }), TEMPLATE);
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ intent: "invalid-draft", error: { field: "source", code: "missing" } });
      expect(await test.db.template.count({ where: { shopId } })).toBe(0);
    });

    it("answers an unknown intent with a code, not an English sentence", async () => {
      const response = await call(templateAction, post("/app/templates/shipping_update/sms/en", { intent: "publish", source: "Hi" }), TEMPLATE);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ intent: "unknown", code: "unknown_intent" });
    });

    it("says by code why a test was not sent (no alert phone), keeping the English reason for logs", async () => {
      const response = await call(templateAction, post("/app/templates/shipping_update/sms/en", { intent: "send-test", source: "{{ shop.name }}: your order {{ order.name }} shipped" }), TEMPLATE);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ intent: "send-test", ok: false, code: "no_phone", reason: expect.stringMatching(/alert phone/) });
      expect(await test.db.outboxMessage.count({ where: { shopId } })).toBe(0);
    });
  });

  describe("the admin's shared error pages", () => {
    it("a page without its own boundary that fails keeps the admin's frame and says what to do, in the admin's language", async () => {
      const { status, html } = await render("/app/broken", { cookie: "avisa_admin_locale=pt-BR" });
      expect(status).toBe(500);
      const text = textOf(html);
      expect(text).toContain("Algo deu errado");
      expect(text).toContain("Tentar novamente");
      expect(text).toContain("Ir para o painel");
      expect(text).toContain("Painel"); // navigation
      expect(text).not.toContain("Application Error");
      expect(text).not.toContain("the database went away");
    });

    it("a layout that cannot load (demo shop not seeded) answers 503 with a code, shown translated from the browser's language", async () => {
      useDatabase(empty.db);
      try {
        const response = await call(activityLoader, get("/app/activity"));
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ code: "demo_not_seeded" });

        const { status, html } = await render("/app/broken", { "accept-language": "es-MX,es;q=0.9" });
        expect(status).toBe(503);
        const text = textOf(html);
        expect(text).toContain("La tienda de demostración aún no está preparada");
        expect(text).toContain("npm run demo");
        expect(text).not.toContain("not seeded");
      } finally {
        useDatabase(test.db);
      }
    });

    it("the root loader sends only the error strings, in the visitor's language", async () => {
      const data = await (await rootLoader({ request: get("/survey", { "accept-language": "pt-BR" }), params: {}, context: {} })).json();
      expect(data.locale).toBe("pt-BR");
      expect(data.messages["errors.server.title"]).toBe("Algo deu errado");
      expect(Object.keys(data.messages).every((key: string) => key.startsWith("errors."))).toBe(true);
      const cookie = await (await rootLoader({ request: get("/app", { cookie: "avisa_admin_locale=es", "accept-language": "en" }), params: {}, context: {} })).json();
      expect(cookie.locale).toBe("es");
    });
  });

  describe("the activity list", () => {
    it("gets structured summaries (an unreadable payload included) and no English sentence", async () => {
      await test.db.eventLedger.create({
        data: {
          shopId, topic: "checkouts/update", source: "webhook", status: "received", webhookId: "w-1", receivedAt: new Date("2026-05-01T10:00:00Z"),
          payload: JSON.stringify({ email: "lucia@example.com", total_price: "49.00", currency: "MXN", line_items: [{}, {}, {}], completed_at: "2026-05-01T09:59:00Z" }),
        },
      });
      await test.db.eventLedger.create({
        data: { shopId, topic: "orders/create", source: "webhook", status: "invalid", webhookId: "w-2", receivedAt: new Date("2026-05-01T11:00:00Z"), payload: "{not json" },
      });
      const response = await call(activityLoader, get("/app/activity"));
      const { events } = (await response.json()) as Json;
      expect(events.map((event: Json) => event.parts)).toEqual([
        [{ kind: "unreadable" }],
        [{ kind: "text", value: "lucia@example.com" }, { kind: "amount", value: "49.00", currency: "MXN" }, { kind: "items", count: 3 }, { kind: "completed" }],
      ]);
      expect(events[0]).not.toHaveProperty("summary");
    });
  });
});

describe("error copy", () => {
  const response = (status: number, data: unknown = "") => ({ status, statusText: "", internal: false, data });
  it("picks the page by status or code", () => {
    expect(errorCopy(response(404))).toMatchObject({ title: "errors.notFound.title", tryAgain: false, status: 404 });
    expect(errorCopy(response(400))).toMatchObject({ title: "errors.badRequest.title", tryAgain: true });
    expect(errorCopy(response(422))).toMatchObject({ title: "errors.badRequest.title" });
    expect(errorCopy(response(403))).toMatchObject({ title: "errors.request.title" });
    expect(errorCopy(response(502))).toMatchObject({ title: "errors.server.title", status: 502 });
    expect(errorCopy(response(503, { code: "demo_not_seeded" }))).toMatchObject({ title: "errors.demoNotSeeded.title", status: 503 });
    expect(errorCopy(new Error("boom"))).toMatchObject({ title: "errors.server.title", status: null });
  });
});
