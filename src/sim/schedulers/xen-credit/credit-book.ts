import type { XenCreditParams } from "../../../model/scheduler.js";
import type { VcpuInfo } from "../../cpu-scheduler.js";
import { PRI_OVER, PRI_UNDER } from "./constants.js";

/** CSCHED_DEFAULT_WEIGHT, for domains without vCPUs on this host (never active anyway). */
const DEFAULT_WEIGHT = 256;

/** CreditBookConfig: what the credit arithmetic needs to know about the host and its domains. */
export interface CreditBookConfig {
  readonly nCpus: number;
  /** 10 x tslice_ms: what one pCPU hands out per accounting period. */
  readonly creditsPerTslice: number;
  /** vcpu: each active vCPU adds its domain's weight (Xen >= 4.1); domain: one weight per domain. */
  readonly weightPer: "vcpu" | "domain";
  /** What a vCPU that goes inactive keeps: half its credit (Xen >= 4.1) or nothing. */
  readonly inactiveCredit: "halve" | "zero";
  /** Domain (VM) index of each vCPU. */
  readonly vcpuDomain: readonly number[];
  readonly domainWeight: readonly number[];
  /** Cap in percent of one pCPU; 0 = uncapped. */
  readonly domainCapPercent: readonly number[];
}

/**
 * CreditBook holds credit1's accounting state (csched_acct and the active lists) apart from the
 * run queues, so the arithmetic can be tested against hand calculations. Priorities live here
 * because accounting sets them; BOOST is granted and removed by the policy.
 */
export class CreditBook {
  readonly credit: Int32Array;
  readonly pri: Int8Array;
  /** On the active list: earning credit and counted in the weight total. */
  readonly active: Uint8Array;
  readonly parked: Uint8Array;
  /** Sum of the weights of active vCPUs (or of active domains in "domain" mode). */
  weightTotal = 0;
  /** Sum of active vCPUs' credit after the last accounting; a negative balance is paid back. */
  creditBalance = 0;
  /** vCPUs parked / unparked by the last account() call, for the policy to act on. */
  readonly parkedNow: Int32Array;
  parkedNowCount = 0;
  readonly unparkedNow: Int32Array;
  unparkedNowCount = 0;

  private readonly activeCount: Int32Array;
  /** Active domains in csched's list order: it decides who receives surplus credit. */
  private readonly order: Int32Array;
  private orderLength = 0;
  private readonly scratch: Int32Array;
  private readonly domainVcpus: number[][];
  /** Scratch results of computePeak (no object per domain per period). */
  private peak = 0;
  private parkBelow = 0;

  constructor(private readonly cfg: CreditBookConfig) {
    const n = cfg.vcpuDomain.length;
    const nDom = cfg.domainWeight.length;
    this.credit = new Int32Array(n);
    this.pri = new Int8Array(n).fill(PRI_UNDER);
    this.active = new Uint8Array(n);
    this.parked = new Uint8Array(n);
    this.parkedNow = new Int32Array(n);
    this.unparkedNow = new Int32Array(n);
    this.activeCount = new Int32Array(nDom);
    this.order = new Int32Array(nDom);
    this.scratch = new Int32Array(nDom);
    this.domainVcpus = Array.from({ length: nDom }, () => [] as number[]);
    cfg.vcpuDomain.forEach((d, v) => this.domainVcpus[d].push(v));
  }

  /** activeDomains lists the active domains in accounting order (for tests and debugging). */
  activeDomains(): number[] {
    return Array.from(this.order.subarray(0, this.orderLength));
  }

  /** activate puts v on the active list, as a tick that catches an inactive vCPU running does. */
  activate(v: number): void {
    if (this.active[v]) return;
    const d = this.cfg.vcpuDomain[v];
    this.active[v] = 1;
    this.activeCount[d]++;
    if (this.cfg.weightPer === "vcpu" || this.activeCount[d] === 1) {
      this.weightTotal += this.cfg.domainWeight[d];
    }
    // A newly active domain goes to the head of the list (list_add), ahead of older ones.
    if (this.activeCount[d] === 1) this.moveToHead(d, false);
  }

  private deactivate(v: number): void {
    const d = this.cfg.vcpuDomain[v];
    this.active[v] = 0;
    this.activeCount[d]--;
    if (this.cfg.weightPer === "vcpu" || this.activeCount[d] === 0) {
      this.weightTotal -= this.cfg.domainWeight[d];
    }
    if (this.activeCount[d] === 0) this.removeFromOrder(d);
  }

  /** effectiveWeight is the domain's part of weightTotal. */
  private effectiveWeight(d: number): number {
    const w = this.cfg.domainWeight[d];
    return this.cfg.weightPer === "vcpu" ? w * this.activeCount[d] : w;
  }

  // Loops, not TypedArray.copyWithin: the list holds a host's few domains, and copyWithin is a
  // runtime call that cost more than the shift itself (~105k calls per 600 s bench cell).
  private moveToHead(d: number, present: boolean): void {
    if (present) this.removeFromOrder(d);
    const order = this.order;
    for (let i = this.orderLength; i > 0; i--) order[i] = order[i - 1];
    order[0] = d;
    this.orderLength++;
  }

  private removeFromOrder(d: number): void {
    const order = this.order;
    const last = --this.orderLength;
    let i = 0;
    while (order[i] !== d) i++;
    for (; i < last; i++) order[i] = order[i + 1];
  }

