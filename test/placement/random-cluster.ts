import seedrandom from "seedrandom";
import type { ClusterInput } from "../../src/model/cluster.js";

type VmInput = ClusterInput["vms"][number];

/**
 * randomCluster builds a small random cluster whose constraints bind: hosts barely large enough,
 * latency-sensitive VMs with tight SLOs beside sleepy CPU-bound ones on few cores, and random
 * hard and soft (anti-)affinity and host-label constraints.
 */
export function randomCluster(seed: number, nHosts: number, nVms: number, o: { forbidBobtail?: boolean; constraints?: boolean } = {}): ClusterInput {
  const rng = seedrandom.alea(`test-cluster:${seed}`);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const hosts = Array.from({ length: nHosts }, (_, i) => {
    // Host 0 is the largest, so every VM and hard affinity pair fits somewhere.
    const cores = i === 0 ? 8 : pick([2, 4, 4, 8]);
    return {
      id: `h${i}`,
      cores,
      memoryMiB: cores * 4096,
      networkMbps: rng() < 0.5 ? 1000 : undefined,
      cost: pick([0.5, 1, 1, 2]),
      scheduler: { kind: pick(["xen-credit", "xen-credit", "kvm-cfs"] as const) },
      labels: { zone: pick(["a", "b"]) },
    };
  });
  const vms: VmInput[] = Array.from({ length: nVms }, (_, j) => {
    const vcpus = pick([1, 1, 2, 4]);
    const base = { id: `vm${j}`, vcpus, memoryMiB: vcpus * pick([1024, 2048, 4096]), networkMbps: rng() < 0.3 ? 300 : undefined };
    const r = rng();
    if (r < 0.35) return { ...base, workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 }, slo: { p999Ms: pick([3, 5, 20]) } };
    if (r < 0.8) return { ...base, workload: { kind: "cpu", dutyCycle: pick([0.3, 0.5, 0.9, 1]), burstMs: pick([1, 10, 30]) } };
    if (r < 0.9) return { ...base, workload: { kind: "mixed", io: { requestsPerSec: 200, serviceUs: 200 }, cpu: { dutyCycle: 0.3, burstMs: 5 } }, slo: { p999Ms: 30 } };
    return { ...base, workload: { kind: "idle" } };
  });
  const constraints: NonNullable<ClusterInput["constraints"]> = [];
  if (o.constraints !== false && nVms >= 4) {
    const two = (): string[] => {
      const a = Math.floor(rng() * nVms);
      const b = (a + 1 + Math.floor(rng() * (nVms - 1))) % nVms;
      return [`vm${a}`, `vm${b}`];
    };
    constraints.push({ kind: "anti-affinity", vms: two(), soft: rng() < 0.5 });
    constraints.push({ kind: "affinity", vms: two(), soft: rng() < 0.5 });
    constraints.push({ kind: "host-label", vms: [pick(vms).id], label: "zone", value: hosts[0].labels.zone, soft: rng() < 0.5 });
  }
  return { hosts, vms, constraints, policy: { cpuOvercommit: 2, seed, forbidBobtail: o.forbidBobtail ?? false } };
}
