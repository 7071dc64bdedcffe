import type { PlacementState } from "../state.js";

/**
 * Journal records every assignment change of a trial move so that a rejected move is undone
 * exactly (same operations in reverse), keeping the search deterministic and the state's
 * aggregates consistent without copying the state.
 */
export class Journal {
  private vm = new Int32Array(256);
  private from = new Int32Array(256);
  private top = 0;

  constructor(readonly state: PlacementState) {}

  get size(): number {
    return this.top;
  }

  assign(j: number, i: number): void {
    this.push(j, -1);
    this.state.assign(j, i);
  }

  unassign(j: number): void {
    this.push(j, this.state.hostOf[j]);
    this.state.unassign(j);
  }

  private push(j: number, from: number): void {
    if (this.top === this.vm.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.vm = grow(this.vm);
      this.from = grow(this.from);
    }
    this.vm[this.top] = j;
    this.from[this.top] = from;
    this.top++;
  }

  /** rollback undoes everything since the journal was last cleared. */
  rollback(): void {
    this.rollbackTo(0);
  }

  /** rollbackTo undoes the changes after a mark (a nested trial inside a move). */
  rollbackTo(mark: number): void {
    const s = this.state;
    for (let k = this.top - 1; k >= mark; k--) {
      const j = this.vm[k];
      if (s.hostOf[j] >= 0) s.unassign(j);
      if (this.from[k] >= 0) s.assign(j, this.from[k]);
    }
    this.top = Math.min(this.top, mark);
  }

  clear(): void {
    this.top = 0;
  }
}
