import type { WhyTarget } from "../model/migration.js";
import type { Item } from "../placement/items.js";
import type { PlacementState } from "../placement/state.js";
import type { MigrateContext } from "./context.js";

/**
 * Above this many hosts a target search looks at a seeded sample of this size (falling back to
 * every host when the sample has no feasible one), so one search costs O(sample), not O(hosts),
 * and planning stays linear in the number of moves on a 1,000-host fleet.
 */
export const TARGET_SAMPLE = 192;

/** TargetChoice: the best host (-1 when none passes every filter) and why. */
export interface TargetChoice {
  readonly host: number;
  readonly why: WhyTarget;
}

export interface TargetOptions {
  /** Only hosts that already run VMs (consolidation must not switch a host on). */
  usedOnly?: boolean;
  /** Hosts not to consider besides the item's own and the forbidden ones. */
  exclude?: ReadonlySet<number>;
  /** Look at every host, never a sample (mandatory moves that found nothing in the sample). */
  full?: boolean;
  /** Look only at these hosts. */
  only?: readonly number[];
}

/**
 * findTarget ranks the hosts an item may move to: every filter of the placer's framework must
 * pass (with the item lifted off its host, as the filters' contract wants), then the profile's
 * weighted scorers pick the best; ties go to the lower host index. The state is unchanged after.
 */
export function findTarget(c: MigrateContext, item: Item, o: TargetOptions = {}): TargetChoice {
  const s = c.state;
  const from = Array.from(item.vms, (j) => s.hostOf[j]);
  for (const j of item.vms) s.unassign(j);
  try {
    // An item split over several hosts (a broken affinity group) may gather on any of them.
    const own = new Set(from);
    if (own.size > 1) own.clear();
    if (o.only) return choose(c, item, scan(c, item, o.only, own, o));
    const full = o.full === true || c.problem.nHosts <= TARGET_SAMPLE;
    const first = scan(c, item, candidates(c, full), own, o);
    if (first.feasible.length > 0 || full) return choose(c, item, first);
    return choose(c, item, scan(c, item, candidates(c, true), own, o));
  } finally {
    for (let k = 0; k < item.vms.length; k++) s.assign(item.vms[k], from[k]);
  }
}

interface Scan {
  feasible: number[];
  rejected: Record<string, number>;
}

function scan(c: MigrateContext, item: Item, hosts: Iterable<number>, own: ReadonlySet<number>, o: TargetOptions): Scan {
  const s = c.state;
  const p = c.problem;
  const out: Scan = { feasible: [], rejected: {} };
  for (const i of hosts) {
    if (own.has(i) || c.forbidden[i] === 1 || o.exclude?.has(i)) continue;
    if (o.usedOnly && s.vmsOn[i].length === 0) continue;
    // Cheap room check first: most hosts of a busy fleet fail here.
    const why =
      s.memUsedMiB[i] + item.memoryMiB > p.hostMemoryMiB[i] || s.vcpusUsed[i] + item.vcpus > p.hostVcpuCap[i]
        ? "ResourceFit"
        : firstFailing(c, s, item, i);
    if (why === undefined) out.feasible.push(i);
    else out.rejected[why] = (out.rejected[why] ?? 0) + 1;
  }
  return out;
}

/** firstFailing places the item's VMs one by one and names the first filter that refuses. */
export function firstFailing(c: MigrateContext, s: PlacementState, item: Item, i: number): string | undefined {
  let placed = 0;
  let why: string | undefined;
  for (const j of item.vms) {
    for (const f of c.fw.filters) {
      if (!f.fits(s, j, i)) {
        why = f.name;
        break;
      }
    }
    if (why !== undefined) break;
    s.assign(j, i);
    placed++;
  }
  for (let k = placed - 1; k >= 0; k--) s.unassign(item.vms[k]);
  return why;
}

/**
 * choose ranks the feasible hosts by the profile's weighted scores. A running host always beats
 * an empty one: a migration that switches a host on costs power for as long as the VM stays,
 * which no score of the moment weighs, so an empty host is taken only when no running one fits.
 */
function choose(c: MigrateContext, item: Item, sc: Scan): TargetChoice {
  if (sc.feasible.length === 0) return { host: -1, why: { scores: {}, total: 0, feasible: 0, rejected: sc.rejected, temporary: false } };
  const s = c.state;
  const scores = c.fw.score(s, item.vms[0], sc.feasible);
  const running = (k: number): number => (s.vmsOn[sc.feasible[k]].length > 0 ? 1 : 0);
  let best = 0;
  for (let k = 1; k < sc.feasible.length; k++) {
    const d = running(k) - running(best);
    if (d > 0 || (d === 0 && scores.total[k] > scores.total[best] + 1e-9)) best = k;
  }
  const byPlugin: Record<string, number> = {};
  for (const [name, arr] of Object.entries(scores.byPlugin)) byPlugin[name] = round(arr[best]);
  return {
    host: sc.feasible[best],
    why: { scores: byPlugin, total: round(scores.total[best]), feasible: sc.feasible.length, rejected: sc.rejected, temporary: false },
  };
}

/**
 * candidates: every host, or a seeded sample of distinct hosts (rejection sampling: the sample is
 * a small fraction of the fleet, so few draws repeat), in index order for deterministic ties.
 */
export function candidates(c: MigrateContext, full: boolean): Iterable<number> {
  const n = c.problem.nHosts;
  if (full) return range(n);
  const picked = new Set<number>();
  while (picked.size < TARGET_SAMPLE) picked.add(Math.floor(c.rng() * n));
  return [...picked].sort((a, b) => a - b);
}

/** whyOn: the framework's scores of one host for VM j (j lifted), as a target explanation. */
export function whyOn(c: MigrateContext, j: number, host: number, temporary = false): WhyTarget {
  const sc = c.fw.score(c.state, j, [host]);
  const scores: Record<string, number> = {};
  for (const [name, arr] of Object.entries(sc.byPlugin)) scores[name] = round(arr[0]);
  return { scores, total: round(sc.total[0]), feasible: 1, rejected: {}, temporary };
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
