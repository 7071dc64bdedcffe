import { describe, expect, test } from "vitest";
import { bobtail, xen } from "./xen-scenario.js";

// Golden-trace determinism: credit1 draws no random numbers of its own (ties are broken by fixed
// rotations), so the same scenario and seed give the same result byte for byte.

describe("credit1 determinism", () => {
  test("same seed, identical result; another seed, a different one", () => {
    const run = (seed: number) => JSON.stringify(xen(4, bobtail(6, 0.5, 10), { seed, durationMs: 5000 }));
    const a = run(7);
    expect(run(7)).toBe(a);
    expect(run(8)).not.toBe(a);
  });

  // Golden numbers: any change to credit1, host-sim or the workloads' draws moves them. Refresh
  // (vitest -u) only after deciding the change is meant, and say so in the commit. events: 13420
  // before quiet tick instants and most accounting deferrals stopped being events
  // (byte-identity.test.ts; the rest unchanged).
  test("a fixed scenario keeps its golden numbers", () => {
    const r = xen(2, bobtail(3, 0.5, 10), { seed: 3, durationMs: 3000 });
    const io = r.vms[0];
    expect({
      events: r.eventsProcessed,
      switches: r.contextSwitches,
      ioBoosts: io.boosts,
      ioP99Us: io.wakeToRun.p99Us,
      cpuUs: r.vms.map((v) => v.cpuUs),
    }).toMatchInlineSnapshot(`
      {
        "cpuUs": [
          145900,
          1419921,
          1438441,
          1424925,
        ],
        "events": 12256,
        "ioBoosts": 26,
        "ioP99Us": 9407.5,
        "switches": 1086,
      }
    `);
  });
});
