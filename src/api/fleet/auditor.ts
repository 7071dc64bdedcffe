import type { Cluster } from "../../model/cluster.js";
import type { MigrationOptionsInput, MigrationPlan } from "../../model/migration.js";
import type { Predictor } from "../../interference/predictor.js";
import { auditOf, AuditLog, failedAudit } from "./audit.js";
import type { FleetState } from "./state.js";

/**
 * FleetSource: where the server's cluster comes from. `load` reads it afresh (Prometheus, a
 * file) and throws an Error whose message says what went wrong; `everyMs` re-reads on a timer,
 * `watch` on a change it notices.
 */
export interface FleetSource {
  readonly describe: string;
  load(): Promise<Cluster>;
  readonly everyMs?: number;
  watch?(onChange: () => void): () => void;
}

export interface AuditorDeps {
  readonly predictor: Predictor;
  readonly state: FleetState;
  readonly log: AuditLog;
  /** Plans the recommendation (in a worker thread); rejects when it cannot. */
  recommend(cluster: Cluster, options: MigrationOptionsInput): Promise<MigrationPlan>;
  onError(message: string): void;
  now?: () => number;
}

/**
 * FleetAuditor keeps the fleet fresh: it loads the source at start, then every `everyMs` (timed
 * from each audit's start, never overlapping: a tick during an audit runs once it ends) and on
 * every change the source reports; each load refreshes the state the API answers from, scores
 * it and plans the migrations that fix it. A failed load keeps the previous cluster and is
 * recorded as a failed audit.
 */
export class FleetAuditor {
  private timer?: NodeJS.Timeout;
  private unwatch?: () => void;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private nextId = 1;

  constructor(
    private readonly source: FleetSource,
    private readonly d: AuditorDeps,
  ) {}

  /** start runs the first audit and arms the timer and the watch; resolves after the first audit. */
  async start(): Promise<void> {
    this.unwatch = this.source.watch?.(() => void this.trigger());
    await this.trigger();
  }

  /** trigger runs an audit now, or once the running one has finished. */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.cycle().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.trigger();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unwatch?.();
    await this.running;
  }

  private async cycle(): Promise<void> {
    clearTimeout(this.timer);
    const now = this.d.now ?? Date.now;
    const t0 = now();
    await this.auditOnce(t0, now);
    if (this.source.everyMs !== undefined && !this.stopped) {
      this.timer = setTimeout(() => void this.trigger(), Math.max(0, t0 + this.source.everyMs - now()));
      this.timer.unref();
    }
  }

  private async auditOnce(t0: number, now: () => number): Promise<void> {
    const id = this.nextId++;
    const startedAt = new Date(t0).toISOString();
    try {
      const cluster = await this.source.load();
      this.d.state.refresh(cluster, now());
      const placed = cluster.vms.some((v) => v.host !== undefined);
      const plan = placed ? await this.d.recommend(cluster, { mode: "fix" }) : undefined;
      const t1 = now();
      this.d.log.add(auditOf(id, cluster, this.d.predictor, { startedAt, finishedAt: new Date(t1).toISOString(), source: this.source.describe }, plan), (t1 - t0) / 1000);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.d.onError(message);
      const t1 = now();
      this.d.log.add(failedAudit(id, { startedAt, finishedAt: new Date(t1).toISOString(), source: this.source.describe }, message), (t1 - t0) / 1000);
    }
  }
}
