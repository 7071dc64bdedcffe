import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import seedrandom from "seedrandom";
import { measureAccuracy } from "../src/interference/accuracy.js";
import { HostState, victimTerms, type VictimTerms } from "../src/interference/host-state.js";
import { profileVm, type VmProfile } from "../src/interference/profile.js";
import { loadPredictor } from "../src/io/calibration.js";
import { parseCluster } from "../src/model/validate.js";
import { WorkerPool } from "../src/runtime/sim-pool.js";

const EVALS = 5_000_000;

/**
 * benchScoring: the placer's hot question "what if VM v went on host h" (worstSlackUs with an
 * extra VM), plus add/remove pairs, on the 1,000-host 10,000-VM generated cluster, one core.
 */
export function benchScoring(): void {
  const r = parseCluster(JSON.parse(readFileSync("data/generated-large.json", "utf8")));
  if (!r.ok) throw new Error("generated-large.json is invalid");
  const c = r.value;
  const predictor = loadPredictor();
  const profiles: VmProfile[] = c.vms.map(profileVm);
  const terms: (VictimTerms | undefined)[] = profiles.map((p) => victimTerms(p, predictor));
  const index = new Map(c.hosts.map((h, i) => [h.id, i]));
  const states = c.hosts.map((h) => new HostState(h, predictor));
  c.vms.forEach((vm, i) => vm.host !== undefined && states[index.get(vm.host) ?? 0].add(profiles[i], terms[i]));
  const rng = seedrandom.alea("bench-scoring");
  const picks = Int32Array.from({ length: 1 << 16 }, () => Math.floor(rng() * profiles.length));
  const hosts = Int32Array.from({ length: 1 << 16 }, () => Math.floor(rng() * states.length));
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < EVALS; i++) {
    const v = picks[i & 0xffff];
    sink += states[hosts[(i * 7) & 0xffff]].worstSlackUs(profiles[v], terms[v]) > 0 ? 1 : 0;
  }
  const t1 = performance.now();
  for (let i = 0; i < EVALS / 5; i++) {
    const v = picks[i & 0xffff];
    const s = states[hosts[(i * 7) & 0xffff]];
    s.add(profiles[v], terms[v]);
    sink += s.worstSlackUs() > 0 ? 1 : 0;
    s.remove(profiles[v], terms[v]);
  }
  const t2 = performance.now();
  console.log(`what-if score evaluations/s (one core): ${((EVALS / (t1 - t0)) * 1000 / 1e6).toFixed(2)} M (goal >= 1 M)`);
  console.log(`add + score + remove/s (one core):      ${(((EVALS / 5) / (t2 - t1)) * 1000 / 1e6).toFixed(2)} M`);
  if (sink < 0) console.log(sink);
}

/** benchAccuracy: the predictor against the simulator on compositions the calibration never saw. */
async function benchAccuracy(): Promise<void> {
  const pool = new WorkerPool();
  try {
    const t0 = performance.now();
    const r = await measureAccuracy(loadPredictor(), pool, { compositions: 60, seed: 2026, durationMs: 20000, cores: [4, 8, 12, 16, 24] });
    const pct = (x: number) => `${((Math.exp(x) - 1) * 100).toFixed(0)}%`;
    console.log(`accuracy on ${r.cases.length} unseen compositions (${((performance.now() - t0) / 1000).toFixed(0)} s):`);
    console.log(`  median |ln(pred/sim)| of victim p99.9: ${r.medianAbsLogError.toFixed(3)} (${pct(r.medianAbsLogError)}; goal <= 25%)`);
    console.log(`  p90 |ln(pred/sim)|: ${r.p90AbsLogError.toFixed(3)} (${pct(r.p90AbsLogError)})`);
    console.log(`  Spearman rank correlation: ${r.rankCorrelation.toFixed(3)} (goal >= 0.9)`);
    console.log(`  simulated SLO breaches the predictor called safe by > 2x: ${r.unsafeMisses} (goal 0)`);
  } finally {
    await pool.close();
  }
}

export async function benchInterference(): Promise<void> {
  benchScoring();
  await benchAccuracy();
}
