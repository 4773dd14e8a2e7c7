// A shop's automations: the shipped defaults, overridden by what the merchant saved. A stored
// definition that no longer validates (written by an older version) falls back to the default
// rather than stopping every message of that kind.
import { AUTOMATION_TYPES, DEFAULT_AUTOMATIONS, validateAutomation, type AutomationDefinition, type AutomationType } from "../../domain/automations/definitions";
import type { Result } from "../../domain/errors";
import type { Database } from "../db.server";

type Reader = Pick<Database, "automation">;

export async function shopAutomations(database: Reader, shopId: string): Promise<AutomationDefinition[]> {
  const stored = await database.automation.findMany({ where: { shopId } });
  const byType = new Map(stored.map((row) => [row.type, row]));
  return AUTOMATION_TYPES.map((type) => {
    const row = byType.get(type);
    if (!row) return structuredClone(DEFAULT_AUTOMATIONS[type]) as AutomationDefinition;
    const parsed = validateAutomation({ ...JSON.parse(row.definition), type, enabled: row.enabled });
    return parsed.ok ? parsed.value : (structuredClone(DEFAULT_AUTOMATIONS[type]) as AutomationDefinition);
  });
}

/** Saves a merchant's automation after validation; a refusal stores nothing and says why. */
export async function saveAutomation(database: Database, shopId: string, input: unknown): Promise<Result<AutomationDefinition, string[]>> {
  const parsed = validateAutomation(input);
  if (!parsed.ok) return parsed;
  const { type, enabled } = parsed.value;
  const definition = JSON.stringify(parsed.value);
  await database.automation.upsert({
    where: { shopId_type: { shopId, type } },
    create: { shopId, type, enabled, definition },
    update: { enabled, definition },
  });
  return parsed;
}

export async function setAutomationEnabled(database: Database, shopId: string, type: AutomationType, enabled: boolean): Promise<void> {
  const current = (await shopAutomations(database, shopId)).find((automation) => automation.type === type)!;
  await saveAutomation(database, shopId, { ...current, enabled });
}
