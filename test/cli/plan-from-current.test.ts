import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MigrationPlanSchema } from "../../src/model/migration.js";
import { runCli } from "../helpers/cli.js";

const SAMPLE = "data/sample-cluster.json";
const dir = mkdtempSync(join(tmpdir(), "vmplace-from-current-"));

describe("vmplace plan --from-current", { timeout: 60_000 }, () => {
  test("one command gives a target layout within N moves, its trade-off, and a plan apply takes", () => {
    const out = join(dir, "plan.json");
    const r = runCli(["plan", SAMPLE, "--from-current", "--max-moves", "3", "--no-validate", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trade-off \(predicted\):/);
    expect(r.stdout).toMatch(/^ {2}this plan \(at most 3 move\(s\)\)\s+1\s/m);
    expect(r.stdout).toMatch(/given up for the limits: cost [\d.]+, risk 0 points, 0 breach\(es\); \d+ move\(s\) not made/);
    const plan = MigrationPlanSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(plan.moves.length).toBeLessThanOrEqual(3);
    expect(plan.options).toMatchObject({ mode: "consolidate", threshold: 5, maxMoves: 3 });
    expect(plan.tradeoff?.points.map((p) => p.label)).toEqual(["current", "this plan", "without limits"]);
    const md = runCli(["report", out, "--format", "md"]);
    expect(md.stdout).toMatch(/## Trade-off \(predicted\)\n\n\| {2}\| moves \|[\s\S]*\| without limits \| \d+ \|[\s\S]*Given up for the limits: cost [\d.]+,/);
    const dry = runCli(["apply", out, "--executor", "echo {vm} {from} {to}", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`echo ${plan.moves[0].vmId} ${plan.moves[0].from} ${plan.moves[0].to}`);
  });

  test("the limits re-simulate within themselves: --max-migrated-gib holds after the repair rounds", () => {
    const r = runCli(["plan", SAMPLE, "--from-current", "--max-migrated-gib", "10", "--validate-duration", "1s", "--json"]);
    expect(r.code).toBe(0);
    const plan = MigrationPlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.summary.memoryCopiedMiB).toBeLessThanOrEqual(10 * 1024);
    expect(plan.simulation).toBeDefined();
  });

  test.each([
    [["--max-moves", "3"], /--max-moves limit the moves from the current placement: add --from-current/],
    [["--from-current", "--iterations", "10"], /--solver and --iterations steer the from-scratch search/],
    [["--from-current", "--max-migrated-gib", "lots"], /--max-migrated-gib must be a number of GiB/],
  ])("bad flags %j: exit 2", (args, message) => {
    const r = runCli(["plan", SAMPLE, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
