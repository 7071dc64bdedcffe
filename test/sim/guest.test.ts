import { describe, expect, test } from "vitest";
import { GuestWork } from "../../src/sim/guest.js";

describe("GuestWork", () => {
  test("requests are served FIFO, also after the ring buffer wraps and grows", () => {
    const g = new GuestWork([10]);
    const done: number[] = [];
    const finishHead = (): void => {
      g.consume(0, g.headRemainingUs(0));
      done.push(g.completeHead(0));
    };
    for (const t of [1, 2, 3]) g.addRequest(0, t);
    finishHead();
    finishHead();
    for (let t = 4; t <= 20; t++) g.addRequest(0, t);
    while (g.hasWork(0)) finishHead();
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  test("a request runs before the rest of the burst, which then resumes where it stopped", () => {
    const g = new GuestWork([50]);
    expect(g.addBurst(0, 1000)).toBe(true);
    g.consume(0, 300);
    expect(g.addRequest(0, 300)).toBe(true); // the head changed: the request preempts the burst
    expect(g.addRequest(0, 310)).toBe(false);
    expect(g.headRemainingUs(0)).toBe(50);
    g.consume(0, 50);
    expect(g.completeHead(0)).toBe(300);
    g.consume(0, 50);
    expect(g.completeHead(0)).toBe(310);
    expect(g.headRemainingUs(0)).toBe(700);
    g.consume(0, 700);
    expect(g.completeHead(0)).toBe(-1);
    expect(g.hasWork(0)).toBe(false);
  });

  test("a burst left at 0 behind a request still has to complete", () => {
    const g = new GuestWork([50]);
    g.addBurst(0, 100);
    g.consume(0, 100); // finishes in this µs, but a request arrives first
    g.addRequest(0, 100);
    g.consume(0, 50);
    expect(g.completeHead(0)).toBe(100);
    expect(g.hasBurst(0)).toBe(true);
    expect(g.headRemainingUs(0)).toBe(0);
    expect(g.completeHead(0)).toBe(-1);
  });

  test("running past an item or completing unfinished work is a bug", () => {
    const g = new GuestWork([50]);
    g.addRequest(0, 0);
    expect(() => g.consume(0, 51)).toThrow(/ran past/);
    expect(() => g.completeHead(0)).toThrow(/unfinished/);
    expect(() => new GuestWork([50]).consume(0, 1)).toThrow(/ran past/);
  });
});
