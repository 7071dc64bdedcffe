import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { TaskPoolStats } from "../runtime/task-pool.js";

/** Latency buckets in seconds: fine below 50 ms (the /v1/place goal), coarse up to plan budgets. */
export const LATENCY_BUCKETS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export function newHistogram(): Histogram {
  return { counts: new Array<number>(LATENCY_BUCKETS_SEC.length).fill(0), sum: 0, count: 0 };
}

export function observeHistogram(h: Histogram, seconds: number): void {
  for (let k = 0; k < LATENCY_BUCKETS_SEC.length; k++) if (seconds <= LATENCY_BUCKETS_SEC[k]) h.counts[k]++;
  h.sum += seconds;
  h.count++;
}

const KNOWN_METHODS = new Set(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);

/**
 * Metrics keeps the service's counters in memory and renders them in the Prometheus text format
 * (version 0.0.4). Labels come only from route patterns, methods and status codes, never from
 * raw URLs, so a scan of random paths cannot blow up the series count.
 */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  inFlight = 0;
  private readonly offloads = new Map<string, number>();
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.loopDelay.enable();
  }

  /** observe counts one finished request; `route` is the matched pattern or "unmatched". */
  observe(method: string, route: string, status: number, seconds: number): void {
    const m = KNOWN_METHODS.has(method) ? method : "OTHER";
    const key = `method="${m}",route="${escapeLabel(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const hkey = `route="${escapeLabel(route)}"`;
    let h = this.latency.get(hkey);
    if (!h) {
      h = newHistogram();
      this.latency.set(hkey, h);
    }
    observeHistogram(h, seconds);
  }

  /** offloaded counts one request body parsed and answered in a worker thread. */
  offloaded(route: string): void {
    this.offloads.set(route, (this.offloads.get(route) ?? 0) + 1);
  }

  stop(): void {
    this.loopDelay.disable();
  }

  /** render gives the exposition text; the pool's numbers are read at scrape time. */
  render(pool: TaskPoolStats | undefined): string {
    const out: string[] = [];
    family(out, "vmplace_http_requests_total", "counter", "Finished HTTP requests by method, route pattern and status.");
    for (const [labels, n] of this.requests) out.push(`vmplace_http_requests_total{${labels}} ${n}`);
    family(out, "vmplace_http_request_duration_seconds", "histogram", "Time from request received to response sent.");
    for (const [labels, h] of this.latency) renderHistogram(out, "vmplace_http_request_duration_seconds", labels, h);
    gauge(out, "vmplace_http_requests_in_flight", "Requests being handled now.", this.inFlight);
    family(out, "vmplace_http_offloaded_bodies_total", "counter", "Large request bodies parsed and answered in a worker thread, by route.");
    for (const [route, n] of this.offloads) out.push(`vmplace_http_offloaded_bodies_total{route="${escapeLabel(route)}"} ${n}`);
    // The event loop must never stall (heavy work runs in workers); its delay shows if it does.
    gauge(out, "vmplace_event_loop_delay_p99_seconds", "p99 event-loop delay since start.", this.loopDelay.percentile(99) / 1e9);
    gauge(out, "vmplace_event_loop_delay_max_seconds", "Largest event-loop delay since start.", this.loopDelay.max / 1e9);
    if (pool) {
      gauge(out, "vmplace_task_pool_workers", "Worker threads for simulations and plans.", pool.size);
      gauge(out, "vmplace_task_pool_busy", "Workers running a task now.", pool.busy);
      gauge(out, "vmplace_task_pool_queued", "Tasks waiting for a worker.", pool.queued);
      family(out, "vmplace_task_pool_restarts_total", "counter", "Workers replaced after a timeout or crash.");
      out.push(`vmplace_task_pool_restarts_total ${pool.restarts}`);
    }
    return `${out.join("\n")}\n`;
  }
}

export function family(out: string[], name: string, type: string, help: string): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

export function gauge(out: string[], name: string, help: string, value: number): void {
  family(out, name, "gauge", help);
  out.push(`${name} ${Number.isFinite(value) ? value : 0}`);
}

export function renderHistogram(out: string[], name: string, labels: string, h: Histogram): void {
  const le = (bound: string): string => `{${labels ? `${labels},` : ""}le="${bound}"}`;
  const own = labels ? `{${labels}}` : "";
  LATENCY_BUCKETS_SEC.forEach((bound, k) => out.push(`${name}_bucket${le(String(bound))} ${h.counts[k]}`));
  out.push(`${name}_bucket${le("+Inf")} ${h.count}`, `${name}_sum${own} ${h.sum}`, `${name}_count${own} ${h.count}`);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
