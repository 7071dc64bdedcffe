import { describe, expect, test } from "vitest";
import { ScenarioSchema, type HostSimResult } from "../../../src/model/scenario.js";
import type { SchedulerParams } from "../../../src/model/scheduler.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";

/**
 * E11 (shared/reference/sim-fidelity.md 5, 4.3): driver-domain IO accounting. 2 pCPUs; dom0 with
 * 1 vCPU and weight 256 spending 60 us per packet; guest A a web server (2,000 req/s, 300 us of
 * its own CPU each, 1 packet in and 1 out) capped at 50% of a pCPU; guest B CPU-bound on 2 vCPUs.
 * A wants 0.6 CPU of its own, more than its cap, so it always uses what it is allowed.
 *
 * Derived expectations (not read off the simulator):
 * - off: A's own CPU = its cap, 0.5. dom0 works for A at R x 60 us (receive, every request) plus
 *   (0.5 / 300 us) x 60 us (transmit, every request A serves) = 0.12 + 0.10 = 0.22 CPU, so A's
 *   aggregate is 0.72 (dom0 is 0.22 / 0.72 = 31% of it, inside the published 20-45%), and B,
 *   work-conserving, gets the rest: 2 - 0.72 = 1.28 instead of its 1.5.
 * - on: A pays for dom0 out of its cap: own + dom0(A) = 0.5 with dom0(A) = 0.12 + own/300 us x
 *   60 us, so own = 0.38 / 1.2 = 0.3167 and dom0(A) = 0.1833; B gets 1.5.
 *
 * Tolerances: 0.01 CPU (2% of A's 0.5 entitlement, the spec's figure) on the shares the cap
 * enforces. What is left over is mechanism, not noise: credit1 grants and parks per 30 ms period
 * and debits whole credits of 100 us; credit2 refills per 10 ms and lends budget a quota at a
 * time (B is left 0.8% idle around refills); CFS throttles at the 5 ms slice grain of a 100 ms
 * period. Arrival noise is small: 10 s at 2,000 req/s is 20,000 +- 141 requests, 0.7% of the
 * 0.12 receive share.
 */
const KINDS: SchedulerParams["kind"][] = ["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"];
const SEEDS = [1, 2, 3];
const TOL = 0.01;

function e11(kind: SchedulerParams["kind"], chargeDriverWork: boolean, seed: number, dom0Weight = 256, aWeight = 256): HostSimResult {
  return simulateHost(
    ScenarioSchema.parse({
      host: {
        id: "e11",
        cores: 2,
        memoryMiB: 1 << 20,
        scheduler: { kind },
        driverDomain: { vcpus: 1, weight: dom0Weight, cpuWeight: Math.round((dom0Weight * 100) / 256), usPerPacket: 60, packetsPerRequest: 2, rxPacketsPerRequest: 1, chargeDriverWork },
      },
      vms: [
        { id: "A", vcpus: 1, memoryMiB: 1024, weight: aWeight, capPercent: 50, workload: { kind: "io", requestsPerSec: 2000, serviceUs: 300 } },
        { id: "B", vcpus: 2, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 1, burstMs: 10 } },
      ],
      durationMs: 10_000,
      warmupMs: 2000,
      seed,
    }),
  );
}

interface Shares {
  own: number;
  dom0A: number;
  aggregate: number;
  b: number;
  dom0: number;
}

function shares(r: HostSimResult): Shares {
  const [a, b] = r.vms;
  if (!a.driver || !r.driverDomain) throw new Error("E11 result without driver figures");
  return { own: a.cpuShare, dom0A: a.driver.cpuShare, aggregate: a.driver.aggregateCpuShare, b: b.cpuShare, dom0: r.driverDomain.cpuShare };
}

function mean(xs: readonly Shares[], k: keyof Shares): number {
  return xs.reduce((s, x) => s + x[k], 0) / xs.length;
}

