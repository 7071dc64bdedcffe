import { describe, expect, test } from "vitest";
import { drawAll, drawRound, drawSet, EVAL_ROUNDS, EVAL_SEEDS, EVAL_SETS, HOLDOUT2_SEEDS, HOLDOUT3_SEEDS, HOLDOUT3_SETS, HOLDOUT4_SEEDS, HOLDOUT4_SETS, HOLDOUT5_SEEDS, HOLDOUT5_SETS, HOLDOUT6_SEEDS, HOLDOUT6_SETS, HOLDOUT7_SEEDS, HOLDOUT7_SETS, HOLDOUT8_SEEDS, HOLDOUT8_SETS, HOLDOUT9_SETS, isEvalSeed, PACKED1_SEEDS, PACKED_SETS, OPEN_ROUNDS, type CompositionSet, evalRound } from "../../../src/interference/eval/compositions.js";
import { assembleReference, referenceCases, referenceJobs, reusableEntries, simFingerprint, toSimulate } from "../../../src/interference/eval/reference.js";
import { loadReference } from "../../../src/io/accuracy-reference.js";
import { inlineRunner } from "../../../src/sim/runner.js";
import { createRng } from "../../../src/sim/rng.js";


function cpuVcpus(vms: { vcpus: number; workload: { kind: string } }[]): number {
  return vms.filter((v) => v.workload.kind === "cpu").reduce((s, v) => s + v.vcpus, 0);
}

/**
 * expectFreshRound: a new round's seeds are >= 10, distinct, none used by a sweep or tuning run
 * (`sweeps`) or an earlier round, all refused by fitting; it draws the previous round's sets and
 * >= 200 contended hosts.
 */
