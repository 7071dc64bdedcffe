import type { Host } from "../model/cluster.js";
import type { CandidateTable } from "./candidates.js";
import type { CpuPart, MutablePart } from "./core/cpu-part.js";
import { HostMix } from "./core/host-mix.js";
import { DriverState } from "./driver-state.js";
import { newPrediction, Pct, popcount, vmPart, type HostModel, type Prediction, type Predictor, type Victim } from "./predictor.js";
import type { VmProfile } from "./profile.js";
import type { Query } from "./query.js";
import { coreIndex } from "./model-types.js";
import { MAX_SHAPES } from "./cpu-shapes.js";
import { N_NEIGHBOUR_REASONS, neighbourReason } from "./range.js";
import { KEPT } from "./kept-tails.js";
import { doubles, R_EX_LRATE, R_EX_LSP, R_LIGHT, R_OWN_DUTY, R_SLO, R_SLO_BITS, ROW, sloBits, unmetEpoch, writeRow } from "./victim-rows.js";
import { certifiable, Refusal, victimLsp, victimRatio } from "./light-certs.js";

// Judging which SLOs no host kind meets (unmeetable.ts), re-exported where the placer has always found it.

export { Pct };

/** victimTerms precomputes what the hot path needs of a latency-sensitive VM (undefined for others). */
export function victimTerms(p: VmProfile, predictor: Predictor): Victim | undefined {
  return predictor.victim(p);
}

/**
 * Scratch shared by every host (one thread; no call here nests another): a light VM's CPU part
 * being applied or asked about, a victim's prediction, a sweep's result. Per host, each was an
 * object whose doubles are heap numbers of their own, a cold cache line per what-if.
 */
const APPLY_PART: MutablePart = { vcpus: 0, duty: 0, burstUs: 1 };
const EXTRA_PART: MutablePart = { vcpus: 0, duty: 0, burstUs: 1 };
/** A CPU-bound extra read from a candidate table (never given a block share, unlike EXTRA_PART). */
const CPU_EXTRA: MutablePart = { vcpus: 0, duty: 0, burstUs: 1, siblingIo: undefined, ioWakesUs: undefined };
const SCRATCH: Prediction = newPrediction();
const SWEPT: SlackHarm = { slackUs: Infinity, harmUs: 0 };
const ROW_LIGHT: MutablePart = { vcpus: 0, duty: 0, burstUs: 1 };
/**
 * Per newcomer of selfTable (by index): 1 when it failed judging itself the last time it was
 * judged, on any host (judgeQuery then judges it first). Only an order: the answer is the same.
 */
let selfTable: CandidateTable | undefined = undefined;
let selfFailed = new Uint8Array(0);

/**
 * HostState keeps one host's interference aggregates so that adding or removing a VM costs
 * O(its vCPUs + the host's CPU-bound vCPUs) and asking "would every latency-sensitive VM here
 * (and `extra`) stay within its SLO if `extra` joined" costs one tail evaluation per victim with
 * an SLO, allocating nothing. Each victim is judged by its own bound: the neighbours it meets,
 * its own request rate, vCPUs and (for a mixed VM) its own bursts differ from victim to victim.
 */
