import seedrandom from "seedrandom";
import { expect, test } from "vitest";
import { CandidateTable } from "../../src/interference/candidates.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { profileVm, type VmProfile } from "../../src/interference/profile.js";
import type { Host } from "../../src/model/cluster.js";
import { generateCluster } from "../../src/model/generate.js";
import { defaultScheduler } from "../../src/model/scheduler.js";
import { parseCluster } from "../../src/model/validate.js";
import { bundledPredictor } from "./helpers.js";

/**
 * The newcomer judging itself first (HostState.judgeQuery): an io-only VM that failed its own SLO
 * the last time it was judged, on whatever host, is judged before the victims here. That is an
 * order only: the answer (the AND of every victim's test and its own) must be fits()'s, which
 * judges the victims first and never reads the hint. The candidates are asked host by host, all of
 * them on one host before the next (so the last VM judged is seldom the one asked), with SLOs of
 * their own at the median of their bounds over the hosts, so each fails itself on some hosts and
 * passes on others, where the victims may still refuse it.
 */
const predictor = bundledPredictor();
const doc = parseCluster(generateCluster({ hosts: 8, vms: 400, seed: 17, mix: { io: 0.45, cpu: 0.3, mixed: 0.2, trace: 0.05 }, placed: false, scheduler: "both" }));
if (!doc.ok) throw new Error("generated cluster invalid");
const profiles: VmProfile[] = doc.value.vms.map(profileVm);
const base = doc.value.hosts[0];
const KINDS = ["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const;

test("a newcomer judged before the victims because it failed itself on another host gets fits()'s answer", () => {
  const rng = seedrandom.alea("self-first");
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)];
  const ios = profiles.filter((p) => p.io && !p.cpu);
  const others = profiles.filter((p) => p.cpu);
  const hosts: Host[] = [4, 8, 16, 6, 8, 12, 4, 8].map((cores, i) => ({ ...base, id: `h-${i}`, cores, scheduler: defaultScheduler(KINDS[i % KINDS.length]) }));
  const pr = () => ({ estimateUs: [0, 0] as [number, number], boundUs: [0, 0] as [number, number], pFull: 0, blockGivenFull: 0, meanWaitUs: 0, widened: 0 });
  const mid: VmProfile = { ...ios[0], id: "mid", sloP99Us: undefined, sloP999Us: undefined, io: { requestsPerSec: 1200, serviceUs: 120 } };
  const states = hosts.map((h, i) => {
    // Mostly neighbours not judged here (no Victim), so that a newcomer often fails itself where
    // the victims pass it; the victims' p99.9 SLOs at their bound with a middling newcomer, so
    // that one often refuses a newcomer that passes itself.
    const neighbours: VmProfile[] = [];
    const judged: VmProfile[] = [];
    for (let vcpus = 0; vcpus < (0.6 + 0.15 * i) * h.cores; ) {
      const victim = rng() < 0.3;
      const p = pick(victim ? ios : others);
      (victim ? judged : neighbours).push(p);
      vcpus += p.vcpus;
    }
    const probe = new HostState(h, predictor);
    for (const p of neighbours) probe.add(p, undefined);
    const loose = judged.map((p) => ({ ...p, sloP99Us: undefined, sloP999Us: 1e9 }));
    for (const p of loose) probe.add(p, victimTerms(p, predictor));
    const s = new HostState(h, predictor);
    for (const p of neighbours) s.add(p, undefined);
    for (const p of loose) {
      const edge = { ...p, sloP999Us: probe.predictVictim(victimTerms(p, predictor)!, pr(), mid).boundUs[1] * (0.6 + 0.6 * rng()) };
      s.add(edge, victimTerms(edge, predictor));
    }
    return s;
  });
  const candidates: VmProfile[] = [];
  for (const rps of [80, 200, 500, 1200, 2500, 4000])
    for (const serviceUs of [50, 120, 300, 900]) {
      const c: VmProfile = { ...ios[0], id: `c-${rps}-${serviceUs}`, sloP99Us: undefined, sloP999Us: 1e9, io: { requestsPerSec: rps, serviceUs } };
      const v = victimTerms(c, predictor)!;
      const bounds = states.map((s) => s.predictVictim(v, pr(), c, true).boundUs[1]).sort((a, b) => a - b);
      candidates.push({ ...c, sloP999Us: (bounds[3] + bounds[4]) / 2 });
    }
  const victims = candidates.map((p) => victimTerms(p, predictor));
  const table = CandidateTable.of(candidates, victims, predictor);
  // Which test judgeQuery made first: the newcomer's own (selfFits) or the victims' (hostVictimsFit).
  const proto = HostState.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const { selfFits, hostVictimsFit } = proto;
  let first = "";
  let selfOk = false;
  proto.selfFits = function (this: unknown, ...a: unknown[]) {
    first ||= "self";
    return (selfOk = selfFits.apply(this, a) as boolean);
  };
  proto.hostVictimsFit = function (this: unknown, ...a: unknown[]) {
    first ||= "victims";
    return hostVictimsFit.apply(this, a);
  };
  let wrong = 0;
  let selfFirst = 0;
  let selfFirstFailed = 0;
  let selfFirstThenRefused = 0;
  let refused = 0;
  try {
    for (let round = 0; round < 3; round++)
      // The hosts in another order each round: a newcomer comes from a host where it failed itself to any other.
      for (const s of states.map((x) => [rng(), x] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1])) {
        for (let j = 0; j < candidates.length; j++) {
          first = "";
          const got = s.fitsAt(table, j, victims[j]);
          const want = s.fits(candidates[j], victims[j]);
          if (got !== want) wrong++;
          if (!want) refused++;
          if (first === "self") {
            selfFirst++;
            if (!selfOk) selfFirstFailed++;
            else if (!want) selfFirstThenRefused++;
          }
        }
      }
  } finally {
    proto.selfFits = selfFits;
    proto.hostVictimsFit = hostVictimsFit;
  }
  expect(wrong).toBe(0);
  expect(refused).toBeGreaterThan(0);
  // The hint fired across hosts, and both ways after it: the newcomer failing itself again, and
  // passing where a victim then refuses it (an order that skipped the victims would accept).
  expect(selfFirst).toBeGreaterThan(20);
  expect(selfFirstFailed).toBeGreaterThan(5);
  expect(selfFirstThenRefused).toBeGreaterThan(0);
});
