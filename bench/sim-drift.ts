import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { baselineDist } from "./sim-baseline.js";
import { quantile } from "../src/interference/eval/stats.js";
import { credit2Scenarios } from "./identity/credit2.js";

/**
 * How far a change meant to move results only at ties moves them (`npm run bench -- drift`):
 * over the credit2 identity suite, for each scenario whose output differs from the baseline
 * build's, |ln(this / baseline)| of each VM's request p99 and p99.9, wake-to-run p99 and p99.9 and
 * CPU share, against the same figure between the baseline at the scenario's seed and the baseline
 * at another seed (seed + 1000): the change should move results no more than a seed does.
 */

interface Pct {
  count: number;
  p99Us: number;
  p999Us: number;
}
interface VmOut {
  id: string;
  requestLatency: Pct;
  wakeToRun: Pct;
  cpuShare: number;
}
type Simulate = (input: unknown) => { vms: VmOut[] };

async function loadSimulate(dist: string): Promise<Simulate> {
  const url = (rel: string): string => pathToFileURL(join(dist, rel)).href;
  const { simulateHost } = (await import(url("src/sim/simulate-host.js"))) as { simulateHost: (s: unknown) => { vms: VmOut[] } };
  const { ScenarioSchema } = (await import(url("src/model/scenario.js"))) as { ScenarioSchema: { parse(x: unknown): unknown } };
  return (input) => simulateHost(ScenarioSchema.parse(input));
}

const METRICS: [string, (v: VmOut) => number][] = [
  ["request p99", (v) => (v.requestLatency.count > 0 ? v.requestLatency.p99Us : NaN)],
  ["request p99.9", (v) => (v.requestLatency.count > 0 ? v.requestLatency.p999Us : NaN)],
  ["wake p99", (v) => (v.wakeToRun.count > 0 ? v.wakeToRun.p99Us : NaN)],
  ["wake p99.9", (v) => (v.wakeToRun.count > 0 ? v.wakeToRun.p999Us : NaN)],
  ["cpu share", (v) => v.cpuShare],
];

/** logDiffs: per metric, |ln(b / a)| of every VM where both are positive. */
function logDiffs(a: { vms: VmOut[] }, b: { vms: VmOut[] }): number[][] {
  return METRICS.map(([, get]) => {
    const out: number[] = [];
    a.vms.forEach((va, i) => {
      const x = get(va);
      const y = get(b.vms[i]);
      if (x > 0 && y > 0) out.push(Math.abs(Math.log(y / x)));
    });
    return out;
  });
}

export async function benchSimDrift(): Promise<void> {
  const line = (k: string, v: string): void => console.log(`drift  ${k.padEnd(24)} ${v}`);
  const base = baselineDist();
  if (base.dir === null) return line("baseline", `none: ${base.reason}`);
  line("baseline", base.label);
  const current = await loadSimulate(dirname(dirname(fileURLToPath(import.meta.url))));
  const baseline = await loadSimulate(base.dir);
  const change: number[][] = METRICS.map(() => []);
  const seedNoise: number[][] = METRICS.map(() => []);
  let differ = 0;
  const worse = METRICS.map(() => 0);
  const compared = METRICS.map(() => 0);
  for (const [name, input] of credit2Scenarios()) {
    const b = baseline(input);
    const c = current(input);
    if (JSON.stringify(b.vms) === JSON.stringify(c.vms)) continue;
    differ++;
    const other = baseline({ ...input, seed: (input as { seed: number }).seed + 1000 });
    const dc = logDiffs(b, c);
    const ds = logDiffs(b, other);
    dc.forEach((xs, m) => change[m].push(...xs));
    ds.forEach((xs, m) => seedNoise[m].push(...xs));
    // Per metric, scenarios where the change moves the worst VM more than another seed does: about
    // half of them if the change acts as a new draw, fewer if it moves results less than one.
    dc.forEach((xs, m) => {
      if (xs.length === 0 || ds[m].length === 0) return;
      compared[m]++;
      if (Math.max(...xs) > Math.max(...ds[m])) worse[m]++;
      else return;
      if (process.env.DRIFT_VERBOSE !== undefined) line("  over seed", `${METRICS[m][0]}: ${name}`);
    });
  }
  line("scenarios differing", String(differ));
  if (differ === 0) return;
  line("metric", "|ln ratio| median / p90 / max over VMs: change | another seed; scenarios change > seed (worst VM)");
  METRICS.forEach(([m], i) => {
    const f = (xs: number[]): string => [0.5, 0.9, 1].map((p) => quantile(xs, p).toFixed(3)).join(" / ");
    line(m, `${f(change[i])} | ${f(seedNoise[i])}; ${worse[i]} of ${compared[i]}`);
  });
}
