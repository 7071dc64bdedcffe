import { describe, expect, test } from "vitest";
import { HostSim } from "../../../src/sim/host-sim.js";
import { HostMetrics } from "../../../src/sim/metrics.js";
import { createRng } from "../../../src/sim/rng.js";
import { DeadlineTimers } from "../../../src/sim/schedulers/deadline-timers.js";
import { PcpuTimers } from "../../../src/sim/schedulers/xen-credit2/pcpu-timers.js";
import type { Deadlines } from "../../../src/sim/schedulers/xen-credit2/runtime-timers.js";
import { Simulator } from "../../../src/sim/simulator.js";
import { scenario } from "../helpers.js";

/** A host whose simulator runs no timer lane: PcpuTimers then wakes itself with a queue event. */
class NoLaneHost extends HostSim {
  override timerLane(): boolean {
    return false;
  }
}

/**
 * race arms and disarms pCPU deadlines from expiries and from workload events with a seeded
 * stream (deadlines later and earlier than the pending one, many due in the instant they are set,
 * so expiries tie with each other and with workload events) and logs what ran when. `lean` uses
 * PcpuTimers (in the simulator's timer lane, or with `lane` false woken by a queue event);
 * otherwise DeadlineTimers on host-sim's queue, the order credit2's expiries had there.
 */
function race(lean: boolean, seed: number, nCpus: number, lane = true): { log: string[]; events: number } {
  const sim = new Simulator();
  const s = scenario(1, [{ workload: { kind: "idle" } }]);
  const h = new (lane ? HostSim : NoLaneHost)(sim, nCpus, s.vms, new HostMetrics(s.vms), createRng(1, "scheduler"));
  const rng = createRng(seed, "pcpu-timers-test");
  const log: string[] = [];
  const act = (): void => {
    if (log.length > 4000) return;
    for (let k = rng.int(3); k >= 0; k--) {
      const what = rng.int(10);
      const p = rng.int(nCpus);
      if (what < 6) timers.arm(p, h.now() + (rng.next() < 0.3 ? 0 : rng.int(60)));
      else if (what < 7) timers.disarm(p);
      else h.scheduleWorkload(h.now() + rng.int(30), workload, rng.int(1000));
    }
  };
  const ran = (what: string): void => {
    log.push(`${what}@${h.now()}`);
    act();
  };
  const expire = (p: number): void => ran(`cpu ${p}`);
  const workload = (tag: number): void => ran(`workload ${tag}`);
  const timers: Deadlines = lean ? new PcpuTimers(h, nCpus, expire) : new DeadlineTimers(h, nCpus, expire, 0);
  // A workload event every 7 us keeps the race going where few pCPUs let it die out.
  for (let t = 0; t < 20_000; t += 7) h.scheduleWorkload(t, workload, -1);
  for (let i = 0; i < 8; i++) act();
  sim.run({ untilUs: 20_000 });
  return { log, events: sim.eventsProcessed };
}

describe("PcpuTimers", () => {
  test.each([
    [1, 3],
    [2, 8],
    [3, 8],
    [4, 13],
  ])("expires pCPUs when and in the order DeadlineTimers on the queue does (seed %i, %i pCPUs)", (seed, nCpus) => {
    const viaQueue = race(false, seed, nCpus);
    const viaLean = race(true, seed, nCpus);
    const viaWakeUps = race(true, seed, nCpus, false);
    expect(viaLean.log.length).toBeGreaterThan(2000);
    expect(viaLean.log).toEqual(viaQueue.log);
    expect(viaWakeUps.log).toEqual(viaQueue.log);
    // Two pCPUs expired in one instant, so the order of same-instant timers was exercised.
    const instant = (e: string): string => e.split("@")[1];
    const tie = (e: string, i: number): boolean => i > 0 && e.startsWith("cpu") && viaLean.log[i - 1].startsWith("cpu") && instant(e) === instant(viaLean.log[i - 1]);
    expect(viaLean.log.some(tie)).toBe(true);
    // Woken by the queue, stretches of expiries with no workload event between them took one
    // queue event each; in the lane none takes one (only the workload events are left).
    expect(viaWakeUps.events).toBeLessThan(viaQueue.events);
    expect(viaLean.events).toBe(viaLean.log.filter((e) => e.startsWith("workload")).length);
    expect(viaLean.events).toBeLessThan(viaWakeUps.events);
  });
});
