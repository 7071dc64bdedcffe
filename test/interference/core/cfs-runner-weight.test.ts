import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS } from "../../../src/interference/core/scheduler-core.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

// Mechanisms.cfsRunnerWeight (docs/accuracy.md, "Packed CFS: waits at the cap behind light
// runners (session 22)"): kvm-fair weighs a VM's group entity on a CPU at its shares over the VM's
// runnable vCPUs, so a runner of a 6-vCPU VM at duty 0.3 weighs about half a VM. Its vruntime lead
// over a blocked waker grows twice as fast as real time, and check_preempt_tick ends the wait once
// that lead passes the runner's (smaller) slice: 2-4 ms in the simulator, not the whole-weight cap
// of 9-10 ms. Without the term the io waker's p99.9 sits at that cap.
const ON = { cfsRunnerWeight: true };
const OFF = { cfsRunnerWeight: false };
const SEEDS = [7, 8];

describe("CFS: a blocked waker's wait ends at a light runner's slice", () => {
  test("on in the shipped mechanisms", () => {
    expect(ALL_MECHANISMS.cfsRunnerWeight).toBe(true);
  });

  // holdout-15's 8-core host: 4 hogs and a duty-1 mixed vCPU keep 5 cores; the other 3 are shared
  // by vm-6 (6 vCPUs, mixed, 10 ms bursts at duty 0.3) and four io VMs. The io victims' runnable
  // waits past 1 ms end by 3.5 ms in the simulator (10 s, seed 7: none past 4 ms).
  test.each(["vm-0", "vm-1", "vm-4"])("holdout-15 packed/10043/6 %s: from over 2.5x the simulator to within 0.4 in ln, not under it", (id) => {
    // 30 s runs: the 8 s default leaves these p99.9s 20-40% under the 10 x 60 s reference.
    const s = roundHost("holdout-15", "packed/10043/6", 0, 30_000);
    const sim = simulatedP999(s, id, SEEDS);
    const off = shippedP999(s, id, OFF);
    const on = shippedP999(s, id, ON);
    expect(sim).toBeLessThan(4000);
    expect(off / sim, "without the term: at the whole-weight cap").toBeGreaterThan(2.5);
    expect(Math.abs(Math.log(on / sim))).toBeLessThan(0.4);
    expect(on).toBeGreaterThan(0.9 * sim);
  }, 180_000);

  // The tail weight (host-mix.ts TAIL_POWER), not the mean: holdout-18's 4-core contended/10072/7
  // has one 1-vCPU sleeper (cpu-1, duty 0.78) beside two 2-vCPU VMs at duty 0.89-0.94 (weight
  // about 0.55). In the simulator (10 s, seed 7) every io wait past 7.4 ms was behind cpu-1, a
  // whole-weight runner with a fifth of the sleepers' load, so the p99.9 (8.2 ms in the
  // reference, 8.3 ms here) stays near the whole-weight cap. At the block-weighted mean weight
  // the estimate fell to about 0.45x the reference (ln -0.82); at the power mean it is 0.82x the
  // simulator and 0.74x the estimate without the term.
  test("holdout-18 contended/10072/7 victim-0: the one whole-weight sleeper keeps the cap (not under the simulator)", () => {
    const s = roundHost("holdout-18", "contended/10072/7", 0, 30_000);
    const sim = simulatedP999(s, "victim-0", [7]);
    const on = shippedP999(s, "victim-0", ON);
    expect(sim).toBeGreaterThan(6000);
    expect(on / sim).toBeGreaterThan(0.75);
    expect(on).toBeGreaterThan(0.6 * shippedP999(s, "victim-0", OFF));
  }, 180_000);

  // A mixed victim of a sleepy multi-vCPU VM (query.ts ownCap): its own waking vCPU is as light as
  // the runners, so a light runner's slice end does not hand it the CPU. 10043/6's vm-6 (6 vCPUs at
  // duty 0.3, the light runner itself) waits out the whole-weight cap: 14.5 ms in the reference.
  test("holdout-15 packed/10043/6 vm-6, the light VM's own mixed victim: the whole-weight cap", () => {
    const s = roundHost("holdout-15", "packed/10043/6");
    expect(shippedP999(s, "vm-6", ON)).toBe(shippedP999(s, "vm-6", OFF));
    expect(shippedP999(s, "vm-6", ON)).toBeGreaterThan(8000);
  });

  // Where every sleepy runner is a 1-vCPU VM's it weighs a whole VM: nothing moves.
  test("1-vCPU sleepers only (holdout-15 packed/10043/6 without vm-6's siblings): unchanged", () => {
    const s = roundHost("holdout-15", "packed/10043/6");
    const one = { ...s, vms: s.vms.map((v) => (v.id === "vm-6" ? { ...v, vcpus: 1 } : v)) };
    for (const id of ["vm-0", "vm-2"]) expect(shippedP999(one, id, ON)).toBe(shippedP999(one, id, OFF));
  });
});