export class HostState {
  // Declared in the order a what-if reads them: V8 lays fields out in that order, and a cold
  // host's fields then sit on two cache lines, not three. A what-if answered from what the host
  // keeps (its last answer, a shape's) reads no field past askedOk.
  readonly model: HostModel;
  readonly mix: HostMix;
  /** Victims with an SLO (hasSlo) among them. */
  private sloVictims = 0;
  /**
   * The last fitsAt's question and answer, kept until the host changes (add and remove set
   * askedEpoch to -1) or markUnmeetable runs: the placer asks the same io-only VM of the same
   * unchanged host again (100 k of its 710 k io-only what-ifs on generated-large, most right
   * after the first), and io-only VMs have shapes of their own, so the per-shape answers
   * (shapes) never serve them. The table's version covers a row rewritten in place (set).
   */
  private askedJ = -1;
  /** The host's driver domain (undefined without one). */
  private readonly driver: DriverState | undefined;
  /**
   * Per CPU shape (cpu-shapes.ts), what fitsAt found of this host's victims with a candidate of
   * that shape since the host last changed: 0 not asked, 1 they fit, 2 one does not. Valid while
   * shapesEpoch is unmetEpoch(); add and remove set it to -1. Allocated on first use (shapeAnswers).
   */
  private shapes: Uint8Array | undefined;
  private shapesEpoch = -1;
  private askedEpoch = -1;
  private askedTable: CandidateTable | undefined;
  private askedVersion = -1;
  private askedVictim: Victim | undefined;
  private askedOk = false;
  /** Bits of the neighbour reasons present (reasonCount > 0). */
  private reasonBits = 0;
  /** CPU-bound vCPUs that sleep (duty < 1) and that never do. */
  sleepyVcpus = 0;
  hogVcpus = 0;
  private readonly victims: Victim[] = [];
  /** The victim that failed the last fits here (asked first next time). */
  private lastFailed = 0;
  /** unmetEpoch() when the rows' SLO bits were written. */
  private rowsEpoch = unmetEpoch();
  /** The victims' rows (victim-rows.ts), in the order of `victims`: what fits reads of them. */
  private readonly rows = doubles(4 * ROW);
  /**
   * What fitsAt's what-ifs with an io-only VM find of each mixed victim here that the VM does not
   * change (kept-tails.ts: KEPT doubles per victim, in the order of `victims`; allocated on first use),
   * valid while a slot holds keptGen: bumped when a query starts after the host changed or
   * markUnmeetable ran (add and remove set askedEpoch to -1; fitsAt sets it after each query).
   */
  private kept: number[] | undefined;
  private keptGen = 0;
  private readonly coreAt: number;
  vcpus = 0;
  /** Mean CPU demand of the VMs plus what their IO costs the driver domain. */
  demandCpus = 0;
  vms = 0;
  private readonly reasonCount = new Int32Array(N_NEIGHBOUR_REASONS);
  /**
   * Light certificates (light-certs.ts), valid while they hold keptGen and for candidates of the
   * same widen: the last refusal of an io-only candidate (the victim refI failed at its light Σ
   * duty refLsp and lrate / lsp refRatio; -Infinity and Infinity: whatever the light part), and the
   * last two io-only candidates every victim passed with, each with a Σ duty or a Σ duty / hold the
   * other has not (their Σ duty pass*Lsp and Σ duty / hold pass*Lrate; slot 0 the newer).
   * certs: this host has no driver domain and its core is certifiable; overDuty: credit1's OVER
   * victims' least own duty (overWait.fromDuty, Infinity without): they are asked again (the
   * episodes move with the light load, not monotonically).
   */
  private readonly certs: boolean;
  private readonly overDuty: number;
  /** The core reads a mixed candidate's request wakes (credit2's grant-end term), so its shapes keep them apart. */
  private readonly shapeWakes: boolean;
  private refGen = -1;
  private refWiden = -1;
  private refI = 0;
  private refLsp = 0;
  private refRatio = 0;
  private pass0Gen = -1;
  private pass0Widen = -1;
  private pass0Lsp = 0;
  private pass0Lrate = 0;
  private pass1Gen = -1;
  private pass1Widen = -1;
  private pass1Lsp = 0;
  private pass1Lrate = 0;

  constructor(
    readonly host: Host,
    private readonly predictor: Predictor,
  ) {
    this.model = predictor.hostModel(host);
    this.mix = new HostMix(this.model.core, host.cores, this.model.mechanisms);
    this.driver = host.driverDomain ? new DriverState(host.driverDomain, this.mix, predictor) : undefined;
    this.coreAt = coreIndex(this.model.core.name);
    this.certs = this.driver === undefined && certifiable(this.model.core);
    this.overDuty = this.model.core.overWait?.fromDuty ?? Infinity;
    this.shapeWakes = this.model.core.grantMixedWakes === true;
  }

