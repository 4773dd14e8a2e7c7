// Shopify's Theme Check over the theme app extension, in theme-app-extension mode (the mode the
// Shopify CLI uses for `shopify app deploy`): app-block tag rules, schema rules, asset budgets.
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check, getThemeAndConfig, Severity, type Offense } from "@shopify/theme-check-node";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve("extensions/avisa-storefront");
const CONFIG = path.join(ROOT, ".theme-check.yml");
const TIMEOUT = 60_000;

const describeOffense = (o: Offense) => `${o.check} ${path.relative(ROOT, new URL(o.uri).pathname)}:${(o.start?.line ?? 0) + 1} ${o.message}`;

const copies: string[] = [];
function copyOfExtension(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "avisa-theme-check-"));
  cpSync(ROOT, dir, { recursive: true });
  copies.push(dir);
  return dir;
}
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("theme check (theme app extension mode)", () => {
  it("loads the extension's .theme-check.yml, which selects the app-extension rule set", async () => {
    const { config } = await getThemeAndConfig(ROOT, CONFIG);
    expect(config.context).toBe("app");
    const enabled = config.checks.map((c) => c.meta.code);
    for (const code of ["AppBlockValidTags", "AppBlockMissingSchema", "AssetSizeAppBlockJavaScript", "AssetSizeAppBlockCSS", "TranslationKeyExists", "ValidSchemaName"]) {
      expect(enabled).toContain(code);
    }
  }, TIMEOUT);

  it("reports no errors on the extension (warnings are printed)", async () => {
    const offenses = await check(ROOT, CONFIG);
    const errors = offenses.filter((o) => o.severity === Severity.ERROR);
    const others = offenses.filter((o) => o.severity !== Severity.ERROR);
    for (const o of others) console.warn(`theme check ${o.severity === Severity.WARNING ? "warning" : "info"}: ${describeOffense(o)}`);
    if (others.length === 0) console.info("theme check: no errors, no warnings");
    expect(errors.map(describeOffense)).toEqual([]);
  }, TIMEOUT);

  it("really applies the app-extension rules: {% javascript %} in a block is an error", async () => {
    const copy = copyOfExtension();
    appendFileSync(path.join(copy, "blocks", "star-rating.liquid"), "\n{% javascript %}console.log('no');{% endjavascript %}\n");
    const offenses = await check(copy, path.join(copy, ".theme-check.yml"));
    const forbidden = offenses.filter((o) => o.check === "AppBlockValidTags");
    expect(forbidden).toHaveLength(1);
    expect(forbidden[0].severity).toBe(Severity.ERROR);
    expect(forbidden[0].uri).toMatch(/blocks\/star-rating\.liquid$/);
  }, TIMEOUT);

  it("really applies the app-extension rules: a block without a schema and an unknown translation key are errors", async () => {
    const copy = copyOfExtension();
    writeFileSync(path.join(copy, "blocks", "stray.liquid"), "<p>{{ 'avisa.no_such_key' | t }}</p>\n");
    const offenses = await check(copy, path.join(copy, ".theme-check.yml"));
    const codes = offenses.filter((o) => o.severity === Severity.ERROR).map((o) => o.check);
    expect(codes).toContain("AppBlockMissingSchema");
    expect(codes).toContain("TranslationKeyExists");
  }, TIMEOUT);
});
