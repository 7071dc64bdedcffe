import type { VmSchema } from "../../src/model/cluster.js";
import { ScenarioSchema, type Scenario } from "../../src/model/scenario.js";
import type { HostSimResult, VmSimResult } from "../../src/model/scenario.js";
import type { z } from "zod";
import { runHost, type RunHostOptions } from "../../src/sim/run-host.js";
import { createRoundRobin } from "../../src/sim/schedulers/round-robin.js";

type VmIn = Omit<z.input<typeof VmSchema>, "id" | "vcpus" | "memoryMiB"> & { id?: string; vcpus?: number };

/** scenario builds a parsed scenario: VMs default to 1 vCPU, ids vm0, vm1, ... */
export function scenario(
  cores: number,
  vms: VmIn[],
  rest: { durationMs?: number; warmupMs?: number; seed?: number } = {},
): Scenario {
  return ScenarioSchema.parse({
    host: { id: "h1", cores, memoryMiB: 1 << 20 },
    vms: vms.map((v, i) => ({ id: `vm${i}`, vcpus: 1, memoryMiB: 1024, ...v })),
    durationMs: rest.durationMs ?? 5000,
    warmupMs: rest.warmupMs ?? 0,
    seed: rest.seed ?? 1,
  });
}

/** runRr runs a scenario under the round-robin reference policy. */
export function runRr(s: Scenario, quantumUs?: number, opts?: RunHostOptions): HostSimResult {
  return runHost(s, createRoundRobin(s.host.cores, quantumUs), opts);
}

export function vmOf(r: HostSimResult, id: string): VmSimResult {
  const vm = r.vms.find((v) => v.id === id);
  if (!vm) throw new Error(`no VM ${id} in result`);
  return vm;
}

export { MIXED_VMS } from "../../bench/fixtures/mixed-vms.js";
