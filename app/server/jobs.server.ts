// What the worker runs for each job kind. Handlers are thin: they call one service.
import type { JobHandlers } from "../domain/ports";
import { adminGraphqlFor } from "./admin-api.server";
import { services } from "./container.server";
import { db } from "./db.server";
import { enqueueWith, pruneFinishedJobs } from "./queue/job-queue.server";
import { providersForShop } from "./providers/shop-providers.server";
import { messageComposer } from "./services/compose-message.server";
import { alreadyBoughtCheck, dispatchMessage, shopInstalledCheck, type SendTimeCheck } from "./services/dispatch-message.server";
import { frequencyCapCheck, quietHoursCheck, routeCheck, stillWantedCheck } from "./services/send-checks.server";
import { processLedgerEvent } from "./services/process-event.server";
import { RECONCILE_EVERY_MS, RECONCILE_JOB, reconcileShop } from "./services/reconcile-shop.server";
import { PROCESS_EVENT_JOB } from "./services/record-event.server";
import { SYNC_REVIEW_METAFIELDS_JOB, syncReviewMetafields } from "./services/reviews.server";
import { DISPATCH_MESSAGE_JOB } from "./services/schedule-message.server";

export function jobHandlers(): JobHandlers {
  return {
    [PROCESS_EVENT_JOB]: async (job) => {
      const { ledgerId } = job.payload as { ledgerId: string };
      await processLedgerEvent(ledgerId);
    },

    [DISPATCH_MESSAGE_JOB]: async (job) => {
      const { messageId } = job.payload as { messageId: string };
      const { clock } = services();
      const outcome = await dispatchMessage(messageId, {
        database: db(),
        clock,
        providerFor: async (channel) => (await providersForShop(db(), job.shopId!, clock))[channel],
        compose: messageComposer({ database: db(), clock, adminGraphql: shopAdminGraphql }),
        checks: sendTimeChecks(),
      });
      // Deferred, retried or early: the message carries its new runAt; a new job waits for it.
      if (outcome.outcome === "deferred" || outcome.outcome === "retry" || outcome.outcome === "not_due") {
        await enqueueWith(db(), { kind: DISPATCH_MESSAGE_JOB, shopId: job.shopId, payload: { messageId } }, {
          runAt: outcome.runAt,
          idempotencyKey: `dispatch:${messageId}:${outcome.runAt.getTime()}`,
        });
      }
    },

    [PRUNE_JOBS_JOB]: async () => {
      const now = services().clock.now();
      const removed = await pruneFinishedJobs(db(), {
        completedBefore: new Date(now.getTime() - KEEP_COMPLETED_JOBS_MS),
        failedBefore: new Date(now.getTime() - KEEP_FAILED_JOBS_MS),
      });
      services().logger.info("finished jobs pruned", { removed });
      await schedulePruning(new Date(now.getTime() + PRUNE_EVERY_MS));
    },

    [SYNC_REVIEW_METAFIELDS_JOB]: async (job) => {
      const { productId } = job.payload as { productId: string };
      const shop = job.shopId ? await db().shop.findUnique({ where: { id: job.shopId } }) : null;
      if (!shop || shop.uninstalledAt) return;
      await syncReviewMetafields(db(), shop.id, productId, await adminGraphqlFor(shop.domain));
    },

    [RECONCILE_JOB]: async (job) => {
      const shop = job.shopId ? await db().shop.findUnique({ where: { id: job.shopId } }) : null;
      if (!shop || shop.uninstalledAt) return; // the chain of runs ends with the installation
      const result = await reconcileShop(shop.id, await adminGraphqlFor(shop.domain));
      services().logger.info("reconciled", { shopId: shop.id, ...result });
      await scheduleReconciliation(shop.id, new Date(services().clock.now().getTime() + RECONCILE_EVERY_MS));
    },
  };
}

export const PRUNE_JOBS_JOB = "prune-jobs";
const PRUNE_EVERY_MS = 24 * 60 * 60 * 1000;
/** Completed jobs are only bookkeeping once done; failed ones keep their reason for a month. */
const KEEP_COMPLETED_JOBS_MS = 7 * 24 * 60 * 60 * 1000;
const KEEP_FAILED_JOBS_MS = 30 * 24 * 60 * 60 * 1000;

/** One pending prune per day slot, whichever process schedules it. */
export async function schedulePruning(runAt: Date): Promise<void> {
  const slot = Math.floor(runAt.getTime() / PRUNE_EVERY_MS);
  await enqueueWith(db(), { kind: PRUNE_JOBS_JOB }, { runAt, idempotencyKey: `prune-jobs:${slot}` });
}

/** Everything re-checked just before a message goes out, in this order. */
export function sendTimeChecks(): SendTimeCheck[] {
  const database = db();
  return [shopInstalledCheck(), alreadyBoughtCheck(database), stillWantedCheck(database), routeCheck(database), quietHoursCheck(database), frequencyCapCheck(database)];
}

async function shopAdminGraphql(shopId: string) {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  return adminGraphqlFor(shop.domain);
}

/** One pending reconciliation per shop and time slot (the key makes repeats no-ops). */
export async function scheduleReconciliation(shopId: string, runAt: Date): Promise<void> {
  const slot = Math.floor(runAt.getTime() / RECONCILE_EVERY_MS);
  await enqueueWith(db(), { kind: RECONCILE_JOB, shopId }, { runAt, idempotencyKey: `reconcile:${shopId}:${slot}` });
}
