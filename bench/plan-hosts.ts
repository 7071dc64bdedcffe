import { performance } from "node:perf_hooks";
import { absLog, quantile } from "../src/interference/eval/stats.js";
import { profileVm } from "../src/interference/profile.js";
import { scoreHost } from "../src/interference/score.js";
import { loadPredictor } from "../src/io/calibration.js";
import type { Host, Vm } from "../src/model/cluster.js";
import { parseCluster } from "../src/model/validate.js";
import { planCluster } from "../src/placement/plan.js";
import { WorkerPool } from "../src/runtime/sim-pool.js";
import { generated, LARGE_ITERATIONS } from "./placement.js";

/**
 * benchPlanHosts: the predictor on the hosts the placer makes, not on hosts drawn at random. The
 * placer keeps the compositions whose bound it pushed up to an SLO, so it selects the ones on which
 * the predictor errs low; the frozen rounds cannot show that. The 10,000-VM plan of the
 * interference bench (generate --seed 11, LARGE_ITERATIONS, before validation's repairs) is made,
 * every used host with a latency-sensitive VM is simulated 3 x 30 s (seeds 101-103; median
 * p99.9, cheaper than the rounds' 5 x 60 s), and `score`'s estimate and bound for each such VM are
 * judged against it: |ln(est/sim)| median and p90, the signed median, coverage, the VMs the
 * simulation puts over their own SLO and the unsafe ones among them (estimate under half the SLO).
 */
const SEEDS = [101, 102, 103];
const DURATION_MS = 30_000;

interface Judged {
  readonly group: string[];
  readonly estUs: number;
  readonly boundUs: number;
  readonly simUs: number;
  readonly sloUs: number;
}

const victimsBin = (n: number): string => (n <= 2 ? "1-2" : n <= 6 ? "3-6" : n <= 12 ? "7-12" : "13+");

function row(name: string, xs: readonly Judged[]): string {
  const ab = xs.map((x) => absLog(x.estUs, x.simUs));
  const signed = xs.map((x) => Math.log(Math.max(1, x.estUs) / Math.max(1, x.simUs)));
  const cover = xs.filter((x) => x.boundUs >= x.simUs).length / xs.length;
  const over = xs.filter((x) => x.simUs > x.sloUs);
  const unsafe = over.filter((x) => x.estUs < x.sloUs / 2).length;
  return `  ${name.padEnd(26)} ${String(xs.length).padStart(5)}  median ${quantile(ab, 0.5).toFixed(3)}  p90 ${quantile(ab, 0.9).toFixed(3)}  signed median ${quantile(signed, 0.5).toFixed(3)}  coverage ${(cover * 100).toFixed(1)}%  over SLO ${over.length}  unsafe ${unsafe}`;
}

export async function benchPlanHosts(): Promise<void> {
  const predictor = loadPredictor();
  const r = parseCluster(generated(1000, 10_000, 11));
  if (!r.ok) throw new Error("large instance invalid");
  const cluster = r.value;
  const t0 = performance.now();
  const plan = await planCluster(cluster, predictor, { solver: "heuristic", iterations: LARGE_ITERATIONS, timeBudgetMs: 3_600_000, now: () => performance.now(), explain: false });
  const hosts = new Map<string, Host>(cluster.hosts.map((h) => [h.id, h]));
  const vms = new Map<string, Vm>(cluster.vms.map((v) => [v.id, v]));
  const on = new Map<string, Vm[]>();
  for (const a of plan.assignments) on.set(a.host, [...(on.get(a.host) ?? []), vms.get(a.vm)!]);
  const judged = [...on.entries()].filter(([, xs]) => xs.some((v) => v.slo)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const jobs = judged.flatMap(([h, xs]) => {
    const sorted = [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));
    return SEEDS.map((seed) => ({ scenario: { host: hosts.get(h)!, vms: sorted, durationMs: DURATION_MS, warmupMs: 1000, seed } }));
  });
  const pool = new WorkerPool();
  const results = await pool.runAll(jobs);
  await pool.close();
  const out: Judged[] = [];
  judged.forEach(([h, xs], k) => {
    const host = hosts.get(h)!;
    const scored = scoreHost(host, xs.map(profileVm), predictor);
    const slo = xs.filter((v) => v.slo?.p999Ms !== undefined);
    for (const v of slo) {
      const p = scored.vms.find((x) => x.vmId === v.id)!;
      const sims = results.slice(k * SEEDS.length, (k + 1) * SEEDS.length).map((res) => res.vms.find((x) => x.id === v.id)!.requestLatency.p999Us);
      const kind = host.scheduler.kind;
      out.push({ group: ["all", kind, `${kind}, ${host.cores} cores`, `${victimsBin(slo.length)} victims on the host`], estUs: p.predictedP999Us, boundUs: p.boundP999Us, simUs: quantile(sims, 0.5), sloUs: v.slo!.p999Ms! * 1000 });
    }
  });
  console.log(`predictor on the 10,000-VM plan's own hosts (generate --seed 11, ${LARGE_ITERATIONS.toLocaleString("en-US")} iterations, before repairs): ${judged.length} hosts, ${out.length} VMs with a p99.9 SLO; reference median of ${SEEDS.length} x ${DURATION_MS / 1000} s per host (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  const names = [...new Set(out.flatMap((x) => x.group))];
  for (const g of names) console.log(row(g, out.filter((x) => x.group.includes(g))));
}
