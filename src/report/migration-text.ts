import type { Effect, MigrationPlan, Move, Unresolved } from "../model/migration.js";
import { arrow, gib, ms, num } from "./format.js";
import { topScores } from "./scores.js";

/** Sentences for a migration plan's data: the Markdown and HTML reports share them. */

export const PRIORITY_LABEL: Record<number, string> = { 1: "mandatory", 2: "high", 3: "medium", 4: "low", 5: "slight" };

const KIND_LABEL: Record<Move["kind"], string> = {
  evacuate: "evacuate",
  "fix-constraint": "fix constraint",
  "fix-breach": "fix SLO breach",
  "restore-headroom": "restore headroom",
  "reduce-risk": "reduce risk",
  rebalance: "rebalance",
  consolidate: "consolidate",
};

export function kindLabel(m: Move): string {
  return KIND_LABEL[m.kind] + (m.leg === "park" ? " (1st leg)" : m.leg === "unpark" ? " (2nd leg)" : "");
}

function list(ids: readonly string[], max = 4): string {
  if (ids.length === 0) return "its neighbours";
  return ids.length <= max ? ids.join(", ") : `${ids.slice(0, max).join(", ")} and ${ids.length - max} more`;
}

/** whyVmText: why this VM moves, in one sentence. */
export function whyVmText(m: Move): string {
  const w = m.whyVm;
  const others = w.alternatives > 0 ? ` (cheapest of ${w.alternatives + 1} candidates on the host)` : "";
  switch (w.code) {
    case "evacuating":
      return `${m.from} is being evacuated`;
    case "violates":
      return `breaks hard constraint ${w.constraint ?? "?"}${w.group ? ` (${w.group})` : ""}`;
    case "aggressor":
      return `its CPU-bound vCPUs add ${ms(w.delayRemovedUs ?? 0)} ms to the p99.9 of ${list(w.helps)}${others}`;
    case "victim":
      if (m.kind === "fix-breach") return `predicted over its SLO on ${m.from}${others}`;
      if (m.kind === "restore-headroom") return `predicted over its SLO on ${m.from} at the policy's load growth (headroom)${others}`;
      return `close to its SLO on ${m.from}${others}`;
    case "overloaded":
      return `${m.from} carries more load than the fleet's mean`;
    case "emptying":
      return `${m.from} is being emptied so it can be switched off`;
    case "making-room":
      return `trades places with a VM that must leave ${m.to}: neither fits alone`;
  }
}

