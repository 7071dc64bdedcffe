import { z } from "zod";
import { ScenarioSchema, type HostSimResult } from "../../model/scenario.js";
import { simulateHost } from "../../sim/simulate-host.js";
import type { SimJob } from "../../sim/runner.js";
import { EVAL_SEEDS, EVAL_SETS, type Composition, type CompositionSet } from "./compositions.js";

/**
 * The simulated reference of the accuracy protocol: each victim's request p99.9 as the median over
 * `seedsPerReference` runs of `durationMs`, twice with independent seeds (A is the reference, B
 * only measures the noise floor: |ln(A/B)|). It is cached as data because it costs minutes of
 * simulation; the cache records how it was made and tests re-simulate a subset of it.
 */
export interface ReferenceSpec {
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly seedsPerReference: number;
}

export const REFERENCE_SPEC: ReferenceSpec = { durationMs: 60_000, warmupMs: 2000, seedsPerReference: 5 };

/** Layout version of the reference file and of the composition generator it was drawn with. */
export const REFERENCE_VERSION = 1;
export const GENERATOR_VERSION = 1;

const VictimRefSchema = z.strictObject({
  id: z.string(),
  /** Request p99.9 of each run, µs: seedsPerReference runs of reference A, then as many of B. */
  p999Us: z.array(z.number().nonnegative()),
  p99Us: z.array(z.number().nonnegative()),
});

export const ReferenceFileSchema = z.strictObject({
  version: z.literal(REFERENCE_VERSION),
  generatedBy: z.string(),
  generator: z.strictObject({ version: z.number().int(), seeds: z.array(z.number().int()), sets: z.array(z.string()) }),
  sim: z.strictObject({
    durationMs: z.number().int().positive(),
    warmupMs: z.number().int().nonnegative(),
    seedsPerReference: z.number().int().min(3),
    /** Hash of two short fixed simulations: changes when the simulator's behaviour does. */
    fingerprint: z.string(),
  }),
  compositions: z.array(z.strictObject({ id: z.string(), scenarioHash: z.string(), victims: z.array(VictimRefSchema) })),
});
export type ReferenceFile = z.infer<typeof ReferenceFileSchema>;

