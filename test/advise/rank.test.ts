import { describe, expect, test } from "vitest";
import { harmOf } from "../../src/advise/outcome.js";
import { rankOptions, recommend } from "../../src/advise/recommend.js";
import type { AdviceOption, CostTier } from "../../src/model/advice.js";

/** opt builds an option with what ranking reads: whether it meets, its tier, harm and memory. */
function opt(id: string, tier: CostTier, meets: boolean, harm: { cpuLost: number; harmful: boolean } = { cpuLost: 0, harmful: false }, memoryCopiedMiB = 0): AdviceOption {
  return {
    id,
    kind: tier === "none" ? "current" : tier === "migrate" ? "migrate" : tier === "upgrade" ? "scheduler" : "timeslice",
    title: `do ${id}`,
    cost: { tier, memoryCopiedMiB, note: "" },
    changes: [],
    latency: [{ vmId: "v", hostId: "h", sloP999Us: 5000, predictedP999Us: 1000, predictionNotes: [], simulatedP99Us: 900, simulatedP999Us: meets ? 1000 : 9000, seedsP999Us: [1000], meetsSlo: meets }],
    others: [],
    hosts: [{ hostId: "h", scheduler: "xen-credit", contextSwitchesPerSecBefore: 500, contextSwitchesPerSecAfter: 500, utilisationBefore: 0.5, utilisationAfter: 0.5 }],
    harm: { ...harm, worstLossFraction: harm.harmful ? 0.2 : 0, ...(harm.harmful ? { worstVmId: "n" } : {}) },
    meetsSlo: meets,
    worstSloRatio: meets ? 0.2 : 1.8,
  };
}

const ids = (os: readonly AdviceOption[]): string[] => rankOptions(os).map((o) => o.id);

describe("ranking the options", () => {
  test("only options that meet every SLO are ranked", () => {
    expect(ids([opt("a", "tune", false), opt("b", "upgrade", true)])).toEqual(["b"]);
  });

  test("nothing to do beats any change when the current state already meets", () => {
    expect(ids([opt("t", "tune", true), opt("current", "none", true)])[0]).toBe("current");
  });

  test("a live tune beats live migrations, which beat an upgrade", () => {
    expect(ids([opt("up", "upgrade", true), opt("mv", "migrate", true), opt("t", "tune", true)])).toEqual(["t", "mv", "up"]);
  });

  test("an option that harms no one beats a cheaper one that takes CPU from the others", () => {
    expect(ids([opt("cap", "tune", true, { cpuLost: 0.5, harmful: true }), opt("mv", "migrate", true)])).toEqual(["mv", "cap"]);
  });

  test("among harmful options the one that takes the least CPU comes first", () => {
    expect(ids([opt("a", "tune", true, { cpuLost: 0.5, harmful: true }), opt("b", "tune", true, { cpuLost: 0.2, harmful: true })])).toEqual(["b", "a"]);
  });

  test("among moves, the one that copies less memory", () => {
    expect(ids([opt("big", "migrate", true, undefined, 8192), opt("small", "migrate", true, undefined, 2048)])).toEqual(["small", "big"]);
  });

  test("equal options keep the order they were listed in (least disturbing first), not the noise in their harm", () => {
    expect(ids([opt("first", "tune", true, { cpuLost: 0.009, harmful: false }), opt("second", "tune", true)])).toEqual(["first", "second"]);
  });
});

describe("the recommendation's reason", () => {
  test("names the option, its cost and the VM closest to its SLO", () => {
    const r = recommend([opt("current", "none", false), opt("mv", "migrate", true, undefined, 4096)], undefined);
    expect(r.optionId).toBe("mv");
    expect(r.reason).toMatch(/^do mv: live migrations, 4\.0 GiB copied; meets every SLO \(v's simulated p99\.9 1\.00 ms against its 5\.00 ms SLO\)/);
  });

  test("says when a cheaper option also meets the SLOs but takes CPU from the others", () => {
    const r = recommend([opt("cap", "tune", true, { cpuLost: 0.5, harmful: true }), opt("mv", "migrate", true)], undefined);
    expect(r.optionId).toBe("mv");
    expect(r.reason).toContain("cheaper cap also meet(s) the SLOs but take CPU from the others");
  });

  test("with no option that meets, gives none, the closest, and why there was no move", () => {
    const r = recommend([opt("current", "none", false), opt("t", "tune", false)], "no VM on it can move: memory");
    expect(r.optionId).toBeUndefined();
    expect(r.reason).toBe("no option meets every SLO in simulation; the closest is current at 1.80x its SLO; the migration planner found no fixing move: no VM on it can move: memory.");
  });
});

describe("harm to the other VMs", () => {
  const share = (vmId: string, cpuShareBefore: number, cpuShareAfter: number) => ({ vmId, hostBefore: "h", hostAfter: "h", cpuShareBefore, cpuShareAfter });

  test("a loss past 5% of a share and 0.01 CPU is harm; gains do not offset another VM's loss", () => {
    const h = harmOf([share("a", 0.5, 0.4), share("b", 0.5, 0.7)]);
    expect(h).toEqual({ cpuLost: 0.1, worstVmId: "a", worstLossFraction: 0.2, harmful: true });
  });

  test("losses within the noise floor are not harm", () => {
    expect(harmOf([share("a", 0.5, 0.49), share("b", 0.1, 0.094)]).harmful).toBe(false);
  });

  test("nor is a loss within the VM's own share range over the current state's seeds", () => {
    expect(harmOf([share("a", 0.5, 0.45)], new Map([["a", 0.06]])).harmful).toBe(false);
    expect(harmOf([share("a", 0.5, 0.4)], new Map([["a", 0.06]])).harmful).toBe(true);
  });
});
