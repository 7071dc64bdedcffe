import { bobtailRule } from "../../src/interference/bobtail.js";
import { profileVm } from "../../src/interference/profile.js";
import { HostState } from "../../src/interference/host-state.js";
import { checkPlan } from "../../src/model/check-plan.js";
import type { Cluster } from "../../src/model/cluster.js";
import type { Predictor } from "../../src/interference/predictor.js";

/** softViolationsOf counts soft-constraint violation units straight from the document. */
export function softViolationsOf(c: Cluster, hostOf: ReadonlyMap<string, string>): number {
  let n = 0;
  for (const con of c.constraints) {
    if (!con.soft) continue;
    const hosts = con.vms.map((id) => hostOf.get(id)).filter((h): h is string => h !== undefined);
    if (con.kind === "anti-affinity") n += hosts.length - new Set(hosts).size;
    else if (con.kind === "affinity") n += Math.max(0, new Set(hosts).size - 1);
    else for (const h of hosts) if (c.hosts.find((x) => x.id === h)!.labels[con.label] !== con.value) n++;
  }
  return n;
}

/** feasible: hard constraints (checker) of the VMs placed, no victim's bound over its SLO (the placer's test) and, under forbidBobtail, no Bobtail victim. */
export function feasible(c: Cluster, predictor: Predictor, hostOf: ReadonlyMap<string, string>): boolean {
  // Hard constraints of what is placed: callers judge partial plans too (how many are out is theirs to count).
  if (checkPlan(c, [...hostOf].map(([vm, host]) => ({ vm, host })), { partial: true }).length > 0) return false;
  for (const h of c.hosts) {
    const vms = c.vms.filter((v) => hostOf.get(v.id) === h.id).map(profileVm);
    if (vms.length === 0) continue;
    // The same test as the Interference filter: every victim's bound within its SLOs (scoreHost
    // rounds its ratios for display, so it is not used as the oracle here).
    const hs = new HostState(h, predictor);
    for (const p of vms) hs.add(p, predictor.victim(p));
    if (!hs.fits()) return false;
    if (c.policy.forbidBobtail && h.scheduler.kind === "xen-credit") {
      const mix = { cores: h.cores, scheduler: h.scheduler, sleepyCpuVcpus: 0, hogVcpus: 0 };
      for (const p of vms) if (p.cpuVcpus > 0) p.sleepy ? (mix.sleepyCpuVcpus += p.cpuVcpus) : (mix.hogVcpus += p.cpuVcpus);
      if (vms.some((p) => p.io && bobtailRule(mix, p).reason === "bobtail")) return false;
    }
  }
  return true;
}

export interface Optimum {
  readonly cost: number;
  readonly objective: number;
}

/**
 * bruteForce enumerates every complete assignment (hosts^VMs, so keep it ≤ 3^8) and returns the
 * least objective (cost of used hosts + penalty × soft violations), or undefined if none is feasible.
 */
export function bruteForce(c: Cluster, predictor: Predictor, softPenalty: number): Optimum | undefined {
  const n = c.vms.length;
  const m = c.hosts.length;
  const digits = new Array<number>(n).fill(0);
  let best: Optimum | undefined;
  for (let k = 0; k < m ** n; k++) {
    let x = k;
    for (let j = 0; j < n; j++) (digits[j] = x % m), (x = Math.floor(x / m));
    const hostOf = new Map(c.vms.map((v, j) => [v.id, c.hosts[digits[j]].id]));
    const cost = [...new Set(digits)].reduce((s, i) => s + c.hosts[i].cost, 0);
    const objective = cost + softPenalty * softViolationsOf(c, hostOf);
    if (best && objective >= best.objective - 1e-9) continue;
    if (feasible(c, predictor, hostOf)) best = { cost, objective };
  }
  return best;
}
