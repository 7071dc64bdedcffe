import type { Command } from "commander";
import { checkRedisUrl } from "../../runtime/redis-url.js";
import { defaultPoolSize } from "../../runtime/sim-pool.js";
import { LOCK_DURATION_MS } from "../../runtime/sim-queue.js";
import { durationMsOption, intOption } from "../options.js";
import { redisOption } from "../sim-backend.js";

interface WorkerFlags {
  redis?: string;
  concurrency: number;
  lockDuration: number;
  warmup: boolean;
}

/**
 * registerWorker adds `vmplace worker`: a long-running process that serves the simulation queue
 * on Redis for any `--redis` command, on as many machines as wanted. SIGTERM (or Ctrl-C) lets the
 * running jobs finish and exits 0; a second signal exits at once (the jobs go back to the queue).
 */
export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("serve simulation jobs from a Redis queue (BullMQ) for commands run with --redis; run one per machine, or many")
    .addOption(redisOption("the Redis the commands use (redis://host:6379)").makeOptionMandatory())
    .option("--concurrency <n>", "jobs at once, each on its own thread (default: the cores)", intOption("--concurrency", 1, 256), defaultPoolSize())
    .option("--lock-duration <time>", "how long a job stays claimed without a renewal; a killed worker's jobs return to the queue after at most twice this", durationMsOption("--lock-duration"), LOCK_DURATION_MS)
    .option("--no-warmup", "take jobs at once instead of first running a short fixed set of simulations on every thread (about 0.7 s of CPU each) so V8 has compiled the simulator before the first real job")
    .action(async (f: WorkerFlags) => {
      checkRedisUrl(f.redis!);
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      const { startSimWorker } = await import("../../runtime/sim-worker.js"); // BullMQ: only when asked for
      const worker = await startSimWorker({ url: f.redis!, concurrency: f.concurrency, lockDurationMs: f.lockDuration, warmup: f.warmup, log });
      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals): void => {
          if (stopping) {
            log(`worker: ${signal} again: exiting now; the running jobs return to the queue when their locks expire`);
            process.exit(1);
          }
          stopping = true;
          log(`worker: ${signal}: taking no new job`);
          worker.stop().then(resolve, (e: unknown) => {
            log(`worker: error while stopping: ${e instanceof Error ? e.message : String(e)}`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.on("SIGTERM", onSignal);
        process.on("SIGINT", onSignal);
      });
    });
}
