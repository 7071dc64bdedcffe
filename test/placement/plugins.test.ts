import { describe, expect, test } from "vitest";
import type { ClusterInput } from "../../src/model/cluster.js";
import { Pct } from "../../src/interference/predictor.js";
import { HostState, victimTerms } from "../../src/interference/host-state.js";
import { profileVm } from "../../src/interference/profile.js";
import type { FilterPlugin } from "../../src/placement/framework.js";
import { affinity } from "../../src/placement/plugins/affinity.js";
import { antiAffinity } from "../../src/placement/plugins/anti-affinity.js";
import { balance } from "../../src/placement/plugins/balance.js";
import { consolidation } from "../../src/placement/plugins/consolidation.js";
import { hostLabel } from "../../src/placement/plugins/host-label.js";
import { interference } from "../../src/placement/plugins/interference.js";
import { resourceFit } from "../../src/placement/plugins/resource-fit.js";
import { risk } from "../../src/placement/plugins/risk.js";
import { CycleState } from "../../src/placement/framework.js";
import { PlacementState } from "../../src/placement/state.js";
import { cluster, predictor, problemOf } from "./helpers.js";

type VmIn = ClusterInput["vms"][number];
const io = (id: string, sloMs = 5, extra: Partial<VmIn> = {}): VmIn => ({ id, vcpus: 1, memoryMiB: 1024, workload: { kind: "io", requestsPerSec: 500, serviceUs: 100 }, slo: { p999Ms: sloMs }, ...extra });
const sleeper = (id: string, extra: Partial<VmIn> = {}): VmIn => ({ id, vcpus: 1, memoryMiB: 1024, workload: { kind: "cpu", dutyCycle: 0.5, burstMs: 10 }, ...extra });
const host = (id: string, cores = 4, extra: Record<string, unknown> = {}) => ({ id, cores, memoryMiB: 8192, ...extra });

/** stateWith places VMs by id onto hosts by id and returns the state and an index lookup. */
function stateWith(doc: ClusterInput, placed: Record<string, string>) {
  const p = problemOf(doc);
  const s = new PlacementState(p);
  const vm = (id: string) => p.vms.findIndex((v) => v.id === id);
  const h = (id: string) => p.hosts.findIndex((x) => x.id === id);
  for (const [v, hh] of Object.entries(placed)) s.assign(vm(v), h(hh));
  return { p, s, vm, h };
}

function expectAgree(f: FilterPlugin, s: PlacementState, j: number, i: number, fits: boolean) {
  expect(f.fits(s, j, i)).toBe(fits);
  expect(f.filter(s, j, i).code).toBe(fits ? "ok" : "infeasible");
}

describe("ResourceFit", () => {
  // Host: 4 cores × overcommit 2 = 8 vCPUs, 8192 MiB, 1000 Mbps; a and c already use 5 vCPUs, 5120 MiB, 600 Mbps.
  const doc = (vm: Partial<VmIn>): ClusterInput => ({
    hosts: [host("h", 4, { networkMbps: 1000 })],
    vms: [sleeper("a", { vcpus: 4, memoryMiB: 4096, networkMbps: 600 }), sleeper("c"), sleeper("b", vm)],
    policy: { cpuOvercommit: 2 },
  });
  test.each([
    ["fits exactly (memory 8192 of 8192, vCPUs 8 of 8)", { vcpus: 3, memoryMiB: 3072 }, true, undefined],
    ["one MiB over memory", { memoryMiB: 3073 }, false, "memoryMiB"],
    ["one vCPU over cores × overcommit", { vcpus: 4 }, false, "vcpus"],
    ["network over the host's", { networkMbps: 401 }, false, "networkMbps"],
    ["network equal to what is left", { networkMbps: 400 }, true, undefined],
  ])("%s", (_name, vm, fits, resource) => {
    const { s, vm: v, h } = stateWith(doc(vm), { a: "h", c: "h" });
    expectAgree(resourceFit, s, v("b"), h("h"), fits);
    const reasons = resourceFit.filter(s, v("b"), h("h")).reasons;
    if (resource) expect(reasons.map((r) => r.resource)).toEqual([resource]);
  });

  test("a VM with more vCPUs than the host has cores never fits, even empty", () => {
    const { s, vm, h } = stateWith({ hosts: [host("h", 2), host("big", 8)], vms: [sleeper("x", { vcpus: 3 })], policy: { cpuOvercommit: 4 } }, {});
    expect(resourceFit.filter(s, vm("x"), h("h")).reasons).toEqual([{ constraint: "ResourceFit", resource: "cores", requested: 3, used: 0, capacity: 2 }]);
  });
});

