import { capacityFindings } from "../model/capacity.js";
import type { ClusterInput } from "../model/cluster.js";
import { parseCluster } from "../model/validate.js";

/**
 * generatedSummary: what `vmplace generate` tells on stderr about the document it wrote: its size
 * and, like `validate`, whether its demand fits its capacity (a generated cluster with 473x more
 * memory demand than capacity is well-formed, but no placement of it can be whole).
 */
export function generatedSummary(doc: ClusterInput, out: string | undefined): string {
  const r = parseCluster(doc);
  const where = out === undefined ? "" : ` to ${out}`;
  if (!r.ok) return `generate: wrote${where} a document with ${r.problems.length} problem(s); run vmplace validate on it\n`;
  const c = r.value;
  const lines = [`generate: wrote${where} ${c.hosts.length} host(s), ${c.vms.length} VM(s), ${c.constraints.length} constraint(s)`];
  for (const f of capacityFindings(c)) lines.push(`generate: ${f.level}: ${f.message}`);
  return `${lines.join("\n")}\n`;
}
