import { describe, expect, test } from "vitest";
import { chooseVcpu } from "../../src/sim/workloads/io.js";
import { runRr, scenario, vmOf } from "./helpers.js";

// Every test here runs on a host with more cores than vCPUs under round-robin, so a vCPU with work
// is on a pCPU at once: what is measured is the workload generator itself.

/**
 * dutySd is the standard deviation of one vCPU's busy fraction over T for alternating bursts
 * (mean b) and sleeps (mean s = b(1-d)/d). Renewal-reward CLT: Var = Var(B - dC) / (E[C] T) with
 * cycle C = B + S and E[C] = b/d. For exponential lengths Var(B - dC) = (1-d)²b² + d²s² =
 * 2(1-d)²b²; for ±20% uniform jitter every variance is 0.4²/12 of that.
 */
function dutySd(d: number, burstUs: number, measuredUs: number, jitter: boolean): number {
  const varCycle = 2 * (1 - d) ** 2 * burstUs ** 2 * (jitter ? 0.4 ** 2 / 12 : 1);
  return Math.sqrt((varCycle * d) / (burstUs * measuredUs));
}

describe("cpu workload", () => {
  test.each([
    { d: 0.3, vcpus: 2, dist: "exponential" as const },
    { d: 0.5, vcpus: 1, dist: "exponential" as const },
    { d: 0.8, vcpus: 1, dist: "exponential" as const },
    { d: 0.5, vcpus: 2, dist: "jitter" as const },
    { d: 0.1, vcpus: 1, dist: "jitter" as const },
  ])("reproduces duty $d per vCPU ($dist bursts, $vcpus vCPUs)", ({ d, vcpus, dist }) => {
    const burstMs = 2;
    const s = scenario(8, [{ vcpus, workload: { kind: "cpu", dutyCycle: d, burstMs, burstDistribution: dist } }], {
      durationMs: 20000,
      warmupMs: 500,
    });
    const share = runRr(s).vms[0].cpuShare / vcpus;
    // vCPUs are independent, so the mean over them has sd/sqrt(vcpus); 5 sd, plus 1e-3 for the
    // edges (a burst cut by the window ends), keeps a false alarm below 1e-6 per case.
    const tolerance = (5 * dutySd(d, burstMs * 1000, 20e6, dist === "jitter")) / Math.sqrt(vcpus) + 1e-3;
    expect(Math.abs(share - d)).toBeLessThan(tolerance);
  });

  test("duty 1 never blocks: one endless burst, no wakes after the start", () => {
    const r = runRr(scenario(2, [{ workload: { kind: "cpu", dutyCycle: 1 } }], { durationMs: 3000, warmupMs: 100 }));
    expect(r.vms[0].cpuShare).toBe(1);
    expect(r.vms[0].wakeToRun.count).toBe(0);
  });
});

