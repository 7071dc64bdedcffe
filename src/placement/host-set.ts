/**
 * HostSet is a sparse set of host indices: O(1) add, delete and membership, and the members in
 * an array for O(1) random sampling (unordered: a deletion moves the last member into the gap).
 */
export class HostSet {
  readonly list: number[] = [];
  private readonly pos: Int32Array;

  constructor(nHosts: number) {
    this.pos = new Int32Array(nHosts).fill(-1);
  }

  has(i: number): boolean {
    return this.pos[i] >= 0;
  }

  /** set adds (in = true) or deletes host i; a no-op when it already is (or is not) a member. */
  set(i: number, member: boolean): void {
    if (member === this.pos[i] >= 0) return;
    if (member) {
      this.pos[i] = this.list.length;
      this.list.push(i);
      return;
    }
    const last = this.list.pop()!;
    if (last !== i) {
      this.list[this.pos[i]] = last;
      this.pos[last] = this.pos[i];
    }
    this.pos[i] = -1;
  }
}
