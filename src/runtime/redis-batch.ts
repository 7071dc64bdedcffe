import type { SimJobData } from "./sim-queue.js";

/** SimJobFailedError: a queue job used up its attempts; it names the host and the worker's reason. */
export class SimJobFailedError extends Error {
  constructor(
    readonly hostId: string,
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`simulation of host ${hostId} failed after ${attempts} attempt(s) on the Redis queue: ${reason}`);
    this.name = "SimJobFailedError";
  }
}

/**
 * Batch is one runAll call waiting on its jobs: which ids it needs (one per job, repeated when two
 * jobs are identical), what has come back, and the progress count over jobs, not ids.
 */
export class Batch {
  readonly submittedAt = Date.now();
  /** Ids found failed from an earlier run and retried once for this run. */
  readonly retried = new Set<string>();
  readonly finished: Promise<string[]>;
  private readonly texts = new Map<string, string>();
  private readonly indices = new Map<string, number[]>();
  private done = 0;
  private settled = false;
  private resolve!: (texts: string[]) => void;
  private reject!: (e: Error) => void;

  constructor(
    readonly ids: readonly string[],
    private readonly data: readonly SimJobData[],
    private readonly onDone?: (done: number, total: number) => void,
  ) {
    ids.forEach((id, k) => (this.indices.get(id) ?? this.indices.set(id, []).get(id)!).push(k));
    this.finished = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // runAll awaits `finished` only after adding the jobs; a failure before that must not go unhandled.
    this.finished.catch(() => {});
  }

  unique(): string[] {
    return [...this.indices.keys()];
  }

  hostOf(id: string): string {
    return this.dataOf(id).job.scenario.host.id;
  }

  dataOf(id: string): SimJobData {
    return this.data[this.indices.get(id)![0]];
  }

  /** deliver records a finished job once; the batch resolves when every id is in. */
  deliver(id: string, text: string | undefined): void {
    if (this.settled || this.texts.has(id) || !this.indices.has(id)) return;
    if (typeof text !== "string") return this.fail(new Error(`job ${id} (host ${this.hostOf(id)}) finished without a result`));
    this.texts.set(id, text);
    for (const _ of this.indices.get(id)!) {
      this.done += 1;
      this.onDone?.(this.done, this.ids.length);
    }
    if (this.texts.size === this.indices.size) {
      this.settled = true;
      this.resolve(this.ids.map((i) => this.texts.get(i)!));
    }
  }

  fail(e: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(e);
  }
}
