import type { z } from "zod";
import type { VmSchema } from "../../../src/model/cluster.js";
import { ScenarioSchema, type HostSimResult, type VmSimResult } from "../../../src/model/scenario.js";
import type { XenCreditParams } from "../../../src/model/scheduler.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";

// Scenario builders for the credit1 fidelity tests (shared/reference/sim-fidelity.md section 5).

export type XenTunables = Partial<Omit<XenCreditParams, "kind">>;
type VmInput = z.input<typeof VmSchema>;

/** xen runs one host under credit1 with the spec's 2 s warm-up (20 s measured unless given). */
export function xen(
  cores: number,
  vms: VmInput[],
  opts: { tunables?: XenTunables; durationMs?: number; seed?: number; warmupMs?: number } = {},
): HostSimResult {
  const scenario = ScenarioSchema.parse({
    host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit", ...opts.tunables } },
    vms,
    durationMs: opts.durationMs ?? 20000,
    warmupMs: opts.warmupMs ?? 2000,
    seed: opts.seed ?? 1,
  });
  return simulateHost(scenario);
}

/** cpuVm: the spec's `cpu` workload, d = duty, b = burst in ms, +-20% jitter on bursts and sleeps. */
export function cpuVm(id: string, dutyCycle: number, burstMs = 10, extra: Partial<VmInput> = {}): VmInput {
  return {
    id,
    vcpus: 1,
    memoryMiB: 1024,
    workload: { kind: "cpu", dutyCycle, burstMs, burstDistribution: "jitter" },
    ...extra,
  };
}

/** ioVm: the spec's `io` workload, Poisson 1000 req/s of 50 us each (or a fixed 1 ms ping). */
export function ioVm(id: string, arrival: "poisson" | "fixed" = "poisson", extra: Partial<VmInput> = {}): VmInput {
  return {
    id,
    vcpus: 1,
    memoryMiB: 1024,
    workload: { kind: "io", requestsPerSec: 1000, serviceUs: 50, arrival },
    ...extra,
  };
}

/** bobtail builds the E4 host: the io VM first, then N cpu VMs of duty d and burst b ms. */
export function bobtail(n: number, dutyCycle: number, burstMs: number): VmInput[] {
  return [ioVm("io"), ...Array.from({ length: n }, (_, i) => cpuVm(`cpu${i}`, dutyCycle, burstMs))];
}

export function vmOf(r: HostSimResult, id: string): VmSimResult {
  const vm = r.vms.find((v) => v.id === id);
  if (!vm) throw new Error(`no VM ${id} in result`);
  return vm;
}

export const ms = (us: number): number => us / 1000;

/** SEEDS: the spec asks for at least 5 seeds per cell. */
export const SEEDS = [1, 2, 3, 4, 5] as const;

/** meanCi95 is the mean and the half-width of its 95% confidence interval (Student t). */
export function meanCi95(xs: readonly number[]): { mean: number; half: number } {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const t = [NaN, 12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262][n - 1] ?? 1.96;
  return { mean, half: (t * sd) / Math.sqrt(n) };
}
