import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseCluster } from "../../src/model/validate.js";
import { ClusterSummarySchema, summarizeCluster } from "../../src/model/summary.js";

describe("cluster summary", () => {
  test("the summary validate prints is a document of its own schema, every workload kind counted", () => {
    const parsed = parseCluster(JSON.parse(readFileSync("data/sample-cluster.json", "utf8")));
    if (!parsed.ok) throw new Error("sample");
    const summary = summarizeCluster(parsed.value);
    // The schema once knew five kinds while the summary counted seven (probe, tick-dodge).
    expect(ClusterSummarySchema.safeParse(summary).success).toBe(true);
    const total = Object.values(summary.workloads).reduce((a, n) => a + n, 0);
    expect(total).toBe(parsed.value.vms.length);
  });
});
