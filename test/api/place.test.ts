import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PreparedCluster } from "../../src/api/place/prepared.js";
import { rankHosts } from "../../src/api/place/rank.js";
import type { ZodApp } from "../../src/api/routes/types.js";
import { loadPredictor } from "../../src/io/calibration.js";
import { VmSchema } from "../../src/model/cluster.js";
import { expectError, ioVm, parsedSample, post, sampleCluster, testApp } from "./helper.js";

interface PlaceBody {
  vmId: string;
  best?: string;
  hosts: { hostId: string; rank: number; score: number; scores: Record<string, number> }[];
  infeasible: { hostId: string; unresolvable: boolean; reasons: { constraint: string; message: string }[] }[];
}

let app: ZodApp;
let bare: ZodApp;
beforeAll(async () => {
  [app, bare] = await Promise.all([testApp({ cluster: parsedSample() }), testApp()]);
});
afterAll(() => Promise.all([app.close(), bare.close()]));

describe("POST /v1/place", () => {
  test("ranks every host that may take the VM and explains every host that may not", async () => {
    const res = await post(app, "/v1/place", { cluster: sampleCluster(), vm: ioVm() });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<PlaceBody>();
    expect(body.hosts.length + body.infeasible.length).toBe(8);
    expect(body.best).toBe(body.hosts[0].hostId);
    expect(body.hosts.map((h) => h.rank)).toEqual(body.hosts.map((_h, k) => k + 1));
    for (let k = 1; k < body.hosts.length; k++) expect(body.hosts[k - 1].score).toBeGreaterThanOrEqual(body.hosts[k].score);
    expect(Object.keys(body.hosts[0].scores)).toContain("Consolidation");
    for (const h of body.infeasible) expect(h.reasons.length).toBeGreaterThan(0);
  });

  test("without a cluster in the body it places on the server's --cluster document", async () => {
    const withDoc = (await post(app, "/v1/place", { cluster: sampleCluster(), vm: ioVm() })).json<PlaceBody>();
    const res = await post(app, "/v1/place", { vm: ioVm() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PlaceBody>()).toEqual(withDoc);
  });

  test("a VM only the largest host can hold: the others are unresolvable, with a readable reason", async () => {
    const body = (await post(app, "/v1/place", { vm: { ...ioVm(), vcpus: 20 } })).json<PlaceBody>();
    expect(body.best).toBe("h08");
    expect(body.infeasible.every((h) => h.unresolvable)).toBe(true);
    expect(body.infeasible.find((h) => h.hostId === "h01")!.reasons.map((r) => r.message).join(" ")).toMatch(/20 vCPUs but the host only 16 cores/);
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

  test.each([
    ["the sample's policy", cluster],
    ["forbidBobtail (reasons name the candidate itself)", { ...cluster, policy: { ...cluster.policy, forbidBobtail: true } }],
  ])("answers exactly as a fresh ranking, for every id of a cached shape (%s)", (_name, c) => {
    const prepared = new PreparedCluster(c, predictor);
    for (const id of ["first", "second", "first"]) {
      const vm = VmSchema.parse({ ...ioVm(), id });
      expect(prepared.rank(vm)).toEqual(rankHosts(c, vm, predictor));
    }
  });

  test("a VM the document knows is judged fresh: its id matters (it leaves its current host)", () => {
    const prepared = new PreparedCluster(cluster, predictor);
    const known = cluster.vms[0];
    expect(prepared.rank(known)).toEqual(rankHosts(cluster, known, predictor));
  });
});
