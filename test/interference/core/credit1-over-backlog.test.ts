import { describe, expect, test } from "vitest";
import { ALL_MECHANISMS, coreFor } from "../../../src/interference/core/scheduler-core.js";
import { overBacklogOf } from "../../../src/interference/core/credit1.js";
import { defaultScheduler } from "../../../src/model/scheduler.js";
import { loadPredictor } from "../../../src/io/calibration.js";
import { roundHost, shippedP999, simulatedP999 } from "../helpers.js";
import { floorFeasibilityTests, victimBoundUs, victimFirst } from "./floor-feasibility.js";

/**
 * Mechanisms.credit1OverBacklog (docs/accuracy.md, "credit1's saturated victim's request backlog
 * (session 25)"). A mixed victim of one vCPU that wants a core all the time gets its fair share
 * of one on a full credit1 host and is off-CPU the rest, in episodes where a BOOST waker has
 * preempted it (OVER). Its requests are served before its own burst whenever the vCPU runs, so
 * they queue behind each other across those episodes: credit1OverWait's floor (a request waits
 * out the rest of one episode) misses the queue.
 *
 * The host is holdout-28's packed/10174/6 (open): 16 cores, 30 ms slices, 32 vCPUs; vm-3 one vCPU
 * with 1,707 req/s x 277 us and its own CPU at duty 0.7 in 10 ms bursts. Reference p99.9 56.6 ms;
 * the estimate without the term 21.2 ms (the round's one packed credit1 unsafe miss).
 */
const HOST = "packed/10174/6";
const OFF = { credit1OverBacklog: false };
const base = roundHost("holdout-28", HOST, 0, 12000);

describe("credit1: a saturated one-vCPU victim's requests queue across its OVER episodes", () => {
  test("the host is the traced one", () => {
    expect(base.host.scheduler.kind).toBe("xen-credit");
    expect(base.host.cores).toBe(16);
    const v = base.vms.find((x) => x.id === "vm-3")!;
    expect(v.vcpus).toBe(1);
    expect(v.workload.kind === "mixed" && v.workload.cpu.dutyCycle).toBe(0.7);
    expect(ALL_MECHANISMS.credit1OverBacklog).toBe(true);
  });

  test("shipped: without the term the estimate is under half the simulated p99.9, with it within 0.7-1.6x", () => {
    const sim = simulatedP999(base, "vm-3");
    const on = shippedP999(base, "vm-3");
    const off = shippedP999(base, "vm-3", OFF);
    expect(off, `without: ${off} against ${sim}`).toBeLessThan(0.5 * sim);
    expect(on, `with: ${on} against ${sim}`).toBeGreaterThan(0.7 * sim);
    expect(on).toBeLessThan(1.6 * sim);
  }, 60_000);

  test("a victim with siblings is not touched (its requests go to a sibling with none queued)", () => {
    // vm-4: 2 vCPUs at duty 0.9 with 1,976 req/s x 213 us, saturated like vm-3.
    expect(shippedP999(base, "vm-4")).toBe(shippedP999(base, "vm-4", OFF));
  });

  test("the switch is credit1's: the other cores are the same with it on and off", () => {
    for (const kind of ["kvm-cfs", "xen-credit2", "kvm-eevdf"] as const) {
      const s = { ...base, host: { ...base.host, scheduler: defaultScheduler(kind) } };
      expect(shippedP999(s, "vm-3"), kind).toBe(shippedP999(s, "vm-3", OFF));
    }
    expect(coreFor(defaultScheduler("xen-credit"), 16, { ...ALL_MECHANISMS, ...OFF }).overWait?.backlog).toBeUndefined();
    expect(coreFor(defaultScheduler("xen-credit"), 16, ALL_MECHANISMS).overWait?.backlog).toBeDefined();
  });
});

describe("overBacklogOf: the held M/G/1 queue's chance and decay", () => {
  const out = new Float64Array(2);
  test("the decay is the root of lambda (E[e^(theta S')] - 1) = theta, under 1 / W", () => {
    const lam = 1707e-6;
    const s = 277;
    const share = 0.58;
    const w = 2000;
    overBacklogOf(lam, s, share, w, out);
    expect(out[0]).toBeCloseTo((lam * s) / share, 12);
    const t = out[1];
    expect(t).toBeGreaterThan(0);
    expect(t).toBeLessThan(1 / w);
    const k = (1 - share) / (share * w);
    const g = lam * (Math.exp(t * s + (k * s * t * w) / (1 - t * w)) - 1) - t;
    expect(Math.abs(g)).toBeLessThan(1e-9);
  });

  test("longer episodes or a smaller share decay slower; a whole core or a load over the share gives no drain", () => {
    overBacklogOf(1e-3, 250, 0.6, 1000, out);
    const base1 = out[1];
    overBacklogOf(1e-3, 250, 0.6, 3000, out);
    expect(out[1]).toBeLessThan(base1);
    overBacklogOf(1e-3, 250, 0.4, 1000, out);
    expect(out[1]).toBeLessThan(base1);
    overBacklogOf(1e-3, 250, 1, 1000, out);
    expect(out[0]).toBe(0);
    overBacklogOf(1e-3, 250, 0.2, 1000, out);
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(0);
  });
});

// The placer asks feasibility, not estimates: the floor must reach the host's rows and a newcomer
// judging itself alike (query.ts splitEpisodes on every path). Shipped model: the floor binds
// against the corrected estimate. The host has outside-range reasons (a bare withinSlo, not given
// them, says true under the bound with the term off too), so the bare check is left out.
describe("credit1OverBacklog in the placer's feasibility paths", () => {
  const s = victimFirst(base, "vm-3");
  const model = loadPredictor().model;
  floorFeasibilityTests(s, {}, (bound) => expect(bound).toBeGreaterThan(1.5 * victimBoundUs(s, OFF, model)), false, model);
});