describe("io workload", () => {
  test("Poisson arrivals come at the requested rate", () => {
    const s = scenario(2, [{ workload: { kind: "io", requestsPerSec: 2000, serviceUs: 20 } }], { durationMs: 10000 });
    const r = runRr(s);
    // Poisson count over 10 s: mean 20000, sd 141; allow 5 sd.
    expect(Math.abs(r.vms[0].requestLatency.count - 20000)).toBeLessThan(5 * 141);
  });

  test("fixed arrivals come exactly every 1/rate", () => {
    const s = scenario(2, [{ workload: { kind: "io", requestsPerSec: 1000, serviceUs: 20, arrival: "fixed" } }], {
      durationMs: 3000,
    });
    const vm = runRr(s).vms[0];
    expect(Math.abs(vm.requestLatency.count - 3000)).toBeLessThanOrEqual(1);
    expect(vm.requestLatency.maxUs).toBe(20); // never queued behind its predecessor
  });

  test("alone on a host, latency is the service time plus rare self-queueing", () => {
    const s = scenario(2, [{ workload: { kind: "io", requestsPerSec: 200, serviceUs: 50 } }], { durationMs: 20000 });
    const vm = runRr(s).vms[0];
    expect(vm.requestLatency.p50Us).toBe(50);
    // M/D/1 at rho = 0.01: mean wait rho*S/(2(1-rho)) = 0.25 us.
    expect(vm.requestLatency.meanUs).toBeGreaterThanOrEqual(50);
    expect(vm.requestLatency.meanUs).toBeLessThan(50.6);
    expect(vm.wakeToRun.maxUs).toBe(0);
    expect(vm.cpuShare).toBeCloseTo((vm.requestLatency.count * 50) / 20e6, 4);
  });

  test("a multi-vCPU VM spreads requests: 1.5 CPUs of demand on 2 vCPUs stays stable", () => {
    const s = scenario(3, [{ vcpus: 2, workload: { kind: "io", requestsPerSec: 1500, serviceUs: 1000 } }], {
      durationMs: 10000,
      warmupMs: 500,
    });
    const vm = runRr(s).vms[0];
    // Offered load 1.5 CPUs; the Poisson count's sd is 122 requests = 0.012 CPUs; allow 5 sd.
    expect(Math.abs(vm.cpuShare - 1.5)).toBeLessThan(0.06);
    // One vCPU would be at rho 1.5 and its queue would grow to seconds.
    expect(vm.requestLatency.p99Us).toBeLessThan(20000);
  });

  test("chooseVcpu: idle vCPUs round-robin from the start index, else fewest queued, lowest index", () => {
    const pick = (start: number, work: boolean[], queued: number[]): number =>
      chooseVcpu(work.length, start, (i) => work[i], (i) => queued[i]);
    expect(pick(0, [false, false, false], [0, 0, 0])).toBe(0);
    expect(pick(2, [false, false, false], [0, 0, 0])).toBe(2);
    expect(pick(2, [false, true, true], [0, 1, 0])).toBe(0); // a vCPU busy with a burst is not idle
    expect(pick(0, [true, true, true], [2, 1, 1])).toBe(1);
    expect(pick(0, [true, true, true], [0, 3, 0])).toBe(0);
  });
});

describe("mixed workload", () => {
  const mixed = (d: number) => ({
    kind: "mixed" as const,
    io: { requestsPerSec: 200, serviceUs: 50 },
    cpu: { dutyCycle: d, burstMs: 5 },
  });

  test("IO runs ahead of the VM's own CPU burst: latency as if alone", () => {
    const vm = runRr(scenario(2, [{ workload: mixed(0.5) }], { durationMs: 20000 })).vms[0];
    expect(vm.requestLatency.p50Us).toBe(50);
    // Waiting behind a 5 ms burst even once would show up in the max.
    expect(vm.requestLatency.maxUs).toBeLessThan(500);
    expect(Math.abs(vm.cpuShare - (0.5 + (200 * 50) / 1e6))).toBeLessThan(0.05);
  });

  test("a vCPU that never blocks is never woken by IO", () => {
    const vm = runRr(scenario(2, [{ workload: mixed(1) }], { durationMs: 5000, warmupMs: 1 })).vms[0];
    expect(vm.wakeToRun.count).toBe(0);
    expect(vm.requestLatency.count).toBeGreaterThan(800);
    expect(vm.requestLatency.maxUs).toBeLessThan(500);
    expect(vm.cpuShare).toBe(1);
  });

  test("the vCPU still needs a pCPU: behind a hog on one core, IO waits for its turn", () => {
    const s = scenario(1, [{ workload: mixed(1) }, { workload: { kind: "cpu", dutyCycle: 1 } }], { durationMs: 10000 });
    const vm = runRr(s, 10_000).vms[0];
    // Off for 10 ms out of every 20: about half the requests wait, up to one quantum.
    expect(vm.requestLatency.p99Us).toBeGreaterThan(8000);
    expect(vm.requestLatency.maxUs).toBeLessThan(10_000 + 500);
    expect(vm.requestLatency.p50Us).toBeLessThan(2000);
  });
});

