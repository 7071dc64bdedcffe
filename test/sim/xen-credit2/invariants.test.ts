import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ScenarioSchema, type Scenario } from "../../../src/model/scenario.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { createXenCredit2 } from "../../../src/sim/schedulers/xen-credit2/scheduler.js";
import { MIXED_VMS } from "../helpers.js";

// credit2's run queues, flags, loads and host-sim's view must agree after every event
// (verifyCredit2). The randomized part draws hosts, VM mixes and tunables, multi-queue layouts
// and caps above all: balancing between queues and budget parking are where a vCPU can end up
// running on one queue while assigned to another, or queued twice.

const verifying = (s: Scenario) =>
  simulateHost(s, { factory: (p, n) => createXenCredit2(p as Parameters<typeof createXenCredit2>[0], n, { verify: true }) });


/** The nine-VM mixed set of the byte-identity test: every workload kind, caps, weights, 2-vCPU VMs. */
const MIXED = MIXED_VMS;

describe("xen-credit2 invariants", () => {
  test("two run queues of 2 pCPUs, no migrate resist, the mixed set at seed 13 (crashed before the fix)", () => {
    // The balance run by a credit reset moved the vCPU just picked to run (Xen has already marked
    // it CSFLAG_scheduled, so migrate() only flags it), and its tickle rescheduled the pCPU whose
    // switch was half done, queueing the old runner twice.
    const s = ScenarioSchema.parse({
      host: { id: "h", cores: 4, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit2", maxCpusPerRunqueue: 2, migrateResistUs: 0 } },
      vms: MIXED,
      durationMs: 3000,
      warmupMs: 1000,
      seed: 13,
    });
    const r = verifying(s);
    // The caps still hold (50% and 120% of a pCPU, within one 10 ms period over 3 s).
    expect(r.vms[4].cpuShare).toBeLessThanOrEqual(0.5 + 0.01 / 3);
    expect(r.vms[5].cpuShare).toBeLessThanOrEqual(1.2 + 0.01 / 3);
    expect(r.vms.reduce((a, v) => a + v.cpuShare, 0)).toBeLessThanOrEqual(4 + 1e-9);
  });

  const workload = fc.oneof(
    fc.record({ kind: fc.constant("io"), requestsPerSec: fc.integer({ min: 100, max: 2000 }), serviceUs: fc.integer({ min: 20, max: 400 }) }),
    fc.record({ kind: fc.constant("cpu"), dutyCycle: fc.double({ min: 0.1, max: 1, noNaN: true }), burstMs: fc.integer({ min: 1, max: 30 }) }),
    fc.record({
      kind: fc.constant("mixed"),
      io: fc.record({ requestsPerSec: fc.integer({ min: 100, max: 800 }), serviceUs: fc.integer({ min: 20, max: 200 }) }),
      cpu: fc.record({ dutyCycle: fc.double({ min: 0.1, max: 0.9, noNaN: true }), burstMs: fc.integer({ min: 1, max: 20 }) }),
    }),
    fc.constant({ kind: "idle" }),
  );
  const vmArb = fc.record({
    vcpus: fc.integer({ min: 1, max: 3 }),
    weight: fc.constantFrom(64, 256, 1024),
    capPercent: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 10, max: 200 })),
    workload,
  });
  const hostArb = fc.record({
    cores: fc.integer({ min: 1, max: 8 }),
    vms: fc.array(vmArb, { minLength: 2, maxLength: 10 }),
    seed: fc.integer({ min: 1, max: 1000 }),
    maxCpusPerRunqueue: fc.integer({ min: 1, max: 4 }),
    migrateResistUs: fc.constantFrom(0, 500),
    ratelimitUs: fc.constantFrom(0, 100, 1000),
    creditInitUs: fc.constantFrom(2000, 10000),
    capPeriodMs: fc.constantFrom(3, 10),
    // A driver domain (dom0 netback) billing its work to the guests re-keys queued vCPUs.
    driver: fc.option(fc.record({ vcpus: fc.integer({ min: 1, max: 2 }), chargeDriverWork: fc.boolean() }), { nil: undefined }),
  });

  test("every invariant holds after every event on random hosts, mixes and tunables", () => {
    // 150 hosts x 1 s: the sweep that found the crash above failed in about half of such hosts
    // with two or more queues. The seed is fixed so a failure reproduces.
    fc.assert(
      fc.property(hostArb, (h) => {
        const { cores, vms, seed, driver, ...tunables } = h;
        const driverDomain = driver === undefined ? undefined : { ...driver, usPerPacket: 30, packetsPerRequest: 2, rxPacketsPerRequest: 1 };
        const s = ScenarioSchema.parse({
          host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit2", ...tunables }, ...(driverDomain ? { driverDomain } : {}) },
          vms: vms.map((v, i) => ({ id: `vm${i}`, memoryMiB: 1024, ...v })),
          durationMs: 1000,
          warmupMs: 0,
          seed,
        });
        const r = verifying(s);
        expect(r.vms.reduce((a, v) => a + v.cpuShare, 0)).toBeLessThanOrEqual(cores + 1e-9);
      }),
      { numRuns: 150, seed: 20261204 },
    );
  }, 120_000);

  test("on equal-weight uncapped hosts, the runners' zero-credit bound tickle skips its scan on holds after every event", () => {
    // The random sweep above rarely draws equal weights, where the bound is kept (verify.ts checks
    // it against every runner's credit + burn start). Bobtail-like mixes: runners preempted at
    // every expiry are most of the tickles the bound answers; 3 queues balance vCPUs between them.
    fc.assert(
      fc.property(
        fc.record({
          cores: fc.integer({ min: 2, max: 9 }),
          maxCpusPerRunqueue: fc.integer({ min: 2, max: 16 }),
          ratelimitUs: fc.constantFrom(0, 100, 1000),
          migrateResistUs: fc.constantFrom(0, 500),
          migrateCompensationUs: fc.constantFrom(0, 50, 700),
          carryOverUs: fc.constantFrom(0, 500),
          seed: fc.integer({ min: 1, max: 1000 }),
          nCpuVms: fc.integer({ min: 2, max: 14 }),
        }),
        ({ cores, seed, nCpuVms, ...tunables }) => {
          const cpu = { kind: "cpu", dutyCycle: 0.6, burstMs: 12, burstDistribution: "jitter" };
          const s = ScenarioSchema.parse({
            host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit2", ...tunables } },
            vms: [
              { id: "io", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 400, serviceUs: 80 } },
              ...Array.from({ length: nCpuVms }, (_, i) => ({ id: `c${i}`, vcpus: 1 + (i % 2), memoryMiB: 1024, workload: cpu })),
            ],
            durationMs: 1500,
            warmupMs: 0,
            seed,
          });
          const r = verifying(s);
          expect(r.vms.reduce((a, v) => a + v.cpuShare, 0)).toBeLessThanOrEqual(cores + 1e-9);
        },
      ),
      { numRuns: 40, seed: 20261205 },
    );
  }, 120_000);
});
