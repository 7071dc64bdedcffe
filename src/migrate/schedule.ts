import type { Framework } from "../placement/framework.js";
import type { PlacementProblem } from "../placement/problem.js";
import { PlacementState } from "../placement/state.js";
import type { DisruptionBudget } from "../model/fleet-policy.js";
import { RiskLedger, type VictimModel } from "./risk.js";
import { violationsOf } from "./measure.js";
import { TransientCheck } from "./transient.js";
import { localViolationCount } from "./violations.js";
import { memoryOf, REFUSAL_TEXT, WaveFlight, touches, type FlightRefusal } from "./wave-flight.js";
import { timeWave, type WaveTiming } from "./wave-timing.js";

/** MoveGroup: VMs that migrate together in one wave (one planned move, or one leg of it). */
export interface MoveGroup {
  /** Index of the planned move this group carries out. */
  readonly planned: number;
  readonly vms: readonly number[];
  readonly from: readonly number[];
  readonly to: number;
  readonly leg: "direct" | "park" | "unpark";
  /** A mandatory move (breach, violation, evacuation) may load its hosts while it runs; others may not. */
  readonly mandatory: boolean;
}

export interface ScheduledWave {
  readonly groups: MoveGroup[];
  /** Each migration's bandwidth and predicted duration and downtime; the wave's length. */
  readonly timing: WaveTiming;
  /** Victims predicted over SLO while the wave runs (copy threads on its hosts), and how many of them are new. */
  readonly transientBreaches: number;
  readonly transientNewBreaches: number;
  readonly transientWorstRatio: number;
  readonly memoryCopiedMiB: number;
  /** Largest (memory held while the wave runs) / capacity over the hosts it touches. */
  readonly peakMemoryFraction: number;
  readonly breaches: number;
  readonly risk: number;
  readonly violations: number;
}

export interface Schedule {
  readonly waves: ScheduledWave[];
  /** Groups no safe order could run (their planned moves are not in the executed plan). */
  readonly unscheduled: MoveGroup[];
  /** The placement once every wave has run. */
  readonly final: PlacementState;
  /** Why each unscheduled group (by planned move) could not run, when a limit said so. */
  readonly why: ReadonlyMap<number, string>;
}

export interface ScheduleLimits {
  readonly maxConcurrent: number;
  readonly perHostConcurrent: number;
  /** VM migrations, and MiB, the schedule may add to break cycles (each parked VM moves twice). */
  readonly extraMoves: number;
  readonly extraMiB: number;
  /** Hosts no VM may pass through (the host being evacuated). */
  readonly forbidden: Uint8Array;
  readonly budgets: readonly DisruptionBudget[];
}

/**
 * scheduleMoves orders migrations into waves that are safe at every moment. A live migration
 * holds the VM's memory on both hosts until it ends, so a wave may only start copies whose
 * targets hold their memory on top of everything already there; the state after each wave must
 * hold every capacity and hard constraint the start held (no new violation), predict no new SLO
 * breach nor worse breach for any VM, and carry no more risk than the start. Groups run in plan
 * order as far as the limits allow; when none can start alone, the moves off one host run as a
 * bundle judged only once all have finished, else one is parked on a temporary host (a two-step
 * move) to break the cycle, and if no host can take it the rest is left unscheduled.
 *
 * While a wave runs, each host's link is shared by its migrations (timeWave: never
 * oversubscribed), at most `perHostConcurrent` of them touch a host, at most `maxMoving` VMs of
 * a disruption-budget group move, and the copy threads' CPU on source and destination must not
 * push a victim that was within its SLO at the start over it (TransientCheck), unless the move
 * is mandatory: a breach fix may briefly load the host it fixes, and the wave reports it.
 *
 * Cost: O(waves × pending groups × VMs on their hosts), plus one O(VMs + hosts) scan per wave.
 */
export function scheduleMoves(
  problem: PlacementProblem,
  fw: Framework,
  model: VictimModel,
  start: Int32Array,
  groups: readonly MoveGroup[],
  limits: ScheduleLimits,
): Schedule {
  const w = new WaveBuilder(problem, fw, model, start, limits);
  let pending = [...groups];
  const waves: ScheduledWave[] = [];
  while (pending.length > 0) {
    const taken = w.fill(pending);
    if (taken.length === 0) {
      const bundle = w.bundle(pending);
      if (bundle) {
        const done = new Set(bundle);
        pending = pending.filter((g) => !done.has(g));
        waves.push(w.close(bundle));
        continue;
      }
      const broken = w.park(pending);
      if (!broken) break;
      pending = pending.map((g) => (g === broken.group ? broken.unpark : g));
      waves.push(w.close([broken.park]));
      continue;
    }
    const done = new Set(taken);
    pending = pending.filter((g) => !done.has(g));
    waves.push(w.close(taken));
  }
  return { waves, unscheduled: pending, final: w.state, why: w.whyNot(pending) };
}

