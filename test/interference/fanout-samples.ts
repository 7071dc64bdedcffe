import { ScenarioSchema, type Scenario } from "../../src/model/scenario.js";
import { HostSim } from "../../src/sim/host-sim.js";
import { HostMetrics } from "../../src/sim/metrics.js";
import { createRng } from "../../src/sim/rng.js";
import { schedulerFactory } from "../../src/sim/schedulers/registry.js";
import { Simulator } from "../../src/sim/simulator.js";
import { installWorkload } from "../../src/sim/workloads/index.js";
import type { HostSimResult } from "../../src/model/scenario.js";

/**
 * E4's host for E12: 4 cores under credit1, one io VM (Poisson 1000 req/s, 50 us) and n 1-vCPU
 * CPU VMs of duty d and burst b ms (jittered), 2 s warm-up.
 */
export function e4Cell(n: number, d: number, b: number, durationMs: number, seed: number): Scenario {
  return ScenarioSchema.parse({
    host: { id: "h", cores: 4, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit" } },
    vms: [
      { id: "io", vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 1000, serviceUs: 50 } },
      ...Array.from({ length: n }, (_, k) => ({ id: `cpu${k}`, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: d, burstMs: b, burstDistribution: "jitter" } })),
    ],
    durationMs,
    warmupMs: 2000,
    seed,
  });
}

/** Samples: every measured request latency of the first VM, and the simulator's own result. */
export interface Samples {
  readonly latenciesUs: Float64Array;
  readonly result: HostSimResult;
}

/** RecordingMetrics is HostMetrics that also keeps VM 0's request latencies (E12 needs the samples). */
class RecordingMetrics extends HostMetrics {
  readonly kept: number[] = [];
  override request(vm: number, latencyUs: number): void {
    super.request(vm, latencyUs);
    if (vm === 0) this.kept.push(latencyUs);
  }
  override reset(): void {
    super.reset();
    this.kept.length = 0;
  }
}

/** simulateSamples runs a scenario as runHost does, keeping the raw request latencies of VM 0. */
export function simulateSamples(s: Scenario): Samples {
  const sim = new Simulator();
  const metrics = new RecordingMetrics(s.vms);
  const host = new HostSim(sim, s.host.cores, s.vms, metrics, createRng(s.seed, "scheduler"));
  host.measureFrom(s.warmupMs * 1000);
  s.vms.forEach((vm, i) => installWorkload(host, vm, host.vcpusOfVm(i), { seed: s.seed }));
  host.start(schedulerFactory(s.host.scheduler)(s.host.scheduler, s.host.cores));
  const untilUs = (s.warmupMs + s.durationMs) * 1000;
  sim.run({ untilUs });
  host.finish();
  const result = metrics.result({ hostId: s.host.id, scheduler: s.host.scheduler.kind, cores: s.host.cores, measuredUs: s.durationMs * 1000, eventsProcessed: sim.eventsProcessed, seed: s.seed, requestTail: true });
  return { latenciesUs: Float64Array.from(metrics.kept), result };
}

/** quantile of samples (nearest rank, as the simulator's histogram reports it, without buckets). */
export function sampleQuantile(xs: Float64Array, q: number): number {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
