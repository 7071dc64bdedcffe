import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, type Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import { routedTail } from "../../../src/interference/core/mixed-routing.js";
import { victimTail } from "../../../src/interference/core/victim.js";
import type { InterferenceModel } from "../../../src/interference/model-data.js";
import { HostState } from "../../../src/interference/host-state.js";
import { newPrediction, Predictor } from "../../../src/interference/predictor.js";
import { profileVm } from "../../../src/interference/profile.js";
import { scoreHost } from "../../../src/interference/score.js";
import { defaultScheduler, type SchedulerParams } from "../../../src/model/scheduler.js";
import { ScenarioSchema, type Scenario } from "../../../src/model/scenario.js";
import type { Vm } from "../../../src/model/cluster.js";
import { plainModel, simulatedP999 } from "../helpers.js";

/**
 * Mixed victims' request routing (Mechanisms.mixedRouting, core/mixed-routing.ts; EEVDF). The
 * guest sends a request to an idle vCPU first, else to a busy one, which serves it before the
 * rest of its burst: a mixed VM whose vCPUs are nearly always in a burst has few requests that
 * wake anything, and those that land on a running vCPU do not wait. Without routing the core
 * counts every request as a wake (an io-only victim's), and every burst end of a never-sleeping
 * vCPU as a wake of its own (packed-1's 9972/7 vm-7: a 4-vCPU victim at duty 1 on a 16-core
 * EEVDF host, simulated at its bare service time, model-v10's estimate 3.1 ms).
 *
 * The hosts are constructed here (16-core EEVDF, about 15 CPU-bound vCPUs' worth of load, two io
 * VMs), not drawn from a round. The victim's simulated p99.9 alone at this load is its service
 * time (4 vCPUs at 5% each: a request almost never queues behind another), so the model's alone
 * latency is set at 1.05x / 1.1x the service time (plainModel's 2x / 3x would alone put the core
 * 3x over it, whatever the term): what is compared is the core's delay on top of it.
 *
 * Tolerance: within 2x of the simulated p99.9 (|ln| < ln 2), the goal the accuracy protocol holds
 * a p90 to (0.40) being stricter than anything a single host can show; without the term the core
 * is over 2x (its wakes put the victim at milliseconds), so the term is what brings it within.
 */
const SERVICE_US = 100;

function model(margin = 0): InterferenceModel {
  const m = plainModel(margin);
  const rho = m.baseline.rho;
  const row = (x: number) => rho.map(() => x);
  return { ...m, baseline: { ...m.baseline, p99OverService: [row(1.05), row(1.05)], p999OverService: [row(1.1), row(1.1)] } };
}

function core(s: Scenario, id: string, set: Partial<Mechanisms>): number {
  const p = new Predictor(model(), { ...ALL_MECHANISMS, ...set });
  return scoreHost(s.host, s.vms.map(profileVm), p).vms.find((v) => v.vmId === id)!.predictedP999Us;
}

const cpu = (id: string, vcpus: number, dutyCycle: number, burstMs: number): Vm =>
  ({ id, vcpus, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle, burstMs, burstDistribution: "exponential" } }) as Vm;
const io = (id: string, vcpus: number, requestsPerSec: number, serviceUs: number): Vm =>
  ({ id, vcpus, memoryMiB: 1024, workload: { kind: "io", requestsPerSec, serviceUs, arrival: "poisson" } }) as Vm;
const mixed = (id: string, vcpus: number, dutyCycle: number, burstMs: number): Vm =>
  ({ id, vcpus, memoryMiB: 1024, workload: { kind: "mixed", io: { requestsPerSec: 2000, serviceUs: SERVICE_US, arrival: "poisson" }, cpu: { dutyCycle, burstMs, burstDistribution: "exponential" } } }) as Vm;

/** host: 16 cores of `scheduler`: the mixed victim `v` (4 vCPUs at `duty`), four hogs, sleepy CPU-bound vCPUs and two io VMs. */
function host(duty: number, scheduler: SchedulerParams = defaultScheduler("kvm-eevdf")): Scenario {
  const vms = [mixed("v", 4, duty, 1), cpu("h", 4, 1, 5), cpu("s1", 4, 0.9, 1), cpu("s2", 4, 0.3, 1), cpu("s3", 2, 0.5, 1), io("i1", 2, 1200, 80), io("i2", 2, 1500, 120)];
  return ScenarioSchema.parse({ host: { id: "h", cores: 16, memoryMiB: 1 << 20, cost: 1, scheduler }, vms, durationMs: 10_000, warmupMs: 1000, seed: 1 });
}

