// The baseline for bench/intake.ts: a bare node:http server that does only what a webhook
// endpoint cannot skip — read the raw body, check X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256
// of the raw body with the app secret, compared in constant time) and answer 200.
// Plain JavaScript on purpose: no loader, no framework, nothing between the socket and the check.
// Env: BARE_SECRET, BARE_PORT (0 = any free port). Prints "bare listening on <port>" when ready.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = process.env.BARE_SECRET;
if (!secret) {
  console.error("BARE_SECRET is not set");
  process.exit(1);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    const header = request.headers["x-shopify-hmac-sha256"];
    const expected = createHmac("sha256", secret).update(body).digest();
    const given = typeof header === "string" ? Buffer.from(header, "base64") : Buffer.alloc(0);
    const ok = request.method === "POST" && given.length === expected.length && timingSafeEqual(given, expected);
    response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    response.end(ok ? '{"ok":true}' : '{"error":"HMAC does not match"}');
  });
});
server.keepAliveTimeout = 65_000;

server.listen(Number(process.env.BARE_PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`bare listening on ${typeof address === "object" && address ? address.port : "?"}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Never outlive the benchmark that started it (spawned with an IPC channel).
process.on("disconnect", stop);
