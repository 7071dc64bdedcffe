import type { ImportFormat, Skip, VmInput } from "./options.js";
import { DEFAULT_HOST } from "./assemble.js";

/** ImportSummary says what an import read, made and left out: printed by the CLI, checked by tests. */
export interface ImportSummary {
  format: ImportFormat | "prometheus";
  /** What was read, when it was not files (a Prometheus server and window). */
  source?: string;
  filesRead: number;
  vms: number;
  hosts: number;
  samplesRead: number;
  /** Bad rows and files reported (skipped with --skip-bad, fatal otherwise). */
  problems: number;
  skipped: Skip[];
  outsideWindow: number;
  limitReached: boolean;
  /** VMs per workload class (the `class` label). */
  classes: Record<string, number>;
  /** VMs per size, as "2 vCPU / 4 GiB". */
  sizes: Record<string, number>;
  /** How the VMs got their sizes and the cluster its hosts, in words. */
  sizing: string;
  hostsFrom: string;
}

/** tally counts VMs by a key, keys in first-seen order (input order is deterministic). */
export function tally(vms: readonly VmInput[], key: (vm: VmInput) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const vm of vms) out[key(vm)] = (out[key(vm)] ?? 0) + 1;
  return out;
}

export function sizeKey(vm: { vcpus: number; memoryMiB: number }): string {
  const gib = vm.memoryMiB / 1024;
  return `${vm.vcpus} vCPU / ${Number.isInteger(gib) ? gib : gib.toFixed(2)} GiB`;
}

export function generatedHostsText(n: number): string {
  return (
    `no --hosts: generated ${n} default host(s) (${DEFAULT_HOST.cores} cores, ${DEFAULT_HOST.memoryMiB / 1024} GiB, ` +
    `xen-credit), enough to hold the VMs by first-fit decreasing at the default policy`
  );
}

const MAX_LISTED_SKIPS = 10;

/** renderSummary gives the lines the CLI prints on stderr after an import. */
export function renderSummary(s: ImportSummary): string[] {
  const list = (r: Record<string, number>): string =>
    Object.entries(r).map(([k, n]) => `${k} x${n}`).join(", ") || "none";
  const lines = [
    `read ${s.source ?? `${s.filesRead} file(s) as ${s.format}`}: ${s.vms} VM(s), ${s.hosts} host(s)` +
      (s.samplesRead > 0 ? `, ${s.samplesRead} utilisation samples` : ""),
  ];
  if (s.problems > 0) lines.push(`${s.problems} bad row(s) or file(s) reported`);
  if (s.limitReached) lines.push("stopped at --limit: later input was not read");
  if (s.outsideWindow > 0) lines.push(`${s.outsideWindow} VM(s) not alive in --window left out`);
  if (s.skipped.length > 0) {
    lines.push(`${s.skipped.length} VM(s) left out:`);
    for (const k of s.skipped.slice(0, MAX_LISTED_SKIPS)) lines.push(`  ${k.what}: ${k.why}`);
    if (s.skipped.length > MAX_LISTED_SKIPS) lines.push(`  ... and ${s.skipped.length - MAX_LISTED_SKIPS} more`);
  }
  if (s.vms > 0) {
    lines.push(`classes: ${list(s.classes)}`);
    lines.push(`sizes (${s.sizing}): ${list(s.sizes)}`);
  }
  lines.push(`hosts: ${s.hostsFrom}`);
  return lines;
}
