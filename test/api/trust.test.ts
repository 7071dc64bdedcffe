import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ZodApp } from "../../src/api/routes/types.js";
import { SIMULATED_KINDS } from "../../src/sim/schedulers/registry.js";
import { SCHEDULER_KINDS, type SchedulerKind } from "../../src/model/scheduler.js";
import { simulationProblems } from "../../src/sim/simulable.js";
import { runCli } from "../helpers/cli.js";
import { infeasibleCluster, overloadedCluster, tmpDir, writeCluster } from "../helpers/clusters.js";
import { expectError, ioVm, post, sampleCluster, shortScenario, testApp } from "./helper.js";

let app: ZodApp;
beforeAll(async () => {
  app = await testApp({ limits: { bodyLimitBytes: 64 * 1024 } });
});
afterAll(async () => {
  await app.close();
});

describe("the API never answers 5xx for what the CLI rejects", () => {
  // Data-driven from the registry: every kind the model knows either simulates (200) or is a 400
  // naming host.scheduler.kind, exactly as the CLI's exit 2 says it; never a 500 from the worker.
  test.each(SCHEDULER_KINDS.map((k) => [k]))("simulate with scheduler %s: 200 if the registry simulates it, else the CLI's 400", async (kind) => {
    const s = shortScenario(200);
    const res = await post(app, "/v1/simulate", { ...s, host: { ...s.host, scheduler: { kind } } });
    if (SIMULATED_KINDS.includes(kind)) {
      expect(res.statusCode, res.body).toBe(200);
      return;
    }
    const body = expectError(res, 400, "INVALID_INPUT");
    expect(body.problems).toEqual([{ path: "host.scheduler.kind", message: expect.stringMatching(new RegExp(`scheduler kind "${kind}" is not simulated yet`)) }]);
    const file = writeCluster(tmpDir("vmplace-sched-"), "s.json", { ...s, host: { ...s.host, scheduler: { kind } } } as never);
    const cli = runCli(["simulate", file]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(body.problems![0].message);
  }, 60_000);

  test("the shared check refuses a kind the registry does not simulate, naming the field", () => {
    expect(simulationProblems("xen-credit", "host.scheduler.kind")).toEqual([]);
    // A kind outside the registry's list (as xen-credit2 was before its policy landed).
    const unknown = "xen-credit3" as SchedulerKind;
    expect(simulationProblems(unknown, "host.scheduler.kind")).toEqual([
      { path: "host.scheduler.kind", message: `scheduler kind "xen-credit3" is not simulated yet (simulated: ${SIMULATED_KINDS.join(", ")})` },
    ]);
  });

  test("413 states the limit and the flag that sets it; 415 states the media type expected", async () => {
    const big = expectError(await post(app, "/v1/score", { ...sampleCluster(), vms: [...sampleCluster().vms, ...Array.from({ length: 2000 }, (_, k) => ioVm(`v${k}`))] }), 413, "BODY_TOO_LARGE");
    expect(big.message).toMatch(/^request body of \d+ bytes is over the limit of 65536 bytes \(vmplace serve --body-limit\)$/);
    const res = await app.inject({ method: "POST", url: "/v1/score", headers: { "content-type": "text/plain" }, payload: "hosts" });
    expect(expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE").message).toBe('media type "text/plain" is not accepted: send the body as application/json');
  });

  test("a UTF-8 byte-order mark before the JSON body is accepted", async () => {
    const res = await post(app, "/v1/score", `\ufeff${JSON.stringify(sampleCluster())}`);
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe("API answers carry the CLI's status", () => {
  test("score: incomplete with the breach of the sample and the violations of an overloaded host", async () => {
    expect((await post(app, "/v1/score", sampleCluster())).json()).toMatchObject({ status: "incomplete", reasons: [{ kind: "breach", count: 1 }], violations: [] });
    const over = (await post(app, "/v1/score", overloadedCluster())).json<{ status: string; violations: { constraint: string }[] }>();
    expect(over.status).toBe("incomplete");
    expect(over.violations.map((v) => v.constraint)).toEqual(["memory", "vcpus"]);
  });

  test("plan: incomplete with the unplaced VMs of an infeasible cluster; ok for the sample", async () => {
    const opts = { solver: "heuristic", iterations: 300, validate: false };
    const bad = (await post(app, "/v1/plan", { cluster: infeasibleCluster(), options: opts })).json<{ status: string; reasons: { kind: string }[]; unplaced: string[] }>();
    expect(bad.status).toBe("incomplete");
    expect(bad.reasons[0]).toMatchObject({ kind: "unplaced", count: bad.unplaced.length });
    expect((await post(app, "/v1/plan", { cluster: sampleCluster(), options: opts })).json()).toMatchObject({ status: "ok", reasons: [] });
  }, 60_000);

  test("migrations: incomplete when max-moves leaves the breach; place: incomplete when no host can take the VM", async () => {
    const mig = await post(app, "/v1/migrations", { cluster: sampleCluster(), options: { maxMoves: 0 } });
    expect(mig.statusCode, mig.body).toBe(200);
    expect(mig.json()).toMatchObject({ status: "incomplete", reasons: [{ kind: "breach", count: 1 }] });
    // Only the empty h08 (256 GiB) could hold it, and a filler VM runs there now.
    const c = sampleCluster();
    const full = { ...c, vms: [...c.vms, { ...ioVm("filler"), memoryMiB: 100_000, host: "h08" }] };
    const none = await post(app, "/v1/place", { cluster: full, vm: { ...ioVm("huge"), memoryMiB: 200_000 } });
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toMatchObject({ status: "incomplete", reasons: [{ kind: "unplaced" }] });
    expect((await post(app, "/v1/place", { cluster: sampleCluster(), vm: ioVm("small") })).json()).toMatchObject({ status: "ok" });
  }, 60_000);
});