/** WaveBuilder holds the state between waves and the in-flight accounting of the open wave. */
class WaveBuilder {
  readonly state: PlacementState;
  private readonly ledger: RiskLedger;
  private readonly startRatio: Float64Array;
  private readonly startRisk: number;
  private readonly startViolations: number;
  private readonly flight: WaveFlight;
  private readonly transient: TransientCheck;
  /** The placement when the open wave started: the copy threads run beside it. */
  private waveStart: PlacementState;
  /** Per host, for the open wave: 1 when its copy threads push no victim into breach, 0 when they do. */
  private transientOk: Int8Array;
  private readonly refused = new Map<number, FlightRefusal | "transient">();
  private extraLeft: number;
  private extraMiBLeft: number;

  constructor(
    private readonly p: PlacementProblem,
    private readonly fw: Framework,
    private readonly model: VictimModel,
    start: Int32Array,
    private readonly limits: ScheduleLimits,
  ) {
    this.state = PlacementState.fromAssignment(p, start);
    this.ledger = new RiskLedger(model, this.state);
    this.startRisk = this.ledger.totalPoints;
    this.startRatio = this.ratios();
    this.startViolations = violationsOf(this.state).length;
    this.extraLeft = limits.extraMoves;
    this.extraMiBLeft = limits.extraMiB;
    this.flight = new WaveFlight(p, limits, this.state.memUsedMiB);
    this.transient = new TransientCheck(p, model, this.startRatio);
    this.waveStart = PlacementState.fromAssignment(p, start);
    this.transientOk = new Int8Array(p.nHosts).fill(-1);
  }

  private ratios(): Float64Array {
    const out = new Float64Array(this.p.nVms);
    for (let i = 0; i < this.p.nHosts; i++) for (const j of this.state.vmsOn[i]) if (this.p.latencySensitive[j] === 1) out[j] = this.model.ratio(this.state, j);
    return out;
  }

  /** fill starts every pending group that may run now, in plan order; returns them (applied). */
  fill(pending: readonly MoveGroup[]): MoveGroup[] {
    // Only the latest attempt says why a group is still waiting.
    this.refused.clear();
    const taken: MoveGroup[] = [];
    for (const g of pending) {
      if (!this.admits(g, taken.length === 0)) continue;
      if (!this.apply([g])) continue;
      this.flight.reserve(g);
      taken.push(g);
    }
    return taken;
  }

  /** admits: g may join the open wave (limits, memory in flight, load while copying); records why not. */
  private admits(g: MoveGroup, first: boolean): boolean {
    const why = this.flight.refusal(g, first) ?? (this.copyLoadOk(g) ? undefined : "transient");
    if (why !== undefined) this.refused.set(g.planned, why);
    return why === undefined;
  }

  /** copyLoadOk: the copy threads on g's hosts push no victim into a breach it was not in at the start. */
  private copyLoadOk(g: MoveGroup): boolean {
    if (g.mandatory) return true;
    for (const h of touches(g).keys()) {
      if (this.transientOk[h] < 0) this.transientOk[h] = this.transient.during(this.waveStart, h).newBreaches === 0 ? 1 : 0;
      if (this.transientOk[h] === 0) return false;
    }
    return true;
  }

  /** whyNot: the last limit each still-pending group ran into, as a sentence. */
  whyNot(pending: readonly MoveGroup[]): Map<number, string> {
    const out = new Map<number, string>();
    for (const g of pending) {
      const why = this.refused.get(g.planned);
      if (why !== undefined) out.set(g.planned, REFUSAL_TEXT[why]);
    }
    return out;
  }

  /**
   * apply moves the groups in the after-wave state and keeps them only if that state is no worse:
   * no more hard-constraint violations on their hosts and groups, no new or worse predicted
   * breach, and no more risk than the start.
   */
  private apply(groups: readonly MoveGroup[]): boolean {
    const s = this.state;
    for (const g of groups) if (g.vms.some((j, k) => s.hostOf[j] !== g.from[k])) return false;
    const hosts = [...new Set(groups.flatMap((g) => [g.to, ...g.from]))];
    const aff = [...new Set(groups.flatMap((g) => g.vms.flatMap((j) => this.p.vmAffinity[j])))];
    const before = localViolationCount(s, hosts, aff);
    for (const g of groups) for (const j of g.vms) s.move(j, g.to);
    for (const h of hosts) this.ledger.refresh(h);
    if (localViolationCount(s, hosts, aff) <= before && this.ledger.totalPoints <= this.startRisk + 1e-6 && this.noWorseBreach(hosts)) return true;
    for (let m = groups.length - 1; m >= 0; m--) {
      const g = groups[m];
      for (let k = g.vms.length - 1; k >= 0; k--) s.move(g.vms[k], g.from[k]);
    }
    for (const h of hosts) this.ledger.refresh(h);
    return false;
  }

