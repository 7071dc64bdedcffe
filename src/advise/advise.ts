import type { Predictor } from "../interference/predictor.js";
import { profileVm } from "../interference/profile.js";
import { scoreHost } from "../interference/score.js";
import { ADVICE_KIND, ADVICE_VERSION, AdviceSettingsSchema, type Advice, type AdviceSection, type AdviceSettingsInput, type HostAdvice } from "../model/advice.js";
import type { Cluster } from "../model/cluster.js";
import type { MigrationPlan } from "../model/migration.js";
import { adviceStatus } from "../model/result-status.js";
import type { HostSimResult } from "../model/scenario.js";
import { withStatus } from "../model/status.js";
import type { SimRunner } from "../sim/runner.js";
import { applyChanges, placementOf, touchedHosts, type Placement } from "./apply.js";
import { candidatesFor, type Candidate } from "./candidates.js";
import { fixPlan, moveChanges, movesFor, whyNoMoves } from "./moves.js";
import { measureOption } from "./outcome.js";
import { adviceProblems } from "./problems.js";
import { recommend } from "./recommend.js";
import { simulateRuns, type Run, type RunOptions } from "./runs.js";
import { screen, type Screened } from "./screen.js";

export type AdvicePhase = "screening" | "planning moves" | "simulating options";

export interface AdviseDeps {
  readonly predictor: Predictor;
  readonly runner: SimRunner;
  /** Moves to weigh instead of asking the migration planner (migrate --advise passes its plan). */
  readonly plan?: MigrationPlan;
  /** Hosts to look at instead of every host with a latency-sensitive VM (the plan's breached hosts). */
  readonly hostIds?: readonly string[];
  readonly onProgress?: (phase: AdvicePhase, done: number, total: number) => void;
}

/** adviseCluster with the document's kind, version and status: what `vmplace advise` writes. */
export async function adviseCluster(cluster: Cluster, settings: AdviceSettingsInput, deps: AdviseDeps): Promise<Advice> {
  const section = await adviseSection(cluster, settings, deps);
  return withStatus({ kind: ADVICE_KIND, version: ADVICE_VERSION, ...section }, adviceStatus(section));
}

/**
 * adviseSection weighs, for each host with a predicted or simulated SLO breach (or the named
 * host), the fixes that need no migration against the migrations that fix it, all by simulation
 * through the runner (so worker threads or the Redis queue run them): each option's host states
 * under the same seeds as the current state, medians compared. Deterministic for a cluster,
 * settings and seed; throws on settings the cluster contradicts (see adviceProblems).
 */
