import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemoMode } from "~/server/demo/demo-only.server";
import { SimulatorError } from "~/server/demo/store-simulator.server";
import { runSimulatorCommand, simulatorCommandSchema } from "~/server/services/run-simulator.server";

// The store simulator over HTTP, for `npm run simulate`. Demo mode only (127.0.0.1).
export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemoMode();
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: "send a JSON body such as {\"action\":\"place-order\"}" }, { status: 400 });
  }
  const parsed = simulatorCommandSchema.safeParse(body);
  if (!parsed.success) {
    return Response.json(
      { error: "unknown simulator command", details: parsed.error.issues.map((i) => `${i.path.join(".") || "action"}: ${i.message}`) },
      { status: 400 },
    );
  }
  try {
    return Response.json(await runSimulatorCommand(parsed.data));
  } catch (error) {
    if (error instanceof SimulatorError) return Response.json({ error: error.message }, { status: 409 });
    throw error;
  }
};
