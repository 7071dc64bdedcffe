/**
 * A tournament tree over keyed timers (OwnTimers, credit2's PcpuTimers, the Simulator's keyed
 * events): per key a time (Infinity: unset) and a setting number, and per inner node the key
 * that comes first below it, by time and then by setting. Leaf l is node leaves + l; node 1 holds
 * the earliest key. An update is a few compares per level where a heap's would move entries.
 */
export interface Tournament {
  readonly leaves: number;
  readonly atUs: Float64Array;
  readonly order: Float64Array;
  readonly tree: Int32Array;
}

/** tournament: `n` keys, all unset (padded to a power of two). */
export function tournament(n: number): Tournament {
  let leaves = 1;
  while (leaves < n) leaves *= 2;
  const t = { leaves, atUs: new Float64Array(leaves).fill(Infinity), order: new Float64Array(leaves), tree: new Int32Array(2 * leaves) };
  for (let l = 0; l < leaves; l++) t.tree[leaves + l] = l;
  for (let l = 0; l < leaves; l++) replay(t, l);
  return t;
}

/** replay redoes key's matches up the tree after its time or setting changed. */
export function replay(t: Tournament, key: number): void {
  const { tree, atUs: at, order } = t;
  for (let i = (t.leaves + key) >> 1; i >= 1; i >>= 1) {
    const a = tree[2 * i];
    const b = tree[2 * i + 1];
    // Which child wins without a branch: it is a coin flip, and a mispredicted branch costs more
    // than the arithmetic (as in the event queue's siftDown). The pick is a mask, all int32: a
    // multiplication by the 0/1 flag compiled to double conversions (perf annotate: most of
    // setKeyed's cycles, on the chain from one level to the next).
    const ta = at[a];
    const tb = at[b];
    const bFirst = Number(tb < ta) | (Number(tb === ta) & Number(order[b] < order[a]));
    tree[i] = a ^ ((a ^ b) & -bFirst);
  }
}
