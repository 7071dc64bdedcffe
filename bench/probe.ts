import { performance } from "node:perf_hooks";
import { errorRates, gridCells, gridJob, outcomeOf, type CellOutcome, type ProbeGridSpec } from "../src/interference/probe/evaluate.js";
import { BOBTAIL_HIGH_MARK, BOBTAIL_LOW_MARK, DEFAULT_SLEEP_US, DEFAULT_THRESHOLD_MS } from "../src/model/probe.js";
import { WorkerPool } from "../src/runtime/sim-pool.js";
import { SIMULATED_KINDS } from "../src/sim/schedulers/registry.js";

// The probe against the io tail it is meant to foresee, on E4's grid (4 cores) under every
// simulated scheduler. The marks (13 / 65) and S (100 us) are the published / a-priori defaults;
// nothing was tuned on this grid, and the seeds (1, 2) were fixed before the first run.
const GRID: ProbeGridSpec = {
  schedulers: SIMULATED_KINDS,
  cores: 4,
  n: [0, 1, 2, 3, 4, 5, 6, 8],
  duty: [0.3, 0.5, 0.7, 0.9, 1],
  burstMs: [1, 10, 30],
  distributions: ["jitter", "exponential"],
  seeds: [1, 2],
  durationMs: 20_000,
  sleepUs: DEFAULT_SLEEP_US,
  thresholdMs: DEFAULT_THRESHOLD_MS,
};
const MARKS = { low: BOBTAIL_LOW_MARK, high: BOBTAIL_HIGH_MARK };
const SLOS_MS = [5, 10, 20];
const LETTER = { GOOD: "G", "NEEDS-NETWORK-TEST": "n", BAD: "B" } as const;

/** benchProbe: the probe's verdict map, its E4 contrast and its error rates against the io p99.9. */
export async function benchProbe(): Promise<void> {
  const cells = gridCells(GRID);
  const pool = new WorkerPool(2);
  const t0 = performance.now();
  let outcomes: CellOutcome[];
  try {
    const results = await pool.runAll(cells.map((c) => gridJob(c, GRID)));
    outcomes = cells.map((c, i) => outcomeOf(c, results[i], MARKS));
  } finally {
    await pool.close();
  }
  console.log(`probe grid: ${cells.length} simulations of ${GRID.durationMs / 1000} s (${GRID.cores} cores, S ${GRID.sleepUs} us, 2 workers, ${((performance.now() - t0) / 1000).toFixed(0)} s wall on a shared machine)`);
  for (const kind of GRID.schedulers) {
    const mine = outcomes.filter((o) => o.cell.scheduler === kind);
    printMap(kind, mine);
    printContrast(kind, mine);
    for (const seed of ["all", ...GRID.seeds] as const) printRates(kind, seed, seed === "all" ? mine : mine.filter((o) => o.cell.seed === seed));
    printNoise(kind, mine);
  }
  for (const seed of ["all", ...GRID.seeds] as const) printRates("every scheduler", seed, seed === "all" ? outcomes : outcomes.filter((o) => o.cell.seed === seed));
}

/** printMap: the verdict per neighbourhood (seed 1), G / n / B, with the io p99.9 in ms. */
function printMap(kind: string, xs: CellOutcome[]): void {
  console.log(`\n${kind}: verdict (G good, n network test, B bad) / io p99.9 ms, seed 1; columns N = ${GRID.n.join(", ")} CPU VMs`);
  for (const dist of GRID.distributions)
    for (const b of GRID.burstMs)
      for (const d of GRID.duty) {
        const row = GRID.n.map((n) => {
          const o = xs.find((x) => x.cell.seed === 1 && x.cell.n === n && x.cell.duty === d && x.cell.burstMs === b && x.cell.distribution === dist);
          return o ? `${LETTER[o.verdict]}/${o.ioP999Ms.toFixed(1)}`.padStart(8) : "";
        });
        if (row.every((x) => x === "")) continue; // duty 1 appears once (gridCells)
        console.log(`  ${dist.padEnd(11)} b ${String(b).padStart(2)} d ${d.toFixed(1)} ${row.join("")}`);
      }
}

/** printContrast: E4's probe contrast, long oversleeps per run, good cells against bad ones. */
function printContrast(kind: string, xs: CellOutcome[]): void {
  const mean = (ys: CellOutcome[]) => ys.reduce((s, o) => s + o.longPerRun, 0) / Math.max(1, ys.length);
  const good = xs.filter((o) => o.cell.n <= 1);
  const bad = xs.filter((o) => o.cell.n + 1 > GRID.cores && o.cell.duty < 1);
  const badLong = bad.filter((o) => o.cell.burstMs >= 10);
  console.log(
    `  contrast: long oversleeps per ${GRID.durationMs / 1000} s run, N <= 1: mean ${mean(good).toFixed(2)} (max ${Math.max(...good.map((o) => o.longPerRun))}); ` +
      `N + 1 > cores, d < 1: mean ${mean(bad).toFixed(1)} (b >= 10 ms: ${mean(badLong).toFixed(1)}); ratio ${(mean(bad) / Math.max(mean(good), 1)).toFixed(0)}x over max(good, 1)`,
  );
}

function printRates(kind: string, seed: number | "all", xs: CellOutcome[]): void {
  const parts = SLOS_MS.flatMap((slo) =>
    (["needs-test", "bad"] as const).map((alarmOn) => {
      const r = errorRates(xs, slo, alarmOn);
      return `SLO ${slo} ms, alarm ${alarmOn === "bad" ? "BAD" : "not GOOD"}: FP ${pct(r.falsePositiveRate)} (${r.falsePositives}/${r.cells - r.truthBad}), FN ${pct(r.falseNegativeRate)} (${r.falseNegatives}/${r.truthBad})`;
    }),
  );
  console.log(`  ${kind}, seed ${seed}, ${xs.length} cells:\n    ${parts.join("\n    ")}`);
}

/** printNoise: how often a second seed flips the verdict or the truth (the noise floor). */
function printNoise(kind: string, xs: CellOutcome[]): void {
  const [a, b] = GRID.seeds;
  const first = xs.filter((o) => o.cell.seed === a);
  const key = (o: CellOutcome) => `${o.cell.n}/${o.cell.duty}/${o.cell.burstMs}/${o.cell.distribution}`;
  const second = new Map(xs.filter((o) => o.cell.seed === b).map((o) => [key(o), o]));
  const verdictFlips = first.filter((o) => second.get(key(o))?.verdict !== o.verdict).length;
  const truthFlips = first.filter((o) => (second.get(key(o))?.ioP999Ms ?? 0) > 10 !== o.ioP999Ms > 10).length;
  console.log(`  noise floor (seed ${a} vs ${b}, ${first.length} cells): verdict differs in ${verdictFlips}, io p99.9 on the other side of 10 ms in ${truthFlips}`);
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
