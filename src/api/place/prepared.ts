import type { Cluster, Vm } from "../../model/cluster.js";
import type { Predictor } from "../../interference/predictor.js";
import { CandidateSlot } from "../../placement/candidate-slot.js";
import { defaultProfile, frameworkFor } from "../../placement/profile.js";
import { answerFrom, prepare, type AnswerOptions, type PlaceResult } from "./rank.js";
import { reasonKind } from "./reasons.js";
import { evaluate, scoresDependOnCandidates, type Judged, type Verdict } from "./verdict.js";

/** failureText: the distinct reason kinds rejecting host i, after the extender's name. */
function failureText(prep: Judged, i: number): string {
  const kinds = prep.framework.filter(prep.state, prep.j, i).reasons.map(reasonKind);
  return `vmplace: ${[...new Set(kinds)].join("; ")}`;
}

/** Judgement: one VM judged on the server's cluster, and the preparation to explain it with. */
export interface Judgement {
  readonly verdict: Verdict;
  /** The preparation, with this VM as its candidate again (explain only within the same turn). */
  readonly prep: () => Judged;
  /** Why rejected host i is rejected, without its figures (reasonKind); kept with the verdict. */
  failure(i: number): string;
  /**
   * reuse gives the serialised answer of `verb` for these candidate names: the last one made for
   * this verdict when the names are the same, else `make()`'s, kept for the next call.
   */
  reuse(verb: string, names: readonly string[], make: () => string): string;
}

/** A verb's last serialised answer for a verdict, and the candidate names it answered. */
interface Reply {
  readonly names: readonly string[];
  readonly body: string;
}

const sameNames = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

interface Entry {
  readonly vm: Vm;
  /** A VM the document knows is prepared on its own (its id places it in groups and on a host). */
  readonly own?: Judged;
  readonly verdict: Verdict;
  /** Per host index: failure text, filled as asked for. */
  readonly failures: (string | undefined)[];
  /**
   * Per verb, the last answer. kube-scheduler sends the same candidate nodes call after call, so
   * an extender answer (1,000 node names, reasons for each failed node: ~50 KB) is built and
   * serialised once per verdict instead of per pod (half of /k8s/filter's CPU at 1,000 nodes).
   */
  readonly replies: Map<string, Reply>;
}

/** shapeKey: a VM without its host, as a comparable string. */
function shapeKey(vm: Vm): string {
  return JSON.stringify({ ...vm, host: undefined });
}

/** Known VMs kept prepared: each holds a full copy of the cluster's index. */
const KNOWN_CAPACITY = 4;

/**
 * PreparedCluster answers placement questions about the cluster the server was started with.
 * The cluster is indexed once, with a candidate slot (CandidateSlot) so that judging a new VM
 * costs O(hosts), not the O(VMs) of indexing (300 ms at 10,000 VMs). Verdicts are cached per VM
 * shape (size, workload, SLO, labels; not the id): orchestrators place many VMs of few shapes
 * (flavours, pod templates), and a cached verdict turns a request into cutting an answer from
 * it. A VM the document knows, whose id places it in constraint groups and on a host, is
 * prepared on its own (O(VMs) once; the last few are kept). `update` swaps in a changed cluster
 * and drops every cached verdict.
 */
export class PreparedCluster {
  private current!: Cluster;
  private slot!: CandidateSlot;
  private slotJudged!: Judged;
  private namedIds!: Set<string>;
  private index!: ReadonlyMap<string, number>;
  private readonly verdicts = new Map<string, Entry>();
  private readonly known = new Map<string, Entry>();
  /** VMs added by assume since the last update, by id: their index in the cluster. */
  private readonly assumedAt = new Map<string, number>();

  constructor(
    cluster: Cluster,
    private readonly predictor: Predictor,
    /** Shapes whose verdicts are kept (least recently used dropped): each is a few arrays of hosts. */
    private readonly capacity = 256,
  ) {
    this.update(cluster);
  }

  get cluster(): Cluster {
    return this.current;
  }

  /** hostIndex maps a host id of the cluster to its index in verdicts. */
  get hostIndex(): ReadonlyMap<string, number> {
    return this.index;
  }

