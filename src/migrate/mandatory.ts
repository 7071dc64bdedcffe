import type { MoveKind, WhyVm } from "../model/migration.js";
import type { Item } from "../placement/items.js";
import { AFFINITY, ANTI_AFFINITY, RESOURCE_FIT } from "../placement/names.js";
import { keep, tryMove } from "./commit.js";
import { affordable, itemsOn, stopped, vmIds, type MigrateContext } from "./context.js";
import { findTarget, type TargetChoice, type TargetOptions } from "./target.js";
import { stateViolations, type StateViolation } from "./violations.js";

/**
 * moveMandatory moves an item to its best target as a priority-1 move. Returns the target
 * choice (host -1 when no host passes every filter), so the caller can say why it failed.
 */
export function moveMandatory(c: MigrateContext, item: Item, kind: MoveKind, whyVm: WhyVm, o: TargetOptions = {}): TargetChoice | undefined {
  if (stopped(c)) return undefined;
  const t = findTarget(c, item, o);
  if (t.host < 0) return t;
  if (!affordable(c, item.vms.length, item.memoryMiB)) return undefined;
  keep(c, tryMove(c, item, t.host), { kind, priority: 1, whyVm, whyTarget: t.why });
  return t;
}

/** evacuate moves every VM off host h (largest first: they are the hardest to fit). */
export function evacuate(c: MigrateContext, h: number): void {
  c.forbidden[h] = 1;
  const items = itemsOn(c, h).sort((a, b) => b.memoryMiB - a.memoryMiB || a.index - b.index);
  const pinned = c.state.vmsOn[h].filter((j) => c.pinned[c.items.itemOf[j]] === 1);
  if (pinned.length > 0) c.unresolved.push({ kind: "evacuate", hostId: c.problem.hosts[h].id, vmIds: vmIds(c, pinned.sort((a, b) => a - b)), reason: "pinned: it may not migrate" });
  for (const item of items) {
    const t = moveMandatory(c, item, "evacuate", { code: "evacuating", helps: [], alternatives: 0 });
    if (t === undefined) return;
    if (t.host < 0) c.unresolved.push({ kind: "evacuate", hostId: c.problem.hosts[h].id, vmIds: vmIds(c, item.vms), reason: noTarget(t) });
  }
}

/** fixViolations moves VMs until every hard constraint the start placement breaks holds. */
export function fixViolations(c: MigrateContext): void {
  for (const v of stateViolations(c.state)) {
    if (stopped(c)) return;
    if (v.constraint === RESOURCE_FIT && v.resource !== "cores") fixOverflow(c, v);
    else if (v.constraint === AFFINITY) fixSplit(c, v);
    else fixMembers(c, v);
  }
}

/** fixMembers: host-label, cores and anti-affinity: move the offenders (for anti-affinity all but the largest). */
function fixMembers(c: MigrateContext, v: StateViolation): void {
  const s = c.state;
  let vms = v.vms.filter((j) => s.hostOf[j] === v.host);
  if (v.constraint === ANTI_AFFINITY) {
    const keepVm = [...vms].sort((a, b) => c.problem.vmMemoryMiB[b] - c.problem.vmMemoryMiB[a] || a - b)[0];
    vms = vms.filter((j) => j !== keepVm);
  }
  for (const j of vms) {
    const item = c.items.items[c.items.itemOf[j]];
    if (c.pinned[item.index] === 1) {
      c.unresolved.push({ kind: "violation", hostId: c.problem.hosts[v.host].id, vmIds: vmIds(c, item.vms), reason: `${v.constraint}: pinned, so it may not migrate` });
      continue;
    }
    if (c.moved[item.index] === 1 || s.hostOf[j] !== v.host) continue;
    const why: WhyVm = { code: "violates", constraint: v.constraint, group: v.group, helps: [], alternatives: vms.length - 1 };
    const t = moveMandatory(c, item, "fix-constraint", why);
    if (t === undefined) return;
    if (t.host < 0) c.unresolved.push({ kind: "violation", hostId: c.problem.hosts[v.host].id, vmIds: vmIds(c, item.vms), reason: `${v.constraint}: ${noTarget(t)}` });
  }
}

