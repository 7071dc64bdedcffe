import { z } from "zod";

/**
 * A host's power model: watts drawn at 0%, 10%, ..., 100% CPU utilisation, the 11 load levels a
 * SPECpower_ssj2008 result publishes, linearly interpolated in between. Utilisation is the mean
 * CPU demand of the host's VMs over its cores. Demand beyond the cores is charged at the curve's
 * top slope (see wattsAt). A host that carries no VM is off and draws `standbyWatts` (0 by
 * default: powered off; set it for hosts kept in standby, e.g. DPM with Wake-on-LAN).
 */
export const PowerSchema = z
  .strictObject({
    /** Watts at 0% and 100% utilisation; the curve between is a straight line. */
    idleWatts: z.number().min(0).optional(),
    peakWatts: z.number().positive().optional(),
    /** Watts at 0%, 10%, ..., 100% utilisation (11 points, as SPECpower publishes). */
    curveWatts: z.array(z.number().min(0)).length(11, "give 11 points: watts at 0%, 10%, ..., 100% utilisation").optional(),
    standbyWatts: z.number().min(0).default(0),
  })
  .refine((p) => p.curveWatts === undefined || (p.idleWatts === undefined && p.peakWatts === undefined), "give curveWatts or idleWatts/peakWatts, not both")
  .refine((p) => p.idleWatts === undefined || p.peakWatts !== undefined, { message: "idleWatts needs peakWatts", path: ["peakWatts"] })
  .refine((p) => p.idleWatts === undefined || p.peakWatts === undefined || p.idleWatts <= p.peakWatts, { message: "idleWatts must not exceed peakWatts", path: ["idleWatts"] })
  .refine((p) => p.curveWatts === undefined || p.curveWatts.every((w, k) => k === 0 || w >= p.curveWatts![k - 1]), {
    message: "curveWatts must not decrease with utilisation",
    path: ["curveWatts"],
  });
export type Power = z.infer<typeof PowerSchema>;

/**
 * DEFAULT_CURVE_SHAPE: watts at each load level over peak watts, from the SPECpower_ssj2008
 * result of an IBM System x3550 M3 (2 x Xeon X5670, 12 cores): 66, 107, 120, 131, 143, 156, 173,
 * 191, 211, 229, 247 W (spec.org/power_ssj2008/results/res2010q2/power_ssj2008-20100315-00239.html;
 * the curve CloudSim's power models use, Beloglazov and Buyya, CCPE 24(13), 2012). Idle is 27% of
 * peak and the curve is concave, like most published results: the first 10% of load costs most.
 */
export const DEFAULT_CURVE_SHAPE: readonly number[] = [66, 107, 120, 131, 143, 156, 173, 191, 211, 229, 247].map((w) => w / 247);

/**
 * defaultPeakWatts: the peak a host type is assumed to draw when its document gives no power
 * model: 100 W for the platform (fans, memory, disks, NICs) plus 12 W per core. It gives 244 W for
 * the 12-core x3550 whose curve is the default shape, about 290 W for 16 cores and 870 W for 64.
 * An estimate: give each host type its own `power` (its SPECpower result) for real figures.
 */
export function defaultPeakWatts(cores: number): number {
  return 100 + 12 * cores;
}

/** LOAD_LEVELS: the utilisation points of a curve (0, 0.1, ..., 1). */
export const LOAD_LEVELS = 11;

/** powerCurve resolves a host's model into 11 watts figures (the default shape when none is given). */
export function powerCurve(power: Power | undefined, cores: number): number[] {
  if (power?.curveWatts) return [...power.curveWatts];
  const peak = power?.peakWatts ?? defaultPeakWatts(cores);
  if (power?.idleWatts !== undefined) {
    const idle = power.idleWatts;
    return Array.from({ length: LOAD_LEVELS }, (_, k) => idle + ((peak - idle) * k) / (LOAD_LEVELS - 1));
  }
  return DEFAULT_CURVE_SHAPE.map((s) => s * peak);
}

/**
 * wattsAt interpolates a curve at utilisation u. Above 1 (VMs that want more CPU than the host
 * has) it goes on at the top segment's slope: a saturated host draws its peak, but the work it
 * cannot do now is still to be done, at that marginal cost, so the figure is the energy rate of
 * the demanded work. Capping it at the peak would make piling CPU-bound VMs onto a saturated
 * host look free, which min-energy would then do (and the VMs would run slower).
 */
export function wattsAt(curve: ArrayLike<number>, u: number, offset = 0): number {
  const top = offset + LOAD_LEVELS - 1;
  if (u > 1) return curve[top] + (u - 1) * (LOAD_LEVELS - 1) * (curve[top] - curve[top - 1]);
  const x = Math.max(0, u) * (LOAD_LEVELS - 1);
  const k = Math.min(LOAD_LEVELS - 2, Math.floor(x));
  const t = x - k;
  return curve[offset + k] * (1 - t) + curve[offset + k + 1] * t;
}

/** Hours in an average month (8,760 / 12): kWh per month = watts × this / 1,000. */
export const HOURS_PER_MONTH = 730;

/**
 * DEFAULT_GRID_KG_CO2_PER_KWH: the world average carbon intensity of electricity generation,
 * 475 g CO2 per kWh in 2018 (IEA, Global Energy & CO2 Status Report 2019). Set policy
 * gridKgCo2PerKWh to the grid the hosts draw from (0.05 for a hydro grid, 0.8 for coal).
 */
export const DEFAULT_GRID_KG_CO2_PER_KWH = 0.475;

/** kWhPerMonth: a steady draw in watts, as kWh over an average month. */
export function kWhPerMonth(watts: number): number {
  return (watts * HOURS_PER_MONTH) / 1000;
}
