import { describe, expect, test } from "vitest";
import { KvmCfsSchema } from "../../../src/model/scheduler.js";
import { Bandwidth, type CpuRuntime } from "../../../src/sim/schedulers/kvm-fair/bandwidth.js";
import {
  baseSlice,
  calcDeltaFair,
  groupShares,
  placeWakeupVruntime,
  schedPeriodUs,
  sliceShare,
  tickPreempts,
  wakeupPreempts,
} from "../../../src/sim/schedulers/kvm-cfs/fair.js";
import { CfsRq, Entity } from "../../../src/sim/schedulers/kvm-fair/run-queue.js";
import {
  cgroupWeightToShares,
  niceToWeight,
  SCHED_PRIO_TO_WEIGHT,
  scaledTunables,
  tunableFactor,
} from "../../../src/sim/schedulers/kvm-cfs/tunables.js";

const defaults = KvmCfsSchema.parse({ kind: "kvm-cfs" });
const on1 = scaledTunables(defaults, 1);
const on4 = scaledTunables(defaults, 4);

describe("kvm-cfs tunables (fidelity 3.1)", () => {
  test.each([
    ["log", 1, 1],
    ["log", 2, 2],
    ["log", 4, 3],
    ["log", 8, 4],
    ["log", 64, 4],
    ["linear", 4, 4],
    ["linear", 64, 8],
    ["none", 64, 1],
  ] as const)("%s scaling on %i CPUs multiplies by %i", (scaling, cpus, factor) => {
    expect(tunableFactor(scaling, cpus)).toBe(factor);
  });

  test("4 CPUs: latency 18 ms, min_gran 2.25 ms, wakeup_gran 3 ms, sleeper credit 9 ms (E7 setup)", () => {
    expect(on4).toMatchObject({
      factor: 3,
      latencyUs: 18000,
      minGranularityUs: 2250,
      wakeupGranularityUs: 3000,
      nrLatency: 8,
      sleeperCreditUs: 9000,
    });
  });

  test("without GENTLE_FAIR_SLEEPERS the sleeper credit is a whole latency", () => {
    expect(scaledTunables({ ...defaults, gentleFairSleepers: false }, 4).sleeperCreditUs).toBe(18000);
  });
});

describe("kvm-cfs weights (fidelity 3.2, 3.5)", () => {
  test("sched_prio_to_weight: nice 0 = 1024, rows from the reference, 40 levels", () => {
    expect(SCHED_PRIO_TO_WEIGHT).toHaveLength(40);
    expect([0, 1, 2, 3, 4].map(niceToWeight)).toEqual([1024, 820, 655, 526, 423]);
    expect([-5, -4, -3, -2, -1].map(niceToWeight)).toEqual([3121, 2501, 1991, 1586, 1277]);
    expect([niceToWeight(-20), niceToWeight(5), niceToWeight(19)]).toEqual([88761, 335, 15]);
  });

  test("each nice step is about x1.25 (the 10% effect)", () => {
    for (let i = 1; i < SCHED_PRIO_TO_WEIGHT.length; i++) {
      const ratio = SCHED_PRIO_TO_WEIGHT[i - 1] / SCHED_PRIO_TO_WEIGHT[i];
      expect(ratio).toBeGreaterThan(1.19);
      expect(ratio).toBeLessThan(1.31);
    }
  });

  test("nice outside -20..19 is refused", () => {
    expect(() => niceToWeight(20)).toThrow(/nice/);
  });

  test("cpu.weight maps to shares with 100 <-> 1024, rounding like sched_weight_from_cgroup", () => {
    expect([100, 200, 50, 1, 10000].map(cgroupWeightToShares)).toEqual([1024, 2048, 512, 10, 102400]);
    // 80 and 33 are the closest cpu.weight values to nice 1 and nice 5 (820, 335).
    expect([80, 33].map(cgroupWeightToShares)).toEqual([819, 338]);
  });

  test("calc_group_shares splits a group's shares by where its load is, clamped to [2, shares]", () => {
    expect(groupShares(1024, 1024, 4096)).toBe(256); // a 4-vCPU VM spread over 4 CPUs
    expect(groupShares(1024, 4096, 4096)).toBe(1024); // all four threads on one CPU
    expect(groupShares(1024, 1, 100000)).toBe(2);
  });
});

describe("kvm-cfs period and slice (fidelity 3.3)", () => {
  test("period is the latency up to nr_latency tasks, then nr x min_gran", () => {
    expect(schedPeriodUs(1, on1)).toBe(6000);
    expect(schedPeriodUs(8, on1)).toBe(6000);
    expect(schedPeriodUs(9, on1)).toBe(6750);
    expect(schedPeriodUs(9, on4)).toBe(20250);
  });

  test("slice = period x w / W at each level, floored at min_gran (BASE_SLICE)", () => {
    // E10 on 1 CPU: three equal VMs -> 6 ms / 3 = 2 ms each.
    expect(baseSlice(sliceShare(schedPeriodUs(3, on1), 1024, 3072), on1)).toBe(2000);
    // Two levels: a thread of a 4-vCPU VM sharing 1 CPU with a 1-vCPU VM (E8c): 6 ms x 1/2 x 1/4.
    const groupSlice = sliceShare(schedPeriodUs(5, on1), 1024, 2048);
    expect(sliceShare(groupSlice, 1024, 4096)).toBe(750);
    expect(baseSlice(sliceShare(groupSlice, 1024, 8192), on1)).toBe(750);
  });

  test("vruntime runs at 1024 / weight of wall time", () => {
    expect(calcDeltaFair(1000, 1024)).toBe(1000);
    expect(calcDeltaFair(1000, 2048)).toBe(500);
    expect(calcDeltaFair(1000, 512)).toBe(2000);
  });
});