  /** CPU the host's driver domain spends on the VMs' packets (0 without a driver domain). */
  get driverCpus(): number {
    return this.driver?.cpus ?? 0;
  }

  add(p: VmProfile, v: Victim | undefined): void {
    this.shapesEpoch = -1;
    this.askedEpoch = -1;
    this.apply(p, 1);
    if (v) {
      this.victims.push(v);
      const n = this.victims.length;
      while (n * ROW > this.rows.length) this.rows.push(0);
      this.writeRow(n - 1);
      if (this.rowHasSlo(n - 1)) this.sloVictims++;
    }
  }

  /** writeRow writes victim i's row (its own light vCPU resolved under this host's core). */
  private writeRow(i: number): void {
    const v = this.victims[i];
    writeRow(this.rows, i * ROW, v, this.coreAt, v.ownCpu || !v.ownLight ? undefined : this.mix.light(v.ownLight, ROW_LIGHT));
  }

  /** rowHasSlo: victim i has a finite SLO (met or not: hasSlo), read from its row here. */
  private rowHasSlo(i: number): boolean {
    return this.rows[i * ROW + R_SLO] !== Infinity || this.rows[i * ROW + R_SLO + 1] !== Infinity;
  }

  remove(p: VmProfile, v: Victim | undefined): void {
    this.shapesEpoch = -1;
    this.askedEpoch = -1;
    if (v) {
      const i = this.victims.indexOf(v);
      if (i < 0) throw new Error("HostState.remove: VM was not on this host");
      // Read before the last row moves over it: the row's SLOs are the victim's (writeRow), and its
      // Victim's SLO array is one more cold line per move (7% of the moves alone).
      if (this.rowHasSlo(i)) this.sloVictims--;
      const last = this.victims.length - 1;
      this.victims[i] = this.victims[last];
      this.victims.pop();
      // A loop, not copyWithin: on a plain array that is a generic builtin, a µs per remove.
      for (let k = 0; k < ROW; k++) this.rows[i * ROW + k] = this.rows[last * ROW + k];
    }
    this.apply(p, -1);
  }

  private apply(p: VmProfile, sign: 1 | -1): void {
    this.vms += sign;
    this.vcpus += sign * p.vcpus;
    this.demandCpus += sign * p.demandCpus;
    if (this.driver && p.io) {
      this.demandCpus -= this.driver.cpus;
      this.driver.apply(p.io.requestsPerSec, sign);
      this.demandCpus += this.driver.cpus;
    }
    const f = this.predictor.outsideFlags(p);
    if (f !== 0) {
      for (let i = 0; i < N_NEIGHBOUR_REASONS; i++)
        if (f & (1 << i)) {
          this.reasonCount[i] += sign;
          if (this.reasonCount[i] > 0) this.reasonBits |= 1 << i;
          else this.reasonBits &= ~(1 << i);
        }
    }
    const part = this.partOf(p, APPLY_PART);
    if (!part) return;
    if (p.cpu) {
      if (p.cpu.duty >= 1) this.hogVcpus += sign * p.cpu.vcpus;
      else this.sleepyVcpus += sign * p.cpu.vcpus;
    }
    this.mix.apply(part, sign);
  }

  private partOf(p: VmProfile | undefined, out: MutablePart): CpuPart | undefined {
    return vmPart(this.mix, p, out);
  }

  /** widenCount: outside-range reasons of the host and its (plus extra's) neighbours. */
  private widenCount(extra?: VmProfile): number {
    return this.model.outside.length + popcount(this.reasonBits | (extra ? this.predictor.outsideFlags(extra) : 0));
  }

  /** heavyWith: CPU-bound vCPUs here, with extra's. */
  private heavyWith(extra?: VmProfile): number {
    return this.sleepyVcpus + this.hogVcpus + (extra?.cpu?.vcpus ?? 0);
  }

