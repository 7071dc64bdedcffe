import type { Vm } from "../../model/cluster.js";
import type { ProbeParams, Recommendation, Verdict } from "../../model/probe.js";
import { ScenarioSchema, type HostSimResult } from "../../model/scenario.js";
import type { SimJob } from "../../sim/runner.js";
import { REFERENCE_IO } from "./neighbourhood.js";

type Expected = NonNullable<Recommendation["expectedP999"]>;

/** recommend turns the verdict into the tenant's next step, with the expected p99.9 gain. */
export function recommend(verdict: Verdict, per100s: number, p: ProbeParams, expected: Expected | null): Recommendation {
  const rate = `${fmt(per100s)} long oversleeps (>= ${p.thresholdMs} ms) per 100 s`;
  const gain = expected
    ? `; simulated io p99.9 ${fmt(expected.thisMs)} ms here against ${fmt(expected.goodMs)} ms in a typical good neighbourhood`
    : "";
  switch (verdict) {
    case "GOOD":
      return { action: "keep", reason: `${rate}, at or below the LOW mark ${p.lowMark}: keep the instance${gain}`, expectedP999: expected };
    case "NEEDS-NETWORK-TEST":
      return {
        action: "network-test",
        reason: `${rate}, between the marks ${p.lowMark} and ${p.highMark}: measure the RTT p99.9 to your peers against other instances' and replace this one if its tail is longer${gain}`,
        expectedP999: expected,
      };
    case "BAD":
      return { action: "replace", reason: `${rate}, above the HIGH mark ${p.highMark}: replace the instance${gain}`, expectedP999: expected };
  }
}

/** expectedOf compares the io p99.9 here with a good neighbourhood's. */
export function expectedOf(thisUs: number, goodUs: number, basis: string): Expected {
  return { thisMs: thisUs / 1000, goodMs: goodUs / 1000, gainMs: (thisUs - goodUs) / 1000, basis };
}

// The ladder a real probe's count is read against: credit1 on 4 cores (E4), the reference io VM
// running the probe beside N sleepy CPU VMs of duty 0.5 (exponential bursts, the cpu workload's
// default). N = 1 is the good cell; N >= 4 puts the cpu vCPUs and the victim's past the cores.
const LADDER_N = [4, 5, 6, 8] as const;
const LADDER_BURST_MS = [10, 30] as const;
const LADDER_DURATION_MS = 20_000;
const LADDER_SEED = 1;

/** LadderCell is one rung: its neighbourhood and, once simulated, what the probe read there. */
export interface LadderCell {
  n: number;
  burstMs: number;
}

/** ladderCells lists the rungs, the good cell (N = 1, b = 30 ms) first. */
export function ladderCells(): LadderCell[] {
  return [{ n: 1, burstMs: 30 }, ...LADDER_BURST_MS.flatMap((burstMs) => LADDER_N.map((n) => ({ n, burstMs })))];
}

/** ladderJobs are the simulations behind a real probe's expected gain. */
export function ladderJobs(p: ProbeParams): SimJob[] {
  return ladderCells().map((c) => {
    const cpu = (i: number): Vm => ({
      id: `cpu${i}`,
      vcpus: 1,
      memoryMiB: 1024,
      weight: 256,
      capPercent: 0,
      cpuWeight: 100,
      labels: {},
      workload: { kind: "cpu", dutyCycle: 0.5, burstMs: c.burstMs, burstDistribution: "exponential" },
    });
    const probe = { kind: "probe", sleepUs: p.sleepUs, serviceUs: 5, thresholdMs: p.thresholdMs, io: REFERENCE_IO };
    const scenario = ScenarioSchema.parse({
      host: { id: `ladder-n${c.n}-b${c.burstMs}`, cores: 4, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit" } },
      vms: [{ id: "tenant", vcpus: 1, memoryMiB: 1024, workload: probe }, ...Array.from({ length: c.n }, (_, i) => cpu(i))],
      durationMs: LADDER_DURATION_MS,
      seed: LADDER_SEED,
    });
    return { scenario };
  });
}

/**
 * expectedFromLadder reads a real probe's rate against the ladder: "this" is the rung whose probe
 * rate is nearest the measured one (on a log scale; rungs that saw nothing stand for rates below
 * one per run), "good" is the N = 1 rung. Results come in ladderCells() order.
 */
export function expectedFromLadder(per100s: number, results: readonly HostSimResult[]): Expected {
  const cells = ladderCells();
  const read = results.map((r, i) => {
    const t = r.vms[0];
    const rate = ((t.probe?.overThreshold ?? 0) * 100e6) / r.measuredUs;
    return { cell: cells[i], rate, p999Us: t.requestLatency.p999Us };
  });
  const distance = (rate: number): number => Math.abs(Math.log(Math.max(rate, 1)) - Math.log(Math.max(per100s, 1)));
  const nearest = read.slice(1).reduce((best, r) => (distance(r.rate) < distance(best.rate) ? r : best));
  const good = read[0];
  const basis =
    `simulated, Xen credit1 on 4 cores: an io VM (1000 req/s, 50 us) running this probe beside ${nearest.cell.n} sleepy CPU VMs ` +
    `(duty 0.5, ${nearest.cell.burstMs} ms bursts), whose probe reads ${fmt(nearest.rate)} per 100 s, nearest to yours, ` +
    `against 1 such VM (a typical good neighbourhood, ${fmt(good.rate)} per 100 s)`;
  return expectedOf(nearest.p999Us, good.p999Us, basis);
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
