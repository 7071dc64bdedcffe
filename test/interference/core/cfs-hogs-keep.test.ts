import { describe, expect, test } from "vitest";
import { tunableFactor } from "../../../src/interference/core/cfs.js";
import { ALL_MECHANISMS, type Mechanisms } from "../../../src/interference/core/scheduler-core.js";
import type { Scenario } from "../../../src/model/scenario.js";
import { defaultScheduler, type KvmCfsParams } from "../../../src/model/scheduler.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";

/**
 * Mechanisms.cfsHogsKeep (docs/accuracy.md, "CFS hosts split by keeping hogs (session 19)").
 * holdout-17's packed/10070/3: 16 CPUs under CFS at 0.93 load; vm-5 and vm-10 (4 vCPUs each) and
 * vm-11 (1 vCPU) never sleep, and the other CPU-bound vCPUs (12, 4.6 cores of demand) with the io
 * ones leave a core idle most of the time. Each hog keeps a CPU of its own (a waker goes to an idle
 * CPU or its previous one, which is never a hog's; a sleeper the balancer puts there leaves at its
 * next wake-up), so the host is 9 CPUs of hogs and 7 shared by everyone else: with the three hogs
 * and 9 CPUs removed (the tunables kept at the 16-CPU host's), the io victims simulate the same.
 */
const ON: Partial<Mechanisms> = { cfsHogsKeep: true };
const OFF: Partial<Mechanisms> = { cfsHogsKeep: false };
const HOGS = ["vm-5", "vm-10", "vm-11"];
const IO = ["vm-0", "vm-1", "vm-2", "vm-4", "vm-6", "vm-7"];

/** without: `s` less the VMs `ids` and their vCPUs' cores, its CFS tunables fixed at the whole host's scaling. */
function without(s: Scenario, ids: readonly string[]): Scenario {
  const sched = s.host.scheduler as KvmCfsParams;
  const f = tunableFactor(sched, s.host.cores);
  const gone = s.vms.filter((v) => ids.includes(v.id)).reduce((n, v) => n + v.vcpus, 0);
  const tunables = { tunableScaling: "none" as const, latencyUs: sched.latencyUs * f, minGranularityUs: sched.minGranularityUs * f, wakeupGranularityUs: sched.wakeupGranularityUs * f };
  return { ...s, host: { ...s.host, cores: s.host.cores - gone, scheduler: { ...sched, ...tunables } }, vms: s.vms.filter((v) => !ids.includes(v.id)) };
}

describe("CFS: hogs that keep their CPUs split the host; the others share the rest", () => {
  test("on by default", () => {
    expect(ALL_MECHANISMS.cfsHogsKeep).toBe(true);
  });

  test("10070/3 in the simulator: every hog runs all the time, and the io victims wait as on the 7 CPUs without the hogs", () => {
    const s = roundHost("holdout-17", "packed/10070/3");
    const run = simulateHost({ ...s, seed: 7 });
    for (const id of HOGS) {
      const vm = run.vms.find((v) => v.id === id)!;
      expect(vm.cpuShare, id).toBeGreaterThan(s.vms.find((v) => v.id === id)!.vcpus - 0.02);
    }
    const rest = without(s, HOGS);
    for (const id of ["vm-1", "vm-6"]) {
      const drawn = simulatedP999(s, id, [7, 8]);
      const split = simulatedP999(rest, id, [7, 8]);
      expect(Math.abs(Math.log(split / drawn)), `${id}: ${split} against ${drawn}`).toBeLessThan(0.3);
    }
  }, 120_000);

  test("10070/3's io victims: estimated as on the host without the hogs with the term, 1.2x over it without", () => {
    const s = roundHost("holdout-17", "packed/10070/3");
    const rest = without(s, HOGS);
    for (const id of IO) {
      const split = shippedP999(rest, id, ON);
      expect(Math.abs(Math.log(shippedP999(s, id, ON) / split)), id).toBeLessThan(0.01);
      expect(shippedP999(s, id, OFF), id).toBeGreaterThan(1.2 * split);
    }
  });

  test("untouched where the CPU-bound demand is over the cores (10070/7) or the CPU-bound vCPUs cannot fill them (10029/0), and under EEVDF", () => {
    const over = roundHost("holdout-17", "packed/10070/7");
    const under = roundHost("holdout-13", "packed-32/10029/0");
    for (const [s, id] of [[over, "vm-3"], [under, "vm-17"]] as const) expect(shippedP999(s, id, ON), id).toBe(shippedP999(s, id, OFF));
    const s = roundHost("holdout-17", "packed/10070/3");
    const eevdf = { ...s, host: { ...s.host, scheduler: defaultScheduler("kvm-eevdf") } };
    expect(shippedP999(eevdf, "vm-1", ON)).toBe(shippedP999(eevdf, "vm-1", OFF));
  });
});
