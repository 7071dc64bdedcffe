import type { Vm } from "../model/cluster.js";
import { cpuDemandVcpus, ioPartOf, type Workload } from "../model/workload.js";
import type { CpuPart } from "./core/cpu-part.js";

/**
 * VmProfile is what the scorer needs to know of a VM, computed once per VM so that the hot path
 * (placement's "what if" questions) only adds and subtracts numbers.
 */
export interface VmProfile {
  readonly id: string;
  readonly vcpus: number;
  /** vCPUs that run CPU-bound bursts (the Bobtail aggressors), 0 for io/idle VMs. */
  readonly cpuVcpus: number;
  /** Duty cycle of those vCPUs (1 = never sleeps; for traces the 95th percentile interval). */
  readonly duty: number;
  /** Mean burst of CPU-bound work in ms. */
  readonly burstMs: number;
  /** True when the CPU part sleeps (duty < 1): it wakes, and under Xen credit1 wakes boosted. */
  readonly sleepy: boolean;
  /** The latency-sensitive part, if any. */
  readonly io?: { requestsPerSec: number; serviceUs: number };
  /** True when IO shares the VM's vCPUs with CPU-bound work (the intra-VM BOOST failure). */
  readonly mixed: boolean;
  readonly sloP99Us?: number;
  readonly sloP999Us?: number;
  /** Mean CPU demand in CPUs (for balance and capacity views). */
  readonly demandCpus: number;
  /**
   * The CPU-bound part as the mechanistic cores count it: its vCPUs, the chance each wants a core
   * (a mixed VM's bursts plus its requests' own CPU, kept below 1 since it still sleeps) and its
   * mean burst in µs. Undefined for io and idle VMs.
   */
  readonly cpu?: CpuPart;
  /** What about this VM lies outside the range the interference model was fitted on. */
  readonly kind: Workload["kind"];
  readonly weight: number;
  readonly cpuWeight: number;
  readonly capPercent: number;
}

// A CPU part this light, with bursts this short, neither fills a core nor holds one for a tick.
const MIN_CPU_DUTY = 0.02;

/** profileVm derives a VM's interference profile from its workload. */
export function profileVm(vm: Vm): VmProfile {
  const io = ioPartOf(vm.workload);
  const cpu = cpuPart(vm.workload);
  const cpuVcpus = cpu && cpu.duty >= MIN_CPU_DUTY ? vm.vcpus : 0;
  // Keys in the order a what-if reads them (V8 lays the fields out so: fewer cache lines of a
  // candidate VM the placer has not asked about lately).
  return {
    vcpus: vm.vcpus,
    cpu: cpuVcpus > 0 && cpu ? cpuOf(cpuVcpus, cpu, io) : undefined,
    capPercent: vm.capPercent,
    io: io ? { requestsPerSec: io.requestsPerSec, serviceUs: io.serviceUs } : undefined,
    duty: cpu?.duty ?? 0,
    kind: vm.workload.kind,
    weight: vm.weight,
    cpuWeight: vm.cpuWeight,
    id: vm.id,
    cpuVcpus,
    burstMs: cpu?.burstMs ?? 0,
    sleepy: cpuVcpus > 0 && (cpu?.duty ?? 0) < 1,
    mixed: io !== undefined && cpuVcpus > 0,
    sloP99Us: vm.slo?.p99Ms !== undefined ? vm.slo.p99Ms * 1000 : undefined,
    sloP999Us: vm.slo?.p999Ms !== undefined ? vm.slo.p999Ms * 1000 : undefined,
    demandCpus: cpuDemandVcpus(vm.workload, vm.vcpus),
  };
}

/** cpuOf: the CPU part's CpuPart, with its requests' load (siblingIo) where they land on idle siblings. */
function cpuOf(vcpus: number, cpu: { duty: number; burstMs: number }, io: { requestsPerSec: number; serviceUs: number } | undefined): CpuPart {
  const duty = runnableShare(cpu.duty, io, vcpus);
  // At MAX_SLEEPY_SHARE the vCPUs are saturated: no idle sibling to wake.
  const siblingIo = !io || vcpus < 2 || duty >= MAX_SLEEPY_SHARE ? undefined : (io.requestsPerSec * io.serviceUs) / 1e6;
  // One object shape for every VM's part, siblingIo undefined where it does not apply: a second
  // shape (the part spread with siblingIo added) made the moves' reads of a part polymorphic
  // (HostMix.apply, delta), boxing its doubles on every add and remove (docs/accuracy.md, "the
  // sibling count's speed (session 22)").
  // Requests to a vCPU inside a burst or already serving wake nobody: the rest wake one.
  const ioWakesUs = !io || duty >= MAX_SLEEPY_SHARE ? undefined : (io.requestsPerSec / 1e6) * (1 - duty);
  return { vcpus, duty, burstUs: cpu.burstMs * 1000, siblingIo, ioWakesUs };
}

// A VM that sleeps at all is never a hog, whatever its requests add.
const MAX_SLEEPY_SHARE = 0.99;

/** runnableShare: a vCPU's chance of wanting a core, its bursts plus its requests' service. */
function runnableShare(duty: number, io: { requestsPerSec: number; serviceUs: number } | undefined, vcpus: number): number {
  if (duty >= 1) return 1;
  const ioShare = io ? (io.requestsPerSec * io.serviceUs) / 1e6 / vcpus : 0;
  return Math.min(MAX_SLEEPY_SHARE, duty + ioShare);
}

function cpuPart(w: Workload): { duty: number; burstMs: number } | undefined {
  switch (w.kind) {
    case "cpu":
      return { duty: w.dutyCycle, burstMs: w.burstMs };
    case "mixed":
      return { duty: w.cpu.dutyCycle, burstMs: w.cpu.burstMs };
    case "trace":
      return { duty: percentile95(w.utilisationPercent) / 100, burstMs: w.burstMs };
    default:
      return undefined;
  }
}

function percentile95(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(0.95 * s.length))];
}

/** isLatencySensitive: the VM has an io part, so its tail latency is what interference hurts. */
export function isLatencySensitive(p: VmProfile): boolean {
  return p.io !== undefined;
}
