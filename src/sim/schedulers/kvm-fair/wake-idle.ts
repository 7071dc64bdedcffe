import type { CfsHierarchy } from "./hierarchy.js";
import { placeThread } from "./lone.js";
import { RUNNING } from "./state.js";

/*
 * A wake-up onto an idle CPU, the cell's commonest event (most of the fair class's enqueues): the
 * thread and its group entity would each be inserted into an empty queue, picked at once by
 * __schedule and taken out again as curr. enqueueAsCurr does the same moves without the queue
 * round trip, leaving every field as the long path leaves it (same doubles, same order).
 */

/**
 * runsAtOnce: thread v woken onto CPU p goes straight to curr at both levels: p is idle with an
 * empty root queue (no delayed group entity either), v's group queue is empty, and no quota can
 * throttle the group as it arrives.
 */
export function runsAtOnce(h: CfsHierarchy, v: number, p: number): boolean {
  const cpu = h.cpus[p];
  if (cpu.current >= 0 || cpu.root.nrRunning !== 0 || cpu.root.curr !== null) return false;
  const th = h.vcpus[v];
  const g = cpu.groups[th.vm];
  return g.rq.nrRunning === 0 && g.rq.curr === null && !g.throttled && h.vms[th.vm].bw === null;
}

/**
 * enqueueAsCurr is CfsHierarchy.enqueueThread followed by the pick and switch __schedule would
 * make (runsAtOnce holds): placement at both levels, the loads and counts, then set_next_entity
 * at the root and in the group. The caller dispatches the thread.
 */
export function enqueueAsCurr(h: CfsHierarchy, v: number, p: number, nowUs: number, flags: number): void {
  const th = h.vcpus[v];
  const cpu = h.cpus[p];
  const g = cpu.groups[th.vm];
  const rules = h.rules;
  // updateCurr on an idle CPU (runsAtOnce) is its owed ticks alone: nothing runs to be charged.
  h.debt.sync(p);
  h.touch(p);
  th.cpu = p;
  if (!th.lone) placeThread(rules, g.rq, th.se, flags);
  g.rq.account(th.se, 1);
  g.rq.becomeCurr(th.se, nowUs);
  const vm = h.vms[th.vm];
  vm.loadWeight += th.se.weight;
  if (vm.spread) h.allTouched = true;
  cpu.hNr++;
  // minSlice of a group queue whose only entity is the thread just made curr: its own slice.
  h.placeGroup(th.vm, p, th.se.sliceUs);
  cpu.root.becomeCurr(g.se, nowUs);
  rules.becameCurr(cpu.root, g.se);
  if (!th.lone) rules.becameCurr(g.rq, th.se);
  th.state = RUNNING;
  th.lastRanUs = nowUs;
  cpu.needResched = false;
  cpu.current = v;
}
