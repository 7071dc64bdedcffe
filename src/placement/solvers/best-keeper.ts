import { ChangeLog, type Journal } from "./journal.js";

/**
 * BestKeeper remembers the best assignment a search has visited without copying the whole
 * vm → host array at every new best, which is O(VMs) per improvement: at 100,000 VMs the
 * early search finds thousands of them. While the search sits on its best, nothing is kept;
 * once it moves on, the changes of each accepted move are logged (each says where a VM was
 * before), and only when that log outgrows the VMs is the best written out in full: amortised
 * O(1) per change.
 */
export class BestKeeper {
  private readonly log = new ChangeLog();
  /** The best in full, once the log grew too long; undefined while current minus the log is it. */
  private best: Int32Array | undefined;

  constructor(private readonly hostOf: Int32Array) {}

  /** atBest: the current assignment is the best (drops what was kept). */
  atBest(): void {
    this.log.size = 0;
    this.best = undefined;
  }

  /** accepted: a move (its journal) was applied, and the current assignment is not a new best. */
  accepted(j: Journal): void {
    if (this.best) return;
    for (let k = 0; k < j.log.size; k++) this.log.push(j.log.vmAt(k), j.log.fromAt(k));
    if (this.log.size > this.hostOf.length) {
      this.best = this.assignment();
      this.log.size = 0;
    }
  }

  /** assignment: the best assignment (a copy). */
  assignment(): Int32Array {
    if (this.best) return Int32Array.from(this.best);
    const out = Int32Array.from(this.hostOf);
    this.log.undoOn(out);
    return out;
  }
}
