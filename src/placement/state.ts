import { HostState } from "../interference/host-state.js";
import { EmptyHosts } from "./empty-hosts.js";
import { HostSet } from "./host-set.js";
import { LOAD_LEVELS, wattsAt } from "../model/power.js";
import type { PlacementProblem } from "./problem.js";

/**
 * PlacementState is a (partial) assignment with every aggregate the plugins read kept up to date
 * in O(1) per change (O(log n) for a host's sorted victim slacks): per-host resource use, the
 * interference HostState, per-group member counts per host, the soft-violation count, the cost
 * of used hosts and the risk sum. Heuristics mutate it move by move; it never checks feasibility
 * itself (the plugins do), so a move can be tried, judged and undone.
 */
export class PlacementState {
  readonly hostOf: Int32Array;
  readonly memUsedMiB: Float64Array;
  readonly vcpusUsed: Int32Array;
  readonly netUsedMbps: Float64Array;
  /** CPU-bound vCPUs (sleepy or not) and latency-sensitive VMs per host: the risk objective's inputs. */
  readonly aggressorVcpus: Int32Array;
  readonly victimCount: Int32Array;
  readonly hostStates: readonly HostState[];
  /** VMs on each host, unordered; posOf[j] is j's index in its host's list (O(1) removal). */
  readonly vmsOn: number[][];
  private readonly posOf: Int32Array;
  private readonly antiCount: Map<number, number>[];
  private readonly affCount: Map<number, number>[];
  private readonly affTouched: Int32Array;
  private readonly used: HostSet;
  private readonly roomy: HostSet;
  /** Per resource, the least any VM asks (memory, vCPUs, network): a host with less left takes none. */
  private readonly minMemMiB: number;
  private readonly minVcpus: number;
  private readonly minNetMbps: number;
  /** The empty hosts of each type, lowest index first (the moves that open a host read it). */
  readonly empty: EmptyHosts;
  usedHosts = 0;
  usedCost = 0;
  placed = 0;
  /** Units of soft-constraint violation, as the LP's penalty terms count them. */
  softViolations = 0;
  /** Σ over hosts holding a victim of CPU-bound vCPUs per core (the Risk objective, as in the LP). */
  riskSum = 0;
  /**
   * Σ load² over hosts, load = mean of the memory, vCPU (and network) fractions: the local search's guide
   * (not reported). Raising it concentrates load on some hosts and drains others, and rewards
   * pairing memory-heavy with CPU-heavy VMs, which a max-of-fractions fill would not see.
   */
  sumLoadSq = 0;
  /** Predicted watts of every host (on: its curve at its VMs' mean CPU demand; off: standby): the min-energy objective. */
  watts = 0;
  /**
   * hostVersion[i] changes whenever host i's VMs change: plugins that cache per-host figures
   * (the service tails' member exceedances) know from it when theirs are stale.
   */
  readonly hostVersion: Uint32Array;

  constructor(readonly problem: PlacementProblem) {
    const p = problem;
    this.hostOf = new Int32Array(p.nVms).fill(-1);
    this.posOf = new Int32Array(p.nVms).fill(-1);
    this.memUsedMiB = new Float64Array(p.nHosts);
    this.vcpusUsed = new Int32Array(p.nHosts);
    this.netUsedMbps = new Float64Array(p.nHosts);
    this.aggressorVcpus = new Int32Array(p.nHosts);
    this.victimCount = new Int32Array(p.nHosts);
    this.hostStates = p.hosts.map((h) => new HostState(h, p.predictor));
    this.vmsOn = Array.from({ length: p.nHosts }, () => []);
    this.antiCount = p.antiAffinity.map(() => new Map());
    this.affCount = p.affinity.map(() => new Map());
    this.affTouched = new Int32Array(p.affinity.length);
    this.used = new HostSet(p.nHosts);
    this.roomy = new HostSet(p.nHosts);
    this.empty = new EmptyHosts(p);
    this.minMemMiB = minOf(p.vmMemoryMiB);
    this.minVcpus = minOf(p.vmVcpus);
    this.minNetMbps = minOf(p.vmNetworkMbps);
    this.hostVersion = new Uint32Array(p.nHosts);
    for (const w of p.hostStandbyWatts) this.watts += w;
  }

