import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { CandidateTable } from "../../src/interference/candidates.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import type { Victim } from "../../src/interference/predictor.js";
import { profileVm, type VmProfile } from "../../src/interference/profile.js";
import { markUnmeetable } from "../../src/interference/unmeetable.js";
import type { Host } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { defaultScheduler } from "../../src/model/scheduler.js";
import { parseCluster } from "../../src/model/validate.js";
import { bundledPredictor } from "./helpers.js";

/**
 * Light certificates (light-certs.ts) and the newcomer judging itself first (HostState.judgeQuery):
 * an io-only candidate refused or passed from what the last ones asked on the same unchanged host
 * found, and a newcomer that failed itself on the last host asked about it asked first. Each answer
 * must be fits()'s, which asks every victim and never reads a certificate. The shipped model (its
 * correction and bounds), credit1 hosts of several sizes as the placer's fleet has them, and the
 * other schedulers (no certificate there), each filled and asked about every io-only VM of a
 * generated fleet, host after host as the placer does, with the hosts changing between rounds.
 */
const predictor = bundledPredictor();
const doc = parseCluster(generateCluster({ hosts: 8, vms: 400, seed: 16, mix: { io: 0.45, cpu: 0.3, mixed: 0.2, trace: 0.05 }, placed: false, scheduler: "both" }));
if (!doc.ok) throw new Error("generated cluster invalid");
const cluster = doc.value;
const profiles: VmProfile[] = cluster.vms.map(profileVm);
const base = cluster.hosts[0];
const host = (kind: "xen-credit" | "kvm-cfs" | "xen-credit2" | "kvm-eevdf", cores: number): Host => ({ ...base, id: `${kind}-${cores}`, cores, scheduler: defaultScheduler(kind) });
const CREDIT1 = [4, 8, 16].map((cores) => host("xen-credit", cores));
const OTHERS = (["kvm-cfs", "xen-credit2", "kvm-eevdf"] as const).map((kind) => host(kind, 8));

/** Calls of HostState's private certificate checks that answered true (counted by wrapping them). */
function counting(name: string): { hits: number; restore: () => void } {
  const proto = HostState.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = proto[name];
  const c = { hits: 0, restore: () => void (proto[name] = original) };
  proto[name] = function (this: unknown, ...a: unknown[]) {
    const r = original.apply(this, a);
    if (r === true) c.hits++;
    return r;
  };
  return c;
}

function fleet(hosts: Host[]): { victims: (Victim | undefined)[]; table: CandidateTable } {
  const victims = profiles.map((p) => victimTerms(p, predictor));
  markUnmeetable(profiles, victims, hosts, predictor);
  return { victims, table: CandidateTable.of(profiles, victims, predictor) };
}

/**
 * sweep fills each host of `hosts` with random VMs (to about `fill` x its cores in vCPUs), asks every
 * io-only VM of the fleet of every host in turn (each VM host after host), three times with some
 * VMs moved between rounds, and returns how many answers disagreed with fits() and how many refused.
 */
