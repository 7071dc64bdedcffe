import { describe, expect, test } from "vitest";
import { drawAll, drawRound, drawSet, EVAL_ROUNDS, EVAL_SEEDS, EVAL_SETS, HOLDOUT2_SEEDS, HOLDOUT3_SEEDS, HOLDOUT3_SETS, HOLDOUT4_SEEDS, HOLDOUT4_SETS, HOLDOUT5_SEEDS, HOLDOUT5_SETS, HOLDOUT6_SEEDS, HOLDOUT6_SETS, HOLDOUT7_SEEDS, HOLDOUT7_SETS, HOLDOUT8_SEEDS, HOLDOUT8_SETS, HOLDOUT9_SEEDS, HOLDOUT9_SETS, HOLDOUT10_SEEDS, HOLDOUT10_SETS, HOLDOUT11_SEEDS, HOLDOUT11_SETS, HOLDOUT12_SEEDS, HOLDOUT12_SETS, HOLDOUT13_SEEDS, HOLDOUT13_SETS, HOLDOUT14_SEEDS, HOLDOUT14_SETS, HOLDOUT15_SEEDS, HOLDOUT15_SETS, HOLDOUT16_SEEDS, HOLDOUT16_SETS, HOLDOUT17_SEEDS, HOLDOUT17_SETS, HOLDOUT18_SEEDS, HOLDOUT18_SETS, isEvalSeed, PACKED1_SEEDS, PACKED_SETS, OPEN_ROUNDS, type CompositionSet } from "../../../src/interference/eval/compositions.js";
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
    expect(EVAL_ROUNDS.map((r) => r.name)).toEqual(["holdout-1", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8", "packed-1", "holdout-9", "holdout-10", "holdout-11", "holdout-12", "holdout-13", "holdout-14", "holdout-15", "holdout-16", "holdout-17", "holdout-18"]);
  });

  test("the fifth held-out round: >= 10 seeds nothing used before (credit2's conformal 1041-1120 and the 32-core tuning hosts included), holdout-4's sets, >= 200 contended hosts, refused by fitting, and open after its one measurement", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1120) || (s >= 9300 && s <= 9379);
    expectFreshRound(HOLDOUT5_SEEDS, HOLDOUT5_SETS, HOLDOUT4_SETS, used, [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS, ...HOLDOUT4_SEEDS]);
    // Unsealed once model-v7 was measured on it (holdout-6 once model-v8 was, holdout-7 once model-v9 was).
    expect(OPEN_ROUNDS.map((r) => r.name)).toEqual(["holdout-1", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8", "packed-1", "holdout-9", "holdout-10", "holdout-11", "holdout-12", "holdout-13", "holdout-14", "holdout-15", "holdout-16", "holdout-17"]);
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

  test("the packed round (open) and the ninth and tenth held-out rounds (measured, open) the eleventh to seventeenth (measured, open) and the eighteenth (sealed): seeds nothing used before, refused by fitting; holdout-9 to holdout-18 draw holdout-8's sets and the packed ones", () => {
    const used = (s: number): boolean => (s >= 1 && s <= 40) || (s >= 1001 && s <= 1120) || (s >= 9300 && s <= 9379);
    const before = [...EVAL_SEEDS, ...HOLDOUT2_SEEDS, ...HOLDOUT3_SEEDS, ...HOLDOUT4_SEEDS, ...HOLDOUT5_SEEDS, ...HOLDOUT6_SEEDS, ...HOLDOUT7_SEEDS, ...HOLDOUT8_SEEDS];
    for (const [seeds, earlier] of [[PACKED1_SEEDS, before], [HOLDOUT9_SEEDS, [...before, ...PACKED1_SEEDS]], [HOLDOUT10_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS]], [HOLDOUT11_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS]], [HOLDOUT12_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS, ...HOLDOUT11_SEEDS]], [HOLDOUT13_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS, ...HOLDOUT11_SEEDS, ...HOLDOUT12_SEEDS]], [HOLDOUT14_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS, ...HOLDOUT11_SEEDS, ...HOLDOUT12_SEEDS, ...HOLDOUT13_SEEDS]], [HOLDOUT15_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS, ...HOLDOUT11_SEEDS, ...HOLDOUT12_SEEDS, ...HOLDOUT13_SEEDS, ...HOLDOUT14_SEEDS]], [HOLDOUT16_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS, ...HOLDOUT11_SEEDS, ...HOLDOUT12_SEEDS, ...HOLDOUT13_SEEDS, ...HOLDOUT14_SEEDS, ...HOLDOUT15_SEEDS]], [HOLDOUT17_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS, ...HOLDOUT11_SEEDS, ...HOLDOUT12_SEEDS, ...HOLDOUT13_SEEDS, ...HOLDOUT14_SEEDS, ...HOLDOUT15_SEEDS, ...HOLDOUT16_SEEDS]], [HOLDOUT18_SEEDS, [...before, ...PACKED1_SEEDS, ...HOLDOUT9_SEEDS, ...HOLDOUT10_SEEDS, ...HOLDOUT11_SEEDS, ...HOLDOUT12_SEEDS, ...HOLDOUT13_SEEDS, ...HOLDOUT14_SEEDS, ...HOLDOUT15_SEEDS, ...HOLDOUT16_SEEDS, ...HOLDOUT17_SEEDS]]] as const) {
      expect(seeds.length).toBeGreaterThanOrEqual(10);
      for (const s of seeds) {
        expect(used(s) || earlier.includes(s), String(s)).toBe(false);
        expect(isEvalSeed(s), String(s)).toBe(true);
      }
    }
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("packed-1");
    expect(HOLDOUT9_SETS.map((s) => s.name)).toEqual([...HOLDOUT8_SETS, ...PACKED_SETS].map((s) => s.name));
    expect(drawAll(HOLDOUT9_SEEDS, HOLDOUT9_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-9 was measured once (model-v11 as first built) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-9")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-9");
    expect(HOLDOUT10_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT10_SEEDS, HOLDOUT10_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-10 was measured once (the shipped model-v11) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-10")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-10");
    expect(HOLDOUT11_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT11_SEEDS, HOLDOUT11_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-11 was measured once (the shipped model-v13) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-11")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-11");
    expect(HOLDOUT12_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT12_SEEDS, HOLDOUT12_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-12 was measured once (the shipped model-v14) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-12")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-12");
    expect(HOLDOUT13_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT13_SEEDS, HOLDOUT13_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-13 was measured once (the shipped model-v15) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-13")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-13");
    expect(HOLDOUT14_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT14_SEEDS, HOLDOUT14_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-14 was measured once (the shipped model-v15 with the knee term) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-14")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-14");
    expect(HOLDOUT15_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT15_SEEDS, HOLDOUT15_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-15 was measured once (model-v15 with the knee term and CFS's runnable waits) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-15")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-15");
    expect(HOLDOUT16_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT16_SEEDS, HOLDOUT16_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-16 was measured once (model-v15 with both CFS terms and credit1's knee) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-16")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-16");
    expect(HOLDOUT17_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT17_SEEDS, HOLDOUT17_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    // holdout-17 was measured once (credit2's timer cap) and then unsealed.
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-17")?.sealed).toBeUndefined();
    expect(OPEN_ROUNDS.map((r) => r.name)).toContain("holdout-17");
    // Frozen and sealed before holdout-17 is measured, for the model change after that one.
    expect(HOLDOUT18_SETS.map((s) => s.name)).toEqual(HOLDOUT9_SETS.map((s) => s.name));
    expect(drawAll(HOLDOUT18_SEEDS, HOLDOUT18_SETS).filter((c) => c.kind === "contended").length).toBeGreaterThanOrEqual(200);
    expect(EVAL_ROUNDS.find((r) => r.name === "holdout-18")?.sealed).toBe(true);
    expect(OPEN_ROUNDS.map((r) => r.name)).not.toContain("holdout-18");
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
