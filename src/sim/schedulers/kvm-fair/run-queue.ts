import { NICE_0_LOAD } from "../kvm-cfs/tunables.js";

/**
 * Entity is a sched_entity: a vCPU thread (owner = vCPU index) or a VM's group entity on one CPU
 * (owner = VM index). It holds state only; CfsRq and the policy move it.
 */
export class Entity {
  vruntime = 0;
  onRq = false;
  /** sum_exec_runtime and its value when the entity last became curr (the slice start). */
  sumExecUs = 0;
  prevSumExecUs = 0;
  /** exec_start: up to when run time has been charged. */
  execStartUs = 0;
  /** Insertion stamp: equal vruntimes keep FIFO order, like the rbtree inserting to the right. */
  seq = 0;
  /** Position in CfsRq.queue, -1 when not queued (curr or off the run queue). */
  qIndex = -1;

  // EEVDF only (CFS leaves them alone).
  /** Virtual deadline: vruntime at which the current slice request ends. */
  deadline = 0;
  /** Lag (in vruntime units) remembered at dequeue and re-applied at the next placement. */
  vlag = 0;
  /** Requested slice in us: base_slice, a custom sched_runtime, or a group's smallest child's. */
  sliceUs = 0;
  /** RUN_TO_PARITY: the deadline curr was given when it was picked; NaN when not protected. */
  protectDeadline = NaN;
  /** Delayed dequeue (6.12): asleep but kept on the queue until it is eligible again. */
  delayed = false;
  /** Enqueued at least once (the first placement is ENQUEUE_INITIAL). */
  placed = false;

  constructor(
    readonly owner: number,
    public weight: number,
  ) {}

  /** charge books deltaUs of execution: vruntime advances by delta x 1024 / weight. */
  charge(deltaUs: number, nowUs: number): void {
    this.sumExecUs += deltaUs;
    this.vruntime += (deltaUs * NICE_0_LOAD) / this.weight;
    this.execStartUs = nowUs;
  }
}

/**
 * CfsRq is one cfs_rq: the waiting entities (the kernel's rbtree, curr excluded), curr, and the
 * load and count of everything on it. The queue is an unsorted array scanned for its minimum:
 * a host's queues hold a handful to a few dozen entities, where a scan of contiguous memory is
 * cheaper than a tree or heap and allocates nothing per event. The minimum is cached, because
 * queued entities' vruntimes never change (only curr's does); only removing it forces a rescan.
 */
export class CfsRq {
  readonly queue: Entity[] = [];
  curr: Entity | null = null;
  /** Smallest waiting entity (the rbtree's leftmost), null when none wait. */
  leftmost: Entity | null = null;
  /** load.weight: the sum of the weights of on_rq entities, curr included. */
  loadWeight = 0;
  /** nr_running: on_rq entities, curr included. */
  nrRunning = 0;
  /** min_vruntime: monotonic floor that wakeup placement and migration are measured against. */
  minVruntime = 0;
  /**
   * avg_vruntime and avg_load as the kernel keeps them (6.6+): the sum of w x (vruntime -
   * min_vruntime) and of w over the waiting entities (curr excluded), updated as entities come
   * and go and as min_vruntime moves, so EEVDF's zero-lag point costs O(1) instead of a scan.
   * Floats, not the kernel's integers: the sum restarts at an exact 0 whenever the queue empties,
   * so rounding cannot pile up.
   */
  avgSum = 0;
  avgLoad = 0;
  private nextSeq = 0;

  /** account adds (+1) or removes (-1) an entity's load: account_entity_(en|de)queue. */
  account(se: Entity, sign: 1 | -1): void {
    this.loadWeight += sign * se.weight;
    this.nrRunning += sign;
    se.onRq = sign > 0;
  }

  /** reweight changes an on_rq entity's weight, keeping the queue's load consistent. */
  reweight(se: Entity, weight: number): void {
    if (se.onRq) this.loadWeight += weight - se.weight;
    if (se.qIndex >= 0) {
      this.avgSum += (weight - se.weight) * (se.vruntime - this.minVruntime);
      this.avgLoad += weight - se.weight;
    }
    se.weight = weight;
  }

