import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import seedrandom from "seedrandom";

/**
 * whatif-same: every answer HostState gives (fits, fitsAt where the build has it, worstSlackUs, slackAndHarm, harmUs, each
 * victim's predictVictim, victimDelayUs, driverHopUs) on random hosts of every scheduler, core
 * count and with or without a driver domain, under random adds, what-ifs and removes, from this
 * build and another, compared bit for bit. A speed change to the what-if path must pass it
 * against the build before it:
 *
 *   node dist/bench/whatif-same.js /work/main/dist/src/cli/main.js [hosts]
 */
type HostStateModule = typeof import("../src/interference/host-state.js");
type MarkUnmeetable = typeof import("../src/interference/unmeetable.js").markUnmeetable;
type VmProfile = import("../src/interference/profile.js").VmProfile;
type Victim = import("../src/interference/predictor.js").Victim;

const KINDS = ["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const;
const CORES = [2, 4, 8, 16, 32];
const DRIVER = { vcpus: 1, weight: 256, usPerPacket: 60, packetsPerRequest: 2, rxPacketsPerRequest: 1, chargeDriverWork: false };

/** clusterDoc: one host of every kind x cores x driver domain, and VMs of every workload kind. */
function clusterDoc(): unknown {
  const hosts = KINDS.flatMap((kind) =>
    CORES.flatMap((cores) => [false, true].map((drv) => ({ id: `${kind}-${cores}-${drv ? "d" : "n"}`, cores, memoryMiB: 1 << 22, scheduler: { kind }, ...(drv ? { driverDomain: DRIVER } : {}) }))),
  );
  type VmDoc = { id: string; host?: string; constraints?: unknown };
  const from = (file: string, prefix: string): VmDoc[] =>
    (JSON.parse(readFileSync(file, "utf8")) as { vms: VmDoc[] }).vms.map(({ host: _h, ...vm }) => ({ ...vm, id: `${prefix}${vm.id}` }));
  const vms = [...from("data/generated-large.json", "l-").slice(0, 3000), ...from("data/sample-cluster.json", "s-"), ...from("data/scenarios/e11-driver-domain.json", "e-")];
  return { hosts, vms };
}

/** trace runs the random sequence on the build whose dist/src is `src` and returns every answer. */
async function trace(src: string, seed: string, nHosts: number): Promise<Float64Array> {
  const at = (p: string) => pathToFileURL(resolve(src, p)).href;
  const hs = (await import(at("interference/host-state.js"))) as HostStateModule;
  const { profileVm } = (await import(at("interference/profile.js"))) as typeof import("../src/interference/profile.js");
  const { loadPredictor } = (await import(at("io/calibration.js"))) as typeof import("../src/io/calibration.js");
  const { parseCluster } = (await import(at("model/validate.js"))) as typeof import("../src/model/validate.js");
  const { newPrediction } = (await import(at("interference/predictor.js"))) as typeof import("../src/interference/predictor.js");
  const r = parseCluster(clusterDoc());
  if (!r.ok) throw new Error(`whatif-same: cluster invalid: ${JSON.stringify(r.problems).slice(0, 300)}`);
  const c = r.value;
  const predictor = loadPredictor();
  const profiles: VmProfile[] = c.vms.map(profileVm);
  const victims: (Victim | undefined)[] = profiles.map((p) => hs.victimTerms(p, predictor));
  // Builds before unmeetable.ts existed export markUnmeetable from host-state.js.
  const older = hs as unknown as { markUnmeetable?: MarkUnmeetable };
  const markUnmeetable = older.markUnmeetable ?? ((await import(at("interference/unmeetable.js"))) as { markUnmeetable: MarkUnmeetable }).markUnmeetable;
  markUnmeetable(profiles, victims, c.hosts.slice(0, 8), predictor);
  // Builds before the candidate table (src/interference/candidates.ts) have no fitsAt.
  const table = existsSync(resolve(src, "interference/candidates.js"))
    ? ((await import(at("interference/candidates.js"))) as typeof import("../src/interference/candidates.js")).CandidateTable.of(profiles, victims, predictor)
    : undefined;
  const rng = seedrandom.alea(seed);
  const pick = (n: number) => Math.floor(rng() * n);
  const out: number[] = [];
  const pr = newPrediction();
  const log = (p: typeof pr) => out.push(p.estimateUs[0], p.estimateUs[1], p.boundUs[0], p.boundUs[1], p.pFull, p.blockGivenFull, p.meanWaitUs, p.widened);
  for (let h = 0; h < nHosts; h++) {
    const host = new hs.HostState(c.hosts[pick(c.hosts.length)], predictor);
    const on: number[] = [];
    const n = 1 + pick(Math.min(28, 2 * host.host.cores + 4));
    for (let k = 0; k < n; k++) {
      const j = pick(profiles.length);
      on.push(j);
      host.add(profiles[j], victims[j]);
    }
    for (let q = 0; q < 12; q++) {
      // Before it changes, the placer's form on a pool of catalogue VMs (generated-large's first
      // 60, whose CPU shapes repeat), twice: what a host keeps per shape must hold until it changes.
      if (table && q % 4 === 3) for (let k = 0; k < 120; k++) out.push(host.fitsAt(table, k % 60, victims[k % 60]) ? 1 : 0);
      // Every few what-ifs the host changes: one VM leaves, another joins.
      if (q % 4 === 3 && on.length > 0) {
        const [j] = on.splice(pick(on.length), 1);
        host.remove(profiles[j], victims[j]);
        const k = pick(profiles.length);
        on.push(k);
        host.add(profiles[k], victims[k]);
      }
      const j = pick(profiles.length);
      const p = profiles[j];
      const v = victims[j];
      // The placer's form (fitsAt, from the candidate table) where the build has it: the same answer as fits.
      const placer = table ? host.fitsAt(table, j, v) : host.fits(p, v);
      out.push(host.fits(p, v) ? 1 : 0, placer ? 1 : 0, host.fits() ? 1 : 0, host.worstSlackUs(p, v), host.worstSlackUs());
      const sh = host.slackAndHarm(p, v);
      out.push(sh.slackUs, sh.harmUs, host.harmUs(0, p), host.harmUs(1, p), host.harmUs(), host.driverHopUs(0, p), host.driverHopUs(1, p), host.driverCpus);
      for (const i of on) {
        const w = victims[i];
        if (!w) continue;
        log(host.predictVictim(w, pr, p));
        log(host.predictVictim(w, pr));
        out.push(host.victimDelayUs(w, 1, p), host.victimDelayUs(w, 0));
      }
      if (v) log(host.predictVictim(v, pr, p, true));
    }
  }
  return Float64Array.from(out);
}

async function main(): Promise<void> {
  const before = process.argv[2];
  const nHosts = Number(process.argv[3] ?? 1000);
  if (!before) throw new Error("usage: node dist/bench/whatif-same.js <other build's dist/src/cli/main.js> [hosts]");
  const here = resolve(dirname(new URL(import.meta.url).pathname), "../src");
  for (const seed of ["whatif-same-1", "whatif-same-2"]) {
    const a = new BigUint64Array((await trace(here, seed, nHosts)).buffer);
    const b = new BigUint64Array((await trace(resolve(dirname(before), ".."), seed, nHosts)).buffer);
    let diff = a.length === b.length ? -1 : Math.min(a.length, b.length);
    for (let i = 0; diff < 0 && i < a.length; i++) if (a[i] !== b[i]) diff = i;
    const fa = new Float64Array(a.buffer);
    const fb = new Float64Array(b.buffer);
    if (diff >= 0) {
      console.log(`seed ${seed}: DIFFERENT at answer ${diff} of ${a.length}/${b.length}: ${fa[diff]} vs ${fb[diff]}`);
      process.exitCode = 1;
    } else console.log(`seed ${seed}: ${a.length} answers on ${nHosts} random hosts, identical to the last bit`);
  }
}

await main();
