import { describe, expect, test } from "vitest";
import { drawRound, evalRound } from "../../../src/interference/eval/compositions.js";
import { keptAcrossChange, multiQueueCredit2, REFERENCE_SPEC, scenarioHash, toSimulate, type ReferenceFile } from "../../../src/interference/eval/reference.js";

// keptAcrossChange is how scripts/refresh-references.mjs refreshes every round's reference after a
// simulator change that can act only on multi-queue credit2 hosts (sessions 22 and 24): those
// compositions are simulated again and every other entry is kept, whatever fingerprint made it.
const comps = drawRound(evalRound("holdout-2"));

function fileOf(spec = REFERENCE_SPEC): ReferenceFile {
  return {
    version: 1,
    generatedBy: "test",
    generator: { version: 1, seeds: [], sets: [] },
    sim: { ...spec, fingerprint: "an earlier simulator" },
    compositions: comps.map((c) => ({ id: c.id, scenarioHash: scenarioHash(c), victims: [] })),
  };
}

describe("keptAcrossChange: a reference refreshed only where a change can act", () => {
  test("multiQueueCredit2 selects the credit2 hosts of more than one run queue, and only those", () => {
    const mq = comps.filter(multiQueueCredit2);
    expect(mq.length).toBeGreaterThan(0);
    for (const c of comps) {
      const s = c.scenario.host.scheduler;
      expect(multiQueueCredit2(c)).toBe(s.kind === "xen-credit2" && c.scenario.host.cores > s.maxCpusPerRunqueue);
    }
    // One-queue credit2 hosts exist in the round and are kept.
    expect(comps.some((c) => c.scenario.host.scheduler.kind === "xen-credit2" && !multiQueueCredit2(c))).toBe(true);
  });

  test("every other entry is kept although its fingerprint differs; the selected ones are simulated again", () => {
    const kept = keptAcrossChange(fileOf(), comps, multiQueueCredit2);
    expect(toSimulate(comps, kept)).toEqual(comps.filter(multiQueueCredit2));
    expect(kept.size).toBe(comps.length - comps.filter(multiQueueCredit2).length);
  });

  test("an entry whose scenario changed is simulated again, and a file of another run spec keeps nothing", () => {
    const file = fileOf();
    const other = comps.find((c) => !multiQueueCredit2(c))!;
    file.compositions = file.compositions.map((e) => (e.id === other.id ? { ...e, scenarioHash: "00000000" } : e));
    expect(toSimulate(comps, keptAcrossChange(file, comps, multiQueueCredit2))).toContain(other);
    expect(() => keptAcrossChange(fileOf({ ...REFERENCE_SPEC, durationMs: 30_000 }), comps, multiQueueCredit2)).toThrow(/run spec/);
  });
});
