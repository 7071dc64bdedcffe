import { baseSlice, schedPeriodUs, sliceShare, tickPreempts, wakeupPreempts } from "./fair.js";
import type { CpuState, VcpuState } from "../kvm-fair/state.js";
import type { CfsTunables } from "./tunables.js";

// The two preemption decisions applied to the two-level hierarchy of one CPU.

/**
 * wakeeWins is check_preempt_wakeup: compare curr and wakee at the level where they share a
 * queue (find_matching_se): the threads inside one VM, else the two VMs' group entities. A wakee
 * inside a throttled group is not on the CPU's queue at all.
 */
export function wakeeWins(cpu: CpuState, curr: VcpuState, wakee: VcpuState, t: CfsTunables): boolean {
  const groups = cpu.groups;
  if (groups[wakee.vm].throttled) return false;
  if (curr.vm === wakee.vm) return wakeupPreempts(curr.se.vruntime, wakee.se.vruntime, wakee.se.weight, t);
  const gc = groups[curr.vm].se;
  const gw = groups[wakee.vm].se;
  return wakeupPreempts(gc.vruntime, gw.vruntime, gw.weight, t);
}

/**
 * tickExpires is entity_tick's check_preempt_tick at each level holding more than one entity,
 * thread level first. The slice is the CPU's period (from h_nr_running, ALT_PERIOD) split by
 * weight at each level, floored at min_gran (BASE_SLICE).
 */
export function tickExpires(cpu: CpuState, th: VcpuState, t: CfsTunables): boolean {
  const g = cpu.groups[th.vm];
  const groupSliceUs = sliceShare(schedPeriodUs(cpu.hNr, t), g.se.weight, cpu.root.loadWeight);
  const left = g.rq.leftmost;
  if (g.rq.nrRunning > 1 && left !== null) {
    const idealUs = baseSlice(sliceShare(groupSliceUs, th.se.weight, g.rq.loadWeight), t);
    if (tickPreempts(th.se.sumExecUs - th.se.prevSumExecUs, idealUs, th.se.vruntime, left.vruntime, t)) return true;
  }
  const rootLeft = cpu.root.leftmost;
  if (cpu.root.nrRunning < 2 || rootLeft === null) return false;
  const ranUs = g.se.sumExecUs - g.se.prevSumExecUs;
  return tickPreempts(ranUs, baseSlice(groupSliceUs, t), g.se.vruntime, rootLeft.vruntime, t);
}
