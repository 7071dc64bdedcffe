import type { Host } from "../model/cluster.js";
import type { CpuPart, MutablePart } from "./core/cpu-part.js";
import type { HostMix } from "./core/host-mix.js";
import { ALL_MECHANISMS, CORE_NAMES, coreFor, type Mechanisms } from "./core/scheduler-core.js";
import { victimTail } from "./core/victim.js";
import { ExclusionCache } from "./core/occupancy.js";
import { features, N_FEATURES, victimPart } from "./correction.js";
import { InterferenceModelSchema, MODEL_VERSION, type InterferenceModel } from "./model-data.js";
import { coreIndex, type HostModel, type Prediction, type Victim } from "./model-types.js";
import { Query } from "./query.js";
import { victimRow } from "./victim-rows.js";
import { hostOutside, neighbourFlags, victimOutside } from "./range.js";
import type { VmProfile } from "./profile.js";
import { quantileUs } from "./core/tail.js";

export { newPrediction, Pct, QUIET_P_FULL, WIDEN_PER_REASON } from "./model-types.js";
export type { HostModel, Prediction, Victim } from "./model-types.js";

/** HostKind: what a host's model depends on. */
export type HostKind = Pick<Host, "scheduler" | "cores" | "driverDomain">;

/** CoreTerms: the uncorrected core's view of one victim (what the correction is fitted on). */
export interface CoreTerms {
  coreUs: [number, number];
  aloneUs: [number, number];
  z: Float64Array;
  pFull: number;
}

/**
 * Predictor turns a host's composition into each latency-sensitive VM's request p99 and p99.9:
 * the scheduler's mechanistic core (occupancy, block and wait, tail; core/), a learned correction
 * of its delay (correction.ts) and a split-conformal bound (model-data.ts), all from one versioned
 * model file that `vmplace calibrate` writes.
 */
export class Predictor {
  /** The query in progress: one per predictor, reused (single-threaded, allocation-free). */
  readonly query = new Query();
  private readonly z = new Float64Array(N_FEATURES);

  constructor(
    readonly model: InterferenceModel,
    readonly mechanisms: Mechanisms = ALL_MECHANISMS,
  ) {
    for (const name of CORE_NAMES) {
      const m = model.cores[name];
      if (m.p999.weights.length !== N_FEATURES || m.p99.weights.length !== N_FEATURES)
        throw new Error(`interference model: ${name} correction has ${m.p999.weights.length} weights, expected ${N_FEATURES}`);
    }
  }

  /** fromJson validates an untrusted model (e.g. a file) before use. */
  static fromJson(value: unknown): Predictor {
    const v = (value as { version?: unknown } | null)?.version;
    if (v !== MODEL_VERSION) throw new Error(`interference model version ${String(v)} is not supported (expected ${MODEL_VERSION})`);
    return new Predictor(InterferenceModelSchema.parse(value));
  }

  private readonly kinds = new Map<string, HostModel>();

  /** hostModel resolves a host's core and fitted data (one per kind of host: scheduler, cores, driver domain). */
  hostModel(host: HostKind): HostModel {
    const key = `${host.cores} ${JSON.stringify(host.scheduler)} ${JSON.stringify(host.driverDomain ?? null)}`;
    let hm = this.kinds.get(key);
    if (!hm) {
      hm = this.resolve(host);
      this.kinds.set(key, hm);
    }
    return hm;
  }

  private resolve(host: HostKind): HostModel {
    const core = coreFor(host.scheduler, host.cores, this.mechanisms);
    const fitted = this.model.cores[core.name];
    const c99 = fitted.conformal99;
    const c999 = fitted.conformal999;
    const margins = Float64Array.from([c99.quiet, c99.contended, c999.quiet, c999.contended], Math.exp);
    const offsets = Float64Array.from([c99.offsetUs, c999.offsetUs]);
    return { core, mechanisms: this.mechanisms, fitted, margins, offsets, maxOverCores: this.model.range.maxOverCores, cores: host.cores, outside: [...core.approximations, ...hostOutside(host, this.model.range)] };
  }

  /**
   * outsideFlags: which neighbour reasons (range.ts) a VM brings. Computed each time, not cached
   * per profile: a few compares on fields the what-if reads anyway cost less than a WeakMap
   * lookup, a cold hash-table line on every what-if with a fresh candidate.
   */
  outsideFlags(p: VmProfile): number {
    return neighbourFlags(p, this.model.range);
  }