/** fixSplit reunites a hard affinity group, on the host already holding most of its memory if it can. */
function fixSplit(c: MigrateContext, v: StateViolation): void {
  const s = c.state;
  const item = c.items.items[c.items.itemOf[v.vms[0]]];
  if (c.moved[item.index] === 1) return;
  const memOn = new Map<number, number>();
  for (const j of item.vms) memOn.set(s.hostOf[j], (memOn.get(s.hostOf[j]) ?? 0) + c.problem.vmMemoryMiB[j]);
  const anchor = [...memOn].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const why: WhyVm = { code: "violates", constraint: AFFINITY, group: v.group, helps: [], alternatives: 0 };
  // Moving the members onto the anchor copies least; any other host means copying them all.
  let t = moveMandatory(c, item, "fix-constraint", why, { only: [anchor] });
  if (t !== undefined && t.host < 0) t = moveMandatory(c, item, "fix-constraint", why);
  if (t !== undefined && t.host < 0) c.unresolved.push({ kind: "violation", vmIds: vmIds(c, item.vms), reason: `${AFFINITY} ${v.group ?? ""}: ${noTarget(t)}` });
}

/** fixOverflow moves items off an over-full host, the least memory that brings it under first. */
function fixOverflow(c: MigrateContext, v: StateViolation): void {
  const s = c.state;
  const p = c.problem;
  const i = v.host;
  const over = (): number => Math.max(s.memUsedMiB[i] - p.hostMemoryMiB[i], s.vcpusUsed[i] - p.hostVcpuCap[i], s.netUsedMbps[i] - p.hostNetworkMbps[i]);
  const tried = new Set<number>();
  while (over() > 1e-9 && !stopped(c)) {
    const items = itemsOn(c, i).filter((it) => !tried.has(it.index));
    if (items.length === 0) break;
    const item = items.sort((a, b) => relief(c, b, i) - relief(c, a, i) || a.memoryMiB - b.memoryMiB || a.index - b.index)[0];
    tried.add(item.index);
    const why: WhyVm = { code: "violates", constraint: RESOURCE_FIT, helps: [], alternatives: items.length - 1 };
    const t = moveMandatory(c, item, "fix-constraint", why);
    if (t === undefined) return;
  }
  if (over() > 1e-9) c.unresolved.push({ kind: "violation", hostId: p.hosts[i].id, vmIds: vmIds(c, s.vmsOn[i]), reason: `${RESOURCE_FIT}: no set of moves found that brings the host within capacity` });
}

/** relief: how much of the host's worst overflow (as a fraction) an item takes away, per GiB copied. */
function relief(c: MigrateContext, item: Item, i: number): number {
  const s = c.state;
  const p = c.problem;
  const overMem = Math.max(0, s.memUsedMiB[i] - p.hostMemoryMiB[i]) / p.hostMemoryMiB[i];
  const overCpu = Math.max(0, s.vcpusUsed[i] - p.hostVcpuCap[i]) / p.hostVcpuCap[i];
  const got = Math.min(overMem, item.memoryMiB / p.hostMemoryMiB[i]) + Math.min(overCpu, item.vcpus / p.hostVcpuCap[i]);
  return got / Math.max(1, item.memoryMiB / 1024);
}

/** noTarget says why no host took an item: the filters that ruled hosts out, most first. */
export function noTarget(t: TargetChoice): string {
  const parts = Object.entries(t.why.rejected).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (parts.length === 0) return "no other host may take it";
  return `no host passes every filter (${parts.map(([k, n]) => `${k} ruled out ${n}`).join(", ")})`;
}
