import type { Cluster, Vm } from "./cluster.js";
import type { CpuPartSchema, IoPartSchema, Workload } from "./workload.js";
import type { z } from "zod";

type IoPart = z.infer<typeof IoPartSchema>;
type CpuPart = z.infer<typeof CpuPartSchema>;

/**
 * Load growth: every VM's CPU demand `factor` times what the document says. An io part gets
 * factor times the requests (the same CPU per request), a CPU part factor times the duty cycle
 * (capped at 1: a VM that never sleeps cannot want more), a trace factor times every sample
 * (capped at 100%). Sizes (vCPUs, memory) do not change: growth is load, not a resize.
 */
export function growVm(vm: Vm, factor: number): Vm {
  return factor === 1 ? vm : { ...vm, workload: growWorkload(vm.workload, factor) };
}

function growWorkload(w: Workload, f: number): Workload {
  switch (w.kind) {
    case "io":
      return { ...w, ...growIo(w, f) };
    case "cpu":
      return { ...w, ...growCpu(w, f) };
    case "mixed":
      return { ...w, io: growIo(w.io, f), cpu: growCpu(w.cpu, f) };
    case "trace":
      return { ...w, utilisationPercent: w.utilisationPercent.map((u) => Math.min(100, u * f)), ...(w.io ? { io: growIo(w.io, f) } : {}) };
    case "probe":
      return w.io ? { ...w, io: growIo(w.io, f) } : w;
    case "idle":
      return w;
    case "tick-dodge":
      // Its demand is set by the clock (the window it runs in each tick period), not by a load:
      // more requests elsewhere do not make the attacker want more.
      return w;
  }
}

function growIo(io: IoPart, f: number): IoPart {
  return { ...io, requestsPerSec: io.requestsPerSec * f };
}

function growCpu(cpu: CpuPart, f: number): CpuPart {
  return { ...cpu, dutyCycle: Math.min(1, cpu.dutyCycle * f) };
}

/** growCluster: the cluster with every VM's CPU demand `percent` higher (a new document). */
export function growCluster(cluster: Cluster, percent: number): Cluster {
  if (percent === 0) return cluster;
  const f = 1 + percent / 100;
  return { ...cluster, vms: cluster.vms.map((v) => growVm(v, f)) };
}
