import { describe, expect, test } from "vitest";
import { HostSimResultSchema } from "../../src/model/scenario.js";
import { runCli } from "../helpers/cli.js";

const SCENARIO = "data/scenarios/bobtail-4core.json";

describe("vmplace simulate", () => {
  test("a scenario file gives a HostSimResult as JSON, with --duration and --seed applied", () => {
    const r = runCli(["simulate", SCENARIO, "--duration", "2s", "--seed", "7", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = HostSimResultSchema.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ hostId: "bobtail-4core", scheduler: "xen-credit", measuredUs: 2e6, seed: 7 });
    expect(result.vms.map((v) => v.id)).toEqual(["io-1", "cpu-1", "cpu-2", "cpu-3", "cpu-4", "cpu-5", "cpu-6"]);
    // Same seed, same bytes.
    expect(runCli(["simulate", SCENARIO, "--duration", "2s", "--seed", "7", "--json"]).stdout).toBe(r.stdout);
  });

  test("without --json it prints a table per VM", () => {
    const r = runCli(["simulate", SCENARIO, "--duration", "1000", "--scheduler", "kvm-cfs"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^host bobtail-4core: kvm-cfs, 4 cores, 1\.0 s measured/);
    expect(r.stdout).toMatch(/vm\s+workload\s+cpu share\s+req p50 ms\s+req p99 ms\s+req p99\.9 ms\s+req max ms/);
    expect(r.stdout).toMatch(/\nio-1\s+io\s+0\.0\d\d\s+0\.050/);
    expect(r.stdout).toMatch(/\ncpu-6\s+cpu\s+0\.\d{3}\s+-\s+-\s+-\s+-/);
  });

  test("--compare shows the host under each scheduler side by side, and as a JSON array", () => {
    const args = ["simulate", SCENARIO, "--duration", "1s", "--compare", "credit1,credit2,cfs,eevdf"];
    const text = runCli(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^host bobtail-4core: 4 cores, 1\.0 s measured, seed \d+, 4 schedulers/);
    for (const kind of ["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"])
      expect(text.stdout).toMatch(new RegExp(`\nio-1\\s+io\\s+${kind}\\s+0\\.0\\d\\d`));
    const json = runCli([...args, "--json"]);
    expect(json.code).toBe(0);
    const results = HostSimResultSchema.array().parse(JSON.parse(json.stdout));
    expect(results.map((r) => r.scheduler)).toEqual(["xen-credit", "xen-credit2", "kvm-cfs", "kvm-eevdf"]);
    // Each is the same run --scheduler would give.
    const single = HostSimResultSchema.parse(JSON.parse(runCli(["simulate", SCENARIO, "--duration", "1s", "--scheduler", "xen-credit2", "--json"]).stdout));
    expect(results[1]).toEqual(single);
  }, 30000);

  test("a cluster document is simulated for the host named by --host", () => {
    const r = runCli(["simulate", "data/sample-cluster.json", "--host", "h01", "--duration", "1s", "--json"]);
    expect(r.code).toBe(0);
    const result = HostSimResultSchema.parse(JSON.parse(r.stdout));
    expect(result.hostId).toBe("h01");
    expect(result.vms.map((v) => v.id)).toEqual(expect.arrayContaining(["web-1", "web-8", "db-1", "cache-1"]));
  });

  test.each([
    [["simulate", "data/sample-cluster.json"], /choose one with --host/],
    [["simulate", "data/sample-cluster.json", "--host", "nope"], /no host "nope"/],
    [["simulate", SCENARIO, "--compare", "credit1,bfs"], /--compare: unknown scheduler "bfs"/],
    [["simulate", SCENARIO, "--compare", "cfs,kvm-cfs"], /--compare: "kvm-cfs" is listed twice/],
    [["simulate", SCENARIO, "--compare", "cfs", "--scheduler", "kvm-cfs"], /cannot be combined/],
    [["simulate", SCENARIO, "--scheduler", "bfs"], /--scheduler: unknown kind "bfs"/],
    [["simulate", SCENARIO, "--duration", "ten"], /--duration: "ten" is not a whole number/],
    [["simulate", SCENARIO, "--seed", "-3"], /--seed/],
    [["simulate", "package.json"], /not a valid scenario/],
    [["simulate", "no/such.json"], /no such file/],
  ])("bad input %j gets one clear message and exit 2", (args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
