import type { HostLoad, MigrationPlan, VmLatency } from "../model/migration.js";
import { gib, ms, num, pct } from "./format.js";
import type { HostPair } from "./migration-select.js";
import { dumbbellChart, type DumbbellRow } from "./dumbbell.js";
import { COLORS, el, legend, line, niceMax, svg, text, titled } from "./svg.js";

const load = (h: HostLoad): number => (h.memoryUsedMiB / h.memoryMiB + h.vcpus / h.vcpuCap) / 2;

function hostTip(when: string, h: HostLoad): string {
  return `${h.hostId} ${when}: ${h.vms} VMs, memory ${pct(h.memoryUsedMiB / h.memoryMiB)}, vCPUs ${h.vcpus}/${h.vcpuCap}, risk ${h.level}, ${h.breaches} breach(es)`;
}

/** hostLoadChart: each host's load (mean of memory and vCPU shares) before and after, grouped bars. */
export function hostLoadChart(hosts: readonly HostPair[]): string {
  const left = 40;
  const top = 28;
  const plotH = 180;
  const group = Math.max(18, Math.min(48, 900 / Math.max(1, hosts.length)));
  const width = Math.max(520, left + hosts.length * group + 20);
  const y = (f: number): number => top + plotH * (1 - Math.min(f, 1.2) / 1.2);
  let body = legend(left, 14, [[COLORS.before, "before"], [COLORS.after, "after"], [COLORS.breach, "host with a predicted breach"]]);
  for (const f of [0, 0.25, 0.5, 0.75, 1]) body += line(left, y(f), width - 10, y(f), COLORS.grid) + text(4, y(f) + 4, pct(f));
  hosts.forEach((h, k) => {
    const x = left + k * group + group * 0.1;
    const w = group * 0.38;
    const bar = (hl: HostLoad, dx: number, color: string, when: string): string =>
      titled("rect", { x: x + dx, y: y(load(hl)), width: w, height: Math.max(1, y(0) - y(load(hl))), fill: hl.breaches > 0 ? COLORS.breach : color }, hostTip(when, hl));
    body += bar(h.before, 0, COLORS.before, "before") + bar(h.after, w + 1, COLORS.after, "after");
    body += text(x + w, top + plotH + 14, h.before.hostId, { "text-anchor": "end", transform: `rotate(-45 ${x + w} ${top + plotH + 14})`, "font-size": 10 });
  });
  return svg(width, top + plotH + 60, "Host load before and after the plan", body);
}

/** latencyChart: each VM's predicted p99.9 before → after on a log axis, with its SLO marked. */
export function latencyChart(rows: readonly VmLatency[]): string {
  const data: DumbbellRow[] = rows.map((v) => ({
    label: v.vmId,
    fromUs: v.beforeP999Us,
    toUs: v.afterP999Us,
    sloUs: v.sloP999Us,
    fromBad: (v.beforeRatio ?? 0) > 1,
    toBad: (v.afterRatio ?? 0) > 1,
    fromTip: `${v.vmId} before on ${v.hostBefore}: ${ms(v.beforeP999Us)} ms`,
    toTip: `${v.vmId} after on ${v.hostAfter}: ${ms(v.afterP999Us)} ms`,
  }));
  return dumbbellChart(data, ["before", "after, within SLO"], "Predicted p99.9 of latency-sensitive VMs before and after, against their SLO");
}

/** wavesChart: memory copied per wave (bars) and risk points after each wave (line), as a timeline. */
export function wavesChart(p: MigrationPlan): string {
  const left = 50;
  const top = 28;
  const plotH = 150;
  const n = p.waves.length;
  const step = Math.max(8, Math.min(60, 840 / Math.max(1, n + 1)));
  const width = Math.max(640, left + (n + 1) * step + 80);
  const maxGiB = niceMax(Math.max(1, ...p.waves.map((w) => w.memoryCopiedMiB / 1024)));
  const maxRisk = niceMax(Math.max(1, p.summary.before.risk, ...p.waves.map((w) => w.risk)));
  const yG = (g: number): number => top + plotH * (1 - g / maxGiB);
  const yR = (r: number): number => top + plotH * (1 - r / maxRisk);
  const cx = (k: number): number => left + k * step + step / 2;
  let body = legend(left, 14, [[COLORS.after, "GiB copied in the wave"], [COLORS.risk, "risk points after it"], [COLORS.breach, "predicted breaches after it"]]);
  body += line(left, yG(0), width - 70, yG(0), COLORS.grid) + text(4, yG(maxGiB) + 4, `${num(maxGiB)} GiB`) + text(width - 66, yR(maxRisk) + 4, `${num(maxRisk, 0)} risk`);
  body += text(cx(0), top + plotH + 16, "start", { "text-anchor": "middle", "font-size": 10 });
  const points = [`${cx(0)},${yR(p.summary.before.risk)}`];
  const labelEvery = Math.ceil(n / 20);
  p.waves.forEach((w, k) => {
    const g = w.memoryCopiedMiB / 1024;
    const tip = `wave ${w.index}: ${w.steps.length} migration(s), ${gib(w.memoryCopiedMiB)} GiB, peak memory on a target ${pct(w.peakMemoryFraction)}; after it ${w.breaches} breach(es), risk ${num(w.risk, 1)}`;
    body += titled("rect", { x: cx(k + 1) - step * 0.35, y: yG(g), width: step * 0.7, height: Math.max(1, yG(0) - yG(g)), fill: COLORS.after }, tip);
    points.push(`${cx(k + 1)},${yR(w.risk)}`);
    if (w.index % labelEvery === 0) body += text(cx(k + 1), top + plotH + 16, String(w.index), { "text-anchor": "middle", "font-size": 10 });
  });
  body += el("polyline", { points: points.join(" "), fill: "none", stroke: COLORS.risk, "stroke-width": 2 });
  const breaches = [p.summary.before.breaches, ...p.waves.map((w) => w.breaches)];
  breaches.forEach((b, k) => {
    if (k % labelEvery === 0 || k === breaches.length - 1) body += text(cx(k), top - 2, String(b), { "text-anchor": "middle", fill: COLORS.breach, "font-size": 10 });
  });
  return svg(width, top + plotH + 30, "Waves: memory copied per wave and risk after each wave", body);
}
