import type { HostSimResult, Scenario } from "../model/scenario.js";
import type { SchedulerParams } from "../model/scheduler.js";
import type { SchedulerFactory } from "./cpu-scheduler.js";
import { runHost } from "./run-host.js";
import { schedulerFactory } from "./schedulers/registry.js";

export interface SimulateHostOptions {
  /** Policy parameters to use instead of the host's own (`scenario.host.scheduler`). */
  scheduler?: SchedulerParams;
  /** Where in trace series simulated time 0 sits, in seconds of trace time (default 0). */
  traceStartSec?: number;
  /** Builds the policy instead of the registry (tests, experimental policies). */
  factory?: SchedulerFactory;
  /** Also report each VM's request-latency tail (fan-out services read it; off, the result is as it always was). */
  requestTail?: boolean;
}

/**
 * simulateHost runs one host's discrete-event simulation and returns its measurements. Pure: the
 * same scenario, options and seed give a deep-equal result (identical once JSON.stringified); no
 * clock, environment or global random state is read.
 */
export function simulateHost(scenario: Scenario, options: SimulateHostOptions = {}): HostSimResult {
  const params = options.scheduler ?? scenario.host.scheduler;
  const factory = options.factory ?? schedulerFactory(params);
  return runHost(scenario, factory(params, scenario.host.cores), { traceStartSec: options.traceStartSec, requestTail: options.requestTail });
}
