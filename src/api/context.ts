import type { FastifyReply } from "fastify";
import type { Cluster } from "../model/cluster.js";
import type { RawBody } from "./offload.js";
import type { OffloadRoute } from "./work/offload.js";
import type { HostSimResult, Scenario } from "../model/scenario.js";
import type { Predictor } from "../interference/predictor.js";
import type { Metrics } from "./metrics.js";
import type { PreparedCluster } from "./place/prepared.js";
import type { TaskPool } from "../runtime/task-pool.js";
import type { TaskKind, TaskInput, TaskOutput, Tasks } from "./work/tasks.js";
import type { AuditLog } from "./fleet/audit.js";
import type { FleetState } from "./fleet/state.js";

/** ApiLimits: the service's protections against load and hostile input. */
export interface ApiLimits {
  /** Requests to /v1 and /k8s handled at once; one more is answered 503 with Retry-After. */
  maxConcurrent: number;
  /** Largest request body accepted, in bytes (a 10,000-VM cluster is about 3.5 MB). */
  bodyLimitBytes: number;
  /** Time budget of one request, in ms: work past it is abandoned and answered 504. */
  requestTimeoutMs: number;
  /** Bodies of at least this many bytes are parsed, validated and answered in a worker thread. */
  offloadBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxConcurrent: 64,
  bodyLimitBytes: 8 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  // About 180 VMs: parsing and checking that much on the event loop costs a few ms, less than a
  // trip to a worker; a 1,000-VM body (340 KiB) costs 30 ms there and goes to a worker.
  offloadBytes: 64 * 1024,
};

/**
 * ApiContext is what route handlers may use: the calibrated predictor, the cluster the service
 * was started with (for the Kubernetes verbs), the worker pool and the limits. Handlers get it
 * as an argument instead of reaching for globals, so tests build apps with their own.
 */
export interface ApiContext {
  readonly predictor: Predictor;
  /** The server's cluster as its source last gave it (`--cluster`, a watched file, Prometheus). */
  readonly cluster?: Cluster;
  /** The server's cluster with the pods the extender assumed, prepared for one-VM questions (/v1/place without a cluster, /k8s/*). */
  readonly prepared?: PreparedCluster;
  /** The fresh state behind `cluster` and `prepared`. */
  readonly fleet: FleetState;
  /** The audits of the fleet, when the server has a source to audit. */
  readonly audits?: AuditLog;
  readonly limits: ApiLimits;
  readonly metrics: Metrics;
  readonly pool: TaskPool<Tasks>;
  /** isReady: workers have started and the server is not shutting down (for /readyz). */
  isReady(): boolean;
  /** runHeavy runs a task in a worker within the request's time budget (504 past it). */
  runHeavy<K extends TaskKind>(kind: K, input: TaskInput<K>): Promise<TaskOutput<K>>;
  /**
   * offload answers a large body (RawBody) in a worker: the reply is sent, or (`value`) the
   * parsed request comes back for the handler to finish on the main thread.
   */
  offload(reply: FastifyReply, route: OffloadRoute, body: RawBody): Promise<{ sent: true } | { sent: false; value: unknown }>;
  /** simulate runs one host on the service's simulation backend (worker threads or the Redis queue). */
  simulate(scenario: Scenario): Promise<HostSimResult>;
  /** renderMetrics: the Prometheus text of /metrics (the Redis queue's too, with --redis). */
  renderMetrics(): Promise<string>;
}
