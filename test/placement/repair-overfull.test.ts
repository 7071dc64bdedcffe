import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS } from "../../src/interference/core/scheduler-core.js";
import { Pct, Predictor } from "../../src/interference/predictor.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import { buildItems } from "../../src/placement/items.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { PlacementState } from "../../src/placement/state.js";
import { BLIND_SHARE, demandExcess, repairTarget, validateByResimulation } from "../../src/placement/validate-plan.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { cluster, predictor } from "./helpers.js";

/**
 * An 8-core CFS host with more one-vCPU CPU-bound VMs than cores and a 4-vCPU io victim: the
 * simulator has the victim wait a scheduler slice (its group entity on each core is too light to
 * preempt a runner; docs/accuracy.md, fifteenth round) while the predictor gives its alone
 * latency. The repair cannot size its evictions from a predicted delay of about 0 (one VM a
 * round: 10 -> 9 -> 8 CPU VMs, still breaching at 8); the host's demand can. model-v14 sees this
 * host (cfs.ts overfullEpisodes), so the guard is shown with that term off: model-v13's CFS core,
 * blind as the prediction still is to the balancer's fresh hogs (a 1- or 2-vCPU victim).
 */
const blind = (): Predictor => new Predictor(predictor().model, { ...ALL_MECHANISMS, cfsOverfull: false });
function overfull(hogs: number): ClusterInput {
  const cfs = { kind: "kvm-cfs" as const };
  const victim = { id: "io", vcpus: 4, memoryMiB: 1024, workload: { kind: "io" as const, requestsPerSec: 1000, serviceUs: 150 }, slo: { p999Ms: 2 } };
  const cpu = (k: number) => ({ id: `cpu${k}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu" as const, dutyCycle: 1, burstMs: 10 } });
  return {
    hosts: [
      { id: "h1", cores: 8, memoryMiB: 65536, cost: 1, scheduler: cfs },
      { id: "h2", cores: 8, memoryMiB: 65536, cost: 1, scheduler: cfs },
    ],
    vms: [victim, ...Array.from({ length: hogs }, (_, k) => cpu(k))],
    policy: { cpuOvercommit: 4 },
  };
}

function packed(hogs: number, pr: Predictor = blind()) {
  const p = buildProblem(cluster(overfull(hogs)), pr);
  const state = new PlacementState(p);
  for (let j = 0; j < p.nVms; j++) state.assign(j, 0);
  return { p, state, fw: frameworkFor(defaultProfile(p.policy.objective)), set: buildItems(p) };
}

describe("repairing a breach the prediction is blind to (over-full CFS host)", () => {
  test("the prediction is blind there: about no delay while the simulation waits a slice", () => {
    const { p, state } = packed(10);
    const v = p.victims[0]!;
    const delay = state.hostStates[0].victimDelayUs(v, Pct.P999);
    const sim = { host: 0, p99Us: 8000, p999Us: 8400, requests: 1000, breach: true };
    expect(delay).toBeLessThan(BLIND_SHARE * (sim.p999Us - v.tail.base999Us));
    // 10 CPU-bound vCPUs and 0.15 cores of requests on 8 cores: 3.15 over the 7 that leave a core free.
    expect(repairTarget(state, 0, 0, sim).blind).toBe(true);
    expect(demandExcess(state, 0)).toBeCloseTo(3.15, 6);
    // The shipped predictor sees the slice: the breach is left to the predicted delays.
    const seen = packed(10, predictor());
    expect(seen.state.hostStates[0].victimDelayUs(seen.p.victims[0]!, Pct.P999)).toBeGreaterThan(5000);
    expect(repairTarget(seen.state, 0, 0, sim).blind).toBe(false);
  });

  test("a breach the prediction accounts for is left to the predicted delays, over-full or not", () => {
    // 12 sleepy CPU VMs (duty 0.7, demand 8.4 cores on 8) and a one-vCPU victim: predicted delay ms.
    const input = overfull(0);
    input.vms = [{ ...input.vms[0], vcpus: 1 }, ...Array.from({ length: 12 }, (_, k) => ({ id: `s${k}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu" as const, dutyCycle: 0.7, burstMs: 10 } }))];
    const p = buildProblem(cluster(input), predictor());
    const state = new PlacementState(p);
    for (let j = 0; j < p.nVms; j++) state.assign(j, 0);
    const v = p.victims[0]!;
    const delay = state.hostStates[0].victimDelayUs(v, Pct.P999);
    expect(delay).toBeGreaterThan(1000);
    const blindAt = (p999Us: number) => repairTarget(state, 0, 0, { host: 0, p99Us: 1000, p999Us, requests: 1000, breach: true }).blind;
    expect(blindAt(v.tail.base999Us + 10 * delay)).toBe(false);
    // Twenty times the predicted delay simulated, and more: blind, and 8.4 + 0.15 - 7 cores over.
    expect(blindAt(v.tail.base999Us + 25 * delay)).toBe(true);
    expect(demandExcess(state, 0)).toBeCloseTo(1.55, 6);
  });

  test("the repair moves CPU-bound VMs off until a core's worth of demand is free, and the breach clears", async () => {
    const { p, state, fw, set } = packed(10);
    const r = await validateByResimulation(state, fw, set, { runner: inlineRunner, durationMs: 2000, warmupMs: 500, maxRounds: 3, seed: 1 });
    expect(r.breachesBefore).toBe(1);
    // 3.15 cores over: four 1-core VMs leave in the first round, none after.
    expect(r.repairs.map((x) => x.round)).toEqual([1, 1, 1, 1]);
    expect(state.aggressorVcpus[0]).toBe(6);
    expect(state.hostOf[0]).toBe(0);
    expect(r.breachesAfter).toBe(0);
    expect(r.vms.get(0)!.p999Us).toBeLessThan(p.profiles[0].sloP999Us!);
  });
});
