import { describe, expect, test } from "vitest";
import { checkPlan } from "../../src/model/check-plan.js";
import { generateTightCluster } from "../../src/model/generate-tight.js";
import { typeOpenOrder } from "../../src/placement/host-order.js";
import { buildItems } from "../../src/placement/items.js";
import { resourcePrices } from "../../src/placement/prices.js";
import { buildProblem } from "../../src/placement/problem.js";
import { defaultProfile, frameworkFor } from "../../src/placement/profile.js";
import { construct } from "../../src/placement/solvers/construct.js";
import { dotProductPack } from "../../src/placement/solvers/dot-product.js";
import { cluster, predictor } from "./helpers.js";

function tight(hosts: number, vms: number, seed: number) {
  const c = cluster(generateTightCluster({ hosts, vms, seed }));
  const p = buildProblem(c, predictor());
  return { c, p, fw: frameworkFor(defaultProfile("min-cost")), set: buildItems(p) };
}

const shape = (t: { cores: number; memoryMiB: number; networkMbps: number }): string => `${t.cores}/${t.memoryMiB / 1024}/${t.networkMbps / 1000}`;

describe("resource prices order the host types", () => {
  test.each([1, 2])("on the tight family memory is worth nothing and the smallest hosts open before the largest (seed %i)", (seed) => {
    const { p } = tight(400, 1200, seed);
    const prices = resourcePrices(p)!;
    // Demand is 42% of the memory but 67% of the cores and 73% of the network.
    expect(prices.perUnit[0]).toBe(0);
    expect(prices.perUnit[1]).toBeGreaterThan(0);
    expect(prices.perUnit[2]).toBeGreaterThan(0);
    const order = [...typeOpenOrder(p)].map((t) => shape(p.types[t]));
    // 3 cores / 2 GiB / 2 units at 350 carries cores and network at the lowest price per unit;
    // ranked by "average VMs" (memory counted like the rest) it came before only the 16/64/8.
    expect(order.indexOf("3/2/2")).toBeLessThan(order.indexOf("24/96/20"));
    expect(order.indexOf("3/2/2")).toBeLessThan(order.indexOf("16/64/8"));
    // A type no cheapest cover buys is opened last.
    expect(order.at(-1)).toBe("16/64/8");
  });
});

describe("the residual-alignment packing's lookahead", () => {
  test.each([1, 2, 3])("packs the tight family cheaper than the rule alone, every VM placed and the checker agreeing (seed %i)", (seed) => {
    const { c, p, fw, set } = tight(400, 1200, seed);
    const plain = dotProductPack(p, fw, set, 0.15);
    const look = dotProductPack(p, fw, set, 0.15, true);
    expect(look.unplaced).toEqual([]);
    expect(look.state.usedCost).toBeLessThan(plain.state.usedCost);
    const assignments = Array.from(look.state.hostOf, (i, j) => ({ vm: c.vms[j].id, host: c.hosts[i].id }));
    expect(checkPlan(c, assignments)).toEqual([]);
  });
});

describe("the construction portfolio", () => {
  test("past its deadline it keeps the best of the two runs that always run", () => {
    const { p, fw, set } = tight(100, 300, 1);
    const early = construct(p, fw, set, () => true);
    expect(["dot-product-lookahead(0.15)", "dot-product(0.3)"]).toContain(early.heuristic);
    const all = construct(p, fw, set);
    expect(all.state.usedCost).toBeLessThanOrEqual(early.state.usedCost);
    expect(all.unplaced).toEqual([]);
  });
});
