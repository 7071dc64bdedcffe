import { Tails, type FullState } from "./tails.js";

export type { FullState } from "./tails.js";

/**
 * Occupancy is the distribution of N, the number of a host's CPU-bound vCPUs that want a core at a
 * random instant: each such vCPU is runnable with its own duty cycle, so N is a Poisson-binomial
 * over every neighbour's duty and vCPU count (not a mean duty times a count: two 0.5-duty VMs and
 * a 0.1 + a 0.9 one fill a core equally often on average but not at the tail). Hogs (duty 1) are a
 * plain shift. Adding a VM convolves with Binomial(vcpus, duty). Removing rebuilds from the list
 * of the VMs left (O(vCPUs^2), about a µs for 40): deconvolving drifted by up to 1e-7 over 10^5
 * add/remove cycles, and a placer runs far more on one host.
 *
 * The rebuild waits for the next read (`stale`): a placer's search takes several VMs off a host
 * before it asks the host anything, or takes one off and puts others on. Meanwhile an add only
 * appends its part, and the rebuild convolves every part in list order, which is what the eager
 * rebuild and the adds after it did one step at a time: the same operations in the same order,
 * so the same bits.
 */
export class Occupancy {
  private readonly tails = new Tails();
  /** The pmf lags `parts` (a removal since it was built): rebuilt by fresh() before any read. */
  private stale = false;
  hogs = 0;
  /** Bumped on every change: caches derived from this occupancy compare it. */
  version = 0;
  /**
   * The sleepy VMs counted: (vcpus, duty) pairs in parts[0..partsLen), so a removal can rebuild
   * exactly. The length is kept apart: shortening a plain array is a generic builtin call (2% of
   * the placer's moves), so the array only grows.
   */
  private parts: number[] = [];
  private partsLen = 0;

  /** apply puts `vcpus` vCPUs of duty `duty` in (sign 1) or takes them out (sign -1). */
  apply(vcpus: number, duty: number, sign: 1 | -1): void {
    if (vcpus <= 0) return;
    this.version++;
    if (duty >= 1) {
      this.hogs += sign * vcpus;
      return;
    }
    const parts = this.parts;
    const len = this.partsLen;
    if (sign > 0) {
      if (len < parts.length) {
        parts[len] = vcpus;
        parts[len + 1] = duty;
      } else parts.push(vcpus, duty);
      this.partsLen = len + 2;
      if (!this.stale) for (let k = 0; k < vcpus; k++) this.convolve(duty);
      return;
    }
    let at = -1;
    for (let i = len - 2; i >= 0; i -= 2)
      if (parts[i] === vcpus && parts[i + 1] === duty) {
        at = i;
        break;
      }
    if (at < 0) throw new Error("Occupancy: removing a vCPU that was never added");
    parts[at] = parts[len - 2];
    parts[at + 1] = parts[len - 1];
    this.partsLen = len - 2;
    this.stale = true;
  }

  /** fresh: the distribution of the parts counted now (rebuilt if a removal left it stale). */
  private fresh(): Tails {
    if (this.stale) {
      this.stale = false;
      this.rebuild();
    }
    return this.tails;
  }

  private rebuild(): void {
    const t = this.tails;
    t.n = 0;
    t.pmf.fill(0);
    t.pmf[0] = 1;
    t.dirty = true;
    const parts = this.parts;
    for (let i = 0; i < this.partsLen; i += 2) for (let k = 0; k < parts[i]; k++) this.convolve(parts[i + 1]);
  }

  private convolve(p: number): void {
    const t = this.tails;
    const n = t.n + 1;
    t.ensure(n);
    const f = t.pmf;
    f[n] = 0;
    for (let i = n; i > 0; i--) f[i] = f[i] * (1 - p) + f[i - 1] * p;
    f[0] *= 1 - p;
    t.n = n;
    t.dirty = true;
  }

