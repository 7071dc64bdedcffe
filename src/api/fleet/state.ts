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
    return this.prepared;
  }

  /** The cluster as its source gave it, without assumptions: which VMs a document really knows. */
  get sourceCluster(): Cluster | undefined {
    return this.base;
  }

  get assumedCount(): number {
    return this.assumed.size;
  }

  /**
   * refresh replaces the cluster with its source's latest state and forgets the assumptions. The
   * cluster is indexed here, by the source's refresh, rather than by the next request.
   */
  refresh(cluster: Cluster, at: number | undefined): void {
    this.base = cluster;
    this.assumed.clear();
    if (this.prepared) this.prepared.update(cluster);
    else this.prepared = new PreparedCluster(cluster, this.predictor);
    this.refreshedAt = at;
  }

  /**
   * assume: the pod's VM now counts against `hostId` (replacing an earlier assumption for it, which
   * keeps its place among them). The prepared index takes it as it stands (PreparedCluster.assume);
   * a VM of the document, a pod whose shape changed, or the oldest assumption's eviction re-indexes
   * the whole cluster instead.
   */
  assume(vm: Vm, hostId: string): void {
    const placed = { ...vm, host: hostId };
    this.assumed.set(vm.id, placed);
    const evicted = this.assumed.size > MAX_ASSUMED;
    if (evicted) this.assumed.delete(this.assumed.keys().next().value!);
    if (!this.base || !this.prepared) return;
    if (evicted || !this.prepared.assume(placed)) this.prepared.update(this.withAssumed(this.base));
  }

  private withAssumed(base: Cluster): Cluster {
    const known = new Set(base.vms.map((v) => v.id));
    const replaced = base.vms.map((v) => this.assumed.get(v.id) ?? v);
    return { ...base, vms: [...replaced, ...[...this.assumed.values()].filter((v) => !known.has(v.id))] };
  }
}
