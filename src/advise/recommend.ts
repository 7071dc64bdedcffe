import { COST_TIERS, type AdviceOption, type HostAdvice } from "../model/advice.js";

/** A rise in context switches worth naming: the simulator charges no switch or cache cost for them. */
const SWITCH_RISE = 1.25;

const TIER_WORDS: Record<AdviceOption["cost"]["tier"], string> = {
  none: "nothing needs to change",
  tune: "a parameter changed live (no restart, no copy)",
  migrate: "live migrations",
  upgrade: "a maintenance event (scheduler upgrade)",
};

/**
 * rankOptions orders the options that meet every SLO, best first: one that harms no other VM
 * before one that does; then the cheaper tier (none < tune < migrate < upgrade: a live parameter
 * costs nothing to apply, a move copies memory, an upgrade drains or restarts the host); among
 * harmful ones, the least CPU taken from others; then less memory copied; then the less
 * disturbing option (the order candidates are listed in); options are never ranked on noise.
 */
export function rankOptions(options: readonly AdviceOption[]): AdviceOption[] {
  const order = new Map(options.map((o, k) => [o.id, k]));
  const tier = (o: AdviceOption): number => COST_TIERS.indexOf(o.cost.tier);
  return options
    .filter((o) => o.meetsSlo)
    .sort(
      (a, b) =>
        Number(a.harm.harmful) - Number(b.harm.harmful) ||
        tier(a) - tier(b) ||
        (a.harm.harmful ? a.harm.cpuLost - b.harm.cpuLost : 0) ||
        a.cost.memoryCopiedMiB - b.cost.memoryCopiedMiB ||
        order.get(a.id)! - order.get(b.id)!,
    );
}

/** recommend picks the best-ranked option and says why, naming what it beat or what came closest. */
export function recommend(options: readonly AdviceOption[], noMoves: string | undefined): HostAdvice["recommendation"] {
  const ranked = rankOptions(options);
  const best = ranked[0];
  if (best === undefined) return { reason: noneReason(options, noMoves) };
  const slo = best.latency.filter((l) => l.meetsSlo !== undefined);
  const worst = slo.reduce<(typeof slo)[number] | undefined>((w, l) => (w === undefined || ratio(l) > ratio(w) ? l : w), undefined);
  const margin = worst ? `${worst.vmId}'s simulated p99.9 ${ms(worst.simulatedP999Us)} ms${worst.sloP999Us !== undefined ? ` against its ${ms(worst.sloP999Us)} ms SLO` : ""}` : "";
  const parts = [`${best.title}: ${TIER_WORDS[best.cost.tier]}${best.cost.memoryCopiedMiB > 0 ? `, ${gib(best.cost.memoryCopiedMiB)} GiB copied` : ""}`];
  if (best.id === "current") parts.push(`the simulation finds no breach (${margin})`);
  else parts.push(`meets every SLO (${margin})`);
  parts.push(best.harm.harmful ? `but the others lose ${best.harm.cpuLost.toFixed(2)} CPU (${best.harm.worstVmId} ${pct(best.harm.worstLossFraction)} of its share); no option that meets the SLOs harms no one` : "without taking CPU from the other VMs");
  const switches = best.hosts.filter((h) => h.contextSwitchesPerSecAfter > SWITCH_RISE * Math.max(1, h.contextSwitchesPerSecBefore));
  if (switches.length > 0) parts.push(`context switches rise (${switches.map((h) => `${h.hostId} ${h.contextSwitchesPerSecBefore} -> ${h.contextSwitchesPerSecAfter}/s`).join(", ")}), whose cache cost the simulation does not charge`);
  const cheaperHarmful = ranked.filter((o) => o.harm.harmful && COST_TIERS.indexOf(o.cost.tier) < COST_TIERS.indexOf(best.cost.tier));
  if (!best.harm.harmful && cheaperHarmful.length > 0) parts.push(`cheaper ${cheaperHarmful.map((o) => o.id).join(", ")} also meet(s) the SLOs but take CPU from the others`);
  const rivals = ranked.length - 1;
  if (rivals > 0) parts.push(`${rivals} other option(s) also meet every SLO and rank lower`);
  return { optionId: best.id, reason: `${parts.join("; ")}.` };
}

function noneReason(options: readonly AdviceOption[], noMoves: string | undefined): string {
  const closest = [...options].sort((a, b) => a.worstSloRatio - b.worstSloRatio)[0];
  const parts = [`no option meets every SLO in simulation`];
  if (closest) parts.push(`the closest is ${closest.id} at ${closest.worstSloRatio.toFixed(2)}x its SLO`);
  if (noMoves) parts.push(`the migration planner found no fixing move: ${noMoves}`);
  return `${parts.join("; ")}.`;
}

function ratio(l: AdviceOption["latency"][number]): number {
  return Math.max(l.sloP99Us ? l.simulatedP99Us / l.sloP99Us : 0, l.sloP999Us ? l.simulatedP999Us / l.sloP999Us : 0);
}

const ms = (us: number): string => (us / 1000).toFixed(2);
const gib = (mib: number): string => (mib / 1024).toFixed(1);
const pct = (x: number): string => `${Math.round(x * 100)}%`;
