import type { PlacementProblem } from "./problem.js";
import { solveSmallLp, type LpRowDense } from "./small-lp.js";

/**
 * The closed-form lower bound on the cost of any plan that places every VM. It ignores
 * interference, affinity and labels (a relaxation, so it stays valid) and keeps what binds in
 * practice: resource volume and whole hosts. Three bounds, the largest wins:
 *
 * - cover: min Σ cost·n over hardware classes (hosts equal in cores, memory, network, cost) with
 *   n integral and Σ capacity·n ≥ total demand per resource (memory, vCPUs under overcommit,
 *   network). With one class this is cost × max over resources of ⌈demand / capacity⌉, which is
 *   at least the LP relaxation's max over resources of demand / capacity. With several it is a
 *   knapsack cover solved exactly by depth-first branch and bound (a handful of classes).
 * - lp: the LP relaxation of the resource part of the placement MILP, aggregated by VM demand
 *   class and hardware class (x[j,i] ≤ y[i] becomes a ≤ N·n). By symmetry inside a class it
 *   equals the full LP relaxation, so the bound is never weaker than it, even when the cover
 *   mixes classes in a way no host could (memory of one type, cores of another).
 * - spread: a hard anti-affinity group of m VMs needs m distinct hosts (the m cheapest).
 *
 * Costs are rounded up to the grid of achievable plan costs (multiples of the hosts' cost gcd),
 * as every plan's cost is a sum of host costs.
 */
export interface LowerBound {
  readonly value: number;
  readonly cover: number;
  readonly lp: number;
  readonly spread: number;
  /** Which part gave the value. */
  readonly source: "cover" | "lp" | "spread";
  /** Whether the LP part was solved, and if not why (its value is then 0, a trivial bound). */
  readonly lpStatus: "solved" | "one-class" | "too-large" | "failed";
}

export interface HwClass {
  key: string;
  cost: number;
  cores: number;
  count: number;
  /** memoryMiB, vcpuCap and (when any VM declares network) networkMbps. */
  cap: number[];
}

function classKey(t: PlacementProblem["types"][number], r: number): string {
  return `${[t.memoryMiB, t.vcpuCap, t.networkMbps].slice(0, r).join(",")}|${t.cores}|${t.cost}`;
}

/**
 * BoundInputs are the aggregates the bound reads: hardware classes, total demand, VM demand
 * classes, the cost grid and the spread bound. O(VMs + hosts), computed once per problem.
 */
export interface BoundInputs {
  readonly classes: readonly HwClass[];
  readonly demand: readonly number[];
  readonly demandClasses: readonly DemandClass[];
  readonly grid: number;
  readonly spread: number;
}

const inputsCache = new WeakMap<PlacementProblem, BoundInputs>();

/** boundInputs aggregates a problem for the bound (cached: the problem is immutable). */
export function boundInputs(p: PlacementProblem): BoundInputs {
  let inp = inputsCache.get(p);
  if (!inp) {
    const { classes, classOfType } = hardwareClasses(p);
    inp = { classes, demand: totalDemand(p), demandClasses: demandClasses(p, classes, classOfType), grid: costGrid(p), spread: spreadBound(p) };
    inputsCache.set(p, inp);
  }
  return inp;
}

/** lowerBound is boundFrom(boundInputs(p)). */
export function lowerBound(p: PlacementProblem): LowerBound {
  return boundFrom(boundInputs(p));
}

/** boundFrom computes the bound from the aggregates: no loop over VMs or hosts (well under 1 ms). */
export function boundFrom(inp: BoundInputs): LowerBound {
  const cover = coverBound(inp.classes, inp.demand);
  // With one hardware class the cover is already at least the LP relaxation (file comment).
  const lp = inp.classes.length > 1 ? lpBound(inp.classes, inp.demandClasses) : { value: 0, status: "one-class" as const };
  const best = Math.max(cover, lp.value, inp.spread);
  const value = inp.grid > 0 ? Math.ceil(best / inp.grid - 1e-7) * inp.grid : best;
  const source = best === cover ? "cover" : best === lp.value ? "lp" : "spread";
  return { value: floor6(value), cover: floor6(cover), lp: floor6(lp.value), spread: floor6(inp.spread), source, lpStatus: lp.status };
}

function resourcesOf(p: PlacementProblem): number {
  let net = false;
  for (let j = 0; j < p.nVms && !net; j++) net = p.vmNetworkMbps[j] > 0;
  return net ? 3 : 2;
}

