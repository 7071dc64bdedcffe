import { z } from "zod";

/** IoPartSchema: Poisson (or fixed-interval) requests, each needing serviceUs of CPU. */
export const IoPartSchema = z.strictObject({
  requestsPerSec: z.number().positive().max(1_000_000),
  serviceUs: z.number().positive().max(10_000_000),
  /** poisson: exponential inter-arrivals; fixed: one request every 1/requestsPerSec (a ping). */
  arrival: z.enum(["poisson", "fixed"]).default("poisson"),
});

/** CpuPartSchema: bursts of mean burstMs separated by sleeps that give the duty cycle. */
export const CpuPartSchema = z.strictObject({
  /** Fraction of time the VM wants a vCPU, in (0, 1]; 1 never sleeps. */
  dutyCycle: z
    .number()
    .refine((d) => d > 0 && d <= 1, "dutyCycle must be in (0, 1]: a fraction, not a percentage"),
  burstMs: z.number().positive().max(10_000).default(10),
  /**
   * exponential: bursts and sleeps drawn from exponentials of their means (the default);
   * jitter: fixed lengths with +-20% uniform jitter, the fidelity spec's model.
   */
  burstDistribution: z.enum(["exponential", "jitter"]).default("exponential"),
});

export const IoWorkloadSchema = IoPartSchema.extend({ kind: z.literal("io") });
export const CpuWorkloadSchema = CpuPartSchema.extend({ kind: z.literal("cpu") });
export const MixedWorkloadSchema = z.strictObject({
  kind: z.literal("mixed"),
  io: IoPartSchema,
  cpu: CpuPartSchema,
});
export const TraceWorkloadSchema = z.strictObject({
  kind: z.literal("trace"),
  /** Length of each sample of the series, in seconds (PlanetLab and Bitbrains use 300). */
  intervalSec: z.number().positive().default(300),
  /** Mean CPU utilisation of the VM (percent of its vCPUs) in each interval. */
  utilisationPercent: z.array(z.number().min(0).max(100)).min(1),
  burstMs: z.number().positive().max(10_000).default(10),
  io: IoPartSchema.optional(),
  /** Where attribution is due (e.g. the PlanetLab / CloudSim citation). */
  source: z.string().optional(),
});
export const IdleWorkloadSchema = z.strictObject({ kind: z.literal("idle") });
/**
 * ProbeWorkloadSchema: the Bobtail instance probe as a guest thread (`vmplace probe --simulate`):
 * on the VM's first vCPU it sleeps sleepUs, wakes, runs serviceUs, and measures how late it woke
 * (the oversleep). An optional io part keeps the tenant's own requests on the same vCPUs.
 */
export const ProbeWorkloadSchema = z.strictObject({
  kind: z.literal("probe"),
  sleepUs: z.number().int().min(1).max(1_000_000).default(100),
  /** CPU of one iteration (timer interrupt, clock reads, loop), measured ~5 us on a 2-core machine. */
  serviceUs: z.number().int().min(1).max(10_000).default(5),
  /** Oversleeps at or above this count as long (the result's overThreshold). */
  thresholdMs: z.number().positive().max(10_000).default(10),
  io: IoPartSchema.optional(),
});

/**
 * TickDodgeWorkloadSchema: the tick-dodging attacker of Xen commit 78c9b2a64b (fidelity E3). Each
 * vCPU keeps a grid of tickMs in step with the host's scheduler tick (it reads the TSC): it wants
 * the CPU from wakeAfterUs past each grid point until runUntilMs past it, then blocks until just
 * after the next one, so a tick that samples whoever runs never finds it on the CPU. It works by
 * the wall clock: time it loses to a competitor is not made up, and when it gets the CPU only
 * after its run window has closed it blocks at once. Under credit1 with sampling accounting it is
 * never debited; with exact accounting it is, but only a tick can put it on the active list.
 */
