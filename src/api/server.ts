import type { ZodApp } from "./routes/types.js";

// The API's entry for the CLI (`vmplace serve`): the CLI imports nothing else of src/api.
export { buildApp, type BuildOptions } from "./app.js";
export { DEFAULT_LIMITS, type ApiLimits } from "./context.js";
export { exposureProblem, OPENABLE_PATHS, type ApiAuth, type OpenablePath } from "./auth.js";
export type { FleetSource } from "./fleet/auditor.js";
export { DEFAULT_ASSUME_FOR_MS } from "./fleet/state.js";

export interface ListenOptions {
  port: number;
  host: string;
}

/** startServer listens and returns the bound address (port 0 picks a free one, as tests do). */
export async function startServer(app: ZodApp, listen: ListenOptions): Promise<string> {
  return app.listen({ port: listen.port, host: listen.host });
}

/**
 * closeOnSignals shuts the server down gracefully on SIGTERM/SIGINT: fastify stops accepting
 * connections, answers new requests on open keep-alive connections with 503, lets in-flight
 * requests finish, then the app's onClose stops the workers. If that takes longer than `graceMs`
 * (a stuck client), the process exits anyway so the orchestrator is not kept waiting forever.
 */
export function closeOnSignals(app: ZodApp, graceMs: number, signals: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"]): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down: finishing in-flight requests");
    const deadline = setTimeout(() => {
      app.log.error({ graceMs }, "shutdown grace period over; exiting with requests still open");
      process.exit(1);
    }, graceMs);
    deadline.unref();
    app.close().then(
      () => {
        clearTimeout(deadline);
        for (const s of signals) process.off(s, onSignal);
      },
      (e: unknown) => {
        app.log.error({ err: e }, "error while shutting down");
        process.exitCode = 1;
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
}
