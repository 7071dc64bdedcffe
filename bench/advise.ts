import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { adviseCluster } from "../src/advise/advise.js";
import { HARM_FRACTION } from "../src/advise/outcome.js";
import { loadPredictor } from "../src/io/calibration.js";
import type { Advice, AdviceOption } from "../src/model/advice.js";
import type { Cluster } from "../src/model/cluster.js";
import { SCHEDULER_KINDS } from "../src/model/scheduler.js";
import { parseCluster } from "../src/model/validate.js";
import { WorkerPool } from "../src/runtime/sim-pool.js";
import type { SimRunner } from "../src/sim/runner.js";
import { simulateHost } from "../src/sim/simulate-host.js";
import { bobtailCell } from "./sim.js";

// Issue 13's Bobtail cell on 8 cores (bench/sim.ts: 1 io VM at 400 req/s x 80 us, 11 CPU VMs at
// duty 0.6, 12 ms jittered bursts), with the sample's 5 ms p99.9 SLO on the io VM, advised as it
// runs under each scheduler. Seeds and durations were fixed before the first run.
const CELL = { durationMs: 10_000, seeds: 5, seed: 1 };
const SLO_MS = 5;
/** The advisor's wall time on the bundled sample, with the CLI's defaults (10 s x 3 seeds). */
const SAMPLE = "data/sample-cluster.json";
const WORKERS = 2;

function parsed(doc: unknown): Cluster {
  const r = parseCluster(doc);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  return r.value;
}

/** cellCluster: the cell as a one-host cluster whose VMs carry their host, the io VM with an SLO. */
function cellCluster(kind: (typeof SCHEDULER_KINDS)[number]): Cluster {
  const s = bobtailCell(kind);
  const vms = s.vms.map((v) => ({ ...v, host: s.host.id, ...(v.id === "io" ? { slo: { p999Ms: SLO_MS } } : {}) }));
  return parsed({ hosts: [s.host], vms, policy: { seed: CELL.seed } });
}

const ms = (us: number): string => (us / 1000).toFixed(2);

function row(o: AdviceOption, recommended: string | undefined): string {
  const io = o.latency.find((l) => l.vmId === "io")!;
  const spread = `${ms(Math.min(...io.seedsP999Us))}-${ms(Math.max(...io.seedsP999Us))}`;
  const before = o.others.reduce((s, x) => s + x.cpuShareBefore, 0);
  const after = o.others.reduce((s, x) => s + x.cpuShareAfter, 0);
  const cs = o.hosts[0];
  const mark = o.id === recommended ? "*" : " ";
  return `${mark} ${o.id.padEnd(38)} ${ms(io.predictedP999Us).padStart(6)} ${ms(io.simulatedP999Us).padStart(7)}  ${spread.padEnd(11)} ${(o.meetsSlo ? "yes" : "no").padEnd(4)} ${before.toFixed(2)} -> ${after.toFixed(2)} (worst -${(o.harm.worstLossFraction * 100).toFixed(0)}%${o.harm.harmful ? ", harmful" : ""})  ${cs.contextSwitchesPerSecBefore} -> ${cs.contextSwitchesPerSecAfter}`;
}

/** shareNoise: the largest relative spread of a CPU VM's share over the cell's seeds (what HARM_FRACTION must clear). */
function shareNoise(kind: (typeof SCHEDULER_KINDS)[number]): number {
  const shares = Array.from({ length: CELL.seeds }, (_, k) => simulateHost({ ...bobtailCell(kind, CELL.durationMs), seed: CELL.seed + k }).vms.slice(1).map((v) => v.cpuShare));
  return Math.max(...shares[0].map((_, j) => {
    const xs = shares.map((s) => s[j]);
    return (Math.max(...xs) - Math.min(...xs)) / Math.max(...xs);
  }));
}

/**
 * benchAdvise prints, for the Bobtail cell under each of the four schedulers, the io VM's
 * predicted and simulated p99.9 (median of 5 seeds, with their range) under every option the
 * advisor weighs (the scheduler as it is, the upgrade, and each parameter change), what each
 * costs the CPU VMs, and the recommendation; then the advisor's wall time on the sample.
 */
export async function benchAdvise(): Promise<void> {
  const predictor = loadPredictor();
  const pool = new WorkerPool(WORKERS);
  try {
    console.log(`advise  bobtail cell: 8 cores, io 400 req/s x 80 us (SLO p99.9 ${SLO_MS} ms) + 11 cpu VMs d 0.6 b 12 ms; ${CELL.durationMs / 1000} s x ${CELL.seeds} seeds (${CELL.seed}..${CELL.seed + CELL.seeds - 1}) per option, ${WORKERS} workers`);
    console.log(`  ${"option".padEnd(38)} ${"pred".padStart(6)} ${"sim".padStart(7)}  ${"seed range".padEnd(11)} SLO  cpu VMs' CPU before -> after        ctx switches/s`);
    for (const kind of SCHEDULER_KINDS) {
      const t0 = performance.now();
      const a: Advice = await adviseCluster(cellCluster(kind), { ...CELL, host: "bobtail-8" }, { predictor, runner: pool });
      const h = a.hosts[0];
      console.log(`  -- host under ${kind} (${((performance.now() - t0) / 1000).toFixed(1)} s wall)`);
      for (const o of h.options) console.log(`  ${row(o, h.recommendation.optionId)}`);
      console.log(`  recommended: ${h.recommendation.optionId ?? "none"}: ${h.recommendation.reason}`);
    }
    const noise = SCHEDULER_KINDS.map((k) => `${k} ${(shareNoise(k) * 100).toFixed(1)}%`).join(", ");
    console.log(`advise  CPU share noise: largest (max-min)/max of a cpu VM's share over the ${CELL.seeds} seeds: ${noise} (harm threshold ${HARM_FRACTION * 100}%)`);
    const sample = parsed(JSON.parse(readFileSync(SAMPLE, "utf8")));
    for (let run = 1; run <= 2; run++) {
      let sims = 0;
      const counting: SimRunner = { runAll: (jobs, onDone) => ((sims += jobs.length), pool.runAll(jobs, onDone)), close: async () => {} };
      const t1 = performance.now();
      const s = await adviseCluster(sample, {}, { predictor, runner: counting });
      const sec = (performance.now() - t1) / 1000;
      console.log(`advise  sample (${SAMPLE}), CLI defaults, run ${run}: ${sec.toFixed(1)} s wall, ${s.hostsScreened} hosts screened, ${s.hosts.length} advised (${s.hosts.map((h) => `${h.hostId} -> ${h.recommendation.optionId ?? "none"}`).join(", ")}), ${sims} simulations of ${s.settings.durationMs / 1000} s (shared machine)`);
    }
  } finally {
    await pool.close();
  }
}
