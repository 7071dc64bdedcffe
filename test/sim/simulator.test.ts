import { describe, expect, test } from "vitest";
import { Simulator, type TimerLane } from "../../src/sim/simulator.js";

describe("Simulator", () => {
  test("runs handlers in time order with the clock at each event's time", () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.schedule(30, 0, () => seen.push(`c@${sim.now()}`));
    sim.schedule(10, 0, () => {
      seen.push(`a@${sim.now()}`);
      sim.schedule(5, 0, () => seen.push(`b@${sim.now()}`));
    });
    sim.run();
    expect(seen).toEqual(["a@10", "b@15", "c@30"]);
    expect(sim.eventsProcessed).toBe(3);
  });

  test("run stops before events at untilUs and leaves the clock there", () => {
    const sim = new Simulator();
    let ran = 0;
    sim.scheduleAt(99, 0, () => ran++);
    sim.scheduleAt(100, 0, () => ran++);
    sim.run({ untilUs: 100 });
    expect(ran).toBe(1);
    expect(sim.now()).toBe(100);
    sim.run({ untilUs: 101 });
    expect(ran).toBe(2);
  });

  test("cancelled events never run and are not counted", () => {
    const sim = new Simulator();
    let ran = 0;
    const id = sim.schedule(10, 0, () => ran++);
    sim.schedule(5, 0, () => expect(sim.cancel(id)).toBe(true));
    sim.run();
    expect(ran).toBe(0);
    expect(sim.eventsProcessed).toBe(1);
  });

  test("same time: lower priority number first, then scheduling order", () => {
    const sim = new Simulator();
    const seen: number[] = [];
    sim.scheduleAt(7, 2, (a) => seen.push(a), 1);
    sim.scheduleAt(7, 1, (a) => seen.push(a), 2);
    sim.scheduleAt(7, 2, (a) => seen.push(a), 3);
    sim.run();
    expect(seen).toEqual([2, 1, 3]);
  });

  test("rejects past and fractional times, and stops runaway runs", () => {
    const sim = new Simulator();
    sim.run({ untilUs: 50 });
    expect(() => sim.scheduleAt(49, 0, () => {})).toThrow(/past/);
    expect(() => sim.schedule(1.5, 0, () => {})).toThrow(/integer/);
    const again = (): void => void sim.schedule(0, 0, again);
    again();
    expect(() => sim.run({ untilUs: 60, maxEvents: 1000 })).toThrow(/runaway/);
  });

  test("stop ends run after the current handler", () => {
    const sim = new Simulator();
    let ran = 0;
    sim.schedule(1, 0, () => {
      ran++;
      sim.stop();
    });
    sim.schedule(2, 0, () => ran++);
    sim.run({ untilUs: 10 });
    expect(ran).toBe(1);
    expect(sim.now()).toBe(1);
  });

  test("inside a handler, nextTimeUs is the next pending event's; a handler that threw leaves the queue usable", () => {
    const sim = new Simulator();
    const seen: number[] = [];
    sim.schedule(1, 0, () => {
      seen.push(sim.nextTimeUs()); // the running event (t=1) is no longer pending
      sim.schedule(4, 0, () => seen.push(sim.now()));
    });
    sim.schedule(3, 0, () => {
      throw new Error("boom");
    });
    expect(() => sim.run({ untilUs: 10 })).toThrow(/boom/);
    expect(seen).toEqual([3]);
    expect([sim.pending, sim.nextTimeUs()]).toEqual([1, 5]);
    sim.run({ untilUs: 10 });
    expect(seen).toEqual([3, 5]);
    expect(sim.eventsProcessed).toBe(3);
  });

  test("a timer lane's timer runs when strictly before the queue's next event, after those of its microsecond, uncounted", () => {
    const sim = new Simulator();
    const seen: string[] = [];
    // Lane timers at 10, 10, 20, 20 and 50, and one at 35 (a queue event's instant) set by the first at 20.
    const due = [10, 10, 20, 20, 50];
    let at20 = 0;
    const lane: TimerLane = {
      get nextUs() {
        return due.length > 0 ? Math.min(...due) : Infinity;
      },
      runNext() {
        const t = Math.min(...due);
        due.splice(due.indexOf(t), 1);
        seen.push(`lane@${sim.now()}`);
        expect(sim.now()).toBe(t);
        if (t === 20 && at20++ === 0) {
          due.push(35);
          sim.schedule(0, 1, () => seen.push(`q0@${sim.now()}`));
        }
      },
    };
    sim.setLane(lane);
    expect(() => sim.setLane(lane)).toThrow(/already/);
    sim.schedule(10, 9, () => seen.push(`q@${sim.now()}`));
    sim.schedule(35, 1, () => seen.push(`q@${sim.now()}`));
    sim.run({ untilUs: 50 });
    // At 10 and 35 the queue's event goes first whatever its priority; at 20 the event the first
    // lane timer queued for its own instant runs before the second; 50 is the run's end.
    expect(seen).toEqual(["q@10", "lane@10", "lane@10", "lane@20", "q0@20", "lane@20", "q@35", "lane@35"]);
    expect(sim.eventsProcessed).toBe(3);
    expect(sim.now()).toBe(50);
    expect(() => sim.step()).toThrow(/lane/);
    sim.run();
    expect(seen.at(-1)).toBe("lane@50");
  });

  test("keyed events run where the queue would have run them: by time, then priority, then push order", () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.keyedEvents(4, (k) => {
      seen.push(`k${k}@${sim.now()}`);
      // From inside a handler, the next time counts the keyed events too.
      if (k === 1) seen.push(`next ${sim.nextTimeUs()}`);
    });
    expect(() => sim.keyedEvents(2, () => undefined)).toThrow(/already/);
    sim.scheduleAt(10, 1, () => seen.push(`a@${sim.now()}`));
    sim.setKeyed(0, 10, 1);
    sim.scheduleAt(10, 1, () => seen.push(`b@${sim.now()}`));
    sim.setKeyed(1, 10, 0);
    // Re-timed (a cancel and a push): it goes after b, pushed before the new setting.
    sim.setKeyed(2, 5, 1);
    sim.setKeyed(2, 10, 1);
    sim.setKeyed(3, 7, 1);
    sim.clearKeyed(3);
    sim.setKeyed(3, 30, 2);
    sim.scheduleAt(30, 2, () => seen.push(`c@${sim.now()}`));
    expect(sim.nextTimeUs()).toBe(10);
    sim.run({ untilUs: 30 });
    expect(seen).toEqual(["k1@10", "next 10", "a@10", "k0@10", "b@10", "k2@10"]);
    expect(sim.eventsProcessed).toBe(5);
    expect(() => sim.setKeyed(0, 29, 1)).toThrow(/past/);
    sim.run();
    expect(seen.slice(6)).toEqual(["k3@30", "c@30"]);
  });
});