function sweep(hosts: Host[], seed: string, fill: number): { wrong: string[]; asked: number; refused: number } {
  const { victims, table } = fleet(hosts);
  const rng = seedrandom.alea(seed);
  const pick = (n: number) => Math.floor(rng() * n);
  const states = hosts.map((h) => new HostState(h, predictor));
  const on: number[][] = hosts.map(() => []);
  const put = (i: number, j: number) => {
    on[i].push(j);
    states[i].add(profiles[j], victims[j]);
  };
  hosts.forEach((h, i) => {
    let vcpus = 0;
    while (vcpus < fill * h.cores) {
      const j = pick(profiles.length);
      put(i, j);
      vcpus += profiles[j].vcpus;
    }
  });
  const io = profiles.map((p, j) => (p.io && !p.cpu ? j : -1)).filter((j) => j >= 0);
  const wrong: string[] = [];
  let asked = 0;
  let refused = 0;
  for (let round = 0; round < 3; round++) {
    // The same VMs in another order each round, some asked twice running.
    const order = io.map((j) => [rng(), j]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    for (const j of order)
      for (let rep = 0; rep < (j % 5 === 0 ? 2 : 1); rep++)
        states.forEach((s, i) => {
          const got = s.fitsAt(table, j, victims[j]);
          const want = s.fits(profiles[j], victims[j]);
          asked++;
          if (!want) refused++;
          if (got !== want) wrong.push(`${hosts[i].id} round ${round} VM ${profiles[j].id}: ${got}, fits ${want}`);
        });
    // Between rounds a VM leaves each host and another joins: what was certified is the old host's.
    states.forEach((s, i) => {
      const [j] = on[i].splice(pick(on[i].length), 1);
      s.remove(profiles[j], victims[j]);
      put(i, pick(profiles.length));
    });
  }
  return { wrong, asked, refused };
}

describe("light certificates", () => {
  test("credit1: io-only what-ifs answered from certificates are fits()'s answers", () => {
    const refusals = counting("refuses");
    const passes = counting("passes");
    try {
      for (const [seed, fill] of [
        ["light-certs-1", 1.2],
        ["light-certs-2", 1.6],
        ["light-certs-3", 0.8],
      ] as const) {
        const r = sweep(CREDIT1, seed, fill);
        expect(r.wrong, r.wrong.slice(0, 5).join("\n")).toEqual([]);
        // Both kinds of answer occur, so a certificate could get either wrong.
        expect(r.refused).toBeGreaterThan(r.asked / 10);
        expect(r.refused).toBeLessThan(r.asked);
      }
      // The shortcuts were taken, both ways.
      expect(refusals.hits).toBeGreaterThan(100);
      expect(passes.hits).toBeGreaterThan(20);
    } finally {
      refusals.restore();
      passes.restore();
    }
  });

  test.each([false, true])("credit1, victims at their SLO's edge: io-only candidates of every load and service get fits()'s answers (candidates' own SLOs: %s)", (selfSlos) => {
    // Hosts whose victims' SLOs sit between their bound with the lightest and the heaviest
    // candidate, so that the light part decides: a certificate that reads the wrong side of
    // either light sum, outlives its host or its outside reasons, or counts a test too near eps or
    // an OVER victim's episodes, answers otherwise than fits().
    const refusals = counting("refuses");
    const passes = counting("passes");
    try {
      const sleepers = profiles.filter((p) => p.cpu && !p.io && p.cpu.duty < 1);
      const ios = profiles.filter((p) => p.io && !p.cpu);
      const mixed = profiles.filter((p) => p.io && p.cpu && p.cpu.duty < 0.99);
      const over = profiles.filter((p) => p.io && p.cpu && p.cpu.duty >= 0.99);
      if (sleepers.length < 20 || ios.length < 4 || mixed.length < 2 || over.length < 1) throw new Error("fixture lacks VMs of a kind");
      const grid: VmProfile[] = [];
      for (const rps of [50, 120, 300, 700, 1500, 3000, 6000])
        for (const serviceUs of [40, 90, 200, 450, 1000, 2200]) grid.push({ ...ios[0], id: `c-${rps}-${serviceUs}`, sloP99Us: undefined, sloP999Us: undefined, io: { requestsPerSec: rps, serviceUs } });
      const pr = () => ({ estimateUs: [0, 0] as [number, number], boundUs: [0, 0] as [number, number], pFull: 0, blockGivenFull: 0, meanWaitUs: 0, widened: 0 });
      const rng = seedrandom.alea(`edge-${selfSlos}`);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)];
      const hosts = [8, 16, 4, 8, 12, 8, 16, 6].map((cores, i) => {
        const h = { ...host("xen-credit", cores), id: `edge-${i}` };
        // Neighbours: sleepers up to about the cores, so that a core is often exactly one short.
        const neighbours: VmProfile[] = [];
        for (let n = 0; n < cores + 2; ) {
          const p = pick(sleepers);
          neighbours.push(p);
          n += p.cpu!.vcpus;
        }
        const kinds = [pick(ios), pick(ios), pick(mixed), pick(over)];
        // Each victim's p99.9 SLO between its bound with the lightest and the heaviest candidate.
        const probe = new HostState(h, predictor);
        for (const p of [...neighbours, ...kinds]) probe.add(p, victimTerms(p, predictor));
        const edge = kinds.map((p): VmProfile => {
          const v = victimTerms({ ...p, sloP99Us: undefined, sloP999Us: 1e9 }, predictor)!;
          const lo = probe.predictVictim(v, pr(), grid[0]).boundUs[1];
          const hi = probe.predictVictim(v, pr(), grid[grid.length - 1]).boundUs[1];
          return { ...p, id: `${p.id}-edge-${i}`, sloP99Us: undefined, sloP999Us: lo + (hi - lo) * (0.2 + 0.6 * rng()) };
        });
        return { h, probe, on: [...neighbours, ...edge], edge: new Set<VmProfile>(edge) };
      });
      // Half the candidates have an SLO of their own at the median of their bound over the hosts:
      // each fails itself on some hosts, and is asked first after it did (judgeQuery).
      const candidates = grid.map((c, k) => {
        if (!selfSlos || k % 2 === 0) return c;
        const v = victimTerms({ ...c, sloP999Us: 1e9 }, predictor)!;
        const bounds = hosts.map((x) => x.probe.predictVictim(v, pr(), c, true).boundUs[1]).sort((a, b) => a - b);
        return { ...c, sloP999Us: (bounds[3] + bounds[4]) / 2 };
      });
      const all = [...profiles, ...candidates];
      const victims = all.map((p) => victimTerms(p, predictor));
      const table = CandidateTable.of(all, victims, predictor);
      const states = hosts.map((x) => {
        const s = new HostState(x.h, predictor);
        for (const p of x.on) s.add(p, victimTerms(p, predictor));
        return s;
      });
      let wrong = 0;
      let asked = 0;
      let refused = 0;
      for (let round = 0; round < 4; round++) {
        const order = candidates.map((_, k) => [rng(), profiles.length + k]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
        // Each candidate host after host, as the placer asks.
        for (const j of order)
          states.forEach((s) => {
            const got = s.fitsAt(table, j, victims[j]);
            const want = s.fits(all[j], victims[j]);
            asked++;
            if (!want) refused++;
            if (got !== want) wrong++;
          });
        // A sleeper leaves each host and another joins (the victims stay): the certificates are the old hosts'.
        hosts.forEach((x, i) => {
          const k = x.on.findIndex((p) => !x.edge.has(p));
          states[i].remove(x.on[k], undefined);
          const p = pick(sleepers);
          x.on.splice(k, 1, p);
          states[i].add(p, undefined);
        });
      }
      expect(wrong).toBe(0);
      expect(refused).toBeGreaterThan(asked / 5);
      expect(refused).toBeLessThan((9 * asked) / 10);
      expect(refusals.hits).toBeGreaterThan(50);
      expect(passes.hits).toBeGreaterThan(50);
    } finally {
      refusals.restore();
      passes.restore();
    }
  });

  test("other schedulers (no certificate there) and the newcomer judging itself first give fits()'s answers", () => {
    const refusals = counting("refuses");
    try {
      const r = sweep(OTHERS, "light-certs-other", 1.3);
      expect(r.wrong, r.wrong.slice(0, 5).join("\n")).toEqual([]);
      expect(r.refused).toBeGreaterThan(0);
      expect(refusals.hits).toBe(0);
    } finally {
      refusals.restore();
    }
  });
});
