import { describe, expect, test } from "vitest";
import type { CpuScheduler, SchedContext } from "../../../src/sim/cpu-scheduler.js";
import { ScenarioSchema } from "../../../src/model/scenario.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { splitRunqueues } from "../../../src/sim/schedulers/xen-credit2/run-queue.js";
import { createXenCredit2 } from "../../../src/sim/schedulers/xen-credit2/scheduler.js";

// credit2's load balancer must see its own moves (issues 12 and 13; docs/accuracy.md, "credit2's
// balancer sees its own moves"). balance_load runs at each credit reset of a queue (~100 a second
// here) and compares the queues' b_avgload: a window average (~1 s) of the runnable count that
// _runq_assign raises by the joining vCPU's own average and _runq_deassign lowers by the leaving
// one's ("expected new load"). A move therefore closes the gap it was made for at once.
//
// Host: 4 pCPUs in two run queues of 2; 4 hogs and 6 io vCPUs (1000 req/s x 100 us: 0.1 busy).
// Initial placement is csched2_res_pick at insert: every vCPU joins the queue of least b_avgload
// and adds its 1/2 to it, so the queues alternate in VM order (q0, q1, q0, ...). The order below
// gives queue 0 hog0-2 and io3-4 and queue 1 hog3 and io0-2 and io5: a hog move, then one io
// vCPU's (~0.1 of load each way, a gap of ~0.2; both queues over full, so the tolerance is 1/8
// of a vCPU), leave the queues alike (2 hogs + 3 io vCPUs each). Start-up adds a little: both
// averages begin at 1/2 per member (svc->avgload's initial value), 2.5 each, and reach the real
// loads over the ~1 s window. After that the queues' loads have equal means, and a move needs
// their window averages to drift 1/8 apart again: with ~1 s windows of equal-mean loads, of order
// one a second at most, not one per reset. Bounds tested: at most 4 moves in any one second, and
// at most 1 a second on average from 2 s to 12 s.
//
// Without the expected-load jump, a move of a blocked io vCPU leaves both averages where they
// were and a move of a queued vCPU shifts them by only dt/W per update: the gap the move closed
// is still seen at the next reset and moved again (swapping hogs back and forth), 3-18 moves a
// second from 2 s on and 29-58 in the busiest second (5 seeds, measured in session 22 with the
// earlier placement, 2 hogs + 4 io against 2 + 2), where this test asks <= 1 and <= 4.
const CORES = 4;
const PER_QUEUE = 2;
const SECONDS = 12;

function queueMoves(seed: number): number[] {
  const queueOf: number[] = [];
  splitRunqueues(CORES, PER_QUEUE).forEach((cpus, q) => cpus.forEach((p) => (queueOf[p] = q)));
  const lastQueue = new Map<number, number>();
  const moves: number[] = [];
  // A vCPU runs only on its own queue's pCPUs (verify.ts), so a dispatch on another queue's pCPU
  // than its last is a move (two moves between runs count once: a lower bound on moves).
  const watch = (ctx: SchedContext): SchedContext =>
    new Proxy(ctx, {
      get(target, key) {
        if (key === "dispatch")
          return (p: number, v: number | null): void => {
            if (v !== null) {
              const last = lastQueue.get(v);
              if (last !== undefined && last !== queueOf[p]) moves.push(target.now());
              lastQueue.set(v, queueOf[p]);
            }
            target.dispatch(p, v);
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const factory = (params: unknown, nCpus: number): CpuScheduler => {
    const s = createXenCredit2(params as Parameters<typeof createXenCredit2>[0], nCpus);
    const start = s.start.bind(s);
    s.start = (ctx) => start(watch(ctx));
    return s;
  };
  const vm = (id: string, workload: object) => ({ id, vcpus: 1, memoryMiB: 1, workload });
  const hog = (i: number) => vm(`hog${i}`, { kind: "cpu", dutyCycle: 1, burstMs: 10 });
  const io = (i: number) => vm(`io${i}`, { kind: "io", requestsPerSec: 1000, serviceUs: 100 });
  const vms = [hog(0), io(0), hog(1), io(1), hog(2), io(2), io(3), hog(3), io(4), io(5)];
  simulateHost(
    ScenarioSchema.parse({
      host: { id: "h", cores: CORES, memoryMiB: 1, scheduler: { kind: "xen-credit2", maxCpusPerRunqueue: PER_QUEUE } },
      vms,
      durationMs: SECONDS * 1000,
      warmupMs: 0,
      seed,
    }),
    { factory },
  );
  return moves;
}

describe("xen-credit2 balancing sees its own moves (b_avgload)", () => {
  for (const seed of [1, 2, 3, 4, 5])
    test(`a fixed one-vCPU imbalance between two queues is not moved again at every reset (seed ${seed})`, () => {
      const moves = queueMoves(seed);
      // Some move is made: the imbalance is real and above tolerance.
      expect(moves.length).toBeGreaterThan(0);
      const inSecond = (s: number) => moves.filter((t) => t >= s * 1e6 && t < (s + 1) * 1e6).length;
      for (let s = 0; s < SECONDS; s++) expect(inSecond(s)).toBeLessThanOrEqual(4);
      expect(moves.filter((t) => t >= 2e6).length / (SECONDS - 2)).toBeLessThanOrEqual(1);
    });
});
