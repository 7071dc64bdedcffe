import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PreparedCluster } from "../../src/api/place/prepared.js";
import { rankHosts } from "../../src/api/place/rank.js";
import { PlaceAnswerSchema } from "../../src/api/status.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import { loadPredictor } from "../../src/io/calibration.js";
import { VmSchema } from "../../src/model/cluster.js";
import { expectError, ioVm, parsedSample, post, sampleCluster, testApp } from "./helper.js";

interface PlaceBody {
  vmId: string;
  best?: string;
  hosts: { hostId: string; rank: number; score: number; scores: Record<string, number> }[];
  feasibleHosts: number;
  infeasibleHosts: number;
  rejectedBy: Record<string, number>;
  infeasible?: { hostId: string; unresolvable: boolean; reasons: { constraint: string; message: string }[] }[];
}

let app: ZodApp;
let bare: ZodApp;
beforeAll(async () => {
  [app, bare] = await Promise.all([testApp({ cluster: parsedSample() }), testApp()]);
});
afterAll(() => Promise.all([app.close(), bare.close()]));

describe("POST /v1/place", () => {
  test("ranks every host that may take the VM and, asked for reasons, explains every host that may not", async () => {
    const res = await post(app, "/v1/place", { cluster: sampleCluster(), vm: ioVm(), reasons: true });
    expect(res.statusCode, res.body).toBe(200);
    const body = PlaceAnswerSchema.parse(res.json<PlaceBody>());
    expect(body.status).toBe("ok");
    const infeasible = body.infeasible ?? [];
    expect(body.hosts.length + infeasible.length).toBe(8);
    expect([body.hosts.length, infeasible.length]).toEqual([body.feasibleHosts, body.infeasibleHosts]);
    expect(body.best).toBe(body.hosts[0].hostId);
    expect(body.hosts.map((h) => h.rank)).toEqual(body.hosts.map((_h, k) => k + 1));
    for (let k = 1; k < body.hosts.length; k++) expect(body.hosts[k - 1].score).toBeGreaterThanOrEqual(body.hosts[k].score);
    expect(Object.keys(body.hosts[0].scores)).toContain("Consolidation");
    for (const h of infeasible) expect(h.reasons.length).toBeGreaterThan(0);
    // Every rejected host counts under each constraint that gives it a reason.
    const counted: Record<string, number> = {};
    for (const h of infeasible) for (const c of new Set(h.reasons.map((r) => r.constraint))) counted[c] = (counted[c] ?? 0) + 1;
    expect(body.rejectedBy).toEqual(counted);
  });

  test("by default the answer lists the 10 best hosts and counts the rest, without reasons; limit sets how many", async () => {
    const big = { ...sampleCluster(), hosts: Array.from({ length: 30 }, (_, k) => ({ id: `n${String(k).padStart(2, "0")}`, cores: 16, memoryMiB: 65536 })), vms: [], constraints: [] };
    const body = (await post(app, "/v1/place", { cluster: big, vm: ioVm() })).json<PlaceBody>();
    expect(body.hosts.map((h) => h.rank)).toEqual(Array.from({ length: 10 }, (_, k) => k + 1));
    expect([body.feasibleHosts, body.infeasibleHosts]).toEqual([30, 0]);
    expect(body).not.toHaveProperty("infeasible");
    const all = (await post(app, "/v1/place", { cluster: big, vm: ioVm(), limit: 100 })).json<PlaceBody>();
    expect(all.hosts.slice(0, 10)).toEqual(body.hosts);
    expect(all.hosts).toHaveLength(30);
    const one = (await post(app, "/v1/place", { vm: ioVm(), limit: 1 })).json<PlaceBody>();
    expect(one.hosts.map((h) => h.hostId)).toEqual([one.best]);
  });

  test("limit and reasons are checked like every other field", async () => {
    const body = expectError(await post(app, "/v1/place", { vm: ioVm(), limit: 0, reasons: "yes" }), 400, "INVALID_INPUT");
    expect(body.problems!.map((p) => p.path).sort()).toEqual(["limit", "reasons"]);
  });

  test("without a cluster in the body it places on the server's --cluster document", async () => {
    const withDoc = (await post(app, "/v1/place", { cluster: sampleCluster(), vm: ioVm(), reasons: true })).json<PlaceBody>();
    const res = await post(app, "/v1/place", { vm: ioVm(), reasons: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PlaceBody>()).toEqual(withDoc);
  });

  test("a VM only the largest host can hold: the others are unresolvable, with a readable reason", async () => {
    const body = (await post(app, "/v1/place", { vm: { ...ioVm(), vcpus: 20 }, reasons: true })).json<PlaceBody>();
    expect(body.best).toBe("h08");
    expect(body.infeasible!.every((h) => h.unresolvable)).toBe(true);
    expect(body.infeasible!.find((h) => h.hostId === "h01")!.reasons.map((r) => r.message).join(" ")).toMatch(/20 vCPUs but the host only 16 cores/);
  });

  test("a VM no host could take even empty is invalid, with or without a cluster in the body", async () => {
    const vm = { ...ioVm(), vcpus: 64 };
    expect(expectError(await post(app, "/v1/place", { vm }), 400, "INVALID_INPUT").problems![0].path).toBe("vm");
    expect(expectError(await post(app, "/v1/place", { cluster: sampleCluster(), vm }), 400, "INVALID_INPUT").problems![0].path).toBe("vm");
  });

  test("problems in the VM are reported under vm, problems in the cluster under cluster", async () => {
    const c = sampleCluster() as { hosts: Record<string, unknown>[] };
    c.hosts[1] = { ...c.hosts[1], memoryMiB: 0 };
    const body = expectError(await post(app, "/v1/place", { cluster: c, vm: { ...ioVm(), memoryMiB: -1 }, extra: true }), 400, "INVALID_INPUT");
    const paths = body.problems!.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["", "cluster.hosts[1].memoryMiB", "vm.memoryMiB"]));
    expect(paths.every((p) => p === "" || p.startsWith("cluster.") || p.startsWith("vm."))).toBe(true);
  });

  test("a missing VM is a 400 naming vm", async () => {
    const body = expectError(await post(app, "/v1/place", { cluster: sampleCluster() }), 400, "INVALID_INPUT");
    expect(body.problems!.map((p) => p.path)).toContain("vm");
  });

  test("no cluster anywhere is a 400 that says how to give one", async () => {
    const body = expectError(await post(bare, "/v1/place", { vm: ioVm() }), 400, "NO_CLUSTER");
    expect(body.message).toMatch(/--cluster/);
  });
});

