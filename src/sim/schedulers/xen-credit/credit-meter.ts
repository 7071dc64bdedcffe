import { US_PER_CREDIT } from "./constants.js";

/**
 * CreditMeter turns run time into credits for exact accounting (burn_credits, Xen >= 4.0): one
 * credit per 100 us run, the remainder below a credit carried to the next debit, so nothing is
 * lost however often a vCPU is switched.
 */
export class CreditMeter {
  private readonly chargedUntilUs: Float64Array;
  private readonly unchargedUs: Float64Array;

  constructor(
    nVcpus: number,
    private readonly credit: Int32Array,
  ) {
    this.chargedUntilUs = new Float64Array(nVcpus);
    this.unchargedUs = new Float64Array(nVcpus);
  }

  /** start marks v as put on a pCPU at nowUs: time before that is not its run time. */
  start(v: number, nowUs: number): void {
    this.chargedUntilUs[v] = nowUs;
  }

  /** burn debits v for the time it ran since the last start or burn. */
  burn(v: number, nowUs: number): void {
    const ranUs = nowUs - this.chargedUntilUs[v];
    if (ranUs <= 0) return;
    this.chargedUntilUs[v] = nowUs;
    const unchargedUs = this.unchargedUs[v] + ranUs;
    const credits = Math.floor(unchargedUs / US_PER_CREDIT);
    this.unchargedUs[v] = unchargedUs - credits * US_PER_CREDIT;
    this.credit[v] -= credits;
  }
}
