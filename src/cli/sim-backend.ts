import { Option } from "commander";
import { createSimRunner, REDIS_FALLBACKS, type RedisFallback, type SimBackendOptions } from "../runtime/sim-backend.js";
import type { SimRunner } from "../sim/runner.js";

export interface SimBackendFlags {
  redis?: string;
  redisFallback?: RedisFallback;
}

/** redisOption: --redis URL, or VMPLACE_REDIS_URL. */
export function redisOption(what = "run the simulations on the Redis queue that `vmplace worker` processes serve (redis://host:6379)"): Option {
  // No URL means the local worker threads; --help says so, like every other default.
  return new Option("--redis <url>", `${what} (default: none, simulate in this process's worker threads)`).env("VMPLACE_REDIS_URL");
}

/** redisFallbackOption: what to do when --redis cannot be reached. */
export function redisFallbackOption(): Option {
  return new Option("--redis-fallback <mode>", "when Redis cannot be reached: none (exit 2) or local (simulate here)").choices(REDIS_FALLBACKS).default("none");
}

/** openSimRunner picks where the command's simulations run, and says so on stderr when it is Redis. */
export function openSimRunner(f: SimBackendFlags, o: Omit<SimBackendOptions, "redis" | "fallback" | "log"> = {}): Promise<SimRunner> {
  return createSimRunner({ ...o, redis: f.redis, fallback: f.redisFallback, log: (line) => void process.stderr.write(`vmplace: ${line}\n`) });
}