/** hardwareClasses: hosts equal in cores, memory, network (when some VM declares it) and cost; classOfType maps each host type to its class. O(types). */
export function hardwareClasses(p: PlacementProblem): { classes: HwClass[]; classOfType: number[] } {
  const r = resourcesOf(p);
  const byKey = new Map<string, number>();
  const classes: HwClass[] = [];
  const classOfType = p.types.map((t) => {
    const key = classKey(t, r);
    let c = byKey.get(key);
    if (c === undefined) {
      c = classes.length;
      byKey.set(key, c);
      classes.push({ key, cost: t.cost, cores: t.cores, count: 0, cap: [t.memoryMiB, t.vcpuCap, t.networkMbps].slice(0, r) });
    }
    classes[c].count += t.hosts.length;
    return c;
  });
  return { classes, classOfType };
}

/** totalDemand: the VMs' summed memory, vCPUs and (when some VM declares it) network. O(VMs). */
export function totalDemand(p: PlacementProblem): number[] {
  const d = [0, 0, 0];
  for (let j = 0; j < p.nVms; j++) {
    d[0] += p.vmMemoryMiB[j];
    d[1] += p.vmVcpus[j];
    d[2] += p.vmNetworkMbps[j];
  }
  return d.slice(0, resourcesOf(p));
}

/** coverBound: exact knapsack cover by DFS, classes cheapest per capacity first. */
function coverBound(classes: readonly HwClass[], demand: readonly number[]): number {
  // A capacity above the whole demand covers it all the same: capping keeps every integral cover
  // and removes Infinity (a host without a network limit), whose 0 × Infinity would be NaN.
  const capped = classes.map((c) => ({ ...c, cap: c.cap.map((v, r) => Math.min(v, demand[r])) }));
  const share = (c: HwClass): number => Math.min(...c.cap.map((v, r) => (demand[r] > 0 ? v / demand[r] : Infinity)));
  const cs = capped.sort((a, b) => a.cost / share(a) - b.cost / share(b));
  let best = Infinity;
  let nodes = 0;
  const rate = (from: number, r: number): number => Math.min(...cs.slice(from).map((c) => (c.cap[r] > 0 ? c.cost / c.cap[r] : Infinity)));
  const rates = cs.map((_, k) => demand.map((_, r) => rate(k, r)));
  const dfs = (k: number, rem: number[], cost: number): void => {
    if (++nodes > 200_000) return;
    if (rem.every((x) => x <= 1e-9)) {
      best = Math.min(best, cost);
      return;
    }
    if (k >= cs.length) return;
    const estimate = cost + Math.max(...rem.map((x, r) => Math.max(0, x) * rates[k][r]));
    if (estimate >= best - 1e-12) return;
    const c = cs[k];
    const need = Math.min(c.count, Math.max(...rem.map((x, r) => (x <= 0 ? 0 : c.cap[r] > 0 ? Math.ceil(x / c.cap[r] - 1e-9) : Infinity))));
    for (let n = need; n >= 0; n--) dfs(k + 1, rem.map((x, r) => x - n * c.cap[r]), cost + n * c.cost);
  };
  dfs(0, [...demand], 0);
  if (nodes > 200_000 || best === Infinity) return fractionalCover(cs, demand);
  return best;
}

/** fractionalCover: the cover's LP (a valid bound when the DFS gives up or nothing covers). */
function fractionalCover(cs: readonly HwClass[], demand: readonly number[]): number {
  // Capping a coefficient at the demand keeps every integral cover and removes Infinity (no network limit).
  const rows: LpRowDense[] = demand.map((d, r) => ({ coef: cs.map((c) => Math.min(c.cap[r], d)), sense: ">=", rhs: d }));
  cs.forEach((c, k) => rows.push({ coef: cs.map((_, q) => (q === k ? 1 : 0)), sense: "<=", rhs: c.count }));
  const res = solveSmallLp(cs.map((c) => c.cost), rows);
  return res.status === "optimal" ? Math.max(0, res.value - 1e-9) : 0;
}

/** DemandClass: VMs with equal demand vectors and the same hardware classes open to them. */
interface DemandClass {
  n: number;
  d: number[];
  allowed: boolean[];
}

/**
 * demandClasses aggregates VMs: O(VMs × hardware classes) with a numeric key.
 * A VM is open to a class when it fits an empty host of it and, for the few VMs under a hard
 * host-label constraint, some type of the class carries the label.
 */
