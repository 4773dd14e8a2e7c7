import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../app/server/config.server";

const realStore = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://avisa.example.com",
  SCOPES: "read_orders,read_customers",
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("runs the demo with no Shopify keys, on 127.0.0.1 only", () => {
    const config = parseConfig({ AVISA_DEMO: "1" });
    expect(config.demoMode).toBe(true);
    expect(config.host).toBe("127.0.0.1");
    expect(config.databaseKind).toBe("sqlite");
    expect(config.shopify.apiSecret).toBeTruthy();
  });

  it("names every missing key at once for a real store", () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(4);
    for (const key of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"]) {
      expect(problems.some((p) => p.startsWith(key))).toBe(true);
    }
    expect(() => parseConfig({})).toThrow(/4 problem\(s\)[\s\S]*\.env\.example/);
  });

  it("refuses demo mode in a production build and on a public interface", () => {
    expect(problemsOf({ AVISA_DEMO: "1", NODE_ENV: "production" })).toEqual([
      expect.stringContaining("demo mode cannot be switched on in a production build"),
    ]);
    expect(problemsOf({ AVISA_DEMO: "true", HOST: "0.0.0.0" })[0]).toMatch(/^HOST demo mode only listens on 127.0.0.1/);
  });

  it("reports malformed values with what to do", () => {
    const problems = problemsOf({ ...realStore, DATABASE_URL: "mysql://x", SHOPIFY_APP_URL: "not a url", PORT: "99999", AVISA_DEMO: "maybe" });
    expect(problems.join("\n")).toMatch(/DATABASE_URL must start with file:/);
    expect(problems.join("\n")).toMatch(/SHOPIFY_APP_URL must be a full URL/);
    expect(problems.join("\n")).toMatch(/PORT/);
    expect(problems.join("\n")).toMatch(/AVISA_DEMO/);
  });

  it("needs an encryption key in production and switches to PostgreSQL by URL", () => {
    expect(problemsOf({ ...realStore, NODE_ENV: "production" })).toEqual([expect.stringContaining("AVISA_ENCRYPTION_KEY")]);
    const config = parseConfig({
      ...realStore,
      NODE_ENV: "production",
      AVISA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
      DATABASE_URL: "postgresql://avisa@db/avisa",
    });
    expect(config.databaseKind).toBe("postgresql");
    expect(config.host).toBe("0.0.0.0");
    expect(config.shopify.scopes).toEqual(["read_orders", "read_customers"]);
    expect(config.encryptionKey).toHaveLength(32);
  });
});