  /** maxVictimVcpus: the most vCPUs of one io-only victim here (for the overload reason). */
  private maxVictimVcpus(): number {
    let m = 0;
    for (const v of this.victims) if (v.ownLight && v.tail.vcpus > m) m = v.tail.vcpus;
    return m;
  }

  /** outsideReasons says why predictions on this host are extrapolated (allocates: reports only). */
  outsideReasons(): string[] {
    const r = this.predictor.model.range;
    const out = [...this.model.outside];
    for (let i = 0; i < N_NEIGHBOUR_REASONS; i++) if (this.reasonCount[i] > 0) out.push(neighbourReason(i, r));
    const heavy = this.sleepyVcpus + this.hogVcpus;
    if (heavy + this.maxVictimVcpus() - this.host.cores > r.maxOverCores)
      out.push(`${heavy} CPU-bound vCPUs plus a victim's own on ${this.host.cores} cores: beyond the calibrated cores + ${r.maxOverCores}`);
    return out;
  }

  /** fits: every latency-sensitive VM here, and `extraVictim`, keeps its bound within its SLOs once `extra` joins. */
  fits(extra?: VmProfile, extraVictim?: Victim): boolean {
    // Counted on add and remove: a host whose victims have no SLO answers without touching them.
    // The newcomer's own SLOs are read only when they can decide: its Victim is one more cold
    // object, and 3 in 4 what-ifs fail on a victim here first.
    if (this.sloVictims === 0 && !(extraVictim !== undefined && sloBits(extraVictim) !== 0)) return true;
    const widen = this.widenCount(extra);
    const q = this.begin(extra);
    let ok = this.victimsFit(widen, q);
    // The newcomer meets everyone here and its own other vCPUs, not its own waking one.
    if (ok && extraVictim !== undefined && sloBits(extraVictim) !== 0) ok = q.withinSlo(extraVictim, widen, true, extraVictim.unmetSlos);
    this.end(extra);
    return ok;
  }

  /**
   * fitsAt is fits(VM j's profile, `extraVictim`, its Victim) with the profile read from the
   * fleet's candidate table: the placer's inner loop, one row of doubles per candidate instead
   * of its profile's objects. The same answer, bit for bit.
   */
  fitsAt(t: CandidateTable, j: number, extraVictim: Victim | undefined): boolean {
    if (this.sloVictims === 0 && (t.selfBits(j, extraVictim) & 3) === 0) return true;
    // A CPU-bound candidate's judgement of the victims here is kept per shape until the host
    // changes (cpu-shapes.ts): the same inputs, so the same answer. With a driver domain its
    // requests count too, and nothing is kept.
    const shape = this.driver === undefined ? t.shape(j, this.shapeWakes) : -1;
    let known = 0;
    if (shape >= 0) {
      known = this.shapeAnswers(shape)[shape];
      if (known === 2) return false;
      if (known === 1 && (t.selfBits(j, extraVictim) & 3) === 0) return true;
    }
    // Only what-ifs that start a query read and keep the last answer: those answered above cost
    // less than keeping it (the bench's warm loop read 0.91x with it kept for every what-if).
    if (j === this.askedJ && this.askedEpoch === unmetEpoch() && t === this.askedTable && t.version === this.askedVersion && extraVictim === this.askedVictim) return this.askedOk;
    const ok = this.judgeQuery(t, j, extraVictim, shape, known);
    this.askedEpoch = unmetEpoch();
    this.askedJ = j;
    this.askedTable = t;
    this.askedVersion = t.version;
    this.askedVictim = extraVictim;
    this.askedOk = ok;
    return ok;
  }

