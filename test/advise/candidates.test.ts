import { describe, expect, test } from "vitest";
import { applyChanges, placementOf } from "../../src/advise/apply.js";
import { candidatesFor } from "../../src/advise/candidates.js";
import { movesFor } from "../../src/advise/moves.js";
import type { ClusterInput } from "../../src/model/cluster.js";
import type { MigrationPlan, Move } from "../../src/model/migration.js";
import { parseOrThrow } from "../helpers/fixtures.js";

const io = (id: string, serviceUs = 150) => ({ id, vcpus: 1, memoryMiB: 2048, workload: { kind: "io" as const, requestsPerSec: 800, serviceUs }, slo: { p999Ms: 5 }, host: "h" });
const cpu = (id: string, dutyCycle = 0.5, vcpus = 1) => ({ id, vcpus, memoryMiB: 2048, workload: { kind: "cpu" as const, dutyCycle, burstMs: 10 }, host: "h" });

function hostWith(scheduler: { kind: string; [k: string]: unknown }, vms: ClusterInput["vms"]) {
  const c = parseOrThrow({ hosts: [{ id: "h", cores: 4, memoryMiB: 65536, scheduler }], vms });
  return { c, view: placementOf(c).get("h")! };
}

describe("the options each scheduler is offered", () => {
  test("credit1: its knobs, the victim's weight, caps on the CPU-bound neighbours, and credit2 with its rate limit", () => {
    const { view } = hostWith({ kind: "xen-credit", timesliceMs: 30, ratelimitUs: 1000 }, [io("web"), cpu("a"), cpu("b", 1, 2)]);
    const cs = candidatesFor(view);
    expect(cs.map((c) => c.id)).toEqual(["current", "victim-weight:1024", "ratelimit:0", "timeslice:5", "timeslice:2", "timeslice:1", "cap-neighbours:100", "cap-neighbours:75", "scheduler:xen-credit2"]);
    expect(cs.find((c) => c.id === "scheduler:xen-credit2")!.changes).toEqual([expect.objectContaining({ kind: "scheduler", to: expect.objectContaining({ kind: "xen-credit2", ratelimitUs: 1000 }) })]);
    // Mean use: a at duty 0.5 of one vCPU is 50%; b at duty 1 of two vCPUs is 200% (75%: 150%).
    const caps = (id: string) => cs.find((c) => c.id === id)!.changes.map((c) => (c.kind === "vm-param" ? [c.vmId, c.to] : []));
    expect(caps("cap-neighbours:100")).toEqual([["a", 50], ["b", 200]]);
    expect(caps("cap-neighbours:75")).toEqual([["a", 40], ["b", 150]]);
  });

  test("a credit1 timeslice below the rate limit takes the rate limit down with it, as Xen caps it", () => {
    const { view } = hostWith({ kind: "xen-credit", timesliceMs: 30, ratelimitUs: 5000 }, [io("web"), cpu("a")]);
    const t2 = candidatesFor(view).find((c) => c.id === "timeslice:2")!;
    expect(t2.changes.map((c) => (c.kind === "scheduler-param" ? `${c.param} ${c.from}->${c.to}` : ""))).toEqual(["timesliceMs 30->2", "ratelimitUs 5000->2000"]);
  });

  test("CFS: the victim's cpu.weight, quotas, and EEVDF with and without a short slice for the victim; no credit knobs", () => {
    const { view } = hostWith({ kind: "kvm-cfs", haltPollUs: 50 }, [io("web", 80), io("db", 250), cpu("a")]);
    const cs = candidatesFor(view);
    expect(cs.map((c) => c.id)).toEqual(["current", "victim-weight:1000", "cap-neighbours:100", "cap-neighbours:75", "scheduler:kvm-eevdf", "scheduler:kvm-eevdf+victim-slice:300"]);
    const up = cs.find((c) => c.id === "scheduler:kvm-eevdf+victim-slice:300")!;
    // The slice covers one request: 80 µs -> 100 µs (the floor), 250 µs -> 300 µs; halt-polling carried over.
    expect(up.changes).toEqual([
      expect.objectContaining({ kind: "scheduler", to: expect.objectContaining({ kind: "kvm-eevdf", haltPollUs: 50 }) }),
      { kind: "vm-param", vmId: "web", param: "schedRuntimeUs", to: 100 },
      { kind: "vm-param", vmId: "db", param: "schedRuntimeUs", to: 300 },
    ]);
  });

  test("EEVDF and credit2 get no upgrade; EEVDF gets the short slice as a live tune", () => {
    expect(candidatesFor(hostWith({ kind: "kvm-eevdf" }, [io("web"), cpu("a")]).view).map((c) => c.id)).toEqual(["current", "victim-weight:1000", "victim-slice:200", "cap-neighbours:100", "cap-neighbours:75"]);
    expect(candidatesFor(hostWith({ kind: "xen-credit2" }, [io("web"), cpu("a")]).view).map((c) => c.id)).toEqual(["current", "victim-weight:1024", "ratelimit:0", "cap-neighbours:100", "cap-neighbours:75"]);
  });

  test("a host with a driver domain that bills its CPU to no guest is offered charging, with the predictor's verdict", () => {
    const driver = { vcpus: 1, usPerPacket: 60, chargeDriverWork: false };
    const c = parseOrThrow({ hosts: [{ id: "h", cores: 2, memoryMiB: 65536, scheduler: { kind: "xen-credit" }, driverDomain: driver }], vms: [{ ...io("web", 300), capPercent: 50, workload: { kind: "io", requestsPerSec: 2000, serviceUs: 300 } }, cpu("batch", 1, 2)] });
    const charge = candidatesFor(placementOf(c).get("h")!).find((x) => x.kind === "driver-charging")!;
    expect(charge.changes).toEqual([{ kind: "driver-param", hostId: "h", param: "chargeDriverWork", from: false, to: true }]);
    // E11: web's own 0.5 CPU cap plus the 0.24 CPU of driver work it causes, uncharged.
    expect(charge.note).toMatch(/charging driver work would return 0\.24 CPU to the other guests, taken from web \(\+0\.24 CPU\) \(enforced within 2% by this scheduler\)/);
    const after = applyChanges(placementOf(c), charge.changes, ["h"]).get("h")!;
    expect(after.host.driverDomain?.chargeDriverWork).toBe(true);
    const on = parseOrThrow({ ...c, hosts: [{ ...c.hosts[0], driverDomain: { ...driver, chargeDriverWork: true } }] });
    expect(candidatesFor(placementOf(on).get("h")!).some((x) => x.kind === "driver-charging")).toBe(false);
  });

  test("applying an option changes only its copies of the host and VMs", () => {
    const { c } = hostWith({ kind: "xen-credit" }, [io("web"), cpu("a")]);
    const p = placementOf(c);
    const t5 = candidatesFor(p.get("h")!).find((x) => x.id === "timeslice:5")!;
    const after = applyChanges(p, t5.changes, ["h"]).get("h")!;
    expect(after.host.scheduler).toMatchObject({ kind: "xen-credit", timesliceMs: 5, ratelimitUs: 1000 });
    expect(p.get("h")!.host.scheduler).toMatchObject({ timesliceMs: 30 });
  });
});

