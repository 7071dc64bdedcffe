import { describe, expect, test } from "vitest";
import type { HostSimResult, Scenario } from "../../../src/model/scenario.js";
import { simulateHost } from "../../../src/sim/simulate-host.js";
import { bobtailVms, cfsFactory, fairScenario, ioVm, sleepy, type FairKind } from "./helpers.js";

// Lazy halt-poll expiries (kvm-fair/lazy-poll.ts): while every CPU is quiet, a window that runs
// out is closed at the next event, as of its own instant, instead of by a timer. Every result
// must be the one of a run that queues each expiry as a timer, to the byte; only the event count
// may fall. The lazy runs verify the run-queue invariants and host-sim's view after every event.
// The scenarios reach what decides whether a window may stay lazy: lone 1-vCPU VMs (most
// expiries lazy), VMs spread over CPUs (their windows pinned as timers), windows shorter than,
// equal to and longer than the tick (ties with the tick grid), a driver domain that does not
// bill guests (its vCPUs poll too), and fixed arrivals landing on window ends.

const withoutEvents = (r: HostSimResult) => JSON.stringify({ ...r, eventsProcessed: 0 });

function compare(s: Scenario): { lazy: HostSimResult; timed: HostSimResult } {
  const lazy = simulateHost(s, { factory: cfsFactory({ verify: true }) });
  const timed = simulateHost(s, { factory: cfsFactory({ timedPolls: true }) });
  expect(withoutEvents(lazy)).toBe(withoutEvents(timed));
  return { lazy, timed };
}

const cell = bobtailVms();
const ping = { kind: "io", requestsPerSec: 500, serviceUs: 40, arrival: "fixed" } as const;

describe.each(["kvm-cfs", "kvm-eevdf"] as const)("%s: lazy halt-poll expiries", (kind: FairKind) => {
  test("1-vCPU VMs on 8 CPUs: same bytes, most expiries leave the event queue", () => {
    const { lazy, timed } = compare(fairScenario(kind, 8, cell, { durationMs: 2000, seed: 11 }));
    // About one event in three is an expiry on this cell (one per burst and per request).
    expect(lazy.eventsProcessed).toBeLessThan(timed.eventsProcessed * 0.85);
  });

  test.each([
    { name: "window shorter than the tick, fixed arrivals", haltPollUs: 300, tickUs: 1000 },
    { name: "window equal to the tick", haltPollUs: 1000, tickUs: 1000 },
    { name: "window longer than the tick", haltPollUs: 2500, tickUs: 1000 },
    { name: "window on a 4 ms tick", haltPollUs: 2000, tickUs: 4000 },
  ])("$name: same bytes", ({ haltPollUs, tickUs }) => {
    const vms = [{ workload: ping }, { workload: ioVm(700, 60) }, { workload: sleepy(0.5, 3) }, { workload: sleepy(0.3, 1) }];
    compare(fairScenario(kind, 3, vms, { durationMs: 2000, seed: 12, scheduler: { haltPollUs, tickUs } }));
  });

  test("VMs spread over CPUs: their windows stay timers, same bytes", () => {
    const vms = [{ vcpus: 2, workload: sleepy(0.4, 5) }, { vcpus: 3, cpuWeight: 300, workload: sleepy(0.3, 2) }];
    const { lazy, timed } = compare(fairScenario(kind, 3, vms, { durationMs: 2000, seed: 13 }));
    expect(lazy.eventsProcessed).toBe(timed.eventsProcessed);
  });

  test("a driver domain that does not bill guests: same bytes", () => {
    const s = fairScenario(kind, 4, cell.slice(0, 6), { durationMs: 2000, warmupMs: 300, seed: 14, driver: { chargeDriverWork: false } });
    const { lazy, timed } = compare(s);
    expect(lazy.eventsProcessed).toBeLessThan(timed.eventsProcessed);
  });
});
