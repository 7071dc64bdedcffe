/**
 * Credit2 caps (credit2.c, "Utilization cap"): a capped domain gets a budget of cap% of one pCPU
 * per period in a domain-wide pool. A vCPU about to run grabs a quota from the pool (its share,
 * at least MIN_TIMER); one that finds the pool empty is parked until budget comes back, either
 * returned by a sibling that stops running or refilled at the period's end.
 */
export class DomainBudget {
  poolUs: number;
  readonly quotaUs: number;
  /** Parked vCPUs, in the order they were parked. */
  readonly parked: number[] = [];

  constructor(
    readonly totalUs: number,
    nVcpus: number,
    minTimerUs: number,
  ) {
    this.poolUs = totalUs;
    this.quotaUs = Math.max(totalUs / nVcpus, minTimerUs);
  }

  /**
   * grab is unit_grab_budget for a vCPU holding `heldUs` (<= 0: it overran): the overrun is paid
   * from the pool first; returns the new budget, 0 when the vCPU must park.
   */
  grab(heldUs: number): number {
    this.poolUs += heldUs;
    if (this.poolUs <= 0) return 0;
    const got = Math.min(this.quotaUs, this.poolUs);
    this.poolUs -= got;
    return got;
  }

  /** giveBack is unit_return_budget; true when parked vCPUs may now try again. */
  giveBack(heldUs: number): boolean {
    this.poolUs += heldUs;
    return this.poolUs > 0;
  }

  /** replenish is replenish_domain_budget: add a period's budget, never above one period's. */
  replenish(): boolean {
    this.poolUs += this.totalUs;
    if (this.poolUs <= 0) return false;
    if (this.poolUs > this.totalUs) this.poolUs = this.totalUs;
    return true;
  }

  /** takeParked empties the parked list and returns who was on it. */
  takeParked(): number[] {
    return this.parked.splice(0, this.parked.length);
  }
}