describe("the planner's moves that belong to one host", () => {
  const move = (step: number, vmId: string, from: string, to: string, code: Move["whyVm"]["code"] = "aggressor", leg: Move["leg"] = "direct"): Move => ({
    step, wave: 1, vmId, from, to, priority: 1, kind: "fix-breach", leg, memoryMiB: 1024, gain: 1, cost: 1,
    bandwidthMbps: 10000, dirtyMiBps: 0, durationSec: 1, downtimeMs: 50, rounds: 1, converged: true, state: "recommended", attempts: [],
    whyVm: { code, helps: [], alternatives: 0 }, whyTarget: { scores: {}, total: 0, feasible: 1, rejected: {}, temporary: leg === "park" }, effect: [],
  });
  const plan = (moves: Move[]) => ({ moves }) as unknown as MigrationPlan;

  test("a swap and a two-step move come whole; another host's fix does not", () => {
    const moves = [
      move(1, "x", "h1", "h2"), // h1's own fix
      move(2, "y", "h2", "h1", "making-room"), // trades places with it (a swap)
      move(3, "z", "h4", "h2"), // h4's own fix, landing on h2 too
      move(4, "w", "h1", "p", "aggressor", "park"),
      move(5, "w", "p", "h5", "aggressor", "unpark"),
    ];
    expect(movesFor(plan(moves), "h1").map((m) => m.step)).toEqual([1, 2, 4, 5]);
    expect(movesFor(plan(moves), "h4").map((m) => m.step)).toEqual([3]);
  });
});
