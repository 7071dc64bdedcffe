import type { HostRisk, ScoreReport, VmRisk } from "../interference/score.js";
import type { ServiceTail } from "../model/objectives.js";
import type { Violation } from "../model/plan.js";
import { serviceText } from "../model/service-text.js";
import { violationText } from "../model/violation-text.js";

// The terminal lists this many violations; --json has every one.
const MAX_VIOLATIONS = 20;

const ms = (us: number): string => (us / 1000).toFixed(us < 10000 ? 2 : 1);

/** hostReason turns a host's composition into the sentence an operator reads. */
export function hostReason(h: HostRisk): string {
  const slice = h.timesliceMs !== undefined ? ` with ${h.timesliceMs} ms slices` : "";
  const mix = `${h.sleepyCpuVcpus} sleepy CPU-intensive vCPU(s) (mean duty ${(h.meanSleeperDuty * 100).toFixed(0)}%, bursts ${h.meanSleeperBurstMs} ms) and ${h.hogVcpus} never-sleeping on ${h.cores} cores under ${h.scheduler}${slice}`;
  if (h.bobtail) return `${mix}: Bobtail condition (sleepy CPU-intensive vCPUs plus a victim's vCPU outnumber the cores)`;
  return mix;
}

// REASONS words the mechanism codes of bobtail.ts.
const REASONS: Record<string, string> = {
  bobtail: "boosted sleepy CPU-bound neighbours hold every core for up to a timeslice",
  "intra-vm-boost-failure": "its own CPU work keeps its vCPU from blocking, so its IO is not boosted",
  "hogs-exact-accounting": "a light vCPU can drift OVER beside never-sleeping hogs (exact accounting)",
  "sleepers-below-cores": "one sleepy vCPU short of the Bobtail condition",
  "cfs-fresh-sleeper": "cores are full; a freshly woken CPU-bound neighbour cannot be preempted for up to a slice",
  "credit2-bounded": "cores are full; a runner's rate limit (or, rarely, more credit) holds the waker, at most its 10 ms timer",
  "eevdf-bounded": "cores are full; a runner keeps its core for the rest of its slice (RUN_TO_PARITY)",
  "no-contention": "an idle or preemptible core is almost always near",
  "own-load": "its own requests break the SLO even alone on an idle host (more vCPUs or a looser SLO, not a move, fixes it)",
  "driver-hop": "most of its delay is the driver domain's hop (the driver's vCPUs are busy or wait to run)",
};

/** vmLine renders one latency-sensitive VM's estimate and bound against its SLO, and why. */
export function vmLine(v: VmRisk): string {
  const slo = v.sloP999Us !== undefined ? ` vs SLO ${ms(v.sloP999Us)} ms` : v.sloP99Us !== undefined ? ` (p99 ${ms(v.predictedP99Us)} ms, bound ${ms(v.boundP99Us)} ms vs SLO ${ms(v.sloP99Us)} ms)` : "";
  const verdict = v.breach ? "BREACH" : v.level === "none" ? "ok" : v.level === "elevated" ? "at risk (bound over SLO)" : v.level;
  const mech = v.pAllCoresHeld > 0.001 ? `; all cores held ${(v.pAllCoresHeld * 100).toFixed(1)}% of wake-ups, then blocked ${(v.pBlockedWhenHeld * 100).toFixed(0)}% for ${ms(v.meanBlockedWaitUs)} ms on average` : "";
  const extra = v.outsideCalibration.length > 0 ? ` [bound widened: ${v.outsideCalibration.join("; ")}]` : "";
  const hop = v.driverHopP999Us !== undefined ? `, ${ms(v.driverHopP999Us)} ms of it in the driver domain` : "";
  return `  ${v.vmId.padEnd(14)} on ${v.hostId.padEnd(6)} predicted p99.9 ${ms(v.predictedP999Us)} ms${hop} (${(v.boundCoverage * 100).toFixed(1)}% bound ${ms(v.boundP999Us)} ms)${slo}  ${verdict}: ${REASONS[v.reason] ?? v.reason}${mech}${extra}`;
}

/** driverLine describes a host's driver domain and whether charging its work would help. */
export function driverLine(h: HostRisk): string {
  const d = h.driverDomain;
  if (d === undefined) return "";
  const load = `  driver domain ${d.name}: ${d.driverCpus.toFixed(2)} CPU for ${d.guests.length} io guest(s) on ${d.vcpus} vCPU(s) (${(100 * d.utilisation).toFixed(0)}% busy), charging ${d.chargeDriverWork ? "on" : "off"}`;
  if (d.charging === undefined) return load;
  const advice = d.charging.wouldFix ? `; advice: ${d.charging.reason} (${d.charging.enforcement} under ${h.scheduler})` : `; ${d.charging.reason}`;
  return `${load}${advice}`;
}

/** renderScore prints hosts at risk (or all) worst first, then their latency-sensitive VMs. */
export function renderScore(r: ScoreReport & { violations?: readonly Violation[]; services?: readonly ServiceTail[] }, all: boolean): string {
  const hosts = all ? r.hosts : r.hosts.filter((h) => h.breaches > 0 || h.level === "high" || h.level === "elevated");
  const vms = all ? r.vms : r.vms.filter((v) => v.breach || v.level === "high" || v.level === "elevated");
  const lines: string[] = [];
  const breaches = r.vms.filter((v) => v.breach).length;
  const atRisk = r.vms.filter((v) => !v.breach && v.level === "elevated").length;
  const violations = r.violations ?? [];
  lines.push(`${r.hosts.length} hosts, ${r.vms.length} latency-sensitive VMs, ${breaches} predicted SLO breach(es), ${violations.length} hard-constraint violation(s), ${atRisk} more at risk (bound over SLO), ${r.hosts.filter((h) => h.bobtail).length} host(s) in the Bobtail condition`);
  for (const v of violations.slice(0, MAX_VIOLATIONS)) lines.push(`VIOLATION ${violationText(v)}`);
  if (violations.length > MAX_VIOLATIONS) lines.push(`... and ${violations.length - MAX_VIOLATIONS} more violation(s) (--json lists them all)`);
  if (hosts.length === 0) lines.push("no host at risk");
  for (const h of hosts) {
    lines.push(`host ${h.hostId}: risk ${h.level}, ${h.breaches} breach(es), ${h.atRisk} at risk, largest predicted p99.9 delay ${ms(h.delayP999Us)} ms`);
    lines.push(`  ${hostReason(h)}`);
    const driver = driverLine(h);
    if (driver !== "") lines.push(driver);
    for (const v of vms.filter((x) => x.hostId === h.hostId)) lines.push(vmLine(v));
  }
  for (const s of r.services ?? []) lines.push(serviceText(s));
  if (r.unplaced.length > 0) lines.push(`${r.unplaced.length} VM(s) without a current host were not scored`);
  return lines.join("\n");
}