  /**
   * The sleepy mixed VMs of several vCPUs among the parts, (vcpus, duty, io load) triples in
   * sibs[0..sibsLen) (HostMix.apply, credit1's siblingIo), and the pmf with each one's binomial
   * replaced by its busy count siblingPmf (`sibTails`, valid while sibStamp is the version).
   */
  private sibs: number[] = [];
  private sibsLen = 0;
  private readonly sibTails = new Tails();
  private sibStamp = -1;
  /**
   * Each recorded mixed VM's siblingPmf (slot i / 3 of sibs), filled by siblingTails when
   * `sibWOk` is 0: a VM's weights do not change while it stays, and the tails are rebuilt after
   * every move on the host.
   */
  private sibW: Float64Array[] = [];
  private sibWOk: number[] = [];
  /**
   * The parts and mixed VMs sibTails was built of: the pmf is a function of the parts list alone
   * (fresh: the same convolutions in list order), so with both lists as they were the tails are
   * the same bits. The placer's search often takes a VM off a host and puts it back as the last
   * part, where it was.
   */
  private builtParts: number[] = [];
  private builtPartsLen = -1;
  private builtSibs: number[] = [];
  private builtSibsLen = -1;

  /** applySibling records (sign 1) or forgets (-1) a part apply() counted as a multi-vCPU mixed VM with io load `io` (cores). */
  applySibling(vcpus: number, duty: number, io: number, sign: 1 | -1): void {
    this.version++;
    const sibs = this.sibs;
    const len = this.sibsLen;
    if (sign > 0) {
      sibs[len] = vcpus;
      sibs[len + 1] = duty;
      sibs[len + 2] = io;
      this.sibWOk[len / 3] = 0;
      this.sibsLen = len + 3;
      return;
    }
    for (let i = len - 3; i >= 0; i -= 3)
      if (sibs[i] === vcpus && sibs[i + 1] === duty && sibs[i + 2] === io) {
        sibs[i] = sibs[len - 3];
        sibs[i + 1] = sibs[len - 2];
        sibs[i + 2] = sibs[len - 1];
        // The last VM's weights move with it (the slot's array is swapped, not copied).
        const a = i / 3;
        const b = len / 3 - 1;
        const w = this.sibW;
        if (a !== b && b < w.length) {
          const t = w[a];
          w[a] = w[b];
          w[b] = t;
          this.sibWOk[a] = this.sibWOk[b];
        } else this.sibWOk[a] = 0;
        this.sibsLen = len - 3;
        return;
      }
    throw new Error("Occupancy: forgetting a mixed VM that was never recorded");
  }

  /** hasSiblings: some part is a multi-vCPU mixed VM (applySibling). */
  get hasSiblings(): boolean {
    return this.sibsLen > 0;
  }

  /**
   * atLeastSiblings is atLeast with every recorded mixed VM's vCPUs counted by its busy count
   * (siblingPmf) instead of as independent vCPUs of its duty: its io sits on the siblings its
   * bursts leave idle, so all of its vCPUs are busy together more often than duty^vcpus. The
   * extra VM too, when it is one (`extraIo` > 0, its load in cores).
   */
  atLeastSiblings(cores: number, extraVcpus: number, extraDuty: number, extraHogs: number, extraIo: number): number {
    const tails = this.sibsLen === 0 ? this.fresh() : this.siblingTails();
    if (extraIo > 0 && extraVcpus > 1) return tails.atLeastWeights(cores, this.hogs + extraHogs, extraPmf(extraVcpus, extraDuty, extraIo), extraVcpus);
    return tails.atLeast(cores, this.hogs + extraHogs, extraVcpus, extraDuty);
  }

  /** siblingTails: the pmf with every recorded mixed VM counted by siblingPmf (cached per version). */
  private siblingTails(): Tails {
    if (this.sibStamp !== this.version) {
      this.sibStamp = this.version;
      if (this.sameAsBuilt()) return this.sibTails;
      let src = this.fresh();
      let hop = 0;
      const sibs = this.sibs;
      for (let i = 0; i < this.sibsLen; i += 3)
        for (let k = 0; k < sibs[i]; k++) {
          const dst = HOPS[hop];
          dst.deconvolveFrom(src, sibs[i + 1]);
          src = dst;
          hop = 1 - hop;
        }
      for (let i = 0; i < this.sibsLen; i += 3) {
        const dst = i + 3 >= this.sibsLen ? this.sibTails : HOPS[hop];
        dst.convolveFrom(src, this.weightsOf(i / 3), sibs[i]);
        src = dst;
        hop = 1 - hop;
      }
      this.keepBuilt();
    }
    return this.sibTails;
  }

