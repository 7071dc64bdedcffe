import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { baselineDist } from "./sim-baseline.js";
import { fairScenarios } from "./identity/fair.js";
import { credit1Scenarios } from "./identity/credit1.js";
import { credit2Scenarios } from "./identity/credit2.js";

/**
 * The byte-identity sweep (`npm run bench -- identity`): every VM-visible byte of this
 * build's results against a baseline build's (sim-baseline.ts: SIM_BASELINE_REF=main or
 * SIM_BASELINE_DIR for the build before a speed change), apart from eventsProcessed, which a
 * speed change may lower (test/sim/byte-identity.test.ts). Three suites: credit1 (268 scenarios,
 * bench/identity/credit1.ts: every credit1 switch on 2-16 pCPUs, caps, a tick-dodger, a probe,
 * driver domains, the Bobtail cell on 12 seeds), credit2 (346, bench/identity/credit2.ts: every
 * credit2 parameter, several run queues, parking caps) and fair (260, bench/identity/fair.ts:
 * kvm-cfs and kvm-eevdf with every parameter, cgroups, quotas, slices). Scenarios a baseline cannot
 * parse (workload kinds it predates) are counted as skipped.
 */

type Simulate = (input: unknown) => Record<string, unknown>;

/**
 * One suite per scheduler family; IDENTITY_SUITES=credit1,... runs only those. A speed change to a
 * scheduler adds its suite here (bench/identity/<suite>.ts) so the check stays reusable.
 */
const SUITES: { name: string; scenarios: () => [string, object][] }[] = [{ name: "credit1", scenarios: credit1Scenarios }, { name: "credit2", scenarios: credit2Scenarios }, { name: "fair", scenarios: fairScenarios }];

async function loadSimulate(dist: string): Promise<Simulate> {
  const url = (rel: string): string => pathToFileURL(join(dist, rel)).href;
  const { simulateHost } = (await import(url("src/sim/simulate-host.js"))) as { simulateHost: (s: unknown) => Record<string, unknown> };
  const { ScenarioSchema } = (await import(url("src/model/scenario.js"))) as { ScenarioSchema: { parse(x: unknown): unknown } };
  return (input) => simulateHost(ScenarioSchema.parse(input));
}

/** visible hashes a result without eventsProcessed; null when the build cannot parse the input. */
function visible(simulate: Simulate, input: object): { hash: string; events: number } | null {
  let result: Record<string, unknown>;
  try {
    result = simulate(input);
  } catch {
    return null;
  }
  const { eventsProcessed, ...rest } = result;
  return { hash: createHash("sha256").update(JSON.stringify(rest)).digest("hex"), events: Number(eventsProcessed) };
}

export async function benchSimIdentity(): Promise<void> {
  const line = (k: string, v: string): void => console.log(`identity  ${k.padEnd(28)} ${v}`);
  const base = baselineDist();
  if (base.dir === null) return line("baseline", `none: ${base.reason}`);
  line("baseline", base.label);
  const current = await loadSimulate(dirname(dirname(fileURLToPath(import.meta.url))));
  const baseline = await loadSimulate(base.dir);
  const only = process.env.IDENTITY_SUITES?.split(",").map((s) => s.trim());
  for (const suite of SUITES) {
    if (only !== undefined && !only.includes(suite.name)) continue;
    compareSuite(suite.name, suite.scenarios(), baseline, current, line);
  }
}

function compareSuite(suite: string, scenarios: [string, object][], baseline: Simulate, current: Simulate, line: (k: string, v: string) => void): void {
  let same = 0;
  let skipped = 0;
  const events = [0, 0];
  const differ: string[] = [];
  for (const [name, input] of scenarios) {
    const b = visible(baseline, input);
    if (b === null) {
      skipped++;
      continue;
    }
    const c = visible(current, input);
    if (c === null) throw new Error(`identity: this build cannot run ${suite} "${name}"`);
    events[0] += b.events;
    events[1] += c.events;
    if (b.hash === c.hash) same++;
    else differ.push(name);
  }
  line(`${suite} scenarios`, `${same} byte-identical, ${differ.length} differ, ${skipped} skipped (baseline cannot parse)`);
  line(`${suite} events (base, this)`, `${events[0]}, ${events[1]} (${(events[1] / Math.max(1, events[0])).toFixed(3)}x)`);
  for (const name of differ) line("  differs", `${suite}: ${name}`);
}
