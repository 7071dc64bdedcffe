import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { EventQueue, NO_EVENT } from "../../src/sim/event-queue.js";

interface Entry {
  timeUs: number;
  priority: number;
  seq: number;
  arg: number;
}

const byKey = (a: Entry, b: Entry): number => a.timeUs - b.timeUs || a.priority - b.priority || a.seq - b.seq;
const noop = (): void => {};

describe("EventQueue", () => {
  test("orders by time, then priority, then insertion order", () => {
    const q = new EventQueue();
    q.push(10, 1, noop, 1);
    q.push(5, 2, noop, 2);
    q.push(10, 0, noop, 3);
    q.push(10, 1, noop, 4);
    q.push(5, 2, noop, 5);
    const out: number[] = [];
    while (q.size > 0) {
      out.push(q.topArg());
      q.removeTop();
    }
    expect(out).toEqual([2, 5, 3, 1, 4]);
  });

  test("cancel removes exactly one event and stale ids are ignored", () => {
    const q = new EventQueue(4);
    const a = q.push(1, 0, noop, 1);
    const b = q.push(2, 0, noop, 2);
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    expect(q.cancel(NO_EVENT)).toBe(false);
    const c = q.push(3, 0, noop, 3); // reuses a's slot with a new generation
    expect(q.cancel(a)).toBe(false);
    expect(q.isPending(c)).toBe(true);
    expect(q.size).toBe(2);
    expect(q.topArg()).toBe(2);
    q.removeTop();
    expect(q.isPending(b)).toBe(false);
    expect(q.cancel(b)).toBe(false);
    expect(q.topArg()).toBe(3);
  });

  test("an id stays stale however often its slot is reused, also across growth", () => {
    const q = new EventQueue(4);
    const first = q.push(0, 0, noop, -1);
    q.removeTop();
    const held = q.push(1e12, 0, noop, -2); // stays pending while 100,000s of events pass
    let t = 0;
    let staleCancels = 0;
    for (let i = 0; i < 100_000; i++) {
      q.push(t + 1, 0, noop, i);
      if (i % 1000 === 0) for (let k = 0; k < 40; k++) q.push(t + 2 + k, 1, noop, k); // force growth
      while (q.size > 1 && q.topTimeUs() <= t + 1) q.removeTop();
      t++;
      if (q.cancel(first)) staleCancels++;
    }
    expect(staleCancels).toBe(0);
    expect(q.isPending(held)).toBe(true);
    expect(q.cancel(held)).toBe(true);
    expect(q.isPending(held)).toBe(false);
  });

  test("rejects priorities outside 0..255", () => {
    const q = new EventQueue();
    expect(() => q.push(0, -1, noop)).toThrow(/priority/);
    expect(() => q.push(0, 1.5, noop)).toThrow(/priority/);
    for (const bad of [256, 511, -256, 2 ** 32, NaN, Infinity, 255.5]) expect(() => q.push(0, bad, noop)).toThrow(/priority/);
    for (const ok of [0, 1, 254, 255]) expect(q.push(0, ok, noop)).toBeGreaterThanOrEqual(0);
    expect(q.size).toBe(4);
  });

  test.each([1, 2, 3])("matches a sorted-array oracle under random push/pop/cancel (seed %i)", (seed) => {
    const rnd = seedrandom.alea(`queue-${seed}`);
    const q = new EventQueue(2); // small, so growth is exercised
    let oracle: (Entry & { id: number })[] = [];
    let seq = 0;
    for (let step = 0; step < 20000; step++) {
      const r = rnd();
      if (r < 0.5 || oracle.length === 0) {
        // Few distinct times and priorities so ties are common.
        const e = { timeUs: Math.floor(rnd() * 50), priority: Math.floor(rnd() * 3), seq: seq++, arg: step };
        oracle.push({ ...e, id: q.push(e.timeUs, e.priority, noop, e.arg) });
      } else if (r < 0.75) {
        const victim = oracle[Math.floor(rnd() * oracle.length)];
        expect(q.cancel(victim.id)).toBe(true);
        oracle = oracle.filter((e) => e !== victim);
      } else {
        oracle.sort(byKey);
        const first = oracle.shift() as Entry;
        expect([q.topTimeUs(), q.topArg()]).toEqual([first.timeUs, first.arg]);
        q.removeTop();
      }
      expect(q.size).toBe(oracle.length);
    }
  });

  test.each([4, 5, 6])("takeTop/finishTop with pushes and cancels between them matches the oracle (seed %i)", (seed) => {
    // The simulator's protocol: take the earliest event, let its "handler" push and cancel, then
    // finish; the first push overwrites the taken root, and cancelled entries may surface there.
    const rnd = seedrandom.alea(`taken-${seed}`);
    const q = new EventQueue(2);
    let oracle: (Entry & { id: number })[] = [];
    let seq = 0;
    const push = (step: number): void => {
      const e = { timeUs: Math.floor(rnd() * 50), priority: Math.floor(rnd() * 3), seq: seq++, arg: step };
      oracle.push({ ...e, id: q.push(e.timeUs, e.priority, noop, e.arg) });
    };
    for (let i = 0; i < 8; i++) push(-i);
    for (let step = 0; step < 20000; step++) {
      while (oracle.length < 6) push(step);
      oracle.sort(byKey);
      const first = oracle.shift() as Entry & { id: number };
      expect([q.topTimeUs(), q.topArg()]).toEqual([first.timeUs, first.arg]);
      q.takeTop();
      expect(q.isPending(first.id)).toBe(false);
      expect(q.cancel(first.id)).toBe(false);
      for (let k = Math.floor(rnd() * 5); k > 0; k--) {
        if (rnd() < 0.55 || oracle.length === 0) push(step);
        else {
          const victim = oracle[Math.floor(rnd() * oracle.length)];
          expect(q.cancel(victim.id)).toBe(true);
          oracle = oracle.filter((e) => e !== victim);
        }
      }
      q.finishTop();
      expect(q.size).toBe(oracle.length);
    }
  });
});
