import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { CandidateTable } from "../../src/interference/candidates.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { newPrediction, Predictor, type Victim } from "../../src/interference/predictor.js";
import { profileVm } from "../../src/interference/profile.js";
import { markUnmeetable } from "../../src/interference/unmeetable.js";
import type { Host } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { defaultScheduler } from "../../src/model/scheduler.js";
import { parseCluster } from "../../src/model/validate.js";
import { bundledPredictor, plainModel } from "./helpers.js";

/**
 * What a host keeps between what-ifs beside the per-shape answers (candidates.test.ts): the last
 * fitsAt's answer (HostState.fitsAt), to be dropped when anything it read changes; and what a
 * query writes only when first read (Query's host parts): the asking host's, never another's.
 */
const predictor = new Predictor(plainModel(Math.log(1.5)));
const doc = parseCluster(generateCluster({ hosts: 6, vms: 120, seed: 12, mix: { io: 0.4, cpu: 0.35, mixed: 0.15, trace: 0.1 }, placed: false, scheduler: "both" }));
if (!doc.ok) throw new Error("generated cluster invalid");
const cluster = doc.value;
const HOSTS: Host[] = (["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const).map((kind) => ({ ...cluster.hosts[0], id: `${kind}-6`, cores: 6, scheduler: defaultScheduler(kind) }));
const profiles = cluster.vms.map(profileVm);

function fleet(): { victims: (Victim | undefined)[]; table: CandidateTable } {
  const victims = profiles.map((p) => victimTerms(p, predictor));
  markUnmeetable(profiles, victims, HOSTS, predictor);
  return { victims, table: CandidateTable.of(profiles, victims, predictor) };
}

describe("answers a host keeps", () => {
  test("the last fitsAt's answer is dropped when the host changes", () => {
    const { victims, table } = fleet();
    const rng = seedrandom.alea("kept-last");
    let stale = 0;
    for (const host of HOSTS) {
      const s = new HostState(host, predictor);
      const on: number[] = [];
      let last = 0;
      let answer = s.fitsAt(table, last, victims[last]);
      for (let step = 0; step < 6 * host.cores; step++) {
        // Fill, then empty: answers move both ways.
        if (step < 3 * host.cores) {
          const j = Math.floor(rng() * profiles.length);
          on.push(j);
          s.add(profiles[j], victims[j]);
        } else if (on.length > 0) {
          const j = on.splice(Math.floor(rng() * on.length), 1)[0];
          s.remove(profiles[j], victims[j]);
        }
        // The VM asked last before the change is asked first after it, twice (the second from what was kept).
        const want = s.fits(profiles[last], victims[last]);
        if (want !== answer) stale++;
        expect(s.fitsAt(table, last, victims[last]), `${host.id} step ${step}`).toBe(want);
        expect(s.fitsAt(table, last, victims[last])).toBe(want);
        last = Math.floor(rng() * profiles.length);
        answer = s.fitsAt(table, last, victims[last]);
        expect(answer).toBe(s.fits(profiles[last], victims[last]));
      }
    }
    // A kept answer that outlived its host's change would have been caught this often.
    expect(stale).toBeGreaterThan(5);
  });

  test("the last fitsAt's answer is dropped when its table row is rewritten", () => {
    const { victims } = fleet();
    // Two VMs without a latency-sensitive part (the same Victim, undefined) that one host answers differently about.
    const plain = profiles.flatMap((p, j) => (victims[j] === undefined && p.cpu ? [j] : []));
    let checked = 0;
    for (const host of HOSTS) {
      const s = new HostState(host, predictor);
      for (let j = 0; j < profiles.length && s.victimCount < host.cores; j++) if (victims[j]) s.add(profiles[j], victims[j]);
      const yes = plain.find((j) => s.fits(profiles[j]));
      const no = plain.find((j) => !s.fits(profiles[j]));
      if (yes === undefined || no === undefined) continue;
      const t = CandidateTable.of(profiles, victims, predictor);
      expect(s.fitsAt(t, yes, undefined)).toBe(true);
      // Slot `yes` now holds VM `no`, as a candidate slot rewrites a row in place.
      t.set(yes, profiles[no], undefined, predictor);
      expect(s.fitsAt(t, yes, undefined)).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  test("what a host keeps of its mixed victims for io-only what-ifs is dropped when the host changes", () => {
    // The shipped model: its margins and correction put the SLOs where the host's load decides them.
    const shipped = bundledPredictor();
    const victims = profiles.map((p) => victimTerms(p, shipped));
    markUnmeetable(profiles, victims, HOSTS, shipped);
    const table = CandidateTable.of(profiles, victims, shipped);
    const rng = seedrandom.alea("kept-tails");
    const pick = (ok: (j: number) => boolean): number[] => profiles.flatMap((_, j) => (ok(j) ? [j] : []));
    const io = pick((j) => profiles[j].io !== undefined && profiles[j].cpu === undefined && victims[j] !== undefined);
    const mixed = pick((j) => victims[j]?.ownCpu !== undefined);
    const cpu = pick((j) => profiles[j].cpu !== undefined && victims[j] === undefined);
    let moved = 0;
    let kept = 0;
    for (const host of HOSTS) {
      // Mixed victims, then CPU-bound VMs put on and taken off one at a time, so that the victims' room
      // comes and goes; after each change a few io-only VMs are asked, each after another: the
      // host's victims are judged from what the first what-if since the change kept of them (the
      // last answer, kept per VM, never serves them).
      const asked = [0, 1, 2, 3].map(() => io[Math.floor(rng() * io.length)]);
      const s = new HostState(host, shipped);
      // One mixed victim that leaves room for some of the VMs asked on the host without CPU-bound VMs.
      for (let tries = 0; tries < 200; tries++) {
        const j = mixed[Math.floor(rng() * mixed.length)];
        s.add(profiles[j], victims[j]);
        if (asked.some((a) => s.fits(profiles[a], victims[a]))) break;
        s.remove(profiles[j], victims[j]);
      }
      const on: number[] = [];
      const before = new Map<number, boolean>();
      for (let step = 0; step < 60; step++) {
        if (on.length === 0 || (on.length < host.cores && rng() < 0.5)) {
          const j = cpu[Math.floor(rng() * cpu.length)];
          on.push(j);
          s.add(profiles[j], victims[j]);
        } else {
          const j = on.splice(Math.floor(rng() * on.length), 1)[0];
          s.remove(profiles[j], victims[j]);
        }
        for (const j of [...asked, ...asked]) {
          const want = s.fits(profiles[j], victims[j]);
          expect(s.fitsAt(table, j, victims[j]), `${host.id} step ${step} VM ${j}`).toBe(want);
          if (before.has(j) && before.get(j) !== want) moved++;
          before.set(j, want);
          kept++;
        }
      }
    }
    // Answers that moved with the host: what was kept before a change would have been caught.
    expect(moved).toBeGreaterThan(5);
    expect(kept).toBeGreaterThan(100);
  });

  test("a query's host parts, written when an io-only victim first reads them, are its own host's", () => {
    // The shipped model: its correction reads the host's features (plainModel's weights are 0).
    const model = bundledPredictor().model;
    const shared = new Predictor(model);
    const rng = seedrandom.alea("kept-parts");
    const io = profiles.flatMap((p, j) => (p.io && !p.cpu ? [j] : []));
    const cpu = profiles.flatMap((p, j) => (p.cpu ? [j] : []));
    let compared = 0;
    for (const host of HOSTS) {
      // A busy host asked first on the shared predictor's query, then the host under test.
      const busy = new HostState({ ...host, id: "busy" }, shared);
      const fill = (s: HostState, n: number, pick: number[], v: (Victim | undefined)[]): void => {
        for (let k = 0; k < n; k++) {
          const j = pick[Math.floor(rng() * pick.length)];
          s.add(profiles[j], v[j]);
        }
      };
      const vs = profiles.map((p) => victimTerms(p, shared));
      fill(busy, 2 * host.cores, cpu, vs);
      fill(busy, host.cores, io, vs);
      const seed = rng();
      const build = (pred: Predictor): { s: HostState; v: (Victim | undefined)[] } => {
        const r = seedrandom.alea(String(seed));
        const v = profiles.map((p) => victimTerms(p, pred));
        const s = new HostState(host, pred);
        for (let k = 0; k < host.cores; k++) {
          const j = (k % 2 === 0 ? io : cpu)[Math.floor(r() * (k % 2 === 0 ? io : cpu).length)];
          s.add(profiles[j], v[j]);
        }
        return { s, v };
      };
      const a = build(shared);
      const b = build(new Predictor(model));
      for (let q = 0; q < 20; q++) {
        const x = profiles[cpu[Math.floor(rng() * cpu.length)]];
        const m = io[Math.floor(rng() * io.length)];
        // The busy host's parts written last (no CPU-bound extra), then a query that leaves them due.
        busy.predictVictim(vs[m]!, newPrediction());
        busy.predictVictim(vs[m]!, newPrediction(), x);
        const got = a.s.predictVictim(a.v[m]!, newPrediction(), x);
        const want = b.s.predictVictim(b.v[m]!, newPrediction(), x);
        expect(got.estimateUs, host.id).toEqual(want.estimateUs);
        compared++;
      }
    }
    expect(compared).toBe(20 * HOSTS.length);
  });
});