  /**
   * bundle runs together the pending moves off one host that are unsafe one at a time: taking
   * one neighbour away can raise the others' predicted delay (the remaining sleepers' mean duty
   * rises) while taking both away ends it. Only the state after the whole bundle is judged.
   */
  bundle(pending: readonly MoveGroup[]): MoveGroup[] | undefined {
    const sources = [...new Set(pending.flatMap((g) => g.from))];
    for (const h of sources) {
      const taken: MoveGroup[] = [];
      for (const g of pending) {
        if (!g.from.includes(h) || !this.admits(g, taken.length === 0)) continue;
        this.flight.reserve(g);
        taken.push(g);
      }
      if (taken.length >= 2 && this.apply(taken)) return taken;
      this.release(taken);
    }
    return undefined;
  }

  private release(groups: readonly MoveGroup[]): void {
    for (const g of groups) {
      this.flight.release(g);
    }
  }

  private noWorseBreach(hosts: readonly number[]): boolean {
    for (const i of hosts)
      for (const j of this.state.vmsOn[i]) {
        if (this.p.latencySensitive[j] !== 1) continue;
        if (this.model.ratio(this.state, j) > Math.max(1, this.startRatio[j]) + 1e-9) return false;
      }
    return true;
  }

  /**
   * park breaks a cycle: the first pending group (smallest memory first) that some other host can
   * hold meanwhile goes there now, and its second leg replaces it in the pending list.
   */
  park(pending: readonly MoveGroup[]): { group: MoveGroup; park: MoveGroup; unpark: MoveGroup } | undefined {
    const order = [...pending].sort((a, b) => memoryOf(this.p, a.vms) - memoryOf(this.p, b.vms) || a.planned - b.planned);
    for (const g of order) {
      // Parking breaks cycles of memory; a group held back by its copy threads' load is not in
      // one, and a parked group is not parked again.
      if (g.vms.length > this.extraLeft || memoryOf(this.p, g.vms) > this.extraMiBLeft + 1e-9) continue;
      if (g.leg !== "direct" || this.refused.get(g.planned) === "transient") continue;
      for (let t = 0; t < this.p.nHosts; t++) {
        if (t === g.to || g.from.includes(t) || this.limits.forbidden[t] === 1) continue;
        const park: MoveGroup = { ...g, to: t, leg: "park" };
        if (!this.flight.memoryHolds(park) || !this.copyLoadOk(park) || !this.filtersPass(park) || !this.apply([park])) continue;
        this.flight.reserve(park);
        this.extraLeft -= g.vms.length;
        this.extraMiBLeft -= memoryOf(this.p, g.vms);
        return { group: g, park, unpark: { ...g, from: g.vms.map(() => t), leg: "unpark" } };
      }
    }
    return undefined;
  }

  /** filtersPass: the placer's filters accept the group's VMs on its target, one after another. */
  private filtersPass(g: MoveGroup): boolean {
    const s = this.state;
    for (const j of g.vms) s.unassign(j);
    let placed = 0;
    for (const j of g.vms) {
      if (!this.fw.fits(s, j, g.to)) break;
      s.assign(j, g.to);
      placed++;
    }
    const ok = placed === g.vms.length;
    for (let k = 0; k < placed; k++) s.unassign(g.vms[k]);
    g.vms.forEach((j, k) => s.assign(j, g.from[k]));
    return ok;
  }

  /** close ends the open wave: measures it and resets the in-flight accounting. */
  close(groups: MoveGroup[]): ScheduledWave {
    let peak = 0;
    let copied = 0;
    for (const g of groups) {
      copied += memoryOf(this.p, g.vms);
      peak = Math.max(peak, this.flight.peakFraction(g));
    }
    // The independent checker (the placer's, written from the document alone) must agree with
    // the local checks every group passed: a disagreement is a bug, not an outcome.
    const violations = violationsOf(this.state).length;
    if (violations > this.startViolations)
      throw new Error(`scheduleMoves: a wave leaves ${violations} hard-constraint violations, more than the ${this.startViolations} at the start`);
    const timing = timeWave(this.p, groups);
    if (timing.linkPeakFraction > 1 + 1e-9) throw new Error(`scheduleMoves: a wave oversubscribes a migration link (${timing.linkPeakFraction})`);
    const during = { breaches: 0, fresh: 0, worst: 0 };
    for (const h of new Set(groups.flatMap((g) => [g.to, ...g.from]))) {
      const v = this.transient.during(this.waveStart, h);
      during.breaches += v.breaches;
      during.fresh += v.newBreaches;
      during.worst = Math.max(during.worst, v.worstRatio);
    }
    const wave: ScheduledWave = {
      groups,
      timing,
      transientBreaches: during.breaches,
      transientNewBreaches: during.fresh,
      transientWorstRatio: Math.round(during.worst * 1000) / 1000,
      memoryCopiedMiB: copied,
      peakMemoryFraction: Math.round(peak * 1000) / 1000,
      breaches: this.ledger.totalBreaches,
      risk: Math.round(this.ledger.totalPoints * 100) / 100,
      violations,
    };
    this.flight.reset(this.state.memUsedMiB);
    this.waveStart = PlacementState.fromAssignment(this.p, this.state.hostOf);
    this.transientOk.fill(-1);
    return wave;
  }
}