  /** judgeQuery is fitsAt's query: the victims here (unless the shape's answer is known, 1) and the newcomer judging itself. */
  private judgeQuery(t: CandidateTable, j: number, extraVictim: Victim | undefined, shape: number, known: number): boolean {
    const rate = t.rate(j);
    const widen = this.model.outside.length + popcount(this.reasonBits | t.flags(j));
    const part = t.part(j, this.mix, CPU_EXTRA, EXTRA_PART);
    if (this.askedEpoch !== unmetEpoch()) this.keptGen++;
    // An io-only candidate's light sums, as lightComponentLess adds them (the same products).
    const lsp = part !== undefined && part.block !== undefined ? part.vcpus * part.duty : 0;
    const lrate = lsp > 0 ? lsp / part!.burstUs : 0;
    const light = this.certs && lsp > 0 && lrate > 0;
    if (light && this.refGen === this.keptGen && widen === this.refWiden && this.refuses(lsp, lrate)) return false;
    const q = this.beginWith(rate, part, this.sleepyVcpus + this.hogVcpus + t.heavy(j));
    let ok: boolean;
    // A newcomer without a CPU shape that failed judging itself the last time it was judged, on
    // any host (the placer asks one VM of host after host, and the same VMs again in later
    // rounds), judges itself first: the answer is the same in
    // either order (every test reads the query's components as begin left them, rewriting the
    // light part it reads), and the victims here are asked only if it passes.
    const selfFirst = shape < 0 && t === selfTable && selfFailed[j] === 1;
    if (selfFirst) {
      const self = t.selfBits(j, extraVictim);
      ok = (self & 3) === 0 || this.selfFits(q, t, j, widen, self);
      if (ok) ok = this.hostVictimsFit(q, widen, light, lsp, lrate);
    } else {
      ok = known === 1 || this.hostVictimsFit(q, widen, light, lsp, lrate);
      if (shape >= 0 && known === 0) this.shapes![shape] = ok ? 1 : 2;
      // The newcomer judging itself, from its row in the table (not its Victim's objects).
      const self = ok ? t.selfBits(j, extraVictim) : 0;
      if ((self & 3) !== 0) ok = this.selfFits(q, t, j, widen, self);
    }
    this.driver?.end(rate);
    return ok;
  }

  /** hostVictimsFit: victimsFit on the query `q`, or what the light certificates say of it for an io-only candidate (`light`, its light sums `lsp`, `lrate`). */
  private hostVictimsFit(q: Query, widen: number, light: boolean, lsp: number, lrate: number): boolean {
    const keep = this.driver === undefined && q.keeps();
    if (light && this.passes(widen, lsp, lrate)) return this.victimsFit(widen, q, keep, true);
    const ok = this.victimsFit(widen, q, keep);
    if (light) this.certify(ok, q, widen, lsp, lrate);
    return ok;
  }

  /** passes: a pass certificate covers an io-only candidate of light sums `lsp`, `lrate` (every victim but the OVER ones passes). */
  private passes(widen: number, lsp: number, lrate: number): boolean {
    const gen = this.keptGen;
    return (this.pass0Gen === gen && widen === this.pass0Widen && this.covers(lsp, lrate, this.pass0Lsp, this.pass0Lrate)) || (this.pass1Gen === gen && widen === this.pass1Widen && this.covers(lsp, lrate, this.pass1Lsp, this.pass1Lrate));
  }

  /**
   * covers: every victim here but the OVER ones meets at most the light Σ duty and at least the
   * lrate / lsp with a candidate of light sums `lsp`, `lrate` as with one of `refLsp`, `refLrate`
   * (each as buildLight forms it, from the same host sums: the values the queries read).
   */
  private covers(lsp: number, lrate: number, refLsp: number, refLrate: number): boolean {
    const rows = this.rows;
    const hostLsp = this.mix.lightLoad();
    const hostLrate = this.mix.lightWakesUs();
    for (let i = 0; i < this.victims.length; i++) {
      const o = i * ROW;
      if (rows[o + R_SLO_BITS] === 0 || (rows[o + R_LIGHT] === 0 && rows[o + R_OWN_DUTY] >= this.overDuty)) continue;
      const v = victimLsp(hostLsp, lsp, rows[o + R_EX_LSP]);
      const ref = victimLsp(hostLsp, refLsp, rows[o + R_EX_LSP]);
      if (!(v <= ref && victimRatio(hostLrate, lrate, rows[o + R_EX_LRATE], v) >= victimRatio(hostLrate, refLrate, rows[o + R_EX_LRATE], ref))) return false;
    }
    return true;
  }