export const TickDodgeWorkloadSchema = z
  .strictObject({
    kind: z.literal("tick-dodge"),
    /** The tick period it dodges: credit1's tick is timeslice / 3, 10 ms by default. */
    tickMs: z.number().positive().max(1000).default(10),
    /** How far into each period it runs before blocking (9.5 ms in the commit's example). */
    runUntilMs: z.number().positive().max(1000).default(9.5),
    /** How long after each tick it wakes: it must be past the tick to dodge it. */
    wakeAfterUs: z.number().int().min(1).max(1_000_000).default(50),
    /**
     * Until this time it runs flat out (as while it finds the tick phase), so ticks do catch it
     * and, under exact accounting, put it on the active list. 0 dodges from boot: no tick ever
     * catches it (the exact-accounting loophole).
     */
    dodgeFromMs: z.number().min(0).max(86_400_000).default(0),
  })
  .refine((w) => w.runUntilMs * 1000 > w.wakeAfterUs && w.runUntilMs < w.tickMs, {
    message: "runUntilMs must lie after wakeAfterUs and before the next tick (below tickMs)",
    path: ["runUntilMs"],
  });

export const WorkloadSchema = z.discriminatedUnion("kind", [
  IoWorkloadSchema,
  CpuWorkloadSchema,
  MixedWorkloadSchema,
  TraceWorkloadSchema,
  IdleWorkloadSchema,
  ProbeWorkloadSchema,
  TickDodgeWorkloadSchema,
]);

export type IoPart = z.infer<typeof IoPartSchema>;
export type CpuPart = z.infer<typeof CpuPartSchema>;
export type Workload = z.infer<typeof WorkloadSchema>;
export type WorkloadKind = Workload["kind"];

// A record over every kind, so a kind added to WorkloadSchema and not here fails to compile.
const KINDS: Record<WorkloadKind, true> = { io: true, cpu: true, mixed: true, trace: true, idle: true, probe: true, "tick-dodge": true };
/** WORKLOAD_KINDS: every workload kind, for schemas keyed by kind. */
export const WORKLOAD_KINDS = Object.keys(KINDS) as [WorkloadKind, ...WorkloadKind[]];
export type TraceWorkload = z.infer<typeof TraceWorkloadSchema>;
export type ProbeWorkload = z.infer<typeof ProbeWorkloadSchema>;
export type TickDodgeWorkload = z.infer<typeof TickDodgeWorkloadSchema>;

/** ioPartOf returns the latency-sensitive part of a workload, if it has one. */
export function ioPartOf(w: Workload): IoPart | undefined {
  switch (w.kind) {
    case "io":
      return w;
    case "mixed":
      return w.io;
    case "trace":
    case "probe":
      return w.io;
    default:
      return undefined;
  }
}

/** meanTraceUtilisation is the average of a trace series as a fraction in [0, 1]. */
export function meanTraceUtilisation(w: TraceWorkload): number {
  let s = 0;
  for (const u of w.utilisationPercent) s += u;
  return s / w.utilisationPercent.length / 100;
}

/**
 * cpuDemandVcpus is the mean CPU the workload wants, in vCPUs, if it ran alone.
 * Used for capacity summaries and the interference scorer, never by the simulator.
 */
export function cpuDemandVcpus(w: Workload, vcpus: number): number {
  const io = ioPartOf(w);
  const ioDemand = io ? (io.requestsPerSec * io.serviceUs) / 1e6 : 0;
  switch (w.kind) {
    case "io":
      return Math.min(vcpus, ioDemand);
    case "cpu":
      return vcpus * w.dutyCycle;
    case "mixed":
      return Math.min(vcpus, vcpus * w.cpu.dutyCycle + ioDemand);
    case "trace":
      return Math.min(vcpus, vcpus * meanTraceUtilisation(w) + ioDemand);
    case "idle":
      return 0;
    case "probe":
      return Math.min(vcpus, ioDemand + w.serviceUs / (w.sleepUs + w.serviceUs));
    case "tick-dodge":
      return (vcpus * (w.runUntilMs * 1000 - w.wakeAfterUs)) / (w.tickMs * 1000);
  }
}
