import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { CandidateTable } from "../../src/interference/candidates.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { Predictor, type Victim } from "../../src/interference/predictor.js";
import { profileVm, type VmProfile } from "../../src/interference/profile.js";
import { markUnmeetable } from "../../src/interference/unmeetable.js";
import type { Host } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { defaultScheduler } from "../../src/model/scheduler.js";
import { parseCluster } from "../../src/model/validate.js";
import { plainModel } from "./helpers.js";

const predictor = new Predictor(plainModel(Math.log(1.5)));
const doc = parseCluster(generateCluster({ hosts: 6, vms: 90, seed: 8, mix: { io: 0.35, cpu: 0.45, mixed: 0.1, trace: 0.1 }, placed: false, scheduler: "both" }));
if (!doc.ok) throw new Error("generated cluster invalid");
const cluster = doc.value;
const DRIVER = { vcpus: 1, weight: 256, cpuWeight: 100, capPercent: 0, usPerPacket: 60, packetsPerRequest: 2, rxPacketsPerRequest: 1, chargeDriverWork: false };
// Every scheduler core, and a driver domain (the candidate's requests load it).
const HOSTS: Host[] = (["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const).flatMap((kind, k) => [
  { ...cluster.hosts[0], id: `${kind}-4`, cores: 4, scheduler: defaultScheduler(kind) },
  { ...cluster.hosts[0], id: `${kind}-8-d`, cores: 8 + k, scheduler: defaultScheduler(kind), driverDomain: DRIVER },
]);

/** Random hosts of every kind (three fills each) with random VMs, and every VM asked about on each: fitsAt against fits. */
function compare(t: CandidateTable, profiles: readonly VmProfile[], victims: readonly (Victim | undefined)[], seed: string): { asked: number; fit: number } {
  const rng = seedrandom.alea(seed);
  let asked = 0;
  let fit = 0;
  for (const host of [...HOSTS, ...HOSTS, ...HOSTS]) {
    const s = new HostState(host, predictor);
    const n = 1 + Math.floor(rng() * 2 * host.cores);
    for (let k = 0; k < n; k++) {
      const j = Math.floor(rng() * profiles.length);
      s.add(profiles[j], victims[j]);
    }
    for (let j = 0; j < profiles.length; j++) {
      const want = s.fits(profiles[j], victims[j]);
      expect(s.fitsAt(t, j, victims[j]), `${host.id}, VM ${profiles[j].id}`).toBe(want);
      asked++;
      if (want) fit++;
    }
  }
  return { asked, fit };
}

