import { describe, expect, test } from "vitest";
import { NO_TIMER } from "../../src/sim/cpu-scheduler.js";
import { HostSim } from "../../src/sim/host-sim.js";
import { HostMetrics } from "../../src/sim/metrics.js";
import { createRng } from "../../src/sim/rng.js";
import { OwnTimers } from "../../src/sim/schedulers/own-timers.js";
import { Simulator } from "../../src/sim/simulator.js";
import { scenario } from "./helpers.js";

/** A host whose simulator runs no timer lane: OwnTimers then wakes itself with a queue event. */
class NoLaneHost extends HostSim {
  override timerLane(): boolean {
    return false;
  }
}

function host(sim: Simulator, lane = true): HostSim {
  const s = scenario(1, [{ workload: { kind: "idle" } }]);
  return new (lane ? HostSim : NoLaneHost)(sim, 1, s.vms, new HostMetrics(s.vms), createRng(1, "scheduler"));
}

/**
 * race drives timers from their own handlers and from workload events with a seeded stream of
 * random settings, re-settings and cancels, many of them in the instant they are made (the
 * ties OwnTimers must order as the queue does), and logs what ran when. `own` sends the policy's
 * timers to OwnTimers (in the simulator's timer lane, or with `lane` false woken by a queue
 * event); otherwise to host-sim's queue, keyed ones as a cancel and a new timer.
 */
function race(own: boolean, seed: number, lane = true): { log: string[]; events: number } {
  const sim = new Simulator();
  const h = host(sim, lane || !own);
  const rng = createRng(seed, "own-timers-test");
  const log: string[] = [];
  const keys = 5;
  const keyedId = new Array<number>(keys).fill(NO_TIMER);
  const others: number[] = [];
  const act = (): void => {
    if (log.length > 3000) return;
    for (let k = rng.int(3); k >= 0; k--) {
      const at = h.now() + (rng.next() < 0.4 ? 0 : rng.int(40));
      const what = rng.int(10);
      if (what < 4) setKeyed(rng.int(keys), at);
      else if (what < 7) others.push(clock.timer(at, other, rng.int(1000)));
      else if (what < 8 && others.length > 0) clock.cancelTimer(others.splice(rng.int(others.length), 1)[0]);
      else h.scheduleWorkload(at, workload, rng.int(1000));
    }
  };
  const ran = (what: string): void => {
    log.push(`${what}@${h.now()}`);
    act();
  };
  const keyed = (key: number): void => ran(`key ${key}`);
  const other = (tag: number): void => ran(`timer ${tag}`);
  const workload = (tag: number): void => ran(`workload ${tag}`);
  // Made only when used: in the lane it refuses host-sim's timers, which the queue variant sets.
  const ownTimers = own ? new OwnTimers(h, keys, keyed) : null;
  const clock = ownTimers ?? h;
  const setKeyed = (key: number, at: number): void => {
    if (ownTimers !== null) return ownTimers.setKeyed(key, at);
    h.cancelTimer(keyedId[key]);
    keyedId[key] = h.timer(at, (k) => ((keyedId[k] = NO_TIMER), keyed(k)), key);
  };
  for (let i = 0; i < 8; i++) act();
  sim.run({ untilUs: 20_000 });
  return { log, events: sim.eventsProcessed };
}

describe("OwnTimers", () => {
  test.each([1, 2, 3, 4, 5])("runs timers when and in the order host-sim's queue runs them (seed %i)", (seed) => {
    const viaQueue = race(false, seed);
    const viaOwn = race(true, seed);
    const viaWakeUps = race(true, seed, false);
    expect(viaOwn.log.length).toBeGreaterThan(1000);
    expect(viaOwn.log).toEqual(viaQueue.log);
    expect(viaWakeUps.log).toEqual(viaQueue.log);
    // Same-instant ties among the policy's own timers and workload events both occurred.
    expect(viaOwn.log.some((e, i) => i > 0 && e.startsWith("key") && e.split("@")[1] === viaOwn.log[i - 1].split("@")[1])).toBe(true);
    // Woken by the queue, stretches of timers with no workload event between them took one queue
    // event each; in the lane none takes one (only the workload events are left).
    expect(viaWakeUps.events).toBeLessThan(viaQueue.events);
    expect(viaOwn.events).toBe(viaOwn.log.filter((e) => e.startsWith("workload")).length);
  });

  test("a timer in the past or between microseconds is refused by name", () => {
    const sim = new Simulator();
    const timers = new OwnTimers(host(sim), 1, () => {});
    sim.scheduleAt(10, 0, () => {
      expect(() => timers.setKeyed(0, 9)).toThrow(/own-timers: timer time 9 us/);
      expect(() => timers.timer(10.5, () => {})).toThrow(/not an integer/);
    });
    sim.run();
  });
});

describe("Simulator.advance", () => {
  test("moves the clock only while nothing is due at or before the new instant", () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.scheduleAt(10, 1, () => {
      seen.push(`15:${sim.advance(15)}@${sim.now()}`);
      seen.push(`20:${sim.advance(20)}@${sim.now()}`);
      seen.push(`25:${sim.advance(25)}@${sim.now()}`);
    });
    sim.scheduleAt(20, 2, () => {
      seen.push(`29:${sim.advance(29)}@${sim.now()}`);
      seen.push(`30:${sim.advance(30)}@${sim.now()}`);
      expect(() => sim.advance(28)).toThrow(/in the past/);
    });
    sim.run({ untilUs: 30 });
    // An event due at 20 stops an advance to 20 whatever its priority; the run's end stops one to 30.
    expect(seen).toEqual(["15:true@15", "20:false@15", "25:false@15", "29:true@29", "30:false@29"]);
    expect(sim.now()).toBe(30);
  });
});
