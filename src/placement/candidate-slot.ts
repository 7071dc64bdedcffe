import type { Cluster, Vm } from "../model/cluster.js";
import { victimTerms, type HostState } from "../interference/host-state.js";
import { emptyKinds, markUnmeetableOn } from "../interference/unmeetable.js";
import type { Victim } from "../interference/predictor.js";
import type { Predictor } from "../interference/predictor.js";
import { profileVm, type VmProfile } from "../interference/profile.js";
import { forgetCosts } from "./plugins/consolidation.js";
import { buildProblem, fillTypeAllowedRow, type PlacementProblem } from "./problem.js";
import { insertVm } from "./problem-insert.js";
import { PlacementState } from "./state.js";

/** CANDIDATE_ID: the slot's VM id; judge answers name the requester instead. */
export const CANDIDATE_ID = "vmplace:candidate";

/**
 * CandidateSlot answers "where may one more VM go?" about a cluster that stays put, for many
 * different VMs. Indexing a cluster and building its placement state is O(VMs) (about 300 ms at
 * 10,000 VMs); a question about one VM only needs O(hosts). So the cluster is indexed once with
 * one extra, unplaced VM at the end, the slot, and `set` rewrites the slot's entries (demand,
 * profile, SLO slack, the static type check) in place: the problem then equals, entry for entry,
 * what buildProblem gives for the cluster with that VM appended (test/placement/candidate-slot
 * checks every per-VM field). The slot's VM belongs to no constraint group, so a VM the document
 * knows or a constraint names cannot use it; the caller prepares those from scratch.
 *
 * Not re-entrant: set and the judgement that reads it must run together (one synchronous turn).
 */
export class CandidateSlot {
  readonly cluster: Cluster;
  readonly problem: PlacementProblem;
  readonly state: PlacementState;
  /** Index of the slot's VM. */
  readonly j: number;

  /** Idle hosts of each kind in the fleet, for markUnmeetableOn (built on the first set). */
  private kinds: HostState[] | undefined;

  /** `indexed`: the problem and state of the cluster with the slot already appended (withPlaced). */
  constructor(base: Cluster, predictor: Predictor, indexed?: { problem: PlacementProblem; state: PlacementState }) {
    const placeholder: Vm = { id: CANDIDATE_ID, vcpus: 1, memoryMiB: 0, weight: 256, capPercent: 0, cpuWeight: 100, workload: { kind: "idle" }, labels: {} };
    this.j = base.vms.length;
    if (indexed) {
      this.cluster = indexed.problem.cluster;
      this.problem = indexed.problem;
      this.state = indexed.state;
      return;
    }
    this.cluster = { ...base, vms: [...base.vms, placeholder] };
    this.problem = buildProblem(this.cluster, predictor);
    const hostIndex = new Map(base.hosts.map((h, i) => [h.id, i]));
    const hostOf = Int32Array.from(this.cluster.vms, (v, k) => (k === this.j || v.host === undefined ? -1 : (hostIndex.get(v.host) ?? -1)));
    this.state = PlacementState.fromAssignment(this.problem, hostOf);
  }

  /**
   * withPlaced is a new slot for this cluster with `vm` placed on host `i` too (inserted before
   * the slot), built from this one (insertVm, PlacementState.withInserted: one VM's profile and
   * interference update instead of every VM's). This slot is used up: its state now belongs to
   * the new one. The VM must be new and named by no constraint.
   */
  withPlaced(vm: Vm, i: number): CandidateSlot {
    const vms = this.cluster.vms.slice(0, this.j);
    vms.push(vm);
    const problem = insertVm(this.problem, vm, this.j);
    const state = this.state.withInserted(problem, this.j);
    state.assign(this.j, i);
    return new CandidateSlot({ ...this.cluster, vms }, problem.predictor, { problem, state });
  }

  /** move: placed VM k, of the same shape as `vm` (its host aside), now runs on host i as `vm` says. */
  move(k: number, vm: Vm, i: number): void {
    if (k === this.j) throw new Error("CandidateSlot.move: the slot's VM is not placed");
    (this.problem.vms as Vm[])[k] = vm;
    this.state.move(k, i);
  }

  /** set makes `vm` (unplaced, under the slot's id) the slot's VM. O(host types). */
  set(vm: Vm): void {
    const p = this.problem;
    const j = this.j;
    const fresh: Vm = { ...vm, id: CANDIDATE_ID, host: undefined };
    const profile = profileVm(fresh);
    (p.vms as Vm[])[j] = fresh;
    p.vmMemoryMiB[j] = fresh.memoryMiB;
    p.vmVcpus[j] = fresh.vcpus;
    p.vmNetworkMbps[j] = fresh.networkMbps ?? 0;
    (p.profiles as VmProfile[])[j] = profile;
    const victim = victimTerms(profile, p.predictor);
    // The fleet's kinds of host stay put while the slot lives: their idle states are built once.
    this.kinds ??= emptyKinds(p.types.map((t) => p.hosts[t.hosts[0]]), p.predictor);
    markUnmeetableOn(this.kinds, [profile], [victim]);
    (p.victims as (Victim | undefined)[])[j] = victim;
    p.candidates.set(j, profile, victim, p.predictor);
    p.latencySensitive[j] = profile.io ? 1 : 0;
    fillTypeAllowedRow(p, j, p.typeAllowed);
    // Consolidation's cost per VM averages every VM's demand, the slot's included.
    forgetCosts(p);
  }
}
