import { z } from "zod";
import { SCHEDULER_KINDS, type SchedulerKind } from "../../model/scheduler.js";
import { problemsFromZod } from "../../model/problems.js";
import { readJsonFile, InputError } from "../load.js";
import { readSecret } from "../secrets.js";
import { readHosts } from "../import/run-import.js";
import { readText } from "../import/files.js";
import { WORKLOAD_CLASSES } from "../import/options.js";
import type { WorkloadClass } from "../import/trace-workload.js";
import { MappingFileSchema, PROFILE_NAMES, resolveMapping, type ProfileName } from "./mapping.js";
import type { PrometheusImportOptions } from "./import.js";

/** durationSec reads `90`, `90s`, `15m`, `1h` or `2d` as seconds. */
export const DurationSec = z
  .string()
  .regex(/^\d+(\.\d+)?(s|m|h|d)?$/, "must be a duration like 30s, 15m, 1h or 2d")
  .transform((s) => {
    const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(s)!;
    return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? "s") as "s" | "m" | "h" | "d"];
  })
  .refine((n) => n >= 1, "must be at least 1 s");

/**
 * PrometheusFlagsSchema: what `import --format prometheus` and `serve --source prometheus` are
 * given, as text (flags). Defaults: a 1 h window in 60 samples, each rate over at least 4
 * samples' span and a minute (two scrapes at Prometheus's default 30 s).
 */
export const PrometheusFlagsSchema = z
  .strictObject({
    url: z.string().min(1, "is required"),
    window: DurationSec.prefault("1h"),
    step: DurationSec.optional(),
    rateWindow: DurationSec.optional(),
    profile: z.enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]]).optional(),
    mapping: z.string().optional(),
    hosts: z.string().optional(),
    scheduler: z.enum(SCHEDULER_KINDS as [SchedulerKind, ...SchedulerKind[]]).optional(),
    bearerTokenFile: z.string().optional(),
    workloadClass: z.enum(WORKLOAD_CLASSES).default("auto"),
    skipBad: z.boolean().default(false),
  })
  .refine((o) => o.step === undefined || o.step <= o.window, { path: ["step"], message: "must not exceed --window" });
export type PrometheusFlags = z.input<typeof PrometheusFlagsSchema>;

/** A Prometheus source, everything read and checked, for any window end. */
export type PrometheusSource = Omit<PrometheusImportOptions, "endSec">;

/**
 * prometheusSource validates the flags and reads the files they name (mapping, hosts, token);
 * every problem is an InputError naming the flag. `flagOf` maps a field to what the user typed.
 */
export function prometheusSource(flags: PrometheusFlags, flagOf: (field: string) => string): PrometheusSource {
  const r = PrometheusFlagsSchema.safeParse(flags);
  if (!r.success) throw new InputError("invalid option(s)", problemsFromZod(r.error).map((p) => ({ ...p, path: flagOf(p.path) })));
  const f = r.data;
  const step = f.step ?? Math.max(1, Math.round(f.window / 60));
  const mapping = mappingOf(f.mapping, f.profile, flagOf);
  let hosts;
  if (f.hosts !== undefined) {
    const read = readHosts({ path: f.hosts, read: () => readText(f.hosts as string) });
    if (read.problems.length > 0) throw new InputError(`${flagOf("hosts")} ${f.hosts}: ${read.problems.length} problem(s)`, read.problems);
    hosts = read.hosts;
  }
  return {
    url: f.url,
    bearerToken: f.bearerTokenFile === undefined ? undefined : readSecret(f.bearerTokenFile, flagOf("bearerTokenFile")),
    mapping,
    windowSec: f.window,
    stepSec: step,
    rateWindowSec: f.rateWindow ?? Math.max(4 * step, 60),
    workloadClass: f.workloadClass as WorkloadClass | "auto",
    hosts,
    scheduler: f.scheduler,
    skipBad: f.skipBad,
  };
}

function mappingOf(path: string | undefined, profile: ProfileName | undefined, flagOf: (field: string) => string) {
  const raw = path === undefined ? {} : readJsonFile(path);
  const r = MappingFileSchema.safeParse(raw);
  if (!r.success) throw new InputError(`${flagOf("mapping")} ${path}: not a metric mapping`, problemsFromZod(r.error));
  if (profile !== undefined && path !== undefined && r.data.profile !== profile && (raw as { profile?: unknown }).profile !== undefined)
    throw new InputError(`${flagOf("profile")} ${profile} and the mapping file's "profile": "${r.data.profile}" disagree`);
  try {
    return resolveMapping({ ...r.data, profile: profile ?? r.data.profile });
  } catch (e) {
    if (e instanceof z.ZodError) throw new InputError(`${flagOf("mapping")} ${path}: not a metric mapping`, problemsFromZod(e));
    throw e;
  }
}
