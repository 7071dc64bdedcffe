import type { Cluster, Vm } from "../../model/cluster.js";
import type { Predictor } from "../../interference/predictor.js";
import { PreparedCluster } from "../place/prepared.js";

// At most this many pods are assumed between refreshes; the oldest assumption goes first.
const MAX_ASSUMED = 10_000;

/**
 * FleetState is the cluster the server answers from, kept fresh by its source (a file it
 * watches, Prometheus it audits) and by what the Kubernetes extender itself decided: a pod the
 * extender ranked is assumed to run on the node it ranked best until the next refresh brings the
 * real state, so consecutive scheduling decisions see each other (as kube-scheduler's own cache
 * assumes a pod on its node until the binding is confirmed).
 */
export class FleetState {
  private base?: Cluster;
  private readonly assumed = new Map<string, Vm>();
  private prepared?: PreparedCluster;
  /** When the source last refreshed the cluster (ms since the epoch). */
  refreshedAt?: number;

  constructor(
    private readonly predictor: Predictor,
    initial?: Cluster,
  ) {
    if (initial) this.refresh(initial, undefined);
  }

  /** The cluster with every assumed pod on its node, prepared for one-VM questions. */
  get current(): PreparedCluster | undefined {
    if (!this.base) return undefined;
    this.prepared ??= new PreparedCluster(this.assumed.size === 0 ? this.base : this.withAssumed(this.base), this.predictor);
    return this.prepared;
  }

  /** The cluster as its source gave it, without assumptions: which VMs a document really knows. */
  get sourceCluster(): Cluster | undefined {
    return this.base;
  }

  get assumedCount(): number {
    return this.assumed.size;
  }

  /** refresh replaces the cluster with its source's latest state and forgets the assumptions. */
  refresh(cluster: Cluster, at: number | undefined): void {
    this.base = cluster;
    this.assumed.clear();
    this.prepared = undefined;
    this.refreshedAt = at;
  }

  /** assume: the pod's VM now counts against `hostId` (replacing an earlier assumption for it). */
  assume(vm: Vm, hostId: string): void {
    this.assumed.delete(vm.id);
    this.assumed.set(vm.id, { ...vm, host: hostId });
    if (this.assumed.size > MAX_ASSUMED) this.assumed.delete(this.assumed.keys().next().value!);
    this.prepared = undefined;
  }

  private withAssumed(base: Cluster): Cluster {
    const known = new Set(base.vms.map((v) => v.id));
    const replaced = base.vms.map((v) => this.assumed.get(v.id) ?? v);
    return { ...base, vms: [...replaced, ...[...this.assumed.values()].filter((v) => !known.has(v.id))] };
  }
}
