import { MIXED_VMS, vmDoc } from "../fixtures/mixed-vms.js";

/** What every identity suite builds its scenarios from (bench/identity/<suite>.ts). */
export const vm = vmDoc;
export const MIXED: object[] = [...MIXED_VMS];

/** The Bobtail cell: one io VM (400 req/s x 80 us, `ioExtra` on its VM) beside n sleepy CPU VMs. */
export const bobtailCell = (n: number, ioExtra: object = {}): object[] => [
  vm("io", { kind: "io", requestsPerSec: 400, serviceUs: 80 }, ioExtra),
  ...Array.from({ length: n }, (_, i) => vm(`cpu-${i}`, { kind: "cpu", dutyCycle: 0.6, burstMs: 12, burstDistribution: "jitter" })),
];

/** One host's scenario document under `scheduler` (kind and parameters), 500 ms of warm-up. */
export function scenarioDoc(scheduler: object, cores: number, vms: object[], seed: number, ms: number, host: object = {}): object {
  return { host: { id: "h", cores, memoryMiB: 1 << 20, scheduler, ...host }, vms, durationMs: ms, warmupMs: 500, seed };
}
