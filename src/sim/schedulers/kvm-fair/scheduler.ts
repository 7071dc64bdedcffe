import { NO_TIMER, type CpuScheduler, type SchedContext } from "../../cpu-scheduler.js";
import { selectIdleSibling } from "./balance.js";
import { chargeGroup } from "./driver-charge.js";
import { CfsHierarchy } from "./hierarchy.js";
import { LazyPolls } from "./lazy-poll.js";
import { FairPeriodic } from "./periodic.js";
import { LazyTicks } from "./quiet-tick.js";
import { ENQ_MIGRATED, ENQ_WAKEUP } from "./rules.js";
import { enqueueAsCurr, runsAtOnce } from "./wake-idle.js";
import { DELAYED, POLLING, RUNNING, SLEEPING } from "./state.js";

export type { FairOptions } from "./pick-put.js";

/*
 * The fair class as the host simulator sees it: start, and the events a vCPU causes (wake-up and
 * its placement, block and its halt-poll, a driver domain's bill). The rest of the class is a
 * chain of bases, one file each: pick-put.ts (state, __schedule), halt-poll.ts (the event bracket,
 * kept windows), periodic.ts (tick, load balancing, quota period).
 */

/**
 * FairScheduler runs each vCPU as a host thread in its VM's cgroup under Linux's fair class, with
 * the VM's cpu.weight as the group's shares and capPercent as its quota. The policy-specific parts
 * (CFS or EEVDF placement, picking, preemption) are its FairRules. Work the kernel defers (resched
 * IPIs, softirq balancing) happens synchronously here.
 *
 * Not modelled: next/last/skip buddies, HRTICK (slices end at ticks), adaptive halt_poll_ns
 * growth (the window is fixed), the bandwidth slack timer (returned slack waits for the refill).
 */
export class FairScheduler extends FairPeriodic implements CpuScheduler {
  start(ctx: SchedContext): void {
    if (ctx.nCpus !== this.nCpus) throw new Error(`${this.kind}: built for ${this.nCpus} CPUs, host has ${ctx.nCpus}`);
    this.ctx = ctx;
    const keepLone = this.options.keepLoneThreads === true;
    this.h = new CfsHierarchy(this.rules, this.t, this.nCpus, ctx.vcpus, this.init, this.busyBalanceUs, keepLone);
    this.pollTimers = new Float64Array(this.nCpus).fill(NO_TIMER);
    this.ticking = new Uint8Array(this.nCpus);
    this.ticks = new LazyTicks(ctx, this.h, this.t.tickUs, this.onTick, this.options.everyTick === true);
    this.polls = new LazyPolls(this.nCpus);
    const timed = this.options.everyTick === true || this.options.timedPolls === true;
    this.lazyPolls = !timed && !ctx.chargesDriverWork && this.h.vms.every((vm) => vm.bw === null);
    this.h.vms.forEach((vm, i) => {
      if (vm.bw !== null) ctx.timer(this.t.cfsPeriodUs, this.onPeriod, i);
    });
  }

  wake(v: number): void {
    const now = this.enter();
    const th = this.thread(v);
    if (th.state === POLLING) {
      // Work arrived inside the halt-poll window: the thread never left the CPU.
      this.cancelPoll(th.cpu);
      th.state = RUNNING;
    } else if (th.state === DELAYED) {
      // Still on its queue (ttwu_runnable): it wakes where it is, no CPU selection. Its queue's
      // zero-lag point is read before any updateCurr syncs that CPU.
      this.h.debt.sync(th.cpu);
      if (this.h.requeueDelayed(v)) this.afterEnqueue(th.cpu, v);
    } else {
      if (th.state !== SLEEPING) this.fail(`wake of vCPU ${v}, which is not asleep`);
      const target = selectIdleSibling(this.h, th.cpu);
      const migrated = target !== th.cpu;
      // The VM's old queue (CFS: its min_vruntime) is read before anything syncs that CPU. Nothing
      // else here reads the old CPU (a sleeper's own entity is not tick-charged), so its owed
      // ticks wait for whatever touches it next: replays are fewer and cover more ticks each.
      const leave = this.rules.leaveForWake;
      if (migrated && leave !== null && !th.lone) {
        this.h.debt.syncGroup(th.cpu, th.vm);
        leave(this.h.cpus[th.cpu].groups[th.vm].rq, th.se);
      }
      const flags = ENQ_WAKEUP | (migrated ? ENQ_MIGRATED : 0);
      if (runsAtOnce(this.h, v, target)) {
        enqueueAsCurr(this.h, v, target, now, flags);
        this.ctx.dispatch(target, v);
      } else {
        this.h.enqueueThread(v, target, now, flags);
        this.afterEnqueue(target, v);
      }
    }
    this.leave();
  }

  block(v: number, p: number): void {
    const now = this.enter();
    const th = this.thread(v);
    const cpu = this.h.cpus[p];
    if (cpu.current !== v || th.state !== RUNNING) this.fail(`block of vCPU ${v}, not running on CPU ${p}`);
    // kvm_vcpu_can_poll: poll only while this is the CPU's single task and no resched is pending.
    // A pending one may have been cleared by a tick p is owed (tick-debt.ts): those come first.
    if (cpu.needResched) this.h.debt.sync(p);
    if (this.t.haltPollUs > 0 && cpu.hNr === 1 && !cpu.needResched) {
      th.state = POLLING;
      const endUs = now + this.t.haltPollUs;
      // A VM spread over CPUs re-targets its group weights elsewhere when it sleeps (noise the
      // tick must see at its instant): its window is queued as a timer at leave, in block order.
      if (this.lazyPolls) this.polls.add(p, endUs, this.h.vms[th.vm].spread);
      else this.pollTimers[p] = this.ctx.timer(endUs, this.endPollAt, p);
    } else {
      this.h.dequeueThread(v, now, true);
      this.schedule(p, false, now);
    }
    this.leave();
  }

  /** chargeFor (CpuScheduler): the VM's cgroup pays its vhost time in vruntime and quota. */
  chargeFor(vm: number, us: number): void {
    // The driver path bills from a timer set for the same microsecond, so a tick due then (queued
    // a tick ahead) runs first.
    this.enter(true);
    const p = chargeGroup(this.h, this.rules, vm, us);
    if (p >= 0) this.schedule(p, true);
    this.leave();
  }
}