  /** selfFits: the newcomer (VM j of `t`, SLO bits `self`) judging itself on the query `q`; remembers it when it fails. */
  private selfFits(q: Query, t: CandidateTable, j: number, widen: number, self: number): boolean {
    const ok = q.withinSloSelfRow(t.victims, t.victimAt(j), widen, ~self & 3, self >> 2);
    if (t !== selfTable || selfFailed.length < t.length) {
      selfTable = t;
      selfFailed = new Uint8Array(t.length);
    }
    selfFailed[j] = ok ? 0 : 1;
    return ok;
  }

  /** refuses: the last refusal's victim fails again with an io-only candidate of light sums `lsp`, `lrate` (light-certs.ts). */
  private refuses(lsp: number, lrate: number): boolean {
    if (this.refLsp === -Infinity) return true;
    const o = this.refI * ROW;
    const vLsp = victimLsp(this.mix.lightLoad(), lsp, this.rows[o + R_EX_LSP]);
    return vLsp >= this.refLsp && victimRatio(this.mix.lightWakesUs(), lrate, this.rows[o + R_EX_LRATE], vLsp) <= this.refRatio;
  }

  /** certify keeps what the query `q` of an io-only candidate found of the victims here (`ok`: they all passed), if it certifies anything. */
  private certify(ok: boolean, q: Query, widen: number, lsp: number, lrate: number): void {
    if (ok) {
      if (q.certBad) return;
      // The newer slot moves to the older unless this pass covers what it did (more Σ duty, less Σ duty / hold).
      if (!(this.pass0Gen === this.keptGen && this.pass0Widen === widen && this.covers(this.pass0Lsp, this.pass0Lrate, lsp, lrate))) {
        this.pass1Gen = this.pass0Gen;
        this.pass1Widen = this.pass0Widen;
        this.pass1Lsp = this.pass0Lsp;
        this.pass1Lrate = this.pass0Lrate;
      }
      this.pass0Gen = this.keptGen;
      this.pass0Widen = widen;
      this.pass0Lsp = lsp;
      this.pass0Lrate = lrate;
      return;
    }
    const kind = q.refusal;
    if (kind === Refusal.None) return;
    this.refGen = this.keptGen;
    this.refWiden = widen;
    this.refI = this.lastFailed;
    if (kind === Refusal.Independent) {
      this.refLsp = -Infinity;
      this.refRatio = Infinity;
      return;
    }
    const o = this.lastFailed * ROW;
    this.refLsp = victimLsp(this.mix.lightLoad(), lsp, this.rows[o + R_EX_LSP]);
    this.refRatio = victimRatio(this.mix.lightWakesUs(), lrate, this.rows[o + R_EX_LRATE], this.refLsp);
  }

  /**
   * shapeAnswers: `shapes`, long enough for `shape` (a fleet's count of shapes, in steps of 64:
   * cleared after each change of the host, so no longer than it needs), cleared when the host
   * changed or markUnmeetable ran since they were found. Growing drops what was kept.
   */
  private shapeAnswers(shape: number): Uint8Array {
    const epoch = unmetEpoch();
    let a = this.shapes;
    if (a === undefined || shape >= a.length) {
      a = this.shapes = new Uint8Array(Math.min(MAX_SHAPES, (shape + 64) & ~63));
      this.shapesEpoch = epoch;
    } else if (this.shapesEpoch !== epoch) {
      a.fill(0);
      this.shapesEpoch = epoch;
    }
    return a;
  }

