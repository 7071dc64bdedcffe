import { describe, expect, test } from "vitest";
import { CandidateTable } from "../../src/interference/candidates.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { newPrediction, Pct, Predictor } from "../../src/interference/predictor.js";
import { profileVm, type VmProfile } from "../../src/interference/profile.js";
import type { Host } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { defaultScheduler } from "../../src/model/scheduler.js";
import { parseCluster } from "../../src/model/validate.js";
import { plainModel } from "./helpers.js";

/**
 * An io-only VM judging itself in a what-if must meet what it meets once on the host (issue 12):
 * CFS's light waiters (light-holds.ts othersBusy) count every busy light vCPU on the host, so the
 * what-if must count the newcomer's own vCPUs as the host will, not only those but its waking one.
 */
const predictor = new Predictor(plainModel(Math.log(1.5)));
const doc = parseCluster(generateCluster({ hosts: 1, vms: 1, seed: 5, mix: { io: 1, cpu: 0, mixed: 0, trace: 0 }, placed: false, scheduler: "both" }));
if (!doc.ok) throw new Error("generated cluster invalid");
const cluster = doc.value;
const base = cluster.vms[0];
const io = (id: string, vcpus: number, rps: number, serviceUs: number, p999Ms?: number): VmProfile =>
  profileVm({ ...base, id, vcpus, slo: p999Ms === undefined ? undefined : { p999Ms }, workload: { kind: "io", requestsPerSec: rps, serviceUs, arrival: "poisson" } });
const sleeper = (id: string, duty: number): VmProfile =>
  profileVm({ ...base, id, vcpus: 1, slo: undefined, workload: { kind: "cpu", dutyCycle: duty, burstMs: 5, burstDistribution: "exponential" } });

/** A small CFS host: sleepers about filling its cores and busy io VMs (no SLOs of their own) beside them. */
function host(kind: "kvm-cfs" | "kvm-eevdf", cores: number): HostState {
  const h: Host = { ...cluster.hosts[0], cores, scheduler: defaultScheduler(kind) };
  const s = new HostState(h, predictor);
  for (let i = 0; i < cores; i++) s.add(sleeper(`s${i}`, 0.75), undefined);
  for (let i = 0; i < 3; i++) s.add(io(`io${i}`, 2, 4000, 120), undefined);
  return s;
}

const CASES = [
  ["kvm-cfs", 4, 1],
  ["kvm-cfs", 4, 2],
  ["kvm-cfs", 8, 4],
  ["kvm-eevdf", 4, 2],
] as const;

describe("an io-only newcomer judged in a what-if", () => {
  test.each(CASES)("%s, %i cores, %i vCPUs: its estimate and slack are those it gets once added", (kind, cores, vcpus) => {
    const p = io("new", vcpus, 1500 * vcpus, 80, 1000);
    const v = victimTerms(p, predictor)!;
    const s = host(kind, cores);
    const before = s.predictVictim(v, newPrediction(), p, true);
    const slackBefore = s.worstSlackUs(p, v);
    s.add(p, v);
    const after = s.predictVictim(v, newPrediction());
    // The light waiters must matter here (CFS): a core waiting at least its service time.
    expect(after.estimateUs[Pct.P999]).toBeGreaterThan(p.io!.serviceUs * 3);
    for (const pct of [Pct.P99, Pct.P999]) {
      expect(Math.abs(before.estimateUs[pct] - after.estimateUs[pct]), `estimate ${pct}`).toBeLessThanOrEqual(1e-9 * after.estimateUs[pct]);
      expect(Math.abs(before.boundUs[pct] - after.boundUs[pct]), `bound ${pct}`).toBeLessThanOrEqual(1e-9 * after.boundUs[pct]);
    }
    expect(Math.abs(slackBefore - s.worstSlackUs())).toBeLessThanOrEqual(1e-9 * 1000 * 1000);
  });

  test.each(CASES)("%s, %i cores, %i vCPUs: fits and fitsAt say what fits says once it is added", (kind, cores, vcpus) => {
    const probe = io("new", vcpus, 1500 * vcpus, 80, 1000);
    const onHost = host(kind, cores);
    onHost.add(probe, victimTerms(probe, predictor));
    const bound = onHost.predictVictim(victimTerms(probe, predictor)!, newPrediction()).boundUs[Pct.P999];
    // SLOs just either side of the bound it gets once on: the what-if must land on the same side.
    for (const f of [0.99, 0.999, 1.001, 1.01]) {
      const p = io("new", vcpus, 1500 * vcpus, 80, (f * bound) / 1000);
      const v = victimTerms(p, predictor)!;
      const table = CandidateTable.of([p], [v], predictor);
      const s = host(kind, cores);
      const asked = s.fits(p, v);
      expect(s.fitsAt(table, 0, v), `fitsAt at ${f}`).toBe(asked);
      s.add(p, v);
      expect(asked, `fits at ${f} x its bound`).toBe(s.fits());
      expect(asked).toBe(f > 1);
    }
  });
});
