import type { AdviceOption, AdviceSection, HostAdvice, LatencyOutcome } from "../model/advice.js";
import { ms, num, pct } from "./format.js";

/**
 * The advice as table cells and sentences, shared by the Markdown, HTML and terminal renderers:
 * one row per option with the advised host's own latency-sensitive VMs as columns.
 */

/** ownVictims: the advised host's latency-sensitive VMs (those of its "current" option). */
export function ownVictims(h: HostAdvice): string[] {
  const current = h.options.find((o) => o.kind === "current") ?? h.options[0];
  return current ? current.latency.filter((l) => l.hostId === h.hostId).map((l) => l.vmId) : [];
}

export function adviceHead(h: HostAdvice): string[] {
  return ["option", "cost", ...ownVictims(h).map((v) => `${v} p99.9 ms predicted / simulated`), "SLO", "other VMs' CPU", "context switches/s", "elsewhere"];
}

/** optionRow: one option's cells, in adviceHead's order. */
export function optionRow(h: HostAdvice, o: AdviceOption): string[] {
  const own = ownVictims(h);
  const mine = own.map((id) => {
    const l = o.latency.find((x) => x.vmId === id);
    return `${latencyCell(l)}${l !== undefined && l.hostId !== h.hostId ? ` (moved to ${l.hostId})` : ""}`;
  });
  const elsewhere = o.latency.filter((l) => !own.includes(l.vmId));
  return [
    `${o.id === h.recommendation.optionId ? "★ " : ""}${o.id}`,
    costText(o),
    ...mine,
    o.meetsSlo ? "meets" : `misses (${num(o.worstSloRatio)}x)`,
    shareText(o),
    o.hosts.map((x) => (x.contextSwitchesPerSecBefore === x.contextSwitchesPerSecAfter ? `${x.hostId} ${x.contextSwitchesPerSecAfter}` : `${x.hostId} ${x.contextSwitchesPerSecBefore} → ${x.contextSwitchesPerSecAfter}`)).join(", "),
    elsewhere.length === 0 ? "–" : elsewhere.map((l) => `${l.vmId} on ${l.hostId}: ${latencyCell(l)}`).join("; "),
  ];
}

export function latencyCell(l: LatencyOutcome | undefined): string {
  if (l === undefined) return "–";
  const verdict = l.meetsSlo === undefined ? "" : l.meetsSlo ? " ok" : " over";
  return `${ms(l.predictedP999Us)} / ${ms(l.simulatedP999Us)}${verdict}`;
}

export function costText(o: AdviceOption): string {
  return o.cost.memoryCopiedMiB > 0 ? `${o.cost.tier}, ${num(o.cost.memoryCopiedMiB / 1024, 1)} GiB` : o.cost.tier;
}

/** shareText: the others' total CPU share before → after, and the worst loss when one is harmful. */
export function shareText(o: AdviceOption): string {
  if (o.others.length === 0) return "–";
  const before = o.others.reduce((s, x) => s + x.cpuShareBefore, 0);
  const after = o.others.reduce((s, x) => s + x.cpuShareAfter, 0);
  const total = before.toFixed(2) === after.toFixed(2) ? before.toFixed(2) : `${before.toFixed(2)} → ${after.toFixed(2)}`;
  return o.harm.harmful ? `${total} (${o.harm.worstVmId} −${pct(o.harm.worstLossFraction)})` : total;
}

/** hostTitle: "h07 (xen-credit, 4 cores): 1 predicted, 1 simulated breach(es)". */
export function hostTitle(h: HostAdvice): string {
  const why = h.named && h.predictedBreaches + h.simulatedBreaches === 0 ? "named, no breach" : `${h.predictedBreaches} predicted, ${h.simulatedBreaches} simulated breach(es)`;
  return `${h.hostId} (${h.scheduler}, ${h.cores} cores): ${why}`;
}

export function recommendationText(h: HostAdvice): string {
  return h.recommendation.optionId === undefined ? `No option fixes it: ${h.recommendation.reason}` : `Recommended: ${h.recommendation.reason}`;
}

/** predictionNotes: the distinct reasons a predicted column is a stand-in, with the options they concern. */
export function predictionNotes(h: HostAdvice): string[] {
  const by = new Map<string, string[]>();
  for (const o of h.options) for (const l of o.latency) for (const n of l.predictionNotes) by.set(n, [...new Set([...(by.get(n) ?? []), o.id])]);
  return [...by].map(([n, ids]) => `${n} (${ids.join(", ")})`);
}

/** settingsText: how the numbers were measured. */
export function settingsText(a: Pick<AdviceSection, "settings" | "hostsScreened" | "skipped">): string {
  const s = a.settings;
  const skipped = a.skipped.length > 0 ? ` ${a.skipped.length} host(s) with a breach not advised (limit ${s.maxHosts}): ${a.skipped.join(", ")}.` : "";
  return `Each option simulated for ${num(s.durationMs / 1000)} s (after ${num(s.warmupMs / 1000)} s warm-up) under seeds ${s.seeds.join(", ")}; simulated figures are medians over the seeds. ${a.hostsScreened} host(s) screened.${skipped}`;
}
