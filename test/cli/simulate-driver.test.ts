import { describe, expect, test } from "vitest";
import { HostSimResultSchema } from "../../src/model/scenario.js";
import { runCli } from "../helpers/cli.js";

const E11 = "data/scenarios/e11-driver-domain.json";

describe("vmplace simulate with a driver domain", () => {
  test("the text output shows dom0's share and each guest's driver CPU beside its own", () => {
    const r = runCli(["simulate", E11, "--duration", "3s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/driver domain dom0: 1 vCPU\(s\), charging off \(stock\), cpu share 0\.2\d\d/);
    // web: its own 0.5 (the cap) plus 0.22 of dom0 (E11, derived in test/sim/driver).
    expect(r.stdout).toMatch(/\nweb\s+\d+\s+0\.2[12]\d\s+0\.(49|50)\d\s+0\.7[12]\d\s+3\d\.\d%/);
  });

  test("--charge-driver-work on bills dom0's time to the web server: its aggregate falls to its 50% cap", () => {
    const r = runCli(["simulate", E11, "--duration", "3s", "--charge-driver-work", "on", "--json"]);
    expect(r.code).toBe(0);
    const result = HostSimResultSchema.parse(JSON.parse(r.stdout));
    expect(result.driverDomain?.chargeDriverWork).toBe(true);
    const web = result.vms.find((v) => v.id === "web");
    expect(Math.abs((web?.driver?.aggregateCpuShare ?? 0) - 0.5)).toBeLessThan(0.01);
    expect(result.vms.map((v) => v.id)).toEqual(["web", "batch"]);
  });

  test("--charge-driver-work on a host without a driver domain, or with a bad value, is an input error", () => {
    const none = runCli(["simulate", "data/scenarios/bobtail-4core.json", "--charge-driver-work", "on"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--charge-driver-work: host "bobtail-4core" .* has no driverDomain/);
    const bad = runCli(["simulate", E11, "--charge-driver-work", "yes"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--charge-driver-work: "yes" must be on or off/);
  });
});