describe("AntiAffinity", () => {
  const doc = (soft: boolean): ClusterInput => ({ hosts: [host("h1"), host("h2")], vms: [io("a"), io("b")], constraints: [{ kind: "anti-affinity", vms: ["a", "b"], soft }] });
  test.each([
    // Score plugins rate soft constraints only; a hard refusal is the filter's.
    ["hard: a member already on the host refuses the other", false, "h1", false, 100],
    ["hard: another host is fine", false, "h2", true, 100],
    ["soft: the same host is allowed but scores 0", true, "h1", true, 0],
    ["soft: another host scores 100", true, "h2", true, 100],
  ])("%s", (_n, soft, target, fits, score) => {
    const { s, vm, h } = stateWith(doc(soft), { a: "h1" });
    expectAgree(antiAffinity, s, vm("b"), h(target), fits);
    expect(antiAffinity.score(new CycleState(), s, vm("b"), h(target))).toBe(score);
  });

  test("soft violations are counted once per extra member", () => {
    const { s, vm, h } = stateWith(doc(true), { a: "h1" });
    s.assign(vm("b"), h("h1"));
    expect(s.softViolations).toBe(1);
    s.unassign(vm("b"));
    expect(s.softViolations).toBe(0);
  });
});

describe("Affinity", () => {
  const doc = (soft: boolean): ClusterInput => ({ hosts: [host("h1"), host("h2")], vms: [io("a"), io("b"), io("c")], constraints: [{ kind: "affinity", vms: ["a", "b", "c"], soft }] });
  test.each([
    ["hard: a member's host takes the next", false, { a: "h1" }, "h1", true, 100],
    ["hard: any other host refuses it", false, { a: "h1" }, "h2", false, 100],
    ["hard: with no member placed, any host", false, {}, "h2", true, 100],
    ["soft: with no member placed, any host scores 50", true, {}, "h2", true, 50],
    ["soft: another host is allowed, scores 0", true, { a: "h1" }, "h2", true, 0],
  ])("%s", (_n, soft, placed, target, fits, score) => {
    const { s, vm, h } = stateWith(doc(soft), placed);
    expectAgree(affinity, s, vm("b"), h(target), fits);
    expect(affinity.score(new CycleState(), s, vm("b"), h(target))).toBe(score);
  });
});

describe("HostLabel", () => {
  const doc = (soft: boolean): ClusterInput => ({
    hosts: [host("ssd", 4, { labels: { disk: "ssd" } }), host("hdd", 4, { labels: { disk: "hdd" } })],
    vms: [io("a")],
    constraints: [{ kind: "host-label", vms: ["a"], label: "disk", value: "ssd", soft }],
  });
  test.each([
    ["hard: matching host", false, "ssd", true, 100],
    ["hard: other value refused", false, "hdd", false, 100],
    ["soft: other value allowed, scores 0", true, "hdd", true, 0],
  ])("%s", (_n, soft, target, fits, score) => {
    const { s, vm, h } = stateWith(doc(soft), {});
    expectAgree(hostLabel, s, vm("a"), h(target), fits);
    expect(hostLabel.score(new CycleState(), s, vm("a"), h(target))).toBe(score);
  });
});

