import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adviseCluster } from "../../src/advise/advise.js";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { planCluster } from "../../src/placement/plan.js";
import { renderDocument, type ReportDocument } from "../../src/report/render.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { file, predictor } from "../migrate/helpers.js";

const CHROMIUM = "/usr/bin/chromium";
// Headless and quiet: no GPU, no sandbox (CI runs as root), and no network chatter that could
// log console errors unrelated to the page.
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"];

const dir = mkdtempSync(join(tmpdir(), "vmplace-report-"));
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  // A fresh profile per run (launchPersistentContext passes it as --user-data-dir).
  context = await chromium.launchPersistentContext(join(dir, "profile"), { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1200, height: 900 } });
}, 60_000);

afterAll(async () => {
  await context?.close();
});

/** open loads a report from a file and collects every page error and console error. */
async function open(name: string, d: ReportDocument): Promise<{ page: Page; errors: string[]; path: string }> {
  const path = join(dir, `${name}.html`);
  writeFileSync(path, renderDocument(d, "html"));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(`file://${path}`, { waitUntil: "load" });
  return { page, errors, path };
}

/** drawnShapes: SVG shapes the browser laid out with a non-zero size. */
async function drawnShapes(page: Page): Promise<number> {
  return page.evaluate(() => [...document.querySelectorAll("svg rect, svg circle, svg line, svg polyline")].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 || r.height > 0;
  }).length);
}

/**
 * inkOf decodes a screenshot in the browser itself (an <img> drawn on a canvas) and returns the
 * share of pixels that differ from the page background and how many distinct strong colours it
 * has: a blank or broken page has almost none.
 */
async function inkOf(page: Page, png: Buffer): Promise<{ ink: number; colours: number }> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const g = canvas.getContext("2d")!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const [r0, g0, b0] = [d[0], d[1], d[2]];
    let ink = 0;
    const colours = new Set<string>();
    for (let k = 0; k < d.length; k += 4) {
      if (Math.abs(d[k] - r0) + Math.abs(d[k + 1] - g0) + Math.abs(d[k + 2] - b0) > 30) ink++;
      const max = Math.max(d[k], d[k + 1], d[k + 2]);
      const min = Math.min(d[k], d[k + 1], d[k + 2]);
      if (max - min > 80) colours.add(`${d[k] >> 5},${d[k + 1] >> 5},${d[k + 2] >> 5}`);
    }
    return { ink: ink / (d.length / 4), colours: colours.size };
  }, png.toString("base64"));
}

describe("HTML reports in a real browser (Debian chromium)", () => {
  const sample = file("data/sample-cluster.json");

  test("the migration report loads without errors and draws its charts", async () => {
    const plan = planMigrations(sample, predictor(), { mode: "consolidate", threshold: 5 });
    const { page, errors, path } = await open("migration", { kind: "migration", doc: plan });
    expect(await page.locator("svg").count()).toBe(3);
    expect(await drawnShapes(page)).toBeGreaterThan(40);
    const png = await page.screenshot({ path: path.replace(/\.html$/, ".png"), fullPage: true });
    const { ink, colours } = await inkOf(page, png);
    expect(ink).toBeGreaterThan(0.03);
    expect(colours).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test("the placement plan report loads without errors and draws its charts", async () => {
    const plan = await planCluster(sample, predictor(), { iterations: 200, seed: 1 });
    const { page, errors, path } = await open("plan", { kind: "plan", doc: plan });
    expect(await page.locator("svg").count()).toBeGreaterThanOrEqual(1);
    expect(await drawnShapes(page)).toBeGreaterThan(5);
    const png = await page.screenshot({ path: path.replace(/\.html$/, ".png"), fullPage: true });
    expect((await inkOf(page, png)).ink).toBeGreaterThan(0.02);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test("the advice report loads without errors and draws each option's p99.9 against the SLO", async () => {
    const advice = await adviseCluster(sample, { host: "h07", durationMs: 500, seeds: 1 }, { predictor: predictor(), runner: inlineRunner });
    const { page, errors, path } = await open("advice", { kind: "advice", doc: advice });
    expect(await page.locator("svg").count()).toBe(1);
    // One predicted and one simulated point per option for web-3 (the only victim on h07, or moved).
    expect(await page.locator("svg circle").count()).toBe(2 * advice.hosts[0].options.reduce((n, o) => n + o.latency.length, 0));
    const png = await page.screenshot({ path: path.replace(/\.html$/, ".png"), fullPage: true });
    expect((await inkOf(page, png)).ink).toBeGreaterThan(0.02);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
