import type { Change } from "../model/advice.js";
import type { Cluster, Host, Vm } from "../model/cluster.js";
import type { HostVms } from "./candidates.js";

/** Placement: every placed host and the VMs on it now, by host id (document order). */
export type Placement = ReadonlyMap<string, HostVms>;

/** placementOf groups a cluster's placed VMs by their current host. */
export function placementOf(c: Cluster): Placement {
  const vms = new Map<string, Vm[]>(c.hosts.map((h) => [h.id, []]));
  for (const vm of c.vms) if (vm.host !== undefined) vms.get(vm.host)?.push(vm);
  return new Map(c.hosts.map((h) => [h.id, { host: h, vms: vms.get(h.id) ?? [] }]));
}

/**
 * applyChanges returns the hosts an option touches, as they are once its changes are made (in
 * order: a two-step move's legs end where the last one lands). Hosts it does not touch are left
 * out; the input is not changed.
 */
export function applyChanges(p: Placement, changes: readonly Change[], touched: readonly string[]): Map<string, HostVms> {
  const out = new Map<string, { host: Host; vms: Vm[] }>();
  const view = (id: string): { host: Host; vms: Vm[] } => {
    let v = out.get(id);
    if (v === undefined) {
      const base = p.get(id);
      if (base === undefined) throw new Error(`applyChanges: no host "${id}"`);
      v = { host: base.host, vms: [...base.vms] };
      out.set(id, v);
    }
    return v;
  };
  for (const id of touched) view(id);
  for (const c of changes) {
    if (c.kind === "scheduler") view(c.hostId).host = { ...view(c.hostId).host, scheduler: c.to };
    else if (c.kind === "scheduler-param") {
      const v = view(c.hostId);
      v.host = { ...v.host, scheduler: { ...v.host.scheduler, [c.param]: c.to } as Host["scheduler"] };
    } else if (c.kind === "driver-param") {
      const v = view(c.hostId);
      if (v.host.driverDomain === undefined) throw new Error(`applyChanges: host "${c.hostId}" has no driver domain`);
      v.host = { ...v.host, driverDomain: { ...v.host.driverDomain, [c.param]: c.to } };
    } else if (c.kind === "vm-param") editVm(out, c.vmId, (vm) => ({ ...vm, [c.param]: c.to }));
    else {
      const from = view(c.from);
      const k = from.vms.findIndex((vm) => vm.id === c.vmId);
      if (k < 0) throw new Error(`applyChanges: VM "${c.vmId}" is not on ${c.from}`);
      const [vm] = from.vms.splice(k, 1);
      view(c.to).vms.push({ ...vm, host: c.to });
    }
  }
  return out;
}

function editVm(views: Map<string, { host: Host; vms: Vm[] }>, vmId: string, edit: (vm: Vm) => Vm): void {
  for (const v of views.values()) {
    const k = v.vms.findIndex((vm) => vm.id === vmId);
    if (k >= 0) return void (v.vms[k] = edit(v.vms[k]));
  }
  throw new Error(`applyChanges: VM "${vmId}" is on none of the option's hosts`);
}

/** touchedHosts: the hosts an option's changes name, in first-named order. */
export function touchedHosts(changes: readonly Change[], hostOfVm: ReadonlyMap<string, string>): string[] {
  const ids = changes.flatMap((c) => {
    if (c.kind === "move") return [c.from, c.to];
    if (c.kind === "vm-param") return [hostOfVm.get(c.vmId) ?? ""];
    return [c.hostId];
  });
  return [...new Set(ids)].filter((h) => h !== "");
}
