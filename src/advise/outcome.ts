import type { Predictor } from "../interference/predictor.js";
import { isLatencySensitive, profileVm } from "../interference/profile.js";
import { scoreHost, type VmRisk } from "../interference/score.js";
import type { AdviceOption, Harm, LatencyOutcome, ShareOutcome } from "../model/advice.js";
import type { HostSimResult } from "../model/scenario.js";
import type { Candidate, HostVms } from "./candidates.js";
import { median, vmMedian } from "./runs.js";

/**
 * A VM counts as harmed when it loses more than this fraction of its CPU share, more than
 * HARM_MIN_CPU, and more than its own share moves between the seeds of the current state: between
 * seeds of a 10 s run a share moves by 1-2% (bench/advise.ts), so smaller losses are noise, and a
 * short run's larger noise is read from the seeds themselves.
 */
export const HARM_FRACTION = 0.05;
export const HARM_MIN_CPU = 0.01;

/** Side: host states (before the option, or under it) and their simulations by host id. */
export interface Side {
  readonly views: ReadonlyMap<string, HostVms>;
  readonly results: ReadonlyMap<string, readonly HostSimResult[]>;
}

export interface OptionInput {
  readonly candidate: Candidate;
  /** The host being advised: its victims decide; other hosts' victims must not be made to breach. */
  readonly hostId: string;
  readonly before: Side;
  readonly after: Side;
  readonly predictor: Predictor;
  /** The current state's predicted p99.9 by VM, to tell a change the predictor does not see. */
  readonly predictedNow: ReadonlyMap<string, number>;
}

/** measureOption turns an option's simulations (and the predictor's view of it) into its outcome. */
export function measureOption(o: OptionInput): AdviceOption {
  const latency = latencyOutcomes(o);
  const before = latencyOutcomes({ ...o, after: o.before });
  const metBefore = new Map(before.map((l) => [l.vmId, l.meetsSlo !== false]));
  // Another host's victim that already breached is that host's advice, not this option's failure.
  const decides = latency.filter((l) => l.meetsSlo !== undefined && (l.hostId === o.hostId || metBefore.get(l.vmId) !== false));
  const others = shareOutcomes(o);
  const c = o.candidate;
  return {
    id: c.id,
    kind: c.kind,
    title: c.title,
    cost: { tier: c.tier, memoryCopiedMiB: c.changes.reduce((s, x) => s + (x.kind === "move" ? x.memoryMiB : 0), 0), note: c.note },
    changes: [...c.changes],
    latency,
    others,
    hosts: [...o.after.views.keys()].map((h) => hostRun(h, o)),
    harm: harmOf(others, seedSpread(o)),
    meetsSlo: decides.every((l) => l.meetsSlo === true),
    worstSloRatio: round3(Math.max(0, ...decides.map(sloRatio))),
  };
}

function latencyOutcomes(o: OptionInput): LatencyOutcome[] {
  const out: LatencyOutcome[] = [];
  for (const [hostId, view] of o.after.views) {
    const results = o.after.results.get(hostId) ?? [];
    const risks = new Map(scoreHost(view.host, view.vms.map(profileVm), o.predictor).vms.map((r) => [r.vmId, r]));
    for (const vm of view.vms) {
      const p = profileVm(vm);
      if (!isLatencySensitive(p)) continue;
      const p99 = vmMedian(results, vm.id, (v) => v.requestLatency.p99Us);
      const p999 = vmMedian(results, vm.id, (v) => v.requestLatency.p999Us);
      const meets = p.sloP99Us === undefined && p.sloP999Us === undefined ? undefined : p99 <= (p.sloP99Us ?? Infinity) && p999 <= (p.sloP999Us ?? Infinity);
      out.push({
        vmId: vm.id,
        hostId,
        ...(p.sloP99Us !== undefined ? { sloP99Us: p.sloP99Us } : {}),
        ...(p.sloP999Us !== undefined ? { sloP999Us: p.sloP999Us } : {}),
        predictedP999Us: risks.get(vm.id)?.predictedP999Us ?? 0,
        predictionNotes: notes(o, risks.get(vm.id)),
        simulatedP99Us: round1(p99),
        simulatedP999Us: round1(p999),
        seedsP999Us: results.map((r) => round1(r.vms.find((v) => v.id === vm.id)?.requestLatency.p999Us ?? 0)),
        ...(meets !== undefined ? { meetsSlo: meets } : {}),
      });
    }
  }
  return out;
}

