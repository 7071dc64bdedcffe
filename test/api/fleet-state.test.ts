import { describe, expect, test } from "vitest";
import { FleetState } from "../../src/api/fleet/state.js";
import { PreparedCluster } from "../../src/api/place/prepared.js";
import { VmSchema, type Cluster, type Vm } from "../../src/model/cluster.js";
import { bundledPredictor } from "../helpers/fixtures.js";
import { ioVm, parsedSample } from "./helper.js";

const vm = (v: unknown): Vm => VmSchema.parse(v);
const hog = (id: string): Vm => vm({ id, vcpus: 4, memoryMiB: 8192, workload: { kind: "cpu", dutyCycle: 0.9, burstMs: 30 } });
const SHAPES = [vm(ioVm("ask-io")), hog("ask-hog"), vm({ ...ioVm("ask-big"), vcpus: 8, memoryMiB: 65536 })];

/** The answers a server gives about every shape, limit 100 so every ranked host counts. */
const answers = (p: PreparedCluster) => SHAPES.map((s) => p.rank(s, { limit: 100, reasons: true }));

describe("FleetState: the extender's assumptions", () => {
  test("after any sequence of assumptions it answers as a server started on that cluster would", () => {
    const c = parsedSample();
    const state = new FleetState(bundledPredictor(), c);
    const prepared = state.current!;
    const placed: Vm[] = [];
    const steps: [Vm, string][] = [
      [hog("pod-1"), c.hosts[0].id], // new pods: added to the index as it stands
      [vm(ioVm("pod-2")), c.hosts[0].id],
      [hog("pod-3"), c.hosts[5].id],
      [hog("pod-1"), c.hosts[6].id], // assumed again elsewhere: it moves, it is not counted twice
      [{ ...hog("pod-2"), vcpus: 2 }, c.hosts[6].id], // assumed again with another shape
      [hog(c.vms[0].id), c.hosts[7].id], // a VM of the document, re-placed
    ];
    for (const [v, host] of steps) {
      const before = answers(prepared);
      state.assume(v, host);
      const at = placed.findIndex((p) => p.id === v.id);
      if (at >= 0) placed[at] = { ...v, host };
      else placed.push({ ...v, host });
      const known = new Set(c.vms.map((x) => x.id));
      const expected: Cluster = { ...c, vms: [...c.vms.map((x) => placed.find((p) => p.id === x.id) ?? x), ...placed.filter((p) => !known.has(p.id))] };
      // The same object is kept fresh (the routes hold it), and its answers changed.
      expect(state.current).toBe(prepared);
      const now = answers(prepared);
      expect(now).not.toEqual(before);
      expect(now).toEqual(answers(new PreparedCluster(expected, bundledPredictor())));
      expect(prepared.cluster.vms.filter((x) => x.id === v.id)).toEqual([{ ...v, host }]);
    }
    expect(state.assumedCount).toBe(4);
  });

  test("a pod ranked again onto the same node changes nothing (its cached verdicts stay)", () => {
    const c = parsedSample();
    const state = new FleetState(bundledPredictor(), c);
    state.assume(hog("pod-1"), c.hosts[0].id);
    const cluster = state.current!.cluster;
    const judged = state.current!.judge(hog("pod-1"));
    state.assume(hog("pod-1"), c.hosts[0].id);
    expect(state.current!.cluster).toBe(cluster);
    expect(state.current!.judge(hog("pod-1")).verdict).toBe(judged.verdict);
    state.assume(hog("pod-1"), c.hosts[1].id);
    expect(state.current!.judge(hog("pod-1")).verdict).not.toBe(judged.verdict);
  });

  test("a refresh after --assume-for brings the source's cluster back and forgets every assumption", () => {
    const c = parsedSample();
    let clock = 0;
    const state = new FleetState(bundledPredictor(), c, { assumeForMs: 1000, now: () => clock });
    const fresh = answers(state.current!);
    state.assume(hog("pod-1"), c.hosts[0].id);
    state.assume(hog("pod-2"), c.hosts[0].id);
    expect(answers(state.current!)).not.toEqual(fresh);
    clock = 1000;
    state.refresh(c, clock);
    expect(state.assumedCount).toBe(0);
    expect(state.current!.cluster.vms).toHaveLength(c.vms.length);
    expect(answers(state.current!)).toEqual(fresh);
  });

  test("a refresh keeps, for --assume-for, the assumptions its source does not show yet", () => {
    const c = parsedSample();
    let clock = 0;
    const state = new FleetState(bundledPredictor(), c, { assumeForMs: 60_000, now: () => clock });
    state.assume(hog("ns/shown"), c.hosts[0].id);
    state.assume(hog("ns/pending"), c.hosts[1].id);
    clock = 30_000;
    state.assume(hog("ns/young"), c.hosts[2].id);
    state.assume(hog("ns/gone-host"), c.hosts[3].id);
    clock = 59_999;
    // The source now shows one pod's VM (elsewhere: the source is the truth), and lost a host.
    const refreshed: Cluster = { ...c, hosts: c.hosts.filter((h) => h.id !== c.hosts[3].id), vms: [...c.vms.filter((v) => v.host !== c.hosts[3].id), { ...hog("ns/shown"), host: c.hosts[4].id }] };
    state.refresh(refreshed, clock);
    const where = (id: string) => state.current!.cluster.vms.filter((v) => v.id === id).map((v) => v.host);
    expect(where("ns/shown")).toEqual([c.hosts[4].id]);
    expect(where("ns/pending")).toEqual([c.hosts[1].id]);
    expect(where("ns/young")).toEqual([c.hosts[2].id]);
    expect(where("ns/gone-host")).toEqual([]);
    expect(state.assumedCount).toBe(2);
    expect(answers(state.current!)).toEqual(answers(new PreparedCluster({ ...refreshed, vms: [...refreshed.vms, { ...hog("ns/pending"), host: c.hosts[1].id }, { ...hog("ns/young"), host: c.hosts[2].id }] }, bundledPredictor())));
    // A minute after it was made, an assumption the source still does not show ends.
    clock = 60_000;
    state.refresh(refreshed, clock);
    expect(where("ns/pending")).toEqual([]);
    expect(where("ns/young")).toEqual([c.hosts[2].id]);
    clock = 90_000;
    state.refresh(refreshed, clock);
    expect(state.assumedCount).toBe(0);
    expect(state.current!.cluster.vms).toHaveLength(refreshed.vms.length);
  });
});
