import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { adviseCluster } from "../../src/advise/advise.js";
import { AdviceSchema, type Advice, type HostAdvice } from "../../src/model/advice.js";
import { generateCluster, DEFAULT_MIX } from "../../src/model/generate.js";
import { inlineRunner } from "../../src/sim/runner.js";
import { bundledPredictor, loadCluster, parseOrThrow } from "../helpers/fixtures.js";
import { afterChanges, medianOf, option, simulatedP999 } from "./helpers.js";

const predictor = bundledPredictor();
const sample = loadCluster("data/sample-cluster.json");
// 5 s per run, 3 seeds: long enough that a p99.9 rests on ~4,000 requests of web-3.
const SAMPLE = { durationMs: 5000, seeds: 3 };

let advice: Advice;
let h07: HostAdvice;
beforeAll(async () => {
  advice = await adviseCluster(sample, SAMPLE, { predictor, runner: inlineRunner });
  h07 = advice.hosts[0];
}, 120_000);

describe("advise on the bundled sample", () => {
  test("the Bobtail hot spot h07 is the one host advised, with every credit1 option, each simulated under every seed", () => {
    expect(AdviceSchema.parse(advice)).toEqual(advice);
    expect(advice.hosts.map((h) => h.hostId)).toEqual(["h07"]);
    expect(h07).toMatchObject({ scheduler: "xen-credit", predictedBreaches: 1, simulatedBreaches: 1 });
    const kinds = new Set(h07.options.map((o) => o.kind));
    for (const k of ["current", "scheduler", "timeslice", "ratelimit", "victim-weight", "cap-neighbours", "migrate"]) expect(kinds, k).toContain(k);
    for (const o of h07.options) {
      const web3 = o.latency.find((l) => l.vmId === "web-3")!;
      expect(web3.seedsP999Us, o.id).toHaveLength(3);
      expect(web3.simulatedP999Us, o.id).toBe(medianOf(web3.seedsP999Us));
      expect(web3.predictedP999Us, o.id).toBeGreaterThan(0);
      expect(o.others.length, o.id).toBeGreaterThanOrEqual(6);
    }
  });

  test("current misses web-3's 5 ms SLO; credit2, a 1 ms timeslice and the planner's move meet it", () => {
    // Bobtail on credit1 with 30 ms slices: boosted sleepers hold every core for a 10 ms burst.
    expect(option(h07.options, "current").meetsSlo).toBe(false);
    // E6: credit2 has no two-condition cliff; E5: the wait is bounded by about min(slice, burst).
    for (const id of ["scheduler:xen-credit2", "timeslice:1", "migrate"]) expect(option(h07.options, id).meetsSlo, id).toBe(true);
    const p = (id: string) => option(h07.options, id).latency.find((l) => l.vmId === "web-3")!.simulatedP999Us;
    // E5: p99.9 scales with min(slice, burst): 10 ms bursts -> 5 ms slices at least halve it.
    expect(p("timeslice:5")).toBeLessThan(p("current") / 2);
  });

  test("the migrate option is the planner's fix-mode move off h07, paid in the memory it copies", () => {
    const m = option(h07.options, "migrate");
    const moves = m.changes.filter((c) => c.kind === "move");
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((c) => c.kind === "move" && (c.from === "h07" || c.to === "h07"))).toBe(true);
    expect(m.cost).toMatchObject({ tier: "migrate", memoryCopiedMiB: moves.reduce((s, c) => s + (c.kind === "move" ? c.memoryMiB : 0), 0) });
  });

  test("the recommended option meets every SLO in an independent simulation under other seeds", () => {
    const id = h07.recommendation.optionId!;
    expect(id).toBeDefined();
    const changed = afterChanges(sample, option(h07.options, id).changes);
    const p999 = medianOf(simulatedP999(changed, "web-3", [1001, 1002, 1003, 1004, 1005], SAMPLE.durationMs));
    expect(p999).toBeLessThanOrEqual(5000);
  });

  test("the recommendation is the cheapest tier among the options that meet every SLO without harming others", () => {
    const tiers = ["none", "tune", "migrate", "upgrade"];
    const rec = option(h07.options, h07.recommendation.optionId!);
    expect(rec.harm.harmful).toBe(false);
    for (const o of h07.options.filter((x) => x.meetsSlo && !x.harm.harmful)) expect(tiers.indexOf(rec.cost.tier), o.id).toBeLessThanOrEqual(tiers.indexOf(o.cost.tier));
    expect(h07.recommendation.reason).toContain(rec.title);
  });

  test("caps below the neighbours' mean use hold each to its cap and are marked harmful", () => {
    const cap = option(h07.options, "cap-neighbours:75");
    expect(cap.harm.harmful).toBe(true);
    for (const c of cap.changes) {
      if (c.kind !== "vm-param") continue;
      const s = cap.others.find((o) => o.vmId === c.vmId)!;
      // Credit1 parks a capped vCPU once its credit for the 30 ms period is spent: the share
      // cannot exceed the cap by more than a tick's worth of overrun per period (10/30 of 5%).
      expect(s.cpuShareAfter, c.vmId).toBeLessThanOrEqual(c.to / 100 + 0.02);
      expect(s.cpuShareAfter, c.vmId).toBeLessThan(s.cpuShareBefore);
    }
  });

  test("a predicted column the predictor cannot tell from the current state says so", () => {
    const now = option(h07.options, "current").latency.find((l) => l.vmId === "web-3")!.predictedP999Us;
    for (const o of h07.options.filter((x) => x.cost.tier === "tune")) {
      const l = o.latency.find((x) => x.vmId === "web-3")!;
      expect(l.predictionNotes.includes("the predictor does not see this change"), o.id).toBe(l.predictedP999Us === now);
    }
  });

  test("same cluster, settings and seed: the same advice, byte for byte", async () => {
    const again = await adviseCluster(sample, SAMPLE, { predictor, runner: inlineRunner });
    expect(JSON.stringify(again)).toBe(JSON.stringify(advice));
  }, 120_000);
});

