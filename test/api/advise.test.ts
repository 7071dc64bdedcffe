import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { AdviceSchema } from "../../src/model/advice.js";
import { expectError, post, sampleCluster, testApp } from "./helper.js";

let app: ZodApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(() => app.close());

const QUICK = { durationMs: 1000, seeds: 1 };

describe("POST /v1/advise", () => {
  test("weighs the named host's options by simulation in a worker, with the CLI's document and status", async () => {
    const res = await post(app, "/v1/advise", { cluster: sampleCluster(), host: "h07", options: QUICK });
    expect(res.statusCode, res.body).toBe(200);
    const a = AdviceSchema.parse(res.json());
    expect(a.settings).toMatchObject({ host: "h07", durationMs: 1000, seeds: [42] });
    expect(a.hosts.map((h) => [h.hostId, h.named])).toEqual([["h07", true]]);
    expect(a.hosts[0].options.map((o) => o.id)).toEqual(expect.arrayContaining(["current", "scheduler:xen-credit2", "migrate"]));
    expect(a.status).toBe(a.hosts[0].recommendation.optionId === undefined ? "incomplete" : "ok");
  });

  test("without a host, every host with a breach; the same request gives the same bytes", async () => {
    const body = { cluster: sampleCluster(), options: { ...QUICK, seed: 7 } };
    const [a, b] = await Promise.all([post(app, "/v1/advise", body), post(app, "/v1/advise", body)]);
    expect(a.statusCode, a.body).toBe(200);
    expect(a.body).toBe(b.body);
    expect(AdviceSchema.parse(a.json()).hosts.map((h) => h.hostId)).toContain("h07");
  });

  test.each<[string, (c: ReturnType<typeof sampleCluster>) => unknown, string[]]>([
    ["an unknown host", (c) => ({ cluster: c, host: "h99" }), ["host"]],
    ["a host no VM runs on", (c) => ({ cluster: { ...c, hosts: [...c.hosts, { id: "h09", cores: 4, memoryMiB: 8192 }] }, host: "h09" }), ["host"]],
    ["bad options", (c) => ({ cluster: c, options: { seeds: 0, durationMs: 5 } }), ["options.durationMs", "options.seeds"]],
    ["a bad cluster and an unknown field", (c) => ({ cluster: { ...c, vms: [{ ...c.vms[0], vcpus: -1 }, ...c.vms.slice(1)] }, mode: "fix" }), ["", "cluster.vms[0].vcpus"]],
    ["no VM with a current host", (c) => ({ cluster: { ...c, vms: c.vms.map(({ host: _h, ...v }) => v) } }), ["cluster.vms"]],
    ["no cluster", () => ({ host: "h07" }), ["cluster"]],
  ])("%s is a 400 naming every field at fault", async (_what, body, paths) => {
    const e = expectError(await post(app, "/v1/advise", body(sampleCluster())), 400, "INVALID_INPUT");
    expect(e.problems!.map((p) => p.path).sort()).toEqual(paths);
  });
});
