import type { Host, Vm } from "../model/cluster.js";
import { hostDriverLoad } from "./driver-load.js";

/** A guest's aggregate may exceed its entitlement by this much before it counts (E11's 2%). */
const TOLERANCE = 0.02;

/** OverEntitled is a guest that gets more than its entitlement through uncharged driver work. */
export interface OverEntitled {
  vmId: string;
  aggregateCpus: number;
  entitlementCpus: number;
  /** What charging would take back from it and give to the others. */
  excessCpus: number;
}

/**
 * ChargingAdvice answers, for one host, "would turning chargeDriverWork on fix its imbalance?":
 * the hook a future `vmplace advise` calls to propose charging as a mitigation beside moves.
 */
export interface ChargingAdvice {
  hostId: string;
  wouldFix: boolean;
  alreadyOn: boolean;
  /** Guests' own demand plus the driver's exceeds the cores: someone is short of CPU. */
  contended: boolean;
  overEntitled: OverEntitled[];
  /** CPU the other guests would get back. */
  recoveredCpus: number;
  /**
   * How closely the host's scheduler enforces the charge, from E11 (test/sim/driver): caps are
   * enforced within 2% by all four policies; weights within 2-3% by credit2 only, partly by
   * credit1 and EEVDF, and by CFS only where the guests share run queues.
   */
  enforcement: "exact" | "partial";
  reason: string;
}

/** chargingAdvice judges a host with a driver domain; undefined for a host without one. */
export function chargingAdvice(host: Host, vms: readonly Vm[]): ChargingAdvice | undefined {
  const load = hostDriverLoad(host, vms);
  const d = host.driverDomain;
  if (load === undefined || d === undefined) return undefined;
  const ownCpus = load.guests.reduce((s, g) => s + g.aggregateCpus - g.driverCpus, 0);
  const contended = ownCpus + load.driverCpus > host.cores;
  const overEntitled: OverEntitled[] = [];
  for (const g of load.guests) {
    // The scheduler already holds a guest's own use to its entitlement; the driver adds on top.
    const used = Math.min(g.aggregateCpus - g.driverCpus, g.entitlementCpus) + g.driverCpus;
    if (g.driverCpus > 0 && used > g.entitlementCpus * (1 + TOLERANCE))
      overEntitled.push({ vmId: g.vmId, aggregateCpus: used, entitlementCpus: g.entitlementCpus, excessCpus: used - g.entitlementCpus });
  }
  const recoveredCpus = contended ? overEntitled.reduce((s, o) => s + o.excessCpus, 0) : 0;
  const byCap = overEntitled.every((o) => vms.find((vm) => vm.id === o.vmId)?.capPercent !== 0);
  const enforcement = byCap || host.scheduler.kind === "xen-credit2" ? "exact" : "partial";
  const wouldFix = !d.chargeDriverWork && contended && overEntitled.length > 0;
  return {
    hostId: host.id,
    wouldFix,
    alreadyOn: d.chargeDriverWork,
    contended,
    overEntitled,
    recoveredCpus,
    enforcement,
    reason: adviceReason(wouldFix, d.chargeDriverWork, contended, overEntitled, recoveredCpus),
  };
}

function adviceReason(wouldFix: boolean, on: boolean, contended: boolean, over: readonly OverEntitled[], recovered: number): string {
  if (on) return "driver work is already charged to the guests that cause it";
  if (over.length === 0) return "no guest exceeds its entitlement through driver work";
  if (!contended) return "some guests exceed their entitlement through driver work, but the host has CPU to spare: nobody loses";
  if (!wouldFix) return "charging would not change the shares";
  const names = over.map((o) => `${o.vmId} (+${o.excessCpus.toFixed(2)} CPU)`).join(", ");
  return `charging driver work would return ${recovered.toFixed(2)} CPU to the other guests, taken from ${names}`;
}