  /** insert puts a waiting entity into the timeline (__enqueue_entity). */
  insert(se: Entity): void {
    se.seq = this.nextSeq++;
    se.qIndex = this.queue.length;
    this.queue.push(se);
    this.avgSum += se.weight * (se.vruntime - this.minVruntime);
    this.avgLoad += se.weight;
    if (this.leftmost === null || before(se, this.leftmost)) this.leftmost = se;
  }

  /** remove takes a waiting entity out of the timeline (__dequeue_entity). */
  remove(se: Entity): void {
    const i = se.qIndex;
    if (i < 0 || this.queue[i] !== se) throw new Error("kvm-fair: removing an entity that is not queued");
    const last = this.queue.pop() as Entity;
    if (last !== se) {
      this.queue[i] = last;
      last.qIndex = i;
    }
    se.qIndex = -1;
    if (this.queue.length === 0) {
      this.avgSum = 0;
      this.avgLoad = 0;
    } else {
      this.avgSum -= se.weight * (se.vruntime - this.minVruntime);
      this.avgLoad -= se.weight;
    }
    if (this.leftmost === se) this.leftmost = this.scanLeftmost();
  }

  /** setCurr is set_next_entity: the entity leaves the timeline, becomes curr and starts a slice. */
  setCurr(se: Entity, nowUs: number): void {
    if (this.curr !== null) throw new Error("kvm-fair: setting curr over another curr");
    this.remove(se);
    this.curr = se;
    se.prevSumExecUs = se.sumExecUs;
    se.execStartUs = nowUs;
  }

  /**
   * becomeCurr is insert then setCurr for an entity joining an empty timeline: its stamp and the
   * slice start, without the round trip (the queue's sums were 0 and stay 0).
   */
  becomeCurr(se: Entity, nowUs: number): void {
    if (this.curr !== null || this.queue.length > 0) throw new Error("kvm-fair: becoming curr of a busy queue");
    se.seq = this.nextSeq++;
    this.curr = se;
    se.prevSumExecUs = se.sumExecUs;
    se.execStartUs = nowUs;
  }

  /** putCurr is put_prev_entity: curr goes back into the timeline (it is still on the queue). */
  putCurr(): void {
    const se = this.curr;
    if (se === null) return;
    this.curr = null;
    if (se.onRq) this.insert(se);
  }

  /**
   * pick is pick_next_entity without buddies: the leftmost waiter, or curr if it is strictly
   * before it (a re-queued curr would land right of equal keys, so ties go to the waiter).
   */
  pick(): Entity | null {
    const left = this.leftmost;
    const curr = this.curr;
    if (curr === null) return left;
    return left === null || curr.vruntime < left.vruntime ? curr : left;
  }

  /** updateMinVruntime is update_min_vruntime: min of curr and leftmost, never moving back. */
  updateMinVruntime(): void {
    let v = this.minVruntime;
    const curr = this.curr;
    const left = this.leftmost;
    if (curr !== null) v = left !== null && left.vruntime < curr.vruntime ? left.vruntime : curr.vruntime;
    else if (left !== null) v = left.vruntime;
    if (v > this.minVruntime) {
      // avg_vruntime_update: every waiter's key shrinks by the step.
      this.avgSum -= this.avgLoad * (v - this.minVruntime);
      this.minVruntime = v;
    }
  }

  private scanLeftmost(): Entity | null {
    let best: Entity | null = null;
    for (const se of this.queue) if (best === null || before(se, best)) best = se;
    return best;
  }
}

function before(a: Entity, b: Entity): boolean {
  return a.vruntime < b.vruntime || (a.vruntime === b.vruntime && a.seq < b.seq);
}

/** minSlice is cfs_rq_min_slice: a group entity asks for its shortest child's slice. */
export function minSlice(rq: CfsRq): number {
  let s = rq.curr !== null ? rq.curr.sliceUs : Infinity;
  for (const se of rq.queue) if (se.sliceUs < s) s = se.sliceUs;
  return s;
}