function notes(o: OptionInput, r: VmRisk | undefined): string[] {
  if (r === undefined) return ["the predictor gave no verdict"];
  const out = [...r.outsideCalibration];
  const now = o.predictedNow.get(r.vmId);
  if (o.candidate.tier === "tune" && now !== undefined && now === r.predictedP999Us) out.push("the predictor does not see this change");
  return out;
}

/** shareOutcomes: every VM that is not latency-sensitive on the option's hosts, before and after. */
function shareOutcomes(o: OptionInput): ShareOutcome[] {
  const hostBefore = new Map<string, string>();
  for (const [h, v] of o.before.views) for (const vm of v.vms) hostBefore.set(vm.id, h);
  const out: ShareOutcome[] = [];
  for (const [hostAfter, view] of o.after.views)
    for (const vm of view.vms) {
      if (isLatencySensitive(profileVm(vm))) continue;
      const from = hostBefore.get(vm.id) ?? hostAfter;
      const before = vmMedian(o.before.results.get(from) ?? [], vm.id, (v) => v.cpuShare);
      const after = vmMedian(o.after.results.get(hostAfter) ?? [], vm.id, (v) => v.cpuShare);
      out.push({ vmId: vm.id, hostBefore: from, hostAfter, cpuShareBefore: round3(before), cpuShareAfter: round3(after) });
    }
  return out;
}

/** seedSpread: each VM's CPU share range (max - min) over the current state's seeds. */
function seedSpread(o: OptionInput): Map<string, number> {
  const out = new Map<string, number>();
  for (const results of o.before.results.values()) {
    const byVm = new Map<string, number[]>();
    for (const r of results) for (const v of r.vms) byVm.set(v.id, [...(byVm.get(v.id) ?? []), v.cpuShare]);
    for (const [id, xs] of byVm) out.set(id, Math.max(...xs) - Math.min(...xs));
  }
  return out;
}

/** harmOf: CPU the others lose (gains do not offset losses), and the worst relative loss. */
export function harmOf(others: readonly ShareOutcome[], spread: ReadonlyMap<string, number> = new Map()): Harm {
  let cpuLost = 0;
  let worst: { vmId: string; fraction: number } | undefined;
  let harmful = false;
  for (const s of others) {
    const lost = s.cpuShareBefore - s.cpuShareAfter;
    if (lost <= 0) continue;
    cpuLost += lost;
    const fraction = s.cpuShareBefore > 0 ? lost / s.cpuShareBefore : 0;
    if (worst === undefined || fraction > worst.fraction) worst = { vmId: s.vmId, fraction };
    if (fraction > HARM_FRACTION && lost > HARM_MIN_CPU && lost > (spread.get(s.vmId) ?? 0)) harmful = true;
  }
  return { cpuLost: round3(cpuLost), ...(worst ? { worstVmId: worst.vmId } : {}), worstLossFraction: round3(worst?.fraction ?? 0), harmful };
}

function hostRun(hostId: string, o: OptionInput): AdviceOption["hosts"][number] {
  const b = o.before.results.get(hostId) ?? [];
  const a = o.after.results.get(hostId) ?? [];
  const m = (rs: readonly HostSimResult[], f: (r: HostSimResult) => number): number => (rs.length === 0 ? 0 : median(rs.map(f)));
  return {
    hostId,
    scheduler: o.after.views.get(hostId)?.host.scheduler.kind ?? "",
    contextSwitchesPerSecBefore: Math.round(m(b, (r) => r.contextSwitchesPerSec)),
    contextSwitchesPerSecAfter: Math.round(m(a, (r) => r.contextSwitchesPerSec)),
    utilisationBefore: round3(m(b, (r) => r.utilisation)),
    utilisationAfter: round3(m(a, (r) => r.utilisation)),
  };
}

function sloRatio(l: LatencyOutcome): number {
  return Math.max(l.sloP99Us ? l.simulatedP99Us / l.sloP99Us : 0, l.sloP999Us ? l.simulatedP999Us / l.sloP999Us : 0);
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
