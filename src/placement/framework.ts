import type { LpBuilder } from "./lp.js";
import { isAllowed } from "./problem.js";
import type { PlacementState } from "./state.js";

/**
 * The placement framework, after the Kubernetes scheduler's: every constraint and objective is a
 * named plugin implementing only the extension points it needs. Filters say whether a VM may go
 * on a host (hard constraints), scorers rank the hosts that may take it (0–100, weighted by the
 * profile), and linear plugins emit their rows for the MILP (`toLp`).
 */

/** "infeasible" is an expected outcome (the VM does not fit); "error" is a broken invariant. */
export type StatusCode = "ok" | "infeasible" | "error";

/** Reason: why a filter rejects a VM on a host, as data; renderers turn it into a sentence. */
export interface Reason {
  /** Stable plugin name ("ResourceFit", "Interference", ...). */
  readonly constraint: string;
  /** What ran out: "memoryMiB", "vcpus", "cores", "networkMbps", "sloSlackUs", "sleepyVcpus", ... */
  readonly resource?: string;
  /** The VM's demand, what the host already carries, and the limit, in the resource's unit. */
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  /** The document constraint behind it (its JSON path, e.g. "constraints[3]"), if any. */
  readonly group?: string;
  /** The VM whose SLO or constraint would break, when it is not the VM being placed. */
  readonly vm?: string;
}

export interface Status {
  readonly code: StatusCode;
  readonly reasons: readonly Reason[];
}

export const OK: Status = Object.freeze({ code: "ok", reasons: Object.freeze([]) }) as Status;

export function infeasible(...reasons: Reason[]): Status {
  return { code: "infeasible", reasons };
}

/** Plugin: only a stable name is required. */
export interface Plugin {
  readonly name: string;
}

/**
 * FilterPlugin checks one hard constraint for "VM j joins host i as the state stands".
 * Contract: `fits` is the allocation-free hot path and must equal `filter(...).code === "ok"`;
 * `filter` returns OK or "infeasible" with reasons, never throws for a VM that does not fit.
 */
export interface FilterPlugin extends Plugin {
  fits(state: PlacementState, j: number, i: number): boolean;
  filter(state: PlacementState, j: number, i: number): Status;
}

/** CycleState is a scratchpad for one placement decision: preScore writes, score reads. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

/**
 * ScorePlugin rates host i for VM j (j not placed). Raw scores may have any scale when
 * `normalize` maps them into [0, 100] over the candidate hosts; otherwise they must already lie
 * in [0, 100] (the framework rejects anything else as an "error").
 */
export interface ScorePlugin extends Plugin {
  preScore?(cycle: CycleState, state: PlacementState, j: number, hosts: readonly number[]): void;
  score(cycle: CycleState, state: PlacementState, j: number, i: number): number;
  normalize?(scores: Float64Array): void;
}

/** LpPlugin emits the plugin's rows (and objective terms) into a linear model. */
export interface LpPlugin extends Plugin {
  toLp(b: LpBuilder): void;
}

export const MAX_SCORE = 100;

/** HostScores: per-plugin normalised scores of each candidate host and their weighted total. */
export interface HostScores {
  readonly hosts: readonly number[];
  readonly byPlugin: Readonly<Record<string, Float64Array>>;
  readonly total: Float64Array;
}

/** Framework runs a profile's filters and weighted scorers. */
export class Framework {
  constructor(
    readonly filters: readonly FilterPlugin[],
    readonly scorers: readonly { plugin: ScorePlugin; weight: number }[],
  ) {}

  /** fits: the static pair check, then every filter's hot path, cheapest first. */
  fits(state: PlacementState, j: number, i: number): boolean {
    if (!isAllowed(state.problem, j, i)) return false;
    for (const f of this.filters) if (!f.fits(state, j, i)) return false;
    return true;
  }

  /** filter collects the reasons of every failing filter (reports, not the hot path). */
  filter(state: PlacementState, j: number, i: number): Status {
    const reasons: Reason[] = [];
    for (const f of this.filters) {
      const s = f.filter(state, j, i);
      if (s.code === "error") return s;
      reasons.push(...s.reasons);
    }
    return reasons.length === 0 ? OK : infeasible(...reasons);
  }

  /** score rates candidate hosts for VM j; throws if a plugin breaks the 0–100 contract. */
  score(state: PlacementState, j: number, hosts: readonly number[]): HostScores {
    const cycle = new CycleState();
    const total = new Float64Array(hosts.length);
    const byPlugin: Record<string, Float64Array> = {};
    for (const { plugin, weight } of this.scorers) {
      plugin.preScore?.(cycle, state, j, hosts);
      const s = Float64Array.from(hosts, (i) => plugin.score(cycle, state, j, i));
      plugin.normalize?.(s);
      for (const [k, v] of s.entries()) {
        if (!(v >= 0 && v <= MAX_SCORE)) throw new Error(`plugin ${plugin.name} scored host ${hosts[k]} ${v}, outside [0, ${MAX_SCORE}]`);
        total[k] += weight * v;
      }
      byPlugin[plugin.name] = s;
    }
    return { hosts, byPlugin, total };
  }
}
