import { scoreCluster, type ScoreReport } from "../../interference/score.js";
import type { Predictor } from "../../interference/predictor.js";
import type { Cluster } from "../../model/cluster.js";
import type { MigrationPlan } from "../../model/migration.js";
import { resultStatus, shortfall } from "../../model/status.js";
import type { Audit, AuditSummary } from "./schemas.js";

/** auditOf scores a fresh cluster and attaches the recommendation (the caller plans it). */
export function auditOf(id: number, cluster: Cluster, predictor: Predictor, meta: { startedAt: string; finishedAt: string; source: string }, recommendation?: MigrationPlan): Audit {
  const report = scoreCluster(cluster, predictor);
  const perHost = hostsOf(report);
  const breaches = report.vms.filter((v) => v.breach).length;
  return {
    ...resultStatus(shortfall("breach", breaches, `${breaches} latency-sensitive VM(s) predicted over their SLO`)),
    id,
    ...meta,
    ok: true,
    hosts: cluster.hosts.length,
    vms: cluster.vms.length,
    breaches,
    hostsAtRisk: perHost.filter((h) => h.breaches > 0).length,
    perHost,
    breaching: report.vms.filter((v) => v.breach).map((v) => ({ vmId: v.vmId, hostId: v.hostId, predictedP999Us: v.predictedP999Us, sloRatio: v.sloRatio ?? 0 })),
    ...(recommendation && recommendation.moves.length > 0 ? { recommendation } : {}),
  };
}

function hostsOf(r: ScoreReport): Audit["perHost"] {
  const worst = new Map<string, number>();
  for (const v of r.vms) worst.set(v.hostId, Math.max(worst.get(v.hostId) ?? 0, v.predictedP999Us));
  return r.hosts
    .map((h) => ({ hostId: h.hostId, level: h.level, bobtail: h.bobtail, vms: h.vms, ...(worst.has(h.hostId) ? { predictedP999Us: worst.get(h.hostId)! } : {}), breaches: h.breaches }))
    .sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0));
}

/** failedAudit records an audit whose source could not be read. */
export function failedAudit(id: number, meta: { startedAt: string; finishedAt: string; source: string }, error: string): Audit {
  // The fleet's state is unknown, so there is no result status to give: ok is false instead.
  return { id, ...meta, ok: false, error, hosts: 0, vms: 0, breaches: 0, hostsAtRisk: 0, perHost: [], breaching: [] };
}

export function summaryOf(a: Audit): AuditSummary {
  const { perHost: _h, breaching: _b, recommendation, ...rest } = a;
  return { ...rest, recommendedMoves: recommendation?.moves.length ?? 0 };
}

/** AuditLog keeps the latest audits, newest last, and the latest that succeeded. */
export class AuditLog {
  private readonly audits: Audit[] = [];
  latestOk?: Audit;
  runs = 0;
  failures = 0;
  lastDurationSec = 0;

  constructor(private readonly keep: number) {}

  add(a: Audit, durationSec: number): void {
    this.audits.push(a);
    if (this.audits.length > this.keep) this.audits.shift();
    this.runs++;
    this.lastDurationSec = durationSec;
    if (a.ok) this.latestOk = a;
    else this.failures++;
  }

  get latest(): Audit | undefined {
    return this.audits[this.audits.length - 1];
  }

  get(id: number): Audit | undefined {
    return this.audits.find((a) => a.id === id);
  }

  list(): AuditSummary[] {
    return this.audits.map(summaryOf).reverse();
  }
}

const LEVEL = { none: 0, low: 1, elevated: 2, high: 3 } as const;

/**
 * renderAuditMetrics: the latest successful audit as Prometheus gauges, one series per host, so
 * an alert can fire on a breach before a user sees it. Host ids are the cluster's own (bounded by
 * the fleet), never request data.
 */
export function renderAuditMetrics(log: AuditLog): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string): void => void out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  family("vmplace_audit_runs_total", "counter", "Audits run (refresh, score, recommend).");
  out.push(`vmplace_audit_runs_total ${log.runs}`);
  family("vmplace_audit_failures_total", "counter", "Audits whose source could not be read or planned.");
  out.push(`vmplace_audit_failures_total ${log.failures}`);
  family("vmplace_audit_duration_seconds", "gauge", "How long the latest audit took.");
  out.push(`vmplace_audit_duration_seconds ${log.lastDurationSec}`);
  const a = log.latestOk;
  if (!a) return `${out.join("\n")}\n`;
  family("vmplace_audit_last_success_timestamp_seconds", "gauge", "When the latest successful audit finished (unix seconds).");
  out.push(`vmplace_audit_last_success_timestamp_seconds ${Date.parse(a.finishedAt) / 1000}`);
  family("vmplace_audit_breaches", "gauge", "Latency-sensitive VMs predicted over their SLO.");
  out.push(`vmplace_audit_breaches ${a.breaches}`);
  family("vmplace_audit_recommended_moves", "gauge", "Migrations the latest audit recommends.");
  out.push(`vmplace_audit_recommended_moves ${a.recommendation?.moves.length ?? 0}`);
  family("vmplace_host_predicted_p999_seconds", "gauge", "Worst predicted request p99.9 of a host's latency-sensitive VMs.");
  for (const h of a.perHost) if (h.predictedP999Us !== undefined) out.push(`vmplace_host_predicted_p999_seconds{host="${esc(h.hostId)}"} ${h.predictedP999Us / 1e6}`);
  family("vmplace_host_slo_breaches", "gauge", "Latency-sensitive VMs on a host predicted over their SLO.");
  for (const h of a.perHost) out.push(`vmplace_host_slo_breaches{host="${esc(h.hostId)}"} ${h.breaches}`);
  family("vmplace_host_risk_level", "gauge", "A host's interference risk: 0 none, 1 low, 2 elevated, 3 high.");
  for (const h of a.perHost) out.push(`vmplace_host_risk_level{host="${esc(h.hostId)}"} ${LEVEL[h.level]}`);
  family("vmplace_host_bobtail", "gauge", "1 when a host is in the Bobtail condition (sleepy CPU-bound vCPUs outnumber its cores under Xen credit).");
  for (const h of a.perHost) out.push(`vmplace_host_bobtail{host="${esc(h.hostId)}"} ${h.bobtail ? 1 : 0}`);
  return `${out.join("\n")}\n`;
}

function esc(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
