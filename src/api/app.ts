import fastifySwagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyServerOptions } from "fastify";
import { createJsonSchemaTransform, createJsonSchemaTransformObject, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Cluster } from "../model/cluster.js";
import type { HostSimResult } from "../model/scenario.js";
import { loadPredictor } from "../io/calibration.js";
import { createSimRunner, isQueueBackend, type RedisFallback } from "../runtime/sim-backend.js";
import { TaskPool, TaskTimeoutError } from "../runtime/task-pool.js";
import type { SimRunner } from "../sim/runner.js";
import { compiledWorkerUrl } from "../runtime/worker-url.js";
import { installAuth, type ApiAuth } from "./auth.js";
import { AuditLog, renderAuditMetrics } from "./fleet/audit.js";
import { FleetAuditor, type FleetSource } from "./fleet/auditor.js";
import { FleetState } from "./fleet/state.js";
import { MigrationOptionsSchema } from "../model/migration.js";
import { DEFAULT_LIMITS, type ApiContext, type ApiLimits } from "./context.js";
import { installErrorHandlers, timeBudgetExceeded } from "./errors.js";
import { installLimits, type InFlight } from "./limits.js";
import { Metrics } from "./metrics.js";
import { answerOffloaded, installOffload } from "./offload.js";
import { SimQueueMetrics } from "./sim-metrics.js";
import { ROUTES } from "./routes/index.js";
import type { ZodApp } from "./routes/types.js";
import { apiRegistry } from "./schemas.js";
import { serializerCompiler, validatorCompiler } from "./validation.js";
import type { Tasks } from "./work/tasks.js";

export interface BuildOptions {
  /** Calibration table file (default: the bundled one); workers load the same table. */
  calibration?: string;
  /** The cluster the Kubernetes verbs map nodes onto (`vmplace serve --cluster`). */
  cluster?: Cluster;
  limits?: Partial<ApiLimits>;
  /** Worker threads for simulations and plans (default: cores - 1, at least 1). */
  workers?: number;
  logger?: FastifyServerOptions["logger"];
  /** Log every request and response (fastify's access log); off by default, /metrics counts them. */
  logRequests?: boolean;
  /** Reported in the OpenAPI document. */
  version?: string;
  /** Run simulations (/v1/simulate, plan validation) on this Redis queue (`vmplace serve --redis`). */
  redis?: string;
  /** When that Redis cannot be reached at start: fail (default) or simulate in the worker threads. */
  redisFallback?: RedisFallback;
  /** Who may call (a bearer token, mutual TLS, open probe paths); none: everyone (loopback). */
  auth?: ApiAuth;
  /** Serve HTTPS with this key and certificate; with `clientCa`, ask clients for certificates it signed. */
  tls?: { key: Buffer; cert: Buffer; clientCa?: Buffer };
  /** Keep the cluster fresh from this source and audit it (serve --source prometheus, --watch). */
  source?: FleetSource;
  /** Audits kept for GET /v1/audits (default 50). */
  auditHistory?: number;
  /** How long a pod the extender assumed outlives refreshes that do not show it yet (ms; default DEFAULT_ASSUME_FOR_MS). */
  assumeForMs?: number;
}

/**
 * buildApp assembles the service: zod compilers, the one error handler, limits and metrics, the
 * OpenAPI generator, then every route module. The app owns its worker pool and closes it in
 * onClose, after fastify has let in-flight requests finish.
 */
export async function buildApp(options: BuildOptions = {}): Promise<ZodApp> {
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const tls = options.tls;
  const app = Fastify({
    // Client certificates are verified per request (installAuth), not at the handshake, so that
    // probe paths can stay open to clients without one.
    ...(tls ? { https: { key: tls.key, cert: tls.cert, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}) } } : {}),
    logger: options.logger ?? false,
    // One log line per request costs more than /v1/place itself at high rates.
    logController: new LogController({ disableRequestLogging: options.logRequests !== true }),
    bodyLimit: limits.bodyLimitBytes,
    // Time to receive a whole request: a client trickling bytes must not hold a slot forever.
    requestTimeout: limits.requestTimeoutMs,
    // installLimits answers 503 itself while closing, in the API's error shape, and lets probes through.
    return503OnClosing: false,
    forceCloseConnections: "idle",
  }).withTypeProvider<ZodTypeProvider>() as unknown as ZodApp;
  // JSON only: a text/plain body would otherwise reach the validators as a string.
  app.removeContentTypeParser("text/plain");
  installOffload(app, limits.offloadBytes);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  // Before the limits: a request without credentials must not take a concurrency slot.
  installAuth(app, { ...options.auth, mutualTls: tls?.clientCa !== undefined });

  const metrics = new Metrics();
  const inFlight = installLimits(app, limits.maxConcurrent, metrics);
  const ctx = await makeContext(app, options, limits, metrics, inFlight);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "vmplace",
        description: "VM placement that keeps IO tail latency within SLO: simulate, score, place, plan; Kubernetes scheduler-extender verbs.",
        version: options.version ?? "dev",
      },
    },
    transform: createJsonSchemaTransform({ schemaRegistry: apiRegistry, skipList: [] }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: apiRegistry }),
  });
  for (const register of ROUTES) register(app, ctx);
  return app;
}

