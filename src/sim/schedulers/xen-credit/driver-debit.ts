import type { VcpuInfo } from "../../cpu-scheduler.js";
import { US_PER_CREDIT } from "./constants.js";

/**
 * DriverDebit bills a domain for driver (dom0) CPU it caused, as SEDF-DC does: one credit per
 * 100 us, the remainder carried per domain as burn_credits carries it, debited from the domain's
 * vCPU with the most credit (the one furthest from OVER: debiting a vCPU already at the -300 floor
 * would be clipped away at the next accounting). Priorities and parking follow at the next
 * csched_acct, exactly as for credit the vCPU burnt itself.
 */
export class DriverDebit {
  private readonly carryUs: Float64Array;
  private readonly domainVcpus: number[][];

  constructor(
    vcpus: readonly VcpuInfo[],
    private readonly credit: Int32Array,
  ) {
    const nDom = vcpus.reduce((m, v) => Math.max(m, v.vmIndex + 1), 0);
    this.carryUs = new Float64Array(nDom);
    this.domainVcpus = Array.from({ length: nDom }, () => [] as number[]);
    for (const v of vcpus) this.domainVcpus[v.vmIndex].push(v.index);
  }

  debit(vm: number, us: number): void {
    const carried = this.carryUs[vm] + us;
    const credits = Math.floor(carried / US_PER_CREDIT);
    this.carryUs[vm] = carried - credits * US_PER_CREDIT;
    if (credits === 0) return;
    let best = -1;
    for (const v of this.domainVcpus[vm]) if (best < 0 || this.credit[v] > this.credit[best]) best = v;
    if (best >= 0) this.credit[best] -= credits;
  }
}
