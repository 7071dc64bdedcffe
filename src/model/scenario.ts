import { z } from "zod";
import { HostSchema, VmSchema } from "./cluster.js";
import { DriverDomainResultSchema, DriverGuestSchema } from "./driver-domain.js";
import { OversleepSummarySchema } from "./probe.js";

/** ScenarioSchema: one host and the VMs on it, the input of `vmplace simulate`. */
export const ScenarioSchema = z.strictObject({
  host: HostSchema,
  vms: z.array(VmSchema),
  durationMs: z.number().int().min(1).max(3_600_000).default(60000),
  /** Simulated time discarded before measuring (2 s per the fidelity spec). */
  warmupMs: z.number().int().min(0).max(600_000).default(2000),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
});
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/** PercentilesSchema: latency percentiles in microseconds from a log-bucketed histogram. */
export const PercentilesSchema = z.strictObject({
  count: z.number().int(),
  p50Us: z.number(),
  p90Us: z.number(),
  p99Us: z.number(),
  p999Us: z.number(),
  maxUs: z.number(),
  meanUs: z.number(),
});
export type Percentiles = z.infer<typeof PercentilesSchema>;

/** TailPointSchema: P(latency > us) = p, one point of a latency distribution's upper tail. */
export const TailPointSchema = z.strictObject({ p: z.number(), us: z.number() });

export const VmSimResultSchema = z.strictObject({
  id: z.string(),
  /** Request latency (arrival to completion) of the VM's io part; count 0 when it has none. */
  requestLatency: PercentilesSchema,
  /** The request latency's upper tail (p50 down to the rarest the count supports, then the max), when asked; fan-out services read it. */
  requestTail: z.array(TailPointSchema).optional(),
  /** Wake-to-run delay: from a vCPU becoming runnable to it starting to run. */
  wakeToRun: PercentilesSchema,
  cpuUs: z.number(),
  /** CPU used over the measured window, in CPUs (1 = one full core). */
  cpuShare: z.number(),
  boosts: z.number().int(),
  preemptions: z.number().int(),
  throttledPeriods: z.number().int(),
  /** Requests that took 10 ms or more: the large delays Bobtail's probe counts. */
  requestsOver10ms: z.number().int(),
  /** The Bobtail probe's oversleeps, for a VM whose workload is `probe`. */
  probe: OversleepSummarySchema.optional(),
  /** The driver-domain work this VM caused, on a host with a driver domain. */
  driver: DriverGuestSchema.optional(),
});
export type VmSimResult = z.infer<typeof VmSimResultSchema>;

export const HostSimResultSchema = z.strictObject({
  hostId: z.string(),
  scheduler: z.string(),
  cores: z.number().int(),
  measuredUs: z.number(),
  /** Busy core time over (cores x measured time). */
  utilisation: z.number(),
  contextSwitches: z.number().int(),
  contextSwitchesPerSec: z.number(),
  eventsProcessed: z.number().int(),
  seed: z.number().int(),
  vms: z.array(VmSimResultSchema),
  /** The host's driver domain, when it has one (not counted in `vms`). */
  driverDomain: DriverDomainResultSchema.optional(),
});
export type HostSimResult = z.infer<typeof HostSimResultSchema>;
