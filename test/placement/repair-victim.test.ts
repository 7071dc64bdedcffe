import { describe, expect, test } from "vitest";
import { Pct } from "../../src/interference/predictor.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import { buildItems } from "../../src/placement/items.js";
import { buildProblem } from "../../src/placement/problem.js";
import { PlacementState } from "../../src/placement/state.js";
import { mostHarmful } from "../../src/placement/validate-plan.js";
import { cluster, predictor } from "./helpers.js";

/**
 * A repair evicts the neighbour whose removal cuts the breaching victim's predicted delay most.
 * A mixed victim is itself CPU-bound: weighing its own removal asked the predictor for a victim
 * that was no longer on the host, which threw "Tails: excluding a vCPU that was never added"
 * (`vmplace plan` on a generated 1,000-host default mix exited 1 in its first repair round) or,
 * with other sleepers there, read a meaningless delay.
 */
function host(neighbours: ClusterInput["vms"]): ClusterInput {
  const mixed = { id: "app", vcpus: 1, memoryMiB: 1024, workload: { kind: "mixed" as const, io: { requestsPerSec: 500, serviceUs: 100 }, cpu: { dutyCycle: 0.5, burstMs: 10 } }, slo: { p999Ms: 5 } };
  return {
    hosts: [{ id: "h1", cores: 4, memoryMiB: 65536, cost: 1, scheduler: { kind: "xen-credit" } }],
    vms: [mixed, ...neighbours],
    policy: { cpuOvercommit: 4 },
  };
}

const cpu = (id: string, dutyCycle: number) => ({ id, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu" as const, dutyCycle, burstMs: 10 } });

function harmfulOf(input: ClusterInput): { worst: number; victim: number } {
  const p = buildProblem(cluster(input), predictor());
  const s = new PlacementState(p);
  for (let j = 0; j < p.nVms; j++) s.assign(j, 0);
  return { worst: mostHarmful(s, buildItems(p), 0, 0, Pct.P999), victim: 0 };
}

describe("a repair's most harmful neighbour", () => {
  test("beside hogs only, a mixed victim's most harmful neighbour is a hog, not itself", () => {
    const { worst, victim } = harmfulOf(host([cpu("hog1", 1), cpu("hog2", 1), cpu("hog3", 1), cpu("hog4", 1)]));
    expect(worst).toBeGreaterThan(victim);
  });

  test("beside sleepers, it is one of the sleepers", () => {
    const { worst } = harmfulOf(host([cpu("s1", 0.9), cpu("s2", 0.9), cpu("s3", 0.9), cpu("s4", 0.9), cpu("s5", 0.9)]));
    expect([1, 2, 3, 4, 5]).toContain(worst);
  });
});
