import { bobtailCell as cell, MIXED, scenarioDoc, vm } from "./docs.js";

/** cgroup weights from 1 to 10000 over a cell, the io VM heaviest or lightest by turns. */
const weighted = (n: number, ioWeight: number): object[] =>
  cell(n).map((v, i) => ({ ...v, cpuWeight: i === 0 ? ioWeight : [25, 100, 400, 1000, 10000, 1][i % 6] }));

/** Multi-vCPU VMs only (every group weight spread over CPUs), some always runnable. */
const spread = (): object[] => [
  vm("io4", { kind: "io", requestsPerSec: 1200, serviceUs: 70 }, { vcpus: 4 }),
  vm("hog4", { kind: "cpu", dutyCycle: 1, burstMs: 40 }, { vcpus: 4, cpuWeight: 200 }),
  vm("bursty3", { kind: "cpu", dutyCycle: 0.5, burstMs: 3, burstDistribution: "jitter" }, { vcpus: 3 }),
  vm("mix2", { kind: "mixed", io: { requestsPerSec: 300, serviceUs: 50 }, cpu: { dutyCycle: 0.6, burstMs: 6 } }, { vcpus: 2, cpuWeight: 50 }),
];

/** Every parameter of both schedulers' schemas away from its default, one or two at a time. */
const COMMON: object[] = [
  {}, { tickUs: 4000 }, { tickUs: 250 }, { tunableScaling: "linear" }, { tunableScaling: "none" },
  { haltPollUs: 0 }, { haltPollUs: 5000 }, { haltPollUs: 1000, tickUs: 4000 }, { cfsPeriodUs: 10000 },
  { cfsPeriodUs: 5000, bandwidthSliceUs: 500 }, { bandwidthSliceUs: 20000 },
];
const CFS: object[] = [
  ...COMMON, { latencyUs: 24000 }, { minGranularityUs: 3000 }, { wakeupGranularityUs: 0 }, { wakeupGranularityUs: 4000 },
  { gentleFairSleepers: false }, { latencyUs: 3000, minGranularityUs: 300, wakeupGranularityUs: 500 },
];
const EEVDF: object[] = [
  ...COMMON, { baseSliceUs: 700 }, { baseSliceUs: 3000 }, { placeLag: false }, { placeDeadlineInitial: false },
  { runToParity: false }, { preemptShort: false }, { delayDequeue: false },
  { placeLag: false, runToParity: false, delayDequeue: false }, { baseSliceUs: 100, tunableScaling: "none" },
];

type Scen = (cores: number, vms: object[], seed: number, ms: number, host?: object) => object;

/** The scenarios of one switch set on one scheduler kind. */
function forSwitch(scen: Scen, tag: string, k: number, eevdf: boolean): [string, object][] {
  const out: [string, object][] = [];
  const cores = [1, 2, 4, 8, 16, 32][k % 6];
  out.push([`mixed c${cores} ${tag}`, scen(cores, MIXED, 100 + k, 2000)]);
  out.push([`cell c${(k % 4) * 4 + 2} ${tag}`, scen((k % 4) * 4 + 2, cell((k % 4) * 4 + 5), 200 + k, 2000)]);
  out.push([`weighted c4 ${tag}`, scen(4, weighted(7, k % 2 === 0 ? 10000 : 1), 300 + k, 2000)]);
  out.push([`spread c${3 + (k % 3)} ${tag}`, scen(3 + (k % 3), spread(), 400 + k, 2000)]);
  const capped = cell(6).map((v, i) => (i % 2 === 1 ? { ...v, capPercent: 30 + 15 * i } : v));
  out.push([`quota c3 ${tag}`, scen(3, capped, 500 + k, 2000)]);
  const two = { driverDomain: { vcpus: 2, chargeDriverWork: k % 2 === 0, capPercent: k % 2 === 0 ? 80 : 0 } };
  out.push([`driver c4 ${tag}`, scen(4, MIXED.slice(0, 7), 600 + k, 2000, two)]);
  if (eevdf) {
    const short = cell(9).map((v, i) => (i === 0 ? { ...v, schedRuntimeUs: 100 } : i % 3 === 0 ? { ...v, schedRuntimeUs: 6000 } : v));
    out.push([`slices c4 ${tag}`, scen(4, short, 700 + k, 2000)]);
  }
  return out;
}

/**
 * The fair suite (kvm-cfs and kvm-eevdf, see sim-identity.ts): each parameter of both schemas
 * varied (COMMON, CFS, EEVDF above) on 1 to 32 pCPUs, over the mixed VMs (every workload kind,
 * caps, 2-vCPU VMs), Bobtail-like cells, cgroup weights 1 to 10000, VMs of 2 to 4 vCPUs only,
 * bandwidth quotas, driver domains billing or not and EEVDF sched_runtime slices; then the
 * Bobtail cell on 8 seeds per kind and a 32-pCPU cell. 260 scenarios.
 */
export function fairScenarios(): [name: string, input: object][] {
  const out: [string, object][] = [];
  for (const [kind, switches] of [["kvm-cfs", CFS], ["kvm-eevdf", EEVDF]] as const) {
    const eevdf = kind === "kvm-eevdf";
    switches.forEach((sw, k) => {
      const scen: Scen = (cores, vms, seed, ms, host = {}) => scenarioDoc({ kind, ...sw }, cores, vms, seed, ms, host);
      for (const [name, input] of forSwitch(scen, JSON.stringify(sw), k, eevdf)) out.push([`${kind} ${name}`, input]);
    });
    const bob = (cores: number, n: number, seed: number): object => scenarioDoc({ kind }, cores, cell(n), seed, 4000);
    for (let seed = 1; seed <= 8; seed++) out.push([`${kind} bobtail seed ${seed}`, bob(8, 11, seed)]);
    out.push([`${kind} cell c32`, bob(32, 44, 99)]);
  }
  return out;
}
