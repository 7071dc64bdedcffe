import { describe, expect, test } from "vitest";
import { replayCell } from "../../bench/sim-replay.js";

// bench/sim-replay.ts times the shared machinery under a policy's exact switch sequence by
// replaying the recorded dispatches with a policy that decides nothing. The fair class closes
// halt-poll windows late (an idle as of an earlier instant, at the next call or settle), so those
// idles and the settle calls are replayed too: the replay must reproduce every VM-visible byte of
// the recorded run, or its time would be the machinery of some other run.
describe("switch replay (bench/sim-replay.ts)", () => {
  test.each(["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"] as const)("%s: the replay's output is the recorded run's", (kind) => {
    expect(replayCell(kind, 3000, 1).identical).toBe(true);
  });
});