  /** victimsFit: every latency-sensitive VM here keeps its bound within its SLOs on the query `q` (begun with the extra VM). */
  private victimsFit(widen: number, q: Query, keep = false, overOnly = false): boolean {
    let ok = true;
    // Most what-ifs on a busy fleet fail, mostly on the victim that failed the last one here: it is
    // asked first (the answer is the same in any order; 3 in 4 what-ifs fail on generated-large).
    const n = this.victims.length;
    const first = this.lastFailed < n ? this.lastFailed : 0;
    if (this.rowsEpoch !== unmetEpoch()) {
      for (let i = 0; i < n; i++) this.writeRow(i);
      this.rowsEpoch = unmetEpoch();
    }
    // Each victim is read from its row (one array per host, not its objects); a mixed one's own
    // components also need its exclusion table, on its object.
    const rows = this.rows;
    const kept = keep ? this.keptSlots(n) : undefined;
    for (let k = 0; ok && k < n; k++) {
      const i = first + k < n ? first + k : first + k - n;
      // Bits 1-2: the SLOs checked; shifted by 2: those of them judged by the estimate (writeRow).
      const bits = rows[i * ROW + R_SLO_BITS];
      if (bits === 0) continue;
      // An OVER victim (a mixed one whose own vCPU never sleeps, credit1) is asked again under a
      // pass certificate (overOnly: the others are not), and what its test found does not count
      // against one (q.certBad as before it).
      const over = rows[i * ROW + R_LIGHT] === 0 && rows[i * ROW + R_OWN_DUTY] >= this.overDuty;
      if (overOnly && !over) continue;
      const bad = q.certBad;
      const exclusion = rows[i * ROW + R_LIGHT] === 1 ? undefined : this.victims[i].exclusion;
      ok = kept !== undefined && exclusion !== undefined ? q.withinSloKept(rows, i * ROW, widen, ~bits & 3, bits >> 2, exclusion, kept, i * KEPT, this.keptGen) : q.withinSloRow(rows, i * ROW, widen, ~bits & 3, bits >> 2, exclusion);
      if (over) q.certBad = bad;
      if (!ok) this.lastFailed = i;
    }
    return ok;
  }

  /** keptSlots: `kept`, with a slot for each of `n` victims (new ones hold no generation). */
  private keptSlots(n: number): number[] {
    const k = (this.kept ??= doubles(0));
    while (k.length < n * KEPT) k.push(-1);
    return k;
  }

  /**
   * worstSlackUs is the smallest SLO margin (SLO minus bound, either percentile) among this host's
   * latency-sensitive VMs and `extraVictim`, with `extra` added: negative means the bound breaches.
   * Infinity when nobody has an SLO (unmeetable SLOs do not count, as in fits). Solves each
   * victim's quantile: for ranking, not the hot filter.
   */
  worstSlackUs(extra?: VmProfile, extraVictim?: Victim): number {
    return this.sweep(extra, extraVictim, undefined).slackUs;
  }

  /**
   * slackAndHarm gives worstSlackUs(extra, extraVictim) and harmUs(P999, extra) from one pass over
   * the victims: a ranking asks for both per host, and each victim's p99.9 quantile then is solved
   * once instead of twice (the read-only result is overwritten by the next call, on any host).
   */
  slackAndHarm(extra?: VmProfile, extraVictim?: Victim): Readonly<SlackHarm> {
    return this.sweep(extra, extraVictim, Pct.P999);
  }

  /**
   * sweep predicts each victim here (and extraVictim, judging itself) with `extra` added, solving
   * only the percentiles read: those of a finite, meetable SLO for the slack, and harmPct (undefined:
   * none) for the harm, the largest estimate over the alone one among the host's own victims.
   */
  private sweep(extra: VmProfile | undefined, extraVictim: Victim | undefined, harmPct: Pct | undefined): SlackHarm {
    const widen = this.widenCount(extra);
    const q = this.begin(extra);
    let worst = Infinity;
    let harm = 0;
    const harmBits = harmPct === undefined ? 0 : 1 << harmPct;
    const visit = (v: Victim, self: boolean, harmed: boolean): void => {
      const slackBits = sloBits(v);
      const pcts = slackBits | (harmed ? harmBits : 0);
      if (pcts === 0) return;
      const pr = q.predict(v, widen, SCRATCH, self, pcts);
      for (let pct = 0; pct < 2; pct++)
        if ((slackBits & (1 << pct)) !== 0) worst = Math.min(worst, v.sloUs[pct] - ((v.estimateSlos & (1 << pct)) !== 0 ? pr.estimateUs[pct] : pr.boundUs[pct]));
      if (harmed && harmPct !== undefined) harm = Math.max(harm, pr.estimateUs[harmPct] - (harmPct === Pct.P999 ? v.tail.base999Us : v.tail.base99Us));
    };
    for (const v of this.victims) visit(v, false, true);
    if (extraVictim) visit(extraVictim, true, false);
    this.end(extra);
    SWEPT.slackUs = worst;
    SWEPT.harmUs = harm;
    return SWEPT;
  }

