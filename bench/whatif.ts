import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import seedrandom from "seedrandom";

/**
 * The placer's what-if loop on the 1,000-host 10,000-VM generated cluster, one thread. Every
 * module is imported from a build's dist/src, so that BENCH_BEFORE (another build's
 * dist/src/cli/main.js, as in the api bench) runs the same loops on the other build in the same
 * run, in alternating rounds: the machine is shared and only side-by-side ratios hold.
 */
type HostStateModule = typeof import("../src/interference/host-state.js");
type ProfileModule = typeof import("../src/interference/profile.js");
type CalibrationModule = typeof import("../src/io/calibration.js");
type ValidateModule = typeof import("../src/model/validate.js");
type HostState = InstanceType<HostStateModule["HostState"]>;
type VmProfile = import("../src/interference/profile.js").VmProfile;
type Victim = import("../src/interference/predictor.js").Victim;
type CandidateTable = import("../src/interference/candidates.js").CandidateTable;

const EVALS = 2_000_000;
/** Rounds per build when comparing with BENCH_BEFORE (each runs every loop once). */
const ROUNDS = Number(process.env.BENCH_WHATIF_ROUNDS ?? 5);

interface Fleet {
  states: HostState[];
  profiles: VmProfile[];
  terms: (Victim | undefined)[];
  victimsPerHost: number;
  /** fits(VM v) as the build's placer asks it: from its candidate table (fitsAt), or for builds without one from the profile. */
  fits: (s: HostState, v: number) => boolean;
  api: string;
}

/** loadFleet builds generated-large's hosts with the modules of the build whose dist/src is `src`. */
async function loadFleet(src: string): Promise<Fleet> {
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
  // Builds before the candidate table (src/interference/candidates.ts) ask with the profile.
  if (!existsSync(resolve(src, "interference/candidates.js")))
    return { states, profiles, terms, victimsPerHost, fits: (s, v) => s.fits(profiles[v], terms[v]), api: "fits(profile, victim)" };
  const { CandidateTable } = (await import(at("interference/candidates.js"))) as { CandidateTable: { of(p: VmProfile[], v: (Victim | undefined)[], pr: typeof predictor): CandidateTable } };
  const table = CandidateTable.of(profiles, terms, predictor);
  return { states, profiles, terms, victimsPerHost, fits: (s, v) => s.fitsAt(table, v, terms[v]), api: "fitsAt(candidate table, j, victim)" };
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
      sink += f.fits(f.states[hostPicks[(i * 7) & 0xffff]], picks[i & 0xffff]) ? 1 : 0;
    }
    return sink;
  }],
  // The same question on a warm working set (64 hosts, 64 VMs): the gap to the line above is the
  // cost of fetching a cold host's and its victims' state from memory, not of the arithmetic.
  ["fits, warm working set (64 hosts, 64 VMs)", EVALS, (f, n) => {
    let sink = 0;
    for (let i = 0; i < n; i++) {
      sink += f.fits(f.states[hostPicks[(i >> 6) & 63]], picks[i & 63]) ? 1 : 0;
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

/** measureBuild runs every loop on the build whose dist/src is `src` (warm-up untimed) and returns the timings. */
async function measureBuild(src: string, scale: number): Promise<{ timings: Timing[]; victimsPerHost: number; hosts: number; vms: number; api: string }> {
  const f = await loadFleet(src);
  drawPicks(f);
  const timings = LOOPS.map((): Timing => ({ wall: 0, cpu: 0, n: 0 }));
  let sink = 0;
  for (let k = 0; k < LOOPS.length; k++) sink += timeLoop(f, k, 0.1, LOOPS.map((): Timing => ({ wall: 0, cpu: 0, n: 0 })));
  for (let k = 0; k < LOOPS.length; k++) sink += timeLoop(f, k, scale, timings);
  if (sink < 0) console.log(sink);
  return { timings, victimsPerHost: f.victimsPerHost, hosts: f.states.length, vms: f.profiles.length, api: f.api };
}

/** inChild measures one build in a process of its own (builds sharing a heap were 15-35% apart by load order alone). */
function inChild(src: string, scale: number): ReturnType<typeof measureBuild> {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", src, String(scale)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return Promise.resolve(JSON.parse(out.trim().split("\n").pop()!) as Awaited<ReturnType<typeof measureBuild>>);
}

/**
 * benchWhatIf prints each loop's rate for this build and returns its fits rate per CPU-second.
 * With BENCH_BEFORE, each build runs in its own process, alternately, BENCH_WHATIF_ROUNDS times
 * (first one build, then the other), and the ratio of their summed CPU times is printed.
 */
export async function benchWhatIf(): Promise<number> {
  const here = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
  const before = process.env.BENCH_BEFORE;
  const srcs = before ? [here, resolve(dirname(before), "..")] : [here];
  const rounds = before ? ROUNDS : 1;
  const times = srcs.map(() => LOOPS.map((): Timing => ({ wall: 0, cpu: 0, n: 0 })));
  const load0 = loadavg()[0];
  let info = { victimsPerHost: 0, hosts: 0, vms: 0, api: "" };
  let beforeApi = "";
  for (let r = 0; r < rounds; r++)
    for (let j = 0; j < srcs.length; j++) {
      const i = (j + r) % srcs.length;
      const m = before ? await inChild(srcs[i], 1 / rounds) : await measureBuild(srcs[i], 1);
      m.timings.forEach((t, k) => {
        times[i][k].wall += t.wall;
        times[i][k].cpu += t.cpu;
        times[i][k].n += t.n;
      });
      if (i === 0) info = m;
      else beforeApi = m.api;
    }
  console.log(`generated-large: ${info.hosts} hosts, ${info.vms} VMs, ${info.victimsPerHost.toFixed(1)} latency-sensitive VMs per host on average`);
  console.log(`fits asked as the placer asks it: ${info.api}${before ? `; BENCH_BEFORE: ${beforeApi}` : ""}`);
  console.log(`load average ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end${before ? `; ${rounds} alternating rounds, one process per build and round` : ""}`);
  for (let k = 0; k < LOOPS.length; k++) {
    const digits = k === 3 ? 3 : 2;
    const note = k === 0 ? " (goal >= 1 M per core)" : k === 3 ? " (solves each victim's quantiles: ranking, not the filter)" : "";
    console.log(`${(LOOPS[k][0] + ":").padEnd(44)} ${fmt(times[0][k], digits)}${note}`);
    if (before) {
      const ratio = times[1][k].cpu / times[1][k].n / (times[0][k].cpu / times[0][k].n);
      console.log(`${"  BENCH_BEFORE:".padEnd(44)} ${fmt(times[1][k], digits)}; this build ${ratio.toFixed(2)}x per CPU-second`);
    }
  }
  return rate(times[0][0].n, times[0][0].cpu);
}

if (process.argv[2] === "--child") console.log(JSON.stringify(await measureBuild(process.argv[3], Number(process.argv[4]))));
