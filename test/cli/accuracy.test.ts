import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EVAL_SEEDS } from "../../src/interference/eval/compositions.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "vmplace-accuracy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("vmplace accuracy", () => {
  test("prints the figures per class and scheduler from the cached reference, and --json parses", () => {
    const r = runCli(["accuracy"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/contended \(all\)\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+%\s+\d+\s+[\d.]+\/[\d.]+/);
    for (const g of ["contended kvm-cfs", "contended xen-credit/30ms", "contended xen-credit/5ms", "uncontended (all)", "contended-32 kvm-cfs", "contended xen-credit2 (all)", "contended kvm-eevdf (all)", "contended-eevdf kvm-eevdf"]) expect(r.stdout).toContain(g);
    // Both frozen rounds, each under its name; the second has 32-core credit2 and EEVDF hosts.
    expect(r.stdout).toMatch(/^holdout-1 \(seeds 9101-9112\)$/m);
    expect(r.stdout).toMatch(/^holdout-2 \(seeds 9201-9212\)$/m);
    expect(r.stdout).toMatch(/^holdout-3 \(seeds 9601-9610\)$/m);
    expect(r.stdout).toMatch(/^holdout-4 \(seeds 9701-9710\)$/m);
    expect(r.stdout).toContain("contended-credit2-32 xen-credit2");
    const j = JSON.parse(runCli(["accuracy", "--json"]).stdout) as Record<string, { group: string; coverage: number }[]>;
    // holdout-34 is sealed: measured only when named, once, after a model change.
    expect(Object.keys(j)).toEqual(["holdout-1", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8", "packed-1", "holdout-9", "holdout-10", "holdout-11", "holdout-12", "holdout-13", "holdout-14", "holdout-15", "holdout-16", "holdout-17", "holdout-18", "holdout-19", "holdout-20", "holdout-21", "holdout-22", "holdout-23", "holdout-24", "holdout-25", "holdout-26", "holdout-27", "holdout-28", "holdout-29", "holdout-30", "holdout-31", "holdout-32", "holdout-33"]);
    // The packed round is reported as its own class, not folded into the contended figures.
    expect(j["packed-1"].map((g) => g.group)).toContain("packed (all)");
    expect(j["packed-1"].map((g) => g.group)).not.toContain("contended (all)");
    for (const [name, groups] of Object.entries(j)) expect(groups.find((g) => g.group === (name === "packed-1" ? "packed (all)" : "contended (all)"))?.coverage).toBeGreaterThan(0);
    const one = JSON.parse(runCli(["accuracy", "--json", "--round", "holdout-2"]).stdout) as Record<string, unknown>;
    expect(Object.keys(one)).toEqual(["holdout-2"]);
    // Three runs of every open round's figures (about 3 s each idle); shared CI cores run it slower.
  }, 120_000);

  test("an unknown --round, or --reference without --round, is a usage error naming the flag", () => {
    expect(runCli(["accuracy", "--round", "holdout-99"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--round: unknown evaluation round "holdout-99" \(known: holdout-1, holdout-2, holdout-3, holdout-4, holdout-5, holdout-6, holdout-7, holdout-8, packed-1, holdout-9, holdout-10, holdout-11, holdout-12, holdout-13, holdout-14, holdout-15, holdout-16, holdout-17, holdout-18, holdout-19, holdout-20, holdout-21, holdout-22, holdout-23, holdout-24, holdout-25, holdout-26, holdout-27, holdout-28, holdout-29, holdout-30, holdout-31, holdout-32, holdout-33, holdout-34\)/) });
    expect(runCli(["accuracy", "--reference", "x.json"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--reference needs --round/) });
  });

  test("--rebuild-reference needs --out and will not replace a file without --force", () => {
    expect(runCli(["accuracy", "--rebuild-reference"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs --out/) });
    const out = join(dir, "exists.json");
    writeFileSync(out, "{}");
    const r = runCli(["accuracy", "--rebuild-reference", "--out", out, "--workers", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists: pass --force/);
    expect(readFileSync(out, "utf8")).toBe("{}");
  });
});

describe("vmplace calibrate", () => {
  test("refuses the accuracy protocol's evaluation seeds before any simulation, writing nothing", () => {
    const out = join(dir, "new.json");
    const bad = runCli(["calibrate", "--out", out, "--seed", String(EVAL_SEEDS[0]), "--seeds", "1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/are evaluation seeds/);
    expect(existsSync(out)).toBe(false);
  });
});
