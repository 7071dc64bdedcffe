import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import type { ClusterInput } from "../../src/model/cluster.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { buildItems } from "../../src/placement/items.js";
import { insertUnplaced } from "../../src/placement/solvers/insertion.js";
import { createMoveContext } from "../../src/placement/solvers/local-search.js";
import { PlacementState } from "../../src/placement/state.js";
import { problemOf } from "./helpers.js";

const idle = { kind: "idle" as const };

function doc(hosts: { id: string; cores: number; cost?: number }[], vms: { id: string; vcpus: number }[]): ClusterInput {
  return {
    hosts: hosts.map((h) => ({ memoryMiB: 65536, cost: 1, ...h })),
    vms: vms.map((v) => ({ memoryMiB: 1024, workload: idle, ...v })),
    policy: { cpuOvercommit: 1 },
  };
}

/** setUp: the problem, with the given VMs on the given hosts and the rest left out. */
function setUp(input: ClusterInput, on: Record<string, string>) {
  const p = problemOf(input);
  const a = Int32Array.from(p.vms, (v) => (on[v.id] ? p.hosts.findIndex((h) => h.id === on[v.id]) : -1));
  const s = PlacementState.fromAssignment(p, a);
  const set = buildItems(p);
  const ctx = createMoveContext(frameworkFor(defaultProfile("min-cost")), set, s, seedrandom.alea("t"));
  const out = set.items.filter((it) => s.hostOf[it.vms[0]] < 0);
  const where = (id: string): string | undefined => {
    const i = s.hostOf[p.vms.findIndex((v) => v.id === id)];
    return i >= 0 ? p.hosts[i].id : undefined;
  };
  return { p, s, ctx, out, where };
}

describe("insertUnplaced", () => {
  // Every host has 1 core free; x needs 3. b leaves h1 for h2, which sends d to h3.
  const chain = doc([{ id: "h1", cores: 4 }, { id: "h2", cores: 4 }, { id: "h3", cores: 4 }], [
    { id: "a", vcpus: 1 }, { id: "b", vcpus: 2 }, { id: "c", vcpus: 2 }, { id: "d", vcpus: 1 }, { id: "e", vcpus: 3 }, { id: "x", vcpus: 3 },
  ]);
  const before = { a: "h1", b: "h1", c: "h2", d: "h2", e: "h3" };

  test("a VM no host has room for is placed by a two-level ejection chain, every other VM still placed", () => {
    const { s, ctx, out, where } = setUp(chain, before);
    expect(out).toHaveLength(1);
    expect(insertUnplaced(ctx, out)).toEqual([]);
    expect(s.placed).toBe(6);
    expect(["x", "b", "d"].map(where)).toEqual(["h1", "h2", "h3"]);
  });

  test("with depth 1 the same VM stays out and nothing else moves (a failed chain is rolled back whole)", () => {
    const { s, ctx, out, where } = setUp(chain, before);
    expect(insertUnplaced(ctx, out, { depth: 1, breadth: 6 })).toHaveLength(1);
    expect(s.placed).toBe(5);
    expect(["a", "b", "c", "d", "e", "x"].map(where)).toEqual(["h1", "h1", "h2", "h2", "h3", undefined]);
  });

  test("when no used host has room, the cheapest empty host that fits is opened, not the cheapest per core", () => {
    const input = doc([{ id: "used", cores: 2, cost: 1 }, { id: "big", cores: 16, cost: 4 }, { id: "small", cores: 4, cost: 2 }, { id: "tiny", cores: 2, cost: 1.5 }], [
      { id: "a", vcpus: 2 }, { id: "x", vcpus: 3 },
    ]);
    const { ctx, out, where } = setUp(input, { a: "used" });
    expect(insertUnplaced(ctx, out)).toEqual([]);
    expect(where("x")).toBe("small");
  });

  test("a VM no host may take (hard anti-affinity) stays out and the plan is unchanged", () => {
    const input = { ...doc([{ id: "h1", cores: 4 }], [{ id: "a", vcpus: 2 }, { id: "x", vcpus: 1 }]), constraints: [{ kind: "anti-affinity" as const, vms: ["a", "x"] }] };
    const { s, ctx, out, where } = setUp(input, { a: "h1" });
    expect(insertUnplaced(ctx, out)).toHaveLength(1);
    expect(s.placed).toBe(1);
    expect(where("a")).toBe("h1");
  });
});