function expectFreshRound(seeds: readonly number[], sets: readonly CompositionSet[], previousSets: readonly CompositionSet[], sweeps: (s: number) => boolean, earlier: readonly number[]): void {
  expect(seeds.length).toBeGreaterThanOrEqual(10);
  expect(new Set(seeds).size).toBe(seeds.length);
  for (const s of seeds) {
    expect(sweeps(s) || earlier.includes(s), String(s)).toBe(false);
    expect(isEvalSeed(s), String(s)).toBe(true);
  }
  expect(sets.map((s) => s.name)).toEqual(previousSets.map((s) => s.name));
  expect(drawAll(seeds, sets).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
}

describe("accuracy protocol: compositions", () => {
  const comps = drawAll(EVAL_SEEDS);

  test("there are at least 200 contended compositions over at least 10 frozen seeds", () => {
    expect(EVAL_SEEDS.length).toBeGreaterThanOrEqual(10);
    expect(comps.filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
  });

  test("a contended host carries CPU vCPUs plus victims' vCPUs from cores - 1 to cores + 4; an uncontended one keeps two cores free", () => {
    for (const c of comps) {
      const victims = c.scenario.vms.filter((v) => c.victims.includes(v.id)).reduce((s, v) => s + v.vcpus, 0);
      const total = cpuVcpus(c.scenario.vms) + victims;
      const cores = c.scenario.host.cores;
      if (c.kind === "contended") {
        expect(total, c.id).toBeGreaterThanOrEqual(cores - 1);
        expect(total, c.id).toBeLessThanOrEqual(cores + 4);
      } else expect(total, c.id).toBeLessThanOrEqual(cores - 2);
    }
  });

  test("neighbours are heterogeneous: duties 0.3-1, bursts 2-30 ms, 1- and 2-vCPU VMs, io and mixed victims, every scheduler", () => {
    const cpu = comps.flatMap((c) => c.scenario.vms.filter((v) => v.workload.kind === "cpu"));
    const duty = cpu.map((v) => (v.workload.kind === "cpu" ? v.workload.dutyCycle : 0));
    const burst = cpu.map((v) => (v.workload.kind === "cpu" ? v.workload.burstMs : 0));
    expect(Math.min(...duty)).toBeGreaterThanOrEqual(0.3);
    expect(Math.max(...duty)).toBe(1);
    expect(Math.min(...burst)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...burst)).toBeLessThanOrEqual(30);
    expect(new Set(cpu.map((v) => v.vcpus))).toEqual(new Set([1, 2]));
    const kinds = new Set(comps.flatMap((c) => c.scenario.vms.filter((v) => c.victims.includes(v.id)).map((v) => v.workload.kind)));
    expect(kinds).toEqual(new Set(["io", "mixed"]));
    const schedulers = new Set(comps.map((c) => `${c.scenario.host.scheduler.kind}/${c.scenario.host.scheduler.kind === "xen-credit" ? c.scenario.host.scheduler.timesliceMs : ""}`));
    expect(schedulers).toEqual(new Set(["xen-credit/30", "xen-credit/5", "kvm-cfs/", "xen-credit2/", "kvm-eevdf/"]));
    // Mixed on one host: most contended hosts have neighbours of different duty and burst.
    const mixedHosts = comps.filter((c) => new Set(c.scenario.vms.map((v) => JSON.stringify(v.workload))).size >= 3);
    expect(mixedHosts.length).toBeGreaterThan(comps.length * 0.9);
  });

  test("credit2 and EEVDF each have >= 90 contended hosts of their own; the first three sets draw only credit1 and CFS", () => {
    for (const kind of ["xen-credit2", "kvm-eevdf"]) expect(comps.filter((c) => c.kind === "contended" && c.scenario.host.scheduler.kind === kind).length, kind).toBeGreaterThanOrEqual(90);
    for (const c of comps.filter((x) => ["contended", "contended-32", "uncontended"].includes(x.set))) expect(["xen-credit", "kvm-cfs"]).toContain(c.scenario.host.scheduler.kind);
  });

  test("the second held-out round draws other seeds, adds 32-core credit2 and EEVDF hosts, and fitting refuses its seeds", () => {
    expect(HOLDOUT2_SEEDS.some((s) => EVAL_SEEDS.includes(s))).toBe(false);
    for (const s of [...EVAL_SEEDS, ...HOLDOUT2_SEEDS]) expect(isEvalSeed(s), String(s)).toBe(true);
    const wide = drawRound(EVAL_ROUNDS[1]).filter((c) => c.scenario.host.cores === 32 && c.kind === "contended");
    for (const kind of ["xen-credit2", "kvm-eevdf"]) expect(wide.filter((c) => c.scenario.host.scheduler.kind === kind).length, kind).toBeGreaterThanOrEqual(20);
  });

  test("the third held-out round uses >= 10 seeds no sweep, tuning run or round used, >= 200 contended hosts, and fitting refuses its seeds", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1040) || (s >= 9300 && s <= 9359) || EVAL_SEEDS.includes(s) || HOLDOUT2_SEEDS.includes(s);
    expect(HOLDOUT3_SEEDS.length).toBeGreaterThanOrEqual(10);
    for (const s of HOLDOUT3_SEEDS) {
      expect(used(s), String(s)).toBe(false);
      expect(isEvalSeed(s), String(s)).toBe(true);
    }
    expect(drawAll(HOLDOUT3_SEEDS, HOLDOUT3_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
  });

  test("the fourth held-out round uses >= 10 seeds no sweep, tuning run or earlier round used, holdout-3's sets, >= 200 contended hosts, and fitting refuses its seeds", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1040) || (s >= 9300 && s <= 9359);
    expectFreshRound(HOLDOUT4_SEEDS, HOLDOUT4_SETS, HOLDOUT3_SETS, used, [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS]);
    expect(EVAL_ROUNDS.map((r) => r.name)).toEqual(["holdout-1", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8", "packed-1", "holdout-9", "holdout-10", "holdout-11", "holdout-12", "holdout-13", "holdout-14", "holdout-15", "holdout-16", "holdout-17", "holdout-18", "holdout-19", "holdout-20", "holdout-21", "holdout-22", "holdout-23", "holdout-24", "holdout-25", "holdout-26", "holdout-27", "holdout-28", "holdout-29", "holdout-30", "holdout-31", "holdout-32", "holdout-33", "holdout-34"]);
  });

  test("the fifth held-out round: >= 10 seeds nothing used before (credit2's conformal 1041-1120 and the 32-core tuning hosts included), holdout-4's sets, >= 200 contended hosts, refused by fitting, and open after its one measurement", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1120) || (s >= 9300 && s <= 9379);
    expectFreshRound(HOLDOUT5_SEEDS, HOLDOUT5_SETS, HOLDOUT4_SETS, used, [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS, ...HOLDOUT4_SEEDS]);
    // Unsealed once model-v7 was measured on it (holdout-6 once model-v8 was, holdout-7 once model-v9 was).
    expect(OPEN_ROUNDS.map((r) => r.name)).toEqual(["holdout-1", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8", "packed-1", "holdout-9", "holdout-10", "holdout-11", "holdout-12", "holdout-13", "holdout-14", "holdout-15", "holdout-16", "holdout-17", "holdout-18", "holdout-19", "holdout-20", "holdout-21", "holdout-22", "holdout-23", "holdout-24", "holdout-25", "holdout-26", "holdout-27", "holdout-28", "holdout-29", "holdout-30", "holdout-31", "holdout-32", "holdout-33"]);
  });

  test("the sixth held-out round: >= 10 seeds nothing used before (holdout-5's included), holdout-5's sets, >= 200 contended hosts, refused by fitting, and open after its one measurement", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1120) || (s >= 9300 && s <= 9379);
    expectFreshRound(HOLDOUT6_SEEDS, HOLDOUT6_SETS, HOLDOUT5_SETS, used, [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS, ...HOLDOUT4_SEEDS, ...HOLDOUT5_SEEDS]);
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-6");
  });

  test("the seventh held-out round: >= 10 seeds nothing used before (holdout-6's included), holdout-6's sets, >= 200 contended hosts, refused by fitting, and open after its one measurement", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1120) || (s >= 9300 && s <= 9379);
    expectFreshRound(HOLDOUT7_SEEDS, HOLDOUT7_SETS, HOLDOUT6_SETS, used, [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS, ...HOLDOUT4_SEEDS, ...HOLDOUT5_SEEDS, ...HOLDOUT6_SEEDS]);
    // Unsealed once model-v9 was measured on it.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-7")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-7");
  });

  test("the eighth held-out round: >= 10 seeds nothing used before (holdout-7's included), holdout-7's sets, >= 200 contended hosts, refused by fitting, and open after its one measurement", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1120) || (s >= 9300 && s <= 9379);
    expectFreshRound(HOLDOUT8_SEEDS, HOLDOUT8_SETS, HOLDOUT7_SETS, used, [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS, ...HOLDOUT4_SEEDS, ...HOLDOUT5_SEEDS, ...HOLDOUT6_SEEDS, ...HOLDOUT7_SEEDS]);
    // Unsealed once model-v10 was measured on it.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-8")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-8");
  });

  test("the packed round (open) and the ninth and tenth held-out rounds (measured, open) the eleventh to thirty-third (measured, open) and the thirty-fourth (sealed): seeds nothing used before, refused by fitting; holdout-9 to holdout-34 draw holdout-8's sets and the packed ones", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1120) || (s >= 9300 && s <= 9379);
    const before = [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS, ...HOLDOUT4_SEEDS, ...HOLDOUT5_SEEDS, ...HOLDOUT6_SEEDS, ...HOLDOUT7_SEEDS, ...HOLDOUT8_SEEDS];
    // Each round's seeds were fresh when it was frozen: none used by fitting or by an earlier round.
    const later = ["packed-1", ...Array.from({ length: 26 }, (_, i) => `holdout-${i + 9}`)];
    let earlier: readonly number[] = before;
    for (const name of later) {
      const seeds = evalRound(name).seeds;
      expect(seeds.length, name).toBeGreaterThanOrEqual(10);
      for (const s of seeds) {
        expect(used(s) || earlier.includes(s), `${name} ${s}`).toBe(false);
        expect(isEvalSeed(s), String(s)).toBe(true);
      }
      earlier = [...earlier, ...seeds];
    }
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("packed-1");
    expect(HOLDOUT9_SETS.map((s) => s.name)).toEqual([...HOLDOUT8_SETS, ...PACKED_SETS].map((s) => s.name));
    for (const name of later.slice(1)) {
      const r = evalRound(name);
      expect(r.sets.map((s) => s.name), name).toEqual(HOLDOUT9_SETS.map((s) => s.name));
      expect(drawRound(r).filter((c) => c.kind === "contended").length, name).toBeGreaterThanOrEqual(200);
    }
    // Measured once, each with the model named, and then unsealed.
    const measured: Record<string, string> = {
      "holdout-9": "model-v11 as first built",
      "holdout-10": "the shipped model-v11",
      "holdout-11": "the shipped model-v13",
      "holdout-12": "the shipped model-v14",
      "holdout-13": "the shipped model-v15",
      "holdout-14": "model-v15 with the knee term",
      "holdout-15": "model-v15 with the knee term and CFS's runnable waits",
      "holdout-16": "model-v15 with both CFS terms and credit1's knee",
      "holdout-17": "credit2's timer cap",
      "holdout-18": "session 19's four packed terms",
      "holdout-19": "session 19's six terms",
      "holdout-20": "session 20's four terms (credit2RepickCap, eevdfFullHome, cfsLightRunnable, cfsKeepsMargin)",
      "holdout-21": "session 20's next three terms (credit1KneeQueue, credit2QueuedHog, cfsRunnableWeights)",
      "holdout-22": "eevdfKeepsMulti",
      "holdout-23": "session 21's four terms (eevdfOneWaitFull, credit2RepickFloor, cfsFullHome, eevdfServeRelease)",
      "holdout-24": "session 21's five terms (the four and cfsSplitWake)",
      "holdout-25": "session 21's six terms (the five and credit1IdleSibling)",
      "holdout-26": "session 22's three terms (credit1OverBurst, credit1SiblingIo, credit2SiblingIo)",
      "holdout-27": "session 22's fourth term (cfsRunnerWeight)",
      "holdout-28": "session 23's three terms (eevdfKeepsDemand, credit2BusyBacklog, credit1OverAlone)",
      "holdout-29": "session 23's next two terms (cfsSleeperFloor, credit1OverSleepy)",
      "holdout-30": "session 23's last two terms (cfsKeptSaturated, eevdfNeverPulled)",
      "holdout-31": "session 24's three terms (eevdfSplitWeight, credit2LowestCredit, cfsServeRelease) and credit2's insert-time pick",
      "holdout-32": "main at the end of session 24, unchanged",
      "holdout-33": "session 25's five terms (cfsPollPulls, credit2NoQueueLine, eevdfKeepsOverflow, credit2MixedWakes, credit1OverBacklog)",
    };
    for (const name of Object.keys(measured)) {
      expect(evalRound(name).sealed, name).toBeUndefined();
      expect(OPEN_ROUNDS.map((r) => r.name)).toContain(name);
    }
    // Frozen and sealed at the end of session 25 after holdout-33 was measured, for the next change.
    expect(evalRound("holdout-34").sealed).toBe(true);
    expect(OPEN_ROUNDS.map((r) => r.name)).not.toContain("holdout-34");
  });

  test("packed hosts are filled as the placer fills a generated fleet's: every scheduler, cores to twice the cores in vCPUs, every host a victim, many with several", () => {
    const packed = drawAll(PACKED1_SEEDS, PACKED_SETS);
    expect(packed.every((c) => c.kind === "packed")).toBe(true);
    expect(new Set(packed.map((c) => c.scenario.host.scheduler.kind))).toEqual(new Set(["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"]));
    for (const c of packed) {
      const cores = c.scenario.host.cores;
      const vcpus = c.scenario.vms.reduce((s, v) => s + v.vcpus, 0);
      expect(vcpus, c.id).toBeGreaterThanOrEqual(cores);
      expect(vcpus, c.id).toBeLessThanOrEqual(2 * cores);
      expect(c.victims.length, c.id).toBeGreaterThanOrEqual(1);
      // Victims are exactly the io and mixed VMs, and no VM is wider than the host.
      const latency = c.scenario.vms.filter((v) => v.workload.kind === "io" || v.workload.kind === "mixed").map((v) => v.id);
      expect(c.victims, c.id).toEqual(latency);
      for (const v of c.scenario.vms) expect(v.vcpus, `${c.id} ${v.id}`).toBeLessThanOrEqual(cores);
    }
    // The regime the other sets never draw (they have 1-2 victims): most packed hosts have 3 or more.
    expect(packed.filter((c) => c.victims.length >= 3).length).toBeGreaterThan(packed.length / 2);
    expect(Math.max(...packed.map((c) => c.victims.length))).toBeGreaterThanOrEqual(10);
  });

  test("draws are deterministic per seed and differ between seeds", () => {
    expect(drawSet(EVAL_SETS[0], EVAL_SEEDS[0])).toEqual(drawSet(EVAL_SETS[0], EVAL_SEEDS[0]));
    expect(drawSet(EVAL_SETS[0], EVAL_SEEDS[0])[0].scenario).not.toEqual(drawSet(EVAL_SETS[0], EVAL_SEEDS[1])[0].scenario);
  });
});

