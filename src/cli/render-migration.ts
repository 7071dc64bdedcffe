import type { MigrationPlan } from "../model/migration.js";
import { gib, ms } from "../report/format.js";
import { energyText, robustnessText } from "../report/objectives-view.js";
import { statusText } from "../report/status-text.js";
import { effectText, headline, moveTimingText, PRIORITY_LABEL, simulationText, tradeoffText, unresolvedText, whyVmText } from "../report/migration-text.js";

// The terminal summary lists at most this many moves; the report file has them all.
const SHOWN_MOVES = 15;

/** renderMigrationSummary: what `vmplace migrate` prints on a terminal. */
export function renderMigrationSummary(p: MigrationPlan): string {
  const lines = [headline(p), ...tradeoffText(p)];
  let wave = 0;
  for (const m of p.moves.slice(0, SHOWN_MOVES)) {
    if (m.wave !== wave) lines.push(`wave ${(wave = m.wave)}:`);
    lines.push(`  ${String(m.step).padStart(3)}. ${m.vmId} ${m.from} -> ${m.to} [${m.priority} ${PRIORITY_LABEL[m.priority]}, ${gib(m.memoryMiB)} GiB, ${moveTimingText(m)}${m.leg !== "direct" ? `, ${m.leg}` : ""}]`);
    lines.push(`       why: ${whyVmText(m)}; effect: ${effectText(m.effect, 2)}`);
  }
  if (p.moves.length > SHOWN_MOVES) lines.push(`  ... ${p.moves.length - SHOWN_MOVES} more move(s) in the report`);
  lines.push(...objectiveLines(p));
  for (const u of p.unresolved.slice(0, 10)) lines.push(`not resolved: ${unresolvedText(u)}`);
  if (p.unresolved.length > 10) lines.push(`not resolved: ... ${p.unresolved.length - 10} more`);
  const sim = p.simulation;
  if (sim) {
    const worst = sim.hosts.flatMap((h) => h.vms).filter((v) => v.breach);
    lines.push(`${simulationText(p)}${worst.length > 0 ? ` (${worst.slice(0, 3).map((v) => `${v.vmId} ${ms(v.simulatedP999Us)} ms`).join(", ")})` : ""}`);
  }
  lines.push(statusText(p));
  return lines.join("\n");
}

/** objectiveLines: the draw before and after, the hosts to switch off, services, robustness. */
function objectiveLines(p: MigrationPlan): string[] {
  const out: string[] = [];
  const e = p.energy;
  if (e) {
    out.push(`energy: ${energyText(e.before)} → ${energyText(e.after)}`);
    for (const x of e.powerOff.slice(0, 10))
      out.push(`  switch off ${x.host}: saves ${Math.round(x.wattsSaved)} W (${Math.round(x.kWhPerMonthSaved)} kWh, ${Math.round(x.kgCo2PerMonthSaved)} kg CO2 per month) for ${x.vms} migration(s), ${gib(x.memoryCopiedMiB)} GiB copied`);
  }
  for (const x of p.services ?? []) out.push(`service ${x.id}: predicted p99 ${ms(x.before.predictedP99Us)} → ${ms(x.after.predictedP99Us)} ms${x.after.breach ? " BREACH" : ""}`);
  if (p.robustness) out.push(`robustness after: ${robustnessText(p.robustness)}`);
  return out;
}
