import { calcDeltaFair } from "../kvm-cfs/fair.js";
import type { CfsHierarchy } from "./hierarchy.js";
import type { FairRules } from "./rules.js";

/**
 * chargeGroup bills VM `vm`'s cgroup for `us` of driver (vhost) CPU it caused, as if the vhost
 * thread had run inside that cgroup, which is where Linux's vhost_task and libvirt put it when
 * charging is on. Two things are charged, on the CPU of the VM's first vCPU thread:
 *
 * - cpu.max: the group's cfs_rq on that CPU spends the time from its run time (running out with
 *   an empty pool throttles the group, as for its own threads: __account_cfs_rq_runtime);
 * - cpu.weight: the group entity's vruntime advances by calc_delta_fair(us). A queued entity is
 *   re-keyed; a sleeping one also loses the same lag (EEVDF places by lag, CFS by vruntime, and
 *   each ignores the other field), so the charge survives its next wake-up.
 *
 * Returns the CPU that must reschedule now (the group runs there and ran out or its slice ended),
 * or -1.
 */
export function chargeGroup(h: CfsHierarchy, rules: FairRules, vm: number, us: number): number {
  const p = h.vcpus[h.vms[vm].firstVcpu].cpu;
  h.debt.sync(p);
  const cpu = h.cpus[p];
  const g = cpu.groups[vm];
  const se = g.se;
  let resched = false;
  const delta = calcDeltaFair(us, se.weight);
  if (cpu.root.curr === se) {
    se.vruntime += delta;
    resched = rules.charged(cpu.root, se);
  } else if (se.onRq) {
    cpu.root.remove(se);
    se.vruntime += delta;
    cpu.root.insert(se);
  } else {
    se.vruntime += delta;
    se.vlag -= delta;
  }
  const bw = h.vms[vm].bw;
  if (bw !== null && !bw.spend(g, us)) resched = resched || cpu.root.curr === se;
  return resched ? p : -1;
}
