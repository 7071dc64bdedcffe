import { z } from "zod";
import type { Cluster, Host, Vm } from "../model/cluster.js";
import { RISK_ORDER, RiskLevelSchema, type RiskLevel } from "../model/risk.js";
import { bobtailRule } from "./bobtail.js";
import { hostDriverRisk, HostDriverRiskSchema } from "./driver-report.js";
import { HostState } from "./host-state.js";
import { newPrediction, Pct, type Prediction, type Predictor, type Victim } from "./predictor.js";
import { profileVm, type VmProfile } from "./profile.js";

export const VmRiskSchema = z.strictObject({
  vmId: z.string(),
  hostId: z.string(),
  /** From predicted harm against the SLO (model/risk.ts), for every scheduler. */
  level: RiskLevelSchema,
  /** The mechanism behind the harm (bobtail.ts): an explanation, not the verdict. */
  reason: z.string(),
  predictedP99Us: z.number(),
  predictedP999Us: z.number(),
  /** Upper bounds with the model's stated coverage (the placer's SLO test uses these). */
  boundP99Us: z.number(),
  boundP999Us: z.number(),
  boundCoverage: z.number(),
  /** The VM's own p99.9 alone on an idle host, µs. */
  aloneP999Us: z.number(),
  sloP99Us: z.number().optional(),
  sloP999Us: z.number().optional(),
  /** Estimate over SLO (the larger of the p99 and p99.9 ratios); > 1 is a predicted breach. */
  sloRatio: z.number().optional(),
  /** Bound over SLO; > 1 means the bound does not rule a breach out. */
  boundSloRatio: z.number().optional(),
  breach: z.boolean(),
  /** The mechanism's numbers: chance every core is held by CPU-bound work when it wakes, chance it is then blocked, mean blocked wait. */
  pAllCoresHeld: z.number(),
  pBlockedWhenHeld: z.number(),
  meanBlockedWaitUs: z.number(),
  /** Why the prediction extrapolates (each reason widened the bound). */
  outsideCalibration: z.array(z.string()),
  /** Of predictedP999Us, the wait and service in the host's driver domain (hosts with one). */
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
  /** Bobtail's two conditions hold for some victim (credit1): the explainable count. */
  bobtail: z.boolean(),
  /** The worst of its latency-sensitive VMs' levels. */
  level: RiskLevelSchema,
  reason: z.string(),
  /** Largest predicted p99.9 delay over a victim's alone p99.9, µs (0 without victims). */
  delayP999Us: z.number(),
  breaches: z.number().int(),
  /** Victims whose bound, not estimate, exceeds the SLO. */
  atRisk: z.number().int(),
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

/** Without an SLO, harm is inflation over the VM's alone p99.9 (model/risk.ts). */
const HIGH_INFLATION = 10;
const ELEVATED_INFLATION = 3;

/** riskLevel: the level of one victim from its prediction. */
export function riskLevel(pr: Prediction, v: Victim): RiskLevel {
  const [slo99, slo999] = v.sloUs;
  if (slo99 !== Infinity || slo999 !== Infinity) {
    if (pr.estimateUs[0] > slo99 || pr.estimateUs[1] > slo999) return "high";
    if (pr.boundUs[0] > slo99 || pr.boundUs[1] > slo999) return "elevated";
    return "none";
  }
  const alone = v.tail.base999Us;
  if (pr.estimateUs[1] >= HIGH_INFLATION * alone) return "high";
  if (pr.boundUs[1] >= HIGH_INFLATION * alone || pr.estimateUs[1] >= ELEVATED_INFLATION * alone) return "elevated";
  return "none";
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

function ratio(a: number, b: number): number {
  return b === Infinity ? 0 : a / b;
}

/**
 * harmReason: the reason shown for a victim follows its predicted harm. When it is at risk and the
 * harm is not its neighbours', say so: its own requests break the SLO alone ("own-load"), or most
 * of its delay is the driver domain's hop ("driver-hop"); otherwise the scheduler's mechanism
 * (bobtail.ts) explains it.
 */
export function harmReason(pr: Prediction, v: Victim, level: RiskLevel, mechanism: string, hopUs = 0): string {
  if (level === "none") return mechanism;
  if (v.tail.base99Us > v.sloUs[0] || v.tail.base999Us > v.sloUs[1]) return "own-load";
  if (hopUs > 0 && 2 * hopUs >= pr.estimateUs[1] - v.tail.base999Us) return "driver-hop";
  return mechanism;
}

function vmRisk(host: Host, state: HostState, p: VmProfile, v: Victim, mechanism: string, coverage: number, outside: readonly string[], hopUs: number | undefined): VmRisk {
  const pr = state.predictVictim(v, newPrediction());
  const level = riskLevel(pr, v);
  const reason = harmReason(pr, v, level, mechanism, hopUs);
  const hasSlo = v.sloUs[0] !== Infinity || v.sloUs[1] !== Infinity;
  const sloRatio = hasSlo ? Math.max(ratio(pr.estimateUs[0], v.sloUs[0]), ratio(pr.estimateUs[1], v.sloUs[1])) : undefined;
  const boundSloRatio = hasSlo ? Math.max(ratio(pr.boundUs[0], v.sloUs[0]), ratio(pr.boundUs[1], v.sloUs[1])) : undefined;
  return {
    vmId: p.id,
    hostId: host.id,
    level,
    reason,
    predictedP99Us: r1(pr.estimateUs[0]),
    predictedP999Us: r1(pr.estimateUs[1]),
    boundP99Us: r1(pr.boundUs[0]),
    boundP999Us: r1(pr.boundUs[1]),
    boundCoverage: coverage,
    aloneP999Us: r1(v.tail.base999Us),
    sloP99Us: p.sloP99Us,
    sloP999Us: p.sloP999Us,
    sloRatio: sloRatio === undefined ? undefined : r3(sloRatio),
    boundSloRatio: boundSloRatio === undefined ? undefined : r3(boundSloRatio),
    breach: sloRatio !== undefined && sloRatio > 1,
    pAllCoresHeld: r3(pr.pFull),
    pBlockedWhenHeld: r3(pr.blockGivenFull),
    meanBlockedWaitUs: r1(pr.meanWaitUs),
    outsideCalibration: [...outside, ...state.model.outside.filter((x) => !outside.includes(x)), ...v.outside],
    ...(hopUs !== undefined ? { driverHopP999Us: r1(hopUs) } : {}),
  };
}

/**
 * scoreHost scores one host and the latency-sensitive VMs on it. `vms` (the profiles' VMs, when
 * at hand) adds the driver domain's charging advice.
 */
export function scoreHost(host: Host, profiles: readonly VmProfile[], predictor: Predictor, vms?: readonly Vm[]): { host: HostRisk; vms: VmRisk[] } {
  const state = new HostState(host, predictor);
  const victims = profiles.map((p) => predictor.victim(p));
  profiles.forEach((p, i) => state.add(p, victims[i]));
  const mix = { cores: host.cores, scheduler: host.scheduler, sleepyCpuVcpus: state.sleepyVcpus, hogVcpus: state.hogVcpus };
  const outside = state.outsideReasons();
  const coverage = state.model.fitted.conformal999.coverage;
  const hop = host.driverDomain ? state.driverHopUs(Pct.P999) : undefined;
  const risks: VmRisk[] = [];
  let bobtail = false;
  profiles.forEach((p, i) => {
    const v = victims[i];
    if (!v) return;
    const verdict = bobtailRule(mix, p);
    bobtail ||= verdict.reason === "bobtail";
    risks.push(vmRisk(host, state, p, v, verdict.reason, coverage, outside, hop));
  });
  const driver = hostDriverRisk(host, profiles, vms);
  const worst = risks.reduce<VmRisk | undefined>((w, v) => (!w || RISK_ORDER[v.level] > RISK_ORDER[w.level] || (v.level === w.level && (v.sloRatio ?? 0) > (w.sloRatio ?? 0)) ? v : w), undefined);
  let dw = 0;
  let db = 0;
  let s = 0;
  for (const p of profiles)
    if (p.cpu && p.cpu.duty < 1) {
      dw += p.cpu.vcpus * p.duty;
      db += p.cpu.vcpus / (p.cpu.burstUs / 1000);
      s += p.cpu.vcpus;
    }
  return {
    host: {
      hostId: host.id,
      scheduler: host.scheduler.kind,
      timesliceMs: host.scheduler.kind === "xen-credit" ? host.scheduler.timesliceMs : undefined,
      cores: host.cores,
      vms: profiles.length,
      vcpus: state.vcpus,
      sleepyCpuVcpus: state.sleepyVcpus,
      hogVcpus: state.hogVcpus,
      meanSleeperDuty: s > 0 ? r3(dw / s) : 0,
      meanSleeperBurstMs: s > 0 ? Math.round((s / db) * 100) / 100 : 0,
      bobtail,
      level: worst?.level ?? "none",
      reason: worst?.reason ?? "no-contention",
      delayP999Us: r1(risks.reduce((m, v) => Math.max(m, v.predictedP999Us - v.aloneP999Us), 0)),
      breaches: risks.filter((v) => v.breach).length,
      atRisk: risks.filter((v) => !v.breach && (v.boundSloRatio ?? 0) > 1).length,
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
  hosts.sort((a, b) => RISK_ORDER[b.level] - RISK_ORDER[a.level] || b.breaches - a.breaches || b.atRisk - a.atRisk || b.delayP999Us - a.delayP999Us || cmp(a.hostId, b.hostId));
  vms.sort((a, b) => RISK_ORDER[b.level] - RISK_ORDER[a.level] || (b.sloRatio ?? 0) - (a.sloRatio ?? 0) || cmp(a.vmId, b.vmId));
  return { hosts, vms, unplaced };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
