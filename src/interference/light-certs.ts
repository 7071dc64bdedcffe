import type { SchedulerCore } from "./core/scheduler-core.js";

/**
 * Light certificates: an io-only candidate's what-if answered from the last one asked on the same
 * unchanged host, without a query (HostState.fitsAt).
 *
 * An io-only VM added to a host moves only the light part of the CPU-bound components its victims
 * meet (HostMix.buildLight), and that only through its Σ duty and Σ duty / hold added to the host's
 * light sums: a victim meets lightA = (P(exactly one core short) x (1 - e^-lsp)) x homeBlock and
 * lightR = lrate / lsp + nu, lsp and lrate the host's sums with the candidate's added and the
 * victim's own light vCPU taken out. Everything else a victim's test reads (P(all held), the
 * correction's threshold, the bins, rate-limit and drift terms, the alone tail) is the host's own
 * and the same bits for every io-only candidate with the same outside reasons (widen), on a core
 * where nothing else reads the light part (certifiable: no light holds, light waiters, grant ends,
 * time share, over-full or own-burst hooks; credit1's OVER episodes are judged apart, below).
 *
 * Monotone: the light term of waitTail, lightA (e^-Ry + k (e^-Ry - e^-Rcap) / R) with y < cap,
 * and of waitTailBound, lightA (1 + k / R), grow with lightA and fall with R, so with lsp and fall
 * with lrate / lsp. The tail is then formed from that term by additions, a multiplication by a
 * positive constant and a min with 1, each monotone under IEEE rounding: a larger computed light
 * term never gives a smaller computed tail. The light term itself comes through e^x (V8's fdlibm
 * port, within 1 ulp, not proved monotone), so a computed term may sit a few 1e-16 off the exact
 * one; every term is at most 1 and the victim's (lam + own) / R is far under 1e4, so the computed
 * tail is within ~1e-12 of eps x (1 ± CERT_MARGIN) only when the exact one is. A test's decision
 * is certified only when it clears eps by that margin (CERT_ABOVE, CERT_BELOW); nearer, nothing is
 * kept.
 *
 * - A refusal: some victim's test failed. A test that fails on terms the light part does not enter
 *   (the SLO leaves no room past the service time; the threshold at or below it) fails for every
 *   io-only candidate (Refusal.Independent). One that fails on its tail, clear of eps
 *   (Refusal.Monotone), fails for every candidate that gives that victim at least the lsp and at
 *   most the lrate / lsp (computed as buildLight computes them: the same operations, so each
 *   comparison is of the values the query would form). A failure of credit1's OVER episodes (not
 *   monotone in the light load) certifies nothing.
 * - A pass: every victim passed, each test clear of eps (CERT_BELOW), none judged by episodes,
 *   grant ends or time share. Every candidate with at most the Σ duty and at least the Σ duty /
 *   hold gives every victim at most its lsp and at least its lrate (each formed by the same
 *   monotone additions), so at least its lrate / lsp: every victim passes again. The newcomer
 *   judging itself is asked as before.
 */

/** How a victim's test failed (Query.refusal, set at each refusal). */
export const enum Refusal {
  /** Nothing certified: a floor (episodes, grant ends, time share) failed, or the tail was within the margin of eps. */
  None = 0,
  /** On terms no io-only candidate moves. */
  Independent = 1,
  /** On the tail or its bound, clear of eps: monotone in the light part. */
  Monotone = 2,
}

/** The relative margin a certified decision clears eps by (rounding moves a tail by ~1e-12 of it at most). */
const CERT_MARGIN = 1e-7;
export const CERT_ABOVE = 1 + CERT_MARGIN;
export const CERT_BELOW = 1 - CERT_MARGIN;

/** certifiable: on this core an io-only candidate moves only the light part of what a victim's test reads (see above). */
export function certifiable(core: SchedulerCore): boolean {
  return core.lightHolds !== true && core.lightWaiters !== true && core.grantWait === undefined && core.timeShare !== true && core.overfull === undefined && core.ownBurstPreempt === undefined;
}

/**
 * victimLsp: a victim's light Σ duty with a candidate's `lsp` added to the host's `hostLsp` and its
 * own `exLsp` taken out, in lightComponentLess's order (the same bits).
 */
export function victimLsp(hostLsp: number, lsp: number, exLsp: number): number {
  return hostLsp + lsp - exLsp;
}

/** victimRatio: buildLight's lrate / lsp for that victim (`vLsp` from victimLsp), the same operations. */
export function victimRatio(hostLrate: number, lrate: number, exLrate: number, vLsp: number): number {
  return (hostLrate + lrate - exLrate) / vLsp;
}
