import { describe, expect, test } from "vitest";
import { bobtailRule, type BobtailMix } from "../../src/interference/bobtail.js";
import { defaultScheduler, type SchedulerParams } from "../../src/model/scheduler.js";

const xen = defaultScheduler("xen-credit");
const xenSampling = { ...xen, accounting: "sampling" } as SchedulerParams;
const cfs = defaultScheduler("kvm-cfs");
const io = { mixed: false, cpuVcpus: 0 };
const mixed = { mixed: true, cpuVcpus: 1 };
const mix = (scheduler: SchedulerParams, sleepyCpuVcpus: number, hogVcpus: number, cores = 4): BobtailMix => ({ cores, scheduler, sleepyCpuVcpus, hogVcpus });

// The rule names the mechanism; how much harm follows is the predictor's (score.test.ts).
describe("bobtailRule", () => {
  test.each([
    ["both conditions: 6 sleepy vCPUs on 4 cores", mix(xen, 6, 0), io, "bobtail"],
    ["boundary counts the victim: 4 sleepy + victim on 4 cores", mix(xen, 4, 0), io, "bobtail"],
    ["one short of the boundary: 3 sleepy on 4 cores", mix(xen, 3, 0), io, "sleepers-below-cores"],
    ["few sleepers leave an idle core", mix(xen, 1, 0), io, "no-contention"],
    ["hogs never sleep, so never boost; exact accounting still drifts", mix(xen, 0, 8), io, "hogs-exact-accounting"],
    ["hogs under sampling accounting are harmless", mix(xenSampling, 0, 8), io, "no-contention"],
    ["mixed victim beside hogs is never boosted", mix(xen, 1, 4), mixed, "intra-vm-boost-failure"],
    ["CFS: cores full of sleepers, a fresh one cannot be preempted", mix(cfs, 6, 0), io, "cfs-fresh-sleeper"],
    ["CFS with room to spare", mix(cfs, 2, 0), io, "no-contention"],
  ])("%s", (_name, m, victim, reason) => {
    const v = bobtailRule(m, victim);
    expect(v.reason).toBe(reason);
    expect(v.cores).toBe(m.cores);
  });

  test("a mixed victim's own sleepy vCPU does not count against it", () => {
    // 4 sleepy vCPUs in all, one of them the victim's own: 3 others + the victim = 4 cores.
    expect(bobtailRule(mix(xen, 4, 0), mixed).outnumber).toBe(false);
    expect(bobtailRule(mix(xen, 5, 0), mixed).outnumber).toBe(true);
  });

  test("the verdict carries the numbers behind it", () => {
    expect(bobtailRule(mix(xen, 6, 2), io)).toMatchObject({ scheduler: "xen-credit", timesliceMs: 30, sleepyCpuVcpus: 6, hogVcpus: 2, outnumber: true, sleep: true });
  });
});
