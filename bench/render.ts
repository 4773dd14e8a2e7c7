// `npm run bench:render [-- --n 20000]`: how fast a message renders at send time.
//
// For each locale, the default shipping_update email (subject + compiled MJML body + text) is
// compiled once, then rendered N times with its preview fixture:
//   - through Avisa's renderer (`renderMessage`: cache lookup by key, three parts, tidy-up);
//   - through bare LiquidJS, same engine options, the same three parts parsed once beforehand
//     and rendered with `renderSync` (the floor any renderer built on LiquidJS stands on).
// The two alternate in rounds so neither gets the warmer CPU. Reported per locale and in total:
// renders/s for both and Avisa's share of bare, by wall clock and by this process's CPU time
// (renders per CPU-second: the per-core figure, steadier when other work shares the machine).
// Targets: ≥ 20,000 renders/s per core, ≥ 80 % of bare.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { Liquid, type Template } from "liquidjs";
import { defaultTemplate } from "../app/domain/templating/default-templates";
import { LIQUID_OPTIONS, renderMessage, type RenderableTemplate } from "../app/domain/templating/liquid";
import { TEMPLATE_LOCALES, type TemplateLocale } from "../app/domain/templating/message-types";
import { previewContext } from "../app/domain/templating/preview-fixtures";
import { compileEmailTemplate } from "../app/server/templating/compile-email.server";

const TARGET_RENDERS_PER_SECOND = 20_000;
const TARGET_RATIO = 0.8;
const ROUNDS = 5;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const inline = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = inline ? inline.split("=")[1] : index >= 0 ? process.argv[index + 1] : undefined;
  return value !== undefined && Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) : fallback;
}

const N = argument("n", 20_000);

// Bare LiquidJS on equal terms: the same options, an escaping engine for HTML, a plain one for the rest.
const bareHtml = new Liquid({ ...LIQUID_OPTIONS, outputEscape: "escape" });
const bareText = new Liquid({ ...LIQUID_OPTIONS });

interface Case {
  locale: TemplateLocale;
  template: RenderableTemplate;
  bare: { subject: Template[]; html: Template[]; text: Template[] };
  context: object;
  bytes: number;
}

async function prepare(locale: TemplateLocale): Promise<Case> {
  const source = defaultTemplate("shipping_update", "email", locale);
  const compiled = await compileEmailTemplate(source.mjml);
  if (!compiled.ok) throw new Error(`shipping_update/${locale} did not compile: ${JSON.stringify(compiled.errors)}`);
  const template = { cacheKey: `bench-shipping_update-${locale}@1`, subject: source.subject, html: compiled.html, text: source.text };
  const context = previewContext("shipping_update", locale);
  const bare = { subject: bareText.parse(source.subject), html: bareHtml.parse(compiled.html), text: bareText.parse(source.text) };
  const bytes = renderMessage(template, context).html!.length;
  return { locale, template, bare, context, bytes };
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function timed(work: () => number): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const sink = work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (sink === 0) throw new Error("nothing rendered");
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function timeAvisa(c: Case, n: number): Timing {
  return timed(() => {
    let sink = 0;
    for (let i = 0; i < n; i++) sink += renderMessage(c.template, c.context).html!.length;
    return sink;
  });
}

function timeBare(c: Case, n: number): Timing {
  return timed(() => {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      bareText.renderSync(c.bare.subject, c.context);
      sink += (bareHtml.renderSync(c.bare.html, c.context) as string).length;
      bareText.renderSync(c.bare.text, c.context);
    }
    return sink;
  });
}

const add = (a: Timing, b: Timing): Timing => ({ wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs });
const ZERO: Timing = { wallMs: 0, cpuMs: 0 };
const rate = (n: number, ms: number) => (n / ms) * 1000;
const fmt = (value: number) => Math.round(value).toLocaleString("en-US").padStart(9);
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`.padStart(8);

async function main() {
  const cases = await Promise.all(TEMPLATE_LOCALES.map(prepare));
  // Warm up both paths so the JIT has compiled them before anything is timed.
  for (const c of cases) (timeAvisa(c, Math.min(2_000, N)), timeBare(c, Math.min(2_000, N)));

  console.log(`bench:render · default shipping_update email · ${N.toLocaleString("en-US")} renders per locale and path, in ${ROUNDS} alternating rounds · Node ${process.version}`);
  console.log(`                     ------- wall clock -------    ---- per CPU-second (core) ----`);
  console.log(`locale  html bytes   avisa r/s  bare r/s  avisa/bare   avisa r/s  bare r/s  avisa/bare`);
  const per = Math.max(1, Math.floor(N / ROUNDS));
  const line = (label: string, bytes: string, renders: number, avisa: Timing, bare: Timing) => {
    const [aw, bw, ac, bc] = [rate(renders, avisa.wallMs), rate(renders, bare.wallMs), rate(renders, avisa.cpuMs), rate(renders, bare.cpuMs)];
    console.log(`${label.padEnd(7)} ${bytes.padStart(10)}  ${fmt(aw)}  ${fmt(bw)}    ${pct(aw / bw)}    ${fmt(ac)}  ${fmt(bc)}    ${pct(ac / bc)}`);
    return { wall: aw, cpu: ac, ratio: ac / bc };
  };
  let totalAvisa = ZERO;
  let totalBare = ZERO;
  let totalRenders = 0;
  for (const c of cases) {
    let avisa = ZERO;
    let bare = ZERO;
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) (bare = add(bare, timeBare(c, per))), (avisa = add(avisa, timeAvisa(c, per)));
      else (avisa = add(avisa, timeAvisa(c, per))), (bare = add(bare, timeBare(c, per)));
    }
    totalAvisa = add(totalAvisa, avisa);
    totalBare = add(totalBare, bare);
    totalRenders += per * ROUNDS;
    line(c.locale, String(c.bytes), per * ROUNDS, avisa, bare);
  }
  const total = line("total", "", totalRenders, totalAvisa, totalBare);
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(
    `targets (per CPU-second): ≥ ${TARGET_RENDERS_PER_SECOND.toLocaleString("en-US")} renders/s per core: ${verdict(total.cpu >= TARGET_RENDERS_PER_SECOND)} · ` +
      `≥ ${TARGET_RATIO * 100} % of bare LiquidJS: ${verdict(total.ratio >= TARGET_RATIO)}`,
  );
  console.log(`load average while running: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.availableParallelism()} CPUs`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
