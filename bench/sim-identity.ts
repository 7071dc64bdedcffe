import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { baselineDist } from "./sim-baseline.js";
import { MIXED_VMS, vmDoc } from "./fixtures/mixed-vms.js";

/**
 * The credit1 byte-identity sweep (`npm run bench -- identity`): every VM-visible byte of this
 * build's results against a baseline build's (sim-baseline.ts: SIM_BASELINE_REF=main or
 * SIM_BASELINE_DIR for the build before a speed change), apart from eventsProcessed, which a
 * speed change may lower (test/sim/byte-identity.test.ts). 268 scenarios: each switch of credit1
 * (accounting, rate limit, boost on migrate, cache-hot delay, slices of 1-10 ms, weight per
 * domain, inactive credit) on 2 to 16 pCPUs, with caps, multi-vCPU VMs, a tick-dodger, a probe,
 * driver domains billing or not, and the Bobtail cell on 12 seeds. Scenarios a baseline cannot
 * parse (workload kinds it predates) are counted as skipped.
 */

type Simulate = (input: unknown) => Record<string, unknown>;

const vm = vmDoc;
const MIXED: object[] = [...MIXED_VMS];

const cell = (n: number): object[] => [
  vm("io", { kind: "io", requestsPerSec: 400, serviceUs: 80 }),
  ...Array.from({ length: n }, (_, i) => vm(`cpu-${i}`, { kind: "cpu", dutyCycle: 0.6, burstMs: 12, burstDistribution: "jitter" })),
];

const dodge = (extra: object): object[] => [
  vm("dodge", { kind: "tick-dodge", ...extra }),
  vm("victim", { kind: "cpu", dutyCycle: 1, burstMs: 30 }),
  vm("io", { kind: "io", requestsPerSec: 300, serviceUs: 60 }),
];

const SWITCHES: object[] = [
  {}, { accounting: "sampling" }, { ratelimitUs: 0 }, { ratelimitUs: 1000, accounting: "sampling" },
  { boostOnMigrate: true }, { boostOnMigrate: true, accounting: "sampling", ratelimitUs: 0 },
  { migrationDelayUs: 1000 }, { migrationDelayUs: 2000, ratelimitUs: 0 }, { timesliceMs: 1 }, { timesliceMs: 2, ratelimitUs: 0 },
  { timesliceMs: 5 }, { timesliceMs: 10, accounting: "sampling" }, { weightPer: "domain" }, { inactiveCredit: "zero" },
  { ratelimitUs: 5000 }, { timesliceMs: 7, migrationDelayUs: 500 },
];

function scenarios(): [name: string, input: object][] {
  const scen = (cores: number, sw: object, vms: object[], seed: number, ms: number, host: object = {}): object => ({
    host: { id: "h", cores, memoryMiB: 1 << 20, scheduler: { kind: "xen-credit", ...sw }, ...host },
    vms,
    durationMs: ms,
    warmupMs: 500,
    seed,
  });
  const out: [string, object][] = [];
  let k = 0;
  for (const sw of SWITCHES) {
    const tag = JSON.stringify(sw);
    for (const cores of [2, 4, 8, 16]) {
      k++;
      out.push([`mixed c${cores} ${tag}`, scen(cores, sw, MIXED, 100 + k, 2000)]);
      out.push([`cell c${cores} ${tag}`, scen(cores, sw, cell(cores + 3), 200 + k, 2000)]);
    }
    k++;
    out.push([`dodge caught ${tag}`, scen(2, sw, dodge({ dodgeFromMs: 300 }), 300 + k, 2000)]);
    out.push([`dodge from boot ${tag}`, scen(1, sw, dodge({}), 400 + k, 2000)]);
    out.push([`probe ${tag}`, scen(4, sw, [vm("probe", { kind: "probe", sleepUs: 1000 }), ...cell(5)], 500 + k, 2000)]);
    for (const charge of [false, true]) {
      const two = { driverDomain: { vcpus: 2, chargeDriverWork: charge, capPercent: charge ? 80 : 0 } };
      out.push([`driver charge=${charge} ${tag}`, scen(4, sw, MIXED.slice(0, 7), 600 + k, 2000, two)]);
      const one = { driverDomain: { vcpus: 1, chargeDriverWork: charge, usPerPacket: 30 } };
      out.push([`driver1 charge=${charge} ${tag}`, scen(8, sw, cell(11), 700 + k, 2000, one)]);
    }
    out.push([`caps ${tag}`, scen(3, sw, MIXED.map((v, i) => ({ ...v, capPercent: 20 + 10 * i })), 800 + k, 2000)]);
  }
  for (let seed = 1; seed <= 12; seed++) out.push([`bobtail seed ${seed}`, scen(8, {}, cell(11), seed, 4000)]);
  return out;
}

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
  let same = 0;
  let skipped = 0;
  const events = [0, 0];
  const differ: string[] = [];
  for (const [name, input] of scenarios()) {
    const b = visible(baseline, input);
    if (b === null) {
      skipped++;
      continue;
    }
    const c = visible(current, input);
    if (c === null) throw new Error(`identity: this build cannot run "${name}"`);
    events[0] += b.events;
    events[1] += c.events;
    if (b.hash === c.hash) same++;
    else differ.push(name);
  }
  line("credit1 scenarios", `${same} byte-identical, ${differ.length} differ, ${skipped} skipped (baseline cannot parse)`);
  line("events (baseline, this)", `${events[0]}, ${events[1]} (${(events[1] / Math.max(1, events[0])).toFixed(3)}x)`);
  for (const name of differ) line("  differs", name);
}
