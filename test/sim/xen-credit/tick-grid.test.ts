import { describe, expect, test } from "vitest";
import type { SchedContext } from "../../../src/sim/cpu-scheduler.js";
import { TickGrid } from "../../../src/sim/schedulers/xen-credit/tick-grid.js";
import { Simulator } from "../../../src/sim/simulator.js";

// TickGrid runs credit1's ticks in the order their events would have had (tick-grid.ts): a ticker
// started earlier ticks first at a shared instant, a re-armed one keeps its place, one started
// during an instant's ticks goes behind, and owed instants run only when a caller catches up.

const TICK_US = 10_000;

/** grid builds a TickGrid on a real simulator; onTick logs "p@atUs" and says who stays busy. */
function grid(busy: (p: number, atUs: number) => boolean = () => true) {
  const sim = new Simulator();
  const ctx = {
    now: () => sim.now(),
    timer: (atUs: number, fn: (arg: number) => void, arg = 0) => sim.scheduleAt(atUs, 2, fn, arg),
  } as Pick<SchedContext, "now" | "timer"> as SchedContext;
  const log: string[] = [];
  let afterEvents = 0;
  const g: TickGrid = new TickGrid(
    ctx,
    4,
    TICK_US,
    (p, atUs) => {
      log.push(`${p}@${atUs}${atUs === sim.now() ? "" : " late"}`);
      return busy(p, atUs);
    },
    () => afterEvents++,
  );
  return { sim, g, log, afterEvents: () => afterEvents };
}

describe("credit1 tick grid", () => {
  test("tickers tick on the global grid in start order, not pCPU order, and keep their places", () => {
    const { g, log } = grid();
    g.start(2, 3_000);
    g.start(0, 5_000);
    g.start(2, 6_000); // already ticking: keeps its place
    expect(g.nextUs).toBe(10_000);
    g.catchUp(25_000, false);
    expect(log).toEqual(["2@10000 late", "0@10000 late", "2@20000 late", "0@20000 late"]);
    expect(g.nextUs).toBe(30_000);
  });

  // As with events: a tick is re-armed after its handler ran, so a ticker its handler started
  // (a vCPU moved to an idle pCPU) was queued first; the later ticks of the instant re-arm behind.
  test("a ticker started during an instant's ticks goes behind the re-arms queued before it", () => {
    let g!: TickGrid;
    const t = grid((p, atUs) => {
      if (p === 0 && atUs === 10_000) g.start(1, atUs);
      return true;
    });
    g = t.g;
    g.start(3, 1_000);
    g.start(0, 2_000);
    g.catchUp(20_000, true);
    expect(t.log).toEqual(["3@10000 late", "0@10000 late", "3@20000 late", "1@20000 late", "0@20000 late"]);
  });

  test("an instant is owed to workload callers of its microsecond, run for policy timers there", () => {
    const { g, log } = grid();
    g.start(1, 0);
    g.catchUp(10_000, false);
    expect(log).toEqual([]);
    g.catchUp(10_000, true);
    expect(log).toEqual(["1@10000 late"]);
  });

  test("a pCPU found idle stops ticking; started again, it ticks behind the others", () => {
    const { g, log } = grid((p, atUs) => !(p === 0 && atUs === 10_000));
    g.start(0, 0);
    g.start(1, 0);
    g.catchUp(10_000, true);
    g.start(0, 12_000);
    g.catchUp(30_000, true);
    expect(log).toEqual(["0@10000 late", "1@10000 late", "1@20000 late", "0@20000 late", "1@30000 late", "0@30000 late"]);
  });

  test("an instant queued as an event runs on time, once, and is reported after", () => {
    const { sim, g, log, afterEvents } = grid();
    g.start(2, 500);
    expect(g.queuedAt(10_000)).toBe(false);
    g.ensureEvent();
    g.ensureEvent();
    expect(sim.pending).toBe(1);
    expect(g.queuedAt(10_000)).toBe(true);
    sim.run({ untilUs: 15_000 });
    expect(log).toEqual(["2@10000"]);
    expect(afterEvents()).toBe(1);
    expect(g.queuedAt(10_000)).toBe(false);
    expect(g.nextUs).toBe(20_000);
  });
});
