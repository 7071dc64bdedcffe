import { describe, expect, test } from "vitest";
import { ImportOptionsSchema } from "../../src/io/import/options.js";
import { FIXTURES, PLANETLAB_SAMPLE, importPaths, okCluster, problemsOf } from "./import-helpers.js";

const F = FIXTURES;

describe("malformed rows are named by file and line", () => {
  test.each([
    [
      "planetlab",
      `${F}/planetlab-bad`,
      [`${F}/planetlab-bad/bad slice:2: "abc": must be a number`, `${F}/planetlab-bad/bad slice:4: "150": must be at most 100`],
    ],
    [
      "bitbrains",
      `${F}/bitbrains-bad`,
      [
        `${F}/bitbrains-bad/4.csv:3: column "CPU usage [%]": must be a number`,
        `${F}/bitbrains-bad/4.csv:4: expected 11 cells like the header, found 6`,
      ],
    ],
    [
      "azure-vmtable",
      `${F}/vmtable-bad.csv`,
      [
        `${F}/vmtable-bad.csv:2: column "avg cpu": must be at least 0`,
        `${F}/vmtable-bad.csv:3: column "vm category": must be Interactive, Delay-insensitive or Unkown`,
        `${F}/vmtable-bad.csv:4: column "timestamp vm deleted": is before the VM was created`,
        `${F}/vmtable-bad.csv:5: expected 11 comma-separated cells, found 8`,
        `${F}/vmtable-bad.csv:6: column "vm virtual core count bucket": must be a size bucket like "4" or ">24"`,
      ],
    ],
    [
      "hosts-csv",
      `${F}/hosts-bad.csv`,
      [
        `${F}/hosts-bad.csv:3: column "cores": must be a number`,
        expect.stringMatching(/^test\/fixtures\/import\/hosts-bad\.csv:4: column "cores": .*1/),
        `${F}/hosts-bad.csv:5: column "id": may hold only letters, digits and _ . : - / @`,
        `${F}/hosts-bad.csv:6: expected 4 cells like the header, found 3`,
      ],
    ],
    [
      "alibaba-nodes",
      `${F}/alibaba-nodes-bad.csv`,
      [
        `${F}/alibaba-nodes-bad.csv:3: column "cpu_milli": must be at least 1000 (one core)`,
        `${F}/alibaba-nodes-bad.csv:4: column "memory_mib": must be a number`,
      ],
    ],
  ] as const)("%s: the import fails listing every bad row", (format, path, expected) => {
    expect(problemsOf(importPaths([path], { format }))).toEqual(expected);
  });

  test("a hosts CSV header with a typo fails on line 1, naming the columns", () => {
    expect(problemsOf(importPaths([`${F}/hosts-typo.csv`], { format: "hosts-csv" }))).toEqual([
      `${F}/hosts-typo.csv:1: header lacks memoryMiB (expected id,cores,memoryMiB[,networkMbps][,cost][,scheduler][,label:KEY...])`,
      `${F}/hosts-typo.csv:1: unknown column(s) memoryMB`,
    ]);
  });

  test("a bad row in the --hosts inventory fails a VM import too", () => {
    const lines = problemsOf(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", limit: 2 }, `${F}/hosts-bad.csv`));
    expect(lines[0]).toMatch(/hosts-bad\.csv:3:/);
  });
});

describe("--skip-bad", () => {
  test("planetlab: bad lines are skipped and their interval repeats the previous sample", () => {
    const outcome = importPaths([`${F}/planetlab-bad`], { format: "planetlab", skipBad: true, workloadClass: "batch" });
    const c = okCluster(outcome);
    const bad = c.vms.find((v) => v.labels.origin === "bad slice");
    expect(bad?.workload).toMatchObject({ kind: "trace", utilisationPercent: [10, 10, 30, 30] });
    expect(outcome.summary.problems).toBe(2);
  });

  test("azure: bad rows are skipped, good ones kept", () => {
    const outcome = importPaths([`${F}/vmtable-bad.csv`], { format: "azure-vmtable", skipBad: true });
    expect(okCluster(outcome).vms.map((v) => v.id)).toEqual(["aVm1"]);
    expect(outcome.summary.problems).toBe(5);
  });

  test.each([
    ["hosts-csv", `${F}/hosts-bad.csv`, ["h1", "h6"]],
    ["alibaba-nodes", `${F}/alibaba-nodes-bad.csv`, ["openb-node-0001"]],
  ] as const)("%s: bad rows are skipped, good ones kept", (format, path, ids) => {
    expect(okCluster(importPaths([path], { format, skipBad: true })).hosts.map((h) => h.id)).toEqual(ids);
  });

  test("bitbrains: a file without a Bitbrains header is reported and left out", () => {
    const outcome = importPaths([`${F}/hosts.csv`], { format: "bitbrains", skipBad: true });
    expect(okCluster(outcome).vms).toEqual([]);
    expect(outcome.summary.skipped).toEqual([{ what: `${F}/hosts.csv`, why: "no samples" }]);
    expect(outcome.summary.problems).toBe(1);
  });
});

describe("a cluster that fails validation is never produced", () => {
  test("a VM larger than every host fails even with --skip-bad, naming the VM", () => {
    const lines = problemsOf(importPaths([PLANETLAB_SAMPLE], { format: "planetlab", limit: 1, vcpus: 40, skipBad: true }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\(imported cluster\) vms\[0\]: "146-179_surfsnel_dsl_internl_net_colostate_557": VM needs 40 vCPU/);
  });
});

describe("options", () => {
  test.each([
    [{ format: "bitbrains", vcpus: 2 }, "vcpus", "applies only to --format planetlab"],
    [{ format: "azure-vmtable", workloadClass: "batch" }, "workloadClass", "applies only to --format planetlab or bitbrains"],
    [{ format: "hosts-csv", window: "0:10" }, "window", "applies only to --format planetlab, bitbrains or azure-vmtable"],
    [{ format: "planetlab", window: "10:5" }, "window", "END must be above START"],
    [{ format: "planetlab", window: "a:b" }, "window", "must be START:END"],
    [{ format: "planetlab", limit: 0 }, "limit", ""],
  ])("%j is refused on %s", (input, field, message) => {
    const r = ImportOptionsSchema.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error?.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toContain(message);
  });
});
