import { describe, expect, test } from "vitest";
import { ExclusionCache, Occupancy, type FullState } from "../../../src/interference/core/occupancy.js";
import { createRng } from "../../../src/sim/rng.js";

/** Brute force: enumerate every runnable/not pattern of the vCPUs. */
function bruteFull(duties: number[], cores: number): FullState {
  let pf = 0;
  let en = 0;
  const n = duties.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    let p = 1;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const on = (mask >> i) & 1;
      p *= on ? duties[i] : 1 - duties[i];
      k += on;
    }
    if (k >= cores) {
      pf += p;
      en += p * k;
    }
  }
  return { pFull: pf, meanN: pf > 0 ? en / pf : cores };
}

const out = (): FullState => ({ pFull: 0, meanN: 0 });

describe("Occupancy (Poisson-binomial of runnable CPU-bound vCPUs)", () => {
  test("matches brute-force enumeration for heterogeneous duties, hogs and an extra VM", () => {
    const occ = new Occupancy();
    const duties = [0.3, 0.9, 0.55, 0.55, 0.72];
    occ.apply(1, 0.3, 1);
    occ.apply(1, 0.9, 1);
    occ.apply(2, 0.55, 1);
    occ.apply(1, 0.72, 1);
    occ.apply(2, 1, 1); // two hogs
    for (const cores of [2, 4, 6, 7]) {
      const got = out();
      occ.full(cores, 0, 0, 0, got);
      const want = bruteFull([...duties, 1, 1], cores);
      expect(got.pFull).toBeCloseTo(want.pFull, 12);
      expect(got.meanN).toBeCloseTo(want.meanN, 10);
      // With a 2-vCPU VM of duty 0.4 added as a what-if.
      occ.full(cores, 2, 0.4, 0, got);
      const want2 = bruteFull([...duties, 1, 1, 0.4, 0.4], cores);
      expect(got.pFull).toBeCloseTo(want2.pFull, 12);
      expect(got.meanN).toBeCloseTo(want2.meanN, 10);
      // With one 0.55 vCPU taken out (a mixed victim's own waking vCPU).
      occ.fullWithout(0.55, cores, 0, 0, 0, got, new ExclusionCache());
      const want3 = bruteFull([0.3, 0.9, 0.55, 0.72, 1, 1], cores);
      expect(got.pFull).toBeCloseTo(want3.pFull, 12);
    }
  });

  test("differs from a binomial at the mean duty (why not the mean)", () => {
    // 0.1 and 0.9 against 0.5 and 0.5: the same mean, not the same chance that both run.
    const a = new Occupancy();
    a.apply(1, 0.1, 1);
    a.apply(1, 0.9, 1);
    const b = new Occupancy();
    b.apply(2, 0.5, 1);
    const fa = out();
    const fb = out();
    a.full(2, 0, 0, 0, fa);
    b.full(2, 0, 0, 0, fb);
    expect(fa.pFull).toBeCloseTo(0.09, 12);
    expect(fb.pFull).toBeCloseTo(0.25, 12);
  });

  // Deconvolving instead drifted by up to 1e-7 here; removal rebuilds from the VMs left.
  test("10^5 random add/remove cycles stay within 1e-12 of a fresh build", () => {
    const rng = createRng(7, "occupancy");
    const occ = new Occupancy();
    const on: [number, number][] = [];
    for (let i = 0; i < 100_000; i++) {
      if (on.length > 0 && (on.length > 40 || rng.next() < 0.5)) {
        const k = rng.int(on.length);
        const [v, d] = on[k];
        on.splice(k, 1);
        occ.apply(v, d, -1);
      } else {
        const v = 1 + rng.int(2);
        const d = rng.next() < 0.15 ? 1 : 0.02 + 0.96 * rng.next();
        on.push([v, d]);
        occ.apply(v, d, 1);
      }
    }
    const fresh = new Occupancy();
    for (const [v, d] of on) fresh.apply(v, d, 1);
    for (let i = 0; i <= fresh.sleepyVcpus; i++) expect(Math.abs(occ.at(i) - fresh.at(i))).toBeLessThan(1e-12);
    expect(occ.hogs).toBe(fresh.hogs);
  });

  // The rebuild after a removal waits for the next read: it must give the bits that rebuilding at
  // once and convolving the later adds gave, whatever ran in between.
  test("removals read later give the same bits as removals read at once", () => {
    const rng = createRng(11, "occupancy-lazy");
    const lazy = new Occupancy();
    const eager = new Occupancy();
    const on: [number, number][] = [];
    const got = out();
    const want = out();
    for (let i = 0; i < 20_000; i++) {
      if (on.length > 0 && (on.length > 30 || rng.next() < 0.5)) {
        const [v, d] = on.splice(rng.int(on.length), 1)[0];
        lazy.apply(v, d, -1);
        eager.apply(v, d, -1);
      } else {
        const v = 1 + rng.int(3);
        const d = rng.next() < 0.15 ? 1 : 0.02 + 0.96 * rng.next();
        on.push([v, d]);
        lazy.apply(v, d, 1);
        eager.apply(v, d, 1);
      }
      eager.full(8, 0, 0, 0, want);
      // The lazy one is read now and then, after runs of up to 8 moves.
      if (rng.next() < 0.15) {
        lazy.full(8, 0, 0, 0, got);
        expect(got.pFull).toBe(want.pFull);
        expect(got.meanN).toBe(want.meanN);
        for (let k = 0; k <= eager.sleepyVcpus; k++) expect(lazy.at(k)).toBe(eager.at(k));
      }
    }
  });

  // credit1's OVER waits ask only P(all held), through atLeast: it must be full()'s pFull to the bit.
  test("atLeast is full()'s pFull, bit for bit, with and without an extra VM", () => {
    const rng = createRng(5, "occupancy-at-least");
    const occ = new Occupancy();
    const got = out();
    for (let i = 0; i < 300; i++) {
      const v = 1 + rng.int(3);
      occ.apply(v, rng.next() < 0.2 ? 1 : 0.02 + 0.96 * rng.next(), 1);
      const xs = rng.int(5);
      const xd = 0.01 + 0.98 * rng.next();
      const xh = rng.int(3);
      for (let cores = 1; cores <= 40; cores += 3) {
        occ.full(cores, xs, xd, xh, got);
        expect(occ.atLeast(cores, xs, xd, xh)).toBe(got.pFull);
        occ.full(cores, 0, 0, xh, got);
        expect(occ.atLeast(cores, 0, 0, xh)).toBe(got.pFull);
      }
    }
  });

  test("removing what was never added is a bug, not data", () => {
    expect(() => new Occupancy().apply(1, 0.5, -1)).toThrow(/never added/);
  });

  test("extra VMs asked one after another each get their own binomial weights (kept per VM size and duty)", () => {
    const occ = new Occupancy();
    occ.apply(3, 0.4, 1);
    occ.apply(1, 0.8, 1);
    const base = [0.4, 0.4, 0.4, 0.8];
    // Alternate sizes and duties (and repeat one): every answer is the brute force's for that extra VM.
    for (const [n, d] of [[2, 0.3], [2, 0.6], [3, 0.6], [2, 0.3], [1, 0.5]] as const) {
      for (const cores of [2, 3, 5]) {
        const want = bruteFull([...base, ...new Array<number>(n).fill(d)], cores);
        const got = out();
        occ.full(cores, n, d, 0, got);
        expect(got.pFull).toBeCloseTo(want.pFull, 12);
        expect(got.meanN).toBeCloseTo(want.meanN, 12);
        expect(occ.atLeast(cores, n, d, 0)).toBe(got.pFull);
      }
    }
  });
  // atLeastSiblings keeps each mixed VM's busy-count weights while it stays (moved with it when a
  // removal swaps the last VM into its slot) and its tails while the parts lists are as they were
  // built (a VM taken off and put back last, a hog moved): a stale weight or a reuse past a
  // change would answer for another host. Each answer must be the bits of an occupancy that ran
  // the same operations and is asked for the first time (nothing kept).
  test("the mixed VMs' kept weights and tails give a first ask's bits through adds, removes and put-backs", () => {
    type Op = readonly [vcpus: number, duty: number, io: number, sign: 1 | -1];
    const rng = createRng(11, "occupancy-siblings");
    const ops: Op[] = [];
    const on: [number, number, number][] = [];
    const run = (occ: Occupancy, op: Op): void => {
      occ.apply(op[0], op[1], op[3]);
      if (op[2] > 0) occ.applySibling(op[0], op[1], op[2], op[3]);
    };
    const occ = new Occupancy();
    let asked = 0;
    for (let i = 0; i < 400; i++) {
      let op: Op;
      const r = rng.next();
      if (on.length > 0 && (on.length > 12 || r < 0.4)) {
        const [v, d, io] = on.splice(rng.int(on.length), 1)[0];
        op = [v, d, io, -1];
      } else if (ops.length > 0 && ops[ops.length - 1][3] === -1 && r < 0.6) {
        // Put back what was just taken off: the lists as they were when it was last.
        const [v, d, io] = ops[ops.length - 1];
        on.push([v, d, io]);
        op = [v, d, io, 1];
      } else {
        const v = 1 + rng.int(4);
        const kind = rng.next();
        const d = kind < 0.15 ? 1 : 0.05 + 0.9 * rng.next();
        const io = kind >= 0.15 && kind < 0.7 && v >= 2 ? d * v * 0.5 * rng.next() : 0;
        on.push([v, d, io]);
        op = [v, d, io, 1];
      }
      ops.push(op);
      run(occ, op);
      for (const [cores, xs, xd, xio] of [[4, 0, 0, 0], [6, 2, 0.4, 0.3], [8, 3, 0.5, 0]] as const) {
        const first = new Occupancy();
        for (const o of ops) run(first, o);
        expect(occ.atLeastSiblings(cores, xs, xd, 0, xio)).toBe(first.atLeastSiblings(cores, xs, xd, 0, xio));
        asked++;
      }
    }
    expect(asked).toBe(1200);
    expect(occ.hasSiblings).toBe(on.some(([, , io]) => io > 0));
  });
});