  /** victim precomputes a latency-sensitive VM's terms (undefined for VMs without an io part). */
  victim(p: VmProfile): Victim | undefined {
    if (!p.io) return undefined;
    const cpu = p.mixed && p.cpu ? { duty: p.cpu.duty, burstUs: p.cpu.burstUs } : undefined;
    const full = victimTail({ vcpus: p.vcpus, requestsPerSec: p.io.requestsPerSec, serviceUs: p.io.serviceUs, cpu }, this.model.baseline);
    const tail = this.mechanisms.victimLoad ? full : { ...full, lambdaUs: 0 };
    const corr = new Float64Array(2 * CORE_NAMES.length);
    for (const name of CORE_NAMES) {
      const m = this.model.cores[name];
      corr[coreIndex(name)] = victimPart(m.p99.weights, tail, p.mixed);
      corr[coreIndex(name) + 1] = victimPart(m.p999.weights, tail, p.mixed);
    }
    const ownCpu = p.cpu ? { vcpus: 1, duty: p.cpu.duty, burstUs: p.cpu.burstUs } : undefined;
    const ownLight = p.cpu ? undefined : { vcpus: 1, requestsPerSecPerVcpu: p.io.requestsPerSec / p.vcpus, serviceUs: p.io.serviceUs };
    const sloUs: [number, number] = [p.sloP99Us ?? Infinity, p.sloP999Us ?? Infinity];
    const outside = victimOutside(p, this.model.range);
    const row = victimRow({ tail, corr, ownCpu, ownLight, sloUs, outside });
    return {
      tail,
      corr,
      lightCache: { core: null, part: { vcpus: 0, duty: 0, burstUs: 1 } },
      exclusion: new ExclusionCache(),
      mixed: p.mixed,
      ownCpu,
      ownLight,
      sloUs,
      outside,
      unmetSlos: 0,
      estimateSlos: 0,
      row,
    };
  }

  /** predict: one victim's estimate and bound on `mix` with `extra` added (see Query.predict). */
  predict(hm: HostModel, mix: HostMix, v: Victim, extra: CpuPart | undefined, widen: number, out: Prediction, self = false, heavyVcpus = -1): Prediction {
    return this.query.begin(hm, mix, extra, heavyVcpus).predict(v, widen, out, self);
  }

  /** withinSlo: one victim's bound within its SLOs on `mix` with `extra` added (see Query.withinSlo). */
  withinSlo(hm: HostModel, mix: HostMix, v: Victim, extra: CpuPart | undefined, widen: number, self = false, heavyVcpus = -1, skip = 0): boolean {
    return this.query.begin(hm, mix, extra, heavyVcpus).withinSlo(v, widen, self, skip);
  }

  /** coreTerms: the core's quantiles, the alone quantiles and the correction inputs (allocates: fitting and reports). */
  coreTerms(hm: HostModel, mix: HostMix, v: Victim, extra?: CpuPart, self = false): CoreTerms {
    const c = this.query.begin(hm, mix, extra).components(v, self);
    return {
      coreUs: [quantileUs(c, v.tail, 0.01), quantileUs(c, v.tail, 0.001)],
      aloneUs: [v.tail.base99Us, v.tail.base999Us],
      z: Float64Array.from(features(c, v.tail, hm.cores, v.mixed, this.z)),
      pFull: c.pFull,
    };
  }
}

/** vmPart: how a VM occupies cores on `mix`'s host: its CPU part, or its requests as a light runner. */
export function vmPart(mix: HostMix, p: VmProfile | undefined, out: MutablePart): CpuPart | undefined {
  if (!p) return undefined;
  if (p.cpu) return p.cpu;
  if (!p.io) return undefined;
  return lightPartOf(mix, p.vcpus, p.io.requestsPerSec / p.vcpus, p.io.serviceUs, out);
}

/** lightPartOf: an io-only VM's requests as a light runner on `mix`'s host (into `out`). */
export function lightPartOf(mix: HostMix, vcpus: number, requestsPerSecPerVcpu: number, serviceUs: number, out: MutablePart): CpuPart {
  LIGHT_IN.vcpus = vcpus;
  LIGHT_IN.requestsPerSecPerVcpu = requestsPerSecPerVcpu;
  LIGHT_IN.serviceUs = serviceUs;
  return mix.light(LIGHT_IN, out);
}

/** vmPart's input to the core's lightPart (read, not kept): an object per io-only what-if was 1-3% of fits in GC. */
const LIGHT_IN = { vcpus: 0, requestsPerSecPerVcpu: 0, serviceUs: 0 };

export function popcount(bits: number): number {
  let n = 0;
  for (; bits !== 0; bits &= bits - 1) n++;
  return n;
}