describe("trace workload", () => {
  const trace = (utilisationPercent: number[], io?: { requestsPerSec: number; serviceUs: number }) => ({
    vcpus: 4,
    workload: { kind: "trace" as const, intervalSec: 2, utilisationPercent, burstMs: 2, ...(io ? { io } : {}) },
  });

  test("utilisation 0 never runs and 100 never stops", () => {
    const s = scenario(8, [trace([0, 100])], { durationMs: 2000 });
    expect(runRr(s).vms[0].cpuShare).toBe(0);
    const late = runRr(s, undefined, { traceStartSec: 2 }).vms[0];
    expect(late.cpuShare).toBe(4);
    expect(late.wakeToRun.count).toBe(4); // each vCPU wakes once, at time 0, and never blocks
  });

  test("traceStartSec picks the interval, and the series wraps around", () => {
    const s = scenario(8, [trace([20, 80])], { durationMs: 2000 });
    const share = (startSec: number): number => runRr(s, undefined, { traceStartSec: startSec }).vms[0].cpuShare;
    // 4 vCPUs, b = 2 ms, 2 s: sd per vCPU 0.011 at d = 0.2 and 0.009 at d = 0.8; 5 sd over 4 vCPUs.
    expect(Math.abs(share(0) - 0.8)).toBeLessThan(4 * 0.03);
    expect(Math.abs(share(2) - 3.2)).toBeLessThan(4 * 0.03);
    expect(Math.abs(share(4) - 0.8)).toBeLessThan(4 * 0.03);
  });

  test("the duty follows the series across an interval boundary", () => {
    const s = scenario(8, [trace([0, 100])], { durationMs: 4000 });
    // 2 s idle then 2 s flat out: half the time, up to a burst's tail.
    expect(Math.abs(runRr(s, undefined, { traceStartSec: 0 }).vms[0].cpuShare - 2)).toBeLessThan(0.01);
    // 2 s flat out then 2 s idle: the bursts in flight at the boundary finish (mean 2 ms each).
    expect(Math.abs(runRr(s, undefined, { traceStartSec: 2 }).vms[0].cpuShare - 2)).toBeLessThan(0.01);
  });

  test("an optional io part runs inside the trace VM", () => {
    const vm = runRr(scenario(8, [trace([50], { requestsPerSec: 500, serviceUs: 30 })], { durationMs: 4000 })).vms[0];
    expect(Math.abs(vm.requestLatency.count - 2000)).toBeLessThan(5 * 45);
    expect(vm.requestLatency.p50Us).toBe(30);
  });
});

describe("idle workload", () => {
  test("does nothing", () => {
    const vm = runRr(scenario(1, [{ workload: { kind: "idle" } }], { durationMs: 1000 })).vms[0];
    expect([vm.cpuUs, vm.wakeToRun.count, vm.requestLatency.count]).toEqual([0, 0, 0]);
  });
});

describe("tick-dodge workload", () => {
  test("alone, each vCPU runs 50 us..9.5 ms of every 10 ms period and wakes once per period", () => {
    const r = runRr(scenario(4, [{ vcpus: 2, workload: { kind: "tick-dodge" } }], { durationMs: 3000, warmupMs: 100 }));
    // Never waiting for a pCPU, it gets its whole window: 9450 / 10000 per vCPU, exactly.
    expect(r.vms[0].cpuShare).toBeCloseTo(2 * 0.945, 6);
    expect(r.vms[0].wakeToRun.count).toBe(2 * 300);
    expect(r.vms[0].wakeToRun.maxUs).toBe(0);
  });

  test("runs flat out until dodgeFromMs, then dodges", () => {
    const r = runRr(scenario(2, [{ workload: { kind: "tick-dodge", dodgeFromMs: 1000 } }], { durationMs: 3000 }));
    expect(r.vms[0].cpuShare).toBeCloseTo((1000 + 2000 * 0.945) / 3000, 6);
  });

  test("time lost to a competitor is not made up: a window never stretches past its end", () => {
    // Round-robin with a 3 ms quantum against a hog on 1 pCPU: inside its window the attacker
    // alternates quanta with the hog, so it gets about half of the window (4.7 ms, less the
    // quantum the hog is in when it wakes), and nothing after it. A burst that made up the lost
    // time would run on past 9.5 ms and take half of the whole period or more.
    const r = runRr(scenario(1, [{ workload: { kind: "tick-dodge" } }, { workload: { kind: "cpu", dutyCycle: 1 } }], { durationMs: 3000 }), 3000);
    expect(r.vms[0].cpuShare).toBeGreaterThan(0.3);
    expect(r.vms[0].cpuShare).toBeLessThan(0.945 / 2 + 0.01);
  });

  test("a window that does not fit between the wake and the next tick is refused, naming the field", () => {
    expect(() => scenario(1, [{ workload: { kind: "tick-dodge", runUntilMs: 10 } }])).toThrow(/runUntilMs/);
  });
});
