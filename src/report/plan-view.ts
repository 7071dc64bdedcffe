import type { Plan } from "../model/plan.js";
import { dumbbellChart, type DumbbellRow } from "./dumbbell.js";
import { ms, num, pct } from "./format.js";
import { gapText } from "./plan-text.js";
import { COLORS, legend, line, niceMax, svg, text, titled } from "./svg.js";

/** What the Markdown and HTML renderings of a placer plan share: headline, selections, charts. */

type HostRisk = Plan["hostRisk"][number];
type VmCheck = Plan["validation"]["vms"][number];

const LEVEL_ORDER: Record<HostRisk["level"], number> = { none: 0, elevated: 1, high: 2 };
const LEVEL_COLOR: Record<HostRisk["level"], string> = { none: COLORS.after, elevated: COLORS.risk, high: COLORS.breach };

export function planHeadline(p: Plan): string {
  const placed = p.assignments.length;
  const sim = p.validation.performed ? `, simulated breaches ${p.slo.simulatedBreachesBefore ?? 0} → ${p.slo.simulatedBreachesAfter ?? 0} after validation` : ", not validated by simulation";
  const whole = p.status === undefined ? "" : p.status === "ok" ? "Whole plan: " : "INCOMPLETE plan: ";
  return (
    `${whole}${placed} of ${placed + p.unplaced.length} VMs on ${p.hostsUsed} host(s), cost ${num(p.cost)}, ${gapText(p)}; ` +
    `${p.check.ok ? "independent check ok" : `independent check: ${p.counts.violations} VIOLATION(S), ${p.counts.unplaced} VM(s) NOT PLACED`}; predicted SLO breaches ${p.slo.predictedBreaches}${sim}.`
  );
}

/** chartHostsOfPlan: every used host when few, else the riskiest `max`, in id order. */
export function chartHostsOfPlan(p: Plan, max = 40): { hosts: HostRisk[]; hidden: number } {
  const risk = (h: HostRisk): number => LEVEL_ORDER[h.level] * 1000 + h.predictedBreaches * 10 + (h.simulatedBreaches ?? 0);
  const shown = p.hostRisk.length <= max ? [...p.hostRisk] : [...p.hostRisk].sort((a, b) => risk(b) - risk(a) || (a.host < b.host ? -1 : 1)).slice(0, max);
  return { hosts: shown.sort((a, b) => (a.host < b.host ? -1 : 1)), hidden: p.hostRisk.length - shown.length };
}

/** planHostChart: memory and vCPUs placed on each host, coloured by its interference risk level. */
export function planHostChart(hosts: readonly HostRisk[]): string {
  const left = 48;
  const top = 28;
  const plotH = 170;
  const group = Math.max(18, Math.min(48, 900 / Math.max(1, hosts.length)));
  const width = Math.max(620, left + hosts.length * group + 20);
  const maxGiB = niceMax(Math.max(1, ...hosts.map((h) => h.memoryMiB / 1024)));
  const maxCpu = niceMax(Math.max(1, ...hosts.map((h) => h.vcpus)));
  const yM = (g: number): number => top + plotH * (1 - g / maxGiB);
  const yC = (v: number): number => top + plotH * (1 - v / maxCpu);
  let body = legend(left, 14, [[COLORS.after, "memory (GiB, left bar)"], [COLORS.before, "vCPUs (right bar)"], [COLORS.breach, "risk high"], [COLORS.risk, "risk elevated"]]);
  body += line(left, yM(0), width - 10, yM(0), COLORS.grid) + text(4, yM(maxGiB) + 4, `${num(maxGiB)} GiB`) + text(4, yM(0) - 2, "0");
  hosts.forEach((h, k) => {
    const x = left + k * group + group * 0.1;
    const w = group * 0.38;
    const tip = `${h.host}: ${h.vms} VMs, ${num(h.memoryMiB / 1024, 1)} GiB, ${h.vcpus} vCPUs, risk ${h.level}, predicted p99.9 delay ${ms(h.predictedDelayP999Us)} ms, ${h.predictedBreaches} predicted breach(es)`;
    body += titled("rect", { x, y: yM(h.memoryMiB / 1024), width: w, height: Math.max(1, yM(0) - yM(h.memoryMiB / 1024)), fill: LEVEL_COLOR[h.level] }, tip);
    body += titled("rect", { x: x + w + 1, y: yC(h.vcpus), width: w, height: Math.max(1, yC(0) - yC(h.vcpus)), fill: COLORS.before }, `${h.host}: ${h.vcpus} of at most ${maxCpu} vCPUs on the axis`);
    body += text(x + w, top + plotH + 14, h.host, { "text-anchor": "end", transform: `rotate(-45 ${x + w} ${top + plotH + 14})`, "font-size": 10 });
  });
  return svg(width, top + plotH + 60, "Memory and vCPUs placed on each host, coloured by risk", body);
}

/** DRIVER_HEADERS head the driver-domain table both renderings print. */
export const DRIVER_HEADERS = ["host", "driver", "driver CPU", "busy", "charging", "advice"];

/** driverRows: the used hosts that have a driver domain, one row each (empty when none has). */
export function driverRows(p: Plan): string[][] {
  return p.hostRisk.flatMap((h) => {
    const d = h.driverDomain;
    if (d === undefined) return [];
    return [[h.host, d.name, num(d.driverCpus, 2), pct(d.utilisation), d.chargeDriverWork ? "on" : "off", d.advice ?? "–"]];
  });
}

/** validationRows: simulated VMs, worst simulated-over-SLO first, at most `max`. */
export function validationRows(p: Plan, max = 60): VmCheck[] {
  const ratio = (v: VmCheck): number => (v.simulatedP999Us ?? v.predictedP999Us) / (v.sloP999Us ?? Infinity);
  return [...p.validation.vms].sort((a, b) => ratio(b) - ratio(a) || (a.vm < b.vm ? -1 : 1)).slice(0, max);
}

/** planLatencyChart: each VM's predicted and simulated p99.9 against its SLO. */
export function planLatencyChart(rows: readonly VmCheck[]): string {
  const data: DumbbellRow[] = rows.map((v) => {
    const sim = v.simulatedP999Us ?? v.predictedP999Us;
    return {
      label: v.vm,
      fromUs: v.predictedP999Us,
      toUs: sim,
      sloUs: v.sloP999Us,
      fromBad: v.sloP999Us !== undefined && v.predictedP999Us > v.sloP999Us,
      toBad: v.breach,
      fromTip: `${v.vm} on ${v.host}: predicted ${ms(v.predictedP999Us)} ms`,
      toTip: `${v.vm} on ${v.host}: simulated ${ms(sim)} ms`,
    };
  });
  return dumbbellChart(data, ["predicted", "simulated, within SLO"], "Predicted and simulated p99.9 of latency-sensitive VMs against their SLO");
}