  /** hostWatts: host i's predicted draw as it stands (see `watts`). */
  hostWatts(i: number): number {
    const p = this.problem;
    if (this.vmsOn[i].length === 0) return p.hostStandbyWatts[i];
    return wattsAt(p.hostCurveWatts, this.hostStates[i].demandCpus / p.hostCores[i], i * LOAD_LEVELS);
  }

  /** Used hosts, unordered: O(1) random sampling. */
  get usedList(): readonly number[] {
    return this.used.list;
  }

  /**
   * Used hosts with room left for the smallest demand on every resource, unordered: the only
   * used hosts an item can join. On a tight packing most used hosts are full on some resource,
   * and moves that sampled every used host mostly drew hosts that could take nothing.
   */
  get roomyList(): readonly number[] {
    return this.roomy.list;
  }

  /** fromAssignment builds the state of a vm → host array (-1 = unplaced). */
  static fromAssignment(problem: PlacementProblem, hostOf: Int32Array): PlacementState {
    const s = new PlacementState(problem);
    for (let j = 0; j < hostOf.length; j++) if (hostOf[j] >= 0) s.assign(j, hostOf[j]);
    return s;
  }

  /**
   * withInserted is the state of `problem`, this state's problem with one unplaced VM inserted at
   * `at` (insertVm), with every VM where it is: it takes this state's aggregates over instead of
   * adding every VM again (fromAssignment's O(VMs) interference updates), so this state must not
   * be used afterwards. Every VM at or past `at` must be unplaced (their indices move up one). A
   * VM that brings network demand into play changes every host's load, and rebuilds instead.
   */
  withInserted(problem: PlacementProblem, at: number): PlacementState {
    for (let j = at; j < this.hostOf.length; j++) if (this.hostOf[j] >= 0) throw new Error(`PlacementState.withInserted: VM ${j} past index ${at} is placed`);
    if (problem.networkInPlay !== this.problem.networkInPlay) {
      const hostOf = new Int32Array(problem.nVms).fill(-1);
      hostOf.set(this.hostOf.subarray(0, at));
      return PlacementState.fromAssignment(problem, hostOf);
    }
    const s = Object.create(PlacementState.prototype) as PlacementState;
    const grown = (a: Int32Array): Int32Array => {
      const out = new Int32Array(problem.nVms).fill(-1);
      out.set(a.subarray(0, at));
      return out;
    };
    // The instance's own fields, readonly or private, assigned once as the constructor would.
    return Object.assign(s, this, { problem, hostOf: grown(this.hostOf), posOf: grown(this.posOf) });
  }

  /** antiAffinityCount: members of anti-affinity group g on host i. */
  antiAffinityCount(g: number, i: number): number {
    return this.antiCount[g].get(i) ?? 0;
  }

  /** affinityCount: members of affinity group g on host i. */
  affinityCount(g: number, i: number): number {
    return this.affCount[g].get(i) ?? 0;
  }

  /** affinityHosts: how many hosts the placed members of affinity group g are spread over. */
  affinityHosts(g: number): number {
    return this.affTouched[g];
  }

  /** load is the mean of a host's memory, vCPU and (when in play and declared) network fractions in use. */
  load(i: number): number {
    const p = this.problem;
    const base = this.memUsedMiB[i] / p.hostMemoryMiB[i] + this.vcpusUsed[i] / p.hostVcpuCap[i];
    if (!p.networkInPlay || !Number.isFinite(p.hostNetworkMbps[i])) return base / 2;
    return (base + this.netUsedMbps[i] / p.hostNetworkMbps[i]) / 3;
  }

  /** fill is the larger of a host's memory and vCPU fractions in use. */
  fill(i: number): number {
    const p = this.problem;
    return Math.max(this.memUsedMiB[i] / p.hostMemoryMiB[i], this.vcpusUsed[i] / p.hostVcpuCap[i]);
  }

  assign(j: number, i: number): void {
    if (this.hostOf[j] >= 0) throw new Error(`PlacementState.assign: VM ${j} is already on host ${this.hostOf[j]}`);
    this.change(j, i, 1);
    this.hostOf[j] = i;
    this.posOf[j] = this.vmsOn[i].length;
    this.vmsOn[i].push(j);
  }

  unassign(j: number): void {
    const i = this.hostOf[j];
    if (i < 0) throw new Error(`PlacementState.unassign: VM ${j} is not placed`);
    this.change(j, i, -1);
    const list = this.vmsOn[i];
    const last = list.pop()!;
    if (last !== j) {
      list[this.posOf[j]] = last;
      this.posOf[last] = this.posOf[j];
    }
    this.posOf[j] = -1;
    this.hostOf[j] = -1;
  }

