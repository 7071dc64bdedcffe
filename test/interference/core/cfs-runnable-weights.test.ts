import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, type Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import { isUnsafeMiss } from "../../../src/interference/eval/stats.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

/**
 * Mechanisms.cfsRunnableWeights (docs/accuracy.md, "A 2-vCPU mixed victim's runnable waits on
 * holdout-20 (session 20)"). holdout-20's contended/10095/5: 4 CPUs under CFS, a 2-vCPU hog VM,
 * three 1-vCPU sleepers (duty 0.52-0.84) and victim-0 (mixed, 2 vCPUs at duty 0.5, 2 ms bursts,
 * 833 req/s). With both its vCPUs runnable each weighs half its VM's shares against 1-vCPU
 * co-runners of a whole VM's, so it runs about a third of a shared CPU and waits the co-runners'
 * longer part of the period; its requests land on a runnable, descheduled vCPU a third of the
 * time. The equal-weight runnable waits said a tenth of that and a 10 ms cap: an unsafe miss.
 */
const ON: Partial<Mechanisms> = { cfsRunnableWeights: true };
const OFF: Partial<Mechanisms> = { cfsRunnableWeights: false };

function victimVcpus(n: number): Scenario {
  const s = roundHost("holdout-20", "contended/10095/5");
  return { ...s, vms: s.vms.map((v) => (v.id === "victim-0" ? { ...v, vcpus: n } : v)) };
}

describe("CFS: runnable waits at the victim's group weight", () => {
  test("on by default", () => {
    expect(ALL_MECHANISMS.cfsRunnableWeights).toBe(true);
  });

  test("10095/5's victim-0 as drawn: an unsafe miss without the term, not with it, and closer", () => {
    const s = victimVcpus(2);
    const sim = simulatedP999(s, "victim-0", [7, 8]);
    const off = shippedP999(s, "victim-0", OFF);
    const on = shippedP999(s, "victim-0", ON);
    expect(isUnsafeMiss(off, sim), `${off} against ${sim}`).toBe(true);
    expect(isUnsafeMiss(on, sim), `${on} against ${sim}`).toBe(false);
    expect(Math.abs(Math.log(on / sim))).toBeLessThan(Math.abs(Math.log(off / sim)) - 0.15);
  }, 120_000);

  test("more vCPUs, less weight each: the simulation rises from 1 to 2 to 3 vCPUs and so does the estimate with the term; without it 2 sits under 1", () => {
    const sim = [1, 2, 3].map((n) => simulatedP999(victimVcpus(n), "victim-0", [7, 8]));
    const on = [1, 2, 3].map((n) => shippedP999(victimVcpus(n), "victim-0", ON));
    const off = [1, 2, 3].map((n) => shippedP999(victimVcpus(n), "victim-0", OFF));
    expect(sim[1], `${sim}`).toBeGreaterThan(1.3 * sim[0]);
    expect(sim[2], `${sim}`).toBeGreaterThan(sim[0] * 1.3);
    expect(on[1], `${on}`).toBeGreaterThan(on[0]);
    expect(on[2], `${on}`).toBeGreaterThan(on[1]);
    expect(off[1], `${off}`).toBeLessThan(off[0]);
  }, 180_000);

  test("a 1-vCPU victim carries its VM's whole weight: the term adds nothing", () => {
    const s = victimVcpus(1);
    expect(shippedP999(s, "victim-0", ON)).toBe(shippedP999(s, "victim-0", OFF));
  });

  test("holdout-8's 9968/15 victim-0 (4 CPUs, 2 vCPUs at duty 0.33): under the simulation, closer with the term", () => {
    const s = roundHost("holdout-8", "contended/9968/15");
    const sim = simulatedP999(s, "victim-0", [7, 8]);
    const off = shippedP999(s, "victim-0", OFF);
    const on = shippedP999(s, "victim-0", ON);
    expect(off, `${off} against ${sim}`).toBeLessThan(sim);
    expect(Math.abs(Math.log(on / sim)), `${on} / ${off} against ${sim}`).toBeLessThan(Math.abs(Math.log(off / sim)));
  }, 120_000);
});
