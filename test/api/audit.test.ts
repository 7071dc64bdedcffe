import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Pod } from "../../src/api/k8s/schemas.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import type { Audit } from "../../src/api/fleet/schemas.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import { sourceOf } from "../../src/cli/commands/serve-source.js";
import { runCli } from "../helpers/cli.js";
import { sleep } from "../helpers/prometheus.js";
import { expectError, post, sampleCluster, testApp } from "./helper.js";

const dir = mkdtempSync(join(tmpdir(), "vmplace-audit-"));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("serve --cluster FILE --watch: the continuous audit", { timeout: 60_000 }, () => {
  const path = join(dir, "cluster.json");
  let app: ZodApp;
  const latest = async (app: ZodApp): Promise<Audit | undefined> => {
    const r = await app.inject({ method: "GET", url: "/v1/audits/latest" });
    return r.statusCode === 200 ? r.json<Audit>() : undefined;
  };

  beforeAll(async () => {
    writeFileSync(path, JSON.stringify(sampleCluster()));
    app = await testApp({ source: sourceOf({ cluster: path, watch: true }) });
  });
  afterAll(() => app.close());

  test("the first audit finds the hot spot, recommends the fix and exposes it as gauges", async () => {
    const a = await until("the first audit", () => latest(app));
    expect(a).toMatchObject({ status: "incomplete", reasons: [{ kind: "breach", count: 1 }], id: 1, ok: true, source: `file ${path}`, hosts: 8, vms: 40, breaches: 1, hostsAtRisk: 1 });
    expect(a.breaching).toEqual([expect.objectContaining({ vmId: "web-3", hostId: "h07" })]);
    expect(a.perHost.find((h) => h.hostId === "h07")).toMatchObject({ bobtail: true, breaches: 1, level: "high" });
    expect(a.recommendation?.moves.map((m) => [m.vmId, m.from])).toEqual([["web-3", "h07"]]);
    expect(a.recommendation?.state).toBe("recommended");
    const m = await app.inject({ method: "GET", url: "/metrics" });
    expect(m.body).toMatch(/^vmplace_host_slo_breaches\{host="h07"\} 1$/m);
    expect(m.body).toMatch(/^vmplace_host_bobtail\{host="h07"\} 1$/m);
    expect(m.body).toMatch(/^vmplace_audit_breaches 1$/m);
    expect(m.body).toMatch(/^vmplace_audit_recommended_moves 1$/m);
    const p999 = Number(/^vmplace_host_predicted_p999_seconds\{host="h07"\} (\S+)$/m.exec(m.body)?.[1]);
    expect(p999 * 1e6).toBeCloseTo(a.perHost.find((h) => h.hostId === "h07")!.predictedP999Us!, 3);
  });

  test("the recommendation, saved as it is served, is a plan approve and apply take", async () => {
    const a = await until("the first audit", () => latest(app));
    const plan = join(dir, "recommended.json");
    writeFileSync(plan, JSON.stringify(a.recommendation));
    expect(runCli(["approve", plan, "--by", "ops"]).code).toBe(0);
    const dry = runCli(["apply", plan, "--executor", "echo {vm} {from} {to}", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`echo web-3 h07 ${a.recommendation!.moves[0].to}`);
  });

  test("a change to the file is seen, re-audited, and kept in the history", async () => {
    const first = await until("the first audit", () => latest(app));
    const fixed = sampleCluster() as ClusterInput;
    const to = first.recommendation!.moves[0].to;
    fixed.vms = fixed.vms!.map((v) => (v.id === "web-3" ? { ...v, host: to } : v));
    writeFileSync(path, JSON.stringify(fixed));
    const second = await until("an audit of the changed file", async () => {
      const a = await latest(app);
      return a && a.id > first.id ? a : undefined;
    });
    expect(second).toMatchObject({ status: "ok", reasons: [], ok: true, breaches: 0 });
    expect(second.recommendation).toBeUndefined();
    const list = (await app.inject({ method: "GET", url: "/v1/audits" })).json<{ audits: { id: number; breaches: number }[] }>().audits;
    expect(list[0]).toMatchObject({ id: second.id, breaches: 0 });
    expect(list.find((x) => x.id === first.id)).toMatchObject({ breaches: 1, recommendedMoves: 1 });
    expect((await app.inject({ method: "GET", url: `/v1/audits/${first.id}` })).json<Audit>().breaches).toBe(1);
    expectError(await app.inject({ method: "GET", url: "/v1/audits/999" }), 404, "NO_SUCH_AUDIT");
  });

  test("a file that stops parsing is a failed audit; the last good cluster stays in use", async () => {
    const before = await until("an audit", () => latest(app));
    writeFileSync(path, "{ not json");
    const failed = await until("a failed audit", async () => {
      const a = (await app.inject({ method: "GET", url: "/v1/audits" })).json<{ audits: Audit[] }>().audits[0];
      return a && a.id > before.id ? a : undefined;
    });
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(failed.status).toBeUndefined();
    expect((await app.inject({ method: "GET", url: "/metrics" })).body).toMatch(/^vmplace_audit_failures_total 1$/m);
    expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
  });
});

describe("the k8s extender on a fresh state", { timeout: 60_000 }, () => {
  const path = join(dir, "nodes.json");
  // Two nodes, each with room for one more 8 GiB pod.
  const doc = (): ClusterInput => ({
    hosts: [
      { id: "n1", cores: 16, memoryMiB: 12288 },
      { id: "n2", cores: 16, memoryMiB: 12288 },
    ],
    vms: [
      { id: "base-1", vcpus: 2, memoryMiB: 2048, workload: { kind: "idle" }, host: "n1" },
      { id: "base-2", vcpus: 2, memoryMiB: 2048, workload: { kind: "idle" }, host: "n2" },
    ],
  });
  const pod = (name: string): Pod => ({
    metadata: { name, namespace: "shop", annotations: { "vmplace.io/workload": "idle" } },
    spec: { containers: [{ name: "compute", resources: { requests: { cpu: "1", memory: "8Gi" } } }] },
  });
  const args = (name: string) => ({ Pod: pod(name), NodeNames: ["n1", "n2"] });
  const passing = async (name: string): Promise<string[]> => (await post(app, "/k8s/filter", args(name))).json<{ NodeNames: string[] }>().NodeNames;
  let app: ZodApp;

  beforeAll(async () => {
    writeFileSync(path, JSON.stringify(doc()));
    // Assumptions outlive no refresh here (test/api/fleet-state covers --assume-for).
    app = await testApp({ source: sourceOf({ cluster: path, watch: true }), assumeForMs: 1 });
    await until("the first audit", async () => ((await app.inject({ method: "GET", url: "/v1/audits/latest" })).statusCode === 200 ? true : undefined));
  });
  afterAll(() => app.close());

  test("a pod it ranked counts against its node until the next refresh, so the next pods see it", async () => {
    expect(await passing("vm-a")).toEqual(["n1", "n2"]);
    expect((await post(app, "/k8s/prioritize", args("vm-a"))).statusCode).toBe(200);
    // vm-a is assumed on one node, which has no room left for vm-b.
    const left = await passing("vm-b");
    expect(left).toHaveLength(1);
    await post(app, "/k8s/prioritize", args("vm-b"));
    expect(await passing("vm-c")).toEqual([]);
    // Asking about vm-a again replaces its assumption rather than counting it twice.
    await post(app, "/k8s/prioritize", args("vm-a"));
    expect(await passing("vm-c")).toEqual([]);
    expect(await passing("vm-a")).toHaveLength(1);
    // The refresh (the file changed) brings the real state and forgets the assumptions.
    const id = (await app.inject({ method: "GET", url: "/v1/audits/latest" })).json<Audit>().id;
    writeFileSync(path, JSON.stringify({ ...doc(), policy: { seed: 2 } }));
    await until("the refresh", async () => ((await app.inject({ method: "GET", url: "/v1/audits/latest" })).json<Audit>().id > id ? true : undefined));
    expect(await passing("vm-c")).toEqual(["n1", "n2"]);
  });
});
