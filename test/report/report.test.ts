import { beforeAll, describe, expect, test } from "vitest";
import { MigrationPlanSchema, type MigrationPlan } from "../../src/model/migration.js";
import { PlanSchema, type Plan } from "../../src/model/plan.js";
import { planMigrations } from "../../src/migrate/plan-migrations.js";
import { planCluster } from "../../src/placement/plan.js";
import { esc, mdCell } from "../../src/report/format.js";
import { detectDocument, formatFromPath, renderDocument } from "../../src/report/render.js";
import { doc, file, predictor } from "../migrate/helpers.js";

const sample = file("data/sample-cluster.json");
const migration: MigrationPlan = planMigrations(sample, predictor(), { mode: "evacuate", host: "h01" });
let placement: Plan;

beforeAll(async () => {
  placement = await planCluster(sample, predictor(), { iterations: 200, seed: 1 });
});

/** rowsOf: the table rows (header and rule left out) of one "## " section of a Markdown report. */
function rowsOf(md: string, heading: string): string[] {
  const body = md.split(`## ${heading}`)[1]?.split("\n## ")[0] ?? "";
  return body.split("\n").filter((l) => l.startsWith("| ")).slice(1);
}

/** structure keeps a Markdown report's headings and table header rows: its shape, not its numbers. */
function structure(md: string): string[] {
  const lines = md.split("\n");
  return lines.filter((l, k) => l.startsWith("#") || (l.startsWith("| ") && lines[k + 1]?.startsWith("|---")));
}

