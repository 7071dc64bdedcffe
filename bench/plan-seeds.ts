import { large, LARGE_ITERATIONS, type LargePlanFigures } from "./placement.js";

/**
 * benchPlanSeeds: the interference bench's 10,000-VM plan (same generated cluster, seed 11) made
 * with several search seeds, to show how far host count and breaches move with the search alone
 * (issue 12's plan gate compares single runs). BENCH_PLAN_SEEDS="11,1,2" (default 11,1,2,3) and
 * BENCH_PLAN_ITERATIONS (default LARGE_ITERATIONS). The seed also seeds validation's simulations.
 */
export async function benchPlanSeeds(): Promise<void> {
  const seeds = (process.env.BENCH_PLAN_SEEDS ?? "11,1,2,3").split(",").map(Number);
  const iterations = Number(process.env.BENCH_PLAN_ITERATIONS ?? LARGE_ITERATIONS);
  const rows: Array<{ seed: number; f: LargePlanFigures }> = [];
  for (const seed of seeds) rows.push({ seed, f: await large({ seed, iterations }) });
  console.log(`\nsearch seeds at ${iterations} iterations: seed hosts costAfterSearch costAfterRepair breachesBefore/After`);
  for (const { seed, f } of rows) console.log(`  ${seed} ${f.hostsUsed} ${f.costBefore} ${f.costAfter} ${f.simulatedBefore}/${f.simulatedAfter}`);
  const hosts = rows.map((r) => r.f.hostsUsed);
  console.log(`  hosts min ${Math.min(...hosts)} max ${Math.max(...hosts)}`);
}
