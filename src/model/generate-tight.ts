import seedrandom from "seedrandom";
import type { ClusterInput } from "./cluster.js";

/**
 * The "tight" family of issue 11: multi-resource clusters where network binds. Hosts draw their
 * type from a menu spanning 3-24 cores, 2-96 GiB and 2-20 network units (1 unit = 1,000 Mbps),
 * costing 350-5,000 with the price rising in each resource; VMs need 1-12 cores, 1-32 GiB and
 * 1-12 network units, most of them small; no CPU overcommit and idle workloads, so only volume
 * and shape matter. Total demand over total capacity is fixed per resource (0.67 CPU, 0.42
 * memory, 0.73 network), which leaves many VMs that fit only where network is left.
 */
export interface TightOptions {
  hosts: number;
  vms: number;
  seed: number;
}

const NET_UNIT_MBPS = 1000;
const GIB = 1024;

/** Target demand / capacity per resource (CPU, memory, network). */
export const TIGHT_RATIOS = { cpu: 0.67, memory: 0.42, network: 0.73 } as const;

/** HostShape: one entry of the menu (cores, GiB, network units). */
interface HostShape {
  cores: number;
  gib: number;
  net: number;
}

// Shapes cover the corners of the ranges: CPU-, memory- and network-heavy types at each size.
const MENU: readonly HostShape[] = [
  { cores: 3, gib: 2, net: 2 },
  { cores: 4, gib: 8, net: 4 },
  { cores: 6, gib: 12, net: 8 },
  { cores: 8, gib: 32, net: 6 },
  { cores: 8, gib: 16, net: 12 },
  { cores: 12, gib: 24, net: 10 },
  { cores: 16, gib: 64, net: 8 },
  { cores: 16, gib: 32, net: 16 },
  { cores: 20, gib: 48, net: 12 },
  { cores: 24, gib: 96, net: 20 },
];

/** hostCost: 350 for the smallest shape, 5,000 for the largest, rising with every resource. */
export function tightHostCost(s: HostShape): number {
  const share = 0.45 * ((s.cores - 3) / 21) + 0.3 * ((s.gib - 2) / 94) + 0.25 * ((s.net - 2) / 18);
  return Math.round((350 + 4650 * share) / 10) * 10;
}

const VM_MAX = { cpu: 12, memory: 32, network: 12 } as const;

type Rng = () => number;

/**
 * generateTightCluster builds a seeded instance of the tight family: same options, same document,
 * byte for byte. Each resource is drawn per VM from a small-skewed law whose mean aims at the
 * target ratio, then nudged one unit at a time (seeded) until the total hits it exactly.
 */
export function generateTightCluster(o: TightOptions): ClusterInput {
  const rng: Rng = seedrandom.alea(`vmplace-generate-tight:${o.seed}`);
  const shapes = Array.from({ length: o.hosts }, () => MENU[Math.floor(rng() * MENU.length)]);
  const cap = { cpu: 0, memory: 0, network: 0 };
  for (const s of shapes) (cap.cpu += s.cores), (cap.memory += s.gib), (cap.network += s.net);
  const demand = {
    cpu: drawResource(rng, o.vms, VM_MAX.cpu, TIGHT_RATIOS.cpu * cap.cpu),
    memory: drawResource(rng, o.vms, VM_MAX.memory, TIGHT_RATIOS.memory * cap.memory),
    network: drawResource(rng, o.vms, VM_MAX.network, TIGHT_RATIOS.network * cap.network),
  };
  return {
    hosts: shapes.map((s, i) => ({
      id: `h${pad(i + 1, o.hosts)}`,
      cores: s.cores,
      memoryMiB: s.gib * GIB,
      networkMbps: s.net * NET_UNIT_MBPS,
      cost: tightHostCost(s),
    })),
    vms: Array.from({ length: o.vms }, (_, j) => ({
      id: `vm${pad(j + 1, o.vms)}`,
      vcpus: demand.cpu[j],
      memoryMiB: demand.memory[j] * GIB,
      networkMbps: demand.network[j] * NET_UNIT_MBPS,
      workload: { kind: "idle" as const },
    })),
    constraints: [],
    policy: { cpuOvercommit: 1, objective: "min-cost", seed: o.seed, timeBudgetMs: 10000 },
  };
}

/**
 * drawResource gives n whole demands in [1, max] summing to round(total) (clamped to what the
 * range allows): 1 + ⌊(max − 1)·u^k⌋ with k set so the mean is about right (most VMs small), then
 * random ±1 steps on VMs that stay in range until the sum is exact.
 */
function drawResource(rng: Rng, n: number, max: number, total: number): number[] {
  if (n === 0) return [];
  const want = Math.max(n, Math.min(n * max, Math.round(total)));
  const mean = want / n;
  // E[1 + ⌊(max − 1)u^k⌋] ≈ 1 + (max − 1)/(k + 1) − 1/2.
  const k = Math.max(0.3, (max - 1) / Math.max(mean - 0.5, 1e-3) - 1);
  const xs = Array.from({ length: n }, () => 1 + Math.floor((max - 1) * rng() ** k + 1e-9));
  let sum = xs.reduce((a, b) => a + b, 0);
  while (sum !== want) {
    const j = Math.floor(rng() * n);
    const step = sum < want ? 1 : -1;
    if (xs[j] + step < 1 || xs[j] + step > max) continue;
    xs[j] += step;
    sum += step;
  }
  return xs;
}

function pad(n: number, max: number): string {
  return String(n).padStart(String(max).length, "0");
}
