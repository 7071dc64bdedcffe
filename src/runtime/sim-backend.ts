import { inlineRunner, type SimRunner } from "../sim/runner.js";
import type { RedisRunnerHooks } from "./redis-runner.js";
import { RedisUnreachableError } from "./redis-url.js";
import { WorkerPool } from "./sim-pool.js";
import type { QueueStats } from "./sim-queue.js";

/** QueueBackend: a SimRunner on a shared queue, which /metrics can describe. */
export interface QueueBackend extends SimRunner {
  readonly url: string;
  stats(): Promise<QueueStats>;
}

export function isQueueBackend(r: SimRunner): r is QueueBackend {
  return typeof (r as Partial<QueueBackend>).stats === "function" && typeof (r as Partial<QueueBackend>).url === "string";
}

/** What to do when --redis names a server that does not answer. */
export const REDIS_FALLBACKS = ["none", "local"] as const;
export type RedisFallback = (typeof REDIS_FALLBACKS)[number];

export interface SimBackendOptions {
  /** Send the jobs to BullMQ on this Redis (redis://...); absent or empty: run them locally. */
  redis?: string;
  /** "none" (default): an unreachable Redis is an error (exit 2); "local": warn and run locally. */
  fallback?: RedisFallback;
  /** Local worker threads (default: the cores); 0 runs them on the calling thread. */
  workers?: number;
  /** The local runner to use instead of a new WorkerPool (the API passes its task pool's). */
  local?: () => SimRunner;
  /** Says which backend runs the jobs, and why when it fell back. */
  log?(line: string): void;
  hooks?: RedisRunnerHooks;
}

/**
 * createSimRunner is the one place that decides where simulations run, for every command and the
 * API: worker threads on this machine (the default, nothing to install), or the Redis queue that
 * `vmplace worker` processes on any number of machines serve. Both give the same bytes.
 */
export async function createSimRunner(o: SimBackendOptions = {}): Promise<SimRunner> {
  if (o.redis) {
    try {
      // Loaded only here: BullMQ and ioredis take half a second to import, and most runs are local.
      const { RedisRunner } = await import("./redis-runner.js");
      const runner = await RedisRunner.connect(o.redis, { log: o.log, ...o.hooks });
      o.log?.(`simulations go to the ${runner}`);
      return runner;
    } catch (e) {
      if (!(e instanceof RedisUnreachableError) || o.fallback !== "local") throw e;
      o.log?.(`${e.message}; --redis-fallback local: simulating on this machine`);
    }
  }
  if (o.local) return o.local();
  return o.workers === 0 ? inlineRunner : new WorkerPool(o.workers);
}
