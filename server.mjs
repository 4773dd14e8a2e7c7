// Avisa's HTTP server: serves the Remix build (admin, webhooks, app proxy, demo store).
// The listening address comes from the app's validated configuration; demo mode is 127.0.0.1 only.
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const buildPath = path.resolve("build/index.js");
const build = await import(pathToFileURL(buildPath).href);
// entry.server exports startAvisa(): validates configuration and starts background work.
const { host, port, demoMode, stop } = await build.entry.module.startAvisa();
// Shopify webhooks are answered before Express and Remix (app/server/webhook-fast-path.server.ts):
// the same action the webhooks.*.tsx routes run, without the framework's per-request cost, so
// intake keeps up with delivery bursts. Every other request goes on to the app below.
const { handleWebhook } = build.entry.module;

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = createServer((request, response) => {
  if (!handleWebhook(request, response)) app(request, response);
});
server.listen(port, host, () => {
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  console.log(demoMode ? `Avisa demo store admin: ${url}/app` : `Avisa listening on ${url}`);
});

function shutdown() {
  server.close();
  Promise.resolve(stop()).finally(() => process.exit(0));
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
