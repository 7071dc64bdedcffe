import { describe, expect, test } from "vitest";
import { EnvelopeCache } from "../../src/placement/interference-cap.js";
import { buildLinearModel } from "../../src/placement/lp-rows.js";
import { xName, type LinearModel } from "../../src/placement/lp.js";
import { decodeColumns, isRedundantLink, packModel } from "../../src/placement/solvers/milp-model.js";
import { linearObjective, planStart } from "../../src/placement/solvers/milp-start.js";
import { fixItemSymmetry, relabelWithinTypes } from "../../src/placement/solvers/milp-symmetry.js";
import { problemOf } from "./helpers.js";
import { cost, tinyCluster, violations } from "./milp-oracle.js";

/** every assignment of a tiny instance that the oracle accepts */
function feasibleAssignments(seed: number, o: Parameters<typeof tinyCluster>[1]) {
  const p = problemOf(tinyCluster(seed, o));
  const env = new EnvelopeCache(p);
  const out: Int32Array[] = [];
  const a = new Int32Array(p.nVms);
  const visit = (j: number): void => {
    if (j === p.nVms) {
      if (violations(p, a, env).length === 0) out.push(Int32Array.from(a));
      return;
    }
    for (let i = 0; i < p.nHosts; i++) {
      a[j] = i;
      visit(j + 1);
    }
  };
  visit(0);
  return { p, env, all: out };
}

describe("symmetry of identical hosts", () => {
  test.each([
    { seed: 1, vms: 5 },
    { seed: 2, vms: 6, constraints: true },
    { seed: 3, vms: 6, victims: true },
  ])("every feasible plan relabels onto one the rows and fixed columns accept (seed $seed)", (o) => {
    const { p, env, all } = feasibleAssignments(o.seed, o);
    expect(all.length).toBeGreaterThan(0);
    const pm = packModel(buildLinearModel(p, { envelopes: env }), isRedundantLink);
    fixItemSymmetry(p, pm);
    for (const a of all) {
      const b = relabelWithinTypes(p, pm, a);
      expect(violations(p, b, env)).toEqual([]);
      expect(cost(p, b)).toBeCloseTo(cost(p, a), 9);
      // Same host types, VM by VM: the relabelling only swaps identical hosts.
      for (let j = 0; j < p.nVms; j++) expect(p.hostTypeOf[b[j]]).toBe(p.hostTypeOf[a[j]]);
      for (let j = 0; j < p.nVms; j++) expect(pm.arrays.colUpper[pm.colOf.get(xName(j, b[j]))!]).toBe(1);
      // No row broken, the y-order symmetry rows included.
      expect(planStart(pm, b)!.badHosts).toBe(0);
    }
  });

  test("fixes columns only among identical hosts, never a VM's first host of a type", () => {
    const p = problemOf(tinyCluster(1, { vms: 5 }));
    const pm = packModel(buildLinearModel(p), isRedundantLink);
    const fixed = fixItemSymmetry(p, pm);
    // Two types of two hosts: VM 0 loses the second host of each type, nobody else does.
    expect(fixed).toBe(2);
    for (const t of p.types) expect(pm.arrays.colUpper[pm.colOf.get(xName(0, t.hosts[0]))!]).toBe(1);
  });
});

describe("packModel", () => {
  const m: LinearModel = {
    vars: [
      { name: "a", kind: "binary", lb: 0, ub: 1 },
      { name: "b", kind: "continuous", lb: 0, ub: 5 },
    ],
    objective: [
      { v: "a", coef: 2 },
      { v: "a", coef: 1 },
    ],
    objectiveConstant: -0.5,
    rows: [
      { name: "r0", constraint: "X", terms: [{ v: "a", coef: 1 }, { v: "b", coef: 2 }, { v: "a", coef: 3 }], sense: "<=", rhs: 4 },
      { name: "link0_0", constraint: "ResourceFit", terms: [{ v: "a", coef: 1 }, { v: "b", coef: -1 }], sense: "<=", rhs: 0 },
      { name: "r2", constraint: "X", terms: [{ v: "b", coef: 1 }], sense: "=", rhs: 3 },
      { name: "r3", constraint: "X", terms: [{ v: "a", coef: 1 }], sense: ">=", rhs: 1 },
    ],
    scope: { vms: new Int32Array(0), hosts: new Int32Array(0) },
  };

  test("sums repeated terms, keeps bounds and senses, drops only what it is told to", () => {
    const { arrays: a } = packModel(m, isRedundantLink);
    expect(a.numRows).toBe(3);
    expect([...a.colCost]).toEqual([3, 0]);
    expect(a.offset).toBe(-0.5);
    expect([...a.integrality]).toEqual([1, 0]);
    expect([...a.starts]).toEqual([0, 2, 3, 4]);
    expect([...a.indices]).toEqual([0, 1, 1, 0]);
    expect([...a.values]).toEqual([4, 2, 1, 1]);
    expect([...a.rowLower]).toEqual([-Infinity, 3, 1]);
    expect([...a.rowUpper]).toEqual([4, 3, Infinity]);
    expect(packModel(m).arrays.numRows).toBe(4);
  });

  test("an unknown variable is a broken invariant", () => {
    const bad = { ...m, rows: [{ name: "r", constraint: "X", terms: [{ v: "nope", coef: 1 }], sense: "<=" as const, rhs: 1 }] };
    expect(() => packModel(bad)).toThrow(/nope/);
  });
});

describe("the MIP start", () => {
  test("a host whose interference row the plan breaks is left for HiGHS; the rest is kept", () => {
    // Victims (every third VM) with tight SLOs next to CPU-bound VMs: pile everything on host 2.
    // (Seed 5 fills the 8 cores; seed 6 leaves one idle, where CPU-bound neighbours cannot delay.)
    const p = problemOf(tinyCluster(5, { vms: 7, victims: true }));
    const env = new EnvelopeCache(p);
    const pm = packModel(buildLinearModel(p, { envelopes: env }), isRedundantLink);
    const crowded = new Int32Array(p.nVms).fill(2);
    expect(violations(p, crowded, env).some((v) => v.startsWith("victim"))).toBe(true);
    const plan = planStart(pm, crowded)!;
    expect(plan.badHosts).toBe(1);
    expect(plan.freedVms).toBe(p.nVms);
    expect(plan.start.indices.length).toBe(0);
  });

  test("an unplaced VM gives no start", () => {
    const p = problemOf(tinyCluster(1, { vms: 4 }));
    const pm = packModel(buildLinearModel(p), isRedundantLink);
    expect(planStart(pm, Int32Array.from([0, 1, -1, 2]))).toBeUndefined();
  });

  test("linearObjective counts used hosts and soft penalties like the oracle", () => {
    const { p, all } = feasibleAssignments(2, { vms: 6, constraints: true });
    const pm = packModel(buildLinearModel(p), isRedundantLink);
    for (const a of all.slice(0, 200)) expect(linearObjective(pm, a)).toBeCloseTo(cost(p, a), 9);
  });

  test("decodeColumns reads x above one half and keeps VMs outside the scope", () => {
    const p = problemOf(tinyCluster(1, { vms: 4 }));
    const pm = packModel(buildLinearModel(p, { scope: { vms: Int32Array.from([0, 1]), hosts: Int32Array.from([0, 1]) } }));
    const v = new Float64Array(pm.arrays.numCols);
    v[pm.colOf.get(xName(0, 1))!] = 0.9999;
    v[pm.colOf.get(xName(1, 0))!] = 1;
    expect([...decodeColumns(p, pm, v, Int32Array.from([0, 0, 3, 2]))]).toEqual([1, 0, 3, 2]);
  });
});
