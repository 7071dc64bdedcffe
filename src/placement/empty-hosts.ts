import type { PlacementProblem } from "./problem.js";

/**
 * EmptyHosts answers "the lowest-index empty host of type t" in amortised O(1), for the moves
 * that open a host. Scanning the hosts in opening order for the first empty one of each type was
 * O(hosts) per opened host: at 33,000 hosts it was 44% of the search (`openHost`, profiled).
 *
 * Per type, a bitset over its hosts (ascending index, as HostType.hosts) with a low-water mark:
 * no empty host of the type sits before `low[t]`. Marking a host empty can only lower the mark;
 * `first` scans forward from it a word (32 hosts) at a time and moves it up. A host used and
 * released again by a rejected move (the journal's rollback) costs O(1) each way.
 */
export class EmptyHosts {
  private readonly bits: Uint32Array[];
  /** posInType[i]: host i's position in its type's host list. */
  private readonly posInType: Int32Array;
  private readonly low: Int32Array;
  private readonly counts: Int32Array;

  constructor(private readonly p: PlacementProblem) {
    this.posInType = new Int32Array(p.nHosts);
    this.bits = p.types.map((t) => {
      const words = new Uint32Array(Math.ceil(t.hosts.length / 32));
      t.hosts.forEach((i, k) => {
        this.posInType[i] = k;
        words[k >>> 5] |= 1 << (k & 31);
      });
      return words;
    });
    this.low = new Int32Array(p.types.length);
    this.counts = Int32Array.from(p.types, (t) => t.hosts.length);
  }

  /** mark records that host i became empty (true) or used (false). */
  mark(i: number, empty: boolean): void {
    const t = this.p.hostTypeOf[i];
    const k = this.posInType[i];
    const w = this.bits[t];
    const bit = 1 << (k & 31);
    if (empty === ((w[k >>> 5] & bit) !== 0)) return;
    if (empty) {
      w[k >>> 5] |= bit;
      this.counts[t]++;
      if (k < this.low[t]) this.low[t] = k;
    } else {
      w[k >>> 5] &= ~bit;
      this.counts[t]--;
    }
  }

  /** count: empty hosts of type t. */
  count(t: number): number {
    return this.counts[t];
  }

  /** first: the lowest-index empty host of type t, or -1 when every host of it is used. */
  first(t: number): number {
    if (this.counts[t] === 0) return -1;
    const w = this.bits[t];
    let k = this.low[t];
    let word = k >>> 5;
    // Bits below the mark in its word are used hosts: mask them off.
    let x = w[word] & (~0 << (k & 31));
    while (x === 0) x = w[++word];
    k = (word << 5) + (31 - Math.clz32(x & -x));
    this.low[t] = k;
    return this.p.types[t].hosts[k];
  }
}
