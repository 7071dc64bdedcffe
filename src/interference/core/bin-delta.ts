/** BinDelta and its helpers: one VM's (or vCPU's) contribution to HostMix's sums, and e^-x as its build uses it. */

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
  /** spb x the runner's weight (SchedulerCore.runnerWeights; spb where it is absent). */
  spbw: number;
  /** Sleepy CPU-bound VMs (parts) added: sign x 1 (HostMix's SVMS). */
  vms: number;
  /** spr x e^(-window / sleep): the blocks that leave a CPU idle past its halt-poll window (SchedulerCore.pollPulls; spr where it is absent). */
  sprp: number;
}

export function emptyDelta(): BinDelta {
  return { bin: -1, cnt: 0, sp: 0, spb: 0, spbr: 0, spr: 0, sprl: 0, spnb: 0, spbw: 0, vms: 0, sprp: 0 };
}

export function noDelta(d: BinDelta): BinDelta {
  d.bin = -1;
  d.cnt = d.sp = d.spb = d.spbr = d.spr = d.sprl = d.spnb = d.spbw = d.vms = d.sprp = 0;
  return d;
}

/** expNeg is e^-x, 0 beyond x = 40 (below 1e-17 of the terms it is subtracted from). */
export function expNeg(x: number): number {
  return x > 40 ? 0 : Math.exp(-x);
}