  /** weightsOf: recorded mixed VM `slot`'s siblingPmf (kept while it stays). */
  private weightsOf(slot: number): Float64Array {
    const sibs = this.sibs;
    const n = sibs[3 * slot];
    if (slot >= this.sibW.length) this.sibW.push(new Float64Array(n + 1));
    if (this.sibWOk[slot] !== 1) {
      const w = siblingPmf(n, sibs[3 * slot + 1], sibs[3 * slot + 2]);
      if (this.sibW[slot].length < n + 1) this.sibW[slot] = new Float64Array(n + 1);
      this.sibW[slot].set(w.subarray(0, n + 1));
      this.sibWOk[slot] = 1;
    }
    return this.sibW[slot];
  }

  /** sameAsBuilt: the parts and mixed VMs are the lists sibTails was built of. */
  private sameAsBuilt(): boolean {
    if (this.partsLen !== this.builtPartsLen || this.sibsLen !== this.builtSibsLen) return false;
    const a = this.parts;
    const b = this.builtParts;
    for (let i = 0; i < this.partsLen; i++) if (a[i] !== b[i]) return false;
    const c = this.sibs;
    const d = this.builtSibs;
    for (let i = 0; i < this.sibsLen; i++) if (c[i] !== d[i]) return false;
    return true;
  }

  /** keepBuilt records the lists sibTails was just built of. */
  private keepBuilt(): void {
    const a = this.parts;
    const b = this.builtParts;
    for (let i = 0; i < this.partsLen; i++) b[i] = a[i];
    this.builtPartsLen = this.partsLen;
    const c = this.sibs;
    const d = this.builtSibs;
    for (let i = 0; i < this.sibsLen; i++) d[i] = c[i];
    this.builtSibsLen = this.sibsLen;
  }

  /** at is P(sleepy runnable = i) (for tests and explanations). */
  at(i: number): number {
    const t = this.fresh();
    return i >= 0 && i <= t.n ? t.pmf[i] : 0;
  }

  /** sleepyVcpus is the number of duty < 1 vCPUs counted. */
  get sleepyVcpus(): number {
    return this.fresh().n;
  }

  /**
   * full writes into `out` the chance that N (sleepers + hogs + `extraHogs` + the extra sleepy
   * vCPUs) reaches `cores`, and E[N | N >= cores]; the extra sleepy vCPUs are `extraVcpus` of duty
   * `extraDuty` < 1 (0 vCPUs for none; hogs go in extraHogs). O(extraVcpus).
   */
  full(cores: number, extraVcpus: number, extraDuty: number, extraHogs: number, out: FullState, near?: FullState): void {
    this.fresh().full(cores, this.hogs + extraHogs, extraVcpus, extraDuty, out, near);
  }

  /** atLeast is full()'s out.pFull alone (the same bits). */
  atLeast(cores: number, extraVcpus: number, extraDuty: number, extraHogs: number): number {
    return this.fresh().atLeast(cores, this.hogs + extraHogs, extraVcpus, extraDuty);
  }

  /**
   * fullWithout is full() with one sleepy vCPU of duty `p` taken out first (it must be counted),
   * read from `cache`: a table kept per excluded vCPU and rebuilt only when the occupancy changed
   * since (a mixed victim asks on every what-if, its host rarely changes in between).
   */
  fullWithout(p: number, cores: number, extraVcpus: number, extraDuty: number, extraHogs: number, out: FullState, cache: ExclusionCache, near?: FullState): void {
    if (cache.version !== this.version || cache.owner !== this || cache.duty !== p) {
      cache.tails.deconvolveFrom(this.fresh(), p);
      cache.version = this.version;
      cache.owner = this;
      cache.duty = p;
    }
    cache.tails.full(cores, this.hogs + extraHogs, extraVcpus, extraDuty, out, near);
  }

