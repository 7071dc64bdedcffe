import type { Cluster, Vm } from "../../model/cluster.js";
import type { Predictor } from "../../interference/predictor.js";
import { judge, prepare, type PlaceResult, type Prepared, type RankOptions } from "./rank.js";

/** Stand-in id of a cached candidate; judge() puts the requester's id in the answer. */
const STAND_IN = "vmplace:candidate";

/**
 * PreparedCluster answers placement questions about the cluster the server was started with.
 * That cluster never changes, so the indexed problem and placement state for a candidate VM
 * depend only on the VM's shape (size, workload, SLO, labels), not its id: orchestrators place
 * many VMs of few shapes (flavours, pod templates), and a cached preparation turns an O(VMs)
 * rebuild into O(hosts) filtering and scoring. A VM the document knows, or that a constraint
 * names, is judged from a fresh preparation, since its id changes the answer.
 */
export class PreparedCluster {
  private readonly cache = new Map<string, Prepared>();
  private readonly namedIds: ReadonlySet<string>;
  private readonly cacheable: boolean;

  constructor(
    readonly cluster: Cluster,
    private readonly predictor: Predictor,
    /** Shapes kept (least recently used dropped): each costs about a copy of the cluster's index. */
    private readonly capacity = 32,
  ) {
    this.namedIds = new Set([...cluster.vms.map((v) => v.id), ...cluster.constraints.flatMap((c) => c.vms)]);
    this.cacheable = !this.namedIds.has(STAND_IN);
  }

  rank(vm: Vm, options: RankOptions = {}): PlaceResult {
    if (this.namedIds.has(vm.id) || !this.cacheable) return judge(prepare(this.cluster, vm, this.predictor), vm.id, options);
    const { id: _id, host: _host, ...shape } = vm;
    const key = JSON.stringify(shape);
    let prep = this.cache.get(key);
    if (prep) this.cache.delete(key);
    else prep = prepare(this.cluster, { ...vm, id: STAND_IN }, this.predictor);
    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.cache.set(key, prep);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return judge(prep, vm.id, options);
  }
}