describe("advise on a generated cluster", () => {
  // Four hosts, credit1 and CFS alternating, 30 VMs placed at random: seed 12 leaves a credit1
  // host with simulated breaches (and today a CFS host the predictor alone calls breached).
  const generated = parseOrThrow(generateCluster({ hosts: 4, vms: 30, seed: 12, placed: true, mix: DEFAULT_MIX, scheduler: "both" }));
  let g: Advice;
  beforeAll(async () => {
    g = await adviseCluster(generated, { durationMs: 2000, seeds: 2 }, { predictor, runner: inlineRunner });
  }, 180_000);

  test("gives per-host options with simulated numbers, the scheduler's own knobs for each", () => {
    expect(g.hosts.some((h) => h.scheduler === "xen-credit" && h.simulatedBreaches > 0)).toBe(true);
    for (const h of g.hosts) {
      const ids = h.options.map((o) => o.id);
      if (h.scheduler === "xen-credit") expect(ids).toEqual(expect.arrayContaining(["current", "scheduler:xen-credit2", "timeslice:5", "ratelimit:0"]));
      if (h.scheduler === "kvm-cfs") {
        expect(ids).toEqual(expect.arrayContaining(["current", "scheduler:kvm-eevdf"]));
        expect(ids.some((id) => id.startsWith("timeslice") || id.startsWith("ratelimit"))).toBe(false);
      }
      for (const o of h.options) for (const l of o.latency) expect(l.seedsP999Us.length, `${h.hostId} ${o.id} ${l.vmId}`).toBe(2);
    }
  });

  test("every recommendation meets every SLO; a host without one makes the advice incomplete", () => {
    for (const h of g.hosts) if (h.recommendation.optionId) expect(option(h.options, h.recommendation.optionId).meetsSlo).toBe(true);
    const unfixed = g.hosts.filter((h) => h.recommendation.optionId === undefined).length;
    expect(g.status).toBe(unfixed > 0 ? "incomplete" : "ok");
  });

  test("a host whose current state meets every SLO in simulation is left as it is", () => {
    for (const h of g.hosts.filter((x) => option(x.options, "current").meetsSlo)) expect(h.recommendation.optionId).toBe("current");
  });
});

describe("advise on a named host", () => {
  test("a host with no breach is advised to stay as it is, and only it is looked at", async () => {
    const a = await adviseCluster(sample, { host: "h01", durationMs: 1000, seeds: 1 }, { predictor, runner: inlineRunner });
    expect(a.hostsScreened).toBe(1);
    expect(a.hosts.map((h) => [h.hostId, h.named, h.predictedBreaches, h.simulatedBreaches])).toEqual([["h01", true, 0, 0]]);
    expect(a.hosts[0].recommendation.optionId).toBe("current");
    expect(a.status).toBe("ok");
  }, 60_000);

  test("settings the cluster contradicts are refused before any simulation", async () => {
    await expect(adviseCluster(sample, { host: "h99" }, { predictor, runner: inlineRunner })).rejects.toThrow(/host: no host "h99"/);
    const unplaced = { ...sample, vms: sample.vms.map(({ host: _h, ...v }) => v) };
    await expect(adviseCluster(unplaced, {}, { predictor, runner: inlineRunner })).rejects.toThrow(/vms: no VM carries its current host/);
  });
});

describe("advise on a host with a driver domain", () => {
  test("charging driver work is simulated as an option and hands the CPU web's driver work took back to batch", async () => {
    // E11's host (data/scenarios/e11-driver-domain.json) as a one-host cluster, web with an SLO.
    const s = JSON.parse(readFileSync("data/scenarios/e11-driver-domain.json", "utf8")) as { host: object; vms: { id: string }[] };
    const c = parseOrThrow({ hosts: [s.host], vms: s.vms.map((v) => ({ ...v, host: "e11", ...(v.id === "web" ? { slo: { p999Ms: 50 } } : {}) })) });
    const a = await adviseCluster(c, { host: "e11", durationMs: 3000, seeds: 1 }, { predictor, runner: inlineRunner });
    const charge = option(a.hosts[0].options, "driver-charging:on");
    expect(charge.latency.map((l) => l.vmId)).toEqual(["web"]);
    const batch = charge.others.find((o) => o.vmId === "batch")!;
    // Uncharged, web runs its 0.5 CPU cap plus 2000 req/s x 2 packets x 60 us = 0.24 CPU of dom0
    // work; charged, that 0.24 comes out of web's cap, and batch (always runnable) takes it up.
    // E11 holds the cap variant within 2% of the host (0.04 CPU) under every policy.
    expect(batch.cpuShareAfter - batch.cpuShareBefore).toBeGreaterThan(0.24 - 0.04);
    expect(batch.cpuShareAfter - batch.cpuShareBefore).toBeLessThan(0.24 + 0.04);
  }, 60_000);
});
