import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import seedrandom from "seedrandom";

/**
 * The placer's what-if loop on the 1,000-host 10,000-VM generated cluster, one thread. Every
 * module is imported from a build's dist/src, so that BENCH_BEFORE (another build's
 * dist/src/cli/main.js, as in the api bench) runs the same loops on the other build in the same
 * process, in interleaved rounds: the machine is shared and only side-by-side ratios hold.
 */
type HostStateModule = typeof import("../src/interference/host-state.js");
type ProfileModule = typeof import("../src/interference/profile.js");
type CalibrationModule = typeof import("../src/io/calibration.js");
type ValidateModule = typeof import("../src/model/validate.js");
type HostState = InstanceType<HostStateModule["HostState"]>;
type VmProfile = import("../src/interference/profile.js").VmProfile;
type Victim = import("../src/interference/predictor.js").Victim;

const EVALS = 2_000_000;
/** Rounds per build when comparing with BENCH_BEFORE (each runs every loop once). */
const ROUNDS = Number(process.env.BENCH_WHATIF_ROUNDS ?? 5);

interface Fleet {
  label: string;
  states: HostState[];
  profiles: VmProfile[];
  terms: (Victim | undefined)[];
  victimsPerHost: number;
}

/** loadFleet builds generated-large's hosts with the modules of the build whose dist/src is `src`. */
async function loadFleet(src: string, label: string): Promise<Fleet> {
  const at = (p: string) => pathToFileURL(resolve(src, p)).href;
  const hs = (await import(at("interference/host-state.js"))) as HostStateModule;
  const prof = (await import(at("interference/profile.js"))) as ProfileModule;
  const cal = (await import(at("io/calibration.js"))) as CalibrationModule;
  const val = (await import(at("model/validate.js"))) as ValidateModule;
  const r = val.parseCluster(JSON.parse(readFileSync("data/generated-large.json", "utf8")));
  if (!r.ok) throw new Error("generated-large.json is invalid");
  const c = r.value;
  const predictor = cal.loadPredictor();
  const profiles = c.vms.map(prof.profileVm);
  const terms = profiles.map((p) => hs.victimTerms(p, predictor));
  const index = new Map(c.hosts.map((h, i) => [h.id, i]));
  const states = c.hosts.map((h) => new hs.HostState(h, predictor));
  c.vms.forEach((vm, i) => vm.host !== undefined && states[index.get(vm.host) ?? 0].add(profiles[i], terms[i]));
  const victimsPerHost = states.reduce((s, h) => s + h.victimCount, 0) / states.length;
  return { label, states, profiles, terms, victimsPerHost };
}

/** CPU time of this process, ms: the machine is shared, and "per core" means per CPU-second. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Timing {
  wall: number;
  cpu: number;
  n: number;
}

// The VMs and hosts asked about, drawn once (drawPicks) as the bench always drew them.
let picks = new Int32Array(0);
let hostPicks = new Int32Array(0);

function drawPicks(f: Fleet): void {
  const rng = seedrandom.alea("bench-scoring");
  picks = Int32Array.from({ length: 1 << 16 }, () => Math.floor(rng() * f.profiles.length));
  hostPicks = Int32Array.from({ length: 1 << 16 }, () => Math.floor(rng() * f.states.length));
}

/** LOOPS: the questions the placer asks, each timed on its own; the sink defeats dead-code removal. */
const LOOPS: [title: string, n: number, run: (f: Fleet, n: number) => number][] = [
  ["what-if evaluations (fits, one thread)", EVALS, (f, n) => {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const v = picks[i & 0xffff];
      sink += f.states[hostPicks[(i * 7) & 0xffff]].fits(f.profiles[v], f.terms[v]) ? 1 : 0;
    }
    return sink;
  }],
  // The same question on a warm working set (64 hosts, 64 VMs): the gap to the line above is the
  // cost of fetching a cold host's and its victims' state from memory, not of the arithmetic.
  ["fits, warm working set (64 hosts, 64 VMs)", EVALS, (f, n) => {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const v = picks[i & 63];
      sink += f.states[hostPicks[(i >> 6) & 63]].fits(f.profiles[v], f.terms[v]) ? 1 : 0;
    }
    return sink;
  }],
  ["add + fits + remove", EVALS / 5, (f, n) => {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const v = picks[i & 0xffff];
      const s = f.states[hostPicks[(i * 7) & 0xffff]];
      s.add(f.profiles[v], f.terms[v]);
      sink += s.fits() ? 1 : 0;
      s.remove(f.profiles[v], f.terms[v]);
    }
    return sink;
  }],
  ["worstSlackUs with extra", EVALS / 50, (f, n) => {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const v = picks[i & 0xffff];
      sink += f.states[hostPicks[(i * 7) & 0xffff]].worstSlackUs(f.profiles[v], f.terms[v]) > 0 ? 1 : 0;
    }
    return sink;
  }],
];