describe.each(EVAL_ROUNDS.map((r) => [r.name, r] as const))("accuracy protocol: the cached simulated reference of %s", (_name, round) => {
  const reference = loadReference(round.reference);
  test("was simulated from the frozen seeds and today's generator, >= 3 seeds of >= 30 s per reference", () => {
    expect(reference.generator.seeds).toEqual(round.seeds);
    expect(reference.generator.sets).toEqual(round.sets.map((s) => s.name));
    expect(reference.sim.seedsPerReference).toBeGreaterThanOrEqual(3);
    expect(reference.sim.durationMs).toBeGreaterThanOrEqual(30_000);
    // Throws when a composition's id or scenario no longer matches what was simulated.
    expect(referenceCases(drawRound(round), reference).length).toBeGreaterThan(300);
  });

  test("the simulator still behaves as when the reference was made (fingerprint)", () => {
    expect(simFingerprint(), "the simulator changed: rebuild with vmplace accuracy --rebuild-reference").toBe(reference.sim.fingerprint);
  });

  test("a rebuild keeps every entry made with today's simulator and simulates none again; a file from another simulator is redone whole", () => {
    const comps = drawRound(round);
    const reuse = reusableEntries(reference);
    expect(toSimulate(comps, reuse)).toEqual([]);
    expect(assembleReference(comps, [], round.seeds, undefined, reuse, round.sets).compositions).toEqual(reference.compositions);
    expect(toSimulate(comps, reusableEntries({ ...reference, sim: { ...reference.sim, fingerprint: "other" } }))).toHaveLength(comps.length);
  });

  // A seeded random subset (one composition per scheduler setting) re-simulated run by run.
  test("matches a re-simulation of a random subset, run by run", async () => {
    const comps = drawRound(round);
    const rng = createRng(20260, "reference-check");
    const label = (c: (typeof comps)[number]) => JSON.stringify(c.scenario.host.scheduler);
    const picked = [...new Set(comps.map(label))].map((l) => {
      const pool = comps.filter((c) => label(c) === l);
      return pool[rng.int(pool.length)];
    });
    const spec = { durationMs: reference.sim.durationMs, warmupMs: reference.sim.warmupMs, seedsPerReference: reference.sim.seedsPerReference };
    const results = await inlineRunner.runAll(referenceJobs(picked, spec));
    picked.forEach((c, i) => {
      const stored = reference.compositions.find((x) => x.id === c.id);
      const runs = results.slice(i * 2 * spec.seedsPerReference, (i + 1) * 2 * spec.seedsPerReference);
      for (const v of stored?.victims ?? []) expect(runs.map((r) => r.vms.find((x) => x.id === v.id)?.requestLatency.p999Us), `${c.id} ${v.id}`).toEqual(v.p999Us);
      expect(stored?.victims.length).toBe(c.victims.length);
    });
  }, 240_000);
});
