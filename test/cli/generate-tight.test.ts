import { describe, expect, test } from "vitest";
import { parseCluster } from "../../src/model/validate.js";
import { runCli } from "../helpers/cli.js";

describe("vmplace generate --profile tight", () => {
  test("the same seed prints the same bytes, and the document is valid", () => {
    const args = ["generate", "--profile", "tight", "--hosts", "40", "--vms", "120", "--seed", "5"];
    const a = runCli(args);
    expect(a.code).toBe(0);
    expect(runCli(args).stdout).toBe(a.stdout);
    expect(runCli(["generate", "--profile", "tight", "--hosts", "40", "--vms", "120", "--seed", "6"]).stdout).not.toBe(a.stdout);
    const parsed = parseCluster(JSON.parse(a.stdout));
    expect(parsed.ok).toBe(true);
  });

  test.each([
    [["--profile", "tight", "--mix", "io=1"], /--profile tight: --mix, --placed and --scheduler apply only to --profile mixed/],
    [["--profile", "tight", "--placed"], /--profile tight/],
    [["--profile", "wide"], /--profile must be mixed or tight, got "wide"/],
  ])("%j is refused with exit 2 and one clear message", (flags, message) => {
    const r = runCli(["generate", "--hosts", "4", "--vms", "4", ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
