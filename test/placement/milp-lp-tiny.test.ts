import { describe, expect, test } from "vitest";
import { DEFAULT_MIX, generateCluster } from "../../src/model/generate.js";
import { buildLinearModel } from "../../src/placement/lp-rows.js";
import { brokenRow, createTinySolver, toJsLp, TINY_MAX_COLUMNS } from "../../src/placement/solvers/lp-tiny.js";
import { threadSolverWorkers } from "../../src/runtime/solver-workers.js";
import { problemOf } from "./helpers.js";
import { bruteForce, checked, cost, tinyCluster, violations } from "./milp-oracle.js";

const tiny = createTinySolver(threadSolverWorkers);

describe("javascript-lp-solver backend (tiny side models)", () => {
  test.each([
    { seed: 1, vms: 5 },
    { seed: 2, vms: 5, constraints: true },
    { seed: 3, vms: 5, victims: true },
  ])("finds the brute-force optimum, and never claims to have proved it (seed $seed)", async (o) => {
    const p = problemOf(tinyCluster(o.seed, o));
    const bf = bruteForce(p);
    const r = await tiny.solve(p, { timeLimitMs: 10_000 });
    expect(r.status).toBe("feasible");
    expect(violations(p, r.assignment!)).toEqual([]);
    expect(checked(p, r.assignment!)).toEqual([]);
    expect(r.objective).toBeCloseTo(bf.cost, 6);
    expect(cost(p, r.assignment!)).toBeCloseTo(bf.cost, 6);
  });

  test("refuses models above its size", async () => {
    const p = problemOf(generateCluster({ hosts: 8, vms: 60, seed: 1, mix: DEFAULT_MIX, placed: false, scheduler: "both" }));
    const r = await tiny.solve(p, { timeLimitMs: 1000 });
    expect(r.status).toBe("error");
    expect(r.message).toMatch(new RegExp(`${TINY_MAX_COLUMNS}`));
  });

  test("the watchdog terminates a worker stuck in one call", async () => {
    const stuck = createTinySolver(threadSolverWorkers, { hang: true, graceMs: 100 });
    const r = await stuck.solve(problemOf(tinyCluster(1, { vms: 4 })), { timeLimitMs: 200 });
    expect(r.status).toBe("timeout");
    expect(r.message).toMatch(/watchdog/);
  });

  test("30 x 8, where it cannot finish, ends without a placement: its own timeout or the watchdog", async () => {
    const p = problemOf(generateCluster({ hosts: 8, vms: 30, seed: 1, mix: DEFAULT_MIX, placed: false, scheduler: "both" }));
    const m = buildLinearModel(p);
    const out = await threadSolverWorkers.run("javascript-lp-solver", { model: toJsLp(m, 300) }, { watchdogMs: 1500 });
    if (out.kind === "done") {
      // feasible: true without an integral point is its timeout answer: not a plan.
      expect(out.value.feasible && out.value.integral).toBe(false);
    } else expect(out).toEqual({ kind: "killed", reason: "watchdog" });
  }, 10_000);

  test("brokenRow finds a broken row and a fractional binary", () => {
    const p = problemOf(tinyCluster(1, { vms: 3 }));
    const m = buildLinearModel(p);
    expect(brokenRow(m, () => 0)).toMatch(/^asg/);
    expect(brokenRow(m, (n) => (n.startsWith("x") ? 0.5 : 0))).toMatch(/^x/);
  });
});