  /** move relocates a placed VM (unassign + assign). */
  move(j: number, i: number): void {
    this.unassign(j);
    this.assign(j, i);
  }

  private change(j: number, i: number, sign: 1 | -1): void {
    const p = this.problem;
    const wasUsed = this.vmsOn[i].length > 0;
    const oldLoad = this.load(i);
    const oldRisk = this.hostRisk(i);
    const oldWatts = this.hostWatts(i);
    this.hostVersion[i]++;
    this.memUsedMiB[i] += sign * p.vmMemoryMiB[j];
    this.vcpusUsed[i] += sign * p.vmVcpus[j];
    this.netUsedMbps[i] += sign * p.vmNetworkMbps[j];
    this.aggressorVcpus[i] += sign * p.profiles[j].cpuVcpus;
    if (p.victims[j]) this.victimCount[i] += sign;
    if (sign > 0) this.hostStates[i].add(p.profiles[j], p.victims[j]);
    else this.hostStates[i].remove(p.profiles[j], p.victims[j]);
    this.placed += sign;
    this.softViolations += this.softDelta(j, i, sign);
    // change runs before assign pushes and before unassign pops: vmsOn[i] is the old list.
    const nowUsed = sign > 0 || this.vmsOn[i].length > 1;
    if (wasUsed !== nowUsed) {
      this.usedHosts += nowUsed ? 1 : -1;
      this.usedCost += (nowUsed ? 1 : -1) * p.hostCost[i];
      this.empty.mark(i, !nowUsed);
      this.used.set(i, nowUsed);
    }
    this.roomy.set(i, nowUsed && this.hasMinRoom(i));
    const l = this.load(i);
    this.sumLoadSq += l * l - oldLoad * oldLoad;
    this.riskSum += this.hostRisk(i) - oldRisk;
    // vmsOn[i] is still the old list here: the host is on after the change when nowUsed.
    const newWatts = nowUsed ? wattsAt(p.hostCurveWatts, this.hostStates[i].demandCpus / p.hostCores[i], i * LOAD_LEVELS) : p.hostStandbyWatts[i];
    this.watts += newWatts - oldWatts;
  }

  private hasMinRoom(i: number): boolean {
    const p = this.problem;
    return p.hostMemoryMiB[i] - this.memUsedMiB[i] >= this.minMemMiB && p.hostVcpuCap[i] - this.vcpusUsed[i] >= this.minVcpus && p.hostNetworkMbps[i] - this.netUsedMbps[i] >= this.minNetMbps - 1e-9;
  }

  private hostRisk(i: number): number {
    return this.victimCount[i] > 0 ? this.aggressorVcpus[i] / this.problem.hostCores[i] : 0;
  }

  /** softDelta updates group counts and returns the change in soft-violation units. */
  private softDelta(j: number, i: number, sign: 1 | -1): number {
    const p = this.problem;
    let d = 0;
    for (const g of p.vmAntiAffinity[j]) {
      const m = this.antiCount[g];
      const before = m.get(i) ?? 0;
      bump(m, i, sign);
      if (p.antiAffinity[g].soft) d += Math.max(0, before + sign - 1) - Math.max(0, before - 1);
    }
    for (const g of p.vmAffinity[j]) {
      const m = this.affCount[g];
      const before = m.get(i) ?? 0;
      bump(m, i, sign);
      const touchedBefore = this.affTouched[g];
      if (before === 0 && sign > 0) this.affTouched[g]++;
      if (before === 1 && sign < 0) this.affTouched[g]--;
      if (p.affinity[g].soft) d += Math.max(0, this.affTouched[g] - 1) - Math.max(0, touchedBefore - 1);
    }
    for (const g of p.vmHostLabel[j]) {
      const hl = p.hostLabel[g];
      if (hl.soft && hl.hostOk[i] === 0) d += sign;
    }
    return d;
  }
}

/** minOf: the smallest entry (0 for none); a loop, as spreading 100,000 arguments overflows the stack. */
function minOf(xs: Float64Array | Int32Array): number {
  let m = xs.length > 0 ? Infinity : 0;
  for (const x of xs) if (x < m) m = x;
  return m;
}

function bump(m: Map<number, number>, i: number, sign: number): void {
  const n = (m.get(i) ?? 0) + sign;
  if (n === 0) m.delete(i);
  else m.set(i, n);
}