  /**
   * atLeastWithoutVm is atLeast with `vcpus` sleepy vCPUs of duty `p` taken out (a mixed victim's
   * whole VM: Mechanisms.credit1IdleSibling), read from `cache` once fullWithout filled it for p
   * (one vCPU out): the other vcpus - 1 are taken out of that, and kept with it.
   */
  atLeastWithoutVm(p: number, vcpus: number, cores: number, extraVcpus: number, extraDuty: number, extraHogs: number, cache: ExclusionCache): number {
    if (cache.restStamp !== cache.version || cache.restOwner !== this || cache.restVcpus !== vcpus || cache.restDuty !== p) {
      let src = cache.tails;
      for (let k = 1; k < vcpus; k++) {
        const dst = k === vcpus - 1 ? cache.rest : HOPS[k % 2];
        dst.deconvolveFrom(src, p);
        src = dst;
      }
      cache.restStamp = cache.version;
      cache.restOwner = this;
      cache.restVcpus = vcpus;
      cache.restDuty = p;
    }
    return (vcpus > 1 ? cache.rest : cache.tails).atLeast(cores, this.hogs + extraHogs, extraVcpus, extraDuty);
  }
}

/** ExclusionCache: one excluded vCPU's distribution, valid for one occupancy version. */
export class ExclusionCache {
  readonly tails = new Tails();
  version = -1;
  owner: Occupancy | null = null;
  duty = -1;
  /** `tails` with `restVcpus` vCPUs of the duty out in all (atLeastWithoutVm), valid while restStamp is the tails' version. */
  readonly rest = new Tails();
  restVcpus = 0;
  restStamp = -1;
  restOwner: Occupancy | null = null;
  restDuty = -1;
}

/** Scratch of atLeastWithoutVm's and atLeastSiblings' deconvolutions (one thread, no query calls another). */
const HOPS = [new Tails(), new Tails()];

/** siblingPmf's result (one thread; read before the next call). */
let SIB_W = new Float64Array(64);

/** The extra VM's siblingPmf as last asked (extraPmf): a what-if asks it once per victim of the host. */
const EXTRA_W = new Float64Array(64);
let extraN = -1;
let extraDuty = NaN;
let extraIo = NaN;

/** extraPmf is siblingPmf(n, duty, io) kept for the next call with the same arguments (the same bits). */
function extraPmf(n: number, duty: number, io: number): Float64Array {
  if (n === extraN && Object.is(duty, extraDuty) && Object.is(io, extraIo)) return EXTRA_W;
  if (n + 1 > EXTRA_W.length) return siblingPmf(n, duty, io);
  EXTRA_W.set(siblingPmf(n, duty, io).subarray(0, n + 1));
  extraN = n;
  extraDuty = duty;
  extraIo = io;
  return EXTRA_W;
}

/**
 * siblingPmf: P(M = m), m = 0..n, the busy vCPUs of a mixed VM of n vCPUs whose runnable share
 * `duty` holds its requests' load `io` (cores) beside its bursts: the bursts busy K ~ Binomial(n,
 * duty - io / n), and the requests in service J ~ Poisson(io) (M/G/inf) each sit on a vCPU the
 * bursts leave idle (sim/workloads/io.ts chooseVcpu), those past n - K queue on busy ones: M = K +
 * min(J, n - K). Same mean as n vCPUs of `duty` to within the queued part; a heavier top.
 */
export function siblingPmf(n: number, duty: number, io: number): Float64Array {
  if (SIB_W.length < n + 1) SIB_W = new Float64Array(2 * (n + 1));
  const w = SIB_W;
  w.fill(0, 0, n + 1);
  const d = Math.max(0, duty - io / n);
  const e = Math.exp(-io);
  for (let k = 0; k <= n; k++) {
    let pk = 1;
    for (let i = 0; i < k; i++) pk = (pk * (n - i)) / (i + 1);
    pk *= d ** k * (1 - d) ** (n - k);
    let pj = e;
    let below = 0;
    for (let j = 0; j < n - k; j++) {
      w[k + j] += pk * pj;
      below += pj;
      pj = (pj * io) / (j + 1);
    }
    w[n] += pk * Math.max(0, 1 - below);
  }
  return w;
}