describe("kvm-cfs wakeup placement and preemption (fidelity 3.4)", () => {
  test("a long sleeper is placed latency/2 below min_vruntime, never behind its own vruntime", () => {
    expect(placeWakeupVruntime(0, 100000, on4)).toBe(91000);
    expect(placeWakeupVruntime(99000, 100000, on4)).toBe(99000);
  });

  test("a long sleeper of equal weight always preempts: credit 9 ms > wakeup_gran 3 ms", () => {
    const wakee = placeWakeupVruntime(0, 100000, on4);
    expect(wakeupPreempts(100000, wakee, 1024, on4)).toBe(true);
  });

  test("a wakee less than wakeup_gran behind curr waits; a heavier wakee needs less lead", () => {
    expect(wakeupPreempts(100000, 98000, 1024, on4)).toBe(false);
    expect(wakeupPreempts(100000, 98000, 2048, on4)).toBe(true); // gran 3 ms x 1024/2048 = 1.5 ms
    expect(wakeupPreempts(100000, 100000, 1024, on4)).toBe(false);
    expect(wakeupPreempts(100000, 101000, 88761, on4)).toBe(false); // vdiff <= 0 never preempts
  });

  test("check_preempt_tick: past the slice; or after min_gran, more than a slice ahead of leftmost", () => {
    expect(tickPreempts(2001, 2000, 0, 0, on1)).toBe(true);
    expect(tickPreempts(2000, 2000, 0, 0, on1)).toBe(false);
    expect(tickPreempts(700, 2000, 5000, 0, on1)).toBe(false); // before min_gran (750 us)
    expect(tickPreempts(800, 2000, 5000, 0, on1)).toBe(true);
    expect(tickPreempts(800, 2000, 1500, 0, on1)).toBe(false);
  });
});

describe("kvm-cfs run queue", () => {
  test("picks the smallest vruntime, FIFO among equals, curr only when strictly before", () => {
    const rq = new CfsRq();
    const [a, b, c] = [new Entity(0, 1024), new Entity(1, 1024), new Entity(2, 1024)];
    a.vruntime = 5;
    b.vruntime = 3;
    c.vruntime = 3;
    for (const se of [a, b, c]) {
      rq.account(se, 1);
      rq.insert(se);
    }
    expect(rq.pick()).toBe(b);
    rq.setCurr(b, 0);
    expect(rq.pick()).toBe(c); // b is curr at an equal key: the waiter goes first
    b.charge(1, 1);
    rq.updateMinVruntime();
    expect(rq.minVruntime).toBe(3);
    rq.putCurr();
    expect(rq.leftmost).toBe(c);
    expect(rq.loadWeight).toBe(3072);
  });

  test("min_vruntime never moves back", () => {
    const rq = new CfsRq();
    const a = new Entity(0, 1024);
    a.vruntime = 10;
    rq.account(a, 1);
    rq.insert(a);
    rq.updateMinVruntime();
    rq.remove(a);
    a.vruntime = 2;
    rq.insert(a);
    rq.updateMinVruntime();
    expect(rq.minVruntime).toBe(10);
  });
});

describe("kvm-cfs bandwidth pool (fidelity 3.6)", () => {
  const cpuRq = (): CpuRuntime => ({ runtimeUs: 0, throttled: false });

  test("draws slices of 5 ms from the pool until it is empty", () => {
    const bw = new Bandwidth(12000, 5000);
    const rq = cpuRq();
    expect(bw.spend(rq, 0)).toBe(true);
    expect([rq.runtimeUs, bw.poolUs]).toEqual([5000, 7000]);
    expect(bw.spend(rq, 5000)).toBe(true);
    expect(bw.spend(rq, 5000)).toBe(true);
    expect([rq.runtimeUs, bw.poolUs]).toEqual([2000, 0]);
    expect(bw.spend(rq, 2500)).toBe(false);
  });

  test("a throttled cfs_rq's overrun is paid from the next period before it runs again", () => {
    const bw = new Bandwidth(5000, 5000);
    const rq = cpuRq();
    bw.spend(rq, 0);
    expect(bw.spend(rq, 5400)).toBe(false); // overran by 400 us (one tick's charge)
    bw.refill();
    expect(bw.payDebt(rq)).toBe(true);
    expect(rq.runtimeUs).toBe(1);
    expect(bw.poolUs).toBe(5000 - 401);
  });

  test("an idle cfs_rq returns all but 1 ms to the pool", () => {
    const bw = new Bandwidth(10000, 5000);
    const rq = cpuRq();
    bw.spend(rq, 0);
    bw.returnSlack(rq);
    expect([rq.runtimeUs, bw.poolUs]).toEqual([1000, 9000]);
  });
});
