import { describe, expect, test } from "vitest";
import { NO_TIMER, type CpuScheduler, type SchedContext } from "../../src/sim/cpu-scheduler.js";
import { HostSim } from "../../src/sim/host-sim.js";
import { HostMetrics } from "../../src/sim/metrics.js";
import { createRng } from "../../src/sim/rng.js";
import { runHost } from "../../src/sim/run-host.js";
import { Simulator } from "../../src/sim/simulator.js";
import { runRr, scenario, vmOf } from "./helpers.js";

/** pinned is a policy that runs vCPU v on pCPU v and, like KVM halt-polling, never leaves it. */
function pinned(): CpuScheduler {
  let ctx: SchedContext;
  return {
    kind: "round-robin",
    start(c) {
      ctx = c;
      for (let v = 0; v < c.vcpus.length; v++) c.dispatch(v, v);
    },
    wake() {},
    block() {},
  };
}

describe("host-sim", () => {
  test("a vCPU dispatched on two pCPUs at once is a broken invariant", () => {
    const bad: CpuScheduler = {
      kind: "round-robin",
      start() {},
      wake() {},
      block() {},
    };
    let ctx: SchedContext | null = null;
    bad.start = (c) => {
      ctx = c;
      c.dispatch(0, 0);
    };
    bad.wake = (v) => (ctx as SchedContext).dispatch(1, v);
    const s = scenario(2, [{ workload: { kind: "cpu", dutyCycle: 0.5 } }], { durationMs: 100 });
    expect(() => runHost(s, bad)).toThrow(/while running on pCPU 0/);
  });

  test.each([
    { p: 2, v: 0, error: /no pCPU 2/ },
    { p: -1, v: 0, error: /no pCPU -1/ },
    { p: 0.5, v: 0, error: /no pCPU 0.5/ },
    { p: NaN, v: 0, error: /no pCPU NaN/ },
    { p: 2 ** 32, v: 0, error: /no pCPU 4294967296/ },
    { p: 0, v: 1, error: /no vCPU 1/ },
    { p: 0, v: 1e-9, error: /no vCPU 1e-9/ },
    { p: 0, v: Infinity, error: /no vCPU Infinity/ },
    // Only null means "run nothing": a negative or NaN vCPU is a policy bug, not an idle pCPU.
    { p: 0, v: -1, error: /no vCPU -1/ },
    { p: 0, v: NaN, error: /no vCPU NaN/ },
  ])("dispatching pCPU $p / vCPU $v that the host does not have is refused", ({ p, v, error }) => {
    const sim = new Simulator();
    const s = scenario(2, [{ workload: { kind: "idle" } }]);
    const host = new HostSim(sim, 2, s.vms, new HostMetrics(s.vms), createRng(1, "scheduler"));
    const policy = { kind: "round-robin", start: (ctx) => ctx.dispatch(p, v), wake() {}, block() {} } satisfies CpuScheduler;
    expect(() => host.start(policy)).toThrow(error);
  });

  test("pCPU and vCPU 0 given as -0 are pCPU and vCPU 0", () => {
    const sim = new Simulator();
    const s = scenario(1, [{ workload: { kind: "idle" } }]);
    const host = new HostSim(sim, 1, s.vms, new HostMetrics(s.vms), createRng(1, "scheduler"));
    host.start({ kind: "round-robin", start: (ctx) => ctx.dispatch(-0, -0), wake() {}, block() {} });
    expect(host.running(0)).toBe(0);
    expect(host.onCpu(0)).toBe(0);
  });

  test("a halt-polling vCPU continues at once: wake-to-run 0 and no context switch", () => {
    const s = scenario(2, [{ workload: { kind: "io", requestsPerSec: 1000, serviceUs: 50 } }], { durationMs: 2000 });
    const r = runHost(s, pinned());
    const vm = r.vms[0];
    // Requests arriving while one is in service do not wake the vCPU (5% at rho 0.05).
    expect(vm.wakeToRun.count).toBeGreaterThan(0.9 * vm.requestLatency.count);
    expect(vm.wakeToRun.count).toBeLessThan(vm.requestLatency.count);
    expect(vm.wakeToRun.maxUs).toBe(0);
    expect(r.contextSwitches).toBe(0); // the initial placement happens before measuring starts
    // Polling occupies the pCPU (host utilisation) but is not the VM's work (cpuShare).
    expect(r.utilisation).toBe(0.5);
    expect(vm.cpuShare).toBeCloseTo((vm.requestLatency.count * 50) / 2e6, 6);
  });

  test("policy timers run after workload events of the same microsecond", () => {
    const sim = new Simulator();
    const s = scenario(1, [{ workload: { kind: "idle" } }]);
    const host = new HostSim(sim, 1, s.vms, new HostMetrics(s.vms), createRng(1, "scheduler"));
    const seen: boolean[] = [];
    host.start({
      kind: "round-robin",
      start: (ctx) => void ctx.at(100, () => seen.push(ctx.hasWork(0))),
      wake: () => {},
      block: () => {},
    });
    host.scheduleWorkload(100, () => host.submitBurst(0, 10)); // scheduled after the timer
    sim.run();
    expect(seen).toEqual([true]);
  });

  test("timer() hands its argument back, runs in scheduling order with at(), and cancelTimer stops it", () => {
    const sim = new Simulator();
    const s = scenario(1, [{ workload: { kind: "idle" } }]);
    const host = new HostSim(sim, 1, s.vms, new HostMetrics(s.vms), createRng(1, "scheduler"));
    const seen: string[] = [];
    host.start({
      kind: "round-robin",
      start: (ctx) => {
        const tick = (p: number): void => void seen.push(`timer ${p} @${ctx.now()}`);
        ctx.timer(50, tick, 7);
        ctx.at(50, () => seen.push(`at @${ctx.now()}`));
        ctx.timer(50, tick, 8);
        const dropped = ctx.timer(60, tick, 9);
        ctx.timer(55, () => ctx.cancelTimer(dropped));
        ctx.cancelTimer(NO_TIMER); // never a live id: a no-op
        ctx.timer(70, () => ctx.cancelTimer(dropped)); // already cancelled: a no-op
      },
      wake: () => {},
      block: () => {},
    });
    sim.run();
    expect(seen).toEqual(["timer 7 @50", "at @50", "timer 8 @50"]);
    expect(sim.eventsProcessed).toBe(5); // the three at 50 and the two cancellers
  });

  test("work progress is kept across preemption: shares split evenly on one core", () => {
    const s = scenario(1, [{ workload: { kind: "cpu", dutyCycle: 1 } }, { workload: { kind: "cpu", dutyCycle: 1 } }], {
      durationMs: 2000,
      warmupMs: 1000,
    });
    const r = runRr(s, 10_000);
    expect(r.vms.map((v) => v.cpuShare)).toEqual([0.5, 0.5]);
    expect(r.utilisation).toBe(1);
    // One switch per 10 ms quantum, counted only after warm-up (2 s, not 3 s).
    expect(r.contextSwitches).toBe(200);
    expect(r.contextSwitchesPerSec).toBe(100);
  });

  test("warm-up is excluded from every measurement", () => {
    const s = scenario(
      2,
      [
        { id: "hog", workload: { kind: "cpu", dutyCycle: 1 } },
        { id: "io", workload: { kind: "io", requestsPerSec: 1000, serviceUs: 50 } },
      ],
      { durationMs: 2000, warmupMs: 3000 },
    );
    const r = runRr(s);
    expect(r.measuredUs).toBe(2e6);
    expect(vmOf(r, "hog").cpuUs).toBe(2e6); // not 5e6
    // Poisson count over the 2 s measured (sd 45), not the 5 s simulated.
    expect(Math.abs(vmOf(r, "io").requestLatency.count - 2000)).toBeLessThan(5 * 45);
    expect(Math.abs(vmOf(r, "io").wakeToRun.count - 2000)).toBeLessThan(5 * 45);
  });

  test("adding a VM does not change another VM's random streams", () => {
    const io = { id: "io", workload: { kind: "io" as const, requestsPerSec: 1000, serviceUs: 50 } };
    const hog = { id: "extra", workload: { kind: "cpu" as const, dutyCycle: 0.5 } };
    const alone = runRr(scenario(4, [io], { durationMs: 2000 }));
    const withExtra = runRr(scenario(4, [hog, io], { durationMs: 2000 }));
    expect(vmOf(withExtra, "io").requestLatency).toEqual(vmOf(alone, "io").requestLatency);
  });
});
