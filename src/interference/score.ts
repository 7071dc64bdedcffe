import { z } from "zod";
import type { Cluster, Host, Vm } from "../model/cluster.js";
import { bobtailRule, RISK_ORDER, type HostMix, type RiskLevel } from "./bobtail.js";
import { hostDriverRisk, HostDriverRiskSchema } from "./driver-report.js";
import { HostState } from "./host-state.js";
import { Metric, type Predictor } from "./predictor.js";
import { profileVm, type VmProfile } from "./profile.js";

const Level = z.enum(["none", "low", "elevated", "high"]);

export const VmRiskSchema = z.strictObject({
  vmId: z.string(),
  hostId: z.string(),
  level: Level,
  reason: z.string(),
  predictedP99Us: z.number(),
  predictedP999Us: z.number(),
  predictedWakeP999Us: z.number(),
  sloP99Us: z.number().optional(),
  sloP999Us: z.number().optional(),
  /** Predicted p99.9 over its SLO (the larger of the p99 and p99.9 ratios); > 1 is a breach. */
  sloRatio: z.number().optional(),
  breach: z.boolean(),
  /** Why the prediction extrapolates, if it does. */
  outsideCalibration: z.array(z.string()),
  /** Of predictedP999Us, the wait and rx service in the host's driver domain (hosts with one). */
  driverHopP999Us: z.number().optional(),
});
export type VmRisk = z.infer<typeof VmRiskSchema>;

export const HostRiskSchema = z.strictObject({
  hostId: z.string(),
  scheduler: z.string(),
  timesliceMs: z.number().optional(),
  cores: z.number(),
  vms: z.number(),
  vcpus: z.number(),
  sleepyCpuVcpus: z.number(),
  hogVcpus: z.number(),
  meanSleeperDuty: z.number(),
  meanSleeperBurstMs: z.number(),
  bobtail: z.boolean(),
  level: Level,
  /** Predicted interference delay of a reference IO victim's request p99.9 on this host. */
  delayP999Us: z.number(),
  breaches: z.number().int(),
  victims: z.array(z.string()),
  /** The host's driver domain, a resource its VMs share (hosts with one). */
  driverDomain: HostDriverRiskSchema.optional(),
});
export type HostRisk = z.infer<typeof HostRiskSchema>;

export const ScoreReportSchema = z.strictObject({
  hosts: z.array(HostRiskSchema),
  vms: z.array(VmRiskSchema),
  unplaced: z.array(z.string()),
});
export type ScoreReport = z.infer<typeof ScoreReportSchema>;

/**
 * scoreHost scores one host and the latency-sensitive VMs on it. `vms` (the profiles' VMs, when
 * at hand) adds the driver domain's charging advice.
 */
