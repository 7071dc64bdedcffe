import { record } from "./whatif-trace.js";

/**
 * whatif-moves: what the placer's search does to its hosts between what-ifs (issue 12's moves
 * side), counted on the trace whatif-trace.ts records (fitsAt reads only; hostOk's fits() is not
 * in it). A move (add or remove) is "undone unread" when a move of the same VM back on the same
 * host follows with no what-if on that host in between: a host that never applied either would
 * answer the same, up to the rounding its sums pick up from the pair. A read "meets its last
 * state" when the host holds the same VMs as at its previous read, though it changed since.
 *
 *   node dist/bench/whatif-moves.js
 */
const FITS = 0;

async function main(): Promise<void> {
  const t = await record();
  const moves = t.n - t.fits;
  // Per host: the pending moves since its last read (VM -> op index), an XOR hash of its VM set
  // (a VM is on a host at most once), that hash at its last read and whether it changed since.
  const pending = new Map<number, Map<number, number>>();
  const hash = new Map<number, number>();
  const readHash = new Map<number, number>();
  const changed = new Set<number>();
  const mix = (j: number): number => {
    let x = Math.imul(j + 1, 0x9e3779b1) >>> 0;
    x ^= x >>> 15;
    x = Math.imul(x, 0x85ebca6b) >>> 0;
    return (x ^ (x >>> 13)) >>> 0;
  };
  let undone = 0;
  let firstReads = 0;
  let sameAsLast = 0;
  for (let i = 0; i < t.n; i++) {
    const op = t.ops[3 * i];
    const h = t.ops[3 * i + 1];
    const j = t.ops[3 * i + 2];
    if (op === FITS) {
      pending.delete(h);
      if (changed.has(h)) {
        firstReads++;
        if ((hash.get(h) ?? 0) === (readHash.get(h) ?? 0)) sameAsLast++;
        changed.delete(h);
      }
      readHash.set(h, hash.get(h) ?? 0);
      continue;
    }
    changed.add(h);
    hash.set(h, ((hash.get(h) ?? 0) ^ mix(j)) >>> 0);
    let m = pending.get(h);
    if (!m) pending.set(h, (m = new Map()));
    const k = m.get(j);
    if (k !== undefined && t.ops[3 * k] !== op) {
      undone += 2;
      m.delete(j);
    } else m.set(j, i);
  }
  const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
  console.log(`placer's search on generated-large: ${(t.fits / 1e6).toFixed(2)} M what-ifs, ${(moves / 1e3).toFixed(0)} k adds and removes on ${t.hosts.length} hosts`);
  console.log(`  moves undone before their host is read: ${(undone / 1e3).toFixed(0)} k (${pct(undone, moves)})`);
  console.log(`  first reads of a host after it changed: ${(firstReads / 1e3).toFixed(0)} k (${pct(firstReads, t.fits)} of the what-ifs), ${(sameAsLast / 1e3).toFixed(1)} k of them on the VMs of its previous read`);
}

await main();
