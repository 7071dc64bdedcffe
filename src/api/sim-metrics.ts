import type { QueueStats, SimJobReturn } from "../runtime/sim-queue.js";
import { family, gauge, newHistogram, observeHistogram, renderHistogram } from "./metrics.js";

/**
 * SimQueueMetrics shows the Redis simulation queue on /metrics (`vmplace serve --redis`): its
 * depth and workers read at scrape time, and the latency of every job that finished on the queue
 * while this server watched, whoever submitted it (the queue is shared; do not sum it over
 * replicas). Latency is from submission to the result, and its run part on the worker's thread.
 */
export class SimQueueMetrics {
  private readonly total = newHistogram();
  private readonly run = newHistogram();

  observe(ret: Pick<SimJobReturn, "queuedMs" | "runMs">): void {
    observeHistogram(this.total, Math.max(0, ret.queuedMs + ret.runMs) / 1000);
    observeHistogram(this.run, Math.max(0, ret.runMs) / 1000);
  }

  render(s: QueueStats): string {
    const out: string[] = [];
    gauge(out, "vmplace_sim_queue_depth", "Simulation jobs waiting for a worker (waiting, prioritized and delayed retries).", s.waiting + s.delayed);
    gauge(out, "vmplace_sim_queue_active", "Simulation jobs a worker is running now.", s.active);
    gauge(out, "vmplace_sim_queue_failed", "Simulation jobs that used up their attempts and are still kept.", s.failed);
    gauge(out, "vmplace_sim_workers", "vmplace worker processes connected to the queue.", s.workers);
    family(out, "vmplace_sim_job_latency_seconds", "histogram", "Queue job from submission to result, over every job finished while this server watched.");
    renderHistogram(out, "vmplace_sim_job_latency_seconds", "", this.total);
    family(out, "vmplace_sim_job_run_seconds", "histogram", "The simulation part of each job, on the worker's thread.");
    renderHistogram(out, "vmplace_sim_job_run_seconds", "", this.run);
    return `${out.join("\n")}\n`;
  }
}
