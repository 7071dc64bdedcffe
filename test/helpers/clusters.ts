import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClusterInput } from "../../src/model/cluster.js";

/** Small cluster documents for the exit-code and headline tests, written to a fresh folder. */

export const tmpDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

export function writeCluster(dir: string, name: string, c: ClusterInput): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(c, null, 2));
  return path;
}

const idle = (id: string, memoryMiB: number, host?: string) => ({ id, vcpus: 1, memoryMiB, workload: { kind: "idle" as const }, ...(host ? { host } : {}) });

/** The infeasible cluster: 2 hosts, memory demand 147% of capacity, a 3-way hard anti-affinity. */
export function infeasibleCluster(): ClusterInput {
  const hosts = [1, 2].map((k) => ({ id: `h${k}`, cores: 8, memoryMiB: 8192 }));
  const vms = ["a", "b", "c", "d", "e", "f"].map((id) => idle(id, 4014));
  return { hosts, vms, constraints: [{ kind: "anti-affinity", vms: ["a", "b", "c"] }] };
}

/** 39 VMs on one host at 2.5x its memory (and over its vCPUs), with two idle hosts beside it. */
export function overloadedCluster(): ClusterInput {
  const hosts = [1, 2, 3].map((k) => ({ id: `h${k}`, cores: 16, memoryMiB: 65536 }));
  const vms = Array.from({ length: 39 }, (_, k) => idle(`vm${String(k).padStart(2, "0")}`, 4201, "h1"));
  return { hosts, vms };
}

/** The sample's Bobtail hot spot (h07 and its seven VMs) alone: its breach has nowhere to go. */
export function lonelyHotSpot(): ClusterInput {
  const c = JSON.parse(readFileSync("data/sample-cluster.json", "utf8")) as Required<ClusterInput>;
  const vms = c.vms.filter((v) => v.host === "h07");
  return { hosts: c.hosts.filter((h) => h.id === "h07"), vms, policy: c.policy };
}
