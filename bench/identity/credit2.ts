import { bobtailCell as cell, MIXED, scenarioDoc, vm } from "./docs.js";

/** Always-runnable VMs of unequal weight and size: burns at max_weight / weight, resets, balancing. */
const weighted = (n: number): object[] =>
  Array.from({ length: n }, (_, i) =>
    vm(`w-${i}`, { kind: "cpu", dutyCycle: i % 3 === 0 ? 1 : 0.7, burstMs: 3 + (i % 5) * 4 }, { weight: 64 << i % 5, vcpus: 1 + (i % 3) }),
  );

/** Capped multi-vCPU VMs that exhaust their budget (parking, unparking at replenishment), beside an io VM. */
const capped = (n: number): object[] => [
  vm("io", { kind: "io", requestsPerSec: 800, serviceUs: 70 }),
  ...Array.from({ length: n }, (_, i) =>
    vm(`cap-${i}`, { kind: "cpu", dutyCycle: 1, burstMs: 20 }, { vcpus: 2 + (i % 3), capPercent: 30 + 45 * (i % 4), weight: 128 + 128 * (i % 2) }),
  ),
];

/**
 * Every credit2 parameter of the scheduler schema moved off its default (alone, and a few
 * together), including run-queue sizes that split even small hosts into several queues.
 */
const PARAMS: object[] = [
  {}, { ratelimitUs: 0 }, { ratelimitUs: 100 }, { ratelimitUs: 5000 }, { creditInitUs: 2000 }, { creditInitUs: 50000 },
  { maxTimerUs: 2000 }, { maxTimerUs: 30000 }, { minTimerUs: 100 }, { minTimerUs: 2000, ratelimitUs: 0 },
  { carryOverUs: 0 }, { carryOverUs: 5000 }, { migrateResistUs: 0 }, { migrateResistUs: 3000 },
  { migrateCompensationUs: 0 }, { migrateCompensationUs: 700 }, { capPeriodMs: 1 }, { capPeriodMs: 40 },
  { maxCpusPerRunqueue: 2 }, { maxCpusPerRunqueue: 4, ratelimitUs: 0, migrateResistUs: 100 },
  { maxCpusPerRunqueue: 8, creditInitUs: 5000, carryOverUs: 1000, minTimerUs: 250, maxTimerUs: 4000 },
];

/** The credit2 suite: 346 scenarios on 2 to 32 pCPUs (see sim-identity.ts). */
export function credit2Scenarios(): [name: string, input: object][] {
  const scen = (cores: number, params: object, vms: object[], seed: number, ms: number, host: object = {}): object =>
    scenarioDoc({ kind: "xen-credit2", ...params }, cores, vms, seed, ms, host);
  const out: [string, object][] = [];
  let k = 0;
  for (const params of PARAMS) {
    const tag = JSON.stringify(params);
    // 20 and 32 pCPUs make two run queues at the default size: balancing between them.
    for (const cores of [2, 4, 8, 20, 32]) {
      k++;
      out.push([`mixed c${cores} ${tag}`, scen(cores, params, MIXED, 100 + k, 2000)]);
      out.push([`cell c${cores} ${tag}`, scen(cores, params, cell(cores + 3), 200 + k, 2000)]);
    }
    k++;
    out.push([`weighted c6 ${tag}`, scen(6, params, weighted(9), 300 + k, 2000)]);
    out.push([`weighted c18 ${tag}`, scen(18, params, weighted(16), 400 + k, 1500)]);
    out.push([`capped c4 ${tag}`, scen(4, params, capped(5), 500 + k, 2000)]);
    out.push([`capped c24 ${tag}`, scen(24, params, capped(14), 600 + k, 1500)]);
    // A billing driver domain keeps credit2's timers in host-sim's queue (the DeadlineTimers path).
    for (const charge of [false, true]) {
      const driver = { driverDomain: { vcpus: 2, chargeDriverWork: charge, capPercent: charge ? 80 : 0 } };
      out.push([`driver charge=${charge} ${tag}`, scen(4, params, MIXED.slice(0, 7), 700 + k, 2000, driver)]);
    }
  }
  for (let seed = 1; seed <= 10; seed++) out.push([`bobtail seed ${seed}`, scen(8, {}, cell(11), seed, 4000)]);
  return out;
}