describe("the server's prepared cluster", () => {
  const cluster = parsedSample();
  const predictor = loadPredictor();
  const all = { limit: 1000, reasons: true };
  const shapes = [ioVm(), { ...ioVm(), memoryMiB: 30000 }, { ...ioVm(), vcpus: 16, slo: { p999Ms: 1 } }, { id: "x", vcpus: 4, memoryMiB: 2048, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 20 } }];

  test.each([
    ["the sample's policy", cluster],
    ["forbidBobtail (reasons name the candidate itself)", { ...cluster, policy: { ...cluster.policy, forbidBobtail: true } }],
    ["min-risk", { ...cluster, policy: { ...cluster.policy, objective: "min-risk" as const } }],
  ])("answers exactly as a fresh ranking, for every id and shape, cached or not (%s)", (_name, c) => {
    const prepared = new PreparedCluster(c, predictor);
    for (const [k, shape] of [...shapes, ...shapes].entries()) {
      const vm = VmSchema.parse({ ...shape, id: `new-${k % 3}` });
      expect(prepared.rank(vm, all)).toEqual(rankHosts(c, vm, predictor, all));
    }
  });

  test("a VM the document knows is judged as leaving its current host, as a fresh ranking does", () => {
    const prepared = new PreparedCluster(cluster, predictor);
    for (const known of [cluster.vms[0], ...cluster.vms.filter((v) => cluster.constraints.some((c) => c.vms.includes(v.id)))]) {
      expect(prepared.rank(known, all)).toEqual(rankHosts(cluster, known, predictor, all));
      expect(prepared.rank({ ...known, memoryMiB: 1024 }, all)).toEqual(rankHosts(cluster, { ...known, memoryMiB: 1024 }, predictor, all));
    }
  });

  test("after update it answers for the changed cluster, not from verdicts of the old one", () => {
    const prepared = new PreparedCluster(cluster, predictor);
    const vm = VmSchema.parse(ioVm());
    const before = prepared.rank(vm, all);
    // Fill the best host's memory: it must drop out of the answer.
    const best = cluster.hosts.find((h) => h.id === before.best)!;
    const filler = VmSchema.parse({ id: "filler", vcpus: 1, memoryMiB: best.memoryMiB - 1024, workload: { kind: "idle" }, host: best.id });
    const changed = { ...cluster, vms: [...cluster.vms.filter((v) => v.host !== best.id), filler] };
    prepared.update(changed);
    const after = prepared.rank(vm, all);
    expect(after.hosts.map((h) => h.hostId)).not.toContain(best.id);
    expect(after).toEqual(rankHosts(changed, vm, predictor, all));
  });
});