/** whyTargetText: why this host, from the placer's plugin scores. */
export function whyTargetText(m: Move): string {
  const t = m.whyTarget;
  if (t.temporary) return `parked on ${m.to} until its target has room (breaks a swap cycle)`;
  const top = topScores(t.scores);
  const ruled = Object.entries(t.rejected)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${n} by ${k}`);
  const feasible = t.feasible > 0 ? `best of ${t.feasible} host(s) passing every filter` : "the target";
  return `${feasible}${top !== "" ? ` (${top})` : ""}${ruled.length > 0 ? `; ruled out ${ruled.join(", ")}` : ""}`;
}

/** effectText: the predicted p99.9 changes of the VMs the move touches. */
export function effectText(effects: readonly Effect[], max = 3): string {
  if (effects.length === 0) return "no latency-sensitive VM affected";
  const shown = effects.slice(0, max).map((e) => {
    const slo = e.sloP999Us !== undefined ? ` (SLO ${ms(e.sloP999Us)})` : "";
    return `${e.vmId} ${arrow(ms(e.beforeP999Us), ms(e.afterP999Us))} ms${slo}`;
  });
  return shown.join("; ") + (effects.length > max ? `; +${effects.length - max} more` : "");
}

/**
 * headline: one line saying what the plan does, and what it leaves unfixed and why. It never says
 * "no migration needed" while a breach, a violation or a VM to evacuate remains.
 */
export function headline(p: MigrationPlan): string {
  const s = p.summary;
  const stop = p.stoppedOn === "done" ? "" : ` (stopped on ${p.stoppedOn})`;
  const left = unfixedText(p);
  if (s.moves === 0) {
    if (left !== undefined) return `No migration planned: ${left}.`;
    return `No migration needed: no predicted SLO breach or hard-constraint violation, and no optional move pays for its copy at threshold ${p.options.threshold}.`;
  }
  return (
    `${s.moves} migration(s) of ${s.vmsMoved} VM(s) in ${s.waves} wave(s), copying ${gib(s.memoryCopiedMiB)} GiB: ` +
    `predicted SLO breaches ${arrow(String(s.before.breaches), String(s.after.breaches))}, ` +
    `hard-constraint violations ${arrow(String(s.before.violations), String(s.after.violations))}, ` +
    `risk ${arrow(num(s.before.risk, 1), num(s.after.risk, 1))} points${stop}.` +
    (left !== undefined ? ` ${left[0].toUpperCase()}${left.slice(1)}.` : "") +
    ` ${timingText(p)}`
  );
}

/** unfixedText: "2 predicted SLO breach(es) cannot be fixed: why", or undefined when none is left. */
export function unfixedText(p: MigrationPlan): string | undefined {
  const after = p.summary.after;
  const simulated = p.simulation?.breaches ?? 0;
  const stranded = p.unresolved.filter((u) => u.kind === "evacuate").flatMap((u) => u.vmIds).length;
  const parts = [
    after.breaches > 0 ? `${after.breaches} predicted SLO breach(es)` : "",
    simulated > 0 ? `${simulated} simulated SLO breach(es)` : "",
    after.violations > 0 ? `${after.violations} hard-constraint violation(s)` : "",
    stranded > 0 ? `${stranded} VM(s) on ${p.options.host ?? "the host"} to evacuate` : "",
  ].filter((x) => x !== "");
  if (parts.length === 0) return undefined;
  return `${parts.join(", ")} cannot be fixed${p.moves.length > 0 ? " by this plan" : ""}: ${whyUnfixed(p)}`;
}

function whyUnfixed(p: MigrationPlan): string {
  const o = p.options;
  if (p.stoppedOn === "max-moves") return o.maxMoves === 0 ? "--max-moves 0 allows no move" : `the plan reached --max-moves ${o.maxMoves}`;
  if (p.stoppedOn === "max-migrated") return `the plan reached --max-migrated-gib ${gib(o.maxMigratedMiB ?? 0)}`;
  if (p.stoppedOn === "budget") return `the planning budget of ${num(o.timeBudgetMs / 1000)} s ran out`;
  const reasons = p.unresolved.filter((u) => u.kind !== "unscheduled");
  const first = reasons[0] ?? p.unresolved[0];
  if (first === undefined) return "no move that passes every hard constraint removes them";
  return `${unresolvedText(first)}${p.unresolved.length > 1 ? ` (and ${p.unresolved.length - 1} more listed below)` : ""}`;
}

/** timingText: the live-migration model's prediction for the whole plan, in one sentence. */
export function timingText(p: MigrationPlan): string {
  const s = p.summary;
  const stuck = s.nonConverging > 0 ? `; ${s.nonConverging} cannot converge (forced stop-and-copy)` : "";
  return `Predicted to take ${duration(s.durationSec)}, longest pause ${num(s.worstDowntimeMs, 0)} ms${stuck}.`;
}

/** moveTimingText: one move's bandwidth, duration and pause. */
export function moveTimingText(m: Move): string {
  return `${duration(m.durationSec)} at ${num(m.bandwidthMbps / 1000, 2)} Gbit/s, pause ${num(m.downtimeMs, 0)} ms${m.converged ? "" : " (does not converge)"}`;
}

/** duration: seconds as "42 s" or "3 min 20 s". */
export function duration(sec: number): string {
  if (sec < 60) return `${num(sec, 1)} s`;
  const m = Math.floor(sec / 60);
  return `${m} min ${Math.round(sec - m * 60)} s`;
}

/**
 * simulationText: what the re-simulation found, e.g. "re-simulated 50 of 251 changed host(s) for
 * 3 s: 2 simulated breach(es); 11 found, 9 repaired in 2 round(s) with 14 migration(s), 2 remain".
 */
export function simulationText(p: MigrationPlan): string {
  const sim = p.simulation;
  if (!sim) return "";
  const r = sim.repair;
  const repair = r && r.found > 0 ? `; ${r.found} found, ${r.repaired} repaired in ${r.rounds} round(s) with ${r.moves} migration(s), ${sim.breaches} remain` : "";
  return `re-simulated ${sim.hosts.length} of ${sim.changedHosts} changed host(s) for ${num(sim.durationMs / 1000)} s: ${sim.breaches} simulated breach(es)${repair}`;
}

export function unresolvedText(u: Unresolved): string {
  const where = u.hostId ? ` on ${u.hostId}` : "";
  return `${u.kind}${where} (${list(u.vmIds)}): ${u.reason}`;
}

/** tradeoffTable: the plan beside the current placement and the plan without limits, as rows, and what the limits gave up. */
export function tradeoffTable(p: MigrationPlan): { head: string[]; rows: string[][]; givenUp: string } | undefined {
  const t = p.tradeoff;
  if (!t) return undefined;
  const limits = [`${p.options.maxMoves} move(s)`, ...(p.options.maxMigratedMiB !== undefined ? [`${gib(p.options.maxMigratedMiB)} GiB`] : [])].join(", ");
  const label = (l: string): string => (l === "this plan" ? `this plan (at most ${limits})` : l);
  const rows = t.points.map((x) => [label(x.label), String(x.moves), gib(x.migratedMiB), num(x.cost), String(x.hostsUsed), num(x.risk, 1), String(x.breaches), String(x.violations)]);
  const g = t.givenUp;
  return {
    head: ["", "moves", "GiB", "cost", "hosts", "risk", "breaches", "violations"],
    rows,
    givenUp: `given up for the limits: cost ${num(g.cost)}, risk ${num(g.risk, 1)} points, ${g.breaches} breach(es); ${g.moves} move(s) not made`,
  };
}

/** tradeoffText: tradeoffTable as aligned text (the terminal summary). */
export function tradeoffText(p: MigrationPlan): string[] {
  const t = tradeoffTable(p);
  if (!t) return [];
  const width = t.head.map((h, k) => Math.max(h.length, ...t.rows.map((r) => r[k].length)));
  const line = (r: string[]): string => r.map((c, k) => (k === 0 ? c.padEnd(width[k]) : c.padStart(width[k]))).join("  ");
  return ["trade-off (predicted):", `  ${line(t.head)}`, ...t.rows.map((r) => `  ${line(r)}`), t.givenUp];
}

/** The moves table's columns, shared by both reports. */
export const MOVE_HEAD: readonly string[] = ["step", "wave", "VM", "move", "priority", "kind", "why this VM", "why this target", "predicted p99.9", "GiB", "migration"];

/** moveRow: a move's cells under MOVE_HEAD; `priority` renders its priority cell (HTML marks the mandatory ones). */
export function moveRow<C>(m: Move, priority: (m: Move) => C): (string | C)[] {
  return [
    String(m.step),
    String(m.wave),
    m.vmId,
    `${m.from} → ${m.to}`,
    priority(m),
    kindLabel(m),
    whyVmText(m),
    whyTargetText(m),
    effectText(m.effect),
    gib(m.memoryMiB),
    moveTimingText(m),
  ];
}
