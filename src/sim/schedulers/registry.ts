import type { SchedulerKind, SchedulerParams } from "../../model/scheduler.js";
import type { CpuScheduler, SchedulerFactory } from "../cpu-scheduler.js";
import { createKvmCfs } from "./kvm-cfs.js";
import { createKvmEevdf } from "./kvm-eevdf.js";
import { createXenCredit } from "./xen-credit.js";
import { createXenCredit2 } from "./xen-credit2.js";

/** SIMULATED_KINDS are the scheduler kinds with a policy; the others parse but cannot run yet. */
export const SIMULATED_KINDS: readonly SchedulerKind[] = ["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"];

/** isSimulated says whether a scheduler kind has a policy implementation. */
export function isSimulated(kind: SchedulerKind): boolean {
  return SIMULATED_KINDS.includes(kind);
}

/**
 * schedulerFactory maps a scheduler's kind to the factory of its policy. Kinds the model knows but
 * the simulator does not implement yet throw, so a scenario never silently runs another policy.
 */
export function schedulerFactory(params: SchedulerParams): SchedulerFactory {
  switch (params.kind) {
    case "xen-credit":
      return (p, nCpus) => createXenCredit(expectKind(p, "xen-credit"), nCpus);
    case "kvm-cfs":
      return (p, nCpus) => createKvmCfs(expectKind(p, "kvm-cfs"), nCpus);
    case "xen-credit2":
      return (p, nCpus) => createXenCredit2(expectKind(p, "xen-credit2"), nCpus);
    case "kvm-eevdf":
      return (p, nCpus) => createKvmEevdf(expectKind(p, "kvm-eevdf"), nCpus);
  }
}

/** createScheduler builds the policy instance for one host. */
export function createScheduler(params: SchedulerParams, nCpus: number): CpuScheduler {
  return schedulerFactory(params)(params, nCpus);
}

function expectKind<K extends SchedulerKind>(p: SchedulerParams, kind: K): Extract<SchedulerParams, { kind: K }> {
  if (p.kind !== kind) throw new Error(`registry: ${kind} factory given "${p.kind}" parameters`);
  return p as Extract<SchedulerParams, { kind: K }>;
}