describe("Interference", () => {
  const sleepers = (n: number) => Array.from({ length: n }, (_, k) => sleeper(`s${k}`));
  /** expected: what the predictor itself says about the victim with n sleepers beside it. */
  function predictedOk(n: number, sloMs: number): boolean {
    const doc = cluster({ hosts: [host("h")], vms: [io("v", sloMs), ...sleepers(n)] });
    const st = new HostState(doc.hosts[0], predictor());
    for (const vm of doc.vms.slice(1)) st.add(profileVm(vm), undefined);
    const v = profileVm(doc.vms[0]);
    return st.worstSlackUs(v, victimTerms(v, predictor())) >= 0;
  }
  test.each([
    ["no neighbour", 0, 5],
    ["two sleepers on four cores", 2, 5],
    ["four sleepers on four cores (Bobtail)", 4, 5],
    ["four sleepers, loose SLO", 4, 500],
  ])("%s: the filter follows the predictor", (_n, n, sloMs) => {
    const placed = Object.fromEntries(sleepers(n).map((v) => [v.id, "h"]));
    const { s, vm, h } = stateWith({ hosts: [host("h")], vms: [io("v", sloMs), ...sleepers(n)] }, placed);
    expectAgree(interference, s, vm("v"), h("h"), predictedOk(n, sloMs));
  });

  test("a refusal names the predicted p99.9 delay against the victim's slack", () => {
    const placed = Object.fromEntries(sleepers(4).map((v) => [v.id, "h"]));
    const { s, vm, h } = stateWith({ hosts: [host("h")], vms: [io("v", 5), ...sleepers(4)] }, placed);
    const [r] = interference.filter(s, vm("v"), h("h")).reasons;
    expect(r.resource).toBe("p999DelayUs");
    expect(r.requested).toBeCloseTo(s.hostStates[h("h")].harmUs(Pct.P999, s.problem.profiles[vm("v")]), 0);
    expect(r.capacity).toBeLessThan(r.requested);
  });

  test.each([
    ["forbidBobtail refuses the fourth sleeper beside a victim on four cores", 3, true, false],
    ["three sleepers are allowed", 2, true, true],
    ["without forbidBobtail only the SLO counts (loose SLO)", 3, false, true],
  ])("%s", (_n, before, forbid, fits) => {
    const placed = { v: "h", ...Object.fromEntries(sleepers(before).map((x) => [x.id, "h"])) };
    const { s, vm, h } = stateWith({ hosts: [host("h")], vms: [io("v", 500), ...sleepers(before + 1)], policy: { forbidBobtail: forbid } }, placed);
    expectAgree(interference, s, vm(`s${before}`), h("h"), fits);
  });
});

describe("score plugins stay within 0..100 and rank as their objective says", () => {
  const doc: ClusterInput = { hosts: [host("empty"), host("half"), host("full")], vms: [sleeper("x"), sleeper("a", { memoryMiB: 4096 }), sleeper("b", { memoryMiB: 7168 })] };
  test.each([
    ["Consolidation prefers the fuller used host", consolidation, "full", "half"],
    ["Balance prefers the emptier host", balance, "empty", "half"],
  ])("%s", (_n, plugin, better, worse) => {
    const { s, vm, h } = stateWith(doc, { a: "half", b: "full" });
    const sc = (id: string) => plugin.score(new CycleState(), s, vm("x"), h(id));
    for (const id of ["empty", "half", "full"]) expect(sc(id)).toBeGreaterThanOrEqual(0), expect(sc(id)).toBeLessThanOrEqual(100);
    expect(sc(better)).toBeGreaterThan(sc(worse));
  });

  test("Risk scores a host with sleepers below an idle one for a victim", () => {
    const { s, vm, h } = stateWith({ hosts: [host("busy"), host("idle")], vms: [io("v", 20), sleeper("s0"), sleeper("s1")] }, { s0: "busy", s1: "busy" });
    const sc = (id: string) => risk.score(new CycleState(), s, vm("v"), h(id));
    expect(sc("idle")).toBe(100);
    expect(sc("busy")).toBeLessThan(100);
  });
});
