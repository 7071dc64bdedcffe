import type { RunQueue } from "./run-queue.js";
import type { Credit2Units } from "./units.js";

/** opt_underload_balance_tolerance 0: below full load, balance only if loads differ by > 1 vCPU. */
const UNDERLOAD_TOLERANCE = 1;
/** opt_overload_balance_tolerance -3: at or above full load, balance if they differ by > 1/8. */
const OVERLOAD_TOLERANCE = 1 / 8;

/**
 * balanceLoad is credit2's balance_load from the local run queue (run at a credit reset): find
 * the queue whose balance load (b_avgload) differs most from the local one; if the difference
 * passes the tolerance, take the push, pull or swap of vCPUs (by their own averaged load) that
 * leaves the two closest. Returns the moves as [vCPU, target queue]. Only vCPUs `movable` says may move are
 * considered (the caller's running vCPUs are not).
 */
export function balanceLoad(
  queues: readonly RunQueue[],
  local: number,
  u: Credit2Units,
  movable: (v: number) => boolean,
  nowUs: number,
): [number, number][] {
  const l = queues[local];
  l.balanceLoad.advance(l.load, nowUs);
  let other: RunQueue | null = null;
  let maxDelta = 0;
  for (const q of queues) {
    if (q === l) continue;
    q.balanceLoad.advance(q.load, nowUs);
    const d = Math.abs(l.balanceLoad.avg - q.balanceLoad.avg);
    if (d > maxDelta) {
      maxDelta = d;
      other = q;
    }
  }
  if (other === null) return [];
  const loadMax = Math.max(l.balanceLoad.avg, other.balanceLoad.avg);
  const cpusMax = Math.max(l.cpus.length, other.cpus.length);
  const tolerance = loadMax < cpusMax ? UNDERLOAD_TOLERANCE : OVERLOAD_TOLERANCE;
  if (maxDelta < tolerance) return [];
  const unitLoad = (v: number): number => {
    u.avgLoad[v].advance(u.queued[v] || !movable(v) ? 1 : 0, nowUs);
    return u.avgLoad[v].avg;
  };
  return bestMove(l, other, unitLoad, movable, maxDelta);
}

/** bestMove is consider() over every push, pull and swap: the one with the smallest load gap. */
function bestMove(
  l: RunQueue,
  o: RunQueue,
  unitLoad: (v: number) => number,
  movable: (v: number) => boolean,
  delta0: number,
): [number, number][] {
  const lLoad = l.balanceLoad.avg;
  const oLoad = o.balanceLoad.avg;
  const push = l.members.filter(movable);
  const pull = o.members.filter(movable);
  let best = delta0;
  let bestPush = -1;
  let bestPull = -1;
  const consider = (pu: number, pl: number): void => {
    const moved = (pu >= 0 ? unitLoad(pu) : 0) - (pl >= 0 ? unitLoad(pl) : 0);
    const d = Math.abs(lLoad - moved - (oLoad + moved));
    if (d < best) {
      best = d;
      bestPush = pu;
      bestPull = pl;
    }
  };
  for (const pu of push) {
    for (const pl of pull) consider(pu, pl);
    consider(pu, -1);
  }
  for (const pl of pull) consider(-1, pl);
  const moves: [number, number][] = [];
  if (bestPush >= 0) moves.push([bestPush, o.id]);
  if (bestPull >= 0) moves.push([bestPull, l.id]);
  return moves;
}
