import { HostMix } from "../interference/core/host-mix.js";
import type { CpuPart, LightPart } from "../interference/core/cpu-part.js";
import { DriverState } from "../interference/driver-state.js";
import { newPrediction, type Predictor, type Victim } from "../interference/predictor.js";
import type { VmProfile } from "../interference/profile.js";
import type { HostType, PlacementProblem } from "./problem.js";

/**
 * The interference rule linearised. The predictor's bound is a non-linear function of a host's
 * whole composition; the MILP can only count. So each latency-sensitive VM gets, per host type,
 * a cap: the most CPU-bound vCPUs (its own included) a host of that type may carry while its
 * bound stays within its SLO, whatever those vCPUs are, taken over the worst cases the
 * instance's CPU-bound VMs span: every vCPU at the lowest, middle or highest duty and burst
 * present, as sleepers, as hogs, or half and half.
 *
 * The rest of the host's vCPU capacity is filled with the instance's busiest io vCPUs (light
 * runners), and every outside-range reason the instance's VMs or the type's overcommit can bring
 * widens the bound. Conservatism is by construction of those worst cases, not a proof: the bound
 * is monotone in each neighbour's duty but not in burst or in the sleeper/hog split, and a host of
 * mixed neighbours can be worse than any homogeneous one in rare corners. The heuristics and every
 * repair use the exact filter (HostState.fits), and LNS keeps a re-solve only if each host in its
 * scope passes that filter too; a plain MILP plan is validated by simulation like any other.
 *
 * On a type with a driver domain, the driver carries the victim's requests and the light vCPUs',
 * as HostState sees it (driver-state.ts): its vCPUs join the mix and its hop is added to the
 * victim's estimate.
 */

/** CpuBox is the range of duty and burst of the instance's CPU-bound VMs. */
export interface CpuBox {
  dutyMin: number;
  dutyMax: number;
  burstMinUs: number;
  burstMaxUs: number;
}

/** cpuBox spans the duty and burst of every sleepy CPU-bound VM of the problem (undefined: none). */
export function cpuBox(p: PlacementProblem): CpuBox | undefined {
  let box: CpuBox | undefined;
  for (const pr of p.profiles) {
    if (!pr.cpu || pr.cpu.duty >= 1) continue;
    box ??= { dutyMin: pr.cpu.duty, dutyMax: pr.cpu.duty, burstMinUs: pr.cpu.burstUs, burstMaxUs: pr.cpu.burstUs };
    box.dutyMin = Math.min(box.dutyMin, pr.cpu.duty);
    box.dutyMax = Math.max(box.dutyMax, pr.cpu.duty);
    box.burstMinUs = Math.min(box.burstMinUs, pr.cpu.burstUs);
    box.burstMaxUs = Math.max(box.burstMaxUs, pr.cpu.burstUs);
  }
  return box;
}

const HOG_SHARES = [0, 0.5, 1] as const;

/**
 * interferenceCap: the largest k such that the victim keeps its bound within its SLOs beside any
 * worst-case composition of k CPU-bound vCPUs (its own included) on a host of type t; -1 when even
 * an empty host breaches an SLO it meets alone. `neighbourReasons` counts the outside-range
 * reasons any CPU-bound VM of the instance brings (each widens the bound, and any of them may
 * share the host). Cost:
 * O(families x vcpuCap x CPU-bound vCPUs), once per (VM, type).
 */
