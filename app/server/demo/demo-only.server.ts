import { config } from "../config.server";

/** Demo endpoints do not exist outside demo mode: a real store gets a plain 404. */
export function requireDemoMode(): void {
  if (!config().demoMode) throw new Response("Not found", { status: 404 });
}
