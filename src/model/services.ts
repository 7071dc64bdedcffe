import { z } from "zod";
import type { Vm } from "./cluster.js";
import { IdSchema } from "./ids.js";
import type { Problem } from "./problems.js";
import { ioPartOf } from "./workload.js";

/**
 * ServiceSchema: VMs that serve one request together. A request goes to `fanout` of the members,
 * chosen uniformly at random, and completes when the slowest of them answers, so the service's
 * tail is the tail of a maximum (The Tail at Scale): 1% slow requests per member become 63% slow
 * requests at a fan-out of 100. The SLO bounds the service's request percentile.
 */
export const ServiceSchema = z.strictObject({
  id: IdSchema,
  vms: z.array(IdSchema).min(1, "must name at least one VM"),
  fanout: z.number().int().min(1),
  slo: z
    .strictObject({
      p99Ms: z.number().positive().optional(),
      p999Ms: z.number().positive().optional(),
    })
    .refine((s) => s.p99Ms !== undefined || s.p999Ms !== undefined, "give p99Ms, p999Ms or both"),
});
export type Service = z.infer<typeof ServiceSchema>;

/**
 * serviceProblems: what the schema cannot see. Members must exist, appear once, belong to one
 * service only, and have an io part (a service's tail is its members' request latency); the
 * fan-out cannot exceed the members.
 */
export function serviceProblems(services: readonly (Service | undefined)[], vms: readonly (Vm | undefined)[], knownVmIds: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(vms.filter((v): v is Vm => v !== undefined).map((v) => [v.id, v]));
  const owner = new Map<string, string>();
  const ids = new Set<string>();
  services.forEach((s, k) => {
    if (s === undefined) return;
    const at = `services[${k}]`;
    if (ids.has(s.id)) problems.push({ path: `${at}.id`, message: `duplicate service id "${s.id}"` });
    ids.add(s.id);
    if (s.fanout > s.vms.length) problems.push({ path: `${at}.fanout`, message: `fan-out ${s.fanout} is more than the service's ${s.vms.length} VM(s)` });
    const seen = new Set<string>();
    s.vms.forEach((id, m) => {
      const path = `${at}.vms[${m}]`;
      if (!knownVmIds.has(id)) return void problems.push({ path, message: `unknown VM "${id}"` });
      if (seen.has(id)) return void problems.push({ path, message: `VM "${id}" is named twice` });
      seen.add(id);
      const other = owner.get(id);
      if (other !== undefined && other !== s.id) problems.push({ path, message: `VM "${id}" already belongs to service "${other}" (a VM serves one service)` });
      owner.set(id, s.id);
      const vm = byId.get(id);
      if (vm && !ioPartOf(vm.workload)) problems.push({ path, message: `VM "${id}" has no io part: a service's tail is its members' request latency (give its workload requests)` });
    });
  });
  return problems;
}
