import { profileVm, type VmProfile } from "../interference/profile.js";
import type { Vm } from "../model/cluster.js";
import type { PlacementProblem } from "../placement/problem.js";
import type { PlacementState } from "../placement/state.js";
import { migrationCpuCores } from "./cost-model.js";
import type { VictimModel } from "./risk.js";

// The copy thread works in bursts as the socket drains; 10 ms is the schema's default burst.
const COPY_BURST_MS = 10;

/** TransientView: the latency-sensitive VMs of one host while its link carries migrations. */
export interface TransientView {
  /** VMs predicted over their SLO during the migrations that were not over it at the plan's start. */
  readonly newBreaches: number;
  /** VMs predicted over their SLO during the migrations. */
  readonly breaches: number;
  /** Largest predicted tail over SLO among them (0 without victims). */
  readonly worstRatio: number;
}

/**
 * TransientCheck predicts a host's victims while migrations run through it. During pre-copy the
 * VM still runs on its source, and the source and destination each run a copy thread: a CPU
 * load of migrationCpuCores (the link's worth of copying) that sleeps while the socket drains,
 * which is what the scorer counts as a sleepy CPU-bound neighbour. The check adds that load to
 * the host's state at the wave's start and reads the victims' predicted tails.
 */
export class TransientCheck {
  private readonly loads: (VmProfile | null | undefined)[];

  constructor(
    private readonly p: PlacementProblem,
    private readonly model: VictimModel,
    private readonly startRatio: Float64Array,
  ) {
    this.loads = new Array<VmProfile | null | undefined>(p.nHosts);
  }

  /** during: host h of state s (the wave's start) with its copy threads running. O(VMs on h). */
  during(s: PlacementState, h: number): TransientView {
    const load = this.loadOf(h);
    const hs = s.hostStates[h];
    if (load) hs.add(load, undefined);
    let newBreaches = 0;
    let breaches = 0;
    let worstRatio = 0;
    // Each victim's estimate on the host with the copy threads in (the predictor sees every victim's own tail).
    for (const j of s.vmsOn[h]) {
      if (this.p.latencySensitive[j] !== 1) continue;
      const r = this.model.ratio(s, j);
      worstRatio = Math.max(worstRatio, r);
      if (r <= 1) continue;
      breaches++;
      if (this.startRatio[j] <= 1) newBreaches++;
    }
    if (load) hs.remove(load, undefined);
    return { newBreaches, breaches, worstRatio };
  }

  private loadOf(h: number): VmProfile | null {
    let load = this.loads[h];
    if (load === undefined) {
      load = copyThread(this.p, h);
      this.loads[h] = load;
    }
    return load;
  }
}

/** copyThread: the copy threads' CPU on host h as a pseudo-VM, or null when the policy gives none. */
function copyThread(p: PlacementProblem, h: number): VmProfile | null {
  const host = p.hosts[h];
  const cores = migrationCpuCores(host, p.cluster.policy.migration);
  if (!(cores > 0)) return null;
  const vcpus = Math.ceil(cores);
  const vm: Vm = {
    id: `migration@${host.id}`,
    vcpus,
    memoryMiB: 1,
    weight: 256,
    capPercent: 0,
    cpuWeight: 100,
    workload: { kind: "cpu", dutyCycle: Math.min(1, cores / vcpus), burstMs: COPY_BURST_MS, burstDistribution: "exponential" },
    labels: {},
  };
  return profileVm(vm);
}