/** fnv1a hashes a string to 8 hex digits (identity checks, not security). */
export function fnv1a(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/** scenarioHash identifies a drawn composition, so a changed generator cannot pass for the old. */
export function scenarioHash(c: Composition): string {
  return fnv1a(JSON.stringify(c.scenario));
}

function runSeed(c: Composition, ref: number, k: number): number {
  return Number.parseInt(fnv1a(`${c.id}|${ref}|${k}`), 16) & 0x7fffffff;
}

/** referenceJobs lists the runs of each composition: A's seeds, then B's. */
export function referenceJobs(comps: readonly Composition[], spec: ReferenceSpec = REFERENCE_SPEC): SimJob[] {
  return comps.flatMap((c) =>
    [0, 1].flatMap((ref) =>
      Array.from({ length: spec.seedsPerReference }, (_, k) => ({
        scenario: { ...c.scenario, durationMs: spec.durationMs, warmupMs: spec.warmupMs, seed: runSeed(c, ref, k) },
      })),
    ),
  );
}

/** fingerprintJson: a run's result without eventsProcessed (see simFingerprint). */
function fingerprintJson(runs: readonly HostSimResult[]): string {
  return fnv1a(JSON.stringify(runs.map(({ eventsProcessed: _, ...r }) => r)));
}

/** oneQueueRuns: the short fixed 3-core host under each scheduler (one credit2 run queue). */
function oneQueueRuns(): HostSimResult[] {
  const vms = [
    { id: "io", vcpus: 1, memoryMiB: 1, workload: { kind: "io", requestsPerSec: 1000, serviceUs: 60 } },
    ...[0.5, 0.8, 1].map((d, i) => ({ id: `c${i}`, vcpus: 1 + (i % 2), memoryMiB: 1, workload: { kind: "cpu", dutyCycle: d, burstMs: 7 } })),
  ];
  return (["xen-credit", "kvm-cfs", "xen-credit2", "kvm-eevdf"] as const).map((kind) =>
    simulateHost(ScenarioSchema.parse({ host: { id: "fp", cores: 3, memoryMiB: 1, scheduler: { kind } }, vms, durationMs: 2000, warmupMs: 200, seed: 7 })),
  );
}

/**
 * oneQueueFingerprint is the fingerprint as it was before session 22: the 3-core host alone. It
 * names every simulator whose hosts of one credit2 run queue behave alike, so the shipped model,
 * fitted before the balance-load fix, can be checked against it (test/interference/calibration).
 */
export function oneQueueFingerprint(): string {
  return fingerprintJson(oneQueueRuns());
}

/**
 * simFingerprint runs one short fixed host under each scheduler, and a 2-queue credit2 host, and
 * hashes the results, all but eventsProcessed: that counts the simulator's own work (main's quiet
 * CFS ticks cut it with every result identical), not what a host does, and the data made with it
 * stays valid.
 */
export function simFingerprint(): string {
  const runs = oneQueueRuns();
  // credit2 balances only between run queues, and a queue holds at most 16 pCPUs: the 3-core host
  // has one, so a change to the balancer (session 22's balance load) would pass unseen. A short
  // 2-queue host, unevenly loaded so that the balancer acts, covers it.
  const queued = [
    ...[0, 1, 2].map((i) => ({ id: `io${i}`, vcpus: 2, memoryMiB: 1, workload: { kind: "io", requestsPerSec: 2000, serviceUs: 80 } })),
    ...[1, 0.9, 0.6, 0.3].map((d, i) => ({ id: `c${i}`, vcpus: 4 + i, memoryMiB: 1, workload: { kind: "cpu", dutyCycle: d, burstMs: 5 } })),
  ];
  runs.push(simulateHost(ScenarioSchema.parse({ host: { id: "fp2", cores: 20, memoryMiB: 1, scheduler: { kind: "xen-credit2" } }, vms: queued, durationMs: 1500, warmupMs: 200, seed: 7 })));
  return fingerprintJson(runs);
}

type RefEntry = ReferenceFile["compositions"][number];

/**
 * reusableEntries: the entries of an earlier reference that a rebuild may keep, by composition id.
 * Only a file made with the same spec and simulator fingerprint qualifies (its runs are then the
 * runs a rebuild would make, since run seeds follow from composition ids); assembleReference
 * still checks each entry's scenario hash.
 */
export function reusableEntries(file: ReferenceFile | undefined, spec: ReferenceSpec = REFERENCE_SPEC): Map<string, RefEntry> {
  const same = file && file.sim.durationMs === spec.durationMs && file.sim.warmupMs === spec.warmupMs && file.sim.seedsPerReference === spec.seedsPerReference && file.sim.fingerprint === simFingerprint();
  return new Map(same ? file.compositions.map((c) => [c.id, c]) : []);
}

/**
 * multiQueueCredit2 selects the compositions on a credit2 host of more than one run queue: the
 * only hosts where a change to credit2's run-queue choice (balancing, initial placement) can act.
 * On one queue every pick is that queue, which oneQueueFingerprint checks.
 */
export function multiQueueCredit2(c: Composition): boolean {
  const s = c.scenario.host.scheduler;
  return s.kind === "xen-credit2" && c.scenario.host.cores > s.maxCpusPerRunqueue;
}

/**
 * keptAcrossChange: the entries of a reference made by an earlier simulator that a rebuild may keep
 * after a change that can only act on the compositions `touched` selects (session 22's balance
 * load, session 24's initial placement: both multiQueueCredit2). Unlike reusableEntries it does
 * not ask for the same fingerprint, since the fingerprint is what the change moved; the caller
 * vouches for `touched`, and a sample of kept entries should be re-simulated to check it. The
 * spec must be the same and each kept entry's scenario hash must match its composition.
 */
export function keptAcrossChange(
  file: ReferenceFile,
  comps: readonly Composition[],
  touched: (c: Composition) => boolean,
  spec: ReferenceSpec = REFERENCE_SPEC,
): Map<string, RefEntry> {
  if (file.sim.durationMs !== spec.durationMs || file.sim.warmupMs !== spec.warmupMs || file.sim.seedsPerReference !== spec.seedsPerReference)
    throw new Error("reference: made with another run spec, so no entry of it can be kept");
  const byId = new Map(file.compositions.map((e) => [e.id, e]));
  const kept = new Map<string, RefEntry>();
  for (const c of comps) {
    const e = byId.get(c.id);
    if (e && !touched(c) && e.scenarioHash === scenarioHash(c)) kept.set(c.id, e);
  }
  return kept;
}

/** toSimulate: the compositions a rebuild must simulate (those no reusable entry covers). */
export function toSimulate(comps: readonly Composition[], reuse: ReadonlyMap<string, RefEntry>): Composition[] {
  return comps.filter((c) => reuse.get(c.id)?.scenarioHash !== scenarioHash(c));
}

/**
 * assembleReference turns the runs of referenceJobs(toSimulate(comps, reuse)) (in order) and the
 * reused entries into the reference file, in the order of comps.
 */
export function assembleReference(
  comps: readonly Composition[],
  results: readonly HostSimResult[],
  seeds: readonly number[],
  spec: ReferenceSpec = REFERENCE_SPEC,
  reuse: ReadonlyMap<string, RefEntry> = new Map(),
  sets: readonly CompositionSet[] = EVAL_SETS,
): ReferenceFile {
  const per = 2 * spec.seedsPerReference;
  const fresh = toSimulate(comps, reuse);
  if (results.length !== fresh.length * per) throw new Error(`reference: ${results.length} results for ${fresh.length} compositions`);
  const freshIndex = new Map(fresh.map((c, i) => [c.id, i]));
  return {
    version: REFERENCE_VERSION,
    generatedBy: "vmplace accuracy --rebuild-reference",
    generator: { version: GENERATOR_VERSION, seeds: [...seeds], sets: sets.map((s) => s.name) },
    sim: { ...spec, fingerprint: simFingerprint() },
    compositions: comps.map((c) => {
      const i = freshIndex.get(c.id);
      if (i === undefined) return reuse.get(c.id)!;
      const runs = results.slice(i * per, (i + 1) * per);
      return {
        id: c.id,
        scenarioHash: scenarioHash(c),
        victims: c.victims.map((id) => {
          const vs = runs.map((r) => r.vms.find((v) => v.id === id)?.requestLatency);
          if (vs.some((v) => v === undefined)) throw new Error(`reference: victim ${id} of ${c.id} missing from a result`);
          return { id, p999Us: vs.map((v) => v!.p999Us), p99Us: vs.map((v) => v!.p99Us) };
        }),
      };
    }),
  };
}

/** median of a small array (the lower middle for even lengths is not used: counts are odd). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** ReferenceCase is one victim of one composition with its two references, µs. */
export interface ReferenceCase {
  readonly composition: Composition;
  readonly victim: string;
  /** The reference: median p99.9 of run set A. */
  readonly simP999Us: number;
  /** The independent median of run set B (noise floor only). */
  readonly simP999BUs: number;
  readonly simP99Us: number;
}

/**
 * referenceCases joins drawn compositions with a reference file, checking that the file was made
 * from the same draws (same ids and scenario hashes) so a changed generator fails loudly.
 */
export function referenceCases(comps: readonly Composition[], file: ReferenceFile): ReferenceCase[] {
  const byId = new Map(file.compositions.map((c) => [c.id, c]));
  const k = file.sim.seedsPerReference;
  return comps.flatMap((c) => {
    const r = byId.get(c.id);
    if (!r) throw new Error(`reference file has no composition ${c.id}: rebuild it (vmplace accuracy --rebuild-reference)`);
    if (r.scenarioHash !== scenarioHash(c)) throw new Error(`composition ${c.id} differs from the one the reference was simulated for: the generator changed`);
    return r.victims.map((v) => ({
      composition: c,
      victim: v.id,
      simP999Us: median(v.p999Us.slice(0, k)),
      simP999BUs: median(v.p999Us.slice(k, 2 * k)),
      simP99Us: median(v.p99Us.slice(0, k)),
    }));
  });
}

export { EVAL_SEEDS };
