import { OVERSLEEP_EDGES_US, type ProbeReport } from "../model/probe.js";

/** renderProbe prints a probe report for a person: histogram, count, verdict, what to do. */
export function renderProbe(r: ProbeReport): string {
  const o = r.oversleep;
  const n = r.normalised;
  const where = r.neighbourhood
    ? `simulated: VM ${r.neighbourhood.vmId} on host ${r.neighbourhood.hostId}, ${r.neighbourhood.scheduler}, ${r.neighbourhood.cores} cores`
    : "this instance";
  const lines = [
    `probe (${where}): ${secs(r.elapsedMs)} s, ${group(o.iterations)} iterations of a ${r.params.sleepUs} us sleep${r.complete ? "" : " (stopped early)"}`,
    ...histogram(o.counts),
    `long oversleeps (>= ${o.thresholdMs} ms): ${o.overThreshold} in ${secs(r.elapsedMs)} s = ${num(n.per100s)} per 100 s ` +
      `(95% interval ${num(n.ci95[0])}-${num(n.ci95[1])}; ${num(n.per600kIterations)} per 600 K iterations); mean oversleep ${num(o.meanUs)} us, max ${num(o.maxUs / 1000)} ms`,
    `verdict: ${r.verdict} (GOOD <= ${r.params.lowMark} < NEEDS-NETWORK-TEST <= ${r.params.highMark} < BAD, per 100 s)` +
      (n.settled ? "" : "; not settled: the interval spans a mark, a longer run may change it"),
    `recommendation: ${r.recommendation.action}: ${r.recommendation.reason}`,
  ];
  const e = r.recommendation.expectedP999;
  if (e) lines.push(`expected io p99.9: ${num(e.thisMs)} ms here, ${num(e.goodMs)} ms in a good neighbourhood (gain ${num(e.gainMs)} ms); ${e.basis}`);
  if (r.neighbourhood) lines.push(...neighbourhoodLines(r.neighbourhood));
  if (r.overhead) lines.push(...overheadLines(r.overhead));
  lines.push(`status: ${r.status}`);
  return lines.join("\n");
}

function overheadLines(o: NonNullable<ProbeReport["overhead"]>): string[] {
  const steal = o.stealPercent === null ? "hypervisor steal unknown (no /proc/stat)" : `hypervisor steal ${o.stealPercent.toFixed(2)}% of CPU time`;
  const out = [`overhead: the probe used ${o.cpuPercentOfOneCpu.toFixed(1)}% of one CPU; over the run ${steal}, load average ${o.loadAverage1m.toFixed(1)} on ${o.cpus} CPU(s)`];
  if (o.loadAverage1m > o.cpus)
    out.push("note: this instance is busy itself (load average above its CPUs): its own run queue delays the probe as well, so probe it quiet, as Bobtail did, before blaming the neighbours");
  return out;
}

function neighbourhoodLines(h: NonNullable<ProbeReport["neighbourhood"]>): string[] {
  const out = [
    `neighbourhood: ${h.neighbours} neighbour VM(s), ${h.sleepyCpuVcpus} sleepy CPU vCPU(s) and ${h.hogVcpus} never-sleeping one(s) ` +
      `beside the VM's ${h.victimVcpus} vCPU(s) on ${h.cores} cores; ${secs(h.simulatedMs)} s simulated, seed ${h.seed}` +
      (h.ioP999Ms === null ? "" : `; the VM's io p99.9 in the probe run ${num(h.ioP999Ms)} ms`),
  ];
  if (h.note) out.push(`note: ${h.note}`);
  return out;
}

/** histogram lists every bucket with a bar on a log scale (a stall bucket of 3 must show). */
function histogram(counts: readonly number[]): string[] {
  const labels = counts.map((_, i) => bucketLabel(i));
  const width = Math.max(...labels.map((l) => l.length));
  const countWidth = Math.max(...counts.map((c) => group(c).length));
  return [
    "oversleep",
    ...counts.map((c, i) => {
      const bar = c > 0 ? "#".repeat(1 + Math.floor(Math.log10(c) * 4)) : "";
      return `  ${labels[i].padEnd(width)}  ${group(c).padStart(countWidth)}  ${bar}`.trimEnd();
    }),
  ];
}

function bucketLabel(i: number): string {
  const ms = (us: number): string => `${us / 1000}`;
  if (i === 0) return `< ${ms(OVERSLEEP_EDGES_US[0])} ms`;
  if (i === OVERSLEEP_EDGES_US.length) return `>= ${ms(OVERSLEEP_EDGES_US[i - 1])} ms`;
  return `${ms(OVERSLEEP_EDGES_US[i - 1])}-${ms(OVERSLEEP_EDGES_US[i])} ms`;
}

const secs = (ms: number): string => (ms / 1000).toFixed(1);
const group = (n: number): string => n.toLocaleString("en-US");
function num(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
