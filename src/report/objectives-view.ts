import type { MigrationPlan } from "../model/migration.js";
import type { EnergySection, EnergySide, MigrationEnergy, MigrationService, RobustnessSection, ServiceTail } from "../model/objectives.js";
import type { Plan } from "../model/plan.js";
import { gib, ms, num, pct } from "./format.js";
import { sloText } from "../model/service-text.js";

/**
 * What the Markdown and HTML renderings (and the CLI summaries) share for the objectives beyond
 * cost: each section as titled tables of text cells, so both formats show the same rows.
 */
export interface TableView {
  readonly title: string;
  readonly note: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

// Large fleets: the tables list the hosts that matter most; the JSON has every one.
const MAX_ROWS = 40;

/** energyText: one placement's draw in a line. */
export function energyText(e: EnergySide): string {
  return `${num(e.watts, 0)} W on ${e.hostsOn} host(s): ${num(e.kWhPerMonth, 0)} kWh and ${num(e.kgCo2PerMonth, 0)} kg CO2 per month`;
}

/** planEnergyView: the plan's draw against the current placement's, and the hosts that are on. */
export function planEnergyView(e: EnergySection): TableView[] {
  const sides: [string, EnergySide][] = [...(e.current ? [["current placement", e.current] as [string, EnergySide]] : []), ["plan", e.plan]];
  const defaults = e.defaultModelHosts > 0 ? ` ${e.defaultModelHosts} host(s) have no power model of their own and use the default curve for their cores (an estimate).` : "";
  const summary: TableView = {
    title: "Energy",
    note: `Predicted from each host's power curve at its VMs' mean CPU demand; hosts without VMs are off. Grid ${num(e.gridKgCo2PerKWh, 3)} kg CO2 per kWh.${defaults}`,
    head: ["", "hosts on", "watts", "kWh per month", "kg CO2 per month"],
    rows: sides.map(([name, s]) => [name, String(s.hostsOn), num(s.watts, 0), num(s.kWhPerMonth, 0), num(s.kgCo2PerMonth, 0)]),
  };
  const hot = [...e.hosts].sort((a, b) => b.watts - a.watts || (a.host < b.host ? -1 : 1)).slice(0, MAX_ROWS);
  const hosts: TableView = {
    title: "Hosts by draw",
    note: e.hosts.length > hot.length ? `The ${hot.length} hosts that draw most, of ${e.hosts.length} on.` : "",
    head: ["host", "CPU utilisation", "watts"],
    rows: hot.map((h) => [h.host, pct(h.utilisation), num(h.watts, 0)]),
  };
  return [summary, hosts];
}

/** migrationEnergyView: before and after, and the hosts the plan switches off. */
export function migrationEnergyView(e: MigrationEnergy): TableView[] {
  const summary: TableView = {
    title: "Energy",
    note: `Predicted from each host's power curve at its VMs' mean CPU demand. Grid ${num(e.gridKgCo2PerKWh, 3)} kg CO2 per kWh.`,
    head: ["", "hosts on", "watts", "kWh per month", "kg CO2 per month"],
    rows: [
      ["before", String(e.before.hostsOn), num(e.before.watts, 0), num(e.before.kWhPerMonth, 0), num(e.before.kgCo2PerMonth, 0)],
      ["after", String(e.after.hostsOn), num(e.after.watts, 0), num(e.after.kWhPerMonth, 0), num(e.after.kgCo2PerMonth, 0)],
    ],
  };
  if (e.powerOff.length === 0) return [summary];
  const off: TableView = {
    title: "Hosts to switch off",
    note: "Each host the plan empties, what switching it off saves, and what its VMs' migrations copy; every move passed the latency guard (no new predicted SLO breach).",
    head: ["host", "VMs moved", "GiB copied", "watts saved", "kWh per month saved", "kg CO2 per month saved", "saving / migration cost (points)"],
    rows: e.powerOff.map((x) => [x.host, String(x.vms), gib(x.memoryCopiedMiB), num(x.wattsSaved, 0), num(x.kWhPerMonthSaved, 0), num(x.kgCo2PerMonthSaved, 1), `${num(x.savingPoints, 1)} / ${num(x.movePoints, 1)}`]),
  };
  return [summary, off];
}

/** robustnessText: the verdict in a line. */
export function robustnessText(r: RobustnessSection): string {
  const n1 = r.nPlusOne.ok
    ? "every used host can fail: its VMs fit on the others"
    : `${r.nPlusOne.failing} host(s) cannot be evacuated${r.mode === "n+1" ? "" : " (n+1 was not asked)"}`;
  const simulated = r.headroom?.simulatedBreaches;
  const sim = simulated === undefined ? "" : simulated === 0 ? " (also in simulation)" : `, ${simulated} simulated breach(es)`;
  const hr = r.headroom ? `; at +${num(r.headroomPercent)}% CPU demand: ${r.headroom.ok ? "every SLO holds" : `${r.headroom.predictedBreaches} predicted breach(es)`}${sim}${r.headroom.hostsOverCores > 0 ? ` (${r.headroom.hostsOverCores} host(s) would want more CPU than they have)` : ""}` : "";
  const fix = r.repair && r.repair.hostsAdded > 0 ? `; the n+1 repair switched on ${r.repair.hostsAdded} more host(s) (cost was ${num(r.repair.costBefore)})` : "";
  return `${r.robust ? "ROBUST" : "NOT ROBUST"} (asked: ${r.mode}${r.headroomPercent > 0 ? `, headroom ${num(r.headroomPercent)}%` : ""}): ${n1}${hr}${fix}${r.repair?.note ? ` (${r.repair.note})` : ""}`;
}

/** robustnessViews: each host's evacuation (failing first) and the growth it absorbs (least first). */
export function robustnessViews(r: RobustnessSection): TableView[] {
  const evac = [...r.nPlusOne.hosts].sort((a, b) => Number(a.ok) - Number(b.ok) || (a.host < b.host ? -1 : 1)).slice(0, MAX_ROWS);
  const where = (m: { to: string }[]): string => {
    const count = new Map<string, number>();
    for (const x of m) count.set(x.to, (count.get(x.to) ?? 0) + 1);
    return [...count].map(([h, n]) => (n > 1 ? `${h} (${n})` : h)).join(", ");
  };
  const growth = [...r.growth].sort((a, b) => a.absorbablePercent - b.absorbablePercent || (a.host < b.host ? -1 : 1)).slice(0, MAX_ROWS);
  return [
    {
      title: "If a host fails",
      note: `${robustnessText(r)}. Its VMs go to the other used hosts (emptiest first) that pass every filter.${r.nPlusOne.hosts.length > evac.length ? ` ${evac.length} of ${r.nPlusOne.hosts.length} hosts shown, those that fail first.` : ""}`,
      head: ["host fails", "VMs", "verdict", "VMs go to", "stranded"],
      rows: evac.map((e) => [e.host, String(e.vms), e.ok ? "ok" : "FAILS", where(e.moves) || "–", e.stranded.join(", ") || "–"]),
    },
    {
      title: "Load growth each host absorbs",
      note: `All its VMs' CPU demand grown at once, at today's load, until an SLO is predicted to break or the demand exceeds the cores (searched up to 400%).${r.growth.length > growth.length ? ` The ${growth.length} hosts with the least room, of ${r.growth.length}.` : ""}`,
      head: ["host", "absorbs", "limit"],
      rows: growth.map((g) => [g.host, `${num(g.absorbablePercent, 1)}%`, g.limit === "slo" ? "an SLO" : g.limit === "cpu" ? "cores" : "none up to 400%"]),
    },
  ];
}

/** servicesView: each fan-out service's tail against its SLO. */
export function servicesView(services: readonly ServiceTail[]): TableView | undefined {
  if (services.length === 0) return undefined;
  return {
    title: "Fan-out services",
    note: "A request touches fanout of the service's VMs at random and waits for all: its tail is computed exactly from each member's latency distribution (predicted; simulated where validation ran every member), not from one member's p99.",
    head: ["service", "VMs / fanout", "hosts", "SLO ms", "predicted p99 ms", "predicted p99.9 ms", "simulated p99 / p99.9 ms", "P(request > SLO)", "verdict", "worst members"],
    rows: services.map((s) => [
      s.id,
      `${s.vms} / ${s.fanout}`,
      String(s.hosts),
      sloText(s),
      ms(s.predictedP99Us),
      ms(s.predictedP999Us),
      s.simulatedP99Us !== undefined ? `${ms(s.simulatedP99Us)} / ${ms(s.simulatedP999Us ?? 0)}` : "–",
      s.predictedExceedance.toPrecision(3),
      s.breach ? "BREACH" : "ok",
      s.worst.slice(0, 3).map((w) => `${w.vm} on ${w.host} (${w.exceedance.toPrecision(2)})`).join(", "),
    ]),
  };
}

/** migrationServicesView: each service's predicted tail before and after the plan. */
export function migrationServicesView(services: readonly MigrationService[]): TableView | undefined {
  if (services.length === 0) return undefined;
  return {
    title: "Fan-out services",
    note: "Predicted tail of each service (exact over random fan-out subsets of its members' predicted distributions), before and after the plan.",
    head: ["service", "SLO ms", "p99 ms before → after", "p99.9 ms before → after", "verdict before → after"],
    rows: services.map((s) => [s.id, sloText(s.after), `${ms(s.before.predictedP99Us)} → ${ms(s.after.predictedP99Us)}`, `${ms(s.before.predictedP999Us)} → ${ms(s.after.predictedP999Us)}`, `${s.before.breach ? "BREACH" : "ok"} → ${s.after.breach ? "BREACH" : "ok"}`]),
  };
}


/** planObjectiveViews: a plan's energy, services and robustness tables (plans saved before them have none). */
export function planObjectiveViews(p: Plan): (TableView | undefined)[] {
  return [...(p.energy ? planEnergyView(p.energy) : []), servicesView(p.services ?? []), ...(p.robustness ? robustnessViews(p.robustness) : [])];
}

/** migrationObjectiveViews: a migration plan's energy, services and robustness tables. */
export function migrationObjectiveViews(p: MigrationPlan): (TableView | undefined)[] {
  return [...(p.energy ? migrationEnergyView(p.energy) : []), migrationServicesView(p.services ?? []), ...(p.robustness ? robustnessViews(p.robustness) : [])];
}
