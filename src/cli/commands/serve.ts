import type { Command } from "commander";
import { buildApp, closeOnSignals, DEFAULT_LIMITS, startServer } from "../../api/server.js";
import { loadWith } from "../../io/load.js";
import { parseCluster } from "../../model/validate.js";
import { intOption } from "../options.js";
import { redisFallbackOption, redisOption, type SimBackendFlags } from "../sim-backend.js";
import { VERSION } from "../version.js";
import { addSecurityOptions, securityFromFlags, type SecurityFlags } from "./serve-security.js";
import { addSourceOptions, sourceOf, type SourceFlags } from "./serve-source.js";

interface ServeOptions extends SimBackendFlags, SecurityFlags, SourceFlags {
  port: number;
  host: string;
  cluster?: string;
  maxConcurrent: number;
  bodyLimit: number;
  requestTimeout: number;
  calibration?: string;
  quiet?: boolean;
  logRequests?: boolean;
}

/** registerServe adds `vmplace serve`: the HTTP API and the Kubernetes scheduler-extender verbs. */
export function registerServe(program: Command): void {
  const cmd = program
    .command("serve")
    .description("serve the HTTP API (simulate, score, place, plan) and the kube-scheduler extender verbs")
    .option("--port <n>", "TCP port (0 picks a free one)", intOption("--port", 0, 65535), 8080)
    .option("--host <addr>", "address to listen on (beyond loopback it needs --token-file or mutual TLS)", "127.0.0.1")
    .option("--cluster <file>", "cluster document that /k8s/* maps nodes onto (and /v1/place uses when a request names none) (default: none; /k8s/* then answer 503)")
    .option("--max-concurrent <n>", "work requests handled at once; more get 503 + Retry-After", intOption("--max-concurrent", 1, 100_000), DEFAULT_LIMITS.maxConcurrent)
    .option("--body-limit <bytes>", "largest request body", intOption("--body-limit", 1024), DEFAULT_LIMITS.bodyLimitBytes)
    .option("--request-timeout <ms>", "time budget of one request", intOption("--request-timeout", 100, 3_600_000), DEFAULT_LIMITS.requestTimeoutMs)
    .option("--calibration <file>", "interference model, `vmplace calibrate` output (default: the bundled one)")
    .option("--quiet", "log warnings and errors only")
    .option("--log-requests", "log every request and response (JSON lines on stdout)")
    .addOption(redisOption("run /v1/simulate and plan validation on the Redis queue that `vmplace worker` processes serve; /metrics shows the queue"))
    .addOption(redisFallbackOption());
  addSourceOptions(addSecurityOptions(cmd)).action(async (opts: ServeOptions) => {
      const security = securityFromFlags(opts);
      for (const w of security.warnings) process.stderr.write(`serve: warning: ${w}\n`);
      const source = sourceOf(opts);
      // Read here so a bad --cluster is exit 2 at once; a watched file is then re-read on change.
      const cluster = opts.cluster === undefined ? undefined : loadWith(opts.cluster, parseCluster);
      const app = await buildApp({
        calibration: opts.calibration,
        cluster,
        limits: { maxConcurrent: opts.maxConcurrent, bodyLimitBytes: opts.bodyLimit, requestTimeoutMs: opts.requestTimeout },
        logger: { level: opts.quiet ? "warn" : "info" },
        logRequests: opts.logRequests,
        version: VERSION,
        redis: opts.redis,
        redisFallback: opts.redisFallback,
        auth: security.auth,
        tls: security.tls,
        source,
        auditHistory: opts.auditHistory,
        assumeForMs: opts.assumeFor,
      });
      closeOnSignals(app, opts.requestTimeout + 5000);
      await startServer(app, { port: opts.port, host: opts.host });
    });
}
