import type { z } from "zod";
import type { SloSchema } from "../../model/cluster.js";
import type { IoPartSchema, WorkloadSchema } from "../../model/workload.js";
import { roundTo2 } from "./csv.js";

/**
 * The mapping from recorded utilisation to the simulator's workloads. The simulator runs a VM's
 * CPU part as bursts of `burstMs` separated by sleeps that give a duty cycle, so the quantity to
 * reproduce per interval is the duty cycle = recorded utilisation / 100. Everything else here
 * (burst length, the io part, the SLO) is what the data does not record and we must choose.
 */

/** WorkloadClass is how a VM uses the CPU, which decides what the data cannot say. */
export type WorkloadClass = "interactive" | "batch" | "unknown";

// Input shapes (defaults left out) keep the written cluster document short.
type WorkloadInput = z.input<typeof WorkloadSchema>;
type IoPartInput = z.input<typeof IoPartSchema>;
type SloInput = z.input<typeof SloSchema>;

/**
 * BURST_MS by class. Interactive services run short request-driven bursts (2 ms keeps a VM's own
 * requests from queueing long behind its own bursts). Batch work runs long CPU-bound bursts; 30 ms
 * is Xen's default timeslice and the regime in which the fidelity spec's Bobtail experiments show
 * the harm, so batch VMs are the ones placement must keep apart from interactive ones. Unknown
 * takes the schema's default of 10 ms.
 */
export const BURST_MS: Readonly<Record<WorkloadClass, number>> = { interactive: 2, batch: 30, unknown: 10 };

/**
 * INTERACTIVE_IO is the latency-sensitive part given to interactive VMs: 100 requests/s of 50 us
 * (the fidelity spec's default service time). It costs 0.5% of one vCPU, which is taken out of the
 * CPU part so the VM's total still matches the recording, and gives 6,000 latency samples a minute.
 */
export const INTERACTIVE_IO: Readonly<IoPartInput> = { requestsPerSec: 100, serviceUs: 50 };

/** INTERACTIVE_SLO: 10 ms at p99 is met alone with ease and broken by a single 30 ms timeslice wait. */
export const INTERACTIVE_SLO: Readonly<SloInput> = { p99Ms: 10 };

/**
 * BATCH_P95_PERCENT: with `--class auto` a series whose 95th percentile reaches 50% is batch (it
 * spends over an hour a day with half its vCPUs busy: CPU-bound phases); below, interactive (it
 * mostly idles waiting for requests). PlanetLab's slices are mostly network services, and this
 * calls 87% of them interactive.
 */
export const BATCH_P95_PERCENT = 50;

/** classifySeries decides the class of a utilisation series for `--class auto`. */
export function classifySeries(percent: readonly number[]): WorkloadClass {
  if (percent.length === 0) return "unknown";
  const sorted = [...percent].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]; // nearest rank
  return p95 >= BATCH_P95_PERCENT ? "batch" : "interactive";
}

/** ioSharePercent is what the interactive io part costs, in percent of the VM's vCPUs. */
export function ioSharePercent(vcpus: number): number {
  return ((INTERACTIVE_IO.requestsPerSec * INTERACTIVE_IO.serviceUs) / 1e6 / vcpus) * 100;
}

/** MappedWorkload is a workload plus the SLO that comes with its class. */
export interface MappedWorkload {
  workload: WorkloadInput;
  slo?: SloInput;
}

/**
 * traceWorkload maps a utilisation series (percent of the VM's vCPUs per interval) to a trace
 * workload. Interactive VMs get the io part and their CPU series lowered by its cost (never below
 * 0), so CPU part + io part = the recorded utilisation in every interval above 0.5/vCPUs percent.
 */
export function traceWorkload(
  percent: readonly number[],
  cls: WorkloadClass,
  vcpus: number,
  intervalSec: number,
  source: string,
): MappedWorkload {
  const interactive = cls === "interactive";
  const io = interactive ? ioSharePercent(vcpus) : 0;
  const series = percent.map((u) => roundTo2(Math.min(100, Math.max(0, u - io))));
  const workload: WorkloadInput = {
    kind: "trace",
    intervalSec,
    utilisationPercent: series,
    burstMs: BURST_MS[cls],
    source,
    ...(interactive ? { io: { ...INTERACTIVE_IO } } : {}),
  };
  return interactive ? { workload, slo: { ...INTERACTIVE_SLO } } : { workload };
}

/** MIN_DUTY: the schema needs a duty cycle above 0; an idle recording becomes 1%. */
export const MIN_DUTY = 0.01;

/**
 * summaryWorkload maps a VM known only by its mean CPU (Azure's avg cpu, percent of its vCPUs):
 * interactive → `mixed` (io part + CPU bursts making up the rest), or `io` alone when the mean is
 * no more than the io part's cost; batch and unknown → `cpu` bursts at that duty cycle.
 */
export function summaryWorkload(avgPercent: number, cls: WorkloadClass, vcpus: number): MappedWorkload {
  const burstMs = BURST_MS[cls];
  const duty = (p: number): number => roundTo2(Math.min(100, Math.max(MIN_DUTY * 100, p))) / 100;
  if (cls !== "interactive") return { workload: { kind: "cpu", dutyCycle: duty(avgPercent), burstMs } };
  const cpuPercent = avgPercent - ioSharePercent(vcpus);
  const workload: WorkloadInput =
    cpuPercent <= 0
      ? { kind: "io", ...INTERACTIVE_IO }
      : { kind: "mixed", io: { ...INTERACTIVE_IO }, cpu: { dutyCycle: duty(cpuPercent), burstMs } };
  return { workload, slo: { ...INTERACTIVE_SLO } };
}
