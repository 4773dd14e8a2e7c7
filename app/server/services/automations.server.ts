// A shop's automations: the shipped defaults, overridden by what the merchant saved. A stored
// definition that no longer validates (written by an older version) falls back to the default
// rather than stopping every message of that kind.
import {
  AUTOMATION_TYPES,
  DEFAULT_AUTOMATIONS,
  checkAutomation,
  validateAutomation,
  type AutomationDefinition,
  type AutomationIssue,
  type AutomationType,
} from "../../domain/automations/definitions";
import { normalisePhone } from "../../domain/contacts/phone";
import { err, type Result } from "../../domain/errors";
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

/**
 * Saves a merchant's automation after validation; a refusal stores nothing and lists every issue
 * (path, code and params for the admin to word in the merchant's language, and an English
 * `message` for logs), exactly as checkAutomation gives them.
 */
export async function saveAutomation(database: Database, shopId: string, input: unknown): Promise<Result<AutomationDefinition, AutomationIssue[]>> {
  const checked = checkAutomation(input);
  if (!checked.ok) return err(checked.error);
  const { type, enabled } = checked.value;
  const definition = JSON.stringify(checked.value);
  await database.automation.upsert({
    where: { shopId_type: { shopId, type } },
    create: { shopId, type, enabled, definition },
    update: { enabled, definition },
  });
  return checked;
}

export async function setAutomationEnabled(database: Database, shopId: string, type: AutomationType, enabled: boolean): Promise<void> {
  const current = (await shopAutomations(database, shopId)).find((automation) => automation.type === type)!;
  await saveAutomation(database, shopId, { ...current, enabled });
}

export type AutomationResults = { sent: number; problems: number; notSent: number; recoveredOrders: number };

const SENT = ["sent", "delivered", "opened", "clicked", "bounced"];
const PROBLEMS = ["failed", "unknown"];
const NOT_SENT = ["skipped", "cancelled"];

/** What each automation did in the last 30 days, in one grouped query (no per-automation reads). */
export async function automationResults(database: Database, shopId: string, now: Date): Promise<Record<string, AutomationResults>> {
  const since = new Date(now.getTime() - 30 * 24 * 60 * 60 * 1000);
  const [byStatus, recovered] = await Promise.all([
    database.message.groupBy({ by: ["automation", "status"], where: { shopId, runAt: { gte: since } }, _count: { _all: true } }),
    database.message.groupBy({ by: ["automation"], where: { shopId, runAt: { gte: since }, recoveredOrderId: { not: null } }, _count: { _all: true } }),
  ]);
  const results: Record<string, AutomationResults> = {};
  const of = (automation: string) => (results[automation] ??= { sent: 0, problems: 0, notSent: 0, recoveredOrders: 0 });
  for (const row of byStatus) {
    const count = row._count._all;
    if (SENT.includes(row.status)) of(row.automation).sent += count;
    else if (PROBLEMS.includes(row.status)) of(row.automation).problems += count;
    else if (NOT_SENT.includes(row.status)) of(row.automation).notSent += count;
  }
  for (const row of recovered) of(row.automation).recoveredOrders += row._count._all;
  return results;
}
