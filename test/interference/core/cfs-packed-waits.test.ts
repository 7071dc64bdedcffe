import { describe, expect, test } from "vitest";
import { PACKED_CALIBRATION_SETS } from "../../../src/interference/calibrate.js";
import { drawSet, EVAL_SETS } from "../../../src/interference/eval/compositions.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { mechanismP999, simulatedP999 } from "../helpers.js";

/**
 * CFS's light holds as model-v12 counts them (light-holds.ts servedReleaseRate, lightWaiterShare
 * and heavyHomeBlock). The hosts are the calibration sweep's own draws (fitting seeds), found by
 * listing the CFS victims whose raw core moved most with each term.
 */
function host(set: (typeof EVAL_SETS)[number] | (typeof PACKED_CALIBRATION_SETS)[number], seed: number, i: number): Scenario {
  const c = drawSet(set, seed)[i];
  return { ...c.scenario, durationMs: 20_000, warmupMs: 1000, seed: 1 };
}

const contendedSet = EVAL_SETS.find((s) => s.name === "contended")!;
const simP999 = (s: Scenario, id: string): number => simulatedP999(s, id, [1, 2]);

describe("CFS light holds: served release, light waiters and the heavy home runner", () => {
  // contended/4/7: 4 cores, three CPU-bound vCPUs (never all four held by them), two io victims.
  // A waker that finds the last core held by the other victim waits while that one serves (a
  // waker queued on a halt-poller ends the poll at once): counting the whole hold as the wait
  // over-predicted the victim's p99.9 about 3.7x against the sweep's own runs.
  // (The heavy home runner, below, is off on both sides: it adds its own wait on this host.)
  test("a 4-core host: released at the end of the request the core is within 2x of the simulation; at the end of the hold over 2x above it", () => {
    const s = host(contendedSet, 4, 7);
    expect(s.host.scheduler.kind).toBe("kvm-cfs");
    const sim = simP999(s, "victim-0");
    const hold = mechanismP999(s, "victim-0", { cfsServedRelease: false, cfsHeavyHome: false });
    const served = mechanismP999(s, "victim-0", { cfsHeavyHome: false });
    expect(hold, `served: ${served}`).toBeGreaterThan(2 * sim);
    expect(Math.abs(Math.log(served / sim)), `served: ${served} against ${sim}`).toBeLessThan(Math.log(2));
  }, 120_000);

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

  // contended/40/19: 16 CPU-bound vCPUs on 16 cores (never all runnable at once) and two io
  // victims. With the last cores held by the io vCPUs, a waker whose home CPU a fresh CPU-bound
  // runner took waits for a light hold to end elsewhere; counting only light home runners as
  // blocking left the core about 2x under.
  test("a 16-core host: with the fresh CPU-bound home runner the core is within 1.5x of the simulation; without it over 1.5x under", () => {
    const s = host(contendedSet, 40, 19);
    expect(s.host.scheduler.kind).toBe("kvm-cfs");
    const sim = simP999(s, "victim-1");
    const off = mechanismP999(s, "victim-1", { cfsHeavyHome: false });
    const on = mechanismP999(s, "victim-1", {});
    expect(sim, `without: ${off}`).toBeGreaterThan(1.5 * off);
    expect(Math.abs(Math.log(on / sim)), `with: ${on} against ${sim}`).toBeLessThan(Math.log(1.5));
  }, 120_000);

  test.each(["xen-credit", "xen-credit2", "kvm-eevdf"] as const)("%s: the switches change nothing (CFS only)", (kind) => {
    let seen = 0;
    for (const [seed, i] of [[28, 0], [25, 2], [25, 1]] as const) {
      const s = host(PACKED_CALIBRATION_SETS[0], seed, i);
      if (s.host.scheduler.kind !== kind) continue;
      seen++;
      for (const v of s.vms.filter((x) => x.workload.kind !== "cpu")) expect(mechanismP999(s, v.id, { cfsServedRelease: false, cfsLightWaiters: false, cfsHeavyHome: false }), `${seed}/${i} ${v.id}`).toBe(mechanismP999(s, v.id, {}));
    }
    expect(seen).toBe(1);
  });
});
