// One entry point for the store simulator, shared by the admin page and the CLI endpoint.
import { z } from "zod";
import { config, DEMO_SHOP_DOMAIN } from "../config.server";
import { services } from "../container.server";
import { db } from "../db.server";
import { DemoStore } from "../demo/demo-store.server";
import { SimulatorError, StoreSimulator, type SimulatorResult } from "../demo/store-simulator.server";
import { SHOPIFY_API_VERSION } from "../shopify.server";

const shopifyId = z.string().regex(/^\d+$/, "must be a numeric Shopify ID");

export const simulatorCommandSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("place-order"), customerId: shopifyId.optional(), productIds: z.array(shopifyId).optional() }),
  z.object({ action: z.literal("abandon-checkout"), customerId: shopifyId.optional(), productIds: z.array(shopifyId).optional() }),
  z.object({ action: z.literal("complete-checkout"), token: z.string().regex(/^[a-f0-9]{16,64}$/).optional() }),
  z.object({ action: z.literal("fulfil") }),
  z.object({ action: z.literal("deliver") }),
  z.object({ action: z.literal("delivery-problem") }),
  z.object({ action: z.literal("advance-clock"), seconds: z.coerce.number().int().min(1).max(366 * 86_400) }),
]);

export type SimulatorCommand = z.infer<typeof simulatorCommandSchema>;

export function storeSimulator(): StoreSimulator {
  const settings = config();
  return new StoreSimulator({
    store: new DemoStore(db(), DEMO_SHOP_DOMAIN),
    clock: services().clock,
    appUrl: settings.shopify.appUrl,
    apiSecret: settings.shopify.apiSecret,
    apiVersion: SHOPIFY_API_VERSION,
  });
}

export async function runSimulatorCommand(command: SimulatorCommand): Promise<SimulatorResult & { clock: string }> {
  const simulator = storeSimulator();
  const { demoClock } = services();
  if (!demoClock) throw new SimulatorError("demo_only", "the store simulator only runs in demo mode");
  let result: SimulatorResult;
  switch (command.action) {
    case "place-order":
      result = await simulator.placeOrder(command);
      break;
    case "abandon-checkout":
      result = await simulator.abandonCheckout(command);
      break;
    case "complete-checkout":
      result = await simulator.completeCheckout(command.token);
      break;
    case "fulfil":
      result = await simulator.fulfilLatestOrder();
      break;
    case "deliver":
      result = await simulator.markLatestDelivered();
      break;
    case "delivery-problem":
      result = await simulator.reportDeliveryProblem();
      break;
    case "advance-clock": {
      const now = await demoClock.advance(command.seconds);
      const time = now.toISOString();
      result = { summary: `Demo clock moved to ${time}`, outcome: { code: "clock_moved", params: { time } }, deliveries: [] };
      break;
    }
  }
  return { ...result, clock: demoClock.now().toISOString() };
}