export function interferenceCap(predictor: Predictor, type: HostType, box: CpuBox | undefined, prof: VmProfile, v: Victim, neighbourReasons = 0, light?: LightPart, otherVictimVcpus = 0): number {
  const hm = predictor.hostModel(type);
  const own = prof.cpu?.vcpus ?? 0;
  const range = predictor.model.range;
  // Reasons that widen the bound at k CPU-bound vCPUs: the instance's neighbours' (once there is
  // one), and overload (k and the victim's own vCPUs past the calibrated range).
  const widenAt = (k: number): number => hm.outside.length + (k > own ? neighbourReasons : 0) + (k + (prof.cpu ? 0 : prof.vcpus) - type.cores > range.maxOverCores ? 1 : 0);
  // Light vCPUs fill what the CPU-bound ones and the victim leave of the type's vCPU capacity.
  const lightRoom = (k: number): number => Math.min(otherVictimVcpus, Math.max(0, type.vcpuCap - prof.vcpus - (k - own)));
  const withLight = (mix: HostMix, k: number): HostMix => {
    if (light) mix.apply(mix.light({ ...light, vcpus: lightRoom(k) }, { vcpus: 0, duty: 0, burstUs: 1 }), 1);
    return mix;
  };
  // SLOs it cannot meet alone on any kind of host constrain nothing (markUnmeetable).
  const skip = v.unmetSlos;
  const hop = newPrediction();
  // The driver's load at k: the victim's requests and the light vCPUs' (the room left for them).
  const driverRate = (k: number): number => (prof.io?.requestsPerSec ?? 0) + (light ? lightRoom(k) * light.requestsPerSecPerVcpu : 0);
  const start = (): { mix: HostMix; driver: DriverState | undefined } => {
    const mix = withLight(new HostMix(hm.core, type.cores, hm.mechanisms), own);
    if (prof.cpu) mix.apply(prof.cpu, 1);
    const driver = type.driverDomain ? new DriverState(type.driverDomain, mix, predictor) : undefined;
    driver?.apply(driverRate(own), 1);
    return { mix, driver };
  };
  const within = (mix: HostMix, driver: DriverState | undefined, k: number): boolean => {
    const dv = driver?.begin(0);
    const q = predictor.query.begin(hm, mix, undefined);
    if (dv) {
      q.predict(dv, 0, hop);
      q.setHop(hop.estimateUs[0], hop.estimateUs[1]);
    }
    return q.withinSlo(v, widenAt(k), false, skip);
  };
  const empty = start();
  if (!within(empty.mix, empty.driver, own)) return -1;
  if (!box) return type.vcpuCap;
  let cap = type.vcpuCap;
  const duties = [...new Set([box.dutyMin, (box.dutyMin + box.dutyMax) / 2, box.dutyMax])];
  const bursts = [...new Set([box.burstMinUs, Math.sqrt(box.burstMinUs * box.burstMaxUs), box.burstMaxUs])];
  for (const duty of duties)
    for (const burstUs of bursts)
      for (const hogShare of HOG_SHARES) {
        const { mix, driver } = start();
        const sleeper: CpuPart = { vcpus: 1, duty, burstUs };
        const hog: CpuPart = { vcpus: 1, duty: 1, burstUs };
        for (let k = own + 1; k <= cap; k++) {
          const hogs = Math.round((k - own) * hogShare) - Math.round((k - own - 1) * hogShare);
          mix.apply(hogs > 0 ? hog : sleeper, 1);
          if (light && lightRoom(k) < lightRoom(k - 1)) {
            mix.apply(mix.light({ ...light, vcpus: 1 }, { vcpus: 0, duty: 0, burstUs: 1 }), -1);
            driver?.apply(light.requestsPerSecPerVcpu, -1);
          }
          if (!within(mix, driver, k)) {
            cap = k - 1;
            break;
          }
        }
      }
  return cap;
}

/**
 * bobtailSleeperCap: under forbidBobtail, a xen-credit host holding a latency-sensitive VM may
 * carry at most cores − 1 sleepy CPU-bound vCPUs besides that VM (bobtailRule: sleepers + the
 * victim's vCPU must not outnumber the cores). Undefined for other schedulers (no cliff).
 */
export function bobtailSleeperCap(type: HostType): number | undefined {
  return type.scheduler.kind === "xen-credit" ? type.cores - 1 : undefined;
}

/** EnvelopeCache computes each (VM, type) cap on first use; VMs with the same terms share it. */
export class EnvelopeCache {
  private readonly box: CpuBox | undefined;
  private readonly byKey = new Map<string, number>();
  private readonly neighbourReasons: number;
  /** The busiest io-only vCPU of the instance, as a light runner (undefined: none). */
  private readonly light: LightPart | undefined;
  /** vCPUs of every io-only latency-sensitive VM: the most another victim's could add to a host. */
  private readonly victimVcpus: number;

  constructor(private readonly p: PlacementProblem) {
    this.box = cpuBox(p);
    let light: LightPart | undefined;
    for (const pr of p.profiles) {
      if (pr.cpu || !pr.io) continue;
      const rps = pr.io.requestsPerSec / pr.vcpus;
      if (!light || rps * pr.io.serviceUs > light.requestsPerSecPerVcpu * light.serviceUs) light = { vcpus: 1, requestsPerSecPerVcpu: rps, serviceUs: pr.io.serviceUs };
    }
    this.light = light;
    this.victimVcpus = p.profiles.reduce((s, pr) => s + (pr.io && !pr.cpu ? pr.vcpus : 0), 0);
    let bits = 0;
    for (const pr of p.profiles) if (pr.cpu || pr.capPercent > 0) bits |= p.predictor.outsideFlags(pr);
    let n = 0;
    for (; bits !== 0; bits &= bits - 1) n++;
    this.neighbourReasons = n;
  }

  /** cap of VM j on hosts of type t (see interferenceCap); vcpuCap for VMs without an SLO. */
  cap(j: number, t: number): number {
    const v = this.p.victims[j];
    const prof = this.p.profiles[j];
    if (!v || (v.sloUs[0] === Infinity && v.sloUs[1] === Infinity)) return this.p.types[t].vcpuCap;
    const key = `${t}|${prof.vcpus}|${prof.io?.requestsPerSec}|${prof.io?.serviceUs}|${v.sloUs[0]}|${v.sloUs[1]}|${prof.cpu?.vcpus}|${prof.cpu?.duty}|${prof.cpu?.burstUs}`;
    let c = this.byKey.get(key);
    if (c === undefined) {
      c = interferenceCap(this.p.predictor, this.p.types[t], this.box, prof, v, this.neighbourReasons, this.light, this.victimVcpus - (prof.cpu ? 0 : prof.vcpus));
      this.byKey.set(key, c);
    }
    return c;
  }
}
