import type { HostLoad, MigrationPlan } from "../model/migration.js";
import { violationText } from "../model/violation-text.js";
import { adviceSectionMarkdown } from "./advice-markdown.js";
import { arrow, gib, mdTable, ms, num, pct } from "./format.js";
import { changedHosts, latencyRows } from "./migration-select.js";
import { duration, headline, MOVE_HEAD, moveRow, PRIORITY_LABEL, tradeoffTable, unresolvedText } from "./migration-text.js";
import { viewsMarkdown } from "./objectives-render.js";
import { migrationObjectiveViews } from "./objectives-view.js";

/** renderMigrationMarkdown: the plan as a Markdown report (summary, waves, moves, before/after). */
export function renderMigrationMarkdown(p: MigrationPlan): string {
  const parts = [
    `# Migration plan (${p.options.mode}${p.options.host ? ` ${p.options.host}` : ""}, threshold ${p.options.threshold})`,
    headline(p),
    summarySection(p),
    tradeoffSection(p),
    wavesSection(p),
    movesSection(p),
    hostsSection(p),
    latencySection(p),
    viewsMarkdown(migrationObjectiveViews(p)),
    problemsSection(p),
    simulationSection(p),
    adviceSection(p),
  ];
  return `${parts.filter((x) => x !== "").join("\n\n")}\n`;
}

function tradeoffSection(p: MigrationPlan): string {
  const t = tradeoffTable(p);
  return t ? `## Trade-off (predicted)\n\n${mdTable(t.head, t.rows)}\n\n${t.givenUp[0].toUpperCase()}${t.givenUp.slice(1)}.` : "";
}

function summarySection(p: MigrationPlan): string {
  const b = p.summary.before;
  const a = p.summary.after;
  const rows: string[][] = [
    ["predicted SLO breaches", String(b.breaches), String(a.breaches)],
    ["hard-constraint violations", String(b.violations), String(a.violations)],
    ["risk points", num(b.risk, 1), num(a.risk, 1)],
    ["hosts in use", String(b.hostsUsed), String(a.hostsUsed)],
    ["cost of hosts in use", num(b.cost), num(a.cost)],
    ["largest host load", pct(b.maxLoad), pct(a.maxLoad)],
    ["mean host load", pct(b.meanLoad), pct(a.meanLoad)],
  ];
  return `## Before and after\n\n${mdTable(["", "before", "after"], rows)}`;
}

function wavesSection(p: MigrationPlan): string {
  if (p.waves.length === 0) return "";
  const rows = p.waves.map((w) => [
    String(w.index),
    w.steps.length === 1 ? String(w.steps[0]) : `${w.steps[0]}–${w.steps[w.steps.length - 1]}`,
    gib(w.memoryCopiedMiB),
    pct(w.peakMemoryFraction),
    String(w.breaches),
    num(w.risk, 1),
    String(w.violations),
    `${duration(w.startSec)} + ${duration(w.durationSec)}`,
    `${num(w.worstDowntimeMs, 0)} ms`,
    pct(w.linkPeakFraction),
    String(w.transientBreaches),
  ]);
  const head = ["wave", "steps", "GiB copied", "peak memory on a target", "breaches after", "risk after", "violations after", "starts + runs", "longest pause", "busiest link", "breaches while running"];
  return `## Waves\n\nEach wave's migrations run together and share each host's migration link (never oversubscribed); a live migration holds memory on both hosts until it ends, and the state during and after every wave is checked.\n\n${mdTable(head, rows)}`;
}

function movesSection(p: MigrationPlan): string {
  if (p.moves.length === 0) return "";
  const rows = p.moves.map((m) => moveRow(m, (x) => `${x.priority} ${PRIORITY_LABEL[x.priority]}`));
  return `## Moves\n\n${mdTable(MOVE_HEAD, rows)}`;
}

function hostsSection(p: MigrationPlan): string {
  const ids = changedHosts(p);
  if (ids.length === 0) return "";
  const after = new Map(p.hosts.after.map((h) => [h.hostId, h]));
  const line = (h: HostLoad): string => `${pct(h.memoryUsedMiB / h.memoryMiB)} mem, ${h.vcpus}/${h.vcpuCap} vCPU`;
  const rows = p.hosts.before
    .filter((h) => ids.includes(h.hostId))
    .map((b) => {
      const a = after.get(b.hostId) ?? b;
      return [b.hostId, arrow(String(b.vms), String(a.vms)), arrow(line(b), line(a)), arrow(b.level, a.level), arrow(String(b.breaches), String(a.breaches))];
    });
  return `## Hosts the plan changes\n\n${mdTable(["host", "VMs", "load", "risk level", "breaches"], rows)}`;
}

function latencySection(p: MigrationPlan): string {
  const rows = latencyRows(p).map((v) => [
    v.vmId,
    arrow(v.hostBefore, v.hostAfter),
    arrow(ms(v.beforeP999Us), ms(v.afterP999Us)),
    v.sloP999Us !== undefined ? ms(v.sloP999Us) : "–",
    v.beforeRatio !== undefined && v.afterRatio !== undefined ? arrow(verdict(v.beforeRatio), verdict(v.afterRatio)) : "no SLO",
  ]);
  if (rows.length === 0) return "";
  return `## Latency-sensitive VMs on changed hosts (predicted p99.9, ms)\n\n${mdTable(["VM", "host", "p99.9 ms", "SLO ms", "verdict"], rows)}`;
}

function verdict(ratio: number): string {
  return ratio > 1 ? `BREACH ×${num(ratio)}` : `ok ${pct(ratio)}`;
}

function problemsSection(p: MigrationPlan): string {
  const lines: string[] = [];
  for (const v of p.violations.after) lines.push(`- still violated: ${violationText(v)}`);
  for (const u of p.unresolved) lines.push(`- ${unresolvedText(u)}`);
  return lines.length === 0 ? "" : `## Not resolved\n\n${lines.join("\n")}`;
}

function simulationSection(p: MigrationPlan): string {
  const sim = p.simulation;
  if (!sim) return "";
  const rows = sim.hosts.flatMap((h) =>
    h.vms.map((v) => [h.hostId, v.vmId, ms(v.predictedP999Us), ms(v.simulatedP999Us), v.sloP999Us !== undefined ? ms(v.sloP999Us) : "–", v.breach ? "BREACH" : "ok"]),
  );
  const r = sim.repair;
  const repair = r && r.found > 0 ? ` The first simulation found ${r.found}; ${r.repaired} repaired in ${r.rounds} round(s) with ${r.moves} mandatory migration(s), ${sim.breaches} remain.` : "";
  const head = `Re-simulated ${sim.hosts.length} of ${sim.changedHosts} changed host(s) for ${num(sim.durationMs / 1000)} s each: ${sim.breaches} simulated breach(es).${repair}`;
  return `## Final state re-simulated\n\n${head}\n\n${mdTable(["host", "VM", "predicted p99.9 ms", "simulated p99.9 ms", "SLO ms", "verdict"], rows)}`;
}

function adviceSection(p: MigrationPlan): string {
  if (!p.advice) return "";
  return `## What-if advice: tuning instead of these moves\n\n${adviceSectionMarkdown(p.advice, 3)}`;
}
