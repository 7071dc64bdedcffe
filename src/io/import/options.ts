import { z } from "zod";
import type { HostSchema, VmSchema } from "../../model/cluster.js";

export const VM_FORMATS = ["planetlab", "bitbrains", "azure-vmtable"] as const;
export const HOST_FORMATS = ["hosts-csv", "alibaba-nodes"] as const;
export const IMPORT_FORMATS = [...VM_FORMATS, ...HOST_FORMATS] as const;
export type VmFormat = (typeof VM_FORMATS)[number];
export type HostFormat = (typeof HOST_FORMATS)[number];
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function isHostFormat(f: ImportFormat): f is HostFormat {
  return (HOST_FORMATS as readonly string[]).includes(f);
}

/** WORKLOAD_CLASSES: `auto` lets a trace's own shape decide (see trace-workload.ts). */
export const WORKLOAD_CLASSES = ["auto", "interactive", "batch", "unknown"] as const;

/** SampleWindow selects sample indices [start, end) of every series; end undefined = to the end. */
export interface SampleWindow {
  start: number;
  end?: number;
}

/** WindowSchema reads `START:END` (either side may be empty); indices count samples from 0. */
export const WindowSchema = z
  .string()
  .regex(/^\d*:\d*$/, "must be START:END in sample indices, e.g. 0:144 (either side may be empty)")
  .transform((s, ctx): SampleWindow => {
    const [a, b] = s.split(":");
    const start = a === "" ? 0 : Number(a);
    const end = b === "" ? undefined : Number(b);
    if (end !== undefined && end <= start) ctx.addIssue({ code: "custom", message: `END must be above START in "${s}"` });
    return end === undefined ? { start } : { start, end };
  });

const count = z.coerce.number().int().min(1);

/**
 * ImportOptionsSchema validates the options of one import. Numbers are coerced so a front end may
 * pass them as text (query strings, flags); checks that depend on the format run once the shape is right.
 */
export const ImportOptionsSchema = z
  .strictObject({
    format: z.enum(IMPORT_FORMATS),
    limit: count.optional(),
    window: WindowSchema.optional(),
    seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1),
    vcpus: count.max(1024).optional(),
    memoryMiB: count.optional(),
    workloadClass: z.enum(WORKLOAD_CLASSES).default("auto"),
    skipBad: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    const only = (field: string, formats: string, ok: boolean): void => {
      if (!ok) ctx.addIssue({ code: "custom", path: [field], message: `applies only to --format ${formats}` });
    };
    only("vcpus", "planetlab (the other formats record sizes)", o.vcpus === undefined || o.format === "planetlab");
    only("memoryMiB", "planetlab (the other formats record sizes)", o.memoryMiB === undefined || o.format === "planetlab");
    const series = o.format === "planetlab" || o.format === "bitbrains";
    only("workloadClass", "planetlab or bitbrains (Azure records a category)", o.workloadClass === "auto" || series);
    only("window", "planetlab, bitbrains or azure-vmtable", o.window === undefined || !isHostFormat(o.format));
  });
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;
export type ImportOptionsInput = z.input<typeof ImportOptionsSchema>;

/** SourceFile is one input file: its path as the user should see it in errors, and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** baseName is the last segment of a path, `/` or `\\` separated: the name a VM takes from its file. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export type VmInput = z.input<typeof VmSchema>;
export type HostInput = z.input<typeof HostSchema>;

/** VmDraft is an imported VM before it gets its unique id: `name` is what the input called it. */
export interface VmDraft {
  name: string;
  vm: Omit<VmInput, "id">;
}

/** Skip records an input item left out and why, for the summary. */
export interface Skip {
  what: string;
  why: string;
}
