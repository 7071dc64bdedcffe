/** BinDelta and its helpers: one VM's (or vCPU's) contribution to HostMix's sums, and e^-x as its build uses it. */

import { binOf, type CpuPart } from "./cpu-part.js";
import type { SchedulerCore } from "./scheduler-core.js";

/** BinDelta: one VM's (or vCPU's) contribution to the sums. */
export interface BinDelta {
  bin: number;
  cnt: number;
  sp: number;
  spb: number;
  spbr: number;
  spr: number;
  sprl: number;
  spnb: number;
}

export function emptyDelta(): BinDelta {
  return { bin: -1, cnt: 0, sp: 0, spb: 0, spbr: 0, spr: 0, sprl: 0, spnb: 0 };
}

/** binDelta is what `sign` x c adds to the sums (c sleepy) of a host under `core`, written into `out`. */
export function binDelta(c: CpuPart, sign: number, core: SchedulerCore, out: BinDelta): BinDelta {
  const w = sign * c.vcpus * c.duty;
  const block = c.block ?? core.blockShare(c.burstUs);
  out.bin = binOf(c.burstUs);
  out.cnt = sign * c.vcpus;
  out.sp = w;
  out.spb = w * block;
  out.spbr = (w * block) / c.burstUs;
  out.spr = w / c.burstUs;
  out.sprl = c.block === undefined ? w * (1 - block) * core.rateLimitShare(c.burstUs, false) : 0;
  out.spnb = w * (1 - block);
  return out;
}

export function noDelta(d: BinDelta): BinDelta {
  d.bin = -1;
  d.cnt = d.sp = d.spb = d.spbr = d.spr = d.sprl = d.spnb = 0;
  return d;
}

/** expNeg is e^-x, 0 beyond x = 40 (below 1e-17 of the terms it is subtracted from). */
export function expNeg(x: number): number {
  return x > 40 ? 0 : Math.exp(-x);
}
