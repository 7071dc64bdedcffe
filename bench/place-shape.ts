import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { Cluster, Vm } from "../src/model/cluster.js";

const LARGE = "data/generated-large.json";
/** New shapes judged per build and round; rounds alternate the builds so both see the same load. */
const SHAPES = 100;
const ROUNDS = 5;

/** What one build exposes to judge a VM on a prepared cluster, loaded from its compiled files. */
interface Build {
  name: string;
  rank: (vm: unknown) => unknown;
}

/** load prepares the large cluster with the build whose compiled `src/` directory is `srcDir`. */
async function load(name: string, srcDir: string): Promise<Build> {
  const mod = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(resolve(srcDir, rel)).href)) as T;
  const { parseCluster } = await mod<{ parseCluster: (x: unknown) => { ok: true; value: Cluster } | { ok: false } }>("model/validate.js");
  const { loadPredictor } = await mod<{ loadPredictor: () => unknown }>("io/calibration.js");
  const { PreparedCluster } = await mod<{ PreparedCluster: new (c: Cluster, p: unknown) => { rank(vm: Vm): unknown } }>("api/place/prepared.js");
  const { VmSchema } = await mod<{ VmSchema: { parse: (x: unknown) => Vm } }>("model/cluster.js");
  const r = parseCluster(JSON.parse(readFileSync(LARGE, "utf8")));
  if (!r.ok) throw new Error(`${LARGE} is invalid`);
  const prepared = new PreparedCluster(r.value, loadPredictor());
  // Parsed as the route parses a request body (defaults filled), inside the timed judgement.
  return { name, rank: (vm) => prepared.rank(VmSchema.parse(vm)) };
}

/** The API bench's VM, its memory changed so that each request is a shape not judged before. */
const shape = (k: number): unknown => ({ id: "bench-new-vm", vcpus: 2, memoryMiB: 1024 + k, workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 }, slo: { p999Ms: 5 } });

/**
 * benchNewShape: in-process ms to judge a VM shape `/v1/place` has not seen (PreparedCluster.rank,
 * no cached verdict) on the 1,000-host, 10,000-VM cluster, for this build and, with BENCH_BEFORE
 * (another build's dist/src/cli/main.js), that build too, rounds interleaved in one run so the
 * shared machine's load falls on both alike. Prints the median and range over rounds.
 */
export async function benchNewShape(before: string | undefined): Promise<void> {
  const here = dirname(dirname(new URL(import.meta.url).pathname));
  const builds = [await load("this", resolve(here, "src"))];
  if (before) builds.push(await load("before", dirname(dirname(resolve(before)))));
  let k = 0;
  // Warm-up: JIT compilation of every path a judgement takes.
  for (const b of builds) for (let i = 0; i < 20; i++) b.rank(shape(k++));
  const ms = builds.map(() => [] as number[]);
  const cpuMs = builds.map(() => [] as number[]);
  // CPU time of this thread beside wall time: on a shared machine wall time includes waiting for a core.
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (let round = 0; round < ROUNDS; round++)
    builds.forEach((b, n) => {
      const c0 = cpu();
      const t0 = performance.now();
      for (let i = 0; i < SHAPES; i++) b.rank(shape(k++));
      ms[n].push((performance.now() - t0) / SHAPES);
      cpuMs[n].push((cpu() - c0) / SHAPES);
    });
  const fmt = (xs: number[]): string => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[Math.floor(s.length / 2)].toFixed(2)} ms (range ${s[0].toFixed(2)}-${s[s.length - 1].toFixed(2)})`;
  };
  console.log(`in-process, a new VM shape per judgement (PreparedCluster.rank), 1,000 hosts / 10,000 VMs, ${ROUNDS} rounds of ${SHAPES} shapes per build, interleaved:`);
  builds.forEach((b, n) => console.log(`  ${b.name.padEnd(7)} wall ${fmt(ms[n])}, CPU ${fmt(cpuMs[n])} per new shape`));
  if (builds.length === 2) {
    const ratio = cpuMs[1].map((x, i) => x / cpuMs[0][i]).sort((a, b) => a - b);
    console.log(`  before / this in CPU time, per round: median ${ratio[Math.floor(ratio.length / 2)].toFixed(1)}x (range ${ratio[0].toFixed(1)}-${ratio[ratio.length - 1].toFixed(1)}x)`);
  }
}
