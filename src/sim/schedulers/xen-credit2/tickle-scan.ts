import type { XenCredit2Params } from "../../../model/scheduler.js";
import type { RunQueue } from "./run-queue.js";
import type { Credit2Units } from "./units.js";

/** CSCHED2_RATELIMIT_TICKLE_TOLERANCE: a runner this close to its rate limit may be preempted. */
export const TICKLE_TOLERANCE_US = 50;

/** TickleView is what tickle's scan reads of the policy. */
export interface TickleView {
  readonly u: Credit2Units;
  /** The vCPU on each pCPU, -1 when idle. */
  readonly curr: Int32Array;
  readonly params: XenCredit2Params;
}

/**
 * mostOutcredited is runq_tickle's scan of the queue's pCPUs other than `own`, all busy (tickle
 * found no idle one): the pCPU whose runner, past its rate limit, waker v out-credits most by
 * more than MIGRATE_RESIST (the first of equals), burning each such runner as tickle's score
 * does (burn_credits); -1 for none. Without branches on the rate limit and the score: on a busy
 * queue whether a runner is past its rate limit is a coin flip, and mispredicted branches were a
 * quarter of tickle's time. A runner not to burn has its burn written to the scratch vCPU
 * instead; own's runner is burnt already (or not to burn), so burning it again at now changes
 * nothing. Index picks are int32 masks: a multiplication by the 0/1 flag compiles to double
 * conversions on the loop's dependency chain (perf annotate). The arithmetic is
 * Credit2Units.burn's and tickleScore's, in their order.
 */
export function mostOutcredited(s: TickleView, v: number, own: number, rq: RunQueue, now: number): number {
  if (rq.burnsCommute) return mostOutcreditedCommuting(s, v, own, rq, now);
  const { credit, burnFromUs, budgetUs, runStartUs, weight, scratch } = s.u;
  const curr = s.curr;
  const cpus = rq.cpus;
  const maxWeight = rq.maxWeight;
  const floor = -s.params.creditInitUs;
  const waker = credit[v];
  const resist = s.params.migrateResistUs;
  const limit = s.params.ratelimitUs;
  const limited = Number(limit > TICKLE_TOLERANCE_US);
  const minRunUs = limit - TICKLE_TOLERANCE_US;
  let best = -1;
  let bestScore = 0;
  let zeroAt = Infinity;
  for (let i = 0; i < cpus.length; i++) {
    const p = cpus[i];
    const cur = curr[p];
    if (cur < 0) continue; // never: the queue has no idle pCPU (verify.ts checks the count)
    const burns = Number(now - runStartUs[cur] > minRunUs) | (1 - limited);
    const at = cur ^ ((cur ^ scratch) & (burns - 1));
    // dt 0 (own's runner, burnt at now) leaves everything as it was.
    const dt = now - burnFromUs[cur];
    const c = Math.max(credit[cur] - (dt * maxWeight) / weight[cur], floor);
    burnFromUs[at] = now;
    credit[at] = c;
    budgetUs[at] -= dt;
    const counts = burns & Number(p !== own);
    // -1 where tickleScore would have returned -1.
    const score = (waker - c - resist) * counts - (1 - counts);
    const better = Number(score > bestScore);
    best ^= (best ^ p) & -better;
    bestScore = Math.max(bestScore, score);
    zeroAt = Math.min(zeroAt, c + now);
  }
  rq.runnersZeroAtUs = zeroAt;
  return best;
}

/**
 * cannotOutcredit proves, without the scan, that mostOutcredited would find nobody for a waker
 * of credit `waker`: where burns commute, every runner's credit now is at least runnersZeroAtUs
 * - now, so none trails the waker by more than MIGRATE_RESIST. Skipping the scan then skips
 * only burns that the next reader of each runner does in one step, to the same double. Most
 * scans are of a vCPU just preempted, which has the least credit (147k of the 120 s Bobtail
 * cell's 211k scans find nobody).
 */
export function cannotOutcredit(rq: RunQueue, waker: number, resist: number, now: number): boolean {
  return rq.burnsCommute && waker - resist <= rq.runnersZeroAtUs - now;
}

/**
 * mostOutcreditedCommuting is mostOutcredited where burns commute (RunQueue.burnsCommute: equal
 * weights, no caps, integer credit): a runner's burn may wait for its next reader, which burns
 * from the same start in one step to the same double (as cannotOutcredit's skip does), so the
 * scan only reads. Credit minus time run is constant while a runner burns 1:1 above the floor,
 * and the weights being equal, (dt x maxWeight) / weight is dt exactly. A runner that reached the
 * floor is burnt for real, as the general scan would: its credit plus burnFromUs then stays the
 * bound runnersZeroAtUs is kept against (verify.ts). The pick is the general scan's: the same
 * scores in the same pCPU order, the first of equals kept.
 */
function mostOutcreditedCommuting(s: TickleView, v: number, own: number, rq: RunQueue, now: number): number {
  const { credit, burnFromUs, runStartUs } = s.u;
  const curr = s.curr;
  const cpus = rq.cpus;
  const floor = -s.params.creditInitUs;
  const waker = credit[v];
  const resist = s.params.migrateResistUs;
  const limit = s.params.ratelimitUs;
  const limited = Number(limit > TICKLE_TOLERANCE_US);
  const minRunUs = limit - TICKLE_TOLERANCE_US;
  let best = -1;
  let bestScore = 0;
  let zeroAt = Infinity;
  for (let i = 0; i < cpus.length; i++) {
    const p = cpus[i];
    const cur = curr[p];
    if (cur < 0) continue; // never: the queue has no idle pCPU (verify.ts checks the count)
    let c = credit[cur] - (now - burnFromUs[cur]);
    if (c < floor) {
      // Rare: only a burn in the scan's general form reaches the floor (see above).
      c = floor;
      credit[cur] = floor;
      burnFromUs[cur] = now;
    }
    const burns = Number(now - runStartUs[cur] > minRunUs) | (1 - limited);
    const counts = burns & Number(p !== own);
    const score = (waker - c - resist) * counts - (1 - counts);
    const better = Number(score > bestScore);
    best ^= (best ^ p) & -better;
    bestScore = Math.max(bestScore, score);
    zeroAt = Math.min(zeroAt, c + now);
  }
  rq.runnersZeroAtUs = zeroAt;
  return best;
}
