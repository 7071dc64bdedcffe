import { bobtailCell as cell, MIXED, scenarioDoc, vm } from "./docs.js";

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

/** The credit1 suite: 268 scenarios (see sim-identity.ts). */
export function credit1Scenarios(): [name: string, input: object][] {
  const scen = (cores: number, sw: object, vms: object[], seed: number, ms: number, host: object = {}): object =>
    scenarioDoc({ kind: "xen-credit", ...sw }, cores, vms, seed, ms, host);
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