describe("migration plan reports", () => {
  test("Markdown has the summary, waves, moves, hosts, latencies and problems sections", () => {
    const md = renderDocument({ kind: "migration", doc: migration }, "md");
    expect(structure(md)).toMatchInlineSnapshot(`
      [
        "# Migration plan (evacuate h01, threshold 3)",
        "## Before and after",
        "|  | before | after |",
        "## Waves",
        "| wave | steps | GiB copied | peak memory on a target | breaches after | risk after | violations after | starts + runs | longest pause | busiest link | breaches while running |",
        "## Moves",
        "| step | wave | VM | move | priority | kind | why this VM | why this target | predicted p99.9 | GiB | migration |",
        "## Hosts the plan changes",
        "| host | VMs | load | risk level | breaches |",
        "## Latency-sensitive VMs on changed hosts (predicted p99.9, ms)",
        "| VM | host | p99.9 ms | SLO ms | verdict |",
        "## Energy",
        "|  | hosts on | watts | kWh per month | kg CO2 per month |",
        "## Hosts to switch off",
        "| host | VMs moved | GiB copied | watts saved | kWh per month saved | kg CO2 per month saved | saving / migration cost (points) |",
      ]
    `);
    expect(rowsOf(md, "Moves")).toHaveLength(migration.moves.length);
    expect(md).toContain("h01 is being evacuated");
  });

  test("each move's row says why this VM, why this target and the predicted effect", () => {
    const fix = planMigrations(sample, predictor());
    const [row] = rowsOf(renderDocument({ kind: "migration", doc: fix }, "md"), "Moves");
    const cells = row.split(" | ");
    expect(cells[2]).toBe("web-3");
    expect(cells[3]).toMatch(/^h07 → h0[1-8]$/);
    expect(cells.slice(4, 6)).toEqual(["1 mandatory", "fix SLO breach"]);
    expect(cells[6]).toMatch(/^predicted over its SLO on h07/);
    expect(cells[7]).toMatch(/^best of \d+ host\(s\) passing every filter \([A-Za-z]+ \d+/);
    expect(cells[8]).toMatch(/^web-3 [\d.]+ → [\d.]+ ms \(SLO 5\.00\)$/);
  });

  test("JSON is stable, parses with the schema and equals the plan", () => {
    const json = renderDocument({ kind: "migration", doc: migration }, "json");
    expect(MigrationPlanSchema.parse(JSON.parse(json))).toEqual(migration);
    expect(renderDocument({ kind: "migration", doc: JSON.parse(json) }, "json")).toBe(json);
  });

  test("HTML is one self-contained page: inline SVG charts, no scripts, no external assets", () => {
    const html = renderDocument({ kind: "migration", doc: migration }, "html");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).not.toMatch(/<script|<iframe|<img|@import|url\(/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(/https?:\/\//);
    for (const m of migration.moves) expect(html).toContain(m.vmId);
  });
});

describe("placer plan reports", () => {
  test("renders in all three formats", () => {
    const md = renderDocument({ kind: "plan", doc: placement }, "md");
    expect(structure(md).filter((l) => l.startsWith("#"))).toEqual(["# Placement plan (min-cost)", "## Overview", "## Hosts", "## Validation", "## Energy", "## Hosts by draw", "## Why each VM is where it is"]);
    const html = renderDocument({ kind: "plan", doc: placement }, "html");
    expect(html).toContain("<svg ");
    expect(html).not.toMatch(/<script/i);
    expect(PlanSchema.parse(JSON.parse(renderDocument({ kind: "plan", doc: placement }, "json")))).toEqual(placement);
  });
});

describe("objectives beyond cost in the reports", () => {
  // The sample's web VMs as a service (fan-out 8, p99 3 ms: web-3 on the Bobtail host h07 breaks it today), under n+1.
  const web = Array.from({ length: 8 }, (_, k) => `web-${k + 1}`);
  const withService = doc({ ...sample, policy: { ...sample.policy, robustness: "n+1" }, services: [{ id: "web", vms: web, fanout: 8, slo: { p99Ms: 3 } }] });

  test("a plan's Markdown and HTML show the service's tail and each host's evacuation", async () => {
    const plan = await planCluster(withService, predictor(), { iterations: 200, seed: 1 });
    const md = renderDocument({ kind: "plan", doc: plan }, "md");
    expect(structure(md).filter((l) => l.startsWith("## "))).toEqual(expect.arrayContaining(["## Fan-out services", "## If a host fails", "## Load growth each host absorbs"]));
    const [row] = rowsOf(md, "Fan-out services");
    expect(row).toMatch(/^\| web \| 8 \/ 8 \| \d+ \| p99 3\.00 \| [\d.]+ \| [\d.]+ \| – \| [\d.e-]+ \| ok \|/);
    expect(rowsOf(md, "If a host fails")).toHaveLength(plan.hostsUsed);
    const html = renderDocument({ kind: "plan", doc: plan }, "html");
    for (const title of ["Fan-out services", "If a host fails", "Load growth each host absorbs"]) expect(html).toContain(title);
  });

  test("a migration plan's Markdown shows the service before and after, the HTML too", () => {
    const m = planMigrations(withService, predictor(), { mode: "fix" });
    const md = renderDocument({ kind: "migration", doc: m }, "md");
    expect(rowsOf(md, "Fan-out services")).toEqual([expect.stringMatching(/^\| web \| p99 3\.00 \| [\d.]+ → [\d.]+ \| [\d.]+ → [\d.]+ \| BREACH → ok \|$/)]);
    expect(renderDocument({ kind: "migration", doc: m }, "html")).toContain("Fan-out services");
  });
});

describe("detectDocument", () => {
  test("tells a migration plan from a placer plan by schema", () => {
    const m = detectDocument(JSON.parse(JSON.stringify(migration)));
    const p = detectDocument(JSON.parse(JSON.stringify(placement)));
    expect(m.ok && m.value.kind).toBe("migration");
    expect(p.ok && p.value.kind).toBe("plan");
  });

  test.each([
    ["a cluster document", sample, /^not a migration plan .*, advice .* or a robustness check/],
    ["an array", [], /^not a migration plan .*, advice .* or a robustness check/],
    ["advice missing its hosts", { kind: "vmplace/advice", version: 1, status: "ok", reasons: [] }, /^hosts$/],
    ["a migration plan missing its moves", { ...migration, moves: undefined }, /^moves$/],
  ])("%s is refused with a located problem", (_name, value, pathOrMessage) => {
    const r = detectDocument(JSON.parse(JSON.stringify(value)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.some((x) => pathOrMessage.test(x.path) || pathOrMessage.test(x.message))).toBe(true);
  });
});

describe("formatting", () => {
  test.each([
    ["report.html", "html"],
    ["r.HTM", "html"],
    ["plan.md", "md"],
    ["plan.json", "json"],
    ["plan.txt", undefined],
  ])("%s is %s", (path, format) => expect(formatFromPath(path)).toBe(format));

  test("text from documents is escaped in HTML and Markdown", () => {
    expect(esc(`<b a="1">&'`)).toBe("&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
    expect(mdCell("a|b\nc")).toBe("a\\|b c");
  });
});