  /** update makes `cluster` the one judged from now on (O(VMs)) and forgets every verdict. */
  update(cluster: Cluster): void {
    const framework = frameworkFor(defaultProfile(cluster.policy.objective, { services: cluster.services.length > 0 }));
    // Verdicts score every host once; a scorer that normalised over the hosts asked about would
    // give a subset (the extender's candidate nodes) other scores.
    if (scoresDependOnCandidates(framework)) throw new Error("PreparedCluster: a score plugin normalises over the candidates; cached verdicts would be wrong");
    this.index = new Map(cluster.hosts.map((h, i) => [h.id, i]));
    this.namedIds = new Set([...cluster.vms.map((v) => v.id), ...cluster.constraints.flatMap((c) => c.vms)]);
    this.assumedAt.clear();
    this.use(cluster, new CandidateSlot(cluster, this.predictor), framework);
  }

  /**
   * assume puts `vm` on its host in the cluster judged from now on and forgets every verdict, as
   * update would with the VM appended (or, for a VM it assumed before, replaced), without indexing
   * every VM again: a new VM costs O(VMs) copies and its own profile, a VM assumed before with the
   * same shape a move (an update is 50-250 ms at 10,000 VMs). It returns false, changing nothing,
   * for a VM the document has or a constraint names, or an assumed one whose shape changed: the
   * caller updates with the whole cluster then.
   */
  assume(vm: Vm): boolean {
    const i = vm.host === undefined ? undefined : this.index.get(vm.host);
    if (i === undefined) throw new Error(`PreparedCluster.assume: VM ${vm.id} names no host of the cluster`);
    const k = this.assumedAt.get(vm.id);
    if (k !== undefined) {
      if (shapeKey(this.current.vms[k]) !== shapeKey(vm)) return false;
      // Ranked again onto the same node: nothing changed, and its verdicts stay good.
      if (this.current.vms[k].host === vm.host) return true;
      this.slot.move(k, vm, i);
      this.use({ ...this.current, vms: this.current.vms.map((v, n) => (n === k ? vm : v)) }, this.slot, this.slotJudged.framework);
      return true;
    }
    if (this.namedIds.has(vm.id)) return false;
    this.namedIds.add(vm.id);
    this.assumedAt.set(vm.id, this.slot.j);
    this.use({ ...this.current, vms: [...this.current.vms, vm] }, this.slot.withPlaced(vm, i), this.slotJudged.framework);
    return true;
  }

  private use(cluster: Cluster, slot: CandidateSlot, framework: Judged["framework"]): void {
    this.current = cluster;
    this.slot = slot;
    const { problem, state, j } = slot;
    this.slotJudged = { cluster: slot.cluster, problem, state, j, hostIndex: this.index, framework };
    this.verdicts.clear();
    this.known.clear();
  }

  /** rank answers /v1/place for `vm` on the server's cluster. */
  rank(vm: Vm, options: AnswerOptions = {}): PlaceResult {
    const j = this.judge(vm);
    return answerFrom(j.prep(), j.verdict, vm.id, options);
  }

  /** judge gives the verdict for `vm`, from the cache when a VM of its shape was judged before. */
  judge(vm: Vm): Judgement {
    const isKnown = this.namedIds.has(vm.id);
    const { id: _id, host: _host, ...shape } = vm;
    const key = isKnown ? JSON.stringify([vm.id, shape]) : JSON.stringify(shape);
    const cache = isKnown ? this.known : this.verdicts;
    let entry = cache.get(key);
    if (entry) cache.delete(key);
    else {
      const own = isKnown ? prepare(this.current, vm, this.predictor) : undefined;
      entry = { vm, own, verdict: evaluate(own ?? this.withSlot(vm)), failures: [], replies: new Map() };
    }
    // Map order is insertion order: re-inserting marks the entry most recently used.
    cache.set(key, entry);
    if (cache.size > (isKnown ? KNOWN_CAPACITY : this.capacity)) cache.delete(cache.keys().next().value!);
    const { own, vm: shaped, failures, replies } = entry;
    const prep = (): Judged => own ?? this.withSlot(shaped);
    return {
      verdict: entry.verdict,
      prep,
      failure: (i) => (failures[i] ??= failureText(prep(), i)),
      reuse: (verb, names, make) => {
        const last = replies.get(verb);
        if (last && sameNames(last.names, names)) return last.body;
        const body = make();
        replies.set(verb, { names: [...names], body });
        return body;
      },
    };
  }

  private withSlot(vm: Vm): Judged {
    this.slot.set(vm);
    return this.slotJudged;
  }
}