function timeLoop(f: Fleet, k: number, scale: number, into: Timing[]): number {
  const [, n, run] = LOOPS[k];
  const m = Math.max(1, Math.round(n * scale));
  const c0 = cpuMs();
  const t0 = performance.now();
  const sink = run(f, m);
  into[k].wall += performance.now() - t0;
  into[k].cpu += cpuMs() - c0;
  into[k].n += m;
  return sink;
}

const rate = (n: number, ms: number): number => ((n / ms) * 1000) / 1e6;
const fmt = (t: Timing, digits: number): string => `${rate(t.n, t.cpu).toFixed(digits)} M per CPU-second (${rate(t.n, t.wall).toFixed(digits)} M per wall second)`;

/**
 * benchWhatIf prints each loop's rate for this build (and BENCH_BEFORE's, interleaved round by
 * round, with the ratio) and returns this build's fits rate per CPU-second.
 */
export async function benchWhatIf(): Promise<number> {
  const here = resolve(dirname(new URL(import.meta.url).pathname), "../src");
  const before = process.env.BENCH_BEFORE;
  const fleets = [await loadFleet(here, "this build")];
  if (before) fleets.push(await loadFleet(resolve(dirname(before), ".."), `BENCH_BEFORE ${before}`));
  drawPicks(fleets[0]);
  const times = fleets.map(() => LOOPS.map((): Timing => ({ wall: 0, cpu: 0, n: 0 })));
  let sink = 0;
  // Warm-up: every loop once on every build, untimed (JIT).
  for (const [i, f] of fleets.entries()) for (let k = 0; k < LOOPS.length; k++) sink += timeLoop(f, k, 0.1, LOOPS.map((): Timing => ({ wall: 0, cpu: 0, n: 0 }))) + i;
  const rounds = before ? ROUNDS : 1;
  const load0 = loadavg()[0];
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < LOOPS.length; k++)
      for (let j = 0; j < fleets.length; j++) {
        // Alternate which build goes first, so neither always follows the other's cache misses.
        const i = (j + r) % fleets.length;
        sink += timeLoop(fleets[i], k, 1 / rounds, times[i]);
      }
  console.log(`generated-large: ${fleets[0].states.length} hosts, ${fleets[0].profiles.length} VMs, ${fleets[0].victimsPerHost.toFixed(1)} latency-sensitive VMs per host on average`);
  console.log(`load average ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end; ${rounds} interleaved round(s)`);
  for (let k = 0; k < LOOPS.length; k++) {
    const digits = k === 3 ? 3 : 2;
    const note = k === 0 ? " (goal >= 1 M per core)" : k === 3 ? " (solves each victim's quantiles: ranking, not the filter)" : "";
    console.log(`${(LOOPS[k][0] + ":").padEnd(44)} ${fmt(times[0][k], digits)}${note}`);
    if (before) {
      const ratio = times[1][k].cpu / times[1][k].n / (times[0][k].cpu / times[0][k].n);
      console.log(`${"  BENCH_BEFORE:".padEnd(44)} ${fmt(times[1][k], digits)}; this build ${ratio.toFixed(2)}x per CPU-second`);
    }
  }
  if (sink < 0) console.log(sink);
  return rate(times[0][0].n, times[0][0].cpu);
}
