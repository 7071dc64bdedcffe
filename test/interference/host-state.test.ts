import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { Metric } from "../../src/interference/predictor.js";
import { profileVm, type VmProfile } from "../../src/interference/profile.js";
import { generateCluster } from "../../src/model/generate.js";
import { parseCluster } from "../../src/model/validate.js";
import { bundledPredictor } from "./helpers.js";

const predictor = bundledPredictor();
const doc = parseCluster(generateCluster({ hosts: 4, vms: 60, seed: 5, mix: { io: 0.3, cpu: 0.5, mixed: 0.1, trace: 0.1 }, placed: false, scheduler: "both" }));
if (!doc.ok) throw new Error("generated cluster invalid");
const cluster = doc.value;
const profiles = cluster.vms.map(profileVm);

function fresh(host: (typeof cluster.hosts)[number], on: VmProfile[]): HostState {
  const s = new HostState(host, predictor);
  for (const p of on) s.add(p, victimTerms(p, predictor));
  return s;
}

describe("HostState", () => {
  test.each(cluster.hosts.map((h) => [h.id, h] as const))("random add/remove on %s matches a state built from scratch", (_id, host) => {
    const rng = seedrandom.alea(`hs-${host.id}`);
    const s = new HostState(host, predictor);
    const on: VmProfile[] = [];
    for (let step = 0; step < 200; step++) {
      if (on.length > 0 && rng() < 0.4) {
        const [p] = on.splice(Math.floor(rng() * on.length), 1);
        s.remove(p, victimTerms(p, predictor));
      } else {
        const p = profiles[Math.floor(rng() * profiles.length)];
        if (on.includes(p)) continue;
        on.push(p);
        s.add(p, victimTerms(p, predictor));
      }
      const f = fresh(host, on);
      expect(s.delayUs(Metric.RequestP999)).toBeCloseTo(f.delayUs(Metric.RequestP999), 6);
      expect(s.worstSlackUs()).toBeCloseTo(f.worstSlackUs(), 6);
      expect(s.vcpus).toBe(f.vcpus);
    }
  });

  test("asking with an extra VM equals adding it and asking", () => {
    const host = cluster.hosts[0];
    const base = profiles.slice(0, 10);
    for (const extra of profiles.slice(10, 30)) {
      const s = fresh(host, base);
      const whatIf = s.worstSlackUs(extra, victimTerms(extra, predictor));
      s.add(extra, victimTerms(extra, predictor));
      expect(whatIf).toBeCloseTo(s.worstSlackUs(), 6);
    }
  });

  test("removing a VM that is not there is a broken invariant", () => {
    const s = new HostState(cluster.hosts[0], predictor);
    const victim = profiles.find((p) => p.io && p.sloP999Us);
    if (!victim) throw new Error("fixture has no latency-sensitive VM");
    expect(() => s.remove(victim, victimTerms(victim, predictor))).toThrow(/not on this host/);
  });

  test("on a 4-core credit1 host the delay jumps once sleepy vCPUs plus the victim outnumber the cores", () => {
    // Not asserted monotone: at high duty, many sleepers go OVER and lose BOOST (sim-fidelity E4).
    const host = { ...cluster.hosts[0], cores: 4, scheduler: { ...cluster.hosts[0].scheduler, kind: "xen-credit", timesliceMs: 30 } } as (typeof cluster.hosts)[number];
    const sleeper = profileVm({ ...cluster.vms[0], id: "s", vcpus: 1, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 10, burstDistribution: "exponential" } });
    const withSleepers = (k: number): number => {
      const s = new HostState(host, predictor);
      for (let i = 0; i < k; i++) s.add({ ...sleeper, id: `s${i}` }, undefined);
      return s.delayUs(Metric.RequestP999);
    };
    expect(withSleepers(2)).toBeLessThan(1000);
    expect(withSleepers(6)).toBeGreaterThan(5 * Math.max(1000, withSleepers(2)));
  });
});
