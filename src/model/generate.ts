import seedrandom from "seedrandom";
import type { ClusterInput } from "./cluster.js";
import type { WorkloadKind } from "./workload.js";

/** GenerateOptions: the knobs of the synthetic cluster generator. */
export interface GenerateOptions {
  hosts: number;
  vms: number;
  seed: number;
  /** Share of each workload kind; normalised, missing kinds get 0. */
  mix: Partial<Record<WorkloadKind, number>>;
  /** Give every VM a current host (random first fit), which leaves hot spots for migration planning. */
  placed: boolean;
  scheduler: "xen-credit" | "kvm-cfs" | "both";
}

export const DEFAULT_MIX: Partial<Record<WorkloadKind, number>> = { io: 0.3, cpu: 0.5, mixed: 0.1, trace: 0.1 };

// Host types of a typical small fleet: cores, memory, cost (relative price of keeping it on).
const HOST_TYPES = [
  { cores: 16, memoryMiB: 131072, cost: 1.0, networkMbps: 10000 },
  { cores: 32, memoryMiB: 262144, cost: 1.8, networkMbps: 25000 },
  { cores: 8, memoryMiB: 65536, cost: 0.6, networkMbps: 10000 },
] as const;
/** The generator's VM draws; the accuracy protocol's packed hosts draw the same (interference/eval/packed.ts). */
export const VCPU_CHOICES = [1, 1, 2, 2, 2, 4, 4, 8] as const;
const MIB_PER_VCPU = [2048, 2048, 4096, 8192] as const;
export const DUTIES = [0.3, 0.5, 0.7, 0.9, 1.0] as const;
export const BURSTS_MS = [1, 5, 10, 30] as const;
const SLO_P999_MS = [5, 10, 20, 50] as const;

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * generateCluster builds a seeded synthetic cluster: same options, same document, byte for byte.
 * Every random choice comes from one alea stream seeded with `seed`.
 */
export function generateCluster(o: GenerateOptions): ClusterInput {
  const rng: Rng = seedrandom.alea(`vmplace-generate:${o.seed}`);
  const racks = Math.max(1, Math.ceil(o.hosts / 20));
  const hosts = Array.from({ length: o.hosts }, (_, i) => {
    const t = HOST_TYPES[i % HOST_TYPES.length];
    const kind = o.scheduler === "both" ? (i % 2 === 0 ? "xen-credit" : "kvm-cfs") : o.scheduler;
    return {
      id: `h${pad(i + 1, o.hosts)}`,
      ...t,
      scheduler: { kind },
      labels: { rack: `r${(i % racks) + 1}` },
    };
  });
  const kinds = cumulative(o.mix);
  const vms = Array.from({ length: o.vms }, (_, i) => makeVm(rng, `vm${pad(i + 1, o.vms)}`, drawKind(rng, kinds)));
  const doc: ClusterInput = {
    hosts,
    vms,
    constraints: makeConstraints(rng, vms, racks),
    policy: { cpuOvercommit: 2, objective: "min-cost", seed: o.seed, timeBudgetMs: 30000 },
  };
  if (o.placed) placeRandomly(rng, doc);
  return doc;
}

type VmInput = ClusterInput["vms"][number];

function makeVm(rng: Rng, id: string, kind: WorkloadKind): VmInput {
  // parseMix admits neither: the probe is a measuring tool and the tick dodger an attack, not tenants.
  if (kind === "probe" || kind === "tick-dodge") throw new Error(`generate: a ${kind} is not a generated workload`);
  const vcpus = pick(rng, VCPU_CHOICES);
  const memoryMiB = vcpus * pick(rng, MIB_PER_VCPU);
  const io = () => ({ requestsPerSec: round(100 + rng() * 1900, 0), serviceUs: round(50 + rng() * 250, 0) });
  const cpu = () => ({ dutyCycle: pick(rng, DUTIES), burstMs: pick(rng, BURSTS_MS) });
  const slo = { p999Ms: pick(rng, SLO_P999_MS) };
  switch (kind) {
    case "io":
      return { id, vcpus, memoryMiB, workload: { kind: "io", ...io() }, slo, labels: { app: "web" } };
    case "cpu":
      return { id, vcpus, memoryMiB, workload: { kind: "cpu", ...cpu() }, labels: { app: "batch" } };
    case "mixed":
      return { id, vcpus, memoryMiB, workload: { kind: "mixed", io: io(), cpu: cpu() }, slo, labels: { app: "app" } };
    case "trace":
      return { id, vcpus, memoryMiB, workload: { kind: "trace", intervalSec: 300, utilisationPercent: series(rng), burstMs: 10 }, labels: { app: "trace" } };
    case "idle":
      return { id, vcpus, memoryMiB, workload: { kind: "idle" }, labels: {} };
  }
}

