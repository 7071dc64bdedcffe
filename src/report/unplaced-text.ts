import type { Plan, UnplacedReason } from "../model/plan.js";
import { num } from "./format.js";

type UnplacedVm = Plan["unplacedReasons"][number];

const UNIT: Record<string, string> = { memoryMiB: "MiB of memory", vcpus: "vCPUs", cores: "cores", networkMbps: "Mbps of network" };

/** unplacedText: one line saying why a VM is out, and whether that is proved. */
export function unplacedText(u: UnplacedVm): string {
  const r = u.reason;
  if (r.kind === "not-placed-by-search") return `${u.vm}: not placed by the search (no proof it cannot be); ${candidatesText(u.candidates)}`;
  return `${u.vm}: ${u.proof === "individual" ? "cannot be placed" : "left out"}, proved: ${proofText(r)}`;
}

function proofText(r: Exclude<UnplacedReason, { kind: "not-placed-by-search" }>): string {
  const res = (xs: readonly string[], binding: "each" | "combined"): string =>
    binding === "each" ? `no host has enough ${xs.map((x) => UNIT[x] ?? x).join(" or ")}` : `every host type lacks one of: ${xs.map((x) => UNIT[x] ?? x).join(", ")}`;
  switch (r.kind) {
    case "fits-no-host":
      return `it fits no host alone (${res(r.resources, r.binding)})`;
    case "no-host-with-labels":
      return `no host carries the labels ${r.constraints.join(", ")} ask for`;
    case "affinity-group-fits-no-host":
      return `its hard affinity group (${r.constraints.join(", ")}: ${r.vms.join(", ")}) fits no single host (${res(r.resources, r.binding)})`;
    case "contradictory-constraints":
      return `its constraints contradict each other (${r.constraints.join(" and ")})`;
    case "anti-affinity-exceeds-hosts":
      return `hard anti-affinity ${r.constraint} has ${r.members} members but only ${r.hosts} host(s) could take any of them, so at least ${r.minUnplaced} stay out`;
    case "aggregate-capacity": {
      const where = r.hostTypes ? `the ${r.hosts} host(s) of the ${r.hostTypes.length} type(s) they fit` : `all ${r.hosts} host(s)`;
      const what =
        r.bound === "volume"
          ? `${r.vms} VMs need ${num(r.demand)} ${UNIT[r.resource]} and ${where} hold ${num(r.capacity)}`
          : `${r.vms} VMs each need over half the ${UNIT[r.resource]} of any host they fit, and ${where} are too few`;
      return `${what}, so at least ${r.minUnplaced} of them stay out in any plan`;
    }
  }
}

function candidatesText(c: UnplacedVm["candidates"]): string {
  const list = c.hosts.join(", ") + (c.count > c.hosts.length ? ` and ${c.count - c.hosts.length} more` : "");
  if (c.basis === "fits-now") return `${c.count} host(s) could take it as the plan stands: ${list}`;
  if (c.basis === "fits-empty") return `${c.count} host(s) could take it once emptied: ${list}`;
  return "no host could take it";
}