describe("mixed victims' request routing (EEVDF)", () => {
  test.each([
    ["a never-sleeping 4-vCPU victim (duty 1)", 1],
    ["a 4-vCPU victim in a burst 95% of the time", 0.95],
  ])("%s: without routing the core is over 2x the simulated p99.9; with it within 2x", (_name, duty) => {
    const s = host(duty);
    const sim = simulatedP999(s, "v", [1, 2]);
    const off = core(s, "v", { mixedRouting: false });
    const on = core(s, "v", {});
    expect(off, `without: ${off} against ${sim}`).toBeGreaterThan(2 * sim);
    expect(Math.abs(Math.log(on / sim)), `with: ${on} against ${sim}`).toBeLessThan(Math.log(2));
  }, 120_000);

  test("io-only victims and other schedulers' hosts: the switch changes nothing", () => {
    const s = host(0.95);
    for (const id of ["i1", "i2"]) expect(core(s, id, { mixedRouting: false }), id).toBe(core(s, id, {}));
    for (const kind of ["kvm-cfs", "xen-credit", "xen-credit2"] as const) {
      const other = host(0.95, defaultScheduler(kind));
      for (const id of ["v", "i1", "i2"]) expect(core(other, id, { mixedRouting: false }), `${kind} ${id}`).toBe(core(other, id, {}));
    }
  });

  test("routing: a request wakes a vCPU only when one is idle (1 - h^n of them); a 1-vCPU victim's own episodes are read at full weight", () => {
    const base = model().baseline;
    const four = victimTail({ vcpus: 4, requestsPerSec: 2000, serviceUs: SERVICE_US, cpu: { duty: 0.9, burstUs: 1000 } }, base);
    const r4 = routedTail(four, { duty: 0.9, burstUs: 1000 });
    expect(1 - r4.rho).toBeCloseTo(1 - 0.9 ** 4, 12);
    expect(1 - (r4.episodesRho ?? NaN)).toBeCloseTo(0.9 ** 3, 12);
    expect(r4.burstWakesUs).toBe(0);
    const hog = routedTail(four, { duty: 1, burstUs: 1000 });
    expect(hog.rho).toBe(1);
    const one = victimTail({ vcpus: 1, requestsPerSec: 500, serviceUs: SERVICE_US, cpu: { duty: 0.6, burstUs: 1000 } }, base);
    const r1 = routedTail(one, { duty: 0.6, burstUs: 1000 });
    expect(r1.episodesRho).toBe(0);
    expect(r1.lambdaUs).toBe(one.lambdaUs);
    expect(1 - r1.rho).toBeCloseTo(0.4, 12);
  });

  // The placer's filter reads a victim's row (victim-rows.ts: the routed scalars and own burst),
  // not its objects: routing must reach it, or a plan would judge a mixed victim by another tail.
  test.each([0.7, 0.95, 1])("duty %s: predict's bound, withinSlo and the placer's rows agree on the SLO", (duty) => {
    const p = new Predictor(model(Math.log(1.5)));
    const s = host(duty);
    const profiles = s.vms.map(profileVm);
    const build = (slo: number | undefined): HostState => {
      const hs = new HostState(s.host, p);
      for (const x of [{ ...profiles[0], ...(slo === undefined ? {} : { sloP999Us: slo }) }, ...profiles.slice(1)]) hs.add(x, p.victim(x));
      return hs;
    };
    const hs = build(undefined);
    const pr = hs.predictVictim(p.victim(profiles[0])!, newPrediction());
    const off = new Predictor(model(Math.log(1.5)), { ...ALL_MECHANISMS, mixedRouting: false });
    const hsOff = new HostState(s.host, off);
    for (const x of profiles) hsOff.add(x, off.victim(x));
    expect(pr.estimateUs[1], "routing moves the estimate").not.toBe(hsOff.predictVictim(off.victim(profiles[0])!, newPrediction()).estimateUs[1]);
    // Predictor.predict and withinSlo as asked without the host's overload count; the host's own path (fits) with it.
    const plain = p.predict(hs.model, hs.mix, p.victim(profiles[0])!, undefined, 0, newPrediction()).boundUs[1];
    for (const f of [0.9, 0.99, 1.01, 1.1]) {
      const v = p.victim({ ...profiles[0], sloP999Us: f * plain })!;
      expect(p.withinSlo(hs.model, hs.mix, v, undefined, 0), `withinSlo, SLO ${f} x bound`).toBe(f >= 1);
      expect(build(f * pr.boundUs[1]).fits(), `rows, SLO ${f} x bound`).toBe(f >= 1);
    }
  });
});
