import type { SchedContext } from "../../cpu-scheduler.js";
import type { RunQueue } from "./run-queue.js";
import type { Credit2Units } from "./units.js";

/** Credit2View is what the invariants read of the policy's state. */
export interface Credit2View {
  readonly u: Credit2Units;
  readonly queues: readonly RunQueue[];
  readonly rqOfCpu: Int32Array;
  /** The vCPU on each pCPU, -1 when idle. */
  readonly curr: Int32Array;
  /** Idle pCPUs per run queue (tickle's shortcut). */
  readonly idleCount: Int32Array;
}

/**
 * verifyCredit2 checks the invariants that tie credit2's run queues, per-vCPU flags, loads and
 * host-sim's view together, and throws on the first broken one. O(vCPUs x queue length) per call:
 * the policy runs it after every event only when asked (Credit2Options.verify, the stress tests).
 */
export function verifyCredit2(s: Credit2View, ctx: SchedContext): void {
  const { u, queues, curr } = s;
  const n = ctx.vcpus.length;
  const seen = new Int32Array(n).fill(-1);
  for (const rq of queues) verifyQueue(s, rq, seen);
  for (let p = 0; p < curr.length; p++) {
    const v = curr[p];
    const shown = ctx.running(p);
    if (shown !== (v >= 0 ? v : null)) fail(`pCPU ${p} runs vCPU ${v} but host-sim shows ${shown}`);
    if (v < 0) continue;
    if (u.processor[v] !== p) fail(`vCPU ${v} runs on pCPU ${p} but its processor is ${u.processor[v]}`);
    if (u.rq[v] !== s.rqOfCpu[p]) fail(`vCPU ${v} runs on pCPU ${p} (queue ${s.rqOfCpu[p]}) but is assigned to queue ${u.rq[v]}`);
    if (u.queued[v]) fail(`vCPU ${v} runs on pCPU ${p} and is queued`);
  }
  for (let v = 0; v < n; v++) {
    if (u.queued[v] && seen[v] < 0) fail(`vCPU ${v} is flagged queued but waits in no queue`);
    if (u.parked[v] && u.queued[v]) fail(`vCPU ${v} is parked and queued`);
    const running = curr[u.processor[v]] === v;
    // A parked vCPU may still hold its pCPU until its reschedule of this instant runs.
    const shouldCompete = ctx.hasWork(v) && !u.parked[v];
    if (shouldCompete && !running && !u.queued[v]) fail(`vCPU ${v} has work but is neither running nor queued`);
    if (!ctx.hasWork(v) && u.queued[v]) fail(`vCPU ${v} has no work but is queued`);
  }
}

function verifyQueue(s: Credit2View, rq: RunQueue, seen: Int32Array): void {
  const { u, curr } = s;
  let maxWeight = 1;
  for (const v of rq.members) {
    if (u.rq[v] !== rq.id) fail(`vCPU ${v} is a member of queue ${rq.id} but assigned to queue ${u.rq[v]}`);
    if (u.weight[v] > maxWeight) maxWeight = u.weight[v];
  }
  if (maxWeight !== rq.maxWeight) fail(`queue ${rq.id}: max weight ${rq.maxWeight}, members say ${maxWeight}`);
  let prev = Infinity;
  rq.forEachWaiting((v) => {
    if (seen[v] >= 0) fail(`vCPU ${v} waits in queue ${rq.id} and queue ${seen[v]}`);
    seen[v] = rq.id;
    if (!u.queued[v]) fail(`vCPU ${v} waits in queue ${rq.id} but is not flagged queued`);
    if (u.rq[v] !== rq.id) fail(`vCPU ${v} waits in queue ${rq.id} but is assigned to queue ${u.rq[v]}`);
    if (u.credit[v] > prev) fail(`queue ${rq.id} is out of credit order at vCPU ${v}`);
    prev = u.credit[v];
  });
  let running = 0;
  for (const p of rq.cpus) {
    const v = curr[p];
    if (v < 0) continue;
    running++;
    // tickle skips its scan on this bound (tickle-scan.ts cannotOutcredit): it must be one.
    if (rq.burnsCommute && u.credit[v] + u.burnFromUs[v] < rq.runnersZeroAtUs)
      fail(`queue ${rq.id}: vCPU ${v}'s credit reaches 0 at ${u.credit[v] + u.burnFromUs[v]} us, before the bound ${rq.runnersZeroAtUs} us`);
  }
  if (s.idleCount[rq.id] !== rq.cpus.length - running)
    fail(`queue ${rq.id}: idle count ${s.idleCount[rq.id]}, ${rq.cpus.length - running} pCPUs idle`);
  if (rq.load !== rq.waitingCount + running) fail(`queue ${rq.id}: load ${rq.load}, ${rq.waitingCount} waiting + ${running} running`);
}

function fail(message: string): never {
  throw new Error(`xen-credit2 invariant: ${message}`);
}