export function scoreHost(host: Host, profiles: readonly VmProfile[], predictor: Predictor, vms?: readonly Vm[]): { host: HostRisk; vms: VmRisk[] } {
  const state = new HostState(host, predictor);
  for (const p of profiles) state.add(p, undefined);
  const full = { ...state.composition() };
  // The predictor sees the driver domain as core-filling load; the Bobtail rule and the report count guests only.
  const comp = { ...full, hogs: full.hogs - state.driverCpus };
  const mix: HostMix = { cores: host.cores, scheduler: host.scheduler, sleepyCpuVcpus: comp.sleepers, hogVcpus: comp.hogs };
  const d99 = state.delayUs(Metric.RequestP99);
  const d999 = state.delayUs(Metric.RequestP999);
  const dWake = state.delayUs(Metric.WakeP999);
  // The driver hop reads the composition just located (driver-load.ts); 0 without a driver domain.
  const hop99 = state.driverHopUs(Metric.RequestP99);
  const hop999 = state.driverHopUs(Metric.RequestP999);
  const hasDriver = host.driverDomain !== undefined;
  const outside = predictor.outsideRange(state.ref, full);
  const risks: VmRisk[] = [];
  for (const p of profiles) {
    if (!p.io) continue;
    const verdict = bobtailRule(mix, p);
    const rho = (p.io.requestsPerSec * p.io.serviceUs) / 1e6 / p.vcpus;
    const pred99 = predictor.baselineUs(p.io.serviceUs, rho, Metric.RequestP99) + d99 + hop99;
    const pred999 = predictor.baselineUs(p.io.serviceUs, rho, Metric.RequestP999) + d999 + hop999;
    const ratios = [p.sloP99Us ? pred99 / p.sloP99Us : 0, p.sloP999Us ? pred999 / p.sloP999Us : 0];
    const sloRatio = p.sloP99Us || p.sloP999Us ? Math.max(...ratios) : undefined;
    risks.push({
      vmId: p.id,
      hostId: host.id,
      level: verdict.level,
      reason: verdict.reason,
      predictedP99Us: round(pred99),
      predictedP999Us: round(pred999),
      predictedWakeP999Us: round(dWake),
      sloP99Us: p.sloP99Us,
      sloP999Us: p.sloP999Us,
      sloRatio: sloRatio === undefined ? undefined : Math.round(sloRatio * 1000) / 1000,
      breach: sloRatio !== undefined && sloRatio > 1,
      outsideCalibration: [...outside, ...(p.mixed ? ["mixed victim: calibrated with io-only victims"] : [])],
      ...(hasDriver ? { driverHopP999Us: round(hop999) } : {}),
    });
  }
  const driver = hostDriverRisk(host, profiles, vms);
  const level = risks.reduce<RiskLevel>((l, v) => (RISK_ORDER[v.level] > RISK_ORDER[l] ? v.level : l), "none");
  const hostVerdict = bobtailRule(mix, { mixed: false, cpuVcpus: 0 });
  return {
    host: {
      hostId: host.id,
      scheduler: host.scheduler.kind,
      timesliceMs: host.scheduler.kind === "xen-credit" ? host.scheduler.timesliceMs : undefined,
      cores: host.cores,
      vms: profiles.length,
      vcpus: state.vcpus,
      sleepyCpuVcpus: comp.sleepers,
      hogVcpus: comp.hogs,
      meanSleeperDuty: Math.round(comp.duty * 1000) / 1000,
      meanSleeperBurstMs: Math.round(comp.burstMs * 100) / 100,
      bobtail: hostVerdict.outnumber && hostVerdict.sleep && host.scheduler.kind === "xen-credit",
      level,
      delayP999Us: round(d999),
      breaches: risks.filter((v) => v.breach).length,
      victims: risks.map((v) => v.vmId),
      ...(driver ? { driverDomain: driver } : {}),
    },
    vms: risks,
  };
}

/** scoreCluster scores the current placement (VMs' `host`), worst hosts and VMs first. */
export function scoreCluster(c: Cluster, predictor: Predictor): ScoreReport {
  const byHost = new Map<string, VmProfile[]>(c.hosts.map((h) => [h.id, []]));
  const vmsOn = new Map<string, Vm[]>(c.hosts.map((h) => [h.id, []]));
  const unplaced: string[] = [];
  for (const vm of c.vms) {
    if (vm.host === undefined) unplaced.push(vm.id);
    else {
      byHost.get(vm.host)?.push(profileVm(vm));
      vmsOn.get(vm.host)?.push(vm);
    }
  }
  const hosts: HostRisk[] = [];
  const vms: VmRisk[] = [];
  for (const h of c.hosts) {
    const r = scoreHost(h, byHost.get(h.id) ?? [], predictor, vmsOn.get(h.id));
    hosts.push(r.host);
    vms.push(...r.vms);
  }
  hosts.sort((a, b) => b.breaches - a.breaches || RISK_ORDER[b.level] - RISK_ORDER[a.level] || b.delayP999Us - a.delayP999Us || cmp(a.hostId, b.hostId));
  vms.sort((a, b) => (b.sloRatio ?? 0) - (a.sloRatio ?? 0) || RISK_ORDER[b.level] - RISK_ORDER[a.level] || cmp(a.vmId, b.vmId));
  return { hosts, vms, unplaced };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
