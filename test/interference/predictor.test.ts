import { describe, expect, test } from "vitest";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { newPrediction, Pct, Predictor, WIDEN_PER_REASON } from "../../src/interference/predictor.js";
import { profileVm } from "../../src/interference/profile.js";
import type { Host, Vm } from "../../src/model/cluster.js";
import { defaultScheduler, type SchedulerParams } from "../../src/model/scheduler.js";
import { plainModel } from "./helpers.js";

const margin = Math.log(1.5);
const predictor = new Predictor(plainModel(margin));
const host = (cores: number, scheduler: SchedulerParams = defaultScheduler("xen-credit")): Host => ({ id: "h", cores, memoryMiB: 1 << 20, cost: 1, scheduler, labels: {} });
const vm = (id: string, workload: Vm["workload"], vcpus = 1, extra: Partial<Vm> = {}): Vm => ({ id, vcpus, memoryMiB: 1024, weight: 256, capPercent: 0, cpuWeight: 100, workload, labels: {}, ...extra });
const io = (id: string, rps = 1000, slo?: number) => vm(id, { kind: "io", requestsPerSec: rps, serviceUs: 80, arrival: "poisson" }, 1, slo ? { slo: { p999Ms: slo } } : {});
const cpu = (id: string, duty: number, burstMs: number, vcpus = 1) => vm(id, { kind: "cpu", dutyCycle: duty, burstMs, burstDistribution: "exponential" }, vcpus);

function predictOn(h: Host, vms: Vm[], victimId: string) {
  const s = new HostState(h, predictor);
  let victim;
  for (const v of vms) {
    const p = profileVm(v);
    const t = victimTerms(p, predictor);
    s.add(p, t);
    if (v.id === victimId) victim = t;
  }
  if (!victim) throw new Error("no victim");
  return { ...s.predictVictim(victim, newPrediction()), reasons: s.outsideReasons() };
}

describe("Predictor", () => {
  test("the bound is the estimate times the model's conformal margin", () => {
    const r = predictOn(host(4), [io("v"), cpu("a", 0.5, 10), cpu("b", 0.5, 10)], "v");
    expect(r.boundUs[Pct.P999] / r.estimateUs[Pct.P999]).toBeCloseTo(1.5, 9);
    expect(r.widened).toBe(0);
  });

  test("a host outside the calibrated range widens the bound per reason and says why", () => {
    const inside = predictOn(host(8), [io("v"), cpu("a", 0.5, 10)], "v");
    const outside = predictOn(host(8), [io("v"), cpu("a", 0.5, 80), cpu("b", 0.1, 10)], "v");
    expect(outside.widened).toBe(2);
    expect(outside.reasons.join("; ")).toMatch(/burst outside the calibrated 2-30 ms/);
    expect(outside.reasons.join("; ")).toMatch(/duty below the calibrated 0.3/);
    expect(outside.boundUs[Pct.P999] / outside.estimateUs[Pct.P999]).toBeCloseTo(1.5 * WIDEN_PER_REASON ** 2, 9);
    expect(inside.reasons).toEqual([]);
    const big = predictOn(host(64), [io("v")], "v");
    expect(big.reasons.join()).toMatch(/64 cores outside the calibrated 4-32/);
    const slice = predictOn(host(8, { ...defaultScheduler("xen-credit"), timesliceMs: 10 } as SchedulerParams), [io("v")], "v");
    expect(slice.reasons.join()).toMatch(/credit1 timeslice 10 ms not calibrated/);
  });

  test("credit2 and EEVDF hosts are predicted with their own cores, inside the calibrated range: not widened", () => {
    for (const s of [defaultScheduler("kvm-eevdf"), defaultScheduler("xen-credit2")]) {
      const r = predictOn(host(8, s), [io("v"), cpu("a", 0.5, 10)], "v");
      expect(r.reasons, s.kind).toEqual([]);
      expect(r.widened).toBe(0);
    }
  });

  test("on one full host, the four schedulers' predictions differ (none is scored with another's model)", () => {
    const vms = [io("v"), ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => cpu(`c${i}`, 0.6, 10))];
    const est = (["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const).map((k) => predictOn(host(8, defaultScheduler(k)), vms, "v").estimateUs[Pct.P999]);
    expect(new Set(est).size).toBe(4);
  });

  // Up to the cores only: beyond, CFS slices shrink as runnable threads pile up on a CPU, so the
  // wait behind a fresh runner shortens and the estimate may level off or dip.
  test("up to the cores, adding a CPU-bound neighbour never lowers a victim's estimate", () => {
    for (const sched of [defaultScheduler("xen-credit"), defaultScheduler("kvm-cfs"), defaultScheduler("xen-credit2"), defaultScheduler("kvm-eevdf")])
      for (const burst of [2, 8, 25]) {
        let last = 0;
        const vms = [io("v", 1500)];
        for (let k = 0; k < 6; k++) {
          vms.push(cpu(`c${k}`, 0.3 + 0.07 * k, burst));
          const e = predictOn(host(6, sched), vms, "v").estimateUs[Pct.P999];
          expect(e, `${sched.kind} burst ${burst} k ${k}`).toBeGreaterThanOrEqual(last - 1e-6);
          last = e;
        }
      }
  });

  test("a mixed victim does not compete with its own waking vCPU", () => {
    // 3 cores: the mixed victim's 1 vCPU plus 2 sleepers can never hold all 3 against itself.
    const mixed = vm("m", { kind: "mixed", io: { requestsPerSec: 500, serviceUs: 80, arrival: "poisson" }, cpu: { dutyCycle: 0.5, burstMs: 10, burstDistribution: "exponential" } });
    const r = predictOn(host(3), [mixed, cpu("a", 0.9, 10), cpu("b", 0.9, 10)], "m");
    expect(r.pFull).toBe(0);
    const crowded = predictOn(host(3), [mixed, cpu("a", 0.9, 10), cpu("b", 0.9, 10), cpu("c", 0.9, 10)], "m");
    expect(crowded.pFull).toBeGreaterThan(0.5);
  });

  test("refuses a model of another version, or one with the wrong number of weights, with a clear message", () => {
    expect(() => Predictor.fromJson({ ...plainModel(), version: 1 })).toThrow(/version 1 is not supported/);
    const bad = plainModel();
    bad.cores.cfs.p999.weights = [1, 2];
    expect(() => new Predictor(bad)).toThrow(/cfs correction has 2 weights/);
  });
});
