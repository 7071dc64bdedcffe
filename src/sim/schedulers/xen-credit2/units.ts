import type { VcpuInfo } from "../../cpu-scheduler.js";
import { LoadAverage } from "./run-queue.js";

/**
 * Credit2Units holds the per-vCPU state of credit2 (csched2_unit) as parallel arrays. Credit is in
 * microseconds of weighted time, kept as a float: Xen's nanosecond integers with a residual carry
 * the same value to within a nanosecond.
 */
export class Credit2Units {
  readonly credit: Float64Array;
  readonly weight: Int32Array;
  readonly vmOf: Int32Array;
  /** The pCPU the vCPU last ran on or was placed on (sched_unit_master). */
  readonly processor: Int32Array;
  /** The run queue it is assigned to. */
  readonly rq: Int32Array;
  /** When it was last put on a pCPU (state_entry_time): the rate limit measures from here. */
  readonly runStartUs: Float64Array;
  /** Up to when its run time has been burnt (start_time). */
  readonly burnFromUs: Float64Array;
  readonly queued: Uint8Array;
  readonly parked: Uint8Array;
  /** Budget held from its domain's pool; Infinity when uncapped. */
  readonly budgetUs: Float64Array;
  /**
   * scratch is one index past the last vCPU in credit, burnFromUs and budgetUs: a burn that must
   * not happen can write there instead of branching around its writes (tickle's scan).
   */
  readonly scratch: number;
  /** Its runnable fraction averaged over the load window (the balancer's unit of load). */
  readonly avgLoad: LoadAverage[];

  constructor(
    vcpus: readonly VcpuInfo[],
    /** CSCHED2_CREDIT_INIT, also the floor's magnitude (CSCHED2_CREDIT_MIN = -CREDIT_INIT). */
    private readonly creditInitUs: number,
  ) {
    const n = vcpus.length;
    this.scratch = n;
    // One slot more in the arrays a burn writes: the scratch vCPU (see scratch).
    this.credit = new Float64Array(n + 1).fill(creditInitUs);
    this.weight = Int32Array.from(vcpus, (c) => c.vm.weight);
    this.vmOf = Int32Array.from(vcpus, (c) => c.vmIndex);
    this.processor = new Int32Array(n);
    this.rq = new Int32Array(n);
    this.runStartUs = new Float64Array(n);
    this.burnFromUs = new Float64Array(n + 1);
    this.queued = new Uint8Array(n);
    this.parked = new Uint8Array(n);
    this.budgetUs = new Float64Array(n + 1).fill(Infinity);
    // A new unit starts at half load (csched2_alloc_udata).
    this.avgLoad = Array.from({ length: n }, () => new LoadAverage(0.5));
  }

  /**
   * burn is burn_credits: time run since the last burn costs max_weight / weight credit per us
   * (the heaviest vCPU of the queue burns 1:1), floored at CREDIT_MIN; a capped vCPU also spends
   * the same time from its budget.
   */
  burn(v: number, nowUs: number, maxWeight: number): void {
    const dt = nowUs - this.burnFromUs[v];
    if (dt <= 0) return;
    this.burnFromUs[v] = nowUs;
    const c = this.credit[v] - (dt * maxWeight) / this.weight[v];
    this.credit[v] = c < -this.creditInitUs ? -this.creditInitUs : c;
    if (this.budgetUs[v] !== Infinity) this.budgetUs[v] -= dt;
  }
}
