// Shopify webhooks answered straight from node's http server, before Express and Remix.
//
// Why: a webhook needs none of what Express and Remix do per request (route matching over the
// whole route tree, a Fetch Request with a web stream for the body, the response piped back).
// Under a delivery burst that overhead cost more than the intake itself. server.mjs therefore
// offers every request to `handleWebhook` first; it takes only the webhook endpoints listed
// in webhook-topics.ts, reads the raw body from node's request and runs `answerWebhook` —
// the very function behind every webhooks.*.tsx route action — so statuses, messages and
// stored rows are the same whichever way a delivery comes in. Anything else (other paths,
// GET/HEAD, a trailing slash, another spelling) falls through to Remix unchanged. The route
// files stay: shopify.app.toml labels each subscription with its route file, and they answer
// whatever the fast path leaves to Remix.
import type { IncomingMessage, ServerResponse } from "node:http";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS, type WebhookTopic } from "../domain/events/webhook-topics";
import { foregroundRequest } from "./queue/worker.server";
import { answerWebhook } from "./webhook-action.server";
import type { WebhookRequest } from "./webhooks.server";

const TOPIC_BY_PATH = new Map(Object.entries({ ...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS }).map(([topic, path]) => [path as string, topic as WebhookTopic]));

/** The methods Remix hands to a route's action (so the fast path refuses PUT with the same 405). */
const ACTION_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The client went away before its body arrived: nobody to answer, nothing to log. */
class ClientGone extends Error {}

/**
 * Answers the request if it is a webhook delivery and returns true; returns false (and touches
 * nothing) for every other request, which the caller hands to Express/Remix.
 */
export function handleWebhook(request: IncomingMessage, response: ServerResponse): boolean {
  if (!ACTION_METHODS.has(request.method ?? "")) return false;
  const url = request.url ?? "";
  const query = url.indexOf("?");
  const topic = TOPIC_BY_PATH.get(query === -1 ? url : url.slice(0, query));
  if (!topic) return false;

  // Marked as foreground work: an inline worker in this process waits while deliveries come in.
  foregroundRequest(answerWebhook(topic, nodeWebhookRequest(request))).then(
    // After a 413 the rest of the body is not read: close the connection instead of draining it.
    (answer) => send(response, answer.status, "application/json; charset=utf-8", answer.body, answer.status === 413),
    (error: unknown) => {
      if (error instanceof ClientGone) return;
      // What Remix does with an action's unexpected error (its production answer; the error
      // itself goes to the log only). Shopify retries the delivery.
      console.error(error);
      send(response, 500, "text/plain; charset=utf-8", "Unexpected Server Error", false);
    },
  );
  return true;
}

/** The answer as Express sent Remix's (same Content-Type, charset included), uncompressed: a few bytes of JSON. */
function send(response: ServerResponse, status: number, contentType: string, body: string, close: boolean): void {
  if (response.destroyed) return;
  const headers: Record<string, string | number> = { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) };
  if (close) headers.Connection = "close";
  response.writeHead(status, headers).end(body);
}

function nodeWebhookRequest(request: IncomingMessage): WebhookRequest {
  return {
    method: request.method ?? "",
    // Node lower-cases header names and joins repeated ones with ", ", as the Fetch API does.
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    readBody: (limit) => readBody(request, limit),
  };
}

function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  if (Number(request.headers["content-length"] ?? "0") > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      request.off("data", onData).off("end", onEnd).off("close", onClose).off("error", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      finish();
      request.pause();
      resolve(null);
    };
    const onEnd = () => {
      finish();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onClose = () => {
      finish();
      reject(new ClientGone("the client closed the connection before sending the whole body"));
    };
    request.on("data", onData).on("end", onEnd).on("close", onClose).on("error", onClose);
  });
}
