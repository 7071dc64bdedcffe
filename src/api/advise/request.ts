import { z } from "zod";
import { adviceProblems } from "../../advise/problems.js";
import { AdviceSettingsSchema, type AdviceSettings } from "../../model/advice.js";
import { ClusterSchema } from "../../model/cluster.js";
import { problemsFromZod, type ParseResult, type Problem } from "../../model/problems.js";
import { parseCluster } from "../../model/validate.js";

/** AdviceOptionsSchema: the CLI's advise flags other than the host. */
export const AdviceOptionsSchema = AdviceSettingsSchema.omit({ host: true });

/** AdviceRequestSchema: a cluster whose VMs carry their current host, optionally the one host to advise, and options. */
export const AdviceRequestSchema = z.strictObject({
  cluster: ClusterSchema,
  /** Advise this host only (even without a breach); default every host with a breach. */
  host: z.string().min(1).optional(),
  options: AdviceOptionsSchema.prefault({}),
});
export type AdviceRequest = z.infer<typeof AdviceRequestSchema>;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * parseAdviceRequest: the checks `vmplace advise` makes, in the same order and by the same
 * functions (parseCluster, the settings schema, adviceProblems), every problem at once, each
 * under "cluster.", "options." or "host".
 */
export function parseAdviceRequest(input: unknown): ParseResult<AdviceRequest> {
  if (!isRecord(input)) return { ok: false, problems: [{ path: "", message: 'expected an object with "cluster" (and "host", "options")' }] };
  const problems: Problem[] = Object.keys(input)
    .filter((k) => !["cluster", "host", "options"].includes(k))
    .map((k) => ({ path: "", message: `unknown field(s): ${k}` }));
  const c = input.cluster === undefined ? undefined : parseCluster(input.cluster);
  if (!c) problems.push({ path: "cluster", message: "required" });
  else if (!c.ok) problems.push(...c.problems.map((p) => ({ ...p, path: p.path === "" ? "cluster" : p.path.startsWith("[") ? `cluster${p.path}` : `cluster.${p.path}` })));
  const s = AdviceSettingsSchema.safeParse({ ...(isRecord(input.options) ? input.options : {}), host: input.host });
  if (input.options !== undefined && !isRecord(input.options)) problems.push({ path: "options", message: "expected an object" });
  else if (!s.success) problems.push(...problemsFromZod(s.error).map((p) => ({ ...p, path: p.path === "host" ? "host" : `options.${p.path}` })));
  if (problems.length > 0 || !c?.ok || !s.success) return { ok: false, problems };
  const more = adviceProblems(c.value, s.data).map((p) => ({ ...p, path: p.path === "vms" ? "cluster.vms" : p.path }));
  if (more.length > 0) return { ok: false, problems: more };
  const { host, ...options } = s.data;
  return { ok: true, value: { cluster: c.value, ...(host !== undefined ? { host } : {}), options } };
}

/** adviceSettingsOf: a request's host and options as the advisor's settings. */
export function adviceSettingsOf(r: AdviceRequest): AdviceSettings {
  return { ...r.options, ...(r.host !== undefined ? { host: r.host } : {}) };
}
