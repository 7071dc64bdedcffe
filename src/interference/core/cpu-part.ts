/**
 * CpuPart is what the mechanistic cores need of a VM's vCPUs: how many, the share of time each
 * wants a core (duty; 1 = a hog that never sleeps) and its mean burst. An io-only VM's vCPUs are
 * light runners (LightPart): they hold a core only for a request (plus, under KVM, a halt-poll),
 * so they make a host look full more often but free it fast.
 */
export interface CpuPart {
  readonly vcpus: number;
  readonly duty: number;
  readonly burstUs: number;
  /** Block share when the scheduler's rule for CPU bursts does not apply (light vCPUs). */
  readonly block?: number;
  /**
   * A sleepy mixed VM of several vCPUs: its requests' load in cores (rate x service), part of
   * `duty` (profile.ts runnableShare). Its requests go to a vCPU without work (sim/workloads/io.ts
   * chooseVcpu), so that load sits on the vCPUs its bursts leave idle (credit1's siblingIo).
   * Absent (or undefined) for every other part.
   */
  readonly siblingIo?: number;
  /**
   * A sleepy mixed VM's request wakes per µs: its requests that find the vCPU they go to asleep,
   * rate x (1 - duty) (credit2's grant-end fresh windows, Mechanisms.credit2MixedWakes). Absent
   * (or undefined) for every other part.
   */
  readonly ioWakesUs?: number;
}

/** LightPart: the requests of an io-only VM, per vCPU; a core turns it into a (short) CpuPart. */
export interface LightPart {
  readonly vcpus: number;
  readonly requestsPerSecPerVcpu: number;
  readonly serviceUs: number;
}

/** MutablePart: scratch space a query writes a light part's CpuPart into. */
export interface MutablePart {
  vcpus: number;
  duty: number;
  burstUs: number;
  block?: number;
  siblingIo?: number;
  ioWakesUs?: number;
}

/** Burst bins (upper edges, µs): runners of similar burst share a wait distribution. */
export const BIN_EDGES_US: readonly number[] = [1500, 2500, 4000, 6500, 10500, 17000, 27000];
export const BINS = BIN_EDGES_US.length + 1;

/** binOf returns the bin of a mean burst. */
export function binOf(burstUs: number): number {
  let k = 0;
  while (k < BIN_EDGES_US.length && burstUs > BIN_EDGES_US[k]) k++;
  return k;
}