/** series is a 2-hour utilisation curve (24 x 5 min): a base level, a daily-ish wave and noise. */
function series(rng: Rng): number[] {
  const base = 5 + rng() * 50;
  const amp = rng() * 30;
  const phase = rng() * 2 * Math.PI;
  return Array.from({ length: 24 }, (_, k) =>
    Math.max(0, Math.min(100, Math.round(base + amp * Math.sin(phase + (k * Math.PI) / 12) + (rng() - 0.5) * 10))),
  );
}

function makeConstraints(rng: Rng, vms: VmInput[], racks: number): NonNullable<ClusterInput["constraints"]> {
  const out: NonNullable<ClusterInput["constraints"]> = [];
  const latency = vms.filter((v) => v.workload.kind === "io" || v.workload.kind === "mixed");
  // Replicas of a service: spread pairs of latency-sensitive VMs over hosts.
  for (let i = 0; i + 1 < latency.length && out.length < Math.ceil(vms.length / 20); i += 7) {
    out.push({ kind: "anti-affinity", vms: [latency[i].id, latency[i + 1].id] });
  }
  const batch = vms.filter((v) => v.workload.kind === "cpu");
  for (let i = 0; i + 1 < batch.length && i < 40; i += 13) {
    out.push({ kind: "affinity", vms: [batch[i].id, batch[i + 1].id], soft: true });
  }
  if (vms.length > 0) out.push({ kind: "host-label", vms: [vms[Math.floor(rng() * vms.length)].id], label: "rack", value: `r${1 + Math.floor(rng() * racks)}` });
  return out;
}

function placeRandomly(rng: Rng, doc: ClusterInput): void {
  const over = doc.policy?.cpuOvercommit ?? 2;
  const freeMem = doc.hosts.map((h) => h.memoryMiB);
  const freeVcpus = doc.hosts.map((h) => Math.floor(h.cores * over));
  for (const vm of doc.vms) {
    const start = Math.floor(rng() * doc.hosts.length);
    for (let k = 0; k < doc.hosts.length; k++) {
      const j = (start + k) % doc.hosts.length;
      if (freeMem[j] >= vm.memoryMiB && freeVcpus[j] >= vm.vcpus && doc.hosts[j].cores >= vm.vcpus) {
        freeMem[j] -= vm.memoryMiB;
        freeVcpus[j] -= vm.vcpus;
        vm.host = doc.hosts[j].id;
        break;
      }
    }
  }
}

function cumulative(mix: Partial<Record<WorkloadKind, number>>): [WorkloadKind, number][] {
  const entries = Object.entries(mix).filter(([, w]) => (w ?? 0) > 0) as [WorkloadKind, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  return entries.map(([k, w]) => [k, (acc += w / total)]);
}

function drawKind(rng: Rng, kinds: [WorkloadKind, number][]): WorkloadKind {
  const r = rng();
  for (const [k, c] of kinds) if (r < c) return k;
  return kinds[kinds.length - 1][0];
}

function pad(n: number, max: number): string {
  return String(n).padStart(String(max).length, "0");
}

/** parseMix reads `io=0.3,cpu=0.5` into a mix, or returns the problem with it. */
export function parseMix(text: string): Partial<Record<WorkloadKind, number>> | string {
  const out: Partial<Record<WorkloadKind, number>> = {};
  const known: WorkloadKind[] = ["io", "cpu", "mixed", "trace", "idle"];
  for (const part of text.split(",")) {
    const [k, v] = part.split("=");
    const w = Number(v);
    if (!known.includes(k as WorkloadKind)) return `unknown workload kind "${k}" (known: ${known.join(", ")})`;
    if (v === undefined || !Number.isFinite(w) || w < 0) return `weight of "${k}" must be a number >= 0, got "${v ?? ""}"`;
    out[k as WorkloadKind] = w;
  }
  if (Object.values(out).every((w) => w === 0)) return "at least one workload kind needs a weight above 0";
  return out;
}
