import { describe, expect, test } from "vitest";
import { ScenarioSchema } from "../../../src/model/scenario.js";
import type { XenCreditParams } from "../../../src/model/scheduler.js";
import type { SchedCounter } from "../../../src/sim/cpu-scheduler.js";
import { HostSim } from "../../../src/sim/host-sim.js";
import { NULL_OBSERVER, type HostObserver } from "../../../src/sim/metrics.js";
import { createRng } from "../../../src/sim/rng.js";
import { createXenCredit } from "../../../src/sim/schedulers/xen-credit.js";
import { Simulator } from "../../../src/sim/simulator.js";

// Single mechanisms of credit1 (sim-fidelity.md 1.2, 1.4, 1.5), driven by hand: idle VMs with
// one vCPU each, CPU bursts injected at chosen microseconds, and what runs where looked at.
// vCPU v starts on pCPU v mod cores. Ticks fall on multiples of 10 ms.

interface Harness {
  burst(atUs: number, v: number, us: number): void;
  runningAt(atUs: number, p: number): () => number | null;
  run(untilUs: number): void;
  counts: Record<SchedCounter, number[]>;
}

function harness(cores: number, vcpus: number, tunables: Partial<XenCreditParams> = {}): Harness {
  const sim = new Simulator();
  const s = ScenarioSchema.parse({
    host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit", ...tunables } },
    vms: Array.from({ length: vcpus }, (_, i) => ({ id: `vm${i}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "idle" } })),
  });
  const counts: Record<SchedCounter, number[]> = { boost: [], preemption: [], throttle: [] };
  for (const c of Object.values(counts)) c.push(...new Array<number>(vcpus).fill(0));
  const observer: HostObserver = { ...NULL_OBSERVER, counter: (name, vm) => counts[name][vm]++ };
  const host = new HostSim(sim, cores, s.vms, observer, createRng(1, "scheduler"));
  if (s.host.scheduler.kind !== "xen-credit") throw new Error("unreachable");
  // Each injected burst is followed by sleep: the vCPU blocks until the next injected one.
  for (let v = 0; v < vcpus; v++) host.setBurstSource(v, { onBurstDone: () => 0 });
  host.start(createXenCredit(s.host.scheduler, cores));
  return {
    burst: (atUs, v, us) => void host.scheduleWorkload(atUs, () => host.submitBurst(v, us)),
    runningAt(atUs, p) {
      let seen: number | null | undefined;
      host.scheduleWorkload(atUs, () => (seen = host.running(p)));
      return () => {
        if (seen === undefined) throw new Error(`not run up to ${atUs}`);
        return seen;
      };
    },
    run: (untilUs) => sim.run({ untilUs }),
    counts,
  };
}

describe("credit1 mechanics", () => {
  test("BOOST does not preempt BOOST; a tick demotes without rescheduling; the waiter runs at the burst's end", () => {
    const h = harness(1, 2);
    h.burst(0, 0, 25_000); // v0 wakes boosted, runs 25 ms
    h.burst(1_000, 1, 100); // v1 wakes boosted too: equal priority, it waits
    const at15ms = h.runningAt(15_000, 0); // the 10 ms tick made v0 UNDER but did not switch
    const at25ms = h.runningAt(25_001, 0);
    h.run(30_000);
    expect([at15ms(), at25ms()]).toEqual([0, 1]);
    expect(h.counts.boost).toEqual([1, 1]);
    expect(h.counts.preemption).toEqual([0, 0]);
  });

  test("a BOOST waker preempts an UNDER runner, but only once it has run the 1 ms rate limit", () => {
    const h = harness(1, 3);
    h.burst(0, 0, 100_000); // v0: demoted to UNDER by the 10 ms tick
    h.burst(12_300, 1, 100); // v1 preempts at once (v0 has run 12.3 ms), blocks at 12.4 ms
    h.burst(12_600, 2, 100); // v0 is back since 12.4 ms: v2 waits until 13.4 ms
    const probes = [12_350, 12_500, 13_350, 13_450].map((t) => h.runningAt(t, 0));
    h.run(20_000);
    expect(probes.map((p) => p())).toEqual([1, 0, 0, 2]);
    expect(h.counts.preemption).toEqual([2, 0, 0]);
  });

  test("with an idle pCPU the waker is run there (stolen), never by preempting", () => {
    const h = harness(2, 3);
    h.burst(0, 0, 50_000); // v0 on pCPU 0, UNDER after the 10 ms tick
    h.burst(12_000, 2, 5_000); // v2's home is pCPU 0 (busy); pCPU 1 idles and steals it
    const onP0 = h.runningAt(12_500, 0);
    const onP1 = h.runningAt(12_500, 1);
    h.run(20_000);
    expect([onP0(), onP1()]).toEqual([0, 2]);
    expect(h.counts.preemption).toEqual([0, 0, 0]);
  });

  test("ratelimitUs 0 (before Xen 4.2): the BOOST waker preempts at once", () => {
    const h = harness(1, 3, { ratelimitUs: 0 });
    h.burst(0, 0, 100_000);
    h.burst(12_300, 1, 100);
    h.burst(12_600, 2, 100);
    const at12_65 = h.runningAt(12_650, 0);
    h.run(20_000);
    expect(at12_65()).toBe(2);
  });
});
