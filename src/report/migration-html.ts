import type { MigrationPlan } from "../model/migration.js";
import { violationText } from "../model/violation-text.js";
import { adviceSectionsHtml } from "./advice-html.js";
import { arrow, esc, gib, ms, num, pct } from "./format.js";
import { cards, chart, page, section, table } from "./html-page.js";
import { hostLoadChart, latencyChart, wavesChart } from "./migration-charts.js";
import { chartHosts, latencyRows } from "./migration-select.js";
import { duration, headline, MOVE_HEAD, moveRow, PRIORITY_LABEL, tradeoffTable, unresolvedText } from "./migration-text.js";
import { viewsHtml } from "./objectives-render.js";
import { migrationObjectiveViews } from "./objectives-view.js";

/** renderMigrationHtml: the plan as one self-contained page with inline SVG charts. */
export function renderMigrationHtml(p: MigrationPlan): string {
  const o = p.options;
  const title = `Migration plan: ${o.mode}${o.host ? ` ${o.host}` : ""}, threshold ${o.threshold}`;
  return page(title, headline(p), [summary(p), tradeoff(p), hostsSection(p), latencySection(p), ...viewsHtml(migrationObjectiveViews(p)), wavesSection(p), movesSection(p), problems(p), simulation(p), ...(p.advice ? adviceSectionsHtml(p.advice) : [])]);
}

function tradeoff(p: MigrationPlan): string {
  const t = tradeoffTable(p);
  return t ? section("Trade-off (predicted)", table(t.head, t.rows), `${t.givenUp[0].toUpperCase()}${t.givenUp.slice(1)}.`) : "";
}

function summary(p: MigrationPlan): string {
  const s = p.summary;
  const tone = (after: number): "bad" | "good" => (after > 0 ? "bad" : "good");
  return cards([
    [String(s.moves), `migrations (${s.vmsMoved} VMs)`],
    [`${gib(s.memoryCopiedMiB)} GiB`, "memory copied"],
    [String(s.waves), "waves"],
    [duration(s.durationSec), `predicted, longest pause ${num(s.worstDowntimeMs, 0)} ms`, s.nonConverging > 0 ? "bad" : "good"],
    [arrow(String(s.before.breaches), String(s.after.breaches)), "predicted SLO breaches", tone(s.after.breaches)],
    [arrow(String(s.before.violations), String(s.after.violations)), "hard-constraint violations", tone(s.after.violations)],
    [arrow(num(s.before.risk, 1), num(s.after.risk, 1)), "risk points"],
    [arrow(String(s.before.hostsUsed), String(s.after.hostsUsed)), `hosts in use (cost ${arrow(num(s.before.cost), num(s.after.cost))})`],
    [arrow(pct(s.before.maxLoad), pct(s.after.maxLoad)), "largest host load"],
    ...(p.energy ? [[arrow(num(p.energy.before.kWhPerMonth, 0), num(p.energy.after.kWhPerMonth, 0)), `kWh per month (${p.energy.powerOff.length} host(s) to switch off)`] as [string, string]] : []),
  ]);
}

function hostsSection(p: MigrationPlan): string {
  const { hosts, hidden } = chartHosts(p);
  if (hosts.length === 0) return "";
  const note = `Load is the mean of a host's memory and vCPU shares; red marks a host with a predicted SLO breach.${hidden > 0 ? ` Showing the ${hosts.length} changed hosts whose load moved most; ${hidden} more not shown.` : ""}`;
  return section("Host load before and after", chart(hostLoadChart(hosts)), note);
}

function latencySection(p: MigrationPlan): string {
  const rows = latencyRows(p);
  if (rows.length === 0) return "";
  const more = p.vms.length > rows.length ? ` Showing ${rows.length} of ${p.vms.length}: those on changed hosts, worst first.` : "";
  return section("Predicted p99.9 of latency-sensitive VMs", chart(latencyChart(rows)), `Before (grey) and after (green, red when over) against each VM's SLO (black tick), log scale.${more}`);
}

function wavesSection(p: MigrationPlan): string {
  if (p.waves.length === 0) return "";
  const note = `At most ${p.options.maxConcurrent} migrations at once and ${p.options.perHostConcurrent} per host, sharing each host's ${num(p.migrationPolicy.bandwidthMbps / 1000)} Gbit/s migration link; a migration holds memory on both hosts until it ends, and the state during and after each wave is checked for capacity, constraints and risk.`;
  return section("Waves", chart(wavesChart(p)), note);
}

function movesSection(p: MigrationPlan): string {
  if (p.moves.length === 0) return section("Moves", "<p>No migration is needed.</p>");
  const rows = p.moves.map((m) => moveRow(m, (x) => ({ html: `<span class="${x.priority === 1 ? "bad" : ""}">${x.priority} ${esc(PRIORITY_LABEL[x.priority])}</span>` })));
  return section("Moves", table(MOVE_HEAD, rows));
}

function problems(p: MigrationPlan): string {
  const items = [
    ...p.violations.after.map((v) => `still violated: ${violationText(v)}`),
    ...p.unresolved.map(unresolvedText),
  ];
  if (items.length === 0) return "";
  return section("Not resolved", `<ul>${items.map((t) => `<li>${esc(t)}</li>`).join("")}</ul>`);
}

function simulation(p: MigrationPlan): string {
  const sim = p.simulation;
  if (!sim) return "";
  const rows = sim.hosts.flatMap((h) =>
    h.vms.map((v) => [h.hostId, v.vmId, ms(v.predictedP999Us), ms(v.simulatedP999Us), v.sloP999Us !== undefined ? ms(v.sloP999Us) : "–", { html: v.breach ? '<span class="bad">BREACH</span>' : '<span class="good">ok</span>' }]),
  );
  const r = sim.repair;
  const repair = r && r.found > 0 ? ` The first simulation found ${r.found}; ${r.repaired} repaired in ${r.rounds} round(s) with ${r.moves} mandatory migration(s), ${sim.breaches} remain.` : "";
  const note = `Re-simulated ${sim.hosts.length} of ${sim.changedHosts} changed host(s), ${num(sim.durationMs / 1000)} s each: ${sim.breaches} simulated breach(es).${repair}`;
  return section("Final state re-simulated", table(["host", "VM", "predicted p99.9 ms", "simulated p99.9 ms", "SLO ms", "verdict"], rows), note);
}