describe("CandidateTable", () => {
  test("fitsAt gives fits' answer for every VM on hosts of every scheduler, with and without a driver domain", () => {
    const profiles = cluster.vms.map(profileVm);
    const victims = profiles.map((p) => victimTerms(p, predictor));
    markUnmeetable(profiles, victims, HOSTS, predictor);
    const { asked, fit } = compare(CandidateTable.of(profiles, victims, predictor), profiles, victims, "candidates-1");
    // Both answers occur, or the comparison proves little.
    expect(fit).toBeGreaterThan(asked / 10);
    expect(fit).toBeLessThan(asked);
  });

  test("a row written before markUnmeetable judges its VM by the marks made since", () => {
    const base = cluster.vms[0];
    // 50 µs of service cannot have a 60 µs p99.9 once requests queue: unmeetable on every kind.
    const tight = profileVm({ ...base, id: "tight", vcpus: 1, slo: { p999Ms: 0.06 }, workload: { kind: "io", requestsPerSec: 500, serviceUs: 50, arrival: "poisson" } });
    const v = victimTerms(tight, predictor)!;
    const t = CandidateTable.of([tight], [v], predictor);
    const s = new HostState(HOSTS[0], predictor);
    expect(s.fitsAt(t, 0, v)).toBe(false); // unmarked: its SLO is checked, and breaks
    markUnmeetable([tight], [v], HOSTS, predictor);
    expect(v.unmetSlos).toBe(2);
    expect(s.fitsAt(t, 0, v)).toBe(s.fits(tight, v));
    expect(s.fitsAt(t, 0, v)).toBe(true);
  });

  test("set and inserted rows give the table built from the changed list", () => {
    const profiles = cluster.vms.map(profileVm);
    const victims = profiles.map((p) => victimTerms(p, predictor));
    markUnmeetable(profiles, victims, HOSTS, predictor);
    const t = CandidateTable.of(profiles.slice(1), victims.slice(1), predictor);
    const inserted = t.inserted(0, profiles[0], victims[0], predictor);
    expect(inserted).toEqual(CandidateTable.of(profiles, victims, predictor));
    expect(inserted.length).toBe(profiles.length);
    // Swap VM 3 for VM 7's shape in place, as a candidate slot does.
    inserted.set(3, profiles[7], victims[7], predictor);
    const swapped = profiles.map((p, j) => (j === 3 ? profiles[7] : p));
    const swappedVictims = victims.map((v, j) => (j === 3 ? victims[7] : v));
    expect(inserted).toEqual(CandidateTable.of(swapped, swappedVictims, predictor));
    compare(inserted, swapped, swappedVictims, "candidates-2");
  });

  test("a host keeps a CPU shape's answer only until it changes", () => {
    const profiles = cluster.vms.map(profileVm);
    const victims = profiles.map((p) => victimTerms(p, predictor));
    markUnmeetable(profiles, victims, HOSTS, predictor);
    const t = CandidateTable.of(profiles, victims, predictor);
    const cpu = profiles.flatMap((p, j) => (p.cpu ? [j] : []));
    // Catalogue sizes: CPU-bound VMs share shapes, so the second of a shape is answered from what the first found.
    expect(new Set(cpu.map((j) => t.shape(j))).size).toBeLessThan(cpu.length);
    const rng = seedrandom.alea("candidates-shapes");
    let flips = 0;
    for (const host of HOSTS.filter((h) => !h.driverDomain)) {
      const s = new HostState(host, predictor);
      const on: number[] = [];
      const askAll = (what: string): boolean[] =>
        profiles.map((p, j) => {
          const got = s.fitsAt(t, j, victims[j]);
          expect(got, `${host.id} ${what}, VM ${p.id}`).toBe(s.fits(p, victims[j]));
          return got;
        });
      // Fill the host a VM at a time, asking about every VM after each change (answers move as it fills), then empty it.
      let before = askAll("empty");
      for (let k = 0; k < 2 * host.cores; k++) {
        const j = Math.floor(rng() * profiles.length);
        on.push(j);
        s.add(profiles[j], victims[j]);
        const now = askAll(`after add ${k}`);
        flips += now.filter((a, i) => a !== before[i]).length;
        before = now;
      }
      while (on.length > 0) {
        const j = on.splice(Math.floor(rng() * on.length), 1)[0];
        s.remove(profiles[j], victims[j]);
        const now = askAll(`after remove, ${on.length} left`);
        flips += now.filter((a, i) => a !== before[i]).length;
        before = now;
      }
    }
    // Answers did change with the host: a kept answer that outlived a change would have failed above.
    expect(flips).toBeGreaterThan(100);
  });

  // credit2's grant-end term reads a sleepy mixed VM's request wakes (Mechanisms.credit2MixedWakes),
  // no other core does: two such VMs that differ only in their request rate share a shape's kept
  // answer everywhere but on credit2 hosts, where they must not (fitsAt against fits above).
  test("mixed VMs differing only in request rate share a shape id, but not the id credit2 hosts read", () => {
    const mixed = cluster.vms.find((vm) => { const p = profileVm(vm); return p.cpu?.ioWakesUs !== undefined; });
    expect(mixed).toBeDefined();
    const a = profileVm(mixed!);
    const b = { ...a, id: `${a.id}-b`, cpu: { ...a.cpu!, ioWakesUs: 2 * a.cpu!.ioWakesUs! } };
    const t = CandidateTable.of([a, b], [undefined, undefined], predictor);
    expect(t.shape(0)).toBe(t.shape(1));
    expect(t.shape(0, true)).not.toBe(t.shape(1, true));
    // A VM without request wakes has one id either way.
    const cpuOnly = cluster.vms.map(profileVm).find((p) => p.cpu !== undefined && p.cpu.ioWakesUs === undefined);
    const u = CandidateTable.of([cpuOnly!], [undefined], predictor);
    expect(u.shape(0, true)).toBe(u.shape(0));
  });

  test("a kept CPU shape's answer is dropped when markUnmeetable runs", () => {
    const base = cluster.vms[0];
    // As above: a 60 µs p99.9 over 50 µs of service breaks on any host until it is marked unmeetable.
    const tight = profileVm({ ...base, id: "tight", vcpus: 1, slo: { p999Ms: 0.06 }, workload: { kind: "io", requestsPerSec: 500, serviceUs: 50, arrival: "poisson" } });
    const hog = profileVm({ ...base, id: "hog", vcpus: 2, slo: undefined, workload: { kind: "cpu", dutyCycle: 1, burstMs: 10, burstDistribution: "exponential" } });
    const v = victimTerms(tight, predictor)!;
    const t = CandidateTable.of([hog], [undefined], predictor);
    expect(t.shape(0)).toBeGreaterThanOrEqual(0);
    const s = new HostState(HOSTS[0], predictor);
    s.add(tight, v);
    expect(s.fitsAt(t, 0, undefined)).toBe(false);
    expect(s.fitsAt(t, 0, undefined)).toBe(false); // kept
    markUnmeetable([tight], [v], HOSTS, predictor);
    expect(v.unmetSlos).toBe(2);
    expect(s.fitsAt(t, 0, undefined)).toBe(true);
    expect(s.fitsAt(t, 0, undefined)).toBe(s.fits(hog, undefined));
  });
});

