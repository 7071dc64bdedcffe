import type { Cluster, Vm } from "../../model/cluster.js";
import type { Predictor } from "../../interference/predictor.js";
import { PreparedCluster } from "../place/prepared.js";

// At most this many pods are assumed between refreshes; the oldest assumption goes first.
const MAX_ASSUMED = 10_000;

/** DEFAULT_ASSUME_FOR_MS: how long an assumed pod the source does not show yet outlives refreshes. */
export const DEFAULT_ASSUME_FOR_MS = 120_000;

export interface FleetStateOptions {
  /** An assumed pod is kept through refreshes that do not show its VM for this long (ms). */
  readonly assumeForMs?: number;
  readonly now?: () => number;
}

/**
 * FleetState is the cluster the server answers from, kept fresh by its source (a file it
 * watches, Prometheus it audits) and by what the Kubernetes extender itself decided: a pod the
 * extender ranked is assumed to run on the node it ranked best, so consecutive scheduling
 * decisions see each other (as kube-scheduler's own cache assumes a pod on its node until the
 * binding is confirmed). A refresh that shows the pod's VM ends its assumption; one that does
 * not yet (Prometheus needs a few scrapes of a new VM) keeps it, for at most `assumeForMs` after
 * it was made, so a pod placed just before a refresh is not forgotten until the one after.
 */
export class FleetState {
  private base?: Cluster;
  private readonly assumed = new Map<string, { vm: Vm; since: number }>();
  private prepared?: PreparedCluster;
  private readonly assumeForMs: number;
  private readonly now: () => number;
  /** When the source last refreshed the cluster (ms since the epoch). */
  refreshedAt?: number;

  constructor(
    private readonly predictor: Predictor,
    initial?: Cluster,
    options: FleetStateOptions = {},
  ) {
    this.assumeForMs = options.assumeForMs ?? DEFAULT_ASSUME_FOR_MS;
    this.now = options.now ?? Date.now;
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
   * refresh replaces the cluster with its source's latest state. It keeps only the assumptions
   * the source does not show yet (no VM of that id), younger than assumeForMs, on a host it still
   * has. The cluster is indexed here, by the source's refresh, rather than by the next request.
   */
  refresh(cluster: Cluster, at: number | undefined): void {
    const now = this.now();
    const ids = new Set(cluster.vms.map((v) => v.id));
    const hosts = new Set(cluster.hosts.map((h) => h.id));
    for (const [id, a] of this.assumed) if (ids.has(id) || !hosts.has(a.vm.host!) || now - a.since >= this.assumeForMs) this.assumed.delete(id);
    this.base = cluster;
    const judged = this.assumed.size === 0 ? cluster : this.withAssumed(cluster);
    if (this.prepared) this.prepared.update(judged);
    else this.prepared = new PreparedCluster(judged, this.predictor);
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
    this.assumed.set(vm.id, { vm: placed, since: this.now() });
    const evicted = this.assumed.size > MAX_ASSUMED;
    if (evicted) this.assumed.delete(this.assumed.keys().next().value!);
    if (!this.base || !this.prepared) return;
    if (evicted || !this.prepared.assume(placed)) this.prepared.update(this.withAssumed(this.base));
  }

  private withAssumed(base: Cluster): Cluster {
    const known = new Set(base.vms.map((v) => v.id));
    const replaced = base.vms.map((v) => this.assumed.get(v.id)?.vm ?? v);
    return { ...base, vms: [...replaced, ...[...this.assumed.values()].map((a) => a.vm).filter((v) => !known.has(v.id))] };
  }
}
