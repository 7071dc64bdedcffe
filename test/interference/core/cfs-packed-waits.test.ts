import { describe, expect, test } from "vitest";
import { PACKED_CALIBRATION_SETS } from "../../../src/interference/calibrate.js";
import { drawSet, EVAL_SETS } from "../../../src/interference/eval/compositions.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { mechanismP999, simulatedP999 } from "../helpers.js";

/**
 * CFS's light waiters as model-v13 counts them (light-holds.ts lightWaiterShare). The host is a
 * draw of the calibration sweep's own packed set (fitting seeds), found by listing the CFS victims
 * whose raw core moved most with the term.
 */
function host(set: (typeof EVAL_SETS)[number] | (typeof PACKED_CALIBRATION_SETS)[number], seed: number, i: number): Scenario {
  const c = drawSet(set, seed)[i];
  return { ...c.scenario, durationMs: 20_000, warmupMs: 1000, seed: 1 };
}

const simP999 = (s: Scenario, id: string): number => simulatedP999(s, id, [1, 2]);

describe("CFS light holds: the busy light vCPUs are waiters too", () => {
  // packed-cal/29/0: 32 cores, CPU-bound and mixed load about 23, 21 busy io vCPUs. Counted as
  // waiters, the other io vCPUs take most cores that free up before the victim does.
  test("a 32-core packed host: with the light waiters the core is nearer the simulation, and both are under it", () => {
    const s = host(PACKED_CALIBRATION_SETS[0], 29, 0);
    expect(s.host.scheduler.kind).toBe("kvm-cfs");
    const sim = simP999(s, "vm-15");
    const off = mechanismP999(s, "vm-15", { cfsLightWaiters: false });
    const on = mechanismP999(s, "vm-15", {});
    expect(sim, `without: ${off}`).toBeGreaterThan(1.5 * off);
    expect(on, `with: ${on}, without: ${off}`).toBeGreaterThan(1.25 * off);
    expect(on, `with: ${on} against ${sim}`).toBeLessThan(1.1 * sim);
  }, 120_000);

  test.each(["xen-credit", "xen-credit2", "kvm-eevdf"] as const)("%s: the switch changes nothing (CFS only)", (kind) => {
    let seen = 0;
    for (const [seed, i] of [[28, 0], [25, 2], [25, 1]] as const) {
      const s = host(PACKED_CALIBRATION_SETS[0], seed, i);
      if (s.host.scheduler.kind !== kind) continue;
      seen++;
      for (const v of s.vms.filter((x) => x.workload.kind !== "cpu")) expect(mechanismP999(s, v.id, { cfsLightWaiters: false }), `${seed}/${i} ${v.id}`).toBe(mechanismP999(s, v.id, {}));
    }
    expect(seen).toBe(1);
  });
});
