import type { HostTypeRef, Plan, UnplacedReason } from "../model/plan.js";
import type { UnplacedReason as Reason, UnplacedReport } from "./infeasible.js";
import type { PlacementProblem } from "./problem.js";

/** unplacedSection turns the placer's indices into the plan document's unplacedReasons (ids, paths). */
export function unplacedSection(p: PlacementProblem, r: UnplacedReport): Plan["unplacedReasons"] {
  return r.vms.map((u) => ({
    vm: p.vms[u.vm].id,
    proof: u.proof,
    reason: reasonOf(p, u.reason),
    candidates: { basis: u.candidates.basis, count: u.candidates.count, hosts: u.candidates.hosts.map((i) => p.hosts[i].id) },
    byHostType: u.byType.map((t) => ({ ...typeRef(p, t.type, t.host), reasons: [...t.reasons] })),
  }));
}

function typeRef(p: PlacementProblem, t: number, host: number): HostTypeRef {
  const ty = p.types[t];
  return { host: p.hosts[host].id, hosts: ty.hosts.length, cores: ty.cores, memoryMiB: ty.memoryMiB, networkMbps: Number.isFinite(ty.networkMbps) ? ty.networkMbps : undefined };
}

function reasonOf(p: PlacementProblem, r: Reason): UnplacedReason {
  switch (r.kind) {
    case "fits-no-host":
      return { kind: r.kind, resources: [...r.resources], binding: r.binding };
    case "no-host-with-labels":
      return { kind: r.kind, constraints: r.constraints.map((g) => p.hostLabel[g].name) };
    case "affinity-group-fits-no-host":
      return { kind: r.kind, constraints: r.affinity.map((g) => p.affinity[g].name), vms: r.vms.map((j) => p.vms[j].id), resources: [...r.resources], binding: r.binding };
    case "contradictory-constraints":
      return { kind: r.kind, constraints: [...r.affinity.map((g) => p.affinity[g].name), p.antiAffinity[r.antiAffinity].name] };
    case "not-placed-by-search":
      return { kind: r.kind };
    case "set":
      return setReason(p, r.proof);
  }
}

function setReason(p: PlacementProblem, x: Extract<Reason, { kind: "set" }>["proof"]): UnplacedReason {
  if (x.kind === "anti-affinity-exceeds-hosts")
    return { kind: x.kind, constraint: p.antiAffinity[x.group].name, members: x.size, hosts: x.hosts, minUnplaced: x.minUnplaced };
  const hostTypes = x.types?.map((t) => typeRef(p, t, p.types[t].hosts[0]));
  return { kind: x.kind, bound: x.bound, resource: x.resource, vms: x.vms, demand: r6(x.demand), capacity: r6(x.capacity), hosts: x.hosts, hostTypes, minUnplaced: x.minUnplaced };
}

function r6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
