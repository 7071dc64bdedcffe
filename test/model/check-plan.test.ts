import { describe, expect, test } from "vitest";
import { checkCurrentPlacement, checkPlan } from "../../src/model/check-plan.js";
import { parseOrThrow } from "../helpers/fixtures.js";

const idle = { kind: "idle" as const };

/** Issue 11: 39 VMs on one host at 2.5× its memory; one VM without a current host. */
function crowded() {
  return parseOrThrow({
    hosts: [{ id: "h1", cores: 64, memoryMiB: 39 * 1024 }, { id: "h2", cores: 64, memoryMiB: 64 * 1024 }],
    vms: [
      ...Array.from({ length: 39 }, (_, j) => ({ id: `vm${j}`, vcpus: 1, memoryMiB: 2560, workload: idle, host: "h1" })),
      { id: "new", vcpus: 1, memoryMiB: 1024, workload: idle },
    ],
  });
}

describe("the independent checker never calls a plan that leaves VMs out ok", () => {
  test("each VM the assignments leave out is a finding", () => {
    const c = crowded();
    const all = c.vms.map((v, j) => ({ vm: v.id, host: j < 15 ? "h1" : "h2" }));
    expect(checkPlan(c, all)).toEqual([]);
    const partial = all.filter((a) => a.vm !== "vm3" && a.vm !== "new");
    expect(checkPlan(c, partial)).toEqual([
      { constraint: "unplaced", vms: ["new"] },
      { constraint: "unplaced", vms: ["vm3"] },
    ]);
    expect(checkPlan(c, partial, { partial: true })).toEqual([]);
  });

  test("the current placement's hard violations are findings; a VM without a current host is not", () => {
    const found = checkCurrentPlacement(crowded());
    expect(found).toHaveLength(1);
    // 39 × 2.5 GiB on 39 GiB: 2.5 times the host's memory.
    expect(found[0]).toMatchObject({ constraint: "memory", host: "h1", requested: 39 * 2560, capacity: 39 * 1024 });
    expect(found[0].vms).toHaveLength(39);
  });
});
