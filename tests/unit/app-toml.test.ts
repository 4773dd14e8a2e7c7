import { existsSync, readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS } from "../../app/domain/events/webhook-topics";

type Subscription = { topics?: string[]; compliance_topics?: string[]; uri: string };
const toml = parse(readFileSync("shopify.app.toml", "utf8")) as {
  access_scopes: { scopes: string };
  app_proxy: { url: string; prefix: string; subpath: string };
  webhooks: { api_version: string; subscriptions: Subscription[] };
};

const routeFileFor = (uri: string) => `app/routes/${uri.slice(1).replaceAll("/", ".")}.tsx`;

describe("shopify.app.toml", () => {
  it("subscribes exactly the topics Avisa handles, each to its route", () => {
    const declared = Object.fromEntries(
      toml.webhooks.subscriptions.flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => [topic, s.uri])),
    );
    expect(declared).toEqual({ ...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS });
  });

  it("declares compliance topics as compliance_topics (the only place they can be subscribed)", () => {
    const compliance = toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(Object.keys(COMPLIANCE_TOPICS).sort());
  });

  it("labels every subscription with the route file that handles the topic", () => {
    const text = readFileSync("shopify.app.toml", "utf8");
    for (const [topic, uri] of Object.entries({ ...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS })) {
      const file = routeFileFor(uri);
      expect(existsSync(file), `${file} handles ${topic}`).toBe(true);
      expect(readFileSync(file, "utf8")).toContain(`webhookAction("${topic}")`);
      expect(text).toContain(`# ${file}`);
    }
  });

  it("asks for the scopes the mission needs and routes the app proxy to /apps/avisa", () => {
    const scopes = toml.access_scopes.scopes.split(",");
    for (const scope of ["read_orders", "read_fulfillments", "read_customers", "write_products", "write_discounts"]) {
      expect(scopes).toContain(scope);
    }
    expect(`/${toml.app_proxy.prefix}/${toml.app_proxy.subpath}`).toBe("/apps/avisa");
    expect(new URL(toml.app_proxy.url).pathname).toBe("/proxy");
    expect(toml.webhooks.api_version).toBe("2026-04");
  });
});