export async function adviseSection(cluster: Cluster, input: AdviceSettingsInput, deps: AdviseDeps): Promise<AdviceSection> {
  const s = AdviceSettingsSchema.parse(input);
  const problems = adviceProblems(cluster, s);
  if (problems.length > 0) throw new Error(`advise: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  const base = s.seed ?? cluster.policy.seed;
  const seeds = Array.from({ length: s.seeds }, (_, k) => (base + k) % 2 ** 31);
  const run = { durationMs: s.durationMs, warmupMs: Math.min(2000, s.durationMs) };
  const placement = placementOf(cluster);
  const progress = (phase: AdvicePhase) => (done: number, total: number) => deps.onProgress?.(phase, done, total);
  const screened = await screen(placement, deps.predictor, deps.runner, { hostIds: s.host ? [s.host] : deps.hostIds, seed: seeds[0], ...run, onDone: progress("screening") });
  const wanted = s.host ? screened : screened.filter((h) => h.predictedBreaches + h.simulatedBreaches > 0);
  const advised = wanted.slice(0, s.maxHosts);
  const settings = { durationMs: s.durationMs, warmupMs: run.warmupMs, seeds, maxHosts: s.maxHosts, ...(s.host ? { host: s.host } : {}) };
  const section = { settings, hostsScreened: screened.length, skipped: wanted.slice(s.maxHosts).map((h) => h.hostId) };
  if (advised.length === 0) return { ...section, hosts: [] };
  deps.onProgress?.("planning moves", 0, 1);
  const breachedInSim = advised.filter((h) => h.simulatedBreaches > 0).map((h) => h.hostId);
  const plan = deps.plan ?? (await fixPlan(cluster, deps.predictor, deps.runner, { durationMs: s.durationMs, seed: seeds[0], hosts: breachedInSim }));
  deps.onProgress?.("planning moves", 1, 1);
  const perHost = advised.map((h) => ({ h, candidates: [...candidatesFor(placement.get(h.hostId)!), ...migrateCandidate(plan, h.hostId)] }));
  const results = await simulateAll(deps.runner, placement, perHost, screened, seeds, { ...run, onDone: progress("simulating options") });
  const hostOfVm = vmHosts(placement);
  const hosts = perHost.map(({ h, candidates }) => hostAdvice(h, candidates, { placement, hostOfVm, results, plan, predictor: deps.predictor }, s.host !== undefined));
  return { ...section, hosts };
}

/** migrateCandidate: the planner's moves for the host as one option, when it has any. */
function migrateCandidate(plan: MigrationPlan, hostId: string): Candidate[] {
  const moves = movesFor(plan, hostId);
  if (moves.length === 0) return [];
  const copied = moves.reduce((n, m) => n + m.memoryMiB, 0);
  const list = moves.map((m) => `${m.vmId} ${m.from} -> ${m.to}`).join(", ");
  return [{ id: "migrate", kind: "migrate", title: `migrate ${moves.length} VM(s): ${list}`, tier: "migrate", note: `${(copied / 1024).toFixed(1)} GiB of memory copied by live migration`, changes: moveChanges(moves) }];
}

interface Results {
  /** Each host's current state, every seed. */
  readonly now: ReadonlyMap<string, HostSimResult[]>;
  /** Each option's host states, by optionKey. */
  readonly options: ReadonlyMap<string, HostSimResult[]>;
}

const optionKey = (advised: string, option: string, host: string): string => `${advised}|${option}|${host}`;

/** optionHosts: the advised host first, then the other hosts the option touches. */
function optionHosts(hostId: string, c: Candidate, hostOfVm: ReadonlyMap<string, string>): string[] {
  return [hostId, ...touchedHosts(c.changes, hostOfVm).filter((x) => x !== hostId)];
}

/**
 * simulateAll runs, in one batch, every option's host states and the current state of every host
 * an option touches (the screening's first seed is reused, not run again).
 */
async function simulateAll(
  runner: SimRunner,
  placement: Placement,
  perHost: readonly { h: Screened; candidates: readonly Candidate[] }[],
  screened: readonly Screened[],
  seeds: readonly number[],
  run: RunOptions,
): Promise<Results> {
  const first = new Map(screened.map((h) => [h.hostId, h.first]));
  const hostOfVm = vmHosts(placement);
  const runs: Run[] = [];
  const current = new Set<string>();
  for (const { h, candidates } of perHost)
    for (const c of candidates) {
      const touched = optionHosts(h.hostId, c, hostOfVm);
      for (const id of touched) current.add(id);
      if (c.kind === "current") continue;
      for (const [id, view] of applyChanges(placement, c.changes, touched)) runs.push({ key: optionKey(h.hostId, c.id, id), view, seeds });
    }
  for (const id of current) runs.push({ key: `now|${id}`, view: placement.get(id)!, seeds: first.has(id) ? seeds.slice(1) : seeds });
  const out = await simulateRuns(runner, runs, run);
  const now = new Map([...current].map((id) => [id, [...(first.has(id) ? [first.get(id)!] : []), ...(out.get(`now|${id}`) ?? [])]]));
  return { now, options: out };
}

interface Measured {
  readonly placement: Placement;
  readonly hostOfVm: ReadonlyMap<string, string>;
  readonly results: Results;
  readonly plan: MigrationPlan;
  readonly predictor: Predictor;
}

/** hostAdvice measures every option of one host and recommends one. */
function hostAdvice(h: Screened, candidates: readonly Candidate[], m: Measured, named: boolean): HostAdvice {
  const { placement, hostOfVm, results: r, plan, predictor } = m;
  const view = placement.get(h.hostId)!;
  const predictedNow = new Map(scoreHost(view.host, view.vms.map(profileVm), predictor).vms.map((v) => [v.vmId, v.predictedP999Us]));
  const options = candidates.map((candidate) => {
    const touched = optionHosts(h.hostId, candidate, hostOfVm);
    const beforeViews = new Map(touched.map((id) => [id, placement.get(id)!]));
    const afterViews = candidate.kind === "current" ? beforeViews : applyChanges(placement, candidate.changes, touched);
    const before = { views: beforeViews, results: new Map(touched.map((id) => [id, r.now.get(id) ?? []])) };
    const afterResults = candidate.kind === "current" ? before.results : new Map(touched.map((id) => [id, r.options.get(optionKey(h.hostId, candidate.id, id)) ?? []]));
    return measureOption({ candidate, hostId: h.hostId, before, after: { views: afterViews, results: afterResults }, predictor, predictedNow });
  });
  const noMoves = candidates.some((c) => c.kind === "migrate") ? undefined : (whyNoMoves(plan, h.hostId) ?? "the migration planner proposed no move for this host");
  return {
    hostId: h.hostId,
    scheduler: view.host.scheduler.kind,
    cores: view.host.cores,
    predictedBreaches: h.predictedBreaches,
    simulatedBreaches: h.simulatedBreaches,
    named,
    options,
    ...(noMoves !== undefined ? { noMoves } : {}),
    recommendation: recommend(options, noMoves),
  };
}

function vmHosts(p: Placement): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, v] of p) for (const vm of v.vms) out.set(vm.id, id);
  return out;
}
