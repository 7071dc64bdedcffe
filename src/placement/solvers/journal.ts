import type { PlacementState } from "../state.js";

/**
 * ChangeLog is a growable list of assignment changes, each a VM and the host it was on before
 * (-1: unplaced): replayed newest first, it undoes them.
 */
export class ChangeLog {
  private vm = new Int32Array(256);
  private from = new Int32Array(256);
  size = 0;

  push(j: number, from: number): void {
    if (this.size === this.vm.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.vm = grow(this.vm);
      this.from = grow(this.from);
    }
    this.vm[this.size] = j;
    this.from[this.size] = from;
    this.size++;
  }

  vmAt(k: number): number {
    return this.vm[k];
  }

  fromAt(k: number): number {
    return this.from[k];
  }

  /** undoOn writes the assignment before the logged changes into a vm → host array. */
  undoOn(hostOf: Int32Array): void {
    for (let k = this.size - 1; k >= 0; k--) hostOf[this.vm[k]] = this.from[k];
  }
}

/**
 * Journal records every assignment change of a trial move so that a rejected move is undone
 * exactly (same operations in reverse), keeping the search deterministic and the state's
 * aggregates consistent without copying the state.
 */
export class Journal {
  readonly log = new ChangeLog();

  constructor(readonly state: PlacementState) {}

  get size(): number {
    return this.log.size;
  }

  assign(j: number, i: number): void {
    this.log.push(j, -1);
    this.state.assign(j, i);
  }

  unassign(j: number): void {
    this.log.push(j, this.state.hostOf[j]);
    this.state.unassign(j);
  }

  /** rollback undoes everything since the journal was last cleared. */
  rollback(): void {
    this.rollbackTo(0);
  }

  /** rollbackTo undoes the changes after a mark (a nested trial inside a move). */
  rollbackTo(mark: number): void {
    const s = this.state;
    for (let k = this.log.size - 1; k >= mark; k--) {
      const j = this.log.vmAt(k);
      if (s.hostOf[j] >= 0) s.unassign(j);
      if (this.log.fromAt(k) >= 0) s.assign(j, this.log.fromAt(k));
    }
    this.log.size = Math.min(this.log.size, mark);
  }

  clear(): void {
    this.log.size = 0;
  }
}
