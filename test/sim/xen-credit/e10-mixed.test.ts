import { describe, expect, test } from "vitest";
import { cpuVm, ioVm, ms, SEEDS, vmOf, xen } from "./xen-scenario.js";

// E10 (credit1 row): intra-VM mixed IO + CPU, the BOOST failure (sim-fidelity.md 5, E10).
// 1 pCPU. VM M runs 1 ms pings (50 us) and a CPU-bound task in its one vCPU, so the vCPU never
// blocks and is never woken: no BOOST. Two CPU-bound neighbours, all weights equal.
//
// Derivation: three never-blocking vCPUs earn 100 credits per 30 ms period each and rotate in
// full 30 ms slices, so M is off the pCPU (n - 1) x 30 = 60 ms of every 90. The 2/3 of pings that
// arrive while it is off wait for the rest of the gap (uniform up to 60 ms) plus the service of
// those queued before them (<= 60 x 50 us = 3 ms): p99 = 60 x (1 - 0.01 / (2/3)) = 59 ms, inside
// the spec's 40-60 ms. A pure io VM in the same place is boosted and waits <= the 1 ms rate limit.

const ping = { requestsPerSec: 1000, serviceUs: 50, arrival: "fixed" } as const;
const mixed = { id: "M", vcpus: 1, memoryMiB: 1024, workload: { kind: "mixed", io: ping, cpu: { dutyCycle: 1 } } } as const;

describe("E10 credit1: mixed IO + CPU in one vCPU", () => {
  test.each([...SEEDS])("seed %i: M's request p99 is 40-63 ms, > 10x a pure io VM, and M is never boosted", (seed) => {
    const m = vmOf(xen(1, [mixed, cpuVm("h1", 1), cpuVm("h2", 1)], { seed }), "M");
    const pure = vmOf(xen(1, [ioVm("P", "fixed"), cpuVm("h1", 1), cpuVm("h2", 1)], { seed }), "P");
    const p99Ms = ms(m.requestLatency.p99Us);
    expect(p99Ms).toBeGreaterThan(40);
    expect(p99Ms).toBeLessThan(63);
    expect(ms(pure.requestLatency.p99Us)).toBeLessThan(1.1);
    expect(p99Ms).toBeGreaterThan(10 * ms(pure.requestLatency.p99Us));
    expect(m.boosts).toBe(0);
    expect(Math.abs(m.cpuShare - 1 / 3)).toBeLessThan(0.01);
  });
});