function demandClasses(p: PlacementProblem, classes: readonly HwClass[], classOfType: readonly number[]): DemandClass[] {
  const r = resourcesOf(p);
  const nT = p.types.length;
  const groups = new Map<number | string, DemandClass>();
  const cores = classes.map((c) => c.cores);
  for (let j = 0; j < p.nVms; j++) {
    const mem = p.vmMemoryMiB[j];
    const cpu = p.vmVcpus[j];
    const net = p.vmNetworkMbps[j];
    let mask = 0;
    if (p.vmHostLabel[j].length > 0) {
      for (let t = 0; t < nT; t++) if (p.typeAllowed[j * nT + t]) mask |= 1 << classOfType[t];
    } else
      for (let c = 0; c < classes.length; c++) {
        const cap = classes[c].cap;
        if (mem <= cap[0] && cpu <= cap[1] && cpu <= cores[c] && (r < 3 || net <= cap[2])) mask |= 1 << c;
      }
    const key = r < 3 && classes.length <= 20 ? (mem * 2048 + cpu) * 2 ** 20 + mask : `${mem},${cpu},${net}|${mask}`;
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { n: 1, d: [mem, cpu, net].slice(0, r), allowed: classes.map((_, c) => (mask & (1 << c)) !== 0) });
  }
  return [...groups.values()];
}

/**
 * lpBound: the aggregated LP relaxation (see the file comment), with f[k,c] the fraction of
 * demand class k on hardware class c, so every coefficient is a share of one host's capacity
 * (well scaled for the simplex whatever the units): Σc f = 1, Σk N·d/cap·f ≤ n, f ≤ n, n ≤ count.
 */
function lpBound(classes: readonly HwClass[], ks: readonly DemandClass[]): { value: number; status: "solved" | "too-large" | "failed" } {
  if (ks.length * classes.length > LP_MAX_PAIRS) return { value: 0, status: "too-large" };
  const C = classes.length;
  const nVars = C + ks.length * C;
  const f = (k: number, c: number): number => C + k * C + c;
  const rows: LpRowDense[] = [];
  const row = (set: [number, number][], sense: LpRowDense["sense"], rhs: number): void => {
    const coef = new Array<number>(nVars).fill(0);
    for (const [q, v] of set) coef[q] += v;
    rows.push({ coef, sense, rhs });
  };
  ks.forEach((g, k) => row(classes.flatMap((_, c): [number, number][] => (g.allowed[c] ? [[f(k, c), 1]] : [])), "=", 1));
  // A closed pair's f stays out of every row but this one: f ≤ 0.
  ks.forEach((g, k) => classes.forEach((_, c) => row([[f(k, c), 1], ...(g.allowed[c] ? [[c, -1] as [number, number]] : [])], "<=", 0)));
  classes.forEach((cl, c) => {
    for (let q = 0; q < cl.cap.length; q++)
      if (Number.isFinite(cl.cap[q])) row([...ks.map((g, k): [number, number] => [f(k, c), (g.n * g.d[q]) / cl.cap[q]]), [c, -1]], "<=", 0);
    row([[c, 1]], "<=", cl.count);
  });
  const cost = new Array<number>(nVars).fill(0);
  classes.forEach((cl, c) => (cost[c] = cl.cost));
  const res = solveSmallLp(cost, rows);
  return res.status === "optimal" ? { value: Math.max(0, res.value * (1 - 1e-9) - 1e-9), status: "solved" } : { value: 0, status: "failed" };
}

/**
 * The aggregated LP is solved up to this many demand class × hardware class pairs. Measured with
 * the dense simplex this replaced (tight family, machine shared, load ~13): 196 pairs 0.07 s, 470
 * pairs 0.6 s, 1,070-1,350 pairs 4-7.5 s, for a bound no better than the cover in the three
 * 1,000+ cases. javascript-lp-solver has not been timed past 300 pairs, so the cap stays.
 */
export const LP_MAX_PAIRS = 300;

function spreadBound(p: PlacementProblem): number {
  let m = 0;
  for (const g of p.antiAffinity) if (!g.soft) m = Math.max(m, g.vms.length);
  if (m <= 1) return p.nVms > 0 ? Math.min(...p.hostCost) : 0;
  const costs = [...p.hostCost].sort((x, y) => x - y);
  return costs.slice(0, m).reduce((s, c) => s + c, 0);
}

/** costGrid: the largest step every sum of host costs is a multiple of (0 when irregular). */
function costGrid(p: PlacementProblem): number {
  const SCALE = 1e6;
  let g = 0;
  for (const c of p.hostCost) {
    const v = Math.round(c * SCALE);
    if (Math.abs(v - c * SCALE) > 1e-6) return 0;
    g = gcd(g, v);
  }
  return g / SCALE;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** floor6 trims float noise without ever rounding a bound up (1e-3 of the last digit of slack). */
function floor6(x: number): number {
  return Math.floor(x * 1e6 + 1e-3) / 1e6;
}
