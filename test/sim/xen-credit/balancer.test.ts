import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { Balancer } from "../../../src/sim/schedulers/xen-credit/balancer.js";
import { PRI_BOOST, PRI_IDLE, PRI_OVER, PRI_UNDER } from "../../../src/sim/schedulers/xen-credit/constants.js";
import { MASK_CPUS, RunQueues } from "../../../src/sim/schedulers/xen-credit/run-queues.js";

const PRIS = [PRI_BOOST, PRI_UNDER, PRI_OVER];

/** A random credit1 state: some pCPUs idle, vCPUs queued with random priorities and last runs. */
function randomState(nCpus: number, nVcpus: number, rnd: () => number) {
  const pri = Int8Array.from({ length: nVcpus }, () => PRIS[Math.floor(rnd() * 3)]);
  const rq = new RunQueues(nVcpus, nCpus, pri);
  const curr = Int32Array.from({ length: nCpus }, () => (rnd() < 0.3 ? -1 : 0));
  const lastSchedUs = Float64Array.from({ length: nVcpus }, () => Math.floor(rnd() * 1000));
  for (let v = 0; v < nVcpus; v++) if (rnd() < 0.6) rq.insert(v, Math.floor(rnd() * nCpus));
  return { pri, rq, curr, lastSchedUs };
}

/**
 * expectedSteal is csched_load_balance's rule written out plainly: peers in order after the last
 * successful victim, busy ones only, the first queued vCPU above minPri that is not cache-hot.
 */
function expectedSteal(s: ReturnType<typeof randomState>, bias: number, p: number, minPri: number, hotAfterUs: number) {
  const n = s.curr.length;
  for (let k = 1; k <= n; k++) {
    const q = (bias + k) % n;
    if (q === p || s.curr[q] < 0) continue;
    for (let u = s.rq.head(q); u >= 0; u = s.rq.after(u)) {
      if (s.pri[u] <= minPri) break;
      if (s.lastSchedUs[u] <= hotAfterUs) return { u, q };
    }
  }
  return { u: -1, q: bias };
}

describe("credit1 balancer", () => {
  // Hosts up to MASK_CPUS pCPUs scan a bitmask of non-empty queues, larger ones every pCPU: both
  // must pick exactly what the plain rule picks, or runs would differ between host sizes.
  test.each([2, 8, MASK_CPUS, MASK_CPUS + 2])("steal picks what the plain scan picks (%i pCPUs)", (nCpus) => {
    const rnd = seedrandom.alea(`steal-${nCpus}`);
    let checked = 0;
    for (let trial = 0; trial < 400; trial++) {
      const s = randomState(nCpus, 2 * nCpus, rnd);
      const delayUs = rnd() < 0.5 ? 0 : 300;
      const balancer = new Balancer(nCpus, s.curr, s.rq, s.lastSchedUs, delayUs);
      let bias = 0; // a fresh Balancer starts its rotation at pCPU 0
      for (let call = 0; call < 6; call++) {
        const p = Math.floor(rnd() * nCpus);
        const minPri = rnd() < 0.5 ? PRI_IDLE : PRI_OVER;
        const nowUs = 1000;
        const want = expectedSteal(s, bias, p, minPri, nowUs - delayUs);
        const got = balancer.steal(p, minPri, nowUs);
        expect(got).toBe(want.u);
        if (got >= 0) {
          expect(s.rq.queuedOn[got]).toBe(-1); // taken off its queue
          bias = want.q;
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