async function makeContext(app: ZodApp, options: BuildOptions, limits: ApiLimits, metrics: Metrics, inFlight: InFlight): Promise<ApiContext> {
  const budget = (p: Promise<unknown>): Promise<never> => p.catch((e: unknown) => {
    throw e instanceof TaskTimeoutError ? timeBudgetExceeded(limits.requestTimeoutMs) : e;
  }) as Promise<never>;
  // Decided before the workers start: they validate plans on the same backend as /v1/simulate runs.
  let pool: TaskPool<Tasks> | undefined;
  const queueMetrics = new SimQueueMetrics();
  const sims = await createSimRunner({
    redis: options.redis,
    fallback: options.redisFallback,
    local: () => taskPoolSims(() => pool!, limits.requestTimeoutMs),
    hooks: { onFinished: (ret) => queueMetrics.observe(ret) },
    log: (line) => app.log.info(line),
  });
  const queue = isQueueBackend(sims) ? sims : undefined;
  pool = new TaskPool<Tasks>(compiledWorkerUrl("work/worker.js", import.meta.url), options.workers, { calibration: options.calibration, redis: queue?.url });
  let started = false;
  pool.ready().then(
    () => (started = true),
    (e: unknown) => app.log.error({ err: e }, "worker threads failed to start"),
  );
  app.addHook("onClose", async () => {
    // Requests still running may be waiting on a worker: stop the workers only once they are done.
    await inFlight.drained();
    await pool.close();
    await sims.close();
    metrics.stop();
  });
  const predictor = loadPredictor(options.calibration);
  const runHeavy: ApiContext["runHeavy"] = (kind, input) =>
    pool.run(kind, input, limits.requestTimeoutMs).catch((e: unknown) => {
      throw e instanceof TaskTimeoutError ? timeBudgetExceeded(limits.requestTimeoutMs) : e;
    });
  const fleet = new FleetState(predictor, options.cluster, { assumeForMs: options.assumeForMs });
  const audits = options.source ? new AuditLog(options.auditHistory ?? 50) : undefined;
  const ctx: ApiContext = {
    predictor,
    get cluster() {
      return fleet.current?.cluster;
    },
    get prepared() {
      return fleet.current;
    },
    fleet,
    audits,
    limits,
    metrics,
    pool,
    // With a source, ready once it has given a cluster: the extender has nothing to answer before.
    isReady: () => started && !inFlight.closing() && (!options.source || fleet.current !== undefined),
    runHeavy,
    offload: async (reply, route, body) => {
      metrics.offloaded(route);
      return answerOffloaded(reply, await runHeavy("request", { route, body: body.text, requestTimeoutMs: limits.requestTimeoutMs }));
    },
    simulate: (scenario) => budget(withTimeout(sims.runAll([{ scenario }]), limits.requestTimeoutMs)).then((r: HostSimResult[]) => r[0]),
    renderMetrics: async () => metrics.render(pool.stats()) + (queue ? queueMetrics.render(await queue.stats()) : "") + (audits ? renderAuditMetrics(audits) : ""),
  };
  if (options.source && audits) startAuditor(app, ctx, options.source, audits);
  return ctx;
}

/** startAuditor audits the fleet once the app is ready (in the background) and stops on close. */
function startAuditor(app: ZodApp, ctx: ApiContext, source: FleetSource, log: AuditLog): void {
  // The recommendation must finish within one request's budget, as /v1/migrations does.
  const timeBudgetMs = Math.max(1, Math.floor(ctx.limits.requestTimeoutMs * 0.8));
  const auditor = new FleetAuditor(source, {
    predictor: ctx.predictor,
    state: ctx.fleet,
    log,
    recommend: (cluster, options) => ctx.runHeavy("migrate", { cluster, options: MigrationOptionsSchema.parse({ ...options, timeBudgetMs }) }),
    onError: (message) => app.log.warn({ source: source.describe }, `audit failed: ${message}`),
  });
  app.addHook("onReady", async () => {
    void auditor.start();
  });
  app.addHook("preClose", async () => {
    await auditor.stop();
  });
}

/** taskPoolSims: the SimRunner of the API's own worker threads, each job within the request's budget. */
function taskPoolSims(pool: () => TaskPool<Tasks>, budgetMs: number): SimRunner {
  return {
    async runAll(jobs, onDone) {
      let done = 0;
      return Promise.all(
        jobs.map(async (j) => {
          const r = await pool().run("simulate", j.scenario, budgetMs);
          onDone?.(++done, jobs.length);
          return r;
        }),
      );
    },
    async close() {},
  };
}

/** withTimeout gives up waiting (the queue job itself runs on; its result expires unclaimed). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TaskTimeoutError(ms)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
