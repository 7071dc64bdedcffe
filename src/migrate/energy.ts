import { energySide, hostDraws } from "../model/energy.js";
import type { Move } from "../model/migration.js";
import type { MigrationEnergy, PowerOff } from "../model/objectives.js";
import { kWhPerMonth } from "../model/power.js";
import type { MigrateContext } from "./context.js";
import { powerOffPoints } from "./points.js";

/**
 * migrationEnergy: the predicted draw before and after the plan at the documented load, and for
 * each host the plan empties (consolidation switching it off, or an evacuation), the watts it
 * stops drawing against what its VMs' migrations cost (the live-migration model's time and pause,
 * in points). Like VMware DPM's recommendations,
 * but every move behind them passed the latency guard (no new predicted SLO breach).
 */
export function migrationEnergy(c: MigrateContext, start: ArrayLike<number>, after: ArrayLike<number>, moves: readonly Move[]): MigrationEnergy {
  const nominal = c.nominal;
  const grid = nominal.policy.gridKgCo2PerKWh;
  const before = hostDraws(nominal, start);
  const now = hostDraws(nominal, after);
  const index = new Map(nominal.hosts.map((h, i) => [h.id, i]));
  const copied = new Float64Array(nominal.hosts.length);
  const cost = new Float64Array(nominal.hosts.length);
  const moved = new Int32Array(nominal.hosts.length);
  // Scheduled moves off each host (a two-step move's park leg starts there; its unpark does not).
  for (const m of moves) {
    if (m.leg === "unpark") continue;
    const i = index.get(m.from)!;
    copied[i] += m.memoryMiB;
    cost[i] += m.cost;
    moved[i]++;
  }
  const powerOff: PowerOff[] = [];
  for (const b of before) {
    if (!b.on || now[b.host].on) continue;
    const saved = b.watts - now[b.host].watts;
    const kWh = kWhPerMonth(saved);
    powerOff.push({
      host: nominal.hosts[b.host].id,
      vms: moved[b.host],
      memoryCopiedMiB: copied[b.host],
      wattsSaved: round(saved),
      kWhPerMonthSaved: round(kWh),
      kgCo2PerMonthSaved: round(kWh * grid),
      movePoints: round(cost[b.host]),
      savingPoints: round(powerOffPoints(c.problem, b.host, saved)),
    });
  }
  return { gridKgCo2PerKWh: grid, before: energySide(before, grid), after: energySide(now, grid), powerOff };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
