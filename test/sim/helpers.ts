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

const vmDoc = (id: string, workload: object, extra: object = {}): object => ({ id, vcpus: 1, memoryMiB: 1024, workload, ...extra });

/**
 * MIXED_VMS: nine VMs covering every workload kind with caps, weights and 2-vCPU VMs (input
 * documents). The byte-identity hashes are pinned on this exact set: change it and they move.
 */
export const MIXED_VMS: readonly object[] = [
  vmDoc("io-a", { kind: "io", requestsPerSec: 1000, serviceUs: 50 }),
  vmDoc("io-b", { kind: "io", requestsPerSec: 300, serviceUs: 120, arrival: "fixed" }, { vcpus: 2 }),
  vmDoc("cpu-a", { kind: "cpu", dutyCycle: 0.5, burstMs: 10 }),
  vmDoc("cpu-b", { kind: "cpu", dutyCycle: 0.9, burstMs: 5, burstDistribution: "jitter" }, { vcpus: 2, weight: 512 }),
  vmDoc("cpu-c", { kind: "cpu", dutyCycle: 1, burstMs: 30 }, { capPercent: 50 }),
  vmDoc("cpu-d", { kind: "cpu", dutyCycle: 0.3, burstMs: 2 }, { capPercent: 120, vcpus: 2 }),
  vmDoc("mix", { kind: "mixed", io: { requestsPerSec: 500, serviceUs: 60 }, cpu: { dutyCycle: 0.4, burstMs: 8 } }, { vcpus: 2 }),
  vmDoc("tr", { kind: "trace", intervalSec: 0.5, utilisationPercent: [10, 90, 0, 100, 50], burstMs: 6, io: { requestsPerSec: 200, serviceUs: 40 } }),
  vmDoc("idle", { kind: "idle" }),
];
