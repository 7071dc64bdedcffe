import type { ExporterHost, ExporterVm } from "../helpers/prometheus.js";

/**
 * A small fleet with a Bobtail hot spot, as a libvirt exporter on each hypervisor reports it:
 * on h01 (4 cores, Xen credit1) six 1-vCPU batch VMs each keep their vCPU 60% busy (they sleep,
 * wake boosted, and hold a core for a whole 30 ms timeslice) beside web-1, an interactive VM;
 * h02 and h03 have room. The other hosts carry light load.
 */
export function bobtailFleet(): { hosts: ExporterHost[]; vms: ExporterVm[] } {
  const hosts: ExporterHost[] = [
    { id: "h01", cores: 4, memoryMiB: 32768 },
    { id: "h02", cores: 16, memoryMiB: 65536 },
    { id: "h03", cores: 16, memoryMiB: 65536 },
  ];
  const vms: ExporterVm[] = [
    { id: "web-1", host: "h01", vcpus: 1, memoryMiB: 2048, util: 0.05 },
    ...[1, 2, 3, 4, 5, 6].map((k) => ({ id: `batch-${k}`, host: "h01", vcpus: 1, memoryMiB: 2048, util: 0.6 })),
    { id: "web-2", host: "h02", vcpus: 2, memoryMiB: 4096, util: 0.1 },
    { id: "batch-7", host: "h02", vcpus: 2, memoryMiB: 4096, util: 0.6 },
    { id: "web-3", host: "h03", vcpus: 1, memoryMiB: 2048, util: 0.05 },
  ];
  return { hosts, vms };
}

/** The import flags the tests use: 1 s scrapes, so a 12 s window in 1 s steps, rates over 3 s. */
export const WINDOW_FLAGS = ["--window", "12s", "--step", "1s", "--rate-window", "3s"];
