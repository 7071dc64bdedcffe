import seedrandom from "seedrandom";
import type { ClusterInput } from "../../src/model/cluster.js";
import { checkPlan } from "../../src/model/check-plan.js";
import { EnvelopeCache } from "../../src/placement/interference-cap.js";
import { defaultSoftPenalty } from "../../src/placement/lp-rows.js";
import type { PlacementProblem } from "../../src/placement/problem.js";

/**
 * The exact backends' test oracle: the placement rules written out plainly from the problem's
 * arrays, sharing no code with the model builder, the packing or the solvers. Interference is
 * the MILP's own rule (a victim's cap from EnvelopeCache: at most `cap` CPU-bound vCPUs on its
 * host), because that is the rule the exact model is meant to encode.
 */
export function violations(p: PlacementProblem, a: Int32Array, env = new EnvelopeCache(p)): string[] {
  const out: string[] = [];
  const mem = new Float64Array(p.nHosts);
  const cpu = new Float64Array(p.nHosts);
  const agg = new Float64Array(p.nHosts);
  for (let j = 0; j < p.nVms; j++) {
    const i = a[j];
    if (i < 0 || i >= p.nHosts) {
      out.push(`vm ${j} unplaced`);
      continue;
    }
    mem[i] += p.vmMemoryMiB[j];
    cpu[i] += p.vmVcpus[j];
    agg[i] += p.profiles[j].cpuVcpus;
    if (p.vmVcpus[j] > p.hostCores[i]) out.push(`vm ${j} has more vcpus than host ${i} has cores`);
    for (const g of p.vmHostLabel[j]) if (!p.hostLabel[g].soft && p.hostLabel[g].hostOk[i] === 0) out.push(`vm ${j} off label on ${i}`);
  }
  for (let i = 0; i < p.nHosts; i++) {
    if (mem[i] > p.hostMemoryMiB[i]) out.push(`host ${i} memory`);
    if (cpu[i] > p.hostVcpuCap[i]) out.push(`host ${i} vcpus`);
  }
  for (const g of p.antiAffinity) {
    if (g.soft) continue;
    const seen = new Set<number>();
    for (const j of g.vms) {
      if (a[j] < 0) continue;
      if (seen.has(a[j])) out.push(`${g.name} twice on ${a[j]}`);
      seen.add(a[j]);
    }
  }
  for (const g of p.affinity) if (!g.soft && new Set([...g.vms].map((j) => a[j]).filter((i) => i >= 0)).size > 1) out.push(`${g.name} split`);
  for (let j = 0; j < p.nVms; j++) {
    const i = a[j];
    if (i >= 0 && p.victims[j] && agg[i] > env.cap(j, p.hostTypeOf[i])) out.push(`victim ${j} over its cap on ${i}`);
  }
  return out;
}

/**
 * checked: the placer's independent checker (src/model/check-plan.ts, written from the cluster
 * document alone) on an index assignment; [] when every hard constraint holds.
 */
export function checked(p: PlacementProblem, a: Int32Array): string[] {
  const assignments = Array.from(a, (i, j) => ({ vm: p.vms[j].id, host: i >= 0 ? p.hosts[i].id : "(unplaced)" }));
  return checkPlan(p.cluster, assignments).map((v) => `${v.constraint} on ${v.host ?? "?"}: ${v.vms.join(",")}`);
}

/** cost: summed cost of used hosts plus the soft penalty per unit of soft violation. */
export function cost(p: PlacementProblem, a: Int32Array): number {
  const used = new Set(a);
  let c = 0;
  for (const i of used) if (i >= 0) c += p.hostCost[i];
  let soft = 0;
  for (const g of p.antiAffinity) {
    if (!g.soft) continue;
    const per = new Map<number, number>();
    for (const j of g.vms) per.set(a[j], (per.get(a[j]) ?? 0) + 1);
    for (const n of per.values()) soft += n - 1;
  }
  for (const g of p.affinity) if (g.soft) soft += new Set([...g.vms].map((j) => a[j])).size - 1;
  for (const g of p.hostLabel) if (g.soft) for (const j of g.vms) if (g.hostOk[a[j]] === 0) soft++;
  return c + soft * defaultSoftPenalty(p);
}

/** bruteForce enumerates every assignment (hosts^VMs) and returns the cheapest feasible one. */
export function bruteForce(p: PlacementProblem): { cost: number; assignment?: Int32Array } {
  const env = new EnvelopeCache(p);
  const a = new Int32Array(p.nVms);
  let best = Infinity;
  let bestA: Int32Array | undefined;
  const visit = (j: number): void => {
    if (j === p.nVms) {
      const c = cost(p, a);
      if (c < best - 1e-9 && violations(p, a, env).length === 0) {
        best = c;
        bestA = Int32Array.from(a);
      }
      return;
    }
    for (let i = 0; i < p.nHosts; i++) {
      a[j] = i;
      visit(j + 1);
    }
  };
  visit(0);
  return { cost: best, assignment: bestA };
}

/** TinyOptions: what a tiny seeded instance contains. */
export interface TinyOptions {
  vms: number;
  victims?: boolean;
  constraints?: boolean;
}

/**
 * tinyCluster: a seeded instance small enough to enumerate. Two host shapes, several hosts of
 * each (so identical hosts and their symmetry are always present) with different costs per
 * shape; VMs sized so that a few share a host.
 */
export function tinyCluster(seed: number, o: TinyOptions): ClusterInput {
  const rng = seedrandom.alea(`milp-tiny:${seed}`);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const small = { cores: 4, memoryMiB: 16384, cost: 1 };
  const big = { cores: 8, memoryMiB: 32768, cost: 1.7 };
  const hosts = [small, small, big, big].map((h, i) => ({ id: `h${i}`, ...h, labels: { zone: i % 2 === 0 ? "a" : "b" } }));
  const vms = Array.from({ length: o.vms }, (_, j) => {
    const vcpus = pick([1, 2, 2, 4]);
    const victim = o.victims === true && j % 3 === 0;
    const workload = victim
      ? { kind: "io" as const, requestsPerSec: 500, serviceUs: 100 }
      : { kind: "cpu" as const, dutyCycle: pick([0.5, 0.9, 1]), burstMs: pick([5, 30]) };
    return { id: `v${j}`, vcpus, memoryMiB: vcpus * pick([2048, 4096]), workload, ...(victim ? { slo: { p999Ms: pick([1, 5]) } } : {}) };
  });
  const constraints: NonNullable<ClusterInput["constraints"]> = [];
  if (o.constraints === true && o.vms >= 5) {
    constraints.push({ kind: "anti-affinity", vms: ["v0", "v1"] });
    constraints.push({ kind: "affinity", vms: ["v2", "v3"] });
    constraints.push({ kind: "anti-affinity", vms: ["v3", "v4"], soft: true });
    constraints.push({ kind: "host-label", vms: ["v4"], label: "zone", value: "b" });
  }
  return { hosts, vms, constraints, policy: { cpuOvercommit: 2, objective: "min-cost" } };
}