  /**
   * account is csched_acct: hand out one period's credit by weight, spill what capped or saturated
   * domains cannot use to the domains after them, then recompute each active vCPU's priority,
   * park/unpark capped vCPUs and drop vCPUs with more than a slice of credit from the active list.
   */
  account(): void {
    this.parkedNowCount = 0;
    this.unparkedNowCount = 0;
    const weightTotal = this.weightTotal;
    if (weightTotal === 0) {
      this.creditBalance = 0;
      return;
    }
    const prevBalance = this.creditBalance;
    let creditTotal = this.cfg.creditsPerTslice * this.cfg.nCpus;
    if (prevBalance < 0) creditTotal -= prevBalance;
    let weightLeft = weightTotal;
    let someoneHadSurplus = false;
    let balance = 0;
    const n = this.orderLength;
    for (let i = 0; i < n; i++) this.scratch[i] = this.order[i]; // a subarray view per period was the run's last allocation
    for (let i = 0; i < n; i++) {
      const d = this.scratch[i];
      const w = this.effectiveWeight(d);
      weightLeft -= w;
      this.computePeak(d, w, prevBalance, weightTotal);
      let fair = Math.ceil((creditTotal * w) / weightTotal);
      if (fair < this.peak) {
        someoneHadSurplus = true;
      } else {
        // The domain cannot burn its share: give the rest to the domains later in the list.
        if (weightLeft !== 0) creditTotal += Math.ceil(((fair - this.peak) * weightTotal) / weightLeft);
        if (someoneHadSurplus) this.moveToHead(d, true);
        fair = this.peak;
      }
      const perVcpu = Math.ceil(fair / this.activeCount[d]);
      balance += this.grant(d, perVcpu, this.parkBelow);
    }
    this.creditBalance = balance;
  }

  /**
   * computePeak sets `peak`, the most domain d could burn this period (plus its part of a
   * negative balance being paid back, and no more than its cap), and `parkBelow`, the credit
   * under which its capped vCPUs are parked.
   */
  private computePeak(d: number, w: number, prevBalance: number, weightTotal: number): void {
    const count = this.activeCount[d];
    let credits = count * this.cfg.creditsPerTslice;
    if (prevBalance < 0) credits += Math.ceil((-prevBalance * w) / weightTotal);
    const cap = this.cfg.domainCapPercent[d];
    if (cap === 0) {
      this.peak = credits;
      this.parkBelow = 0;
      return;
    }
    const capCredits = Math.ceil((cap * this.cfg.creditsPerTslice) / 100);
    this.peak = Math.min(credits, capCredits);
    this.parkBelow = -Math.ceil(capCredits / count);
  }

  /**
   * grant adds the per-vCPU credit to d's active vCPUs and applies the thresholds.
   *
   * Deopts: V8 optimizes account() (this is inlined there) within the first accounting periods,
   * before any vCPU has gone OVER; code reached for the first time after that has no type
   * feedback and throws the optimized code away, and every re-optimization is another compile of
   * the whole inlined tree (CPU a fresh `vmplace simulate` pays). So the priority and the floor
   * are set without branches that start being taken later.
   */
  private grant(d: number, perVcpu: number, parkBelow: number): number {
    const slice = this.cfg.creditsPerTslice;
    const capped = this.cfg.domainCapPercent[d] !== 0;
    const pri = this.pri;
    const floor = -slice;
    let sum = 0;
    for (const v of this.domainVcpus[d]) {
      if (!this.active[v]) continue;
      let c = this.credit[v] + perVcpu;
      pri[v] = c < 0 ? PRI_OVER : PRI_UNDER;
      if (c < 0) {
        if (capped && c < parkBelow && !this.parked[v]) {
          this.parked[v] = 1;
          this.parkedNow[this.parkedNowCount++] = v;
        }
      } else {
        if (this.parked[v]) {
          this.parked[v] = 0;
          this.unparkedNow[this.unparkedNowCount++] = v;
        }
        if (c > slice) {
          this.deactivate(v);
          c = this.cfg.inactiveCredit === "halve" ? Math.trunc(c / 2) : 0;
        }
      }
      c = c < floor ? floor : c; // a no-op unless OVER
      this.credit[v] = c;
      sum += c;
    }
    return sum;
  }
}

/** bookForHost builds the CreditBook of one host from its vCPUs and their VMs' weight and cap. */
export function bookForHost(
  vcpus: readonly VcpuInfo[],
  nCpus: number,
  creditsPerTslice: number,
  params: Pick<XenCreditParams, "weightPer" | "inactiveCredit">,
): CreditBook {
  const nDom = vcpus.reduce((m, v) => Math.max(m, v.vmIndex + 1), 0);
  const domainWeight = new Array<number>(nDom).fill(DEFAULT_WEIGHT);
  const domainCapPercent = new Array<number>(nDom).fill(0);
  for (const v of vcpus) {
    domainWeight[v.vmIndex] = v.vm.weight;
    domainCapPercent[v.vmIndex] = v.vm.capPercent;
  }
  return new CreditBook({
    nCpus,
    creditsPerTslice,
    weightPer: params.weightPer,
    inactiveCredit: params.inactiveCredit,
    vcpuDomain: vcpus.map((v) => v.vmIndex),
    domainWeight,
    domainCapPercent,
  });
}
