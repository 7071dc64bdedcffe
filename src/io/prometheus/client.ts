import { z } from "zod";

/**
 * A small client of the Prometheus HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/):
 * instant and range queries, POSTed as forms (long PromQL fits no URL), with a time budget per
 * request and one error type whose message says what to fix. Node's fetch does the HTTP.
 */

export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrometheusError";
  }
}

const Labels = z.record(z.string(), z.string());
const Sample = z.tuple([z.number(), z.string()]);
const VectorSchema = z.array(z.object({ metric: Labels, value: Sample }));
const MatrixSchema = z.array(z.object({ metric: Labels, values: z.array(Sample) }));
const ReplySchema = z.union([
  z.object({ status: z.literal("success"), data: z.object({ resultType: z.string(), result: z.unknown() }) }),
  z.object({ status: z.literal("error"), errorType: z.string(), error: z.string() }),
]);

export type Labels = z.infer<typeof Labels>;
export interface VectorSample {
  readonly labels: Labels;
  readonly value: number;
}
export interface RangeSeries {
  readonly labels: Labels;
  /** [unix seconds, value] pairs in time order; NaN and ±Inf dropped. */
  readonly points: readonly [number, number][];
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://prometheus:9090 (a path prefix is kept). */
  readonly url: string;
  readonly timeoutMs?: number;
  /** Sent as `Authorization: Bearer ...`. */
  readonly bearerToken?: string;
}

export class PrometheusClient {
  private readonly base: URL;

  constructor(private readonly o: PrometheusClientOptions) {
    let u: URL;
    try {
      u = new URL(o.url);
    } catch {
      throw new PrometheusError(`--url "${o.url}" is not a URL (e.g. http://prometheus:9090)`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new PrometheusError(`--url "${o.url}" must be http or https`);
    this.base = new URL(u.pathname.endsWith("/") ? u.href : `${u.href}/`);
  }

  /** query: an instant query at `time` (unix seconds). */
  async query(expr: string, time: number): Promise<VectorSample[]> {
    const data = await this.call("api/v1/query", { query: expr, time: String(time) }, "vector");
    return VectorSchema.parse(data).map((s) => ({ labels: s.metric, value: Number(s.value[1]) })).filter((s) => Number.isFinite(s.value));
  }

  /** queryRange: a range query over [start, end] every `stepSec`. */
  async queryRange(expr: string, start: number, end: number, stepSec: number): Promise<RangeSeries[]> {
    const data = await this.call("api/v1/query_range", { query: expr, start: String(start), end: String(end), step: String(stepSec) }, "matrix");
    return MatrixSchema.parse(data).map((s) => ({
      labels: s.metric,
      points: s.values.map(([t, v]) => [t, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v)),
    }));
  }

  private async call(path: string, params: Record<string, string>, want: string): Promise<unknown> {
    const url = new URL(path, this.base);
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(this.o.bearerToken ? { authorization: `Bearer ${this.o.bearerToken}` } : {}) },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (e as Error).name;
      throw new PrometheusError(`cannot reach Prometheus at ${this.base.origin} (${cause === "TimeoutError" ? "no answer in time" : cause})`);
    }
    const text = await res.text();
    let body: z.infer<typeof ReplySchema>;
    try {
      body = ReplySchema.parse(JSON.parse(text));
    } catch {
      throw new PrometheusError(`${url.href}: HTTP ${res.status}, not a Prometheus API answer${res.status === 401 || res.status === 403 ? " (authentication: give a bearer token)" : ""}`);
    }
    if (body.status === "error") throw new PrometheusError(`Prometheus refused ${JSON.stringify(params.query)}: ${body.errorType}: ${body.error}`);
    if (body.data.resultType !== want) throw new PrometheusError(`Prometheus answered a ${body.data.resultType}, expected a ${want}, for ${JSON.stringify(params.query)}`);
    return body.data.result;
  }
}
