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
    // Whole microseconds, so below 2^31 (a vCPU is debited at least every accounting period) an
    // int32 division by a literal (US_PER_CREDIT, checked below), which V8 turns into a multiply:
    // a float division and floor was the costliest instruction of credit1's switch (perf annotate
    // on the bench cell), and an imported constant is a runtime divisor (an idiv). Same quotient.
    const credits = unchargedUs < 2 ** 31 ? ((unchargedUs | 0) / 100) | 0 : Math.floor(unchargedUs / US_PER_CREDIT);
    this.unchargedUs[v] = unchargedUs - credits * US_PER_CREDIT;
    this.credit[v] -= credits;
  }
}

// burn divides by the literal 100: it must be US_PER_CREDIT.
if (US_PER_CREDIT !== 100) throw new Error(`credit-meter: burn assumes 100 us per credit, not ${US_PER_CREDIT}`);
