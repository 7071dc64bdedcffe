import { readFileSync } from "node:fs";
import { loadPredictor } from "../src/io/calibration.js";
import type { Cluster } from "../src/model/cluster.js";
import { generateCluster } from "../src/model/generate.js";
import { parseCluster } from "../src/model/validate.js";
import { planMigrationSession } from "../src/migrate/plan-migrations.js";
import { resimulateAndRepair } from "../src/migrate/repair.js";
import { planCluster } from "../src/placement/plan.js";
import { WorkerPool } from "../src/runtime/sim-pool.js";

/** The 1,000-host fleet: data/generated-large.json is generateCluster({ hosts: 1000, vms: 10000, placed: true }). */
const LARGE = "data/generated-large.json";
/** The CLI's re-simulation defaults (vmplace migrate): the 50 worst changed hosts, 3 s each. */
const RESIM_HOSTS = 50;
const RESIM_MS = 3000;
/** Iterations of the fresh plan's local search: enough to settle, deterministic. */
const FRESH_ITERATIONS = 20_000;

function load(path: string): Cluster {
  const r = parseCluster(JSON.parse(readFileSync(path, "utf8")));
  if (!r.ok) throw new Error(`${path}: ${r.problems.length} problem(s)`);
  return r.value;
}

function generated(seed: number): Cluster {
  const r = parseCluster(generateCluster({ hosts: 1000, vms: 10000, seed, placed: true, mix: { io: 0.3, cpu: 0.5, mixed: 0.1, trace: 0.1 }, scheduler: "xen-credit" }));
  if (!r.ok) throw new Error("generated cluster invalid");
  return r.value;
}

/**
 * benchMigrate: migration planning on 1,000-host fleets with hot spots (random first-fit
 * placements leave hundreds of Bobtail hosts): planning time, moves, breaches before and after,
 * the CLI's re-simulation and repair of simulated breaches (found, repaired, left), and how many VMs a fresh plan (vmplace plan's heuristics) would
 * move instead. Goals: within 60 s, an order of magnitude fewer VMs moved than re-placing.
 */
export async function benchMigrate(): Promise<void> {
  const predictor = loadPredictor();
  const line = (k: string, v: string): void => console.log(`migrate  ${k.padEnd(38)} ${v}`);
  for (const [name, cluster] of [[LARGE, load(LARGE)], ["generated seed 5", generated(5)]] as const) {
    line("cluster", `${name}: ${cluster.hosts.length} hosts, ${cluster.vms.length} VMs`);
    const t0 = performance.now();
    const { plan, session } = planMigrationSession(cluster, predictor, { seed: cluster.policy.seed }, { now: () => performance.now() });
    const planSec = (performance.now() - t0) / 1000;
    const s = plan.summary;
    line("planning time", `${planSec.toFixed(2)} s (stopped: ${plan.stoppedOn})`);
    line("moves / VMs moved / waves", `${s.moves} / ${s.vmsMoved} / ${s.waves}`);
    line("memory copied", `${(s.memoryCopiedMiB / 1024).toFixed(0)} GiB`);
    line("predicted breaches before -> after", `${s.before.breaches} -> ${s.after.breaches}`);
    line("violations before -> after", `${s.before.violations} -> ${s.after.violations}`);
    line("risk points before -> after", `${s.before.risk.toFixed(0)} -> ${s.after.risk.toFixed(0)} (max during waves ${Math.max(0, ...plan.waves.map((w) => w.risk)).toFixed(0)})`);
    line("unresolved", String(plan.unresolved.length));
    line("predicted duration / worst pause", `${(s.durationSec / 60).toFixed(1)} min / ${s.worstDowntimeMs.toFixed(0)} ms (${s.nonConverging} not converging)`);
    line("busiest link in any wave", `${(Math.max(0, ...plan.waves.map((w) => w.linkPeakFraction)) * 100).toFixed(0)}% of its bandwidth`);
    line("victims over SLO while waves run", `${plan.waves.reduce((n, w) => n + w.transientBreaches, 0)} (new: ${plan.waves.reduce((n, w) => n + w.transientNewBreaches, 0)})`);
    const pool = new WorkerPool();
    const t1 = performance.now();
    const checked = await resimulateAndRepair(cluster, predictor, session, plan, pool, { durationMs: RESIM_MS, seed: 1, maxHosts: RESIM_HOSTS });
    await pool.close();
    const simSec = (performance.now() - t1) / 1000;
    const sim = checked.simulation!;
    const r = sim.repair!;
    line("re-simulation + repair (CLI defaults)", `${simSec.toFixed(1)} s for ${sim.hosts.length} of ${sim.changedHosts} changed hosts`);
    line("simulated breaches found -> remaining", `${r.found} -> ${sim.breaches} (${r.repaired} repaired in ${r.rounds} round(s) with ${r.moves} migration(s))`);
    line("moves / waves after repair", `${checked.summary.moves} / ${checked.summary.waves}, ${checked.unresolved.length} unresolved (predicted breaches ${checked.summary.after.breaches}, violations ${checked.summary.after.violations})`);
    line("vmplace migrate total (plan + re-sim)", `${(planSec + simSec).toFixed(1)} s (goal <= 60 s)`);
    const t2 = performance.now();
    const fresh = await planCluster(cluster, predictor, { iterations: FRESH_ITERATIONS, explain: false, seed: cluster.policy.seed });
    const current = new Map(cluster.vms.map((v) => [v.id, v.host]));
    const changed = fresh.assignments.filter((a) => current.get(a.vm) !== a.host).length;
    line("fresh plan: VMs that change host", `${changed} of ${cluster.vms.length} (${fresh.hostsUsed} hosts, ${((performance.now() - t2) / 1000).toFixed(1)} s)`);
    line("migration moves vs fresh plan", `${checked.summary.vmsMoved} vs ${changed}: ${(changed / Math.max(1, checked.summary.vmsMoved)).toFixed(1)}x fewer (goal >= 10x)`);
  }
}