  /** predictVictim: one victim's estimate and bound with `extra` added (`self`: v is extra's, not on the host). */
  predictVictim(v: Victim, out: Prediction, extra?: VmProfile, self = false): Prediction {
    const pr = this.begin(extra).predict(v, this.widenCount(extra), out, self);
    this.end(extra);
    return pr;
  }

  /** driverHopUs: the driver domain's hop estimate in every request's latency, with `extra` added (0 without one). */
  driverHopUs(pct: Pct, extra?: VmProfile): number {
    const rate = extra?.io?.requestsPerSec ?? 0;
    const dv = this.driver?.begin(rate);
    const hop = dv ? this.predictor.query.begin(this.model, this.mix, this.partOf(extra, EXTRA_PART), this.heavyWith(extra)).predict(dv, 0, SCRATCH).estimateUs[pct] : 0;
    this.driver?.end(rate);
    return hop;
  }

  /**
   * begin starts the shared query with `extra` added: the driver domain (if any) as it would be,
   * and its hop added to every guest's prediction. Pair with end(extra).
   */
  private begin(extra: VmProfile | undefined): Query {
    return this.beginWith(extra?.io?.requestsPerSec ?? 0, this.partOf(extra, EXTRA_PART), this.heavyWith(extra));
  }

  /** beginWith is begin for an extra VM given by its requests per second, CPU part and the host's CPU-bound vCPUs with its. */
  private beginWith(rate: number, part: CpuPart | undefined, heavy: number): Query {
    const dv = this.driver?.begin(rate);
    const q = this.predictor.query.begin(this.model, this.mix, part, heavy);
    if (dv) {
      const hop = q.predict(dv, 0, SCRATCH);
      q.setHop(hop.estimateUs[0], hop.estimateUs[1]);
    }
    return q;
  }

  private end(extra: VmProfile | undefined): void {
    this.driver?.end(extra?.io?.requestsPerSec ?? 0);
  }

  /**
   * harmUs is the host's interference harm: the largest predicted p99.9 (or p99) delay over the
   * alone latency among its latency-sensitive VMs with `extra` added (0 without victims). Repairs
   * rank evictions by how much they lower it.
   */
  harmUs(pct: Pct = Pct.P999, extra?: VmProfile): number {
    const widen = this.widenCount(extra);
    const q = this.begin(extra);
    let h = 0;
    for (const v of this.victims) {
      const pr = q.predict(v, widen, SCRATCH, false, 1 << pct);
      const alone = pct === Pct.P999 ? v.tail.base999Us : v.tail.base99Us;
      h = Math.max(h, pr.estimateUs[pct] - alone);
    }
    this.end(extra);
    return h;
  }

  /** victimDelayUs: a victim's predicted percentile over its alone one, with `extra` added. */
  victimDelayUs(v: Victim, pct: Pct, extra?: VmProfile): number {
    const pr = this.predictVictim(v, SCRATCH, extra);
    return Math.max(0, pr.estimateUs[pct] - (pct === Pct.P999 ? v.tail.base999Us : v.tail.base99Us));
  }

  /** victimCount is the number of latency-sensitive VMs on the host. */
  get victimCount(): number {
    return this.victims.length;
  }
}

/** SlackHarm: a host's smallest SLO slack and its interference harm, µs (slackAndHarm). */
export interface SlackHarm {
  slackUs: number;
  harmUs: number;
}