describe.each(KINDS)("E11 driver-domain accounting under %s", (kind) => {
  const off = SEEDS.map((s) => shares(e11(kind, false, s)));
  const on = SEEDS.map((s) => shares(e11(kind, true, s)));

  test("off (stock): A's aggregate exceeds its 50% entitlement by dom0's work for it, and B loses that much", () => {
    expect(Math.abs(mean(off, "own") - 0.5)).toBeLessThan(TOL);
    expect(Math.abs(mean(off, "dom0A") - 0.22)).toBeLessThan(TOL);
    expect(Math.abs(mean(off, "aggregate") - 0.72)).toBeLessThan(TOL);
    const dom0Fraction = mean(off, "dom0A") / mean(off, "aggregate");
    expect(dom0Fraction).toBeGreaterThanOrEqual(0.2);
    expect(dom0Fraction).toBeLessThanOrEqual(0.45);
    expect(Math.abs(1.5 - mean(off, "b") - mean(off, "dom0A"))).toBeLessThan(TOL);
    // dom0 works for nobody else here: all of its CPU is attributed to A.
    for (const s of off) expect(s.dom0A).toBeCloseTo(s.dom0, 6);
  });

  test("on (charged): A's aggregate is its entitlement within 2%, and B is restored", () => {
    for (const s of on) expect(Math.abs(s.aggregate - 0.5)).toBeLessThan(TOL);
    expect(Math.abs(mean(on, "own") - 0.3167)).toBeLessThan(TOL);
    expect(Math.abs(mean(on, "dom0A") - 0.1833)).toBeLessThan(TOL);
    for (const s of on) expect(s.b).toBeGreaterThan(1.5 - TOL);
  });
});

/**
 * dom0 at weight 512 (cpu.weight 200 for vhost): dom0 needs 0.18-0.22 CPU, far below its share at
 * either weight, so its weight changes nothing and the same derived values hold, with one
 * exception in credit1: there a capped domain's credit is min(cap, its weight's part of the
 * period), and an active dom0 at 512 cuts A's part to 600 x 256 / 1280 = 120 credits, below its
 * 150-credit cap (at 256 the two coincide). A's entitlement is then no longer its cap (measured:
 * 0.465 own when off), so under credit1 A gets weight 512 too, which puts its part (200) back
 * above the cap and keeps the cap the binding entitlement the expectations are derived from.
 */
describe.each(KINDS)("E11 with dom0 at weight 512 under %s", (kind) => {
  const aWeight = kind === "xen-credit" ? 512 : 256;
  test("off: B loses dom0's work for A; on: A's aggregate is 0.5 and B gets 1.5", () => {
    const off = shares(e11(kind, false, 1, 512, aWeight));
    const on = shares(e11(kind, true, 1, 512, aWeight));
    expect(Math.abs(off.aggregate - 0.72)).toBeLessThan(TOL);
    expect(Math.abs(1.5 - off.b - off.dom0A)).toBeLessThan(TOL);
    expect(Math.abs(on.aggregate - 0.5)).toBeLessThan(TOL);
    expect(on.b).toBeGreaterThan(1.5 - TOL);
  });
});

/**
 * The weight variant of E11 (A and B weight 256, uncapped; B on 1 vCPU; A at 4,000 req/s wants
 * 1.2 CPU of its own): with equal weights each guest is entitled to half of the 2 pCPUs counting
 * dom0's work for it, 1.0 each. Stock, A gets about (2 - dom0)/2 of its own plus dom0 and exceeds
 * that. Charging pulls A's aggregate down under the Xen schedulers and EEVDF, but only credit2
 * lands near 1.0: credit1's weights act through OVER/UNDER at 30 ms accounting, and B, burning
 * exactly its fair credit, hovers at the OVER line, where it ties with an OVER A; EEVDF keeps lag
 * bounded by a slice, so part of a sleeping group's charge is clipped. CFS is left out: with one
 * runnable entity per CPU queue (A on one pCPU, B on the other) a vruntime charge reorders nothing,
 * CFS's fairness being per run queue. The weight variant is therefore checked for direction and
 * size of the change, not for the 2% the cap variant meets.
 */
describe.each(["xen-credit", "xen-credit2", "kvm-eevdf"] as const)("E11 weight variant under %s", (kind) => {
  const run = (charge: boolean): Shares =>
    shares(
      simulateHost(
        ScenarioSchema.parse({
          host: {
            id: "e11w",
            cores: 2,
            memoryMiB: 1 << 20,
            scheduler: { kind },
            driverDomain: { usPerPacket: 60, packetsPerRequest: 2, rxPacketsPerRequest: 1, chargeDriverWork: charge },
          },
          vms: [
            { id: "A", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 4000, serviceUs: 300 } },
            { id: "B", vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 1, burstMs: 10 } },
          ],
          durationMs: 10_000,
          warmupMs: 2000,
          seed: 1,
        }),
      ),
    );
  const off = run(false);
  const on = run(true);

  test("stock: A's aggregate exceeds its half of the host; charging moves CPU from A back to B", () => {
    expect(off.aggregate).toBeGreaterThan(1.05);
    expect(off.b).toBeLessThan(0.95);
    expect(on.aggregate).toBeLessThan(off.aggregate - 0.05);
    expect(on.b).toBeGreaterThan(off.b + 0.05);
    if (kind === "xen-credit2") expect(Math.abs(on.aggregate - 1)).toBeLessThan(0.03);
  });
});
